"""`make test-python`: the pytest suite as two lanes at once (the CI machine has two cores and
the suite is mostly waiting on kernels, installers and servers it starts), each a pytest
process or two in collection order, with every line of output prefixed by its lane; the exit
status is the worst of them. The folders that expect no process guard are shared between the
lanes module by module (see SHARED).

Why two processes and not pytest-xdist: tests/guard and tests/provenance install the process
guard in the pytest process itself (tests/guard_owner.py: an audit hook cannot be removed), and
from then on it decides every process that pytest process starts. The folders whose tests start
their own kernels and installers must run in a process before any guard file (tests/conftest.py
fails such a test at once otherwise). xdist's load and loadfile schedulers mix files from both
kinds on one worker (46 refused starts in the local CI), and its loadgroup scheduler, which
could keep them apart, silently stops grouping with pytest 9.2 (pytest-dev/pytest-xdist#1386).

    PYTHONPATH=. python scripts/pytest-lanes.py [PYTEST OPTIONS...]
"""

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"
sys.path.insert(0, str(TESTS))

from guard_owner import EXPECT_NO_PROCESS_GUARD  # noqa: E402
from lane_claims import CLAIMS_FOLDER  # noqa: E402

# The folders whose tests expect no process guard are shared: the children lane runs them from
# its start, the rest lane in a second process once its own folders (the guard ones included)
# are done, and each module runs in the lane that claims it first (tests/lane_claims.py). A fixed
# split went stale as red teams added tests: CI of 2026-12-03 had the children lane at 1,279 s
# and the rest at 826 s, both at once.
SHARED = EXPECT_NO_PROCESS_GUARD


def lanes():
    """Each lane's pytest runs in order: (paths, shared)."""
    entries = sorted(
        p.name
        for p in TESTS.iterdir()
        if (p.is_dir() and p.name != "__pycache__")
        or (p.name.startswith("test_") and p.suffix == ".py")
    )
    rest = [name for name in entries if name not in SHARED]
    missing = [name for name in SHARED if name not in entries]
    if missing:
        raise SystemExit(f"pytest-lanes: no tests/{missing[0]} (SHARED is out of date)")
    shared = [f"tests/{name}" for name in SHARED]
    return {
        "children": [(shared, True)],
        "rest": [([f"tests/{name}" for name in rest], False), (shared, True)],
    }


# pytest's own header of the list of failed and erroring tests (asked for with -rfE)
SUMMARY_HEADER = "short test summary info"


def run_pytest(name, paths, env, options, lock, summary):
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rfE", *options, *paths],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    listing = False
    for line in proc.stdout:
        listing = listing or SUMMARY_HEADER in line
        if listing:
            summary.append(line)
        with lock:
            sys.stdout.write(f"[{name}] {line}")
            sys.stdout.flush()
    return proc.wait()


def run_lane(name, runs, claims, options, lock, results):
    started = time.monotonic()
    summary = []
    codes = []
    for paths, shared in runs:
        env = dict(os.environ)
        if shared:
            env[CLAIMS_FOLDER] = claims
        codes.append(run_pytest(name, paths, env, options, lock, summary))
    failed = [code for code in codes if code != 0]
    results[name] = (failed[0] if failed else 0, time.monotonic() - started, summary)


def main(options):
    lock = threading.Lock()
    results = {}
    claims = tempfile.mkdtemp(prefix="pytest-lanes-claims-")
    threads = [
        threading.Thread(target=run_lane, args=(name, runs, claims, options, lock, results))
        for name, runs in lanes().items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    shutil.rmtree(claims, ignore_errors=True)
    # The lanes' outputs interleave and a CI log shows only its tail: each failing lane's list of
    # failed tests is printed again here, last, where the tail shows it.
    for name, (code, seconds, summary) in results.items():
        print(f"pytest-lanes: lane {name}: exit {code} after {seconds:.0f} s")
        sys.stdout.writelines(f"[{name}] {line}" for line in summary)
    failed = [code for code, _, _ in results.values() if code != 0]
    # a lane killed by a signal has a negative code: still a failure
    return (failed[0] if failed[0] > 0 else 1) if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
