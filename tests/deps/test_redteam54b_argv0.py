"""Red team 54b R54b-4 (HIGH): a Python started with an argv[0] other than its file takes its
prefix from argv[0].

CPython's getpath (Linux) computes sys.executable, and from it the ``pyvenv.cfg`` it reads
and so sys.prefix and the site-packages it processes, from argv[0] (searched on PATH when
bare), not from the file exec ran. A cell writes fake/pyvenv.cfg (``home`` = the kernel
Python's folder) and fake/lib/pythonX.Y/site-packages/zz.pth, then starts the kernel's own
Python with argv[0] = fake/bin/python3 (no such file is needed): ``Popen([fake, '-m', 'pip',
...], executable=PY)``, ``os.execv(PY, [fake, ...])``, ``os.posix_spawn(PY, [fake, ...])``,
``bash -c 'exec -a FAKE PY -m pip ...'``. site runs zz.pth before the guard's sitecustomize
(the PYTHONPATH entry): here it starts a pip with PYTHONPATH removed, which installs what the
policy refuses. Warden reads the start by its file (the kernel's venv Python, guarded) and
treats argv[0]/``exec -a`` as changing nothing (threat-model: "an option that only changes how
the program is looked up does not change the environment the child is read with (`exec -a`
...)"). FAILS today: installed under Warden.
"""

import pytest
from argv0_prefix import PREP, PY

CELLS = {
    "Popen executable=": PREP
    + f"subprocess.run([fake, '-m', 'pip', 'install', 'six'], executable={PY!r})\n",
    "bash exec -a": PREP
    + f"subprocess.run(['bash', '-c', 'exec -a ' + fake + ' {PY} -m pip install six'])\n",
    "os.execv argv0": PREP
    + "pid = os.fork()\n"
    + f"if pid == 0: os.execv({PY!r}, [fake, '-m', 'pip', 'install', 'six'])\n"
    + "os.waitpid(pid, 0) if pid else None\n",
    "posix_spawn argv0": PREP
    + f"os.waitpid(os.posix_spawn({PY!r}, [fake, '-m', 'pip', 'install', 'six'], os.environ), 0)\n",
}


@pytest.mark.parametrize("case", sorted(CELLS))
def test_r54b_4_argv0_prefix(kernel, case):
    code = CELLS[case]
    kernel.kept_from_refused_host(code)
