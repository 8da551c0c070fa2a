"""Red team 46b R46b-4 (MED): a stray dist-info in the notebook folder is still taken as the
owner of a package the kernel loaded from its environment, when the environment lies under
the notebook folder (``uv sync`` / ``python -m venv .venv`` in the project, JupyterLab rooted at
the home folder with ``~/miniconda3`` or ``~/.venv``: the kernel's working folder is then an
ancestor of its site-packages).

``inventory._owns`` (kernel/guard/installs/inventory.py:139-158) takes the dist's "own
folder" as ``dist.locate_file("")``: for ``<notebook>/numpy-9.9.dist-info`` that is the whole
notebook folder. A RECORD line ``.venv/lib/python3.X/site-packages/numpy/__init__.py`` (no
``../``) lies inside it and is listed, so the forged 9.9 is reported as IMPORTED beside the
real version: central sees a version the kernel never loaded (a clean one beside a flagged
one, or a flagged one the kernel does not have), which is what R45c-1's fix says cannot be.

Fix: a dist owns a loaded module only when the module's file lies under the dist's path
entry with the module's own top-level name as its first segment (``rel`` starts with
``top/`` or is ``top.py``/``top.<ext>``), i.e. the module was found in the same ``sys.path``
entry as the dist-info; or require ``dist.locate_file("")`` to be the ``sys.path`` entry the
module's spec came from (``module.__spec__.origin`` under that entry, no deeper folder).

R46b-5 (MED, no premise on where the environment is): the same through a namespace package.
An empty folder ``ns/`` in the notebook folder is a portion of a PEP 420 namespace package
(``google``, ``jupyter_*``-style, ``azure``...) loaded from site-packages; ``_owns`` accepts a
namespace package's folder when ANY RECORD line lies below it (inventory.py:151-152), whether
or not that file exists or was loaded, so ``<notebook>/ns_sub-9.9.dist-info`` with RECORD
``ns/sub/__init__.py`` (the file is not there) is reported as imported once the kernel imports
``ns.sub`` from site-packages (protobuf's ``google`` is the real case). Fix: for a namespace
package, own it only through a loaded submodule's file (``sys.modules`` entries under ``top``)
that the RECORD lists and that lies in the dist's folder, never through a folder.

The proof builds the layout (notebook folder on sys.path first, its ``.venv`` site folder
after it, the real package there) and runs ``collect`` in a fresh interpreter.
"""

import json
import os
import subprocess
import sys
import textwrap

WORKTREE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _dist(folder, name, version, record_lines, top=None):
    info = os.path.join(folder, f"{name}-{version}.dist-info")
    os.makedirs(info)
    with open(os.path.join(info, "METADATA"), "w") as fh:
        fh.write(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    with open(os.path.join(info, "RECORD"), "w") as fh:
        fh.write("".join(f"{line},,\n" for line in record_lines))
    if top:
        with open(os.path.join(info, "top_level.txt"), "w") as fh:
            fh.write(top + "\n")


def _collect(tmp_path):
    notebook = tmp_path / "project"
    site = notebook / ".venv" / "lib" / "python3" / "site-packages"
    pkg = site / "rt46bpkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("VALUE = 1\n")
    _dist(str(site), "rt46bpkg", "1.0", ["rt46bpkg/__init__.py"], top="rt46bpkg")
    # the notebook folder's stray dist-info: RECORD names the environment's file, no ../
    _dist(
        str(notebook),
        "rt46bpkg",
        "9.9",
        [".venv/lib/python3/site-packages/rt46bpkg/__init__.py"],
        top="rt46bpkg",
    )
    code = textwrap.dedent(
        f"""
        import json, sys
        sys.path[:0] = [{str(notebook)!r}, {str(site)!r}]
        import rt46bpkg
        from jupyterlab_warden.kernel.guard.installs import inventory
        items = [i for i in inventory.collect() if i["name"] == "rt46bpkg"]
        print(json.dumps(sorted(items, key=lambda i: i["version"])))
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = WORKTREE
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {WORKTREE!r})\n" + code],
        cwd=str(notebook),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return {i["version"]: i for i in json.loads(out.stdout.strip().splitlines()[-1])}


def test_r46b_4_control_the_real_version_is_imported(tmp_path):
    items = _collect(tmp_path)
    assert items["1.0"]["imported"] is True


def test_r46b_4_a_stray_dist_info_above_the_environment_owns_nothing(tmp_path):
    items = _collect(tmp_path)
    assert "9.9" in items  # listed, as any dist on the path is
    assert items["9.9"]["imported"] is False, items  # FAILS today: the forged 9.9 is "imported"


def _collect_namespace(tmp_path):
    notebook = tmp_path / "project"
    site = tmp_path / "env" / "site-packages"
    (site / "rt46bns" / "sub").mkdir(parents=True)  # no rt46bns/__init__.py: PEP 420
    (site / "rt46bns" / "sub" / "__init__.py").write_text("VALUE = 1\n")
    _dist(str(site), "rt46bns-sub", "1.0", ["rt46bns/sub/__init__.py"], top="rt46bns")
    (notebook / "rt46bns").mkdir(parents=True)  # an empty folder: a namespace portion
    _dist(str(notebook), "rt46bns-sub", "9.9", ["rt46bns/sub/__init__.py"], top="rt46bns")
    code = textwrap.dedent(
        f"""
        import json, sys
        sys.path[:0] = [{str(notebook)!r}, {str(site)!r}]
        import rt46bns.sub
        assert rt46bns.sub.__file__.startswith({str(site)!r}), rt46bns.sub.__file__
        from jupyterlab_warden.kernel.guard.installs import inventory
        items = [i for i in inventory.collect() if i["name"] == "rt46bns-sub"]
        print(json.dumps(items))
        """
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {WORKTREE!r})\n" + code],
        cwd=str(notebook),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return {i["version"]: i for i in json.loads(out.stdout.strip().splitlines()[-1])}


def test_r46b_5_control_the_real_namespace_portion_is_imported(tmp_path):
    assert _collect_namespace(tmp_path)["1.0"]["imported"] is True


def test_r46b_5_an_empty_namespace_portion_owns_nothing(tmp_path):
    items = _collect_namespace(tmp_path)
    assert items["9.9"]["imported"] is False, items  # FAILS today
