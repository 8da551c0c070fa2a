"""Integrity of what a kernel is told (issue 15): the policy file is pinned by the digest the
server puts in the launch environment, and updates pushed to a running guard must carry the
server's HMAC for that kernel, with a growing counter. Real lab server, real kernels."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from kernel_ws import KernelWebsocket, run
from labserver_harness import LabServer, wait_for

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "guard"))
from warden_testpkg import payloads  # noqa: E402

STATUS = (
    "import json, sys\n"
    "_box = []\n"
    "sys.audit('jupyterlab_warden.kernel.guard', 'ping', None, _box)\n"
    "print('WARDEN-STATUS ' + json.dumps(_box[0] if _box else None))\n"
)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("integrity-lab")
    admin = workdir / "admin-policy.json"
    admin.write_text(json.dumps({"schema_version": 1, "revision": 3, "pickle": {"mode": "strict"}}))
    server = LabServer(workdir, warden={"policy_file": str(admin)}).start()
    server.admin_policy = admin
    yield server
    server.stop()


def execute(lab, kernel_id, code, timeout=120):
    async def scenario():
        async with KernelWebsocket(lab, kernel_id) as ws:
            return await ws.execute(code, timeout=timeout)

    reply, iopub = run(scenario())
    return reply["content"], iopub


def stdout(iopub) -> str:
    return "".join(m["content"].get("text", "") for m in iopub if m["msg_type"] == "stream")


def guard_status(lab, kernel_id) -> dict:
    content, iopub = execute(lab, kernel_id, STATUS)
    assert content["status"] == "ok", content
    [line] = [ln for ln in stdout(iopub).splitlines() if ln.startswith("WARDEN-STATUS ")]
    return json.loads(line.split(" ", 1)[1])


def new_kernel(lab) -> str:
    status, kernel = lab.request("POST", "/api/kernels", {"name": "python3"})
    assert status == 201, kernel
    return kernel["id"]


def malicious(tmp_path, name):
    marker = tmp_path / f"marker-{name}"
    path = tmp_path / f"{name}.pkl"
    path.write_bytes(payloads.os_system(marker))
    return path, marker


def load_cell(path) -> str:
    return f"import pickle\npickle.load(open({str(path)!r}, 'rb'))"


CHILD_LOAD = (
    "import os, subprocess, sys\n"
    "env = dict(os.environ)\n"
    "{unpin}"
    "subprocess.run([sys.executable, '-c', {cell!r}], env=env, timeout=120)\n"
)


def test_a_policy_file_rewritten_from_a_notebook_is_refused(lab, tmp_path):
    kernel_id = new_kernel(lab)
    assert guard_status(lab, kernel_id)["policy_pinned"] is True
    # notebook code rewrites every policy file kernels are launched with: audit mode
    tamper = (
        "import glob, json, os\n"
        "folder = os.path.dirname(os.environ['WARDEN_POLICY_FILE'])\n"
        "for name in glob.glob(os.path.join(folder, 'policy*.json')):\n"
        "    open(name, 'w').write(json.dumps({'schema_version': 1, 'revision': 99,\n"
        "                                      'pickle': {'mode': 'audit'}}))\n"
    )
    content, _ = execute(lab, kernel_id, tamper)
    assert content["status"] == "ok", content

    # Proof the tamper works where nothing pins the file: a child Python (guarded, reading the
    # rewritten file) without the digest takes audit mode and the payload runs. The kernel
    # itself no longer starts such a child (its guard would enforce another policy, red team 9
    # R9-1, and it loads a pickle unguarded, red team 10 R10-10), so the test process starts
    # it, with the kernel's own environment.
    path, marker = malicious(tmp_path, "unpinned")
    unpin = "env.pop('WARDEN_POLICY_SHA256')\n"
    content, _ = execute(lab, kernel_id, CHILD_LOAD.format(unpin=unpin, cell=load_cell(path)))
    # the kernel hands its child the pinned digest whatever env it was given (child_path,
    # red team 28c R28c-3): the child refuses the rewritten file, and the load with it
    assert content["status"] == "ok", content
    assert not marker.exists()
    env_file = tmp_path / "kernel-env.json"
    dump = f"import json, os\nopen({str(env_file)!r}, 'w').write(json.dumps(dict(os.environ)))\n"
    content, _ = execute(lab, kernel_id, dump)
    assert content["status"] == "ok", content
    env = json.loads(env_file.read_text())
    env.pop("WARDEN_POLICY_SHA256")
    subprocess.run([sys.executable, "-c", load_cell(path)], env=env, timeout=120)
    assert marker.exists(), "control: an unpinned guard should take the rewritten audit policy"

    # a child with the pinned digest (what every child inherits) refuses the file: no audit
    path, marker = malicious(tmp_path, "pinned-child")
    content, iopub = execute(
        lab, kernel_id, CHILD_LOAD.format(unpin="", cell=load_cell(path) + "\n")
    )
    assert content["status"] == "ok", content
    assert not marker.exists()
    wait_for(
        lambda: any(r["event"]["rule_id"] == "guard-policy-refused" for r in lab.all_events()),
        30,
        what="the guard-policy-refused event",
    )

    # the server checks its file against its memory at each launch and rewrites it: a new
    # kernel gets the admin's policy (strict), not the tamper's audit nor the built-in default
    second = new_kernel(lab)
    status = guard_status(lab, second)
    assert status["mode"] == "strict" and status["policy_pinned"] is True, status
    path, marker = malicious(tmp_path, "new-kernel")
    content, _ = execute(lab, second, load_cell(path))
    assert content.get("ename") == "WardenBlockedLoad", content
    assert not marker.exists()


def test_notebook_code_cannot_loosen_through_the_servers_channel(lab, tmp_path):
    kernel_id = new_kernel(lab)
    before = guard_status(lab, kernel_id)
    assert before["updates_authenticated"] is True and before["mode"] == "strict"
    forge = (
        "import json, sys\n"
        "ev = 'jupyterlab_warden.kernel.guard'\n"
        "loose = {'schema_version': 1, 'revision': 100, 'pickle': {'mode': 'audit'}}\n"
        "sys.audit(ev, 'server_policy', loose, [])\n"
        "msg = json.dumps({'counter': 7, 'policy_json': json.dumps(loose), 'kernel_id': 'x',\n"
        "                  'policy_file': None, 'rules': {}})\n"
        "sys.audit(ev, 'server_policy', {'message': msg, 'mac': '00' * 32}, [])\n"
        "sys.audit(ev, 'server_rules', {}, [])\n"
        "sys.audit(ev, 'tighten', (loose, None), [])\n"
    )
    content, _ = execute(lab, kernel_id, forge)
    assert content["status"] == "ok", content
    after = guard_status(lab, kernel_id)
    assert after["mode"] == "strict" and after["policy_revision"] == before["policy_revision"]
    assert after["policy_updates_refused"] == 2
    path, marker = malicious(tmp_path, "forged")
    content, _ = execute(lab, kernel_id, load_cell(path))
    assert content.get("ename") == "WardenBlockedLoad", content
    assert not marker.exists()


def test_the_labs_signed_update_loosens_once_and_cannot_be_replayed(lab):
    kernel_id = new_kernel(lab)
    assert guard_status(lab, kernel_id)["mode"] == "strict"
    # the admin loosens the policy: strict -> default
    lab.admin_policy.write_text(
        json.dumps({"schema_version": 1, "revision": 4, "pickle": {"mode": "default"}})
    )
    status, bootstrap = lab.request("GET", f"/warden/guard/bootstrap?kernel_id={kernel_id}")
    assert status == 200 and bootstrap["policy_revision"] == 4
    content, _ = execute(lab, kernel_id, bootstrap["source"])
    assert content["status"] == "ok", content
    updated = guard_status(lab, kernel_id)
    assert updated["mode"] == "default" and updated["policy_revision"] == 4
    # counters only rise; the lab may have used one already (the kernel's update file)
    assert updated["update_counter"] >= 1 and updated["policy_updates_refused"] == 0

    # the admin tightens again; replaying the captured (looser) update afterwards is refused
    lab.admin_policy.write_text(
        json.dumps({"schema_version": 1, "revision": 5, "pickle": {"mode": "strict"}})
    )
    _, newer = lab.request("GET", f"/warden/guard/bootstrap?kernel_id={kernel_id}")
    execute(lab, kernel_id, newer["source"])
    assert guard_status(lab, kernel_id)["mode"] == "strict"
    execute(lab, kernel_id, bootstrap["source"])
    replayed = guard_status(lab, kernel_id)
    assert replayed["mode"] == "strict" and replayed["policy_revision"] == 5
    assert replayed["policy_updates_refused"] == 1
    assert any("replay" in e for e in replayed["errors"])


def test_a_restarted_kernel_gets_a_fresh_key_and_the_policy_in_force(lab):
    kernel_id = new_kernel(lab)
    lab.admin_policy.write_text(
        json.dumps({"schema_version": 1, "revision": 6, "pickle": {"mode": "strict"}})
    )
    lab.request("GET", "/warden/status")  # the server re-reads the admin file
    status, _ = lab.request("POST", f"/api/kernels/{kernel_id}/restart")
    assert status == 200
    restarted = guard_status(lab, kernel_id)
    # a new process: pinned to the policy in force now, holding a new key, counter from zero
    assert restarted["policy_pinned"] is True and restarted["updates_authenticated"] is True
    assert restarted["policy_revision"] == 6 and restarted["update_counter"] == 0
    lab.admin_policy.write_text(
        json.dumps({"schema_version": 1, "revision": 7, "pickle": {"mode": "default"}})
    )
    _, bootstrap = lab.request("GET", f"/warden/guard/bootstrap?kernel_id={kernel_id}")
    content, _ = execute(lab, kernel_id, bootstrap["source"])
    assert content["status"] == "ok", content
    updated = guard_status(lab, kernel_id)
    assert updated["policy_revision"] == 7 and updated["mode"] == "default"
    assert updated["policy_updates_refused"] == 0
