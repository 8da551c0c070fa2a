"""fix67argv0 (red team 54b R54b-4): a Python is read by the place getpath gives it, which is
the program NAME it starts with (PYTHONEXECUTABLE, else argv[0], a bare name found on PATH),
not its file: a Python started under a name that places it elsewhere is refused
(``argv_zero``), in the kernel's and a child's guard (``gate``) and on a shell line
(``exec -a``); ordinary starts (argv[0] the program, a venv's link, a bare name found as the
program) are not."""

import os

import pytest
from argv0_prefix import HOME, PREP, PY

from jupyterlab_warden.kernel.guard.installs import commands
from jupyterlab_warden.kernel.guard.installs.argv_zero import moved_python

REFUSED = "start Python by its own path"

# PYTHONEXECUTABLE names the place as argv[0] does (CPython 3.11 on Linux reads it even under
# -E and -I); a bare argv[0] is looked up on the start's PATH
CELLS = {
    "PYTHONEXECUTABLE in os.environ": PREP
    + "os.environ['PYTHONEXECUTABLE'] = fake\n"
    + f"subprocess.run([{PY!r}, '-I', '-c', 'pass'])\n",
    "PYTHONEXECUTABLE in env=": PREP
    + f"subprocess.run([{PY!r}, '-c', 'pass'], env=dict(os.environ, PYTHONEXECUTABLE=fake))\n",
    "PYTHONEXECUTABLE on a line": PREP
    + f"os.system('PYTHONEXECUTABLE=' + fake + ' {PY} -c pass')\n",
    "bare argv[0] on PATH": PREP
    + "open('fake/bin/python3', 'w').close(); os.chmod('fake/bin/python3', 0o755)\n"
    + "env = dict(os.environ, PATH=os.path.abspath('fake/bin') + ':' + os.environ['PATH'])\n"
    + f"subprocess.run(['python3', '-c', 'pass'], executable={PY!r}, env=env)\n",
    "bash exec -aNAME": PREP
    + f"subprocess.run(['bash', '-c', 'exec -a' + fake + ' {PY} -c pass'])\n",
}


@pytest.mark.parametrize("case", sorted(CELLS))
def test_a_python_started_under_another_name_is_refused(kernel, case):
    assert REFUSED in kernel.proves(CELLS[case])


ORDINARY = (
    "import multiprocessing, os, subprocess, sys\n"
    "py = sys.executable\n"
    "env = dict(os.environ, PATH=os.path.dirname(py) + ':' + os.environ['PATH'])\n"
    "subprocess.run([py, '-c', 'pass'], check=True)\n"
    "subprocess.run([os.path.basename(py), '-c', 'pass'], env=env, check=True)\n"
    "subprocess.run(['python3', '-c', 'pass'], executable=py, env=env, check=True)\n"
    "subprocess.run(['bash', '-c', 'exec -a ' + py + ' ' + py + ' -c pass'], check=True)\n"
    "subprocess.run(['bash', '-c', 'exec -a -bash /bin/true'], check=True)\n"
    "subprocess.run('true', shell=True, executable='/bin/bash', check=True)\n"
    "os.waitpid(os.posix_spawn(py, [py, '-c', 'pass'], os.environ), 0)\n"
    "pid = os.fork()\n"
    "if pid == 0: os.execv(py, [py, '-c', 'pass'])\n"
    "os.waitpid(pid, 0)\n"
    "for method in ('spawn', 'forkserver'):\n"
    "    p = multiprocessing.get_context(method).Process(target=os.getpid)\n"
    "    p.start(); p.join(); assert p.exitcode == 0, method\n"
)


def test_ordinary_python_starts_are_not_refused(kernel):
    result = kernel.cell(ORDINARY, launched=True)
    assert result["refused"] is None, result


# the reading itself: what getpath would place, against the program file
def test_argv0_the_program_or_a_name_of_it_in_its_folder(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text(f"home = {HOME}\n")
    link = venv / "bin" / "python"
    link.symlink_to(os.path.realpath(PY))
    (venv / "bin" / "python3").symlink_to("python")
    env = {"PATH": str(venv / "bin")}
    assert moved_python(str(link), str(link), env) == ""  # a venv's link, as itself
    assert moved_python(str(link), "python", env) == ""  # found on PATH as the program
    assert moved_python(str(link), str(venv / "bin" / "python3"), env) == ""  # same folder
    assert moved_python("python", "python", env, str(tmp_path)) == ""
    assert moved_python(str(link), "venv/bin/python", env, str(tmp_path)) == ""
    # the venv's link for its real file: getpath reads the venv's pyvenv.cfg, not the file's
    assert REFUSED in moved_python(os.path.realpath(PY), str(link), env)
    # a real file as argv[0] for the venv's link: the other way round
    assert REFUSED in moved_python(str(link), os.path.realpath(PY), env)


def test_argv0_that_places_the_python_elsewhere(tmp_path):
    fake = str(tmp_path / "fake" / "bin" / "python3")  # no such file is needed
    env = {"PATH": os.path.dirname(PY)}
    assert REFUSED in moved_python(PY, fake, env)
    assert REFUSED in moved_python(PY, "nowhere-python", env)  # getpath: no place at all
    assert REFUSED in moved_python(PY, "", {"PATH": str(tmp_path)})  # "python3", not on PATH
    assert REFUSED in moved_python(PY, PY, dict(env, PYTHONEXECUTABLE=fake))
    # a link's folder then `..`: getpath removes the `..` by text (fix68dotdot, R55a-3), so
    # the name is the start's own bin/python3, not the link target's parent's
    (tmp_path / "real" / "bin").mkdir(parents=True)
    (tmp_path / "l").symlink_to(tmp_path / "real" / "bin")
    (tmp_path / "real" / "bin" / "python3").symlink_to(os.path.realpath(PY))
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "python3").symlink_to(os.path.realpath(PY))
    spelled = str(tmp_path / "l" / ".." / "bin" / "python3")
    assert moved_python(str(tmp_path / "bin" / "python3"), spelled, env) == ""
    assert REFUSED in moved_python(str(tmp_path / "real" / "bin" / "python3"), spelled, env)


def test_another_program_s_argv0_is_its_own(tmp_path):
    """A shell's (Popen(shell=True, executable='/bin/bash') starts it as /bin/sh), any
    program's that is no Python: argv[0] does not place it."""
    assert moved_python("/bin/bash", "/bin/sh", {"PATH": "/usr/bin"}) == ""
    assert moved_python("/bin/true", str(tmp_path / "python3"), {}) == ""


def test_exec_a_is_read_as_the_argv0_it_gives(tmp_path):
    fake = str(tmp_path / "fake" / "bin" / "python3")
    with pytest.raises(commands.Unreadable, match=REFUSED):
        commands._unwrap("exec", ["-a", fake, PY, "-m", "pip"], {})
    with pytest.raises(commands.Unreadable, match=REFUSED):
        commands._unwrap("exec", ["-a" + fake, PY, "-m", "pip"], {})
    assert commands._unwrap("exec", ["-a", PY, PY, "-m", "pip"], {}) == [PY, "-m", "pip"]
    assert commands._unwrap("exec", ["-a", "-bash", "/bin/bash"], {}) == ["/bin/bash"]
