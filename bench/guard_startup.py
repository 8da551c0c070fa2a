"""Guard start-up in a new Python, with and without the launch-time site dir, interleaved run by
run so machine noise hits both alike; median and p90 of each:

* ``python -c pass`` as a kernel starts it (``WARDEN_KERNEL_STATUS`` and an event spool set:
  the status file, the package inventory's deferred start): what every guarded Python pays on
  top of a bare interpreter (--runs);
* ``python -c "import ipykernel.kernelapp"``, what a real kernel imports anyway (json, re,
  threading... are then shared with the guard): the kernel-realistic figure (--kernel-runs).

    .venv/bin/python bench/guard_startup.py [--runs 40] [--kernel-runs 20] [--instructions]

Also prints the sitecustomize's own time as the guard reports it (``startup_ms``); with
--instructions, valgrind's instruction counts (load-independent) of both rows and of a child
Python (no status file); with --imports, the slowest imports under the site dir.
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


KERNEL_IMPORT = "import ipykernel.kernelapp"


def one(env, code="pass") -> float:
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter() - started) * 1000
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 0
    CPU.setdefault(id(env), []).append((usage.ru_utime + usage.ru_stime) * 1000)
    return wall


def instructions(env, code="pass") -> int:
    """Guest instructions of one ``python -c <code>``: a loaded machine cannot change it."""
    out = subprocess.run(
        ["valgrind", "--tool=lackey", "--basic-counts=yes", sys.executable, "-c", code],
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


def paired(base, guarded_for, code, runs):
    """Interleaved runs of ``code`` without and with the site dir: (walls without, walls with,
    CPU without, CPU with); ``guarded_for(i)`` is the guarded environment of run i."""
    without, with_site, cpu_without, cpu_with = [], [], [], []
    for i in range(runs):
        env = guarded_for(i)
        for side in (0, 1) if i % 2 else (1, 0):  # order flipped every run
            if side:
                with_site.append(one(env, code))
                cpu_with.append(CPU.pop(id(env))[-1])
            else:
                without.append(one(base, code))
                cpu_without.append(CPU.pop(id(base))[-1])
    return without, with_site, cpu_without, cpu_with


def table(title, without, with_site, cpu_without, cpu_with, reported=None) -> None:
    print(f"\n{title}")
    print("| | median | p90 |\n| --- | --- | --- |")
    print(f"| without the site dir | {statistics.median(without):.1f} | {pct(without, 0.9):.1f} |")
    print(f"| with the site dir | {statistics.median(with_site):.1f} | {pct(with_site, 0.9):.1f} |")
    added = [w - o for w, o in zip(with_site, without)]
    print(f"| added (paired) | {statistics.median(added):.1f} | {pct(added, 0.9):.1f} |")
    if reported:
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--kernel-runs", type=int, default=20, help="0: skip the ipykernel row")
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
        spool = Path(tmp, "spool")
        spool.mkdir()
        # a child Python: the site dir and the policy (what subprocess/spawn children get)
        child = dict(base, PYTHONPATH=SITE_DIR, WARDEN_POLICY_FILE=str(policy))
        # the kernel itself: also its status file and the event spool (the lab sets both)
        kernel = dict(child, WARDEN_EVENT_SPOOL=str(spool))

        def kernel_env(i):
            return dict(kernel, WARDEN_KERNEL_STATUS=str(Path(tmp, f"s{i}.json")))

        for i in range(3):  # warm the page cache and the bytecode cache
            one(base), one(kernel_env(i))
            if args.kernel_runs:
                one(base, KERNEL_IMPORT), one(kernel_env(i), KERNEL_IMPORT)
        CPU.clear()
        rows = paired(base, kernel_env, "pass", args.runs)
        reported = [
            json.loads(Path(tmp, f"s{i}.json").read_text())["startup_ms"] for i in range(args.runs)
        ]
        if args.kernel_runs:
            kernel_rows = paired(base, kernel_env, KERNEL_IMPORT, args.kernel_runs)
        counts = {}
        if args.instructions:  # here: the bytecode cache lives in tmp
            # No event spool: under valgrind (~50x slower) the package inventory's 2 s delay
            # would pass inside the run and count its work, which a real start does not do.
            counted = dict(kernel_env(0))
            counted.pop("WARDEN_EVENT_SPOOL")
            counts["pass"] = instructions(base), instructions(counted)
            counts["child"] = counts["pass"][0], instructions(child)
            if args.kernel_runs:
                counts["kernel"] = (
                    instructions(base, KERNEL_IMPORT),
                    instructions(counted, KERNEL_IMPORT),
                )
        if args.imports:
            out = subprocess.run(
                [sys.executable, "-X", "importtime", "-c", "pass"],
                env=kernel_env(0),
                capture_output=True,
                text=True,
            ).stderr
    print(
        "bytecode: jupyterlab_warden byte-compiled first (compileall, as pip install does) into "
        "a temporary PYTHONPYCACHEPREFIX, the standard library's cached there by 3 warm-up runs "
        "of each side; PYTHONDONTWRITEBYTECODE unset"
    )
    table(
        f"python -c pass as a kernel starts it, {args.runs} interleaved runs each (ms)",
        *rows,
        reported,
    )
    if args.kernel_runs:
        table(
            f"python -c {KERNEL_IMPORT!r} (what a kernel imports anyway: the kernel-realistic "
            f"figure), {args.kernel_runs} interleaved runs each (ms)",
            *kernel_rows,
        )
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if args.instructions:
        print(
            "\ninstructions (valgrind lackey, one run each; kernel rows without the event spool:"
            " the inventory's delayed start is not counted):"
        )
        labels = {
            "pass": "python -c pass, kernel",
            "child": "python -c pass, child",
            "kernel": f"python -c {KERNEL_IMPORT!r}, kernel",
        }
        for key, (plain, site) in counts.items():
            print(
                f"- {labels[key]}: {plain / 1e6:.1f} M without, {site / 1e6:.1f} M with the site "
                f"dir ({(site - plain) / 1e6:+.1f} M, {site / plain:.2f}x)"
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
