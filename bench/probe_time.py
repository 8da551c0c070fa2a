"""How long the sandbox probe takes (target: under 200 ms), against baselines of the same run.

    PYTHONPATH=$PWD /work/main/.venv/bin/python bench/probe_time.py

Warm rows run in this process; cold rows start a fresh interpreter each time, so they
include importing the probe and loading the rule catalog, as the first probe in a new
kernel does. The cold cost is the cold probe minus a bare interpreter start.
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

from jupyterlab_warden.probe import run_probe  # noqa: E402

TARGET_MS = 200.0


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def read_status() -> None:
    with open("/proc/self/status", "rb") as fh:
        fh.read()


def run_python(code: str) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    subprocess.run([sys.executable, "-c", code], check=True, env=env, stdout=subprocess.DEVNULL)


def main() -> int:
    run_probe()  # warm the page cache and the catalog
    status_ms = median_ms(read_status, 500)
    warm_ms = median_ms(run_probe, 50)
    bare_ms = median_ms(lambda: run_python("pass"), 10)
    cold_ms = median_ms(
        lambda: run_python("from jupyterlab_warden.probe import run_probe; run_probe()"), 10
    )
    cold_cost = cold_ms - bare_ms
    rows = [
        ("read /proc/self/status (baseline, in-process)", status_ms, None),
        ("run_probe() warm, in-process", warm_ms, warm_ms / status_ms),
        ("python -c pass (baseline, fresh interpreter)", bare_ms, None),
        ("python -c 'import probe; run_probe()'", cold_ms, cold_ms / bare_ms),
        ("cold probe cost (row 4 - row 3)", cold_cost, None),
    ]
    print(f"{'measurement':<48} {'median ms':>10} {'ratio':>8}")
    for name, ms, ratio in rows:
        print(f"{name:<48} {ms:>10.2f} {f'x{ratio:.1f}' if ratio else '':>8}")
    worst = max(warm_ms, cold_cost)
    verdict = "met" if worst < TARGET_MS else "MISSED"
    print(f"target < {TARGET_MS:.0f} ms (worst of warm and cold cost): {worst:.1f} ms, {verdict}")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
