"""Server gate and launch-time guard costs, one run (python bench/server_gate.py).

1. End to end: execute_request round trips (raw websocket, JSON protocol) of ~1 KB and ~10 KB
   cells against two real servers started in this run, the same config except
   ``c.Warden.server_gate``; p50/p99 and the difference.
2. The gate's own work per request, in process (parse + analyse + decide, both protocols):
   what the gate adds to a request, without the kernel's noise.
3. Memory: the server process's RSS with the engine loaded vs with the gate off; V8 heap.
4. Guard start-up: a new Python with the Warden sitecustomize vs without (median of 20), and
   what kernels report at start-up.
"""

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


async def round_trips(server, kernel_id, code, n):
    times = []
    async with KernelWebsocket(server, kernel_id) as ws:
        for _ in range(10):  # warm up
            await ws.execute(code)
        for _ in range(n):
            start = time.perf_counter()
            reply, _ = await ws.execute(code)
            times.append((time.perf_counter() - start) * 1000)
            assert reply["content"]["status"] == "ok", reply["content"]
    return times


def rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def end_to_end():
    rows, memory, reports = {}, {}, []
    for gated in (False, True):
        work = Path(tempfile.mkdtemp(prefix="bench-gate-"))
        server = LabServer(work, warden={"server_gate": gated}).start()
        try:
            status, kernel = server.request("POST", "/api/kernels", {"name": "python3"})
            assert status == 201
            for size in (1024, 10 * 1024):
                times = asyncio.run(round_trips(server, kernel["id"], cell_of(size), N))
                rows[(gated, size)] = times
            memory[gated] = rss_kb(server.proc.pid)
            body = server.request("GET", "/warden/status")[1]
            reports += [k.get("startup_ms") for k in body.get("kernels", [])]
        finally:
            server.stop()
    return rows, memory, reports


def in_process():
    engine = AnalyzerEngine()
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
        engine._ctx.call("JSON.stringify", 1)
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


def main():
    print(f"load average: {os.getloadavg()} on {os.cpu_count()} cores")
    gate_times, heap = in_process()
    rows, memory, reports = end_to_end()
    timings, reported = startup()
    print("\n## Server gate, end to end (execute_request round trip, JSON protocol, ms)\n")
    print("| cell | no gate p50 | gate p50 | no gate p99 | gate p99 | p99 added |")
    print("| --- | --- | --- | --- | --- | --- |")
    for size in (1024, 10 * 1024):
        off, on = rows[(False, size)], rows[(True, size)]
        print(
            f"| {size // 1024} KB | {pct(off, 0.5):.2f} | {pct(on, 0.5):.2f} "
            f"| {pct(off, 0.99):.2f} | {pct(on, 0.99):.2f} "
            f"| {pct(on, 0.99) - pct(off, 0.99):+.2f} |"
        )
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
