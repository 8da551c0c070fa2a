"""Red team 31 R31-1 and R31-3: starts that inherit the kernel's environment keep the guard.

``os.system``, IPython's ``!`` lines (pexpect: ``pty.fork`` + ``os.execv``), ``os.spawnv``,
``os.fork`` + ``os.execv`` and multiprocessing's spawn and forkserver hand their child the C
environ as it is: Warden cannot rewrite their ``env``. After an allowed
``os.environ['PYTHONPATH'] += os.pathsep + d`` (what Warden's own refusal text recommends),
such a start was decided only when it started, on the folders as they then were: a thread
writing ``d/_distutils_hack.py`` between the check and the child's exec ran its code before the
guard (setuptools' distutils-precedence.pth imports it). And a spawn Pool was refused outright.

Now ``os.putenv``/``os.unsetenv`` (which ``os.environ``'s writes call) keep the C environ in the
form ``child_path`` gives a rewritten start: the guard's folder first, the value the notebook
asked for in WARDEN_DEFERRED_PYTHONPATH, put back by the child's boot once its guard is in,
while ``os.environ`` shows the notebook's value. A PYTHONPATH written past them
(``posix.putenv``) is refused.

The proofs are deterministic: the child is a shell that says it started, then waits for the
cell's ``go`` file, which a thread of the cell writes only after ``d/_distutils_hack.py``.
"""

import sysconfig
from pathlib import Path

import pytest

# the child: a shell that says it started, waits for `go`, then runs the kernel's Python,
# which imports _distutils_hack from its PYTHONPATH folders while site runs
LINE = (
    "touch started; while [ ! -e go ]; do sleep 0.02; done; "
    "{{py}} -c \"open('child-ran', 'w').write('1')\""
)
HEAD = (
    "import os, shutil, subprocess, sys, threading, time\n"
    "shutil.rmtree('d', ignore_errors=True); os.makedirs('d')\n"
    "for f in ('go', 'started', 'child-ran'):\n"
    "    os.path.exists(f) and os.remove(f)\n"
    "d = os.path.abspath('d')\n"
    "line = {line!r}.replace('{{py}}', sys.executable)\n"
    "def later():\n"
    "    deadline = time.time() + 60\n"
    "    while not os.path.exists('started') and time.time() < deadline:\n"
    "        time.sleep(0.02)\n"
    "    open('d/_distutils_hack.py', 'w').write(\n"
    "        'import os\\nos.system(' + repr({install!r}) + ')\\n')\n"
    "    open('go', 'w').close()\n"
    "writer = threading.Thread(target=later)\n"
)
ADD = "os.environ['PYTHONPATH'] += os.pathsep + d\n"
STARTS = {
    "os-system": "os.system(line)\n",
    # what ipykernel's `!line` runs (ZMQInteractiveShell.system_piped)
    "ipython-bang": "from IPython.utils._process_posix import system\nsystem(line)\n",
    "spawnv": "os.spawnv(os.P_WAIT, '/bin/sh', ['/bin/sh', '-c', line])\n",
    "fork-execv": (
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    os.execv('/bin/sh', ['/bin/sh', '-c', line])\n"
        "os.waitpid(pid, 0)\n"
    ),
}
# the ways the kernel's PYTHONPATH is given d after the launch folders
CHANGES = {
    "environ-add": ADD,
    "environ-set": "os.environ['PYTHONPATH'] = os.environ['PYTHONPATH'] + os.pathsep + d\n",
    "putenv": "os.putenv('PYTHONPATH', os.environ['PYTHONPATH'] + os.pathsep + d)\n",
    "environ-update": ("os.environ.update(PYTHONPATH=os.environ['PYTHONPATH'] + os.pathsep + d)\n"),
}
TAIL = "writer.start()\n{start}writer.join()\nassert os.path.exists('child-ran')\n"


def _cell(kernel, start: str, change: str = "environ-add") -> str:
    head = HEAD.replace("{line!r}", repr(LINE)).replace("{install!r}", repr(kernel.uv_install()))
    return head + CHANGES[change] + TAIL.replace("{start}", STARTS[start])


@pytest.fixture(autouse=True)
def _setuptools_pth():
    site = Path(sysconfig.get_paths()["purelib"])
    assert (site / "distutils-precedence.pth").is_file(), f"setuptools is needed in {site}"


@pytest.mark.parametrize("start", list(STARTS))
def test_an_inherited_start_after_an_allowed_pythonpath_change_keeps_the_guard(kernel, start):
    """R31-1: the child inherits the guard's folder first, d deferred until its guard is in:
    the _distutils_hack written between the start's check and its Python never runs."""
    kernel.never_runs_with_warden(_cell(kernel, start))


@pytest.mark.parametrize("change", [c for c in CHANGES if c != "environ-add"])
def test_every_way_of_setting_the_pythonpath_keeps_the_guard(kernel, change):
    kernel.never_runs_with_warden(_cell(kernel, "os-system", change))


def test_the_kernel_sees_its_own_value_and_children_get_it_after_the_guard(kernel):
    """os.environ (and os.getenv) keep the notebook's value; the C environ holds the guard's
    folder first; a child Python finds d first on sys.path, with its guard in; setting the
    value back, or deleting it, leaves no deferred value behind."""
    (kernel.work / "src").mkdir()
    code = (
        "import ctypes, json, os, subprocess, sys\n"
        "libc = ctypes.CDLL(None); libc.getenv.restype = ctypes.c_char_p\n"
        "def c(name):\n"
        "    v = libc.getenv(name.encode())\n"
        "    return None if v is None else v.decode()\n"
        "launch = os.environ['PYTHONPATH']\n"
        "src = os.path.abspath('src')\n"
        "os.environ['PYTHONPATH'] += os.pathsep + src\n"
        "assert os.environ['PYTHONPATH'] == launch + os.pathsep + src\n"
        "assert os.getenv('PYTHONPATH') == launch + os.pathsep + src\n"
        "assert c('PYTHONPATH') == launch, c('PYTHONPATH')\n"
        "assert c('WARDEN_DEFERRED_PYTHONPATH') == launch + os.pathsep + src\n"
        "probe = ('import json, sys; guard = \"jupyterlab_warden.kernel.guard\"; '\n"
        "         'print(json.dumps([sys.path, guard in sys.modules]))')\n"
        "out = subprocess.check_output([sys.executable, '-c', probe], text=True)\n"
        "path, guarded = json.loads(out)\n"
        "path = [p for p in path if p]  # '' (python -c's folder) goes first after site\n"
        "words = [os.path.abspath(w) for w in (launch + os.pathsep + src).split(os.pathsep)]\n"
        "assert guarded and path[: len(words)] == words, out\n"
        "os.environ['PYTHONPATH'] = launch\n"
        "assert c('PYTHONPATH') == launch and c('WARDEN_DEFERRED_PYTHONPATH') is None\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result


def test_a_pythonpath_written_past_os_environ_is_refused(kernel):
    """posix.putenv writes the C environ without the reroute: refused, before it changes."""
    posix = "import posix\nposix.putenv('PYTHONPATH', os.environ['PYTHONPATH'] + os.pathsep + d)\n"
    refused = kernel.proves(_cell(kernel, "os-system").replace(ADD, posix))
    assert "posix.putenv" in refused, refused


def test_unsetting_past_os_environ_is_refused(kernel):
    """posix.unsetenv would leave the children no PYTHONPATH at all: refused (in the kernel
    by its own rule already), and the C environ keeps the guard's folder."""
    code = (
        "import ctypes, os, posix\n"
        "libc = ctypes.CDLL(None); libc.getenv.restype = ctypes.c_char_p\n"
        "launch = os.environ['PYTHONPATH']\n"
        "try:\n"
        "    posix.unsetenv('PYTHONPATH')\n"
        "except PermissionError:\n"
        "    pass\n"
        "else:\n"
        "    raise AssertionError('not refused')\n"
        "assert libc.getenv(b'PYTHONPATH').decode() == launch\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result


POOL = """
import os, sys
import multiprocessing as mp
os.makedirs('src/mylib', exist_ok=True)
open('src/mylib/__init__.py', 'w').write(
    'import os, sys\\n'
    'def seen(_):\\n'
    '    return (os.path.dirname(os.path.dirname(__file__)),\\n'
    '            "jupyterlab_warden.kernel.guard" in sys.modules)\\n')
src = os.path.abspath('src')
os.environ['PYTHONPATH'] += os.pathsep + src
sys.path.insert(0, src)
import mylib
if __name__ == '__main__':
    with mp.get_context({kind!r}).Pool(2) as p:
        out = p.map(mylib.seen, [1, 2])
    open('ran', 'w').write(repr(out))
"""


@pytest.mark.parametrize("kind", ["spawn", "forkserver"])
def test_a_spawn_pool_runs_after_pythonpath_gets_src(kernel, kind):
    """R31-3: the Pool's Pythons (the resource tracker, the forkserver, the workers) inherit
    the guard's folder first; src is put back once their guard is in, and the worker finds
    its module there."""
    ran = kernel.work / "ran"
    if ran.exists():
        ran.unlink()
    result = kernel.cell(POOL.replace("{kind!r}", repr(kind)), launched=True)
    assert result["refused"] is None, result
    out = eval(ran.read_text())  # noqa: S307 - the test's own repr
    assert out == [(str(kernel.work / "src"), True)] * 2, out
