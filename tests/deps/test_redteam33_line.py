"""Red team 33: the reading of a kernel's shell line before it runs, for the Python starts
after a writer on it (R31-6's rule, ``commands._refuse_start_places_written``, and the
start's own files, ``start_files``).

- R33-9: ``mv x.pth <site>/zz.pth && python train.py`` (and ``ln``, ``ln -f``, ``cp -r``,
  ``cp -a``): these writers' DEST is placed as a tree, which was compared with the start's
  folders only for holding one, never by its name; ``dd of=FILE`` was read as writing nothing
  (its ``of=`` words were taken for assignments).
- R33-6: ``cp evil.sh <venv>/bin/python && <venv>/bin/python train.py``: the Python's own
  program file (or a link on its way, its real file) written before its start.
- R33-3: ``cp evil.cfg <venv>/pyvenv.cfg && python train.py``: the cfg's ``home`` gives the
  next Python another standard library.
- R33-4: a ``._pth`` getpath reads (``<program>._pth``) makes the Python start isolated with no
  site, so no guard: refused when one is there, and as a start-up name for R31-6's rule.
- R33-7: a guarded Python writing a pyenv hook, named nowhere on the line, before a shim.
"""

import glob
import subprocess
import sys

import pytest
from launched import line_refusal
from test_redteam32_misc import PYENV_HOOK, _cell, shims  # noqa: F401 (fixture)


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A venv of the test's Python (no pip), with a ``pip`` console script of its own."""
    root = tmp_path_factory.mktemp("r33")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / "v")], check=True)
    v = root / "v"
    pip = v / "bin" / "pip"
    pip.write_text(f"#!{v}/bin/python\nimport sys\nfrom pip._internal.cli.main import main\n")
    pip.chmod(0o755)
    (root / "x.pth").write_text("import os\n")
    (root / "train.py").write_text("\n")
    return root


def _site(venv) -> str:
    return glob.glob(str(venv / "v" / "lib" / "python3*" / "site-packages"))[0]


def _reading(line: str, folder) -> str:
    """The refusal of ``line`` read in ``folder`` with system folders only on PATH ('' when it
    runs); V is the venv, SITE its site folder."""
    line = line.replace("SITE", _site(folder)).replace("V/", f"{folder}/v/")
    return line_refusal(line, folder, {})


@pytest.mark.parametrize(
    "line",
    ["mv x.pth SITE/zz.pth && V/bin/python train.py",
     "ln x.pth SITE/zz.pth && V/bin/python train.py",
     "ln -f x.pth SITE/zz.pth; V/bin/python -c pass",
     "cp -r x.pth SITE/zz.pth && V/bin/python train.py",
     "cp -a x.pth SITE/zz.pth && V/bin/python train.py",
     "dd if=x.pth of=SITE/zz.pth && V/bin/python train.py",
     "mv x.pth SITE/zz.pth; V/bin/pip --version"],
)  # fmt: skip
def test_a_tree_writer_or_dd_of_a_start_up_name(venv, line):
    """R33-9: the writer's DEST is itself a .pth of the start's site folder."""
    refused = _reading(line, venv)
    assert "zz.pth" in refused, refused


@pytest.mark.parametrize(
    "line",
    ["V/bin/python prep.py && V/bin/python train.py",
     "cp -r data/ out/ && V/bin/python train.py",
     "mv a.csv b.csv && V/bin/python train.py",
     "dd if=a.csv of=b.csv && V/bin/python train.py",
     "mv x.pth SITE/notes.txt && V/bin/python train.py"],
)  # fmt: skip
def test_ordinary_writers_before_a_start_run(venv, line):
    """False-refusal guards: writers of names no start runs."""
    assert _reading(line, venv) == ""


@pytest.mark.parametrize(
    "line",
    ["cp x.pth V/bin/python && V/bin/python train.py",
     "cp --remove-destination x.pth V/bin/python && V/bin/python train.py",
     "cp x.pth V/bin/python3 && V/bin/python train.py",
     "V/bin/python w.py V/bin/python && V/bin/python train.py",
     "V/bin/python3 w.py V/bin/python; V/bin/python train.py",
     "cp x.pth V/bin/python; V/bin/pip --version"],
)  # fmt: skip
def test_the_pythons_program_file_written_before_it_starts(venv, line):
    """R33-6: the program, a link on its way (python3 leads to the same real file), a guarded
    Python naming it, the interpreter of a console script."""
    refused = _reading(line, venv)
    assert "a file the Python" in refused, refused


@pytest.mark.parametrize(
    "line",
    ["cp x.pth V/pyvenv.cfg && V/bin/python train.py",
     "cat x.pth > V/pyvenv.cfg; V/bin/python -c pass",
     "cp x.pth V/bin/pyvenv.cfg && V/bin/python train.py",
     "V/bin/python w.py V/pyvenv.cfg && V/bin/python train.py",
     "cp x.pth V/pyvenv.cfg; V/bin/pip --version"],
)  # fmt: skip
def test_the_venv_config_written_before_a_start(venv, line):
    """R33-3: pyvenv.cfg beside the program or one folder up."""
    refused = _reading(line, venv)
    assert "pyvenv.cfg" in refused, refused


@pytest.mark.parametrize(
    "line",
    ["cp x.pth V/bin/python._pth && V/bin/python train.py",
     "mv x.pth V/bin/zz._pth && V/bin/python train.py",
     'cat x.pth > "$D/python._pth"; V/bin/python -c pass'],
)  # fmt: skip
def test_a_pth_config_written_before_a_start(venv, line):
    """R33-4 on the line: a ._pth beside the program (any *._pth name in its folders)."""
    refused = _reading(line, venv)
    assert "_pth" in refused, refused


def test_a_pth_config_beside_the_program_is_refused(venv):
    """R33-4: written before the line, it is there when the start is read."""
    pth = venv / "v" / "bin" / "python._pth"
    pth.write_text("/nowhere\n")
    try:
        refused = _reading("V/bin/python train.py", venv)
    finally:
        pth.unlink()
    assert "._pth file" in refused and "isolated" in refused, refused
    assert _reading("V/bin/python train.py", venv) == ""


def test_a_pth_config_beside_the_kernels_python(own_kernel):
    """R33-4: the cell writes ``sys.executable + '._pth'``; subprocess.run([sys.executable,
    'train.py']) then starts with no site, no guard."""
    code = (
        "import os, subprocess, sys\npth = sys.executable + '._pth'\n"
        "open('train.py', 'w').write('import os; os.system(' + repr(INSTALL) + ')')\n"
        "open(pth, 'w').write(os.path.dirname(os.__file__) + '\\n')\n"
        "try:\n    subprocess.run([sys.executable, 'train.py'])\n"
        "finally:\n    os.remove(pth)\n"
    )
    refused = own_kernel.proves(_cell(own_kernel, code))
    assert "._pth" in refused, refused


PYENV_WRITER = (
    "/pyenv.d/exec/zz_r33.bash",
    "open('w.py', 'w').write('import shutil; shutil.copy(\"x.bash\", ' + repr(HOOK) + ')'); "
    "os.system(sys.executable + ' w.py && python3 -c pass')",
)


def test_a_guarded_writer_of_a_pyenv_hook(kernel, shims):  # noqa: F811 (the fixture)
    """R33-7: w.py (a guarded Python) copies a hook into the shim's root, named nowhere on the
    line; the shim python3 after it would source it. w.py's guard refuses the write (the
    root of the shims on its PATH: ``start_writes``), so w.py fails and the shim never runs."""
    hook, start = PYENV_WRITER
    code = "import sys\n" + PYENV_HOOK.format(root=str(shims.parent), hook=hook)
    code = code.replace("START", start)
    blocked = kernel.child_refuses(_cell(kernel, code, PAYLOAD=kernel.uv_install() + "\n"))
    assert any("zz_r33.bash" in e["message"] for e in blocked), blocked
