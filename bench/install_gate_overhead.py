"""The kernel guard's cost on `import torch` and on a cell that starts 1,000 subprocesses,
against no guard in the same run (issue 20 targets: <= 1.05x and <= 1.10x).

    PYTHONPATH=. python bench/install_gate_overhead.py [--rounds 7] [--spawns 1000]
                                                       [--only torch|spawns]

Each measurement runs in a fresh interpreter (bytecode cached: the package is compiled first,
as ``pip install`` compiles it, since a machine that sets PYTHONDONTWRITEBYTECODE, as this
one does, would otherwise time the guard's compilation) that imports the guard's
package, then installs it (``guard.install()``, as the launcher does, not timed) or not, so
both modes fork a process of the same size; modes alternate round by round so machine noise
hits both alike. A start's cost grows with its PATH (one look per folder): the PATH's folder
count is reported. Reported: medians of wall and CPU time (the child's
own user+sys for `import torch`; the parent's for the spawning loop, where the guard runs),
and for the spawning workload the cost of the audit event alone (``event_us``: what the
guard's hook adds to each start; the rest of a guarded process's difference is the larger
process the fork copies and machine noise).
"""

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys

IMPORT_TORCH = r"""
import json, os, sys, time
from jupyterlab_warden.kernel import guard  # both modes: same code in memory, same fork size
if sys.argv[1] == "guarded":
    assert guard.install({}) is not None
wall, cpu = time.perf_counter(), time.process_time()
import torch
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}))
"""

SPAWNS = r"""
import json, subprocess, sys, time
from jupyterlab_warden.kernel import guard  # both modes: same code in memory, same fork size
if sys.argv[1] == "guarded":
    assert guard.install({}) is not None
n = int(sys.argv[2])
subprocess.run(["true"])  # warm: the subprocess module's own first-use costs
for line in sys.stdin:  # one loop per line: the two workers take turns (see compare_workers)
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        subprocess.run(["true"])
    result = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}
    # the audit event alone (what the guard adds to each start, free of fork/exec noise)
    start = time.perf_counter()
    for _ in range(20000):
        sys.audit("subprocess.Popen", "true", ["true"], None, None)
    result["event_us"] = (time.perf_counter() - start) / 20000 * 1e6
    print(json.dumps(result), flush=True)
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
    return _summary(name, runs)


def compare_workers(name, script, rounds, *args):
    """Two long-lived workers (plain, guarded) run the loop in turns: no start-up noise."""
    workers = {
        mode: subprocess.Popen(
            [sys.executable, "-c", script, mode, *map(str, args)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for mode in ("plain", "guarded")
    }
    runs = {"plain": [], "guarded": []}
    try:
        for i in range(rounds + 1):
            order = ("plain", "guarded") if i % 2 == 0 else ("guarded", "plain")
            for mode in order:
                workers[mode].stdin.write("run\n")
                workers[mode].stdin.flush()
                result = json.loads(workers[mode].stdout.readline())
                if i:  # round 0 warms both
                    runs[mode].append(result)
    finally:
        for proc in workers.values():
            proc.stdin.close()
            proc.wait(timeout=60)
    return _summary(name, runs)


def _summary(name, runs):
    row = {"workload": name}
    for key in ("wall", "cpu", "event_us"):
        if key not in runs["plain"][0]:
            continue
        plain = statistics.median(r[key] for r in runs["plain"])
        guarded = statistics.median(r[key] for r in runs["guarded"])
        row[key] = {"plain": round(plain, 4), "guarded": round(guarded, 4),
                    "ratio": round(guarded / plain, 3)}  # fmt: skip
    return row


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--spawns", type=int, default=1000)
    parser.add_argument("--only", choices=("torch", "spawns"))
    opts = parser.parse_args()
    import jupyterlab_warden

    # what an installed package has: its bytecode (PYTHONDONTWRITEBYTECODE keeps runs from it)
    compileall.compile_dir(os.path.dirname(jupyterlab_warden.__file__), quiet=1)
    folders = len(os.environ.get("PATH", os.defpath).split(os.pathsep))
    print(json.dumps({"path_folders": folders}))
    rows = []
    if opts.only in (None, "torch"):
        rows.append(compare("import torch", IMPORT_TORCH, opts.rounds))
    if opts.only in (None, "spawns"):
        rows.append(
            compare_workers(f"{opts.spawns} subprocesses", SPAWNS, opts.rounds, opts.spawns)
        )
    for row in rows:
        print(json.dumps(row))


if __name__ == "__main__":
    main()
