"""Red team 56e R56e-1: ``site`` formats a ``.pth`` line's exception with ``traceback``'s
FUNCTIONS (``traceback.format_exception``), and on 3.11+ ``format_frame_summary`` calls
``_extract_caret_anchors_from_line_segment``, whose body runs ``import ast`` for every frame
whose source is found. With ``-X frozen_modules=off`` (in ``HARMLESS_X``: a guarded start may
carry it) ``site`` is read from ``site.py``, so its ``exec(line)`` frame has a source line:
``ast`` is imported by name from ``sys.path``, PYTHONPATH folders first, BEFORE the guard's
``sitecustomize``. ``start_imports.SITE_RUNS`` counts ``traceback`` by its module level only
(start_imports.py:46 / ``names_for``'s ``roots`` never read traceback's function bodies, the
rule a ``.pth`` line's called module gets), so ``ast`` is not in ``start_names`` and a
PYTHONPATH folder holding ``ast.py`` is allowed for a guarded start whose site folder has a
``.pth`` line that raises (the case fix72startnames counts: a cell may remove the module a
line imports). Proof: the control shows the folder's ``ast.py`` runs while the start begins;
the reading's assertion FAILS today.
"""

import os
import subprocess
import sys
import time

import pytest
from launched import reading_refusal

from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR
from jupyterlab_warden.kernel.guard.installs import kernel_age, start_files, startup_modules


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rt56e") / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=120
    )
    python = str(folder / "bin" / "python")
    sites = start_files.site_folders(python)
    # a .pth line that raises (its module removed, or a package uninstalled that left its
    # .pth behind: "Error processing line 1 of ...pth"): site prints the traceback
    with open(os.path.join(sites[0], "rt56e.pth"), "w") as handle:
        handle.write("import rt56e_removed_module\n")
    return python, sites


@pytest.fixture
def src(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    marker = tmp_path / "ast-ran"
    (folder / "ast.py").write_text(
        f"open({str(marker)!r}, 'w').write('cell code before the guard')\nfrom _ast import *\n"
    )
    return folder, marker


def test_control_the_folders_ast_runs_while_the_start_begins(venv, src, tmp_path):
    python, _ = venv
    folder, marker = src
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = os.pathsep.join([SITE_DIR, str(folder)])  # a guarded start's
    subprocess.run(
        [python, "-X", "frozen_modules=off", "-c", "pass"],
        env=env, cwd=tmp_path, capture_output=True, timeout=30,
    )  # fmt: skip
    assert marker.exists()


def test_ast_counts_among_the_start_names(venv):
    _, sites = venv
    assert "ast" in startup_modules.start_names(sites)  # FAILS today


def test_the_holder_reading_finds_the_folders_ast(venv, src):
    _, sites = venv
    folder, _ = src
    assert startup_modules.guarded_start_holder([str(folder)], sites)  # FAILS today


def test_a_guarded_start_with_the_kernels_folder_is_refused(venv, src, tmp_path, monkeypatch):
    """The project's ``src`` the kernel was started with (the launch's PYTHONPATH, guard
    folder first, as R56d-2's proof): only ``guarded_start_holder`` reads it."""
    python, _ = venv
    folder, _ = src
    # the kernel started after its venv was set up (the broken .pth is no change of the cell's)
    monkeypatch.setattr(kernel_age, "_STARTED", time.time() + 5)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([SITE_DIR, str(folder)]))
    argv = [python, "-X", "frozen_modules=off", "-c", "pass"]
    assert reading_refusal(argv, tmp_path)  # FAILS today
