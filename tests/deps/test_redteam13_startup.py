"""Red team 13: what a child Python runs at START-UP, before any code Warden reads (R13-6,
R13-7, R13-10; ``startup_modules``).

Malicious cases prove themselves as in test_redteam12_starts: the cell installs
warden-demo-pkg from the local index in a kernel without Warden, and is refused before the
installer runs in a kernel of the lab's launch environment. Where the child keeps the guard
(R13-6 with a launch folder, R13-7) the proof is the child itself started with the launch
environment: its start-up code installs although the guard was on its PYTHONPATH.
"""

import os
import subprocess
import sys

import pytest
from launched import system_cell
from real_uv import real_uv

from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR
from jupyterlab_warden.kernel.guard.installs import commands, startup_modules

UV = real_uv()
PY = sys.executable


# encodings that installs, then hands over to the standard library's (R13-10's repro)
ENCODINGS = """
import os, sys
os.system({cmd!r})
here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
del sys.modules["encodings"]
import encodings as _real
sys.modules["encodings"] = _real
"""


# -- R13-10: modules Python imports at start-up from a PYTHONPATH folder ---------------------


@pytest.mark.parametrize("module", ["sitecustomize", "encodings", "quiet-namespace"])
@pytest.mark.parametrize("runs", ["-m pip --version", "train.py", "-c pass"])
def test_a_start_up_module_in_a_pythonpath_folder_is_refused(kernel, module, runs):
    src = kernel.work / "src"
    src.mkdir()
    (kernel.work / "train.py").write_text("print('ok')\n")
    if module == "quiet-namespace":  # a category's namespace folder reaching a submodule
        (src / "quiet").mkdir()
        (src / "quiet" / "sub.py").write_text(kernel.install_cell() + "class W(Warning):\n  pass\n")
        runs = f"-W ignore::quiet.sub.W {runs}"
    elif module == "encodings":
        (src / "encodings").mkdir()
        (src / "encodings" / "__init__.py").write_text(ENCODINGS.format(cmd=kernel.uv_install()))
    else:
        (src / "sitecustomize.py").write_text(kernel.install_cell())
    refused = kernel.proves(system_cell(f"PYTHONPATH=src {PY} {runs}"))
    assert "while it starts, from a PYTHONPATH folder" in refused, refused


def test_a_module_a_site_pth_line_imports_is_a_start_up_module(tmp_path, monkeypatch):
    """`import _virtualenv` in a site folder's .pth runs with PYTHONPATH first on sys.path."""
    site = tmp_path / "site-packages"
    site.mkdir()
    (site / "x.pth").write_text("import _shim_a, os; __import__('_shim_b')\n")
    assert startup_modules.pth_imports([str(site)]) == {"_shim_a", "os", "_shim_b"}


def test_a_usercustomize_in_the_user_site_makes_a_guardless_start_unreadable(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    user = tmp_path / "home" / ".local" / "lib" / "python3.11" / "site-packages"
    user.mkdir(parents=True)
    (user / "usercustomize.py").write_text("print(1)\n")
    env = {"HOME": str(tmp_path / "home")}
    monkeypatch.delenv("PYTHONUSERBASE", raising=False)
    monkeypatch.delenv("PYTHONNOUSERSITE", raising=False)
    with pytest.raises(commands.Unreadable, match="usercustomize"):
        commands.invocations([PY, "-E", "-c", "pass"], 1, env)
    assert commands.invocations([PY, "-E", "-s", "-c", "pass"], 1, env) == []


# -- R13-6: a warning category's module, imported at start-up ------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "PYTHONPATH=src PYTHONWARNINGS=ignore::quiet.W {py} train.py",
        "PYTHONPATH=src {py} -W ignore::quiet.W train.py",
        "PYTHONPATH=src {py} -Wignore::quiet.sub.W -m pip --version",
    ],
)
def test_a_warning_category_module_in_a_pythonpath_folder_is_refused(kernel, line):
    (kernel.work / "src").mkdir()
    (kernel.work / "src" / "quiet.py").write_text(
        kernel.install_cell() + "class W(Warning):\n  pass\n"
    )
    (kernel.work / "train.py").write_text("print('ok')\n")
    refused = kernel.proves(system_cell(line.format(py=PY)))
    assert "quiet" in refused, refused


def test_an_inherited_pythonwarnings_category_module_is_refused(kernel):
    (kernel.work / "src").mkdir()
    (kernel.work / "src" / "quiet.py").write_text(
        kernel.install_cell() + "class W(Warning):\n  pass\n"
    )
    (kernel.work / "train.py").write_text("print('ok')\n")
    cell = "os.environ['PYTHONWARNINGS'] = 'ignore::quiet.W'\n" + system_cell(
        f"PYTHONPATH=src {PY} train.py"
    )
    refused = kernel.proves("import os\n" + cell)
    assert "quiet" in refused, refused


def test_a_guarded_child_imports_a_launch_folders_category_module_before_its_guard(kernel):
    """The child keeps the guard (the launch's own PYTHONPATH), yet the category's module
    runs first: started directly it installs; from the kernel the line is refused."""
    lib = kernel.tmp / "lib"
    lib.mkdir()
    (lib / "quiet.py").write_text(kernel.install_cell() + "class W(Warning):\n  pass\n")
    env = kernel.env(launched=True)
    env["PYTHONPATH"] += os.pathsep + str(lib)  # a folder the lab launched the kernel with
    line = f"{PY} -W ignore::quiet.W -c pass"
    subprocess.run(line, shell=True, env=env, cwd=kernel.work, check=True)
    assert kernel.installed(), "the category module runs before the guard"
    kernel.reset()
    result = kernel.cell(system_cell(line), launched=True, env=env)
    assert result["refused"] and "before Warden's guard starts" in result["refused"], result
    assert kernel.index.requests == [] and not kernel.installed()


@pytest.mark.parametrize(
    "line",
    [
        "PYTHONWARNINGS=ignore {py} train.py",
        "{py} -W ignore::DeprecationWarning train.py",
        "PYTHONWARNINGS=ignore::sklearn.exceptions.ConvergenceWarning {py} train.py",
        "PYTHONPATH=src {py} -W error::UserWarning train.py",
        "PYTHONPATH=src {py} -X importtime -X utf8 train.py",
    ],
)
def test_ordinary_warning_filters_and_project_folders_still_run(kernel, line):
    (kernel.work / "src").mkdir()
    (kernel.work / "src" / "site").mkdir()  # a data folder named like a module: not a package
    (kernel.work / "src" / "model.py").write_text("X = 1\n")
    (kernel.work / "train.py").write_text("import model\nprint(model.X)\n")
    result = kernel.cell(system_cell(line.format(py=PY)), launched=True)
    assert result["refused"] is None, result


# -- R13-7: a pycache prefix or an -X option Warden does not know -----------------------------

MAKE_PYC = """
import importlib.util, marshal, os, struct, sys
src = os.path.join(SITE, "sitecustomize.py")
st = os.stat(src)
folder = os.path.abspath("pfx") + os.path.abspath(SITE)
os.makedirs(folder, exist_ok=True)
code = compile(PAYLOAD, src, "exec")
head = struct.pack("<III", 0, int(st.st_mtime) & 0xFFFFFFFF, st.st_size & 0xFFFFFFFF)
name = "sitecustomize." + sys.implementation.cache_tag + ".pyc"
with open(os.path.join(folder, name), "wb") as out:
    out.write(importlib.util.MAGIC_NUMBER + head + marshal.dumps(code))
"""


@pytest.mark.parametrize(
    "line",
    [
        "{py} -X pycache_prefix=pfx -m pip --version",
        "PYTHONPYCACHEPREFIX=pfx {py} -m pip --version",
    ],
)
def test_a_pycache_prefix_replaces_a_guarded_childs_guard_and_is_refused(kernel, line):
    cell = f"SITE = {SITE_DIR!r}\nPAYLOAD = {kernel.install_cell()!r}\n" + MAKE_PYC
    line = line.format(py=PY)
    env = kernel.env(launched=True)
    subprocess.run([PY, "-c", cell], cwd=kernel.work, env=kernel.env(launched=False), check=True)
    subprocess.run(line, shell=True, env=env, cwd=kernel.work, check=True)
    assert kernel.installed(), "the child ran the .pyc instead of Warden's guard"
    kernel.reset()
    # the kernel's cell writes the same .pyc in its folder, then starts the line
    result = kernel.cell(cell + system_cell(line), launched=True)
    assert result["refused"] and "pycache_prefix" in result["refused"].replace(
        "PYTHONPYCACHEPREFIX", "pycache_prefix"
    ), result
    assert kernel.index.requests == [] and not kernel.installed()


@pytest.mark.parametrize("option", ["pycache_prefix=p", "presite=evil", "no_such_option"])
def test_an_x_option_warden_does_not_know_counts_as_guardless(option):
    assert startup_modules.unknown_x_option(["-X", option])
    assert startup_modules.unknown_x_option([f"-X{option}"])
    with pytest.raises(commands.Unreadable):
        commands.shell_invocations(f"python3 -X {option} -c 'exec(input())'", 0, {})
    assert commands.shell_invocations("python3 -X utf8 -c 'exec(input())'", 0, {}) == []


@pytest.mark.parametrize(
    "options",
    [["-X", "utf8"], ["-Xdev"], ["-X", "importtime"], ["-X", "frozen_modules=on"],
     ["-X", "int_max_str_digits=0"], ["-b", "-X", "faulthandler"], ["-Wignore", "-Xutf8"]],
)  # fmt: skip
def test_harmless_x_options_keep_the_guard(options):
    assert startup_modules.unknown_x_option(options) == ""


def test_warning_modules_are_read_as_python_reads_its_filters(monkeypatch):
    monkeypatch.delenv("PYTHONWARNINGS", raising=False)
    env = {
        "PYTHONWARNINGS": "ignore,default::a.b.W, error::builtins.UserWarning,ignore:m:c.X:mod:3"
    }
    assert startup_modules.warning_modules(["-W", "ignore::d.W", "-Wonce::e.W"], set(), env) == {
        "a", "c", "d", "e"
    }  # fmt: skip
    # -E and -I ignore PYTHONWARNINGS, never -W
    assert startup_modules.warning_modules(["-E", "-W", "ignore::d.W"], {"E"}, env) == {"d"}


def test_a_folder_counts_as_a_start_up_module_only_where_it_can_run_code(tmp_path):
    """A namespace folder named like a start-up module runs nothing (the standard library's
    module wins); a regular package does, and a category's folder may reach a submodule."""
    (tmp_path / "encodings").mkdir()
    assert startup_modules.holder([str(tmp_path)], startup_modules.INIT_MODULES) is None
    (tmp_path / "encodings" / "__init__.py").write_text("")
    assert startup_modules.holder([str(tmp_path)], ["encodings"]).endswith("encodings")
    (tmp_path / "quiet").mkdir()
    assert startup_modules.holder([str(tmp_path)], ["quiet"]).endswith("quiet")
    (tmp_path / "z.zip").write_text("")
    assert startup_modules.holder([str(tmp_path / "z.zip")], ["x"]) == str(tmp_path / "z.zip")
