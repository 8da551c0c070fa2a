"""Red team 12: Python process starts Warden read otherwise than the child got them (R12-5,
R12-7, R12-9, R12-10).

Each case is a cell run in a kernel of the lab's launch environment (the guard's site folder
first on PYTHONPATH, a pinned policy that trusts no local index). It proves itself: the same
cell in a kernel without Warden installs from the local index; with Warden the start is
refused before the installer runs (no index request, nothing installed).
"""

import os
import sys

import pytest
from real_uv import real_uv

UV = real_uv()


# -- R12-5: a str subclass whose encode() answers other bytes ------------------------------

SAID = '''
import os, subprocess, sys
class Said(str):
    """reads as its data; os.fsencode (subprocess, after the audit hook) calls this"""
    def encode(self, *a, **k):
        return ANSWER.encode()
'''

UV_PIP = (
    '[{uv!r}, "pip", "install", "-q", "--no-config", "--no-cache", "--python", sys.executable,'
    ' "--target", {target!r}, "warden-demo-pkg"]'
)

PROJECT = """[project]
name = "proj"
version = "0.1"
requires-python = ">=3.8"
dependencies = ["warden-demo-pkg"]

[tool.uv]
package = false

[[tool.uv.index]]
url = "{index}"
default = true
"""


def test_an_env_value_whose_encode_lies_is_refused(kernel):
    """R12-5 (a): UV_INDEX_URL read as PyPI by its data, encoded by subprocess (os.fsencode
    calls the subclass's encode after the audit hook) as the refused index."""
    code = SAID + (
        "ANSWER = {index!r}\nenv = dict(os.environ)\n"
        'env["UV_INDEX_URL"] = Said("https://pypi.org/simple")\n'
        f"subprocess.run({UV_PIP}, env=env, check=True)\n"
    )
    refused = kernel.proves(code)
    assert "str/bytes subclass" in refused and "environment" in refused, refused


def test_an_executable_whose_encode_lies_is_refused(kernel):
    """R12-5 (b): `Said("ls")` read as ls (inert), run as uv: `uv sync` of a project whose
    default index Warden refuses."""
    (kernel.work / "pyproject.toml").write_text(PROJECT.format(index=kernel.index.simple))
    code = SAID + 'ANSWER = {uv!r}\nsubprocess.run([Said("ls"), "sync", "-q"], check=True)\n'
    refused = kernel.proves(code)
    assert "str/bytes subclass" in refused and "program" in refused, refused


def test_a_str_subclass_among_the_arguments_is_read_by_its_data(kernel):
    """No false refusal where C converts the object by its data (argv words, cwd): a numpy-like
    str subclass in argv starts as before."""
    code = (
        "import subprocess\nclass Name(str):\n    pass\n"
        "subprocess.run(['echo', Name('hello')], check=True, cwd=Name('.'))\n"
    )
    assert kernel.cell(code, launched=True)["refused"] is None


# -- R12-10: uv's user config found where uv finds it ---------------------------------------

UV_PIP_LINE = "{uv} pip install -q --no-cache --python {python} --target {target} warden-demo-pkg"


@pytest.mark.parametrize(
    "prefix", ["XDG_CONFIG_HOME=relcfg ", "XDG_CONFIG_HOME= ", "HOME=relhome XDG_CONFIG_HOME= "]
)
def test_uv_reads_the_user_config_where_uv_looks(kernel, prefix):
    """R12-10: uv ignores a relative (or empty) XDG_CONFIG_HOME and reads
    $HOME/.config/uv/uv.toml (a relative HOME from its folder); Warden read the relative
    XDG folder only, and missed the user config naming a refused index."""
    home = kernel.work / "relhome" if "HOME=relhome" in prefix else kernel.home
    (home / ".config" / "uv").mkdir(parents=True)
    (home / ".config" / "uv" / "uv.toml").write_text(f'index-url = "{kernel.index.simple}"\n')
    line = prefix + UV_PIP_LINE.format(uv=UV, python=sys.executable, target="{target}")
    refused = kernel.proves(f"import os\nassert os.system({line!r}) == 0\n")
    assert "127.0.0.1" in refused and "uv.toml" in refused, refused


def test_uv_config_file_is_not_tilde_expanded(kernel):
    """R12-10 family: uv takes UV_CONFIG_FILE=~/c.toml literally (./~/c.toml); Warden read
    $HOME/c.toml (benign) instead of the file uv used (a refused index)."""
    (kernel.home / "c.toml").write_text("")
    (kernel.work / "~").mkdir()
    (kernel.work / "~" / "c.toml").write_text(f'index-url = "{kernel.index.simple}"\n')
    line = "UV_CONFIG_FILE='~/c.toml' " + UV_PIP_LINE.format(
        uv=UV, python=sys.executable, target="{target}"
    )
    refused = kernel.proves(f"import os\nassert os.system({line!r}) == 0\n")
    assert "127.0.0.1" in refused, refused


def test_uv_user_and_system_files_follow_uvs_rules(tmp_path, monkeypatch):
    from jupyterlab_warden.kernel.guard.installs import uv_config

    cwd = str(tmp_path)
    files = uv_config.user_and_system_files(
        {"XDG_CONFIG_HOME": "/abs/cfg", "HOME": "/h", "XDG_CONFIG_DIRS": "rel:/sys"}, cwd
    )
    assert files == [
        "/abs/cfg/uv/uv.toml", f"{cwd}/rel/uv/uv.toml", "/sys/uv/uv.toml",
        "/etc/xdg/uv/uv.toml", "/etc/uv/uv.toml",
    ]  # fmt: skip
    monkeypatch.setenv("HOME", "/kernel-home")  # uv's home_dir: the password database
    import pwd

    user = uv_config.user_and_system_files({"XDG_CONFIG_HOME": "x", "HOME": ""}, cwd)[0]
    assert user == os.path.join(pwd.getpwuid(os.getuid()).pw_dir, ".config", "uv", "uv.toml")


# -- R12-9: the kernel's environment is its unseen children's only guard --------------------

LOKY = """
import os
from joblib.externals.loky import get_reusable_executor
list(get_reusable_executor(max_workers=1).map(abs, [-1]))  # the resource tracker: guarded
{edit}
from pip._internal.cli.main import main
argv = ['install', '-q', '--no-deps', '--target', {target!r}, '-i', {index!r}, 'torcj']
get_reusable_executor(max_workers=1, reuse=False).submit(main, argv).result()
"""


@pytest.mark.parametrize(
    "edit", ["os.environ['PYTHONPATH'] = ''", "del os.environ['PYTHONPATH']",
             "os.environ['PYTHONPATH'] = '/tmp' + os.pathsep + os.environ['PYTHONPATH']"],
)  # fmt: skip
def test_dropping_the_guard_from_the_kernels_environment_is_refused(kernel, edit):
    """R12-9: loky starts its workers through _posixsubprocess.fork_exec (no audit event):
    with the guard's folder gone from the kernel's PYTHONPATH (or another folder before it)
    the worker ran pip from a refused index unguarded. The edit itself is refused now."""
    pytest.importorskip("joblib")
    code = LOKY.replace("{edit}", edit)
    refused = kernel.proves(code, name="torcj")
    assert "os.environ change" in refused and "PYTHONPATH" in refused, refused


def test_a_refused_environment_change_leaves_the_environment_as_it_was(kernel):
    code = (
        "import os\nbefore = os.environ['PYTHONPATH']\ntry:\n"
        "    os.environ['PYTHONPATH'] = ''\nexcept PermissionError:\n    pass\n"
        "assert os.environ['PYTHONPATH'] == before\n"
        "import ctypes\nlibc = ctypes.CDLL(None)\nlibc.getenv.restype = ctypes.c_char_p\n"
        "assert libc.getenv(b'PYTHONPATH').decode() == before\n"
        "os.environ['WARDEN_POLICY_FILE'] = os.environ['WARDEN_POLICY_FILE']  # unchanged: ok\n"
        "os.environ['WARDEN_POLICY_FILE'] = '/tmp/mine.json'\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] and "WARDEN_POLICY_FILE set or cleared" in result["refused"], result


def test_ordinary_environment_edits_of_a_notebook_keep_working(kernel):
    """No false refusal: a folder added after the guard's, other variables, PYTHONHOME unset;
    a child Python still starts (read as a guardless Python's code, as before: one calling an
    installed module is refused since R12-7, its own local modules' names are read)."""
    (kernel.work / "src").mkdir()
    code = (
        "import os, subprocess, sys\n"
        "os.environ['PYTHONPATH'] = os.environ['PYTHONPATH'] + ':src'\n"
        "os.environ['PYTHONPATH'] += os.pathsep + os.path.abspath('src')\n"
        "os.environ['OMP_NUM_THREADS'] = '1'\nos.environ.pop('PYTHONHOME', None)\n"
        "os.environ['CUDA_VISIBLE_DEVICES'] = ''\n"
        "subprocess.run([sys.executable, '-c', 'import sys, json; print(json.dumps(sys.path))'],"
        " check=True)\n"
    )
    assert kernel.cell(code, launched=True)["refused"] is None


# -- R12-7: a guardless Python's starts through names a list of starters missed -------------

PY27 = "/root/.pyenv/versions/2.7.18/bin/python2.7"  # guardless by version (R10-4)


@pytest.mark.parametrize(
    ("python", "code"),
    [
        ("sys.executable", "import posix; posix.system('./ls sync -q')"),
        ("sys.executable", "from distutils.spawn import spawn; spawn(['./ls', 'sync', '-q'])"),
        (repr(PY27), "import popen2; popen2.Popen3('./ls sync -q').wait()"),
    ],
)  # fmt: skip
def test_a_guardless_python_starting_through_an_unlisted_name_is_refused(kernel, python, code):
    """R12-7: `python -I -c CODE` (or a Python 2 child, -E) starting ./ls (a link to uv) through
    posix.system, distutils.spawn or popen2 was read as starting nothing: `uv sync` of a
    project on a refused index installed torcj. Guardless code may now call only what Warden
    knows starts no process (schema/guardless-calls.json)."""
    if python == repr(PY27) and not os.path.exists(PY27):
        pytest.fail(f"{PY27} is part of this machine image (pyenv)")
    (kernel.work / "pyproject.toml").write_text(
        PROJECT.replace("warden-demo-pkg", "torcj").format(index=kernel.index.simple)
    )
    os.symlink(UV, kernel.work / "ls")
    flag = "-E" if python == repr(PY27) else "-I"
    cell = f"import subprocess, sys\nsubprocess.run([{python}, {flag!r}, '-c', {code!r}])\n"
    refused = kernel.proves(cell, name="torcj")
    assert "starts without Warden's guard" in refused, refused


def test_a_guardless_script_using_its_folders_own_module_runs(kernel):
    """No false refusal (R12-7 with the local-module reading): a child Python with a PYTHONPATH
    folder the kernel was not started with is guardless (R11-4), and its code may call what
    its own local modules define: Warden reads those modules by the same rules."""
    (kernel.work / "src").mkdir()
    (kernel.work / "src" / "helpers.py").write_text(
        "import os\nGREETING = 'hi'\ndef greet(name):\n    return os.path.join(GREETING, name)\n"
    )
    code = (
        "import os, subprocess, sys\n"
        "path = os.environ['PYTHONPATH'] + ':' + os.path.abspath('src')\n"
        "env = dict(os.environ, PYTHONPATH=path)\n"
        "subprocess.run([sys.executable, '-c', 'import helpers; print(helpers.greet(\"x\"))'],"
        " env=env, check=True)\n"
    )
    assert kernel.cell(code, launched=True)["refused"] is None


@pytest.mark.parametrize(
    "helpers",
    [
        "from posix import system as run\n",  # a start its own reading never sees called
        "import os\nrun = None\n",  # `helpers.os.system`: a name its import binds
    ],
)
def test_a_local_module_handing_on_a_start_is_refused(kernel, helpers):
    """A local module's own names are code Warden read; a name its imports bind is the
    imported module's: `helpers.run('./ls sync -q')` with `from posix import system as run`
    in helpers.py (./ls a link to uv, a project on a refused index) installed torcj without
    Warden, and is refused with it (by the child's own guard since red team 27b)."""
    (kernel.work / "pyproject.toml").write_text(
        PROJECT.replace("warden-demo-pkg", "torcj").format(index=kernel.index.simple)
    )
    os.symlink(UV, kernel.work / "ls")
    (kernel.work / "src").mkdir()
    (kernel.work / "src" / "helpers.py").write_text(helpers)
    call = "helpers.run" if "posix" in helpers else "helpers.os.system"
    code = (
        "import os, subprocess, sys\n"
        "path = os.environ.get('PYTHONPATH', '') + ':' + os.path.abspath('src')\n"
        "env = dict(os.environ, PYTHONPATH=path)\n"
        f"subprocess.run([sys.executable, '-c', 'import helpers; {call}(\"./ls sync -q\")'],"
        " env=env)\n"
    )
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and kernel.installed("torcj"), plain
    kernel.reset()
    result = kernel.cell(code, launched=True)
    assert kernel.index.requests == [] and not kernel.installed("torcj"), result
    # the child keeps its guard (red team 27b: src holds no module Python imports while it
    # starts), and that guard refuses the start the module hands on
    assert "Jupyter Warden refused `uv sync`" in result["stderr"], result
