"""Red team 34 R34-3: a ``.pth`` written into the kernel's site folder through a descriptor or a
posix_spawn file action, which no path audit event shows, so neither the guard's write rule
(``start_writes``) nor the line's reading (R31-6's rule) saw it; the next Python on the line ran
it before its guard (payload: an install from the test index). Now every start a guarded
Python makes, the kernel's too, is refused when it hands its child a file open for writing
that a Python the kernel starts may not write (``installs.handed_fds``,
``InstallGate._handed_files``, ``StartWrites.handed``): an inheritable descriptor, Popen's
``pass_fds`` and stdio, a posix_spawn ``POSIX_SPAWN_DUP2``'s source, a ``POSIX_SPAWN_OPEN``
for writing; a ``posix.posix_spawn`` whose file actions Warden could not read is refused.
"""

import pytest
from test_redteam32_places import _site_cell

# a descriptor the kernel opens on a new, empty .pth of its site folder (no code: the line's
# reading finds nothing to refuse)
NEW_PTH = "fd = os.open(site + '/zz.pth', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)\n    "
WRITE_FLAGS = "os.O_WRONLY | os.O_CREAT | os.O_TRUNC"

# the kernel hands its line a way to write the .pth; the line runs a Python after the write
KERNEL_CASES = {
    # the line redirects into the inherited descriptor
    "inherited_fd_redirection": NEW_PTH + "os.set_inheritable(fd, True)\n"
    "    os.system('cat p.pth >&%d; ' % fd + py + ' -c pass')",
    # a guarded w.py writes through it (os.write: no open event)
    "inherited_fd_guarded_writer": NEW_PTH + "os.set_inheritable(fd, True)\n"
    "    open('w.py', 'w').write('import os\\nos.write(%d, open(\"p.pth\", \"rb\").read())\\n'"
    " % fd)\n"
    "    os.system(py + ' w.py; ' + py + ' -c pass')",
    # no new file: setuptools' own distutils-precedence.pth, opened for appending (an open
    # changes neither its bytes nor its ctime: the line's reading finds it unchanged)
    "inherited_fd_append_existing_pth": "dp = site + '/distutils-precedence.pth'\n"
    "    kept = open(dp).read()\n"
    "    fd = os.open(dp, os.O_WRONLY | os.O_APPEND)\n"
    "    os.set_inheritable(fd, True)\n"
    "    try:\n"
    "        os.system('cat p.pth >&%d; ' % fd + py + ' -c pass')\n"
    "    finally:\n"
    "        open(dp, 'w').write(kept)",
    # a descriptor Python made non-inheritable, handed on by Popen's pass_fds
    "popen_pass_fds": NEW_PTH + "import subprocess\n"
    "    subprocess.run(['sh', '-c', 'cat p.pth >&%d; ' % fd + py + ' -c pass'], pass_fds=[fd])",
    # Popen without close_fds hands every inheritable descriptor
    "popen_close_fds_false": NEW_PTH + "import subprocess\n    os.set_inheritable(fd, True)\n"
    "    subprocess.run('cat p.pth >&%d; ' % fd + py + ' -c pass', shell=True, close_fds=False)",
    # the .pth as the line's stdout
    "popen_stdout": "import subprocess\n"
    "    with open(site + '/zz.pth', 'w') as f:\n"
    "        subprocess.run('cat p.pth; ' + py + ' -c pass', shell=True, stdout=f)",
    # the kernel's own posix_spawn opening the .pth as the line's stdout, in the child
    "kernel_posix_spawn_open": "pid = os.posix_spawn('/bin/sh', ['sh', '-c', 'cat p.pth; ' + py "
    "+ ' -c pass'], dict(os.environ), file_actions=[(os.POSIX_SPAWN_OPEN, 1, site + '/zz.pth', "
    + WRITE_FLAGS
    + ", 0o644)])\n    os.waitpid(pid, 0)",
    # posix_spawnp putting a non-inheritable descriptor at the child's stdout
    "kernel_posix_spawnp_dup2": NEW_PTH + "pid = os.posix_spawnp('sh', ['sh', '-c', 'cat p.pth; ' "
    "+ py + ' -c pass'], dict(os.environ), file_actions=[(os.POSIX_SPAWN_DUP2, fd, 1)])\n"
    "    os.waitpid(pid, 0)",
    # posix's own posix_spawn, past the wrapper that notes the file actions: not read, refused
    "posix_posix_spawn": "import posix\n"
    "    pid = posix.posix_spawn('/bin/sh', ['sh', '-c', 'cat p.pth; ' + py + ' -c pass'], "
    "dict(os.environ), file_actions=[(os.POSIX_SPAWN_OPEN, 1, site + '/zz.pth', "
    + WRITE_FLAGS
    + ", 0o644)])\n    os.waitpid(pid, 0)",
}


@pytest.mark.parametrize("case", sorted(KERNEL_CASES))
def test_kernel_hands_a_writable_pth(own_kernel, case):
    """The kernel's start is refused: it hands its line the site folder's .pth for writing."""
    refused = own_kernel.proves(_site_cell(KERNEL_CASES[case]))
    if case == "posix_posix_spawn":
        assert "cannot read the file actions" in refused, refused
    else:
        assert "site-packages" in refused and ".pth" in refused, refused
        assert "descriptor" in refused or "POSIX_SPAWN_OPEN" in refused, refused


# the kernel's descriptor (read-only, not inheritable) reopened for writing by its path: a
# path the line's reading resolves (held before R34-3's fix too)
REOPENED = {
    "proc_ppid_fd": "fd = os.open(site + '/zz.pth', os.O_RDONLY | os.O_CREAT, 0o644)\n"
    "    os.system('cat p.pth > /proc/$PPID/fd/%d; ' % fd + py + ' -c pass')",
    "dev_fd_inheritable_read_only": "fd = os.open(site + '/zz.pth', os.O_RDONLY | os.O_CREAT, "
    "0o644)\n    os.set_inheritable(fd, True)\n"
    "    os.system('cat p.pth > /dev/fd/%d; ' % fd + py + ' -c pass')",
}


@pytest.mark.parametrize("case", sorted(REOPENED))
def test_kernel_descriptor_reopened_by_path(own_kernel, case):
    own_kernel.proves(_site_cell(REOPENED[case]))


# a guarded w.py has cat write the .pth through a file action: the open is the C library's,
# in the child, with no audit event; cat itself writes nothing Warden reads
SPAWN = (
    "import os, sysconfig\nsite = sysconfig.get_paths()['purelib']\n"
    "pid = os.STARTER('CAT', ['cat', 'p.pth'], dict(os.environ), "
    "file_actions=[(os.POSIX_SPAWN_OPEN, 1, site + '/zz.pth', "
    "os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)])\nos.waitpid(pid, 0)\n"
)


@pytest.mark.parametrize("spawn,cat", [("posix_spawn", "/bin/cat"), ("posix_spawnp", "cat")])
def test_guarded_child_posix_spawn_open(own_kernel, spawn, cat):
    """w.py's guard refuses its posix_spawn: the file action opens a site .pth for writing."""
    writer = SPAWN.replace("STARTER", spawn).replace("CAT", cat)
    start = f"open('w.py', 'w').write({writer!r})\n    os.system(py + ' w.py; ' + py + ' -c pass')"
    blocked = own_kernel.child_refuses(_site_cell(start))
    assert any("POSIX_SPAWN_OPEN" in e["message"] for e in blocked), blocked


ORDINARY = """
import os, subprocess, sys, tempfile
py = sys.executable
W = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
log = os.path.join(tempfile.mkdtemp(), 'log.txt')
# a writable inheritable descriptor on a file outside the site folders
fd = os.open('out.txt', W, 0o644)
os.set_inheritable(fd, True)
assert os.system('echo a >&%d; %s -c pass' % (fd, py)) == 0
subprocess.run('echo b >&%d' % fd, shell=True, close_fds=False, check=True)
# inherited stdout/stderr, pipes, a file as stdout, pass_fds of an ordinary file
subprocess.run([py, '-c', 'print(1)'], check=True, capture_output=True)
subprocess.run([py, '-c', 'pass'], check=True)
with open('stdout.txt', 'w') as f:
    subprocess.run([py, '-c', 'print(2)'], stdout=f, stderr=subprocess.STDOUT, check=True)
other = os.open(log, W, 0o644)
subprocess.run(['sh', '-c', 'echo c >&%d' % other], pass_fds=[other], check=True)
# posix_spawn redirecting stdout to a file in /tmp, by an open and by a dup2
pid = os.posix_spawn('/bin/echo', ['echo', 'd'], dict(os.environ),
                     file_actions=[(os.POSIX_SPAWN_OPEN, 1, log, W, 0o644)])
assert os.waitpid(pid, 0)[1] == 0
pid = os.posix_spawnp('echo', ['echo', 'e'], dict(os.environ),
                      file_actions=[(os.POSIX_SPAWN_DUP2, other, 1)])
assert os.waitpid(pid, 0)[1] == 0
open('MARK', 'w').write('1')
"""


def test_ordinary_descriptors_and_file_actions_run(kernel):
    """The same starts with ordinary files, in the kernel and in a guarded w.py: all run."""
    code = (
        f"import os, sys\nopen('w.py', 'w').write({ORDINARY.replace('MARK', 'ran_child')!r})\n"
        + ORDINARY.replace("MARK", "ran")
        + "assert os.system(sys.executable + ' w.py') == 0\n"
    )
    result = kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "ran").exists() and (kernel.work / "ran_child").exists(), result
    assert "Jupyter Warden refused" not in result["stderr"], result
