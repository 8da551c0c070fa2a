#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL server and WARDEN_TEST_PG_URL pointing at it.
# Used by `npm test`; stops the server and removes its files however the command ends.
# If WARDEN_TEST_PG_URL is already set, that server is used instead.
set -euo pipefail
if [ -n "${WARDEN_TEST_PG_URL:-}" ]; then exec "$@"; fi
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "with-postgres: PostgreSQL server binaries not found" \
    "(apt-get install postgresql, or set PGBIN)" >&2
  exit 2
fi
dir=$(mktemp -d /tmp/warden-pg.XXXXXX)
port=$(node -e "const s=require('net').createServer();
  s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
# initdb refuses to run as root: the cluster belongs to the postgres user.
if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
as_pg "$PGBIN/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 2; }
as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
  start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 2; }
export WARDEN_TEST_PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
version=$("$PGBIN/postgres" --version | awk '{print $3}')
echo "with-postgres: PostgreSQL $version on 127.0.0.1:$port" >&2
"$@"
