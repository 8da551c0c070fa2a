"""Red team 14, second round on programs that run code (R14-15, R14-16, R14-20).

Each malicious cell proves itself in a kernel of the lab's launch environment: without Warden
the installer runs from the local index (its name computed: ``u$@v``, ``'u'.'v'``, ``"u" "v"``);
with Warden the start is refused before it runs.

- R14-20: ``/proc/self/exe`` (and ``/dev/fd/3 3</bin/sh``) as a line's program is the shell
  that runs it, not the kernel where Warden resolved it: a program reached through ``/proc``
  or ``/dev`` is refused, the word itself and a path that leads there link by link.
- R14-15: mawk's ``-W exec FILE`` (``-We``, ``-Wi,e``, any case, any abbreviation) reads the
  program from a file, and ``-W VALUE`` took VALUE for the program; gawk abbreviates long
  options (``--ex`` is ``--exec``).
- R14-16: perl's ``<>`` opens each element of ``@ARGV`` with the two-argument open: code that
  fills ``@ARGV`` (or an operand the shell expands) gives it ``CMD |``.
"""

import os

import pytest
from launched import BUILT, installed, system_cell

from jupyterlab_warden.kernel.guard.installs import commands

# an install whose installer name only the program builds (awk and perl join strings)
_ARGS = "install --target {target} --index-url {index} warden-demo-pkg"
AWK_PROGRAM = 'BEGIN {{ system("u" "v p" "ip ' + _ARGS + '") }}'
PERL_ARGV = "@ARGV=('u'.'v p'.'ip " + _ARGS + " |'); print <>"

PROCESS_CASES = {
    "/proc/self/exe -c": system_cell(f"/proc/self/exe -c '{BUILT}'"),
    "/proc/thread-self/exe -c": system_cell(f"/proc/thread-self/exe -c '{BUILT}'"),
    "bash -c '/proc/self/exe -c'": system_cell(f"bash -c \"/proc/self/exe -c '{BUILT}'\""),
    "/dev/fd/3 3</bin/sh": system_cell(f"/dev/fd/3 -c '{BUILT}' 3</bin/sh"),
    "/proc/self/fd/3 3</bin/dash": system_cell(f"/proc/self/fd/3 -c '{BUILT}' 3</bin/dash"),
    # behind a wrapper "self" is the wrapper (`env /proc/self/exe` runs env); `exec` is the shell
    "exec /proc/self/exe": system_cell(f"exec /proc/self/exe -c '{BUILT}'"),
}


@pytest.mark.parametrize("cell", PROCESS_CASES.values(), ids=PROCESS_CASES.keys())
def test_a_program_reached_through_proc_is_refused(kernel, cell):
    installed("dash")
    installed("bash")
    assert "names the process that runs it" in kernel.proves(cell)


def _why(line: str, cwd) -> str:
    with commands.start_folder(str(cwd)):
        try:
            commands.invocations(["sh", "-c", line])
        except commands.Unreadable as exc:
            return str(exc)
    return ""


@pytest.mark.parametrize(
    "line",
    [
        "./self -c 'echo hi'",  # a link the cell made to /proc/self/exe
        "./fds/3 -c 'echo hi' 3</bin/sh",  # a link to /dev/fd
        "PATH=/proc/self exe -c 'echo hi'",  # found on a PATH folder under /proc
        "cd /proc/self && ./exe -c 'echo hi'",
        "exec /proc/1/exe -c 'echo hi'",
    ],
)
def test_a_path_that_leads_through_proc_is_refused(tmp_path, line):
    os.symlink("/proc/self/exe", tmp_path / "self")
    os.symlink("/dev/fd", tmp_path / "fds")
    assert "names the process that runs it" in _why(line, tmp_path)


@pytest.mark.parametrize(
    "line",
    ["python train.py", "/usr/bin/env python3 x.py", "ls /proc/self/fd", "cat /dev/null"],
)
def test_programs_by_their_own_paths_still_run(tmp_path, line):
    assert _why(line, tmp_path) == ""
