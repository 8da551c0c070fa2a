"""Red team 13: what a child Python or another interpreter takes from its environment and
the folders around it rather than from the code Warden reads (R13-14, R13-15, R13-16,
R13-21).

Malicious cases prove themselves as in test_redteam13_startup: without Warden the cell's
child installs warden-demo-pkg from the local index; in a kernel of the lab's launch
environment the same cell is refused before the installer runs.
"""

import py_compile
import sys

import pytest
from launched import installed, system_cell
from real_uv import real_uv

from jupyterlab_warden.kernel.guard.installs import commands

UV = real_uv()
PY = sys.executable


# -- R13-16: cached bytecode taken unchecked beside a local module of -c code or a script ----


def test_a_checked_pyc_taken_unchecked_beside_a_scripts_module_is_refused(kernel):
    app = kernel.work / "app"
    (app / "__pycache__").mkdir(parents=True)
    (app / "helper.py").write_text("NAME = 'helper'\n")
    (app / "train.py").write_text("import helper\nprint(helper.NAME)\n")
    payload = app / "payload_src.py"
    payload.write_text(kernel.install_cell() + "NAME = 'helper'\n")
    cache = app / "__pycache__" / f"helper.{sys.implementation.cache_tag}.pyc"
    py_compile.compile(str(payload), cfile=str(cache), doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)  # fmt: skip
    payload.unlink()
    line = f"{PY} -E --check-hash-based-pycs never app/train.py"
    assert "helper" in kernel.proves(system_cell(line))
    # checked as usual, the same pyc is recompiled from the source Warden read: it runs
    assert commands.invocations([PY, "-E", str(app / "train.py")]) == []


# -- R13-15: interpreter options and code paths from the environment ----------------------


def _interpreter_files(kernel) -> None:
    """lib/Evil.pm, e.js and bin/evil install; ./evil is a harmless script of that name."""
    args = [UV, "pip", "install", "-q", "--no-config", "--no-cache", "--python",
            PY, "--target", str(kernel.target), "--index-url", kernel.index.simple,
            "warden-demo-pkg"]  # fmt: skip
    (kernel.work / "lib").mkdir()
    (kernel.work / "lib" / "Evil.pm").write_text(
        "package Evil; system(" + ", ".join(f"'{a}'" for a in args) + "); 1;\n"
    )
    (kernel.work / "e.js").write_text(
        "require('child_process').spawnSync(" + repr(args[0]).replace("'", '"') + ", "
        + repr(args[1:]).replace("'", '"') + ");\n"
    )  # fmt: skip
    (kernel.work / "bin").mkdir()
    (kernel.work / "evil").write_text("print 1;\n")  # what a reading of ./evil sees
    (kernel.work / "bin" / "evil").write_text(  # what perl -S runs: the PATH's
        "system(" + ", ".join(f"'{a}'" for a in args) + ");\n"
    )
    (kernel.work / "bin" / "evil").chmod(0o755)


@pytest.mark.parametrize(
    "line, why",
    [
        ("PERL5OPT=-MEvil PERL5LIB=lib perl -e 'print 1'", "PERL5LIB"),
        ("PERL5OPT='-w -MEvil' perl -Ilib -e 'print 1'", "PERL5OPT"),
        ("NODE_OPTIONS='--require ./e.js' node -e '1'", "NODE_OPTIONS"),
        ("env NODE_OPTIONS='--max-old-space-size=512 -r ./e.js' node -e '1'", "-r"),
        ("PATH={bin}:/usr/bin:/bin perl -S evil", "perl -S"),
    ],
)
def test_an_interpreter_loading_code_from_its_environment_is_refused(kernel, line, why):
    installed("perl")
    if "node" in line:
        installed("node")
    _interpreter_files(kernel)
    line = line.replace("{bin}", str(kernel.work / "bin"))
    assert why in kernel.proves(system_cell(line + " > /dev/null"))  # the kernel's stdout is JSON


def test_an_interpreter_option_variable_inherited_by_the_kernel_is_refused(kernel):
    installed("perl")
    _interpreter_files(kernel)
    code = "import os\nos.environ['PERL5OPT'] = '-MEvil'\n" + system_cell(
        "perl -Ilib -e 'print 1' > /dev/null"
    )
    assert "PERL5OPT" in kernel.proves(code)


@pytest.mark.parametrize(
    "line",
    [
        "NODE_OPTIONS=--max-old-space-size=4096 node -e 'console.log(1)'",
        "PERL5OPT=-w perl -pe 's/a/b/' f.txt",
        "RUBYOPT=-W0 ruby -e 'puts 1'",
        "perl -pe 's/a/b/' f.txt",
    ],
)
def test_interpreter_variables_that_load_no_code_still_run(line):
    assert commands.shell_invocations(line, 0, {}) == []


# -- R13-21: a local module standing in for one the standard library itself imports ---------

STAND_IN_RE = """
import os, sys
os.system({cmd!r})
here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
del sys.modules["re"]
import re as _real
sys.modules["re"] = _real
"""


def test_a_module_the_standard_library_imports_beside_a_script_is_refused(kernel):
    app = kernel.work / "app"
    app.mkdir()
    (app / "re.py").write_text(STAND_IN_RE.format(cmd=kernel.uv_install()))
    (app / "train.py").write_text("import json\nprint(json.dumps([1]))\n")
    why = kernel.proves(system_cell(f"{PY} -E app/train.py > /dev/null"))
    assert "re.py" in why and "standard library" in why


@pytest.mark.parametrize("name", ["test.py", "this.py", "utils.py", "profile.py"])
def test_a_project_module_no_standard_module_imports_still_runs(tmp_path, monkeypatch, name):
    """Named like a standard-library module that none imports (``test``, ``this``) or like
    none (``utils``): the guardless script runs."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text("X = 1\n")
    (tmp_path / "train.py").write_text("import json\nprint(json.dumps([1]))\n")
    assert commands.invocations([PY, "-E", str(tmp_path / "train.py")]) == []


@pytest.mark.parametrize("entry", ["random.py", "tokenize/__init__.py", "fnmatch.pyc"])
def test_stand_ins_reached_through_the_standard_library_are_refused(tmp_path, entry):
    """tempfile -> random, linecache -> tokenize, shutil -> fnmatch; a package and a sourceless
    module stand in as a module does."""
    path = tmp_path / "lib" / entry
    path.parent.mkdir(parents=True)
    path.write_text("X = 1\n")
    with pytest.raises(commands.Unreadable, match="stands in"):
        commands.invocations(
            [PY, "-S", "-c", "import tempfile, shutil, traceback"],
            env={"PYTHONPATH": str(tmp_path / "lib")},
        )


# -- R13-14: a .pth file's code runs before a guarded child's guard -----------------------


def test_a_pth_file_in_a_venv_the_cell_made_is_refused(kernel):
    """`python -m venv --without-pip v` and a .pth in its site-packages: v/bin/python keeps the
    kernel's PYTHONPATH (a guarded child), but site runs the .pth's line first."""
    pth = "import os; os.system(" + repr(kernel.uv_install()) + ")\n"
    code = (
        "import glob, os, subprocess, sys\n"
        "subprocess.run([sys.executable, '-m', 'venv', '--without-pip', 'v'], check=True)\n"
        "site = glob.glob('v/lib/python*/site-packages')[0]\n"
        f"open(os.path.join(site, 'zz.pth'), 'w').write({pth!r})\n"
        + system_cell("v/bin/python -c 'print(1)' > /dev/null")
    )
    assert "zz.pth" in kernel.proves(code)


def test_a_pth_file_in_the_user_site_is_refused_and_benign_ones_run(tmp_path):
    site = tmp_path / "home" / ".local" / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    env = {"HOME": str(tmp_path / "home")}
    (site / "ok.pth").write_text("/some/folder\nimport _virtualenv\n")
    assert commands.invocations(["/usr/bin/python3", "-c", "print(1)"], env=env) == []
    (site / "zz.pth").write_text("import os; os.system('id')\n")
    with pytest.raises(commands.Unreadable, match="zz.pth"):
        commands.invocations(["/usr/bin/python3", "-c", "print(1)"], env=env)
    # with -s the user site is not read: nothing runs it
    assert commands.invocations(["/usr/bin/python3", "-s", "-c", "print(1)"], env=env) == []
