"""%pip in a real ipykernel started through the admin's guarded kernelspec.

IPython runs %pip as ``sh -c "<python> -m pip ..."`` through pexpect (fork, then exec): the
guard decides at the exec, in the forked child, before the shell starts; the cell shows why.
"""

import json
import uuid

import pytest
from conftest import child_env, spooled
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

from jupyterlab_warden.kernel.guard import kernelspec


@pytest.fixture()
def kernel(tmp_path, index):
    policy = {
        "schema_version": 1,
        "revision": 5,
        "trusted_sources": {"package_indexes": [index.simple]},
    }
    (tmp_path / "policy.json").write_text(json.dumps(policy))
    spool = tmp_path / "spool"
    prefix = tmp_path / "prefix"
    kernelspec.install(
        name="warden-deps",
        prefix=str(prefix),
        policy_file=str(tmp_path / "policy.json"),
        spool_dir=str(spool),
    )
    home = tmp_path / "home"
    home.mkdir()
    env = child_env(spool, home)
    ksm = KernelSpecManager(kernel_dirs=[str(prefix / "share" / "jupyter" / "kernels")])
    km = KernelManager(
        kernel_spec_manager=ksm, kernel_name="warden-deps", kernel_id=str(uuid.uuid4())
    )
    km.connection_file = str(tmp_path / f"kernel-{km.kernel_id}.json")
    km.start_kernel(env=env, cwd=str(tmp_path))
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    yield kc, spool
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def _run(kc, code):
    out = []
    kc.execute_interactive(code, output_hook=out.append, timeout=240)
    return "".join(m["content"].get("text", "") for m in out if m["msg_type"] == "stream")


def _pip_line(tmp_path, index, name, form="%pip install"):
    return (
        f"{form} --no-deps --target {tmp_path / 'target'} --log {tmp_path / 'pip.log'} "
        f"--index-url {index.simple} {name}"
    )


@pytest.mark.parametrize("form", ["%pip install", "!pip install", "pip install"])
def test_a_cell_install_of_an_imitation_name_is_refused_in_the_cell(kernel, index, tmp_path, form):
    """%pip, a shell escape, and automagic (a bare ``pip install`` line runs %pip)."""
    kc, spool = kernel
    index.requests.clear()
    text = _run(kc, _pip_line(tmp_path, index, "torcj", form))
    assert "Jupyter Warden refused" in text and "'torch'" in text, text
    assert not (tmp_path / "pip.log").exists(), "pip started"
    assert index.requests == []
    assert not (tmp_path / "target").exists()
    events = [e for e in spooled(spool) if e["rule_id"].startswith("install-")]
    assert [(e["rule_id"], e["action"]) for e in events] == [("install-imitation-name", "blocked")]
    assert events[0]["location"]["kernel_id"]
    # the kernel itself lives on after the refusal
    assert "alive" in _run(kc, "print('alive')")


def test_percent_pip_from_the_trusted_index_installs(kernel, index, tmp_path):
    kc, spool = kernel
    text = _run(kc, _pip_line(tmp_path, index, "warden-demo-pkg"))
    assert "Successfully installed warden-demo-pkg" in text, text
    assert (tmp_path / "target" / "warden_demo_pkg_mod").is_dir()
    allowed = [e for e in spooled(spool) if e["rule_id"] == "install-allowed"]
    assert allowed and allowed[0]["evidence"]["packages"] == ["warden-demo-pkg"]


def test_subprocess_pip_in_the_kernel_raises_before_pip_starts(kernel, index, tmp_path):
    kc, _spool = kernel
    log = str(tmp_path / "pip.log")
    code = (
        "import subprocess, sys\n"
        "try:\n"
        "    subprocess.run([sys.executable, '-m', 'pip', 'install',\n"
        f"                    '--log', {log!r}, 'scikit-lean'])\n"
        "except PermissionError as exc:\n"
        "    print('REFUSED', type(exc).__name__, exc)\n"
    )
    text = _run(kc, code)
    assert "REFUSED WardenBlockedInstall" in text and "'scikit-learn'" in text, text
    assert not (tmp_path / "pip.log").exists()
