"""A fleet ban reaches a kernel that is already running (issue 19): a real lab server linked to
the real central starts a kernel (launch guard, no browser); the kernel loads a file; an admin
bans that file's sha256 at central; within the lab's sync interval the same running kernel
refuses the file. The ban travels central -> lab (signed decisions, verified) -> the kernel's
update file (sealed with the kernel's own key) -> the guard, which checks it before each load."""

import hashlib
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "central"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "gate"))
from kernel_ws import KernelWebsocket, run  # noqa: E402
from labserver_harness import LabServer, wait_for  # noqa: E402
from test_with_real_central import lab_settings  # noqa: E402


def _execute(lab, kernel_id, code, timeout=120):
    async def scenario():
        async with KernelWebsocket(lab, kernel_id) as ws:
            return await ws.execute(code, timeout=timeout)

    reply, _ = run(scenario())
    return reply["content"]


def test_a_ban_at_central_reaches_a_running_kernel(tmp_path, real_central):
    central = real_central
    data = tmp_path / "weights.pkl"
    data.write_bytes(pickle.dumps({"weights": list(range(100))}, protocol=4))
    sha = hashlib.sha256(data.read_bytes()).hexdigest()
    settings = lab_settings(
        central,
        spool_dir=str(tmp_path / "spool"),
        central_poll_interval=0.5,
        server_gate=False,  # the guard channel is under test here, not the cell gate
    )
    lab = LabServer(tmp_path / "lab", settings).start()
    try:
        status, kernel = lab.request("POST", "/api/kernels", {"name": "python3"})
        assert status == 201, kernel
        kernel_id = kernel["id"]
        load = (
            "import pickle, jupyterlab_warden.kernel.guard as g\n"
            "assert g.status()['installed'] and g.status()['updates_authenticated']\n"
            f"print(pickle.load(open({str(data)!r}, 'rb'))['weights'][-1])"
        )
        first = _execute(lab, kernel_id, "_alive = 1\n" + load)
        assert first["status"] == "ok", first  # not banned yet: it loads
        status, body = central.request(
            "PUT",
            f"/api/v1/admin/artifacts/{sha}/decision",
            {"decision": "banned", "note": "found by IR"},
        )
        assert status == 200, body

        def refused():
            reply = _execute(lab, kernel_id, "assert _alive == 1\n" + load)
            if reply["status"] == "ok":
                return None
            return reply

        reply = wait_for(refused, 60, 0.5, "the running kernel to refuse the banned file")
        assert reply["ename"] == "WardenBlockedLoad", reply
        assert "banned" in reply["evalue"]
        # the same kernel process learnt it (a restarted one would fail with NameError above)
    finally:
        lab.stop()
