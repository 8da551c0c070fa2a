"""Red team 91d (fixF): tmux commands that run what the line's reading never saw.

F1: if-shell's (and run-shell -C's) arguments are tmux COMMAND LISTS; the table joined them
into one shell line (``true run-shell ./x``), so ``if true 'run-shell ./x'``, a hook, a
``setenv -g`` or a ``pipe-pane`` set there ran unread. F2: ``setw`` sets hooks and
``copy-command`` too. F3: PS0's ``\\\\\\\\$(x)`` (an even run of backslashes) passed the prompt
check. F4: the server keeps the global environment of the start that made it for every later
pane. F5: pipe-pane runs its command in the server's folder. Each real tmux run below (a
private socket, TMUX_TMPDIR in the test's folder) makes its marker without Warden; Warden
refuses the line (``tmux_commands``)."""

import subprocess
import time

import pytest
from install_env import GUARDED_ENV
from launched import installed

from jupyterlab_warden.kernel.guard.installs import pane_shell, tmux_commands
from jupyterlab_warden.kernel.guard.installs.gate import read_requests

SOCKET = "fixF-rt91"


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for folder in ("tools", "sub", "lib", "sock"):
        (tmp_path / folder).mkdir()
    mark = tmp_path / "MARK"
    for path in ("tools/mytool", "sub/mytool"):
        (tmp_path / path).write_text(f"#!/bin/sh\ntouch {mark}\ncat >/dev/null\n")
        (tmp_path / path).chmod(0o755)
    (tmp_path / "lib" / "sitecustomize.py").write_text(f"open({str(mark)!r}, 'w').close()\n")
    (tmp_path / "train.py").write_text("print(1)\n")
    return tmp_path


def _problems(line: str, cwd, **variables) -> str:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), **GUARDED_ENV, **variables}
    found = read_requests(None, line.replace("{w}", str(cwd)), env, str(cwd))
    return " ".join(p for r in found for p in r.problems)


CASES = {
    # F1: if-shell's command lists
    "if-run": ["tmux new -d -s a \\; if true 'run-shell ./tools/mytool'"],
    "if-hook": [
        "tmux new -d -s a \\; if true "
        "'set-hook -g after-new-window \"run-shell ./tools/mytool\"' \\; neww"
    ],
    "if-setenv": [
        "tmux new -d -s a \\; if true 'setenv -g PYTHONPATH {w}/lib' \\; neww 'python3 train.py'"
    ],
    "if-pipe": ["tmux new -d -s a \\; if true 'pipe-pane ./tools/mytool'"],
    # F2: setw sets hooks
    "setw-hook": [
        "tmux new -d -s a",
        "tmux setw -g after-new-window 'run-shell ./tools/mytool'",
        "tmux neww",
    ],
    "setw-pane-exited": [
        "tmux new -d -s a",
        "tmux setw -g pane-exited 'run ./tools/mytool'",
        "tmux neww true",
    ],
    # F3: an even run of backslashes before PS0's $(...)
    "ps0": ["tmux new -d -s x \\; send -t x 'ls' Enter"],
    # F4: the server's global environment, made by the start that made it
    "global-env": ["PYTHONPATH={w}/lib tmux new -d -s a; tmux new -d -s b 'python3 train.py'"],
    # F5: pipe-pane runs in the server's folder
    "pipe-folder": ["cd sub && tmux new -d -s a", "tmux pipe-pane -t a ./mytool"],
}
PS0 = "\\\\\\\\$(./tools/mytool)"


def _variables(case: str) -> dict:
    return {"PS0": PS0, "SHELL": "/bin/bash"} if case == "ps0" else {}


@pytest.mark.parametrize("case", list(CASES))
def test_refused(work, case):
    refused = [_problems(line, work, **_variables(case)) for line in CASES[case]]
    assert any(refused), (case, refused)


@pytest.mark.parametrize("case", list(CASES))
def test_real_tmux_runs_the_payload(work, case):
    """Without Warden: real tmux (3.3 tried) runs the marker's program."""
    installed("tmux")  # a missing tmux fails the proof, never passes it over
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(work),
        "TMUX_TMPDIR": str(work / "sock"),
        "SHELL": "/bin/bash",
        "TERM": "xterm",
        **_variables(case),
    }
    tmux = f"tmux -L {SOCKET} "
    try:
        for line in CASES[case]:
            line = line.replace("{w}", str(work)).replace("tmux ", tmux)
            subprocess.run(["bash", "-c", line], cwd=work, env=env, timeout=20)
        for _ in range(100):
            if (work / "MARK").exists():
                break
            time.sleep(0.1)
    finally:
        subprocess.run(
            ["tmux", "-L", SOCKET, "kill-server"], env=env, stderr=subprocess.DEVNULL, timeout=20
        )
    assert (work / "MARK").exists(), case


@pytest.mark.parametrize(
    "line",
    [
        "tmux if true 'run-shell ./x'",
        "tmux if -F 1 'display hi' 'source-file x.conf'",
        "tmux if true 'bind x run ./x'",
        "tmux if true 'confirm \"run ./x\"'",
        "tmux if true 'command-prompt \"run %%\"'",
        "tmux if true 'neww ./x'",
        "tmux new -d \\; if true { run-shell ./x }",
        "tmux run -C 'pipe-pane ./x'",
        "tmux setw -g after-new-window 'run-shell ./x'",
        "tmux set-window-option -g pane-exited 'run ./x'",
        "tmux setw -g copy-command ./x",
        "tmux setw -gF mode-keys '##(x)'",
        "tmux setw -g after-n 'run ./x'",
        "tmux pipe-pane -t a 'cat >> log.txt'",
        "tmux pipep -o ./x",
        "tmux send -t a -X copy-pipe ./x",
        "tmux send -t a -X copy-pipe-and-cancel ./x",
        "LD_PRELOAD=/tmp/x.so tmux new -d",
        "export PATH=.:$PATH; tmux start-server",
        "tmux new -d -e PYTHONPATH={w}/lib",
        "HOME={w}/sub tmux",
    ],
)
def test_more_spellings_refused(work, line):
    assert _problems(line, work), line


@pytest.mark.parametrize(
    "line",
    [
        "tmux new -d -s s 'python3 train.py'",
        "tmux if-shell true 'display -p hi'",
        "tmux if -F '#{session_attached}' 'display hi' 'kill-session -t s'",
        "tmux run -C 'display -p hi'",
        "tmux setw -g mouse on",
        "tmux setw -g mode-keys vi",
        "tmux pipe-pane -t a",  # closes the pipe: no command
        "tmux neww -e LANG=C.UTF-8 'python3 train.py'",  # a pane's own, read with it
        "TERM=screen tmux new -d",
        "cd sub && tmux new -d -s a",
        "screen -ls",
        "screen -list",
    ],
)
def test_no_false_refusals(work, line):
    assert _problems(line, work) == "", line


def test_prompts():
    launch = {}.get
    for value in ("\\\\\\\\$(x)", "\\\\$(x)", "\\\\\\$(x)", "`x`", "$(x)", "\\$x$(y)"):
        assert "PS1" in pane_shell.environment_problem({"PS1": value}, launch), value
    assert pane_shell.environment_problem({"PS1": "\\u@\\h:\\w\\$ "}, launch) == ""


def test_the_kernels_own_settings_and_launch():
    """os.environ changed since the launch counts, ipykernel's own settings do not."""
    launch = {"PATH": "/bin", "TERM": "dumb"}
    same = {"PATH": "/bin", "TERM": "xterm-color", "PAGER": "cat", "MPLBACKEND": "agg"}
    assert tmux_commands.server_problem(["new", "-d"], (), same, same, launch) == ""
    moved = {**same, "PYTHONPATH": "lib"}
    assert "PYTHONPATH" in tmux_commands.server_problem(["new", "-d"], (), moved, moved, launch)
    assert tmux_commands.server_problem(["ls"], (), moved, moved, launch) == ""
    pager = {**same, "PAGER": "./x"}
    assert "PAGER" in tmux_commands.server_problem([], (), pager, pager, launch)
    gone = {"TERM": "dumb"}
    assert "PATH" in tmux_commands.server_problem(["start"], (), gone, gone, launch)
