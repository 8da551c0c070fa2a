"""The kernel guard's cost per process start in CPU instructions (valgrind's callgrind),
against no guard in the same run: a figure machine noise does not move, for a change on the
start path that wall time on a shared 2-core machine cannot resolve (a few microseconds).

    PYTHONPATH=. python bench/install_gate_instructions.py [--starts 200]

Each mode runs the loop of ``install_gate_overhead.py``'s spawning workload
(``subprocess.run(["true"])``) twice under callgrind, with 0 and with ``--starts`` starts after
the same warm-up, so interpreter start, imports and the guard's first use cancel out: what is
left is the instructions one start costs in the parent (the child is not traced). The garbage
collector is off while measuring (it ran at a different start in each run: noise, not cost).
Modes: no guard; the kernel's guard (as the launch marks it: the issue's figure); the guard of
a Python the kernel starts. User-space instructions only: the system calls' kernel time is not
counted (the wall-time bench has it). Needs valgrind (`apt-get install valgrind`).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

WORKER = r"""
import subprocess, sys
from jupyterlab_warden.kernel import guard
if sys.argv[1] != "plain":
    state = guard.install({})
    assert state is not None
    state.installs.kernel = sys.argv[1] == "kernel"
for _ in range(20):
    subprocess.run(["true"])  # warm: first-use costs of subprocess and the guard
# A full collection landing inside the measured starts of one run and not the other moved the
# figure by up to 30k instructions per start for the same tree (stop 47): collect now, none
# while measuring. What a start allocates is still counted; only when it is collected moves.
import gc
gc.collect()
gc.disable()
for _ in range(int(sys.argv[2])):
    subprocess.run(["true"])
"""

MODES = ("plain", "kernel", "child")


def instructions(mode: str, starts: int) -> int:
    """Instructions callgrind counts for the worker in ``mode`` making ``starts`` starts."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, "-c", WORKER, mode, str(starts)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"callgrind reported no count: {done.stderr[-500:]}")
    return int(found.group(1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--starts", type=int, default=200)
    opts = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed: apt-get install valgrind")
    folders = len(os.environ.get("PATH", os.defpath).split(os.pathsep))
    per_start = {}
    for mode in MODES:
        base, loaded = instructions(mode, 0), instructions(mode, opts.starts)
        per_start[mode] = (loaded - base) / opts.starts
    row = {"path_folders": folders, "starts": opts.starts}
    row.update({f"{mode}_instructions": round(n) for mode, n in per_start.items()})
    for mode in ("kernel", "child"):
        row[f"{mode}_ratio"] = round(per_start[mode] / per_start["plain"], 3)
    print(json.dumps(row))


if __name__ == "__main__":
    main()
