"""How long the sandbox probe takes (target: under 200 ms), against baselines of the same run.

    PYTHONPATH=$PWD /work/main/.venv/bin/python bench/probe_time.py

Warm rows run in this process; cold rows start a fresh interpreter each time, so they
include importing the probe and loading the rule catalog, as the first probe in a new
kernel does. The cold cost is the cold probe minus a bare interpreter start; the last row
times import + first run inside an interpreter that already loaded the stdlib modules a
kernel has (ratio against the warm run). Figures scale with machine load: it is printed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from jupyterlab_warden.kernel.probe import run_probe  # noqa: E402

TARGET_MS = 200.0


def timings_ms(fn, repeat: int) -> tuple:
    """(median, 90th percentile) wall time in ms."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), statistics.quantiles(times, n=10)[-1]


def read_status() -> None:
    with open("/proc/self/status", "rb") as fh:
        fh.read()


def run_python(code: str) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    subprocess.run([sys.executable, "-c", code], check=True, env=env, stdout=subprocess.DEVNULL)


KERNEL_LIKE = """
import json, re, pathlib, datetime, uuid, hashlib, typing, platform, time  # a kernel has these
start = time.perf_counter()
from jupyterlab_warden.kernel.probe import run_probe
run_probe()
print((time.perf_counter() - start) * 1000)
"""


def kernel_like_cold_ms() -> float:
    """Import + first run timed inside a fresh interpreter whose stdlib is already loaded."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run(
        [sys.executable, "-c", KERNEL_LIKE], check=True, env=env, capture_output=True, text=True
    )
    return float(out.stdout.strip())


def main() -> int:
    run_probe()  # warm the page cache and the catalog
    status = timings_ms(read_status, 500)
    warm = timings_ms(run_probe, 50)
    bare = timings_ms(lambda: run_python("pass"), 10)
    cold = timings_ms(
        lambda: run_python("from jupyterlab_warden.kernel.probe import run_probe; run_probe()"), 10
    )
    in_kernel = [kernel_like_cold_ms() for _ in range(10)]
    kernel_like = (statistics.median(in_kernel), statistics.quantiles(in_kernel, n=10)[-1])
    warm_ms, cold_cost = warm[0], cold[0] - bare[0]
    rows = [
        ("read /proc/self/status (baseline, in-process)", status, None),
        ("run_probe() warm, in-process", warm, warm[0] / status[0]),
        ("python -c pass (baseline, fresh interpreter)", bare, None),
        ("python -c 'import probe; run_probe()'", cold, cold[0] / bare[0]),
        ("cold probe cost (row 4 - row 3, medians)", (cold_cost, None), None),
        ("first probe, stdlib preloaded (timed inside)", kernel_like, kernel_like[0] / warm[0]),
    ]
    bytecode = "off" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "on"
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs; .pyc writing {bytecode}")
    print(f"{'measurement':<48} {'median ms':>10} {'p90 ms':>8} {'ratio':>8}")
    for name, (median, p90), ratio in rows:
        p90_text = f"{p90:.2f}" if p90 is not None else ""
        ratio_text = f"x{ratio:.1f}" if ratio else ""
        print(f"{name:<48} {median:>10.2f} {p90_text:>8} {ratio_text:>8}")
    worst = max(warm_ms, cold_cost)
    verdict = "met" if worst < TARGET_MS else "MISSED"
    print(f"target < {TARGET_MS:.0f} ms (worst of warm and cold cost): {worst:.1f} ms, {verdict}")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
