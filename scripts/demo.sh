#!/usr/bin/env bash
# Start JupyterLab with Warden on the demo notebook, listening on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
workdir=.warden-demo
mkdir -p "$workdir"
cp -n demo/*.ipynb "$workdir"/ 2>/dev/null || true
port=${WARDEN_DEMO_PORT:-8888}
echo "Starting JupyterLab with Jupyter Warden on http://127.0.0.1:${port}/lab (token below)"
exec jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port="$port" --no-browser \
  --ServerApp.root_dir="$workdir" "$workdir/warden-demo.ipynb"
