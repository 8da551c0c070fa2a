"""Red team 90 F3 and F6 (fix90d): what tmux send-keys types into a pane's interactive shell.

F3: send-keys typed CONTROL CHARACTERS as text (a literal CR, C-u...), which the pane's line
editor (readline) reads as editing keys: ``\\r`` accepts the line typed so far, ``\\x15``
(C-u) discards it. tmux_login split the typed text at "\\n" only, so Warden read
``echo x<CR>PATH=DIR:/usr/bin:/bin tar czf o.tgz a.txt`` as ONE echo while the shell ran tar
with DIR first on PATH (DIR/gzip the cell's new installer). Now a CR is read as the line end
it is and every other control character (and any character outside printable ASCII) refused.

F6: the lines typed into a pane run in ONE shell, but were read each with a fresh state
(``export PATH=DIR:$PATH`` Enter ``tar ...`` Enter), and a pane outlives the start: what an
earlier start typed there is the state of the next start's lines, and a ``bind -x`` typed on
one line runs a command on the next Enter. Now the lines one tmux command types are read as
ONE shell text, keys are read only when typed into a session the same tmux command makes
fresh (``tmux new -d -s x \\; send-keys -t x LINE Enter``; a send-keys of its own into a
pane made earlier is refused), and what only an interactive shell does with typed lines
(bind, history, prompt variables, a new file sourced, a new ~/.inputrc) is refused."""

import os
import subprocess
import time

import pytest
from launched import installed
from test_redteam86b_login_shell_path import _full_path_payload, _home

from jupyterlab_warden.kernel.guard.installs import gate, tmux_login

WRITE = """import glob, os, subprocess, time
os.makedirs('tools', exist_ok=True)
with open('tools/gzip', 'w') as fh:
    fh.write({payload!r})
os.chmod('tools/gzip', 0o755)
with open('tools/mytool', 'w') as fh:
    fh.write({payload!r})
os.chmod('tools/mytool', 0o755)
T = ['tmux', '-L', 'fix90d']
subprocess.run(T + ['kill-server'], stderr=subprocess.DEVNULL)
line = 'PATH=' + os.getcwd() + '/tools:/usr/bin:/bin tar czf o.tgz a.txt'
NEW = ['new-session', '-d', '-s', 'x', '-c', os.getcwd(), ';']
"""
START = "subprocess.run(T + ['new-session', '-d', '-s', 'x', '-c', os.getcwd()])\ntime.sleep(1)\n"
WAIT = (
    "for _ in range(100):\n"
    "    if glob.glob('{target}/warden_demo_pkg*'):\n"
    "        break\n"
    "    time.sleep(0.2)\n"
    "subprocess.run(T + ['kill-server'])\n"
)
EXPORT = "'export PATH=' + os.getcwd() + '/tools:$PATH', 'Enter'"
KEYS = {
    # F3
    "cr": "subprocess.run(T + NEW + ['send-keys', '-t', 'x', 'echo x\\r' + line, 'Enter'])\n",
    "ctrl-u": "subprocess.run(T + NEW + ['send-keys', '-t', 'x', 'echo x \\x15' + line, "
    "'Enter'])\n",
    # F6
    "two-lines-one-command": "subprocess.run(T + NEW + ['send-keys', '-t', 'x', "
    + EXPORT
    + ", 'tar czf o.tgz a.txt', 'Enter'])\n",
    "two-lines-one-start": START
    + "subprocess.run(T + ['send-keys', '-t', 'x', "
    + EXPORT
    + ", 'tar czf o.tgz a.txt', 'Enter'])\n",
    "two-starts": START
    + "subprocess.run(T + ['send-keys', '-t', 'x', "
    + EXPORT
    + "])\nsubprocess.run(T + ['send-keys', '-t', 'x', 'tar czf o.tgz a.txt', 'Enter'])\n",
    # the keys may reach the pane before readline reads the tty raw (LF: C-j) or after (CR: C-m)
    "bind-x": "subprocess.run(T + NEW + ['send-keys', '-t', 'x', "
    "'bind -x \\'\"\\\\C-m\": tools/mytool\\'; bind -x \\'\"\\\\C-j\": tools/mytool\\'', "
    "'Enter', 'ls', 'Enter'])\n",
    "bind-x-later-start": START + "subprocess.run(T + ['send-keys', '-t', 'x', "
    "'bind -x \\'\"\\\\C-m\": tools/mytool\\'', 'Enter', 'ls', 'Enter'])\n",
}


@pytest.mark.parametrize("keys", list(KEYS))
def test_keys_typed_into_a_pane(kernel, keys):
    installed("tmux")
    installed("tar")
    _home(kernel)
    (kernel.work / "a.txt").write_text("a\n")
    cell = WRITE.format(payload=_full_path_payload(kernel)) + KEYS[keys] + WAIT
    try:
        guarded = kernel.kept_from_refused_host(cell)
    finally:
        subprocess.run(["tmux", "-L", "fix90d", "kill-server"], stderr=subprocess.DEVNULL)
    assert guarded["refused"], guarded


PLAIN = """import os, subprocess, time
T = ['tmux', '-L', 'fix90d-plain']
subprocess.run(T + ['new-session', '-d', '-s', 'x', '-c', os.getcwd(), ';', 'send-keys', '-t',
                    'x', 'cd ' + os.getcwd() + ' && echo hi > hi.txt', 'Enter'])
for _ in range(100):
    if os.path.exists('hi.txt'):
        break
    time.sleep(0.1)
subprocess.run(T + ['kill-server'])
"""


def test_a_line_typed_into_the_session_the_command_makes_runs(kernel):
    """The one-command form the refusals point to: the session starts and takes its line."""
    installed("tmux")
    _home(kernel)
    kernel.reset()
    try:
        result = kernel.cell(PLAIN.replace("{", "{{").replace("}", "}}"), launched=True)
    finally:
        subprocess.run(["tmux", "-L", "fix90d-plain", "kill-server"], stderr=subprocess.DEVNULL)
    assert result["refused"] is None, result
    assert (kernel.work / "hi.txt").exists(), result


# -- the reading ---------------------------------------------------------------------------------

NEW = ["new", "-d", "-s", "x", ";"]


@pytest.mark.parametrize(
    "keys, why",
    [
        (["echo x\r" + "ls"], "no Enter"),  # CR is a line end: `ls` waits
        (["echo x \x15ls", "Enter"], "'\\x15'"),
        (["echo x\tls", "Enter"], "'\\t'"),
        (["echo x\x1b[Als", "Enter"], "'\\x1b'"),
        (["echo x\x7f", "Enter"], "'\\x7f'"),
        (["echo \x8a", "Enter"], "'\\x8a'"),
        (["echo é", "Enter"], "'é'"),
        (["-l", "echo x\x10", "Enter"], "'\\x10'"),  # C-p: the history's line
        (["\x0f", "Enter"], "'\\x0f'"),  # C-o: a single-character word
        (["ls", "Enter", "C-c"], "C-c with a line"),
        (["-F", "ls", "Enter"], "-F"),
        (["-N", "x", "ls", "Enter"], "-N"),
        (["FocusIn"], "the key"),
    ],
)
def test_typed_control_characters_are_refused(keys, why):
    found = tmux_login.read("tmux", NEW + ["send-keys", "-t", "x"] + keys)
    assert why in found.refused, found.refused


def test_a_cr_is_a_line_end():
    found = tmux_login.read("tmux", NEW + ["send-keys", "-l", "echo a\recho b\r"])
    assert found.refused == "" and found.text == "echo a\necho b", found.refused


@pytest.mark.parametrize(
    "words, why",
    [
        (["send-keys", "-t", "x", "ls", "Enter"], "no new-session"),
        (["send-keys", "ls", "Enter"], "no new-session"),
        (NEW + ["send-keys", "-t", "y", "ls", "Enter"], "names no session"),
        (NEW + ["send-keys", "-t", "old:x", "ls", "Enter"], "names no session"),
        (NEW + ["send-keys", "-t", "%0", "ls", "Enter"], "names no session"),
        (["new", "-d", "-s", "x", "bash", ";", "send-keys", "-t", "x", "ls", "Enter"], "bash"),
        (["new", "-d", "-A", "-s", "x", ";", "send-keys", "-t", "x", "ls", "Enter"], "-A"),
        (["new", "-d", "-s", "x", "-t", "o", ";", "send-keys", "-t", "x", "ls", "Enter"], "-t o"),
        (["new", "-d", ";", "send-keys", "ls", "Enter"], "new -d"),  # no name
        (NEW + ["new-window", ";", "send-keys", "-t", "x", "ls", "Enter"], "new-window"),
        (NEW + ["select-window", "-t", "o:1", ";", "send-keys", "ls", "Enter"], "select"),
    ],
)
def test_keys_into_a_pane_not_made_fresh_are_refused(words, why):
    found = tmux_login.read("tmux", words)
    assert "has not seen start" in found.refused and why in found.refused, found.refused


@pytest.mark.parametrize(
    "text",
    [
        "bind -x '\"\\C-m\": tools/mytool'",
        "builtin bind -x x",
        "b'i'nd -x x",
        "fc -s",
        "history -r h",
        "echo !tar",
        "^ls^tar",
        "set -o vi",
        "shopt -s histverify",
        "PROMPT_COMMAND=tools/mytool",
        "PS0='$(tools/mytool)'",
        "INPUTRC=x",
        "source $F",
        "source name.sh",  # looked up on PATH
        "source ./missing.sh",
        "exec < cmds.txt",  # the shell reads its next commands from the file
    ],
)
def test_what_only_an_interactive_shell_does_is_refused(text):
    found = tmux_login.read("tmux", NEW + ["send-keys", "-t", "x", text, "Enter"], base="/")
    assert found.refused, text


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "gzip").write_text("#!/usr/bin/perl\nsystem('u' . 'v');\n")
    (tmp_path / "tools" / "gzip").chmod(0o755)
    later = time.time() + 5
    os.utime(tmp_path / "tools" / "gzip", (later, later))
    (tmp_path / "a.txt").write_text("a\n")
    (tmp_path / "x.sh").write_text(f"export PATH={tmp_path}/tools:$PATH\n")
    env = dict(os.environ, PATH="/usr/bin:/bin")
    return tmp_path, env


def _problems(line, env, cwd):
    return " ".join(p for r in gate.read_requests(None, line, env, str(cwd)) for p in r.problems)


@pytest.mark.parametrize(
    "line",
    [
        # the lines one command types: one shell's text
        "tmux -L q new -d -s x \\; send-keys -t x 'export PATH={w}/tools:$PATH' Enter "
        "'tar czf o.tgz a.txt' Enter",
        "tmux -L q new -d -s x \\; send-keys -t x 'export PATH={w}/tools:$PATH' Enter \\; "
        "send-keys -t x 'tar czf o.tgz a.txt' Enter",
        "tmux -L q new -d -s x \\; send-keys -t x 'cd tools' Enter 'PATH=.:/usr/bin:/bin tar "
        "czf o.tgz a.txt' Enter",
        "tmux -L q new -d -s x \\; send-keys -t x 'echo x\r' 'PATH={w}/tools:/usr/bin:/bin tar "
        "czf o.tgz a.txt' Enter",
        # the pane's folder (tmux -c)
        "tmux -L q new -d -s x -c tools \\; send-keys -t x 'PATH=.:/usr/bin:/bin tar czf o.tgz "
        "a.txt' Enter",
        "tmux -L q new -d -s x -c '#{pane_current_path}' \\; send-keys -t x 'PATH=.:/usr/bin:/bin "
        "tar czf o.tgz a.txt' Enter",
        # a file written since the kernel started, sourced
        "tmux -L q new -d -s x \\; send-keys -t x 'source ./x.sh' Enter",
        # a pane made by an earlier start
        "tmux -L q send-keys -t x 'tar czf o.tgz a.txt' Enter",
    ],
)
def test_typed_lines_are_read_as_one_shell(work, line):
    cwd, env = work
    assert _problems(line.replace("{w}", str(cwd)), env, cwd), line


def test_a_new_inputrc_is_refused_with_typed_keys(work):
    cwd, env = work
    (cwd / "rc").write_text('"\\C-m": "tools/gzip\\n"\n')
    later = time.time() + 5
    os.utime(cwd / "rc", (later, later))
    line = "tmux -L q new -d -s x \\; send-keys -t x ls Enter"
    assert "rc" in _problems(line, dict(env, INPUTRC=str(cwd / "rc")), cwd)
    # with no keys typed too (red team 90 F10, fixD): the pane keeps INPUTRC for the keys typed
    # into it later, and a server it starts for every later pane (``pane_shell``)
    assert "INPUTRC" in _problems("tmux -L q new -d -s x", dict(env, INPUTRC=str(cwd / "rc")), cwd)


@pytest.mark.parametrize(
    "line",
    [
        "tmux new -d -s train 'python3 train.py'",
        "tmux ls",
        "tmux kill-session -t x",
        "tmux -L q new -d -s x",
        "tmux -L q send-keys -t train C-c",  # stops what runs: no line typed
        "tmux -L q new -d -s x \\; send-keys -t x 'ls' Enter",
        "tmux -L q new -d -s x \\; send-keys 'ls -l' C-m",
        "tmux -L q new -d -s x \\; send-keys -t =x: 'echo' Space 'hi > hi.txt' Enter",
        "tmux -L q new -d -s x \\; send-keys -t x:0.0 'cd /tmp && ls' Enter 'ls' Enter",
        "tmux -L q new -d -s x \\; send-keys -t x 'if ! false; then echo ok; fi' Enter",
        "tmux -L q new -d -s x \\; send-keys -t x -N 2 'echo hi' Enter",
    ],
)
def test_no_false_refusals(work, line):
    cwd, env = work
    assert _problems(line, env, cwd) == "", line
