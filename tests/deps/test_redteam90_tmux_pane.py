"""Red team 90 F10-F12 (fixD): what a tmux pane's shell runs besides the lines Warden reads.

F10: the pane's shell starts with the tmux server's global environment (the environment of
the start that made the server: the kernel's, the line's exports) plus ``-e NAME=VALUE``; an
interactive shell runs ``PROMPT_COMMAND`` before each prompt, sources ``ENV`` (sh/dash, bash
in posix mode), expands ``PS0``-``PS4``, reads ``INPUTRC``'s key macros. Warden read the pane
as a login shell with its start-up files, not those. Now a start whose panes get one of
them (set otherwise than the kernel was launched with) is refused (``pane_shell``).

F11: ``tmux new -c DIR CMD`` (new-window, split-window...) runs CMD in DIR; Warden read CMD in
the kernel's folder, so ``./mytool`` there was no file. Now it is read in DIR, and a DIR
Warden cannot read (a format, ``~``, no folder yet) is refused (``command_folders``).

F12: tmux's default shell is SHELL (an absolute path), taken by Warden by its name only:
``SHELL=$PWD/tools/sh`` was "sh". And ``setw -g default-command X`` (tmux sets the session
option whatever ``-w`` says), or ``set`` inside ``if-shell``/``run -C``, replaced what the
panes run. Now the shell program is read as a start (a new file, a program that is no
standard shell: refused), and those option settings are refused (``pane_shell``)."""

import subprocess

import pytest
from install_env import GUARDED_ENV
from launched import installed
from test_age81_old_path_programs import _older_than_a_start
from test_redteam86b_login_shell_path import _full_path_payload, _home

from jupyterlab_warden.kernel.guard.installs import command_folders, pane_shell
from jupyterlab_warden.kernel.guard.installs.gate import read_requests

SOCKET = "fixD-pane"
WRITE = """import glob, os, subprocess, time
T = ['tmux', '-L', {socket!r}]
subprocess.run(T + ['kill-server'], stderr=subprocess.DEVNULL)
os.makedirs('tools', exist_ok=True)
os.makedirs('sub', exist_ok=True)
for path in ('tools/mytool', 'tools/sh', 'sub/mytool'):
    with open(path, 'w') as fh:
        fh.write({payload!r})
    os.chmod(path, 0o755)
with open('rc.sh', 'w') as fh:
    fh.write({install!r} + '\\n')
"""
WAIT = (
    "for _ in range(150):\n"
    "    if glob.glob('{target}/warden_demo_pkg*'):\n"
    "        break\n"
    "    time.sleep(0.2)\n"
    "subprocess.run(T + ['kill-server'])\n"
)
NEW = "T + ['new-session', '-d', '-s', 'x'"
STARTS = {
    # F10: sh (dash) as an interactive login shell sources ~/.profile, then $ENV
    "env-environ": "os.environ.update(SHELL='/bin/sh', ENV=os.getcwd() + '/rc.sh')\n"
    f"subprocess.run({NEW}])\n",
    "env-line": "os.system('SHELL=/bin/sh ENV=$PWD/rc.sh ' + ' '.join(T) + ' new -d -s x')\n",
    "env-e-word": f"subprocess.run({NEW}, '-e', 'ENV=' + os.getcwd() + '/rc.sh'], "
    "env=dict(os.environ, SHELL='/bin/sh'))\n",
    # F11: the command runs in -c's folder
    "new-session-c": f"subprocess.run({NEW}, '-c', 'sub', './mytool'])\n",
    "new-window-c": f"subprocess.run({NEW}, ';', 'new-window', '-t', 'x', '-c', 'sub', "
    "'./mytool'])\n",
    "split-window-c": f"subprocess.run({NEW}, ';', 'split-window', '-t', 'x', '-c', 'sub', "
    "'./mytool'])\n",
    # F12: the default shell is SHELL's program; default-command replaces it
    "shell-variable": "os.system('SHELL=$PWD/tools/sh ' + ' '.join(T) + ' new -d -s x')\n",
    "setw-default-command": f"subprocess.run({NEW}, ';', 'setw', '-g', 'default-command', "
    "os.getcwd() + '/tools/mytool', ';', 'new-window', '-t', 'x'])\n",
    "if-shell-set": f"subprocess.run({NEW}, ';', 'if-shell', 'true', 'set -g default-c ' + "
    "os.getcwd() + '/tools/mytool', ';', 'new-window', '-t', 'x'])\n",
}


@pytest.mark.parametrize("start", list(STARTS))
def test_what_a_pane_runs_besides_the_lines_read(kernel, start):
    """Installs without Warden (the pane's shell, its environment or folder runs the cell's
    program), refused with it."""
    installed("tmux")
    installed("perl")
    _home(kernel)
    payload = _full_path_payload(kernel)
    cell = WRITE.format(socket=SOCKET, payload=payload, install=kernel.uv_install())
    cell = cell.replace("{", "{{").replace("}", "}}") + STARTS[start] + WAIT
    try:
        guarded = kernel.kept_from_refused_host(cell)
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], stderr=subprocess.DEVNULL)
    assert guarded["refused"], guarded


PLAIN = """import os, subprocess, time
T = ['tmux', '-L', 'fixD-plain']
with open('train.py', 'w') as fh:
    fh.write("open('trained.txt', 'w').write('ok')\\n")
subprocess.run(T + {words!r})
for _ in range(100 if {marker!r} else 0):
    if os.path.exists({marker!r}):
        break
    time.sleep(0.1)
subprocess.run(T + ['kill-server'])
"""
BENIGN = {
    "a-command": (["new", "-d", "-s", "s", "python3 train.py"], "trained.txt"),
    "a-folder": (["new", "-d", "-s", "s", "-c", "sub", "python3 ../train.py"], "sub/trained.txt"),
    "keys": (
        ["new", "-d", "-s", "x", ";", "send-keys", "-t", "x", "ls > ls.txt", "Enter"],
        "ls.txt",
    ),
    "tmp": (["new", "-d", "-c", "/tmp"], ""),
}


@pytest.mark.parametrize("how", list(BENIGN))
def test_ordinary_sessions_run(kernel, how):
    installed("tmux")
    _home(kernel)
    (kernel.work / "sub").mkdir(exist_ok=True)
    words, marker = BENIGN[how]
    kernel.reset()
    cell = PLAIN.format(words=words, marker=marker).replace("{", "{{").replace("}", "}}")
    try:
        result = kernel.cell(cell, launched=True)
    finally:
        subprocess.run(["tmux", "-L", "fixD-plain", "kill-server"], stderr=subprocess.DEVNULL)
    assert result["refused"] is None, result
    assert not marker or (kernel.work / marker).exists(), result


# -- the reading, as the kernel's gate reads a line ----------------------------------------------

PERL = "#!/usr/bin/perl\nsystem('u' . 'v');\n"


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for folder in ("tools", "sub", "old"):
        (tmp_path / folder).mkdir()
    for path in ("tools/mytool", "tools/sh", "tools/bash", "sub/mytool"):
        (tmp_path / path).write_text(PERL)
        (tmp_path / path).chmod(0o755)
    (tmp_path / "old" / "mytool").write_text("#!/bin/sh\necho old\n")
    (tmp_path / "old" / "mytool").chmod(0o755)
    _older_than_a_start(tmp_path / "old" / "mytool")
    (tmp_path / "rc.sh").write_text("echo hi\n")
    return tmp_path


def _problems(line: str, cwd, **variables) -> str:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), **GUARDED_ENV, **variables}
    found = read_requests(None, line.replace("{w}", str(cwd)), env, str(cwd))
    return " ".join(p for r in found for p in r.problems)


@pytest.mark.parametrize(
    "line",
    [
        # F10: the line's, and -e's, variables the pane's interactive shell runs code from
        "ENV=rc.sh tmux new -d",
        "export ENV={w}/rc.sh; tmux new -d",
        "tmux new -d -e ENV={w}/rc.sh",
        "tmux new -d -e INPUTRC={w}/rc.sh",
        "tmux new -d -e HISTFILE={w}/rc.sh",
        "tmux new -d \\; new-window -e ENV={w}/rc.sh",
        "SHELL=/bin/sh ENV={w}/rc.sh tmux start-server",
        'tmux new -d -e "$UNSET_NAME"',  # a word Warden cannot read as NAME=VALUE
        "tmux new -d \\; setenv -g ENV {w}/rc.sh",
        # F11: the command runs in the folder -c names
        "tmux new -d -c sub ./mytool",
        "tmux new -d -c {w}/sub ./mytool",
        "tmux neww -c sub ./mytool",
        "tmux splitw -c sub ./mytool",
        "tmux respawnp -k -c sub ./mytool",
        "tmux new -d -c sub 'PATH=.:/usr/bin:/bin tar czf o.tgz ../a.txt'",
        "tmux new -d -c '#{pane_current_path}' ls",
        "tmux new -d -c '~' ls",
        "tmux new -d -c made ls",  # no folder yet: the line may make it
        "tmux new -d -s x -c made \\; send-keys -t x ./mytool Enter",
        "tmux respawnp -k ./mytool",  # the pane's old folder
        "tmux new -d -c sub ls \\; neww -c old ls",  # two folders
        # F12: the shell program, and the options that replace it
        "SHELL={w}/tools/sh tmux new -d",
        "SHELL={w}/tools/bash tmux new -d 'python3 train.py'",
        "SHELL={w}/tools/sh tmux start-server",
        "SHELL={w}/missing/sh tmux new -d",
        "SHELL=tools/sh tmux new -d",
        "SHELL=/usr/bin/perl tmux new -d",
        "tmux setw -g default-command {w}/tools/mytool",
        "tmux set-window-option -g default-shell /bin/sh",
        "tmux new -d \\; setw -g default-c tools/mytool \\; neww",
        "tmux setw -g update-environment[0] ENV",
        "tmux if-shell true 'set -g default-command tools/mytool'",
        "tmux if -F 1 'display hi; setw -g default-shell {w}/tools/sh'",
        "tmux run-shell -C 'set -g default-command tools/mytool'",
        "tmux run -C 'if true \"set -g default-command x\"'",
        "tmux if true '{ set -g mouse on }'",  # braces: not split here
        "SHELL={w}/tools/sh screen -dm",
    ],
)
def test_a_pane_start_warden_cannot_read_is_refused(work, line):
    assert _problems(line, work), line


@pytest.mark.parametrize(
    "variable, value",
    [
        ("PROMPT_COMMAND", "tools/mytool"),
        ("ENV", "rc.sh"),
        ("PS1", "$(tools/mytool)"),
        ("PS0", "`tools/mytool`"),
        ("MAILPATH", "/tmp/m?$(tools/mytool)"),
        ("INPUTRC", "rc.sh"),
    ],
)
def test_the_kernels_variables_reach_the_panes(work, variable, value):
    """os.environ's: the start that makes the server hands them to every later pane."""
    assert variable in _problems("tmux new -d", work, **{variable: value})
    assert variable in _problems("tmux -L q new -d 'python3 train.py'", work, **{variable: value})
    assert _problems("tmux ls", work, **{variable: value}) == ""


@pytest.mark.parametrize(
    "line",
    [
        "tmux new -d -s s 'python3 train.py'",
        "tmux new -d",
        "tmux new -d -c /tmp",
        "tmux new -d -c /tmp ls",
        "tmux new -d -c sub 'python3 train.py'",
        "tmux new -d -s x \\; send-keys -t x 'ls' Enter",
        "tmux new -d -s x -c sub \\; send-keys -t x 'ls' Enter",
        "tmux new -d -c old ./mytool",  # an older program of that folder
        "SHELL=/bin/bash tmux new -d",
        "SHELL=/bin/sh tmux new -d 'python3 train.py'",
        "SHELL={w}/tools/sh tmux ls",  # no server or pane started
        "tmux setw -g mouse on",
        "tmux setw -g mode-keys vi",
        "tmux if-shell true 'display -p hi'",
        "tmux run -C 'display -p hi'",
        "tmux respawnp -k",  # its old command: no text
        "screen -dm python3 train.py",
    ],
)
def test_no_false_refusals(work, line):
    assert _problems(line, work) == "", line


def test_an_ordinary_prompt_passes(work):
    """A prompt with no expansion (the `\\$` of bash's default) is no code."""
    assert _problems("tmux new -d", work, PS1="\\u@\\h:\\w\\$ ") == ""


def test_the_kernels_own_values_are_not_read(work, monkeypatch):
    """A value the kernel was launched with is the launcher's (``inherited_env``)."""
    from jupyterlab_warden.kernel.guard.installs import inherited_env

    monkeypatch.setattr(inherited_env, "launch_value", lambda name: "x.sh")
    assert pane_shell.environment_problem({"ENV": "x.sh"}, inherited_env.launch_value) == ""
    assert "ENV" in pane_shell.environment_problem({"ENV": "y.sh"}, inherited_env.launch_value)


def test_a_relative_folder_is_the_tmux_commands(work):
    """tmux resolves -c from the folder its command runs in (tried with tmux 3.3)."""
    assert command_folders.text_folder(["new", "-d", "-c", "sub", "ls"], (), "") == "sub"
    assert command_folders.text_folder(["new", "-d", "ls"], (), "") == ""
    with pytest.raises(ValueError):
        command_folders.text_folder(["new", "-d", "-c", "sub", "ls"], (), None)
