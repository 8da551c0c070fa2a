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
echo "== bench/gate-bench.mjs"; node bench/gate-bench.mjs || status=1
echo "== analyzer"; npm run --silent bench:analyzer || status=1
echo "== central"; bash central/scripts/with-postgres.sh node bench/central_bench.mjs || status=1
exit $status
