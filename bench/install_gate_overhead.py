"""The kernel guard's cost on `import torch` and on a cell that starts 1,000 subprocesses,
against no guard in the same run (issue 20 targets: <= 1.05x and <= 1.10x).

    PYTHONPATH=. python bench/install_gate_overhead.py [--rounds 7] [--spawns 1000]

Each measurement runs in a fresh interpreter (`-X importtime` off, bytecode cached), guarded
(``guard.install()`` first, as the launcher does, not timed) or not, alternating round by
round so machine noise hits both alike. Reported: medians of wall and CPU time (the child's
own user+sys for `import torch`; the parent's for the spawning loop, where the guard runs).
"""

import argparse
import json
import statistics
import subprocess
import sys

IMPORT_TORCH = r"""
import json, os, sys, time
if sys.argv[1] == "guarded":
    from jupyterlab_warden.kernel import guard
    assert guard.install({}) is not None
wall, cpu = time.perf_counter(), time.process_time()
import torch
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}))
"""

SPAWNS = r"""
import json, subprocess, sys, time
if sys.argv[1] == "guarded":
    from jupyterlab_warden.kernel import guard
    assert guard.install({}) is not None
n = int(sys.argv[2])
subprocess.run(["true"])  # warm: the subprocess module's own first-use costs
wall, cpu = time.perf_counter(), time.process_time()
for _ in range(n):
    subprocess.run(["true"])
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}))
"""


def measure(script, mode, *args):
    out = subprocess.run(
        [sys.executable, "-c", script, mode, *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare(name, script, rounds, *args):
    runs = {"plain": [], "guarded": []}
    measure(script, "plain", *args)  # warm the page cache and bytecode
    for i in range(rounds):
        order = ("plain", "guarded") if i % 2 == 0 else ("guarded", "plain")
        for mode in order:
            runs[mode].append(measure(script, mode, *args))
    row = {"workload": name}
    for key in ("wall", "cpu"):
        plain = statistics.median(r[key] for r in runs["plain"])
        guarded = statistics.median(r[key] for r in runs["guarded"])
        row[key] = {"plain_s": round(plain, 4), "guarded_s": round(guarded, 4),
                    "ratio": round(guarded / plain, 3)}  # fmt: skip
    return row


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--spawns", type=int, default=1000)
    opts = parser.parse_args()
    rows = [
        compare("import torch", IMPORT_TORCH, opts.rounds),
        compare(f"{opts.spawns} subprocesses", SPAWNS, opts.rounds, opts.spawns),
    ]
    for row in rows:
        print(json.dumps(row))


if __name__ == "__main__":
    main()
