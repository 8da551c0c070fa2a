"""The guard inside real ipykernel kernels started through jupyter_client.

* admin enforcement: a kernelspec written by ``jupyterlab_warden.kernel.guard.kernelspec install``
  starts the kernel through ``jupyterlab_warden.kernel.guard.launch``: guarded before any user code;
* frontend path: ``bootstrap_source`` run as one silent execute request in a kernel that
  cannot import ``jupyterlab_warden`` at all.
"""

import json
import os
import sys
import uuid
from pathlib import Path

import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

from jupyterlab_warden.kernel.boot.launch_keys import KernelKeys
from jupyterlab_warden.kernel.guard import kernelspec
from jupyterlab_warden.lab.bootstrap import bootstrap_source, confirm_source, runtime_rules

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

MALICIOUS_TORCH = """
import os, torch
class Payload:
    def __reduce__(self):
        return os.system, ("touch {marker}",)
torch.save({{"w": torch.zeros(2), "p": Payload()}}, "{path}")
torch.load("{path}", weights_only=False)
"""


class Kernel:
    def __init__(self, km):
        self.km = km
        self.kc = km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)

    def run(self, code, silent=False, user_expressions=None):
        messages = []
        reply = self.kc.execute_interactive(
            code,
            silent=silent,
            store_history=not silent,
            user_expressions=user_expressions or {},
            output_hook=messages.append,
            timeout=180,
        )
        return reply["content"], messages

    def stop(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def _start(spec_dir, name, env, cwd):
    ksm = KernelSpecManager(kernel_dirs=[str(spec_dir)])
    km = KernelManager(kernel_spec_manager=ksm, kernel_name=name, kernel_id=str(uuid.uuid4()))
    # named as jupyter_server's MultiKernelManager names it: the guard reads the kernel id here
    km.connection_file = str(Path(cwd) / (f"kernel-{km.kernel_id}.json"))
    km.start_kernel(env=env, cwd=str(cwd))
    return Kernel(km)


def _comm_messages(messages):
    opens = [m for m in messages if m["msg_type"] == "comm_open"]
    assert all(m["content"]["target_name"] == "jupyterlab-warden" for m in opens)
    return [
        m
        for m in messages
        if m["msg_type"] == "comm_msg" and m["content"]["data"].get("type") == "event"
    ]


def _comm_events(messages):
    return [m["content"]["data"]["event"] for m in _comm_messages(messages)]


def _spool(spool_dir):
    events = []
    for path in sorted(Path(spool_dir).glob("*.jsonl")):
        assert path.stat().st_mode & 0o777 == 0o600
        events += [json.loads(line) for line in path.read_text().splitlines()]
    return events


@pytest.fixture()
def guarded_kernel(tmp_path):
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"schema_version": 1, "revision": 4}))
    spool = tmp_path / "spool"
    prefix = tmp_path / "prefix"
    kernelspec.install(
        name="warden-guarded", prefix=str(prefix), policy_file=str(policy), spool_dir=str(spool)
    )
    spec_dir = prefix / "share" / "jupyter" / "kernels"
    spec = json.loads((spec_dir / "warden-guarded" / "kernel.json").read_text())
    assert spec["argv"][-4:] == [
        "-m",
        "jupyterlab_warden.kernel.guard.launch",
        "-f",
        "{connection_file}",
    ]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), str(HERE)]))
    env.pop("WARDEN_POLICY_FILE", None)
    kernel = _start(spec_dir, "warden-guarded", env, tmp_path)
    yield kernel, spool
    kernel.stop()


def test_launcher_guards_before_any_user_code(guarded_kernel, tmp_path, event_validator):
    kernel, spool = guarded_kernel
    content, _ = kernel.run(
        "import json, jupyterlab_warden.kernel.guard as g\nprint(json.dumps(g.status()))"
    )
    assert content["status"] == "ok"
    marker = tmp_path / "PWNED"
    code = MALICIOUS_TORCH.format(marker=marker, path=tmp_path / "evil.pt")
    content, messages = kernel.run(code)
    assert content["status"] == "error"
    assert content["ename"] == "WardenBlockedLoad"
    assert "posix.system" in content["evalue"]
    assert not marker.exists()
    comm_events = _comm_events(messages)
    assert [e["rule_id"] for e in comm_events] == ["model-file-dangerous-globals"]
    spooled = _spool(spool)
    assert [e["event_id"] for e in spooled] == [e["event_id"] for e in comm_events]
    # The spool took them, so the comm says so and the browser does not forward them again.
    assert [m["content"]["data"]["recorded"] for m in _comm_messages(messages)] == [True]
    assert os.stat(spool).st_mode & 0o777 == 0o700
    for event in spooled:
        event_validator.validate(event)
        assert event["policy_revision"] == 4
        assert event["location"]["kernel_id"] == kernel.km.kernel_id
    # the obfuscated route is stopped by the audit hook itself
    content, _ = kernel.run(
        "import os\n"
        "class P:\n"
        f"    def __reduce__(self): return os.system, ('touch {marker}',)\n"
        "data = __import__('pickle').dumps(P())\n"
        "getattr(__import__('pick' + 'le'), 'loads')(data)\n"
    )
    assert content["ename"] == "WardenBlockedLoad"
    assert not marker.exists()
    # pickle.loads is pre-scanned: the scan refuses the data before the hook sees a global
    assert _spool(spool)[-1]["evidence"]["globals"] == ["posix.system"]


def test_launcher_kernel_runs_benign_torch_work(guarded_kernel, tmp_path):
    kernel, _ = guarded_kernel
    content, messages = kernel.run(
        "import torch\n"
        "m = torch.nn.Linear(4, 2)\n"
        "torch.save(m.state_dict(), %r)\n"
        "sd = torch.load(%r)\n"
        "assert torch.equal(sd['weight'], m.weight)\n" % ((str(tmp_path / "ok.pt"),) * 2)
    )
    assert content["status"] == "ok", content
    assert _comm_events(messages) == []


BLOCKING_LAUNCH = (
    "import sys\n"
    "class NoWarden:\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name.split('.')[0] == 'jupyterlab_warden':\n"
    "            raise ModuleNotFoundError('No module named %r' % name)\n"
    "sys.meta_path.insert(0, NoWarden())\n"
    "from ipykernel import kernelapp\n"
    "kernelapp.launch_new_instance()\n"
)


@pytest.fixture()
def plain_kernel(tmp_path):
    """A kernel whose environment cannot import jupyterlab_warden."""
    spec_dir = tmp_path / "kernels"
    (spec_dir / "nowarden").mkdir(parents=True)
    (spec_dir / "nowarden" / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-c", BLOCKING_LAUNCH, "-f", "{connection_file}"],
                "display_name": "no warden",
                "language": "python",
            }
        )
    )
    env = dict(os.environ, PYTHONPATH=str(HERE), WARDEN_EVENT_SPOOL=str(tmp_path / "spool"))
    kernel = _start(spec_dir, "nowarden", env, tmp_path)
    yield kernel
    kernel.stop()


def _status(content):
    # what the frontend reads: plain JSON in text/plain, no Python repr to undo
    return json.loads(content["user_expressions"]["warden"]["data"]["text/plain"])


def test_bootstrap_installs_guard_in_kernel_without_the_package(plain_kernel, tmp_path):
    kernel = plain_kernel
    # what GET /warden/guard/bootstrap?kernel_id= sends for a kernel this server did not launch
    keys = KernelKeys(str(tmp_path / "keys"))
    key = keys.adopt("k1")

    def signed(policy):
        update = keys.seal(
            "k1",
            policy_json=json.dumps(policy, sort_keys=True),
            policy_file=None,
            rules=runtime_rules(),
        )
        return bootstrap_source(policy, update=update, install_key=key)

    content, _ = kernel.run("import jupyterlab_warden")
    assert content["ename"] == "ModuleNotFoundError"
    policy = {
        "schema_version": 1,
        "revision": 9,
        "rules": {"model-file-dangerous-globals": {"action": "confirm"}},
    }
    content, messages = kernel.run(
        signed(policy), silent=True, user_expressions={"warden": "_warden_guard_status"}
    )
    assert content["status"] == "ok"
    status = _status(content)
    assert status["installed"] is True and status["policy_revision"] == 9
    assert not [m for m in messages if m["msg_type"] in ("stream", "execute_result", "error")]

    marker = tmp_path / "PWNED"
    code = (
        "import os, pickle\n"
        "from warden_testpkg import payloads\n"
        f"pickle.loads(payloads.stack_global_memo({str(marker)!r}))\n"
    )
    content, messages = kernel.run(code)
    assert content["ename"] == "WardenBlockedLoad"
    assert "confirm finding" in content["evalue"]
    assert not marker.exists()
    [event] = _comm_events(messages)
    # pickle.loads is pre-scanned: the scan's rule blocks (old model: the hook's rule)
    assert event["action"] == "blocked"
    assert _spool(tmp_path / "spool")[-1]["event_id"] == event["event_id"]

    # a second bootstrap (kernel restart handling, policy change) updates the same guard
    content, _ = kernel.run(
        signed({"schema_version": 1, "revision": 10}),
        silent=True,
        user_expressions={"warden": "_warden_guard_status"},
    )
    assert _status(content)["policy_revision"] == 10
    assert _status(content)["update_counter"] == 2  # the first was unused: a fresh install
    assert _status(content)["counts"]["loads_blocked"] == 1

    # confirm flow as the frontend drives it: harmless global behind a 'confirm' rule
    kernel.run(
        signed(
            {
                "schema_version": 1,
                "revision": 11,
                "rules": {"model-file-dangerous-globals": {"action": "confirm"}},
            }
        ),
        silent=True,
    )
    harmless = (
        "pickle.loads(b'\\x80\\x04\\x8c\\x08textwrap\\x8c\\x06dedent\\x93\\x8c\\x03  x\\x85R.')"
    )
    content, messages = kernel.run(harmless)
    [event] = _comm_events(messages)
    kernel.run(confirm_source(event["fingerprint"], "checked by hand"), silent=True)
    content, messages = kernel.run(harmless)
    assert content["status"] == "ok"
    assert _comm_events(messages)[0]["action"] == "confirmed"

    # the same kernel's code cannot loosen with an unsigned policy (or replay a used update)
    content, _ = kernel.run(
        bootstrap_source({"schema_version": 1, "revision": 12, "pickle": {"mode": "audit"}}),
        silent=True,
        user_expressions={"warden": "_warden_guard_status"},
    )
    assert _status(content)["mode"] != "audit" and _status(content)["policy_revision"] == 11


def test_bootstrap_into_launcher_guarded_kernel_updates_the_same_guard(guarded_kernel):
    kernel, _ = guarded_kernel
    content, _ = kernel.run(
        bootstrap_source({"schema_version": 1, "revision": 12}),
        silent=True,
        user_expressions={"warden": "_warden_guard_status"},
    )
    status = _status(content)
    assert status["installed"] is True and status["policy_revision"] == 12
    content, messages = kernel.run(
        "import sys\nprint(sorted(m for m in sys.modules if 'warden' in m and 'embedded' in m))"
    )
    out = "".join(m["content"].get("text", "") for m in messages if m["msg_type"] == "stream")
    assert out.strip() == "[]"  # no second copy of the guard was loaded


def _reaching_a_page(messages):
    """The guard's events a page receives, as JupyterLab delivers them: a comm message reaches
    the page only on a comm it saw opened (it drops messages on any other comm id)."""
    opened = {m["content"]["comm_id"] for m in messages if m["msg_type"] == "comm_open"}
    return [m for m in _comm_messages(messages) if m["content"]["comm_id"] in opened]


def test_a_page_whose_bootstrap_follows_an_earlier_event_gets_the_next_event(
    guarded_kernel, tmp_path
):
    # debug72: a launched guard refused a start at the kernel's start, before any page had
    # connected (PATH held node_modules/.bin: fix70age reads it), so its comm_open reached no
    # page, and the page's toast for a later refused load never came: every later event went
    # on that comm. A page reloaded after an event is the same case.
    kernel, spool = guarded_kernel
    load = _REFUSED_LOADS["pickle.loads"].format(marker=tmp_path / "PWNED", path="")
    content, unseen = kernel.run(load)  # no page listened: its messages reach no one
    assert content["ename"] == "WardenBlockedLoad"
    [early] = {m["content"]["comm_id"] for m in unseen if m["msg_type"] == "comm_open"}
    # the page registers the comm target, then runs its bootstrap: from here it listens
    content, boot = kernel.run(
        bootstrap_source({"schema_version": 1, "revision": 12}),
        silent=True,
        user_expressions={"warden": "_warden_guard_status"},
    )
    assert _status(content)["installed"] is True
    content, messages = kernel.run(load)
    assert content["ename"] == "WardenBlockedLoad"
    seen = boot + messages
    [event] = [m["content"]["data"]["event"] for m in _reaching_a_page(seen)]
    assert event["action"] == "blocked"
    assert [e["event_id"] for e in _spool(spool)][-1] == event["event_id"]
    # the earlier comm is closed: a page that knew it lets it go
    assert early in {m["content"]["comm_id"] for m in seen if m["msg_type"] == "comm_close"}
    # a second page's bootstrap reopens it again; the first page sees that comm opened too
    content, boot2 = kernel.run(
        bootstrap_source({"schema_version": 1, "revision": 12}),
        silent=True,
        user_expressions={"warden": "_warden_guard_status"},
    )
    content, messages = kernel.run(load)
    assert len(_reaching_a_page(boot2 + messages)) == 1


_REFUSED_LOADS = {
    "torch.load": MALICIOUS_TORCH,
    "pickle.loads": (
        "import os, pickle\n"
        "class P:\n"
        "    def __reduce__(self): return os.system, ('touch {marker}',)\n"
        "pickle.loads(pickle.dumps(P()))\n"
    ),
    "pickle.load big (fast path)": (
        "import os, pickle\n"
        "class P:\n"
        "    def __reduce__(self): return os.system, ('touch {marker}',)\n"
        "rows = [{{'i': i, 'name': str(i)}} for i in range(80000)]\n"
        "open('{path}', 'wb').write(pickle.dumps([rows, P()], protocol=4))\n"
        "pickle.load(open('{path}', 'rb'))\n"
    ),
    # a file the scan cannot clear (an installed third-party class, judged by the hook), loaded
    # with weights_only=False: the hook refuses it; no 'weights_only=False' warning on top
    "torch.load suspicious": (
        "import torch, packaging.version\n"
        "torch.save({{'v': packaging.version.Version('1.0')}}, '{path}')\n"
        "torch.load('{path}', weights_only=False)\n"
    ),
    "pandas.read_pickle": (
        "import os, pickle, pandas\n"
        "class P:\n"
        "    def __reduce__(self): return os.system, ('touch {marker}',)\n"
        "open('{path}', 'wb').write(pickle.dumps(P()))\n"
        "pandas.read_pickle('{path}')\n"
    ),
    "joblib.load": (
        "import os, joblib\n"
        "class P:\n"
        "    def __reduce__(self): return os.system, ('touch {marker}',)\n"
        "joblib.dump(P(), '{path}')\n"
        "joblib.load('{path}')\n"
    ),
}


def _shown(content):
    """The traceback as IPython shows it in the notebook (colours stripped)."""
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(content["traceback"]))


def _assert_no_warden_frames(text):
    # frames show as "File <path>:<line>, in <function>" (the message may name the scanner CLI)
    assert "jupyterlab_warden/" not in text and "<jupyterlab-warden>" not in text, text
    assert "Could not get source" not in text, text


@pytest.mark.parametrize("call", sorted(_REFUSED_LOADS))
def test_a_refusal_shows_the_users_line_and_makes_one_event(guarded_kernel, tmp_path, call):
    kernel, spool = guarded_kernel
    marker = tmp_path / "PWNED"
    code = _REFUSED_LOADS[call].format(marker=marker, path=tmp_path / "evil.bin")
    before = len(_spool(spool))
    content, messages = kernel.run(code)
    assert content["ename"] == "WardenBlockedLoad", content
    assert not marker.exists()
    shown = _shown(content)
    _assert_no_warden_frames(shown)
    last_line = code.strip().splitlines()[-1]
    assert last_line in shown  # the traceback ends at the user's own call
    assert len(_comm_events(messages)) == 1  # one toast
    assert len(_spool(spool)) == before + 1  # one recorded event


def test_a_failing_load_warden_did_not_refuse_gains_no_warden_frame(guarded_kernel, tmp_path):
    kernel, spool = guarded_kernel
    for code in (
        f"import torch\ntorch.load({str(tmp_path / 'missing.pt')!r})",
        f"import pickle\npickle.load(open({str(tmp_path / 'missing.pkl')!r}, 'rb'))",
        "import pickle\npickle.loads(b'\\x80\\x04K\\x01')",  # truncated: no STOP
    ):
        content, messages = kernel.run(code)
        assert content["status"] == "error"
        assert content["ename"] != "WardenBlockedLoad", content
        _assert_no_warden_frames(_shown(content))
        assert _comm_events(messages) == []
    assert _spool(spool) == []


def test_bootstrapped_guard_refusal_shows_no_embedded_frames(plain_kernel, tmp_path):
    kernel = plain_kernel
    content, _ = kernel.run(
        bootstrap_source({"schema_version": 1, "revision": 3}),
        silent=True,
        user_expressions={"warden": "_warden_guard_status"},
    )
    assert _status(content)["installed"] is True, _status(content)
    marker = tmp_path / "PWNED"
    content, messages = kernel.run(_REFUSED_LOADS["pickle.loads"].format(marker=marker, path=""))
    assert content["ename"] == "WardenBlockedLoad"
    _assert_no_warden_frames(_shown(content))
    assert len(_comm_events(messages)) == 1
    assert not marker.exists()
