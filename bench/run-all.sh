#!/usr/bin/env bash
# Run every benchmark in turn (each prints its own table).
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
for script in bench/*.py; do
  [ -e "$script" ] || continue
  echo "== $script"
  .venv/bin/python "$script" || status=1
done
for script in bench/*.js bench/*.mjs; do
  [ -e "$script" ] || continue
  echo "== $script"
  node "$script" || status=1
done
exit $status
