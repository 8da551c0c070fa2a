# Jupyter Warden: the single entry point. `make demo` to try it, `make test` to test everything.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
export PATH := $(abspath $(VENV))/bin:$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: help system-deps python-deps node-deps build install demo test lint test-unit test-python test-central test-ui bench clean

help:
	@echo "make demo   install everything and start JupyterLab with Warden on 127.0.0.1:8888"
	@echo "make test   install what the tests need and run every test"
	@echo "make bench  run the benchmarks (on demand, not part of test)"

# Debian packages the tests drive: Chromium for Galata, PostgreSQL for central's tests, dbus
# (dbus-run-session) for tests/deps/test_redteam17_starts.py, git-lfs for
# tests/deps/test_redteam18_falseref.py, rsync, zip and unzip for the line writers' proofs
# (tests/deps/test_redteam2[1-3]_*.py), tmux for the multiplexer proofs (tests/deps/test_redteam*_tmux*.py).
system-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/lib/postgresql/15/bin/initdb ] || [ ! -x /usr/bin/dbus-run-session ] || [ ! -x /usr/bin/git-lfs ] || [ ! -x /usr/bin/rsync ] || [ ! -x /usr/bin/zip ] || [ ! -x /usr/bin/unzip ] || [ ! -x /usr/bin/tmux ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium postgresql dbus git-lfs rsync zip unzip tmux >/dev/null; \
	fi

# Each step leaves a stamp in .stamps/ and reruns only when one of its inputs is newer, so a
# second `make demo` starts in seconds. `make clean` (or deleting .stamps/) forces a full run.
STAMPS := .stamps
PY_INPUTS := requirements-dev.txt
NODE_INPUTS := package-lock.json ui-tests/package-lock.json central/package-lock.json
BUILD_INPUTS := package.json tsconfig.json tsconfig.cli.json install.json \
  $(shell find src style schema scripts -type f -not -name '*.spec.ts' -not -name '_schema.ts' 2>/dev/null) \
  central/package.json central/tsconfig.json $(shell find central/src -type f 2>/dev/null)
INSTALL_INPUTS := pyproject.toml $(shell find jupyter-config -type f 2>/dev/null)

$(STAMPS):
	mkdir -p $(STAMPS)

# pyvenv.cfg, not bin/python (a symlink with the system binary's old time): a new venv
# makes the dependencies install again.
$(VENV)/pyvenv.cfg:
	python3 -m venv $(VENV)

$(STAMPS)/python-deps: $(PY_INPUTS) $(VENV)/pyvenv.cfg | $(STAMPS)
	$(PIP) install -q -r requirements-dev.txt
	@touch $@

$(STAMPS)/node-deps: $(NODE_INPUTS) | $(STAMPS)
	npm ci --no-audit --no-fund
	cd ui-tests && npm ci --no-audit --no-fund
	cd central && npm ci --no-audit --no-fund
	@touch $@

$(STAMPS)/build: $(STAMPS)/node-deps $(BUILD_INPUTS)
	npm run build
	cd central && npm run build
	@touch $@

# Editable install: the wheel's layout (labextension, server config) pointing at this tree.
$(STAMPS)/install: $(STAMPS)/python-deps $(STAMPS)/build $(INSTALL_INPUTS)
	$(PIP) install -q --no-build-isolation --no-deps -e .
	jupyter-builder develop --overwrite . >/dev/null
	@jupyter labextension list 2>&1 | grep -q "jupyterlab-warden.*enabled.*OK" || { jupyter labextension list; exit 1; }
	@touch $@

python-deps: $(STAMPS)/python-deps
node-deps: $(STAMPS)/node-deps
build: $(STAMPS)/build
install: $(STAMPS)/install

demo: $(STAMPS)/install
	bash scripts/demo.sh

lint:
	npm run lint
	cd central && npm run lint
	$(VENV)/bin/ruff check jupyterlab_warden tests bench ui-tests/jupyter_server_test_config.py scripts
	$(VENV)/bin/ruff format --check jupyterlab_warden tests bench

# The specs are type-checked once by tsc (one program), then jest runs them transpiled only
# (isolatedModules in tsconfig.test.json) on two workers: jest's default on two cores is one
# worker, and ts-jest's per-file type check cost more CPU than the one tsc run.
test-unit:
	npx tsc -p tsconfig.test.json
	npx jest --maxWorkers=2

# Two pytest processes at once, one lane each (scripts/pytest-lanes.py says why not xdist).
test-python:
	$(PY) scripts/pytest-lanes.py

test-central:
	cd central && npm test

test-ui:
	cd ui-tests && npx playwright test

test: system-deps install lint test-unit test-central test-ui test-python

bench: install
	bash bench/run-all.sh

clean:
	npm run clean
	rm -rf node_modules ui-tests/node_modules central/node_modules $(VENV) $(STAMPS)
