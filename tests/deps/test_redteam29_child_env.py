"""Red team 28c R28c-3 and 29b R29b-1/2: a child whose environment would drop the guard gets it.

A Python started with a PYTHONPATH that does not put the guard's folder first would start
without the guard; Warden read such a start as guardless when it was decided, looking in its
folders for a ``sitecustomize``. That reading could not hold: ``Popen`` returns once the child
has exec'd, and the cell's next line writes ``d/sitecustomize.py`` before the child's Python
reaches ``site``. Now every start Warden can rewrite (``subprocess``, ``os.posix_spawn``,
``os.execve`` under ``os.spawnve``) gets the guard's folder first, its own PYTHONPATH put back
once the guard is in, and the lab's policy, digest and spool (``child_path``): the child
decides its own installs, and a ``sitecustomize`` in its folders is chained after the guard.

The proofs are deterministic: the child is a shell that waits for the cell's ``go`` file, which
the cell writes only after the ``sitecustomize``, then starts python3. Without Warden the
package lands; with Warden the cell is not refused (nothing is wrong with the start), the
child's guard refuses its install before the index is asked, says so on the kernel's stderr
and records it in the kernel's spool.
"""

import sysconfig
from pathlib import Path

import pytest

# the child: a shell that waits for `go`, then runs python3 (which reads d at its start)
WAIT = "while [ ! -e go ]; do sleep 0.02; done; exec python3 -c pass"
HEAD = (
    "import os, shutil, subprocess, sys\n"
    "shutil.rmtree('d', ignore_errors=True); os.makedirs('d')\n"
    "os.path.exists('go') and os.remove('go')\n"
    "d = os.path.abspath('d')\n"
)
# written after the start returned, then `go`: the module the child imports from d
LATER = (
    "open('d/{module}.py', 'w').write("
    "'import os\\nos.system(' + repr({install!r}) + ')\\n')\n"
    "open('go', 'w').close()\n"
)
SHELL = f"['/bin/sh', '-c', {WAIT!r}]"

STARTS = {
    # R28c-3: PYTHONPATH without the guard's folder, given to one Popen start
    "popen-pythonpath": f"p = subprocess.Popen({SHELL}, env=dict(os.environ, PYTHONPATH=d))\n",
    # an env with no Warden variable at all: the lab's policy and spool are handed on
    "popen-bare-env": (
        f"p = subprocess.Popen({SHELL}, env={{{{'PATH': os.environ['PATH'], 'PYTHONPATH': d}}}})\n"
    ),
    # R29b-1: the PYTHONPATH as bytes (subprocess encodes str and bytes alike)
    "popen-bytes": (
        "env = dict(os.environ); del env['PYTHONPATH']\n"
        "env[b'PYTHONPATH'] = os.fsencode(d + os.pathsep + os.environ['PYTHONPATH'])\n"
        f"p = subprocess.Popen({SHELL}, env=env)\n"
    ),
    # R29b-2: os.putenv changes the C environ alone, which an inherited start hands on; d
    # after the guard's folder, so its module is one site imports before the guard: the one
    # setuptools' distutils-precedence.pth imports from sys.path
    "putenv-inherited": (
        "os.putenv('PYTHONPATH', os.environ['PYTHONPATH'] + os.pathsep + d)\n"
        f"p = subprocess.Popen({SHELL})\n"
    ),
    # R30-1: os.environ itself given as env (what the child gets: read through it)
    "popen-os-environ": (
        "os.environ['PYTHONPATH'] = os.environ['PYTHONPATH'] + os.pathsep + d\n"
        f"p = subprocess.Popen({SHELL}, env=os.environ)\n"
    ),
    "posix-spawn": (
        f"pid = os.posix_spawn('/bin/sh', {SHELL}, dict(os.environ, PYTHONPATH=d))\n"
    ),
    # os.spawnve forks, and its child calls os.execve
    "spawnve": (
        f"pid = os.spawnve(os.P_NOWAIT, '/bin/sh', {SHELL}, dict(os.environ, PYTHONPATH=d))\n"
    ),
}  # fmt: skip
WAITS = {"posix-spawn": "os.waitpid(pid, 0)\n", "spawnve": "os.waitpid(pid, 0)\n"}


MODULES = {"putenv-inherited": "_distutils_hack", "popen-os-environ": "_distutils_hack"}


def _cell(kernel, start: str) -> str:
    later = LATER.replace("{install!r}", repr(kernel.uv_install()))
    later = later.replace("{module}", MODULES.get(start, "sitecustomize"))
    return HEAD + STARTS[start] + later + WAITS.get(start, "p.wait()\n")


@pytest.mark.parametrize("start", list(STARTS))
def test_a_start_that_would_drop_the_guard_gets_it(kernel, start):
    if start in MODULES:
        site = Path(sysconfig.get_paths()["purelib"])
        assert (site / "distutils-precedence.pth").is_file(), f"setuptools is needed in {site}"
        # site imported _distutils_hack from site-packages before d was on sys.path: the
        # cell's copy never runs
        kernel.never_runs_with_warden(_cell(kernel, start))
        return
    blocked = kernel.child_refuses(_cell(kernel, start))
    # the lab's policy decided it (its refusal of the test index), in the kernel's spool
    assert any("index" in e["message"] for e in blocked), blocked


def test_a_training_script_with_its_own_pythonpath_runs_guarded(kernel):
    """What the refusal of ``!PYTHONPATH=src python train.py`` suggests (red team 29b R29b-6):
    the same start from Python runs, its modules found where it asked, with the guard in."""
    code = (
        "import os, subprocess, sys\n"
        "os.makedirs('src/mylib', exist_ok=True)\n"
        "open('src/mylib/__init__.py', 'w').write('EPOCHS = 2\\n')\n"
        "open('train.py', 'w').write(\n"
        "    'import pickle, sys, mylib\\n'\n"
        "    'stats = pickle.loads(pickle.dumps({{\"epochs\": mylib.EPOCHS}}))\\n'\n"
        "    'guarded = \"jupyterlab_warden.kernel.guard\" in sys.modules\\n'\n"
        "    'seen = (stats[\"epochs\"], guarded, sys.path[1])\\n'\n"
        '    \'open("ran", "w").write(" ".join(map(str, seen)))\\n\'\n'
        ")\n"
        "subprocess.run([sys.executable, 'train.py'], check=True, "
        "env=dict(os.environ, PYTHONPATH='src'))\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result
    epochs, guarded, first = (kernel.work / "ran").read_text().split()
    assert (epochs, guarded, first) == ("2", "True", str(kernel.work / "src")), result
