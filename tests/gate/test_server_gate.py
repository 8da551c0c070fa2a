"""The server gate against a real jupyter server and kernel, driven by a raw websocket client in
both wire protocols: blocked code never reaches the kernel, warned code runs and is recorded,
confirm needs a confirmation recorded with the server, debugger evaluate is gated."""

import hashlib
import json
from pathlib import Path

import pytest
from jupyter_client import BlockingKernelClient
from kernel_ws import KernelWebsocket, run
from labserver_harness import LabServer, wait_for

POLICY = {
    "schema_version": 1,
    "revision": 7,
    "rules": {"pickle-load": {"action": "block"}},
}


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    work = tmp_path_factory.mktemp("gate-lab")
    policy = work / "policy.json"
    policy.write_text(json.dumps(POLICY))
    server = LabServer(work, warden={"policy_file": str(policy)}).start()
    status, kernel = server.request("POST", "/api/kernels", {"name": "python3"})
    assert status == 201, kernel
    server.kernel_id = kernel["id"]
    yield server
    server.stop()


def cell(marker: Path, risky: str) -> str:
    # The marker is written before the risky line: if the kernel saw the cell, it exists.
    return f"open({str(marker)!r}, 'w').write('ran')\n{risky}\n"


BLOCKED = "import pickle\npickle.loads(b'N.')"
WARNED = "import marshal\nmarshal.loads(marshal.dumps(1))"
CONFIRM = "if False:\n    torch.hub.load('someone/repo', 'model')"


@pytest.mark.parametrize("protocol", ["json", "v1"])
def test_blocked_cell_never_reaches_the_kernel(lab, tmp_path, protocol):
    marker = tmp_path / "blocked"
    code = cell(marker, BLOCKED)

    async def scenario():
        async with KernelWebsocket(lab, lab.kernel_id, protocol) as ws:
            return await ws.execute(code)

    reply, iopub = run(scenario())
    content = reply["content"]
    assert content["status"] == "error"
    assert content["ename"] == "WardenBlocked"
    assert "pickle-load" in "\n".join(content["traceback"])
    assert reply["channel"] == "shell"
    states = [m["content"]["execution_state"] for m in iopub if m["header"]["msg_type"] == "status"]
    assert states == ["busy", "idle"]
    assert any(m["header"]["msg_type"] == "error" for m in iopub)
    assert not marker.exists()
    # Proof the cell is harmful as written: sent to the kernel's own ZMQ ports (the bypass the
    # threat model names), the same code runs.
    client = BlockingKernelClient(connection_file=_connection_file(lab))
    client.load_connection_file()
    client.start_channels()
    try:
        client.execute_interactive(code, timeout=60)
    finally:
        client.stop_channels()
    assert marker.exists()


@pytest.mark.parametrize("protocol", ["json", "v1"])
def test_warned_cell_runs_and_is_recorded(lab, tmp_path, protocol):
    marker = tmp_path / "warned"
    code = cell(marker, WARNED)

    async def scenario():
        async with KernelWebsocket(lab, lab.kernel_id, protocol) as ws:
            return await ws.execute(code)

    reply, _ = run(scenario())
    assert reply["content"]["status"] == "ok"
    assert marker.read_text() == "ran"
    sha = hashlib.sha256(code.encode()).hexdigest()

    def recorded():
        return [
            row
            for row in lab.all_events()
            if row["event"]["rule_id"] == "marshal-load"
            and row["event"]["evidence"].get("code_sha256") == sha
        ]

    (row,) = wait_for(recorded, 30, what="the warn event")
    event = row["event"]
    assert row["user"]  # stamped by the server
    assert event["action"] == "warned"
    assert event["evidence"]["gate"] == "server"
    assert event["location"]["kernel_id"] == lab.kernel_id
    assert event["policy_revision"] == 7
    assert str(marker) not in json.dumps(event)  # no cell source in events


@pytest.mark.parametrize("protocol", ["json", "v1"])
def test_confirm_cell_runs_once_after_a_confirmation_through_the_server(lab, tmp_path, protocol):
    marker = tmp_path / "confirmed"
    code = cell(marker, CONFIRM)
    sha = hashlib.sha256(code.encode()).hexdigest()

    async def execute():
        async with KernelWebsocket(lab, lab.kernel_id, protocol) as ws:
            return await ws.execute(code)

    reply, _ = run(execute())
    assert reply["content"]["ename"] == "WardenBlocked"
    text = "\n".join(reply["content"]["traceback"])
    assert "/warden/gate/confirm" in text and sha in text and lab.kernel_id in text
    assert not marker.exists()

    # A confirmation for other code, or without authentication, does not count.
    other = hashlib.sha256(b"x").hexdigest()
    body = {"kernel_id": lab.kernel_id, "code_sha256": other}
    assert lab.request("POST", "/warden/gate/confirm", body)[0] == 200
    body = {"kernel_id": lab.kernel_id, "code_sha256": sha}
    assert lab.request("POST", "/warden/gate/confirm", body, token=False)[0] == 403
    assert run(execute())[0]["content"]["ename"] == "WardenBlocked"
    assert not marker.exists()

    status, answer = lab.request("POST", "/warden/gate/confirm", dict(body, justification="ok"))
    assert status == 200, answer
    ran = run(execute())[0]["content"]
    assert ran["status"] == "ok", ran
    assert marker.read_text() == "ran"
    marker.unlink()
    # Single use.
    assert run(execute())[0]["content"]["ename"] == "WardenBlocked"
    assert not marker.exists()


def test_confirm_endpoint_refuses_bad_input(lab):
    status, _ = lab.request("POST", "/warden/gate/confirm", {"kernel_id": "nope", "code": "x"})
    assert status == 404
    bad = {"kernel_id": lab.kernel_id, "code_sha256": "XYZ"}
    assert lab.request("POST", "/warden/gate/confirm", bad)[0] == 400


@pytest.mark.parametrize("protocol", ["json", "v1"])
def test_execute_request_on_the_control_channel_is_gated_too(lab, tmp_path, protocol):
    # ipykernel also runs execute_request received on control.
    marker = tmp_path / "control"

    async def scenario():
        async with KernelWebsocket(lab, lab.kernel_id, protocol) as ws:
            return await ws.execute(cell(marker, BLOCKED), channel="control")

    reply, _ = run(scenario())
    assert reply["content"]["ename"] == "WardenBlocked"
    assert reply["channel"] == "control"
    assert not marker.exists()


@pytest.mark.parametrize("protocol", ["json", "v1"])
def test_user_expressions_are_gated_as_code(lab, tmp_path, protocol):
    # IPython evaluates user_expressions after the cell, even an empty one.
    marker = tmp_path / "expression"
    expression = f"open({str(marker)!r}, 'w').write('ran') or pickle.loads(b'N.')"

    async def scenario():
        async with KernelWebsocket(lab, lab.kernel_id, protocol) as ws:
            content = {"code": "", "silent": True, "user_expressions": {"x": expression}}
            msg = ws.message("shell", "execute_request", content)
            return await ws.request(msg, "execute_reply")

    reply, _ = run(scenario())
    assert reply["content"]["ename"] == "WardenBlocked"
    assert not marker.exists()
    # Straight to the kernel's ZMQ ports, the expression runs.
    client = BlockingKernelClient(connection_file=_connection_file(lab))
    client.load_connection_file()
    client.start_channels()
    try:
        client.execute_interactive("", user_expressions={"x": expression}, timeout=60)
    finally:
        client.stop_channels()
    assert marker.exists()


@pytest.mark.parametrize("protocol", ["json", "v1"])
def test_debugger_evaluate_is_gated(lab, tmp_path, protocol):
    marker = tmp_path / "evaluate"
    expression = f"open({str(marker)!r}, 'w').write('ran') or pickle.loads(b'N.')"

    async def scenario():
        async with KernelWebsocket(lab, lab.kernel_id, protocol) as ws:
            return await ws.debug_evaluate(expression)

    reply = run(scenario())
    assert reply["content"]["success"] is False
    assert reply["content"]["command"] == "evaluate"
    assert "pickle-load" in reply["content"]["message"]
    assert not marker.exists()


def test_status_lists_the_gate_and_the_guarded_kernel(lab):
    status, body = lab.request("GET", "/warden/status")
    assert status == 200
    assert body["gate"]["active"] is True and body["gate"]["fail_closed"] is False
    assert body["gate"]["decisions"]["blocked"] >= 1 or body["gate"]["decisions"]["allowed"] >= 0
    (kernel,) = [k for k in body["kernels"] if k["kernel_id"] == lab.kernel_id]
    assert kernel["guard_active"] is True
    assert kernel["mode"] == "default"
    assert kernel["policy_revision"] == 7
    assert kernel["since"]


def _connection_file(lab) -> str:
    runtime = Path(lab.workdir) / "runtime"
    return str(wait_for(lambda: next(runtime.glob(f"kernel-{lab.kernel_id}.json"), None), 30))


def test_per_kernel_gate_state_is_dropped_when_the_kernel_shuts_down(lab, tmp_path):
    status, kernel = lab.request("POST", "/api/kernels", {"name": "python3"})
    assert status == 201, kernel
    kernel_id = kernel["id"]
    code = "x = 1"

    async def scenario():
        async with KernelWebsocket(lab, kernel_id) as ws:
            return await ws.execute(code)

    reply, _ = run(scenario())
    assert reply["content"]["status"] == "ok"
    # a confirmation left pending for this kernel: also state the gate holds per kernel
    status, _ = lab.request(
        "POST",
        "/warden/gate/confirm",
        {"kernel_id": kernel_id, "code_sha256": hashlib.sha256(b"y = 2").hexdigest()},
    )
    assert status in (200, 201), status
    _, body = lab.request("GET", "/warden/status")
    assert kernel_id in body["gate"]["kernels_tracked"]
    assert any(k["kernel_id"] == kernel_id for k in body["kernels"])

    status, _ = lab.request("DELETE", f"/api/kernels/{kernel_id}")
    assert status == 204
    _, body = lab.request("GET", "/warden/status")
    assert kernel_id not in body["gate"]["kernels_tracked"]
    assert not any(k["kernel_id"] == kernel_id for k in body["kernels"])
    # the kernel's start-up report and update key are gone from the server's runtime folder
    runtime = lab.workdir / "runtime" / "warden"
    assert not list(runtime.glob(f"*/kernels/{kernel_id}.json"))
    assert not list(runtime.glob(f"*/keys/{kernel_id}.key"))


DAP_INIT = {
    "clientID": "raw-client",
    "adapterID": "python",
    "pathFormat": "path",
    "linesStartAt1": True,
    "columnsStartAt1": True,
}


def test_breakpoint_conditions_are_gated_as_code(lab, tmp_path):
    """debugpy evaluates a breakpoint's condition each time the line runs: code."""
    status, kernel = lab.request("POST", "/api/kernels", {"name": "python3"})
    assert status == 201, kernel
    kernel_id = kernel["id"]
    marker = tmp_path / "condition"
    # the marker is written, then 0 stops the chain: pickle.loads is only there for the gate
    condition = f"open({str(marker)!r}, 'w').write('ran') and 0 and pickle.loads(b'N.')"
    benign = "x = 1\ny = 2\n"

    async def with_debugger(ws):
        assert (await ws.debug("initialize", DAP_INIT))["content"]["success"]
        assert (await ws.debug("attach", {}))["content"]["success"]
        dumped = await ws.debug("dumpCell", {"code": benign})
        return dumped["content"]["body"]["sourcePath"]

    def breakpoints(path):
        return {"source": {"path": path}, "breakpoints": [{"line": 2, "condition": condition}]}

    async def scenario():
        async with KernelWebsocket(lab, kernel_id) as ws:
            path = await with_debugger(ws)
            refused = await ws.debug("setBreakpoints", breakpoints(path))
            assert (await ws.debug("configurationDone", {}))["content"]["success"]
            reply, _ = await ws.execute(benign)
            return path, refused, reply

    path, refused, reply = run(scenario())
    assert refused["content"]["success"] is False
    assert "pickle-load" in refused["content"]["message"]
    assert reply["content"]["status"] == "ok"
    assert not marker.exists()

    # Straight to the kernel's ZMQ ports the same breakpoint is set, and the next run of the
    # cell evaluates its condition.
    runtime = Path(lab.workdir) / "runtime"
    client = BlockingKernelClient(
        connection_file=str(next(runtime.glob(f"kernel-{kernel_id}.json")))
    )
    client.load_connection_file()
    client.start_channels()
    try:
        content = {"type": "request", "seq": 1, "command": "setBreakpoints"}
        msg = client.session.msg("debug_request", dict(content, arguments=breakpoints(path)))
        client.control_channel.send(msg)
        wait_for(
            lambda: (
                client.control_channel.get_msg(timeout=30)["parent_header"].get("msg_id")
                == msg["header"]["msg_id"]
            ),
            60,
            what="the debug_reply",
        )
    finally:
        client.stop_channels()

    async def rerun():
        async with KernelWebsocket(lab, kernel_id) as ws:
            return await ws.execute(benign)

    run(rerun())
    assert marker.exists()
