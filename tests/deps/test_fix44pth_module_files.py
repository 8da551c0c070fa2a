"""Fix round 44: what fix43pth's archive and ``_ast`` readings must not change.

fix43pth (R39c-3) took a module a ``.pth`` line imports for an archive whenever
``startup_modules.archive_part`` named a part of it: a module file is a file too, so every new
one was refused unvouched (setuptools' editable finder after the kernel's own ``pip install
-e``: test_redteam29_site) and every unchanged one's compiled files went unread. A module is in
an archive only when ``start_files._modules`` found it as the archive folder itself.

fix43pth (R39a-5) read a ``.pth`` import line exactly only while no ``_ast`` class had changed
since the boot; the standard library's ``ast``, which every kernel imports (IPython), adds
``Constant.n``/``.s`` and ``Tuple.dims``, so every kernel read every line's superset. Names
added that compile neither sets nor the reading reads are no change.
"""

import subprocess
import sys
import time
import zipfile
from pathlib import Path

from setuptools.command.editable_wheel import _finder_template

from jupyterlab_warden.kernel.guard.installs import kernel_age, start_files

ROOT = Path(__file__).resolve().parents[2]
FINDER = "__editable___proj_0_1_finder"


def _site(tmp_path: Path, monkeypatch) -> Path:
    """A site folder whose .pth imports setuptools' editable finder, both new."""
    monkeypatch.setattr(kernel_age, "_STARTED", time.time() - 10)
    site = tmp_path / "site-packages"
    site.mkdir()
    (site / "__editable__.proj-0.1.pth").write_text(f"import {FINDER}; {FINDER}.install()\n")
    mapping = {"proj": str(tmp_path / "proj")}
    (site / f"{FINDER}.py").write_text(_finder_template("proj-0.1", mapping, {}))
    return site


def test_a_new_editable_finder_is_vouched_for(tmp_path, monkeypatch):
    site = _site(tmp_path, monkeypatch)
    assert start_files._pth_module_changed([str(site)], []) == ""


def test_a_new_module_a_pth_imports_is_still_refused(tmp_path, monkeypatch):
    site = _site(tmp_path, monkeypatch)
    (site / f"{FINDER}.py").write_text("import os\nos.system('id')\ndef install(): pass\n")
    assert start_files._pth_module_changed([str(site)], []) == str(site / f"{FINDER}.py")


def test_the_compiled_file_of_an_unchanged_module_is_read(tmp_path, monkeypatch):
    """The module is old, its ``__pycache__`` file new and not its source compiled."""
    site = _site(tmp_path, monkeypatch)
    time.sleep(2.1)
    monkeypatch.setattr(kernel_age, "_STARTED", time.time())
    cache = site / "__pycache__"
    cache.mkdir()
    pyc = cache / f"{FINDER}.{sys.implementation.cache_tag}.pyc"
    pyc.write_bytes(b"\0" * 16 + b"not the source compiled")
    assert start_files._pth_module_changed([str(site)], []) == str(pyc)


def test_a_module_in_a_new_archive_a_path_line_adds_is_refused(tmp_path, monkeypatch):
    """R39c-3's reading stays: the archive, new, holds the module a .pth line imports."""
    site = _site(tmp_path, monkeypatch)
    archive = tmp_path / "rt44.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("rt44mod.py", "X = 1\n")
    (site / "rt44.pth").write_text(f"{archive}\nimport rt44mod\n")
    added = start_files.pth_path_entries([str(site)])
    assert start_files._pth_module_changed([str(site)], added) == str(archive)


def test_import_lines_read_exactly_after_the_standard_ast_loads():
    """The guard's boot loads pth_lines before anything imports ``ast``; then it is imported."""
    code = (
        "from jupyterlab_warden.kernel.guard.installs import pth_lines\n"
        "import ast\n"
        f"print(sorted(pth_lines.imported_names('import {FINDER}; {FINDER}.install()')))\n"
        "import _ast\n"
        "_ast.Import.names = property(lambda s: [], lambda s, v: None)\n"
        "print(sorted(pth_lines.imported_names('import rt44mod; rt44mod.go()')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    exact, changed = out.stdout.splitlines()
    assert exact == repr([FINDER]), out
    assert "'rt44mod'" in changed, out  # a field's descriptor still reads the superset
