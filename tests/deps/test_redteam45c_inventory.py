"""Red team 45c: the package inventory (issue 20, "Inventory") reports what the notebook
folder says, not what the kernel runs.

- R45c-1 (MED): ``inventory.collect`` lists ``importlib.metadata.distributions()`` over the
  kernel's ``sys.path``, "the first on sys.path wins" (kernel/guard/installs/inventory.py:40-51).
  A kernel's ``sys.path`` starts with ``''`` (IPython puts the notebook's folder first for user
  code), so a ``NAME-V.dist-info`` folder lying in the notebook folder (a cloned repository,
  an unpacked wheel, or one written on purpose: no cell code needed) is the version the
  inventory reports, with ``imported: true``, while ``import NAME`` loads the real package
  from site-packages. A flagged release looks clean at central (the proof: a policy advisory
  lists the version the kernel really imports; central is shown another). The version of an
  imported package should come from the distribution that owns the module the kernel loaded
  (``module.__file__`` within ``dist.locate_file``/``RECORD``), and a dist-info that provides
  no module the kernel imported from it should not shadow one that does.
- R45c-2 (LOW): the kernel cuts its list to ``MAX_ITEMS`` (2,000) in NAME order
  (inventory.py:52), before the lab's cut that keeps flagged and imported packages first
  (lab/inventory.py:96), and the lab's ``truncated`` is computed after: 2,000 tiny
  ``aaa-N.dist-info`` folders in the notebook folder (or any large environment) drop every
  later name (``torch``, ``transformers``...) from the kernel's file, silently
  (``truncated: false`` at central). The kernel should keep imported packages first when it
  cuts and say that it cut (the lab carrying ``truncated`` on).

Each ``FAILS today`` assertion is the gap; the control beside it passes today.

Fixed on fix51inv: the kernel reads an imported package's version from the distribution that
owns the loaded module, lists every distribution with where it lives, cuts its list (imported
first, names and versions to the lab's lengths) and says so; the lab reports an unreadable
file as a truncated list. The controls that pinned the old behaviour (the notebook folder's
release shown as imported and clean, the kernel's file over 4 MiB) now pin the fixed one.
"""

import json
import subprocess
import sys
import textwrap
import time
import uuid

import pytest
from install_env import REPO
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from launched import launch_env

from jupyterlab_warden.lab import inventory

REAL = __import__("importlib.metadata").metadata.version("jsonschema")
RECORD = {
    "id": "PYSEC-2099-451",
    "summary": "test record: the release the kernel really imports",
    "affected": [{"package": {"ecosystem": "PyPI", "name": "jsonschema"}, "versions": [REAL]}],
}
POLICY = {"schema_version": 1, "revision": 1, "dependencies": {"advisories": [RECORD]}}


def _dist_info(folder, name: str, version: str, top: str) -> None:
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (info / "top_level.txt").write_text(f"{top}\n")


def _lab_view(spool) -> dict:
    snapshot = inventory.policy_advisories(inventory.load_snapshot(), POLICY)
    return inventory.package_inventory(inventory.read_kernel_inventories(str(spool)), snapshot)


@pytest.fixture()
def notebook_kernel(tmp_path):
    """A kernel as the lab starts one (an ordinary ipykernel kernelspec with the lab's launch
    environment, ``launched.launch_env``: the guard from site_boot, the recorder with it)
    in ``tmp_path/nb``, whose folder holds a ``jsonschema-99.0.dist-info`` (no module
    beside it)."""
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps(POLICY))
    spool = tmp_path / "spool"
    spool.mkdir(mode=0o700)
    home = tmp_path / "home"
    home.mkdir()
    spec = tmp_path / "kernels" / "plain45c"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "plain", "language": "python"})
    )
    nb = tmp_path / "nb"
    nb.mkdir()
    _dist_info(nb, "jsonschema", "99.0", "jsonschema")
    ksm = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    km = KernelManager(kernel_spec_manager=ksm, kernel_name="plain45c", kernel_id=str(uuid.uuid4()))
    km.connection_file = str(tmp_path / f"kernel-{km.kernel_id}.json")
    km.start_kernel(env=launch_env(tmp_path, spool, home, policy), cwd=str(nb))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        yield kc, spool
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _loaded_from(kc, code: str) -> str:
    out = []
    kc.execute_interactive(
        code,
        timeout=120,
        output_hook=lambda m: (
            out.append(m["content"].get("text", "")) if m["msg_type"] == "stream" else None
        ),
    )
    return "".join(out).strip()


def test_r45c_1_notebook_folder_dist_info_stands_for_the_imported_package(notebook_kernel):
    kc, spool = notebook_kernel
    where = _loaded_from(
        kc,
        "import sys, jsonschema; print(jsonschema.__file__, '' in sys.path,"
        " sys.modules.get('jupyterlab_warden.kernel.guard') is not None)",
    )
    # the kernel runs the real, flagged jsonschema, guarded, with its folder on sys.path
    assert "site-packages" in where and where.endswith("True True"), where
    deadline = time.monotonic() + 60
    rows = {}
    while time.monotonic() < deadline:
        body = _lab_view(spool)
        rows = {(i["name"], i["version"]): i for i in body["items"] if i["name"] == "jsonschema"}
        if any(r["imported"] for r in rows.values()):
            break
        time.sleep(0.3)  # polled until the kernel's recorder wrote the import, not asserted after
    # was the control: central was told the notebook folder's 99.0, imported and clean; now
    # that dist-info is still listed (it is there), but not as the imported release
    assert rows.get(("jsonschema", "99.0"), {}).get("imported") is False, rows
    # FAILED before the fix: the release the kernel imports, with the policy's advisory on it
    real = rows.get(("jsonschema", REAL))
    assert real and real["imported"] and real["advisories"] == ["PYSEC-2099-451"], rows


CUT = textwrap.dedent(
    """
    import json, os, sys
    folder = sys.argv[1]
    for n in range(2000):
        info = os.path.join(folder, "aaa-%04d-1.0.dist-info" % n)
        os.mkdir(info)
        with open(os.path.join(info, "METADATA"), "w") as fh:
            fh.write("Metadata-Version: 2.1\\nName: aaa-%04d\\nVersion: 1.0\\n" % n)
    os.chdir(folder)
    sys.path.insert(0, "")  # as IPython puts it for user code
    import jsonschema  # noqa: F401
    from jupyterlab_warden.kernel.guard.installs import inventory
    print(inventory.write(sys.argv[2]))
    """
)


def test_r45c_2_kernel_cut_by_name_drops_imported_packages_silently(tmp_path):
    nb = tmp_path / "nb"
    nb.mkdir()
    spool = tmp_path / "spool"
    done = subprocess.run(
        [sys.executable, "-c", CUT, str(nb), str(spool)],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    body = json.loads(open(done.stdout.strip()).read())
    body_items = {i["name"] for i in body["items"]}
    assert "aaa-0000" in body_items  # control: the notebook folder's names are listed
    lab = inventory.package_inventory([body], inventory.load_snapshot())
    names = {i["name"] for i in lab["items"]}
    # FAILED before the fix: jsonschema, imported, was cut from the kernel's file by its name,
    # and central was told the list is whole
    assert "jsonschema" in names or lab["truncated"] is True, (len(names), lab["truncated"])
    # the fix: both (imported first in the kernel's cut, which the kernel says it made)
    assert "jsonschema" in names and body["truncated"] is True and lab["truncated"] is True
    assert len(body["items"]) == 2000 and "aaa-1999" not in body_items  # the stray ones go first


HUGE = textwrap.dedent(
    """
    import os, sys
    folder = sys.argv[1]
    info = os.path.join(folder, "a-1.0.dist-info")
    os.mkdir(info)
    with open(os.path.join(info, "METADATA"), "w") as fh:
        fh.write("Metadata-Version: 2.1\\nName: " + "a" * (5 << 20) + "\\nVersion: 1.0\\n")
    os.chdir(folder)
    sys.path.insert(0, "")  # as IPython puts it for user code
    import jsonschema  # noqa: F401
    from jupyterlab_warden.kernel.guard.installs import inventory
    print(inventory.write(sys.argv[2]))
    """
)


def test_r45c_2_one_long_name_drops_the_kernels_whole_inventory_silently(tmp_path):
    """The same class (R45c-2): the kernel writes names uncut (inventory.py:50-54, the lab
    cuts them to 200 characters only after reading), and the lab skips a file over
    MAX_FILE_BYTES (4 MiB) whole, recording nothing (lab/inventory.py:44-46): one dist-info
    with a 5 MiB ``Name:`` in the notebook folder removes every package of that kernel from
    central's view. Fix: cut names (and the item count, R45c-2) in the kernel to what the lab
    keeps, and report an unreadable inventory file as a problem, not skip it."""
    import os

    nb = tmp_path / "nb"
    nb.mkdir()
    spool = tmp_path / "spool"
    done = subprocess.run(
        [sys.executable, "-c", HUGE, str(nb), str(spool)],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    written = done.stdout.strip()
    # was the control (the kernel wrote over 4 MiB): the kernel now cuts the name as the lab
    # does; the lab's report of a file it cannot read is tests/deps/test_inventory.py's
    assert os.path.getsize(written) < inventory.MAX_FILE_BYTES
    # the reader reads only files of live processes: name the file after this one
    mine = spool / f"{inventory.FILE_PREFIX}{os.getpid()}.json"
    os.replace(written, mine)
    kernels = inventory.read_kernel_inventories(str(spool))
    names = {i["name"] for k in kernels for i in k["items"]}
    assert "jsonschema" in names  # FAILED before the fix: the whole file was skipped
    assert "a" * 200 in names  # the long name, cut to what the lab keeps
