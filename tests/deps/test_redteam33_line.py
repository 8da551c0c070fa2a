"""Red team 33: the reading of a kernel's shell line before it runs, for the Python starts
after a writer on it (R31-6's rule, ``commands._refuse_start_places_written``, and the
start's own files, ``start_files``).

- R33-9: ``mv x.pth <site>/zz.pth && python train.py`` (and ``ln``, ``ln -f``, ``cp -r``,
  ``cp -a``): these writers' DEST is placed as a tree, which was compared with the start's
  folders only for holding one, never by its name; ``dd of=FILE`` was read as writing nothing
  (its ``of=`` words were taken for assignments).
"""

import glob
import os
import subprocess
import sys

import pytest


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
    from jupyterlab_warden.kernel.guard.installs import commands

    line = line.replace("SITE", _site(folder)).replace("V/", f"{folder}/v/")
    before, path = os.getcwd(), os.environ["PATH"]
    os.chdir(folder)
    os.environ["PATH"] = "/usr/bin:/bin"
    try:
        commands.shell_invocations(line, 0, {})
        return ""
    except commands.Unreadable as exc:
        return str(exc)
    finally:
        os.chdir(before)
        os.environ["PATH"] = path


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
