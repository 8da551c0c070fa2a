#!/usr/bin/env bash
# Regenerate requirements-dev.txt from the current .venv (after adding a dependency).
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo "# Locked Python environment for development and tests (pip freeze of .venv; regenerate with"
  echo "# scripts/lock-python.sh). torch's CPU wheel is taken from the machine's disk."
  .venv/bin/pip freeze --exclude-editable | grep -viE '^jupyterlab-warden' | sed -E 's/^torch==([0-9.]+)\+cpu$/torch==\1/'
} > requirements-dev.txt
