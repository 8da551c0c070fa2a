"""Red team 56b R56b-6: the install's own redirection written as a posix_spawn FILE ACTION:
``os.posix_spawn(uv, [uv, 'pip', 'install', '--index-url', REFUSED, '-r', 'r.txt', P], env,
file_actions=[(os.POSIX_SPAWN_OPEN, 2, 'r.txt', O_WRONLY | O_TRUNC, 0o644)])``. The child
opens (empties) r.txt before it execs uv, after Warden decided; Warden read r.txt full
(``--no-index --find-links w``: no index used, allowed), uv reads it empty and fetches P from
the ``--index-url``, a host the policy refuses. The shell-line twin (``... 2>r.txt``) is refused
(fix67redirect/fix70redirect).

Root cause: installs/gate.py:555-567 ``_handed_files`` weighs a POSIX_SPAWN_OPEN for writing
only with ``start_writes``' rule (``self.writes.handed``: a start-up file a Python may not
write), never against the files the install reads; ``own_redirect.problem``/``read_problem``
(installs/own_redirect.py:75, :160) are reached only from a shell line's redirections
(commands.py:2079 ``_own_redirections``), so a spawn's own opens set no ``Invocation.redirected``.
R56b-7 (second half of this file, same root cause): a descriptor a start HANDS its child open
for writing (``subprocess.run([PY, '-E', 's.py'], stdout=open('mod.py', 'w'))``, or the same
file action) on the module a guardless Python imports: the child writes mod.py from its
stdout (content it controls) and imports it, code Warden never read, without the guard. The
shell-line twin ``PY -E s.py > mod.py`` is refused (commands.py's local-imports rule weighs a
redirection of the output); ``handed_fds`` notes the descriptor but ``_handed_files`` judges it
only as a start-up file (``StartWrites.handed``).
Fix: turn a start's POSIX_SPAWN_OPEN actions that write (O_WRONLY/O_RDWR, O_TRUNC/O_CREAT)
and handed writable descriptors (their /proc/self/fd path)
into the start's redirection targets (placed from the child's folder) and weigh them with
``own_redirect.problem`` and ``read_problem`` as a shell line's are, and
count them as the guardless start's writes for the local-imports rule.
"""

import sys

from launched import LOCAL_REQS, self_writing_module
from local_index import build_wheel
from real_uv import real_uv


def _cell(kernel, truncate: bool) -> str:
    build_wheel(kernel.work / "w", "warden-demo-pkg")
    argv = [
        real_uv(), "pip", "install", "-q", "--no-config", "--no-cache", "--no-deps",
        "--python", sys.executable, "--target", str(kernel.target),
        "--index-url", kernel.index.simple, "-r", "r.txt", "warden-demo-pkg",
    ]  # fmt: skip
    actions = (
        "[(os.POSIX_SPAWN_OPEN, 2, 'r.txt', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)]"
        if truncate
        else "[]"
    )
    code = (
        "import os\n"
        f"open('r.txt', 'w').write({LOCAL_REQS!r})\n"
        f"pid = os.posix_spawn({argv[0]!r}, {argv!r}, dict(os.environ), file_actions={actions})\n"
        "os.waitpid(pid, 0)\n"
    )
    return code.replace("{", "{{").replace("}", "}}")


def test_control_without_the_file_action_allowed_and_local(kernel):
    kernel.installs_locally(_cell(kernel, False))


def test_control_the_file_action_empties_r_txt_without_warden(kernel):
    kernel.installs_unguarded(_cell(kernel, True))


def test_a_spawn_file_action_truncating_a_file_the_install_reads_is_refused(kernel):
    kernel.kept_out(_cell(kernel, True))


# The same file action lets a GUARDLESS Python write the module it imports (as R56b-5 does with
# a compound redirection): ``posix_spawn(PY, [PY, '-E', 's.py'], file_actions=[(OPEN, 1,
# 'mod.py', O_WRONLY|O_TRUNC)])``; s.py writes its hex payload to stdout, then imports mod.
# Written as a shell line (``PY -E s.py > mod.py``) it is refused.


def _guardless_cell(kernel) -> str:
    self_writing_module(kernel)
    argv = [sys.executable, "-E", "s.py"]
    code = (
        "import os\n"
        f"pid = os.posix_spawn({argv[0]!r}, {argv!r}, dict(os.environ), file_actions="
        "[(os.POSIX_SPAWN_OPEN, 1, 'mod.py', os.O_WRONLY | os.O_TRUNC, 0o644)])\n"
        "os.waitpid(pid, 0)\n"
    )
    return code.replace("{", "{{").replace("}", "}}")


def test_control_the_guardless_spawn_installs_without_warden(kernel):
    kernel.installs_unguarded(_guardless_cell(kernel))


def test_a_spawn_file_action_writing_a_module_a_guardless_python_imports_is_refused(kernel):
    kernel.kept_out(_guardless_cell(kernel))


# And with no file action at all: ``subprocess.run([PY, '-E', 's.py'], stdout=open('mod.py',
# 'w'))`` hands the guardless Python a descriptor open for writing on the module it imports
# (``handed_fds`` sees it, but weighs it only against start-up files).


def _handed_cell(kernel) -> str:
    self_writing_module(kernel)
    argv = [sys.executable, "-E", "s.py"]
    code = (
        "import subprocess\n"
        f"with open('mod.py', 'w') as out:\n    subprocess.run({argv!r}, stdout=out)\n"
    )
    return code.replace("{", "{{").replace("}", "}}")


def test_control_the_handed_stdout_installs_without_warden(kernel):
    kernel.installs_unguarded(_handed_cell(kernel))


def test_a_handed_stdout_on_a_module_a_guardless_python_imports_is_refused(kernel):
    kernel.kept_out(_handed_cell(kernel))
