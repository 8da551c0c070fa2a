"""The kernel guard's cost on `import torch` and on a cell that starts 1,000 subprocesses,
against no guard in the same run (issue 20 targets: <= 1.05x and <= 1.10x).

    PYTHONPATH=. python bench/install_gate_overhead.py [--rounds N] [--spawns 1000]
                                                       [--only torch|torch-cell|spawns|cell]
                                                       [--relative]

Each measurement runs in a fresh interpreter (bytecode cached: the package is compiled first,
as ``pip install`` compiles it, since a machine that sets PYTHONDONTWRITEBYTECODE, as this
one does, would otherwise time the guard's compilation) that imports the guard's package,
then installs it (``guard.install()``, as the launcher does, not timed) or not, so every mode
forks a process of the same size; modes rotate round by round so machine noise hits each
alike. Two guarded modes: ``kernel`` (the guard as the launch marks the kernel's: the issue's
figure, since a cell runs in the kernel) and ``child`` (the guard of a Python the kernel
starts, which also reads each start for writes of start-up names).

The ``cell`` workload is the issue's own words: a cell running the loop in a real ipykernel
launched as the lab launches one (``launch_env.kernel_env``: the launch-time guard, as the
kernel) against a plain ipykernel, the two kernels taking turns (this bench's own PYTHONPATH
entries made absolute first, so the kernels, started in another folder, find the package;
``--relative`` adds a relative folder to both kernels' PYTHONPATH, the case where the lab
launches the kernel with its PYTHONPATH deferred: ``launch_env.kernel_pythonpath``).

The ``torch-cell`` workload is ``import torch`` as the first cell of a fresh real kernel, the
plain and the guarded one started in turns each round (11 rounds): the issue's torch figure as
a user meets it. The ``torch`` workload (a fresh interpreter that installs the guard, then
imports torch) charges ``import torch`` besides with the guard's one-time load of its
environment reading (~17 ms and ~4,600 objects, at torch's first ``os.environ`` write; a
kernel has done it at start), and those objects can add one full garbage collection to the
import (~60 ms): it reads the guard of a Python the kernel starts, not a kernel's cell.

A start's cost grows with its PATH (one look per folder): the PATH's folder count is
reported. Rounds: 7 for ``torch`` and ``spawns``, 11 for ``torch-cell``, 25 for ``cell`` (a
real kernel's loop moves +-5% run to run: 7 rounds cannot tell a 3% change from noise), unless
``--rounds``.

Reported: medians of wall and CPU time (the child's own user+sys for `import torch`; the
parent's for the spawning loop, where the guard runs) and their ratio to plain; for each
guarded mode, ``MODE_rounds``: the spread of the per-round ratios (round i's guarded run over
round i's plain one, taken in turn): their median, quartiles, IQR, and ``median_95``, an
interval that holds the true median ratio with 95% confidence whatever the noise's shape
(order statistics: ``_median_interval``). Two builds differ beyond noise when their intervals
do not overlap; a change inside both is within noise. For the spawning workload also the
cost of the audit event alone (``event_us``: what the guard's hook adds to each start; the
rest of a guarded process's difference is the wrapper of ``Popen._execute_child``, the caches
the hook's reading evicts while the child runs, and machine noise).
"""

import argparse
import compileall
import contextlib
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import uuid

IMPORT_TORCH = r"""
import json, os, sys, time
from jupyterlab_warden.kernel import guard  # both modes: same code in memory, same fork size
if sys.argv[1] != "plain":
    state = guard.install({})
    assert state is not None
    # the kernel's guard, as the launch's site_boot marks it (a cell runs there), or the guard of
    # a Python the kernel starts, which also reads each start for start-up writes
    state.installs.kernel = sys.argv[1] == "kernel"
wall, cpu = time.perf_counter(), time.process_time()
import torch
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}))
"""

SPAWNS = r"""
import json, subprocess, sys, time
from jupyterlab_warden.kernel import guard  # both modes: same code in memory, same fork size
if sys.argv[1] != "plain":
    state = guard.install({})
    assert state is not None
    # the kernel's guard, as the launch's site_boot marks it (a cell runs there), or the guard of
    # a Python the kernel starts, which also reads each start for start-up writes
    state.installs.kernel = sys.argv[1] == "kernel"
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


# no guard; the kernel's guard (the figure: a cell runs in the kernel); the guard of a
# Python the kernel starts (a script's loop: it also reads each start for start-up writes)
MODES = ("plain", "kernel", "child")


def measure(script, mode, *args):
    out = subprocess.run(
        [sys.executable, "-c", script, mode, *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare(name, script, rounds, *args):
    runs = {mode: [] for mode in MODES}
    measure(script, "plain", *args)  # warm the page cache and bytecode
    for i in range(rounds):
        for mode in _order(i):
            runs[mode].append(measure(script, mode, *args))
    return _summary(name, runs)


def compare_workers(name, script, rounds, *args):
    """Long-lived workers (one per mode) run the loop in turns: no start-up noise."""
    workers = {
        mode: subprocess.Popen(
            [sys.executable, "-c", script, mode, *map(str, args)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for mode in MODES
    }
    runs = {mode: [] for mode in MODES}
    try:
        for i in range(rounds + 1):
            for mode in _order(i):
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


def _order(i):
    """Modes in a rotating order, so machine noise and the order's own effects hit each alike."""
    shift = i % len(MODES)
    return MODES[shift:] + MODES[:shift]


def _summary(name, runs):
    """Medians per mode, their ratio to plain, and the spread of the per-round ratios
    (``_spread``): round i's guarded run over round i's plain one, made minutes apart at most,
    so a slow spell of the machine hits both sides of a ratio."""
    row = {"workload": name}
    for key in ("wall", "cpu", "event_us"):
        if key not in runs["plain"][0]:
            continue
        plain = statistics.median(r[key] for r in runs["plain"])
        row[key] = {"plain": round(plain, 4)}
        for mode in (mode for mode in MODES[1:] if mode in runs):
            guarded = statistics.median(r[key] for r in runs[mode])
            row[key][mode] = round(guarded, 4)
            row[key][f"{mode}_ratio"] = round(guarded / plain, 3)
            if key != "event_us":  # one event loop per round: its ratio says the same
                paired = [g[key] / p[key] for g, p in zip(runs[mode], runs["plain"])]
                row[key][f"{mode}_rounds"] = _spread(paired)
    return row


def _spread(ratios):
    """The per-round ratios' median, quartiles and a distribution-free 95% interval of their
    median (order statistics: ``_median_interval``), so a change of a few percent reads as
    shown (the intervals of the two figures apart) or within noise (they overlap)."""
    ordered = sorted(ratios)
    q1, _, q3 = statistics.quantiles(ordered, n=4) if len(ordered) > 1 else ordered * 3
    low, high = _median_interval(len(ordered))
    return {
        "n": len(ordered),
        "median": round(statistics.median(ordered), 3),
        "q1": round(q1, 3),
        "q3": round(q3, 3),
        "iqr": round(q3 - q1, 3),
        "median_95": [round(ordered[low], 3), round(ordered[high], 3)],
    }


def _median_interval(n: int) -> tuple:
    """Indexes (0-based) of the order statistics bounding the median with at least 95%
    confidence whatever the distribution: the largest k with P(Binomial(n, 1/2) <= k) <= 2.5%,
    giving [x_(k), x_(n-1-k)] (25 rounds: the 8th and 18th of 25). Below 6 rounds no
    interval reaches 95%: the whole range is given."""
    k, below = 0, 1 / 2**n
    while k + 1 < n - k - 2 and below + math.comb(n, k + 1) / 2**n <= 0.025:
        k += 1
        below += math.comb(n, k) / 2**n
    return k, n - 1 - k


CELL = r"""
import json, subprocess, time
from jupyterlab_warden.kernel import guard  # both kernels: same code in memory
subprocess.run(["true"])
wall, cpu = time.perf_counter(), time.process_time()
for _ in range(%d):
    subprocess.run(["true"])
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                  "guarded": guard.status().get("installed", False)}))
"""


TORCH_CELL = r"""
import json, time
from jupyterlab_warden.kernel import guard  # both kernels: same code in memory
wall, cpu = time.perf_counter(), time.process_time()
import torch
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                  "guarded": guard.status().get("installed", False)}))
"""


def compare_kernels(name, rounds, spawns, relative=False):
    """The loop as a cell in two real kernels, plain and Warden's, taking turns."""
    with _kernel_launch(relative) as (tmp, envs):
        clients = {}
        try:
            for mode in envs:
                clients[mode] = _start_kernel(tmp, mode, envs[mode])
            runs = {"plain": [], "kernel": []}
            for i in range(rounds + 1):
                for mode in ("plain", "kernel") if i % 2 == 0 else ("kernel", "plain"):
                    result = _checked(mode, _cell_result(clients[mode][1], CELL % spawns))
                    if i:  # round 0 warms both
                        runs[mode].append(result)
        finally:
            for km, client in clients.values():
                _stop_kernel(km, client)
    return _summary(name, runs)


def compare_kernel_imports(name, rounds):
    """``import torch`` as the first cell of a fresh real kernel, plain and Warden's, started in
    turns each round: what a notebook's user waits for. A fresh interpreter that only installs
    the guard (``IMPORT_TORCH``) also pays, at torch's first ``os.environ`` write, the guard's
    one-time load of its environment reading, which a kernel has already done at start."""
    with _kernel_launch(False) as (tmp, envs):
        runs = {"plain": [], "kernel": []}
        for i in range(rounds + 1):
            for mode in ("plain", "kernel") if i % 2 == 0 else ("kernel", "plain"):
                km, client = _start_kernel(tmp, mode, envs[mode])
                try:
                    result = _checked(mode, _cell_result(client, TORCH_CELL))
                finally:
                    _stop_kernel(km, client)
                if i:  # round 0 warms the page cache for both
                    runs[mode].append(result)
    return _summary(name, runs)


@contextlib.contextmanager
def _kernel_launch(relative):
    """A folder and the two kernels' environments: plain, and the one the lab launches a kernel
    with (its launch-time guard, as the kernel), under the built-in default policy."""
    from jupyterlab_warden.kernel.boot.launch_env import kernel_env

    with tempfile.TemporaryDirectory() as tmp:
        policy = os.path.join(tmp, "policy.json")
        with open(policy, "w", encoding="utf-8") as fh:
            fh.write("{}")  # the built-in default policy
        spool = os.path.join(tmp, "spool")
        os.mkdir(spool, 0o700)
        os.makedirs(os.path.join(tmp, "status"), mode=0o700)
        base = dict(os.environ)
        if base.get("PYTHONPATH"):  # this bench's own `PYTHONPATH=.`, as an installed package
            folders = base["PYTHONPATH"].split(os.pathsep)
            base["PYTHONPATH"] = os.pathsep.join(os.path.abspath(f) for f in folders if f)
        if relative:  # a relative folder, as a lab started with `PYTHONPATH=.` hands on
            base["PYTHONPATH"] = os.pathsep.join(filter(None, [base.get("PYTHONPATH"), "."]))
        envs = {
            "plain": base,
            "kernel": kernel_env(base, kernel_id=str(uuid.uuid4()), policy_file=policy,
                                 spool_dir=spool, status_dir=os.path.join(tmp, "status")),
        }  # fmt: skip
        yield tmp, envs


def _start_kernel(tmp, mode, env):
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name="python3")
    km.connection_file = os.path.join(tmp, f"{mode}-{uuid.uuid4()}.json")
    km.start_kernel(cwd=tmp, env=env)
    client = km.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
    except BaseException:
        _stop_kernel(km, client)
        raise
    return km, client


def _stop_kernel(km, client):
    client.stop_channels()
    if km.has_kernel:
        km.shutdown_kernel(now=True)


def _checked(mode, result):
    if result.pop("guarded") != (mode == "kernel"):
        raise SystemExit(f"the {mode} kernel's guard is not as this bench needs")
    return result


def _cell_result(client, code):
    out = []
    reply = client.execute_interactive(code, output_hook=out.append, timeout=600)
    if reply["content"]["status"] != "ok":
        raise SystemExit(f"the bench cell failed: {reply['content'].get('evalue')}")
    text = "".join(m["content"].get("text", "") for m in out if m["msg_type"] == "stream")
    return json.loads(text.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, help="rounds (default 7; torch-cell 11; cell 25)")
    parser.add_argument("--spawns", type=int, default=1000)
    parser.add_argument("--only", choices=("torch", "torch-cell", "spawns", "cell"))
    parser.add_argument("--relative", action="store_true", help="cell: a relative PYTHONPATH")
    opts = parser.parse_args()
    import jupyterlab_warden

    # what an installed package has: its bytecode (PYTHONDONTWRITEBYTECODE keeps runs from it)
    compileall.compile_dir(os.path.dirname(jupyterlab_warden.__file__), quiet=1)
    folders = len(os.environ.get("PATH", os.defpath).split(os.pathsep))
    print(json.dumps({"path_folders": folders}))
    rows = []
    if opts.only in (None, "torch"):
        rows.append(compare("import torch", IMPORT_TORCH, opts.rounds or 7))
    if opts.only in (None, "torch-cell"):
        name = "import torch, a kernel's first cell"
        rows.append(compare_kernel_imports(name, opts.rounds or 11))
    if opts.only in (None, "spawns"):
        rows.append(
            compare_workers(f"{opts.spawns} subprocesses", SPAWNS, opts.rounds or 7, opts.spawns)
        )
    if opts.only in (None, "cell"):
        name = f"{opts.spawns} subprocesses, a cell" + (", PYTHONPATH=." if opts.relative else "")
        rows.append(compare_kernels(name, opts.rounds or 25, opts.spawns, opts.relative))
    for row in rows:
        print(json.dumps(row))


if __name__ == "__main__":
    main()
