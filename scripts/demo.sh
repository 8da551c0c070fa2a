#!/usr/bin/env bash
# The README's first command (via `make demo`): start the central service (SQLite) and
# JupyterLab with Warden wired to it, both on 127.0.0.1, with a demo notebook.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
demo=$root/.warden-demo
central_port=${WARDEN_CENTRAL_PORT:-8470}
lab_port=${WARDEN_DEMO_PORT:-8888}
mkdir -p "$demo/notebooks" "$demo/central"
chmod 700 "$demo"
# Newer demo notebooks replace older copies; a copy the user changed since is kept.
for nb in demo/*.ipynb; do
  [ "$demo/notebooks/$(basename "$nb")" -nt "$nb" ] || cp "$nb" "$demo/notebooks/"
done
db=$demo/central/warden.db

# Tokens are shown once by central's CLI: keep them (mode 0600) for later demo runs.
token() { # name kind
  local file=$demo/central/$1.token
  if [ ! -s "$file" ]; then
    (umask 077; node central/dist/main.js "$2" create-token ${3:+--name "$3"} --db "$db" \
      | grep -E '^wd[al]_' > "$file")
  fi
  cat "$file"
}
admin_token=$(token admin admin)
lab_token=$(token lab lab demo-lab)

node central/dist/main.js --db "$db" --host 127.0.0.1 --port "$central_port" \
  > "$demo/central/central.log" 2>&1 &
central_pid=$!
trap 'kill $central_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  python3 - "$central_port" <<'PY' && break
import sys, urllib.request
try:
    urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/", timeout=1)
except urllib.error.HTTPError:
    pass  # answering at all is enough
except Exception:
    sys.exit(1)
PY
  sleep 0.2
done

# Pin central's signing key in the lab's config, as an admin would.
keys=$(LAB_TOKEN=$lab_token python3 - "$central_port" <<'PY'
import json, os, sys, urllib.request
req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/api/v1/keys",
                             headers={"Authorization": f"Bearer {os.environ['LAB_TOKEN']}"})
keys = json.load(urllib.request.urlopen(req, timeout=5))["keys"]
print(json.dumps({k["key_id"]: k["public_key"] for k in keys}))
PY
)
(umask 077; printf '%s\n' "$lab_token" > "$demo/central/lab-token-file")
# The lab's own login token, made once and kept (mode 0600) so the printed URL stays valid
# across demo runs. In the config file, not the environment: kernels inherit the environment.
jupyter_token_file=$demo/jupyter-token
if [ ! -s "$jupyter_token_file" ]; then
  (umask 077; python3 -c 'import secrets; print(secrets.token_hex(24))' > "$jupyter_token_file")
fi
jupyter_token=$(cat "$jupyter_token_file")
notebook_url="http://127.0.0.1:$lab_port/lab/tree/warden-demo.ipynb?token=$jupyter_token"
(umask 077; cat > "$demo/jupyter_server_config.py" <<PY
c.ServerApp.ip = "127.0.0.1"
c.ServerApp.port = $lab_port
c.ServerApp.port_retries = 0  # the printed URL names this port: fail rather than move
c.ServerApp.root_dir = "$demo/notebooks"
# Open (and print) the demo notebook, not the Launcher.
c.ServerApp.default_url = "/lab/tree/warden-demo.ipynb"
c.IdentityProvider.token = "$jupyter_token"
c.Warden.central_url = "http://127.0.0.1:$central_port"
c.Warden.central_token_file = "$demo/central/lab-token-file"
c.Warden.lab_id = "demo-lab"  # the lab token's name: central signs policies for it
c.Warden.central_public_keys = $keys
c.Warden.data_dir = "$demo/lab-data"
PY
)

echo
echo "Central dashboard: http://127.0.0.1:$central_port/  (sign in with the admin token:"
echo "  $admin_token )"
echo
echo "Demo notebook (JupyterLab with Jupyter Warden), open this URL:"
echo "  $notebook_url"
echo
allow_root=()
[ "$(id -u)" = 0 ] && allow_root=(--allow-root)
jupyter lab --config "$demo/jupyter_server_config.py" --no-browser "${allow_root[@]}"
