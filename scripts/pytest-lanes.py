"""`make test-python`: the pytest suite as two pytest processes at once (the CI machine has two
cores and the suite is mostly waiting on kernels, installers and servers it starts), each lane
in collection order, with every line of output prefixed by its lane; the exit status is the
worst of the two.

Why two processes and not pytest-xdist: tests/guard and tests/provenance install the process
guard in the pytest process itself (tests/guard_owner.py: an audit hook cannot be removed), and
from then on it decides every process that pytest process starts. The folders whose tests start
their own kernels and installers must run in a process before any guard file (tests/conftest.py
fails such a test at once otherwise). xdist's load and loadfile schedulers mix files from both
kinds on one worker (46 refused starts in the local CI), and its loadgroup scheduler, which
could keep them apart, silently stops grouping with pytest 9.2 (pytest-dev/pytest-xdist#1386).

    PYTHONPATH=. python scripts/pytest-lanes.py [PYTEST OPTIONS...]
"""

import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"
sys.path.insert(0, str(TESTS))

from guard_owner import EXPECT_NO_PROCESS_GUARD  # noqa: E402

# The folders whose tests expect no process guard get a lane; the other lane runs every other
# top-level folder and file in pytest's own order. tests/gate (installs no guard) went with deps
# while the rest was the longer lane; with deps grown (CI of 2026-12-03: deps + gate 1,257 s,
# the rest some 790 s, both at once) it evens the two out in the rest lane.
CHILDREN_LANE = EXPECT_NO_PROCESS_GUARD


def lanes():
    entries = sorted(
        p.name
        for p in TESTS.iterdir()
        if (p.is_dir() and p.name != "__pycache__")
        or (p.name.startswith("test_") and p.suffix == ".py")
    )
    rest = [name for name in entries if name not in CHILDREN_LANE]
    missing = [name for name in CHILDREN_LANE if name not in entries]
    if missing:
        raise SystemExit(f"pytest-lanes: no tests/{missing[0]} (CHILDREN_LANE is out of date)")
    return {
        "children": [f"tests/{name}" for name in CHILDREN_LANE],
        "rest": [f"tests/{name}" for name in rest],
    }


# pytest's own header of the list of failed and erroring tests (asked for with -rfE)
SUMMARY_HEADER = "short test summary info"


def run_lane(name, paths, options, lock, results):
    started = time.monotonic()
    summary = []
    proc = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rfE", *options, *paths],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    for line in proc.stdout:
        if summary or SUMMARY_HEADER in line:
            summary.append(line)
        with lock:
            sys.stdout.write(f"[{name}] {line}")
            sys.stdout.flush()
    results[name] = (proc.wait(), time.monotonic() - started, summary)


def main(options):
    lock = threading.Lock()
    results = {}
    threads = [
        threading.Thread(target=run_lane, args=(name, paths, options, lock, results))
        for name, paths in lanes().items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
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
