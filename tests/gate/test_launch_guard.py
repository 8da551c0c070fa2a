"""The guard from interpreter start, without any browser: a kernel started by POST /api/kernels
refuses a malicious pickle in its first cell, and so does every child Python it starts."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from kernel_ws import KernelWebsocket, run
from labserver_harness import LabServer

from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR, kernel_env

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "guard"))
from warden_testpkg import payloads  # noqa: E402


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    server = LabServer(tmp_path_factory.mktemp("launch-lab")).start()
    yield server
    server.stop()


def payload(tmp_path, name):
    marker = tmp_path / f"marker-{name}"
    path = tmp_path / f"{name}.pkl"
    path.write_bytes(payloads.os_system(marker))
    return path, marker


def execute(lab, kernel_id, code, timeout=180):
    async def scenario():
        async with KernelWebsocket(lab, kernel_id) as ws:
            return await ws.execute(code, timeout=timeout)

    reply, iopub = run(scenario())
    return reply["content"], iopub


def new_kernel(lab):
    status, kernel = lab.request("POST", "/api/kernels", {"name": "python3"})
    assert status == 201, kernel
    return kernel["id"]


def test_first_cell_of_a_kernel_started_without_a_browser_refuses_a_malicious_pickle(lab, tmp_path):
    path, marker = payload(tmp_path, "first-cell")
    kernel_id = new_kernel(lab)
    content, _ = execute(lab, kernel_id, f"import pickle\npickle.load(open({str(path)!r}, 'rb'))")
    assert content["status"] == "error"
    assert content["ename"] == "WardenBlockedLoad"
    assert not marker.exists()


CHILDREN = {
    "subprocess": "children_scenarios.in_subprocess({path!r})",
    "spawn": "children_scenarios.in_pool('spawn', {path!r})",
    "forkserver": "children_scenarios.in_pool('forkserver', {path!r})",
    "executor-spawn": "children_scenarios.in_executor_spawn({path!r})",
    "dataloader-spawn": "children_scenarios.in_dataloader_spawn({path!r})",
    "loky": "children_scenarios.in_loky({path!r})",
}


def test_every_kind_of_child_python_refuses_it_too(lab, tmp_path):
    kernel_id = new_kernel(lab)
    files = {name: payload(tmp_path, name) for name in [*CHILDREN, "control"]}
    calls = ",\n".join(
        f"  {name!r}: " + call.format(path=str(files[name][0])) for name, call in CHILDREN.items()
    )
    control = files["control"][0]
    code = (
        f"import sys, json\nsys.path.insert(0, {str(HERE)!r})\nimport children_scenarios\n"
        f"results = {{\n{calls}\n}}\n"
        "print(json.dumps(results))\n"
    )
    content, iopub = execute(lab, kernel_id, code, timeout=240)
    assert content["status"] == "ok", content
    streams = [m for m in iopub if m["header"]["msg_type"] == "stream"]
    out = "".join(m["content"]["text"] for m in streams)
    results = json.loads(out.strip().splitlines()[-1])
    for name in CHILDREN:
        assert not files[name][1].exists(), (name, results[name])
    # Every child refuses the payload itself: spawned pool workers trust only the pipes their
    # parent handed them, so their own task messages load and the malicious file is refused.
    for name in CHILDREN:
        assert results[name] == "WardenBlockedLoad", (name, results[name])
    # Without Warden's launch environment the same kind of file runs its payload (started
    # from here: the kernel refuses a Python without its guard that loads a pickle, red10
    # R10-10's reading of code Warden cannot read)
    sys.path.insert(0, str(HERE))
    import children_scenarios

    env = children_scenarios.without_warden_env()
    control_result = children_scenarios.in_subprocess(str(control), env=env)
    assert files["control"][1].exists(), control_result


def test_status_reports_each_kernel_guard(lab):
    kernel_id = new_kernel(lab)
    execute(lab, kernel_id, "1")
    status, body = lab.request("GET", "/warden/status")
    (kernel,) = [k for k in body["kernels"] if k["kernel_id"] == kernel_id]
    assert kernel["guard_active"] is True and kernel["errors"] == []
    assert kernel["mode"] == "default" and kernel["since"]
    assert kernel["policy_pinned"] is True and kernel["updates_authenticated"] is True


STATUS_SNIPPET = "import jupyterlab_warden.kernel.guard as g; print(g.status()['installed'])"


def test_site_dir_chains_an_existing_sitecustomize_and_reports_a_failed_install(tmp_path):
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "sitecustomize.py").write_text(
        f"open({str(tmp_path / 'chained')!r}, 'w').write('yes')\n"
    )
    env = kernel_env(
        dict(os.environ, PYTHONPATH=str(theirs)),
        kernel_id="k1",
        policy_file=str(tmp_path / "missing-policy.json"),
        spool_dir=None,
        status_dir=str(tmp_path),
    )
    assert env["PYTHONPATH"].split(os.pathsep)[:2] == [SITE_DIR, str(theirs)]
    out = subprocess.run(
        [sys.executable, "-c", STATUS_SNIPPET],
        env=env,
        capture_output=True,
        text=True,
        cwd=str(tmp_path),
    )
    assert out.stdout.strip() == "True", out.stderr
    assert (tmp_path / "chained").read_text() == "yes"
    report = json.loads((tmp_path / "k1.json").read_text())
    # A missing policy file is not silent: stderr and the report say so.
    assert report["errors"] and "Jupyter Warden guard" in out.stderr


def test_a_guard_that_cannot_be_installed_is_loud(tmp_path):
    # A broken guard package next to the site folder: the copy of site/ below points at it.
    pkg = tmp_path / "jupyterlab_warden"
    (pkg / "kernel" / "boot" / "site").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "kernel" / "__init__.py").write_text("")
    (pkg / "kernel" / "guard.py").write_text("raise ImportError('broken on purpose')\n")
    site = pkg / "kernel" / "boot" / "site"
    (site / "sitecustomize.py").write_text(Path(SITE_DIR, "sitecustomize.py").read_text())
    boot = Path(SITE_DIR).parent
    (pkg / "kernel" / "boot" / "site_boot.py").write_text((boot / "site_boot.py").read_text())
    for module in ("mp_children.py", "mounts.py"):  # the boot folder's own modules
        (pkg / "kernel" / "boot" / module).write_text((boot / module).read_text())
    env = dict(os.environ, PYTHONPATH=str(site), WARDEN_KERNEL_STATUS=str(tmp_path / "k.json"))
    out = subprocess.run(
        [sys.executable, "-c", "print('user code ran')"], env=env, capture_output=True, text=True
    )
    assert "could NOT be installed" in out.stderr and "stops here" in out.stderr
    # fail closed (red team 10 R10-6): no user code runs unguarded
    assert out.returncode == 126 and "user code ran" not in out.stdout
    report = json.loads((tmp_path / "k.json").read_text())
    assert report["installed"] is False and "broken on purpose" in report["errors"][0]
    assert report["exited"] == 126


# R10-6: code in a PYTHONPATH folder after the guard's runs before any sitecustomize (Python
# imports `encodings` first); here it takes away a module the guard's boot imports.
POISON = """import sys
here = sys.path.pop(sys.path.index({folder!r}))
del sys.modules["encodings"]
import encodings
sys.modules["_compat_pickle"] = None  # `import _compat_pickle` now raises ImportError
"""


def test_a_python_whose_guard_cannot_boot_does_not_run_its_code(tmp_path):
    """R10-6: the launch sitecustomize caught the boot's error, said "could NOT be installed"
    and ran the user's code unguarded (its pickles unchecked, its pip undecided)."""
    folder = tmp_path / "shadow"
    (folder / "encodings").mkdir(parents=True)
    (folder / "encodings" / "__init__.py").write_text(POISON.format(folder=str(folder)))
    code = "print('user code ran')"
    env = dict(os.environ, PYTHONPATH=str(folder))
    # without the guard the poison is harmless: the code runs
    control = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert control.stdout.strip() == "user code ran", control.stderr
    env = kernel_env(
        dict(os.environ, PYTHONPATH=str(folder)), kernel_id="k1", policy_file=str(tmp_path / "p"),
        spool_dir=None, status_dir=str(tmp_path),
    )  # fmt: skip
    env["PYTHONPATH"] = SITE_DIR + os.pathsep + str(folder)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 126 and "user code ran" not in out.stdout, out
    assert "could NOT be installed" in out.stderr and "_compat_pickle" in out.stderr


SHADOW = "raise ImportError('a copy of the module in a user folder')\n"


@pytest.mark.parametrize("module", ["_compat_pickle", "__future__"])
def test_a_later_pythonpath_folder_does_not_break_the_guards_boot(tmp_path, module):
    """R10-6 (b): every PYTHONPATH folder precedes the standard library; the guard's boot
    imports its modules without them, so a user folder's copy cannot break (or bend) it."""
    folder = tmp_path / "shadow"
    folder.mkdir()
    (folder / f"{module}.py").write_text(SHADOW)
    env = kernel_env(
        dict(os.environ), kernel_id="k1", policy_file=str(tmp_path / "p"), spool_dir=None,
        status_dir=str(tmp_path),
    )  # fmt: skip
    env["PYTHONPATH"] = SITE_DIR + os.pathsep + str(folder)
    code = "from jupyterlab_warden.kernel import guard; print(guard.status()['installed'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "True", out.stderr


def test_spawned_workers_do_benign_work_and_trust_only_their_parents_pipes(lab, tmp_path):
    """Benign work runs in spawn workers (their task messages are stdlib objects such as
    concurrent.futures' _CallItem, on pipes their parent handed them) and in joblib's loky
    workers (guarded too: they trust only their parent's start-up messages and the pipes
    those handed them, kernel/boot/mp_children.py)."""
    kernel_id = new_kernel(lab)
    code = (
        f"import sys, json\nsys.path.insert(0, {str(HERE)!r})\nimport children_scenarios\n"
        "print(json.dumps(children_scenarios.benign_in_spawn_workers()))\n"
    )
    content, iopub = execute(lab, kernel_id, code, timeout=240)
    assert content["status"] == "ok", content
    out = "".join(m["content"]["text"] for m in iopub if m["header"]["msg_type"] == "stream")
    results = json.loads(out.strip().splitlines()[-1])
    assert results == {
        "executor": [1, 4, 9],
        "dataloader": [0, 1, 2],
        "pool": 6,
        "loky": [1, 4, 9],
    }, results


# R11-3/R11-14: a Python that cannot host the guard (no sys.audit before 3.8) under a name or
# a pyenv choice the kernel reads as a guarded Python. Python 2 cannot compile a sitecustomize
# written for Python 3 and runs on after reporting it; the one Warden ships is written for
# every Python and stops it.
OLD_PYTHONS = [
    f"/root/.pyenv/versions/{v}/bin/python{v.rsplit('.', 1)[0]}" for v in ("2.7.18", "3.6.15")
]


@pytest.mark.parametrize("python", OLD_PYTHONS)
def test_a_python_too_old_for_the_guard_stops_before_user_code(tmp_path, python):
    assert os.path.exists(python), f"needs pyenv's {python} (the machine image has it)"
    marker = tmp_path / "ran"
    code = f"open({str(marker)!r}, 'w').close()"
    # without Warden's folder the payload runs in that Python
    subprocess.run([python, "-c", code], env=dict(os.environ, PYTHONPATH=""), check=True)
    assert marker.exists()
    marker.unlink()
    out = subprocess.run(
        [python, "-c", code], env=dict(os.environ, PYTHONPATH=SITE_DIR), capture_output=True,
        text=True,
    )  # fmt: skip
    assert out.returncode == 126 and not marker.exists(), out.stderr
    assert "could NOT be installed" in out.stderr and "3.8 or later" in out.stderr


def test_a_site_folder_without_its_boot_stops_the_python(tmp_path):
    site = tmp_path / "boot" / "site"
    site.mkdir(parents=True)
    (site / "sitecustomize.py").write_text(Path(SITE_DIR, "sitecustomize.py").read_text())
    out = subprocess.run(
        [sys.executable, "-c", "print('user code ran')"],
        env=dict(os.environ, PYTHONPATH=str(site)), capture_output=True, text=True,
    )  # fmt: skip
    assert out.returncode == 126 and "user code ran" not in out.stdout
    assert "could NOT be installed" in out.stderr and "site_boot.py" in out.stderr
