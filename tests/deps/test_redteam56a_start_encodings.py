"""Red team 56a R56a-3 (HIGH): a start-up module the cell writes into a PYTHONPATH folder the
kernel was STARTED with runs before every guarded child Python's guard.

A kernel launched with ``PYTHONPATH=src`` (a project's source folder; the launch puts the
guard's site folder first: ``<guard>:src``) is ordinary. Python imports ``encodings`` at
init (``init_fs_encoding``), from ``sys.path`` as PYTHONPATH makes it, before ``site`` and so
before the guard's ``sitecustomize``: the guard's folder holds no ``encodings``, so
``src/encodings/__init__.py`` is the one imported. Warden refuses a child whose PYTHONPATH
holds a folder the kernel was not started with (R10-6, R11-4), a guardless child whose
PYTHONPATH folder holds a start-up module (R13-10), and a guarded child whose warning category
module lies there (R13-6); but for a guarded child that inherits the kernel's own PYTHONPATH
unchanged, nothing reads what its folders hold NOW (``guard_env`` finds nothing lost,
``_guard_dropped_by_env`` nothing dropped, ``_guarded_start_modules`` checks only warning
modules and the installation's ``.pth`` files). ``child_path`` (R28a-1) puts the guard's
folder first, which does not help: ``encodings`` is imported before any ``sitecustomize``.

The cell writes ``src/encodings/__init__.py`` (installs torcj from the test index through uv,
then loads the real ``encodings`` in its place, so Python starts normally) and runs
``python3 -c pass``: installed. Not specific to fix63 (the start is named on the line).

FAILS today (installs under Warden); the control (no Warden: installed) passes.
"""

import encodings
import os
import shutil
import sys

import pytest
from real_uv import real_uv

from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR, kernel_env
from jupyterlab_warden.kernel.environ import DEFERRED_PYTHONPATH_ENV, POLICY_DIGEST_ENV

ENCODINGS = (
    "import os\n"
    "os.system({line!r})\n"
    "_real = {real!r}\n"
    "__path__ = [_real]\n"
    "__file__ = _real + '/__init__.py'\n"
    "import _io\n"
    "exec(compile(_io.open(__file__, 'rb').read(), __file__, 'exec'))\n"
)

STARTS = {
    "os.system": "os.system('python3 -c pass')\n",
    "subprocess": "import subprocess, sys\nsubprocess.run([sys.executable, '-c', 'pass'])\n",
    # fix 70startpath: every start kind goes through the same reading
    "posix_spawn": "import os, sys\n"
    "os.waitpid(os.posix_spawn(sys.executable, [sys.executable, '-c', 'pass'], os.environ), 0)\n",
    "shell": "import subprocess\nsubprocess.run('true && python3 -c pass', shell=True)\n",
}


@pytest.mark.parametrize("how", sorted(STARTS))
def test_encodings_in_a_pythonpath_folder_the_kernel_started_with(kernel, how):
    (kernel.work / "src").mkdir()
    line = (
        f"{real_uv()} pip install -q --no-config --no-cache --python {sys.executable} "
        f"--target {kernel.target} --index-url {kernel.index.simple} torcj"
    )
    text = ENCODINGS.format(line=line, real=os.path.dirname(encodings.__file__))
    code = (
        (
            "import os\n"
            "os.makedirs('src/encodings', exist_ok=True)\n"
            f"open('src/encodings/__init__.py', 'w').write({text!r})\n" + STARTS[how]
        )
        .replace("{", "{{")
        .replace("}", "}}")
    )
    results = {}
    for launched in (False, True):
        kernel.reset()
        # the unguarded run's module would run in the guarded KERNEL's own start (its launch
        # PYTHONPATH holds src): the case read here is the cell's, written after the start
        shutil.rmtree(kernel.work / "src" / "encodings", ignore_errors=True)
        env = kernel.env(launched)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (env.get("PYTHONPATH", ""), str(kernel.work / "src")) if p
        )
        results[launched] = kernel.cell(code, launched=launched, env=env)
        if not launched:
            assert kernel.installed("torcj"), results[False]  # the attack works unguarded
    guarded = results[True]
    assert guarded["refused"] and not kernel.installed("torcj"), guarded


def test_the_kernels_own_restart_defers_the_folder(kernel):
    """The same module left in ``src`` by the kernel's last run: the lab's launch of the next
    kernel (a restart relaunches through ``kernel_env`` too) defers ``src`` past the guard's
    boot, so the kernel's own start does not run it. The control: launched with ``src`` on
    the starting PYTHONPATH as before the fix, the kernel's own start installs."""
    src = kernel.work / "src"
    (src / "encodings").mkdir(parents=True)
    line = (
        f"{real_uv()} pip install -q --no-config --no-cache --python {sys.executable} "
        f"--target {kernel.target} --index-url {kernel.index.simple} torcj"
    )
    text = ENCODINGS.format(line=line, real=os.path.dirname(encodings.__file__))
    (src / "encodings" / "__init__.py").write_text(text)
    base = kernel.env(launched=True)
    lab = dict(kernel.env(launched=False), PYTHONPATH=str(src))
    env = kernel_env(
        lab, kernel_id="k", policy_file=str(kernel.policy), spool_dir=str(kernel.spool),
        status_dir=str(kernel.tmp), policy_digest=base[POLICY_DIGEST_ENV],
    )  # fmt: skip
    assert env["PYTHONPATH"].split(os.pathsep) == [SITE_DIR]
    assert env[DEFERRED_PYTHONPATH_ENV].split(os.pathsep) == [SITE_DIR, str(src)]
    kernel.reset()
    done = kernel.cell("import encodings\n", launched=True, env=env)
    assert done["refused"] is None and not kernel.installed("torcj"), done
    kernel.reset()
    old = dict(env, PYTHONPATH=os.pathsep.join([SITE_DIR, str(src)]))
    old.pop(DEFERRED_PYTHONPATH_ENV)
    kernel.cell("import encodings\n", launched=True, env=old)
    assert kernel.installed("torcj")  # the kernel's own start ran it, before its guard
