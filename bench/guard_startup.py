"""Guard start-up in a new Python: ``python -c pass`` with and without the launch-time site dir
(what every kernel and every child Python the lab server guards pays), interleaved run by run so
machine noise hits both alike; median and p90 of --runs each.

    .venv/bin/python bench/guard_startup.py [--runs 40]

Also prints the sitecustomize's own time as the guard reports it (``startup_ms``) and, with
--imports, the slowest imports under the site dir (``-X importtime``).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR  # noqa: E402

CPU = {}  # env id -> CPU ms of each run (user + system): less sensitive to a loaded machine


def one(env) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", "pass"], env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter() - started) * 1000
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 0
    CPU.setdefault(id(env), []).append((usage.ru_utime + usage.ru_stime) * 1000)
    return wall


def instructions(env) -> int:
    """Guest instructions of one ``python -c pass``: a loaded machine cannot change it."""
    out = subprocess.run(
        ["valgrind", "--tool=lackey", "--basic-counts=yes", sys.executable, "-c", "pass"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    for line in out.splitlines():
        if "guest instrs:" in line:
            return int(line.rsplit(":", 1)[1].replace(",", ""))
    raise RuntimeError("valgrind printed no instruction count")


def pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--imports", action="store_true")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count instructions with valgrind (lackey): independent of machine load",
    )
    args = parser.parse_args()
    base = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
    base.pop("PYTHONPATH", None)
    with tempfile.TemporaryDirectory() as tmp:
        # Bytecode cached for both sides, as for an installed package (pip writes .pyc): a
        # PYTHONDONTWRITEBYTECODE environment would otherwise compile the guard on every start.
        base.pop("PYTHONDONTWRITEBYTECODE", None)
        base["PYTHONPYCACHEPREFIX"] = str(Path(tmp, "pycache"))
        # What `pip install` does: the package byte-compiled before the first start (an editable
        # install in a PYTHONDONTWRITEBYTECODE environment would otherwise have no .pyc at all)
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(ROOT / "jupyterlab_warden")],
            env=base,
            check=True,
        )
        policy = Path(tmp, "policy.json")
        policy.write_text(json.dumps({"schema_version": 1, "revision": 1}))
        guarded = dict(base, PYTHONPATH=SITE_DIR, WARDEN_POLICY_FILE=str(policy))
        without, with_site, reported = [], [], []
        for _ in range(3):  # warm the page cache and the bytecode cache
            one(base), one(guarded)
        CPU.clear()
        for i in range(args.runs):
            status = Path(tmp, f"s{i}.json")
            without.append(one(base))
            guarded_env = dict(guarded, WARDEN_KERNEL_STATUS=str(status))
            with_site.append(one(guarded_env))
            CPU.setdefault("with", []).append(CPU.pop(id(guarded_env))[0])
            reported.append(json.loads(status.read_text())["startup_ms"])
        cpu_without, cpu_with = CPU[id(base)], CPU["with"]
        if args.instructions:  # here: the bytecode cache lives in tmp
            plain, site = instructions(base), instructions(guarded)
        if args.imports:
            out = subprocess.run(
                [sys.executable, "-X", "importtime", "-c", "pass"],
                env=guarded,
                capture_output=True,
                text=True,
            ).stderr
    print(
        "bytecode: jupyterlab_warden byte-compiled first (compileall, as pip install does) into "
        "a temporary PYTHONPYCACHEPREFIX, the standard library's cached there by 3 warm-up runs "
        "of each side; PYTHONDONTWRITEBYTECODE unset\n"
    )
    print(f"python -c pass, {args.runs} interleaved runs each (ms)")
    print("| | median | p90 |\n| --- | --- | --- |")
    print(f"| without the site dir | {statistics.median(without):.1f} | {pct(without, 0.9):.1f} |")
    print(f"| with the site dir | {statistics.median(with_site):.1f} | {pct(with_site, 0.9):.1f} |")
    added = [w - o for w, o in zip(with_site, without)]
    print(f"| added (paired) | {statistics.median(added):.1f} | {pct(added, 0.9):.1f} |")
    print(
        f"| sitecustomize's own time (reported) | {statistics.median(reported):.1f} | "
        f"{pct(reported, 0.9):.1f} |"
    )
    cpu_added = [w - o for w, o in zip(cpu_with, cpu_without)]
    print(
        f"| CPU (user+sys) without / with / added (paired) | {statistics.median(cpu_without):.1f}"
        f" / {statistics.median(cpu_with):.1f} / {statistics.median(cpu_added):.1f} | "
        f"{pct(cpu_added, 0.9):.1f} (added) |"
    )
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if args.instructions:
        print(
            f"\ninstructions (valgrind lackey, one run each): {plain / 1e6:.1f} M without, "
            f"{site / 1e6:.1f} M with the site dir ({(site - plain) / 1e6:+.1f} M, "
            f"{site / plain:.2f}x)"
        )
    if args.imports:
        rows = []
        for line in out.splitlines():
            parts = line.split("|")
            if len(parts) == 3 and parts[1].strip().isdigit():
                rows.append((int(parts[1]), parts[2].rstrip()))
        print("\nslowest cumulative imports (us):")
        for cumulative, name in sorted(rows, reverse=True)[:15]:
            print(f"{cumulative:>9} {name}")


if __name__ == "__main__":
    main()
