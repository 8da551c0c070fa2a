"""Server gate and launch-time guard costs, one run (python bench/server_gate.py).

1. The gate's own work per request, in process (parse + analyse + decide, both protocols),
   after the warm-up the server runs at start: what the gate adds to a request, wall and CPU.
   This is the main figure: a kernel round trip's own noise is larger than the gate.
2. End to end: execute_request round trips (raw websocket, JSON protocol) of ~1 KB and ~10 KB
   cells against two real servers started in this run, the same config except
   ``c.Warden.server_gate``, *interleaved* (gated and ungated request alternate, order flipped
   every pair) so both see the same machine; p50/p99 of each and of the paired difference.
3. Memory: the server process's RSS with the engine loaded vs with the gate off; V8 heap.
4. Guard start-up: a new Python with the Warden sitecustomize vs without (median of 20), and
   what kernels report at start-up.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "gate")]

from jupyter_client.session import Session  # noqa: E402
from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1  # noqa: E402
from kernel_ws import KernelWebsocket  # noqa: E402
from labserver_harness import LabServer  # noqa: E402

from jupyterlab_warden.kernel.boot.launch_env import kernel_env  # noqa: E402
from jupyterlab_warden.lab.gate import wire  # noqa: E402
from jupyterlab_warden.lab.gate.confirmations import ConfirmationStore  # noqa: E402
from jupyterlab_warden.lab.gate.engine import AnalyzerEngine  # noqa: E402
from jupyterlab_warden.lab.gate.gate import ServerGate  # noqa: E402

N = 200
WARM_UP_MS = []
CPU_MS = {}  # (protocol, size) -> process CPU ms per request, in process


def cell_of(size: int) -> str:
    # Notebook-like code that runs quickly: imports, a function that would load a checkpoint,
    # numpy work, comments; padded with a comment to exactly `size` characters.
    base = (
        "import numpy as np\n"
        "def load_model(path):\n    import torch\n"
        "    return torch.load(path, weights_only=True)\n"
        "x = np.arange(100).reshape(10, 10)\n"
        "def step(a, b):\n    return (a @ b).sum()\n"
    )
    lines, i = [base], 0
    while sum(map(len, lines)) < size - 60:
        lines.append(f"y{i} = step(x, x.T) + {i}  # accumulate term {i}\n")
        i += 1
    text = "".join(lines)
    return text + "#" * (size - len(text))


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


async def interleaved_round_trips(servers, kernels, code, n):
    """Round trips to the ungated [0] and gated [1] server, alternating (order flipped every
    pair) so that load on the machine falls on both alike."""
    times = ([], [])
    sockets = [KernelWebsocket(s, k) for s, k in zip(servers, kernels)]
    async with sockets[0] as off, sockets[1] as on:
        pair = (off, on)
        for _ in range(10):  # warm up
            for ws in pair:
                await ws.execute(code)
        for i in range(n):
            for side in (0, 1) if i % 2 == 0 else (1, 0):
                start = time.perf_counter()
                reply, _ = await pair[side].execute(code)
                times[side].append((time.perf_counter() - start) * 1000)
                assert reply["content"]["status"] == "ok", reply["content"]
    return times


def rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def end_to_end(n):
    rows, memory, reports, servers = {}, {}, [], []
    try:
        for gated in (False, True):
            work = Path(tempfile.mkdtemp(prefix="bench-gate-"))
            servers.append(LabServer(work, warden={"server_gate": gated}).start())
        kernels = []
        for server in servers:
            status, kernel = server.request("POST", "/api/kernels", {"name": "python3"})
            assert status == 201
            kernels.append(kernel["id"])
        for size in (1024, 10 * 1024):
            off, on = asyncio.run(interleaved_round_trips(servers, kernels, cell_of(size), n))
            rows[(False, size)], rows[(True, size)] = off, on
        for gated, server in zip((False, True), servers):
            memory[gated] = rss_kb(server.proc.pid)
        body = servers[1].request("GET", "/warden/status")[1]
        reports += [k.get("startup_ms") for k in body.get("kernels", [])]
    finally:
        for server in servers:
            server.stop()
    return rows, memory, reports


def in_process():
    engine = AnalyzerEngine()
    assert engine.available, engine.error
    # What the server does at start (lab/gate/__init__.py), here in the foreground.
    started = time.perf_counter()
    engine.warm_up()
    WARM_UP_MS.append((time.perf_counter() - started) * 1000)
    policy = json.loads((ROOT / "schema" / "default-policy.json").read_text())
    gate = ServerGate(engine, lambda: policy, ConfirmationStore(), lambda e: None)
    session = Session(key=b"")
    out = {}
    for size in (1024, 10 * 1024):
        code = cell_of(size)
        msg = session.msg("execute_request", {"code": code, "silent": False})
        as_json = json.dumps(dict(msg, channel="shell"), default=str)
        parts = [session.pack(msg[k]) for k in ("header", "parent_header", "metadata", "content")]
        as_v1 = serialize_msg_to_ws_v1(parts, "shell")
        for protocol, payload in (("json", as_json), ("v1", as_v1)):
            sub = wire.V1_PROTOCOL if protocol == "v1" else None
            times, cpu = [], []
            for i in range(N * 5 + 50):
                start, start_cpu = time.perf_counter(), time.process_time()
                channel, m, p = wire.parse(payload, sub, session.unpack)
                request = wire.code_request(channel, m, p, session.unpack)
                gate.check(kernel_id="k", user="u", code=request.code, request=request.label)
                if i >= 50:
                    times.append((time.perf_counter() - start) * 1000)
                    # CPU of the whole process (V8 runs on its own thread): what the gate
                    # costs, without the waits a loaded machine adds to the wall clock
                    cpu.append((time.process_time() - start_cpu) * 1000)
            out[(protocol, size)] = times
            CPU_MS[(protocol, size)] = cpu
    # The noise floor: one empty call into V8 (mini-racer runs V8 on its own thread).
    times = []
    for _ in range(N * 5):
        start = time.perf_counter()
        engine.ping()
        times.append((time.perf_counter() - start) * 1000)
    out[("empty V8 call", 0)] = times
    return out, engine.heap_bytes()


def startup():
    with tempfile.TemporaryDirectory() as tmp:
        # bytecode cached on both sides, as for an installed package (bench/guard_startup.py)
        plain = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        plain["PYTHONPYCACHEPREFIX"] = str(Path(tmp, "pycache"))
        env = kernel_env(plain, kernel_id="b", policy_file="", spool_dir=None, status_dir=tmp)
        for e in (plain, env):  # warm the bytecode cache
            subprocess.run([sys.executable, "-c", "pass"], env=e, check=True)
        cmd = [sys.executable, "-c", "pass"]
        timings = {"without": [], "with": []}
        for _ in range(20):
            for name, e in (("without", plain), ("with", env)):
                start = time.perf_counter()
                subprocess.run(cmd, env=e, check=True)
                timings[name].append((time.perf_counter() - start) * 1000)
        reported = json.loads(Path(tmp, "b.json").read_text())["startup_ms"]
    return timings, reported


def print_end_to_end(rows, pairs):
    print(
        f"\n## Server gate, end to end (execute_request round trip, JSON protocol, ms; "
        f"{pairs} interleaved pairs)\n"
    )
    print(
        "| cell | no gate p50 | gate p50 | no gate p99 | gate p99 | p99 added "
        "| paired difference p50 | paired difference p99 |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for size in (1024, 10 * 1024):
        off, on = rows[(False, size)], rows[(True, size)]
        paired = [b - a for a, b in zip(off, on)]
        print(
            f"| {size // 1024} KB | {pct(off, 0.5):.2f} | {pct(on, 0.5):.2f} "
            f"| {pct(off, 0.99):.2f} | {pct(on, 0.99):.2f} "
            f"| {pct(on, 0.99) - pct(off, 0.99):+.2f} "
            f"| {pct(paired, 0.5):+.2f} | {pct(paired, 0.99):+.2f} |"
        )
    print(
        "(the paired difference's p99 is mostly the kernel's own spread; the in-process table "
        "below is what the gate itself adds)"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=400, help="interleaved round-trip pairs")
    parser.add_argument("--no-end-to-end", action="store_true", help="in-process part only")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()} on {os.cpu_count()} cores")
    gate_times, heap = in_process()
    print(f"warm-up (the server runs it in the background at start): {WARM_UP_MS[0]:.0f} ms")
    if not args.no_end_to_end:
        rows, memory, reports = end_to_end(args.pairs)
        timings, reported = startup()
        print_end_to_end(rows, args.pairs)
    print("\n## The gate's own work per request (parse + analyse + decide, in process, ms)\n")
    print("| protocol | cell | p50 | p99 | max | CPU p50 | CPU p99 |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for (protocol, size), t in gate_times.items():
        c = CPU_MS.get((protocol, size))
        cpu = f"{pct(c, 0.5):.3f} | {pct(c, 0.99):.3f}" if c else "- | -"
        print(
            f"| {protocol} | {size // 1024 if size else '-'} KB | {pct(t, 0.5):.3f} "
            f"| {pct(t, 0.99):.3f} | {max(t):.3f} | {cpu} |"
        )
    if args.no_end_to_end:
        return
    print("\n## Memory\n")
    print(
        f"server RSS without the gate: {memory[False] / 1024:.1f} MB; with the engine loaded: "
        f"{memory[True] / 1024:.1f} MB ({(memory[True] - memory[False]) / 1024:+.1f} MB); "
        f"V8 heap in use: {heap / 1e6:.1f} MB"
    )
    w, wo = statistics.median(timings["with"]), statistics.median(timings["without"])
    print("\n## Guard start-up in a new Python\n")
    print(
        f"python -c pass: {wo:.1f} ms without, {w:.1f} ms with the Warden sitecustomize "
        f"(+{w - wo:.1f} ms, median of 20); the sitecustomize's own time: {reported} ms; "
        f"kernels reported: {reports} ms"
    )


if __name__ == "__main__":
    main()
