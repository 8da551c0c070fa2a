"""Red team 16 R16-8: an operator character written quoted or escaped (`\\;`, `';'`) is a word
for the shell. The kernel's reading lexed it as the operator, so the words after tmux's own `;`
were read as a shell command of their own: `if 'CMD' ''` as the shell's `if` (CMD a program
name with spaces), `set -g default-command CMD` as the shell's `set`. The static side, which
keeps the quoting, refused those lines: the two sides disagreed.
"""

import os
import subprocess

import pytest
from launched import BUILT

from jupyterlab_warden.kernel.guard.installs import commands

# the installer's name built by quotes the inner shell removes (no expansion, which is refused
# on its own wherever it stands)
QUOTED = BUILT.replace("u$@v", 'u""v').replace("p$@ip", 'p""ip')


def _refused(line: str) -> bool:
    try:
        found = commands.shell_invocations(line)
    except commands.Unreadable:
        return True
    return any(inv.problem for inv in found)


@pytest.mark.parametrize(
    "line",
    [
        "tmux -L s new -d 'sleep 3' \\; if 'u\"\"v p\"\"ip install torcj' ''",
        "tmux -L s new -d 'sleep 3' ';' if 'u\"\"v p\"\"ip install torcj' ''",
        "tmux -L s new -d 'sleep 3' \\; if -F 1 'neww -d \"u$@v sync\"'",
        "tmux -L s new -d 'sleep 3' \\; set -g default-command 'u$@v sync' \\; neww -d",
    ],
)
def test_tmux_commands_after_its_own_separator_are_read_as_tmux_commands(line):
    assert _refused(line)


@pytest.mark.parametrize(
    "line",
    [
        "find . -name '*.py' -exec wc -l {} \\;",
        "echo ';' && ls",
        "echo 'a;b' ; ls",
        "tmux new -d 'sleep 3' \\; neww -d",
        "printf '%s\\n' '|' '&&' '>'",
    ],
)
def test_ordinary_lines_with_quoted_operators_pass(line):
    assert commands.shell_invocations(line) == []


def test_a_quoted_operator_is_a_word_not_the_end_of_a_command():
    """`echo ';' pip install x` prints its words: nothing after the quoted `;` runs (it was read
    as a second command, pip's; a reading that splits there also splits tmux's commands)."""
    assert commands.shell_invocations("echo ';' pip install torcj") == []
    assert commands.shell_invocations("echo \\; pip install torcj") == []
    (found,) = commands.shell_invocations("echo ; pip install torcj")
    assert found.tool == "pip"


def test_tmux_set_after_its_separator_installs_without_warden_and_is_refused(kernel):
    """tmux's `set -g default-command CMD` after its `\\;` (read as the shell's `set` builtin,
    data) and a new window, which runs CMD; CMD signals a channel the line waits on, so the
    install has finished when the cell returns (no sleep)."""
    sock = f"warden-r16-{os.getpid()}"
    tmux = f"tmux -L {sock}"
    line = (
        f"{tmux} new -d 'sleep 60' \\; set -g default-command '{QUOTED}; {tmux} wait-for -S ran'"
        f" \\; neww -d && timeout 60 {tmux} wait-for ran; {tmux} kill-server"
    )
    try:
        kernel.proves_command_text_refused("tmux", line)
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], capture_output=True, timeout=30)
