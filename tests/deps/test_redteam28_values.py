"""Red team 28a R28a-4 (kernel side): a parameter the shell sets itself, read as nothing.

``npm_config_call='./$# p[i]p install ...'`` with a link ``./0`` to uv installed through
``npm exec``: npm's ``sh -c`` sets ``$#`` (and ``$?``) to 0, and ``command_values`` read the
special parameters as empty. fix27a had made only PWD, OLDPWD, npm_*, INIT_CWD and NODE
unknown in command position. Now every parameter the shell sets itself is, by the one list
``shell_values.shell_sets`` (the special and positional parameters, braced too, and bash's
own variables: RANDOM, LINENO, HOSTNAME...), and the line state's ``resolve`` reads it too:
``$_`` on a ``!`` line was read as the kernel's environment holds ``_``, while bash sets it to
the previous command's last word (``: DIR; export PATH=$_:$PATH; k`` in bash ran DIR/k; dash
reads ``_`` from its environment).

Each proof runs for real: without Warden the package lands from the test index; with Warden
the cell is refused and the index sees no request. The ``$#``/``$?`` cases are variants of
the red team's (its own ``npm_config_call`` in ``os.environ`` is the first).

Red team 28b R28b-3 (fix28d): the list lacked what dash and bash give a default when the
environment has none. dash (npm's ``sh -c``) sets PS1 ('# ' as root), PS2 ('> '), PS4 ('+ '):
``./$PS4 p[i]p install ...`` was read as ``./ pip ...`` and dash ran a link ``./+`` to uv;
bash sets TERM=dumb (``./$TERM`` ran ``./dumb``) and, as root, PS4 whatever the environment
holds. The list is now the names the shells themselves list (``env -i dash -c set`` ... as
root and as nobody: ``shell_values.SPECIAL``'s comment), and the test below asks the shells
again. PATH stays the start's: only an unset one is the shell's (dash's default, or bash's,
which ends in ``.``), unknown in command position and searched as both.

Red team 28c R28c-4 (fix28e): npm's model lacked what npm itself sets for the ``sh -c`` that
runs ``npm_config_call``: COLOR ('0' or '1' whatever the environment holds), NODE_ENV
('production' when dev installs are omitted), NODE_PATH, HOME (``$HOME || os.homedir()``) and
PATH, which setPATH merges with every ``path``/``Path`` variable. ``./$COLOR``,
``./$NODE_ENV`` and (HOME unset) ``$HOME/k`` are now unknown in command position, and a name
is also looked up on PATH merged with each case variant of it. The test below asks npm again.
"""

import os
import re
import subprocess

import pytest
from launched import installed
from test_redteam27_values import ARGS, HEAD, _npm

from jupyterlab_warden.kernel.guard.installs import command_values, commands, shell_values

# HEAD, and no `0` or `1` left by an earlier run; `link(path)` makes a link to uv
ZERO = HEAD + "for f in ['0', '1']:\n    os.path.lexists(f) and os.remove(f)\n"


def _value(word: str) -> str:
    return repr(word + " p[i]p " + ARGS)


PROOFS = {
    # the red team's form: set in the kernel, inherited by npm exec
    "dollar-hash-inherited": ZERO
    + "link('0')\n"
    + f"os.environ['npm_config_call'] = {_value('./$#')}\n"
    + _npm(),
    # $? given to one start in env=
    "dollar-question-env": ZERO
    + "link('0')\n"
    + f"subprocess.run(['npm', 'exec'], env=dict(os.environ, npm_config_call={_value('./$?')}))\n",
    # "$#" quoted, on a shell line's assignment
    "dollar-hash-quoted-line": ZERO
    + "link('0')\n"
    + "os.system('npm_config_call=' + repr("
    + _value('"./$#"')
    + ") + ' npm exec')\n",
    # $# in a PWD-made path, npm exec started in another folder
    "dollar-hash-after-pwd": ZERO
    + "link('sub/0')\n"
    + f"os.environ['npm_config_call'] = {_value('$PWD/$#')}\n"
    + _npm(", cwd='sub'"),
}


# R28b-3: HEAD, no `+`, `>`, `#`, `dumb` left by an earlier run; the kernel's prompts unset
# (dash then gives its own: '+ ', '> ', '# ' as root) and TERM unset (bash then sets dumb)
PROMPTS = (
    HEAD
    + "for f in ['+', '>', '#', 'dumb']:\n    os.path.lexists(f) and os.remove(f)\n"
    + "[os.environ.pop(v, None) for v in ('PS1', 'PS2', 'PS4', 'TERM')]\n"
)
DEFAULTS = {
    # the red team's form: set in the kernel, inherited by npm exec (dash runs `./+ pip ...`)
    "ps4-inherited": PROMPTS
    + "link('+')\n"
    + f"os.environ['npm_config_call'] = {_value('./$PS4')}\n"
    + _npm(),
    # PS2 given to one start in env=
    "ps2-env": PROMPTS
    + "link('>')\n"
    + "subprocess.run(['npm', 'exec'], env=dict(os.environ, npm_config_call="
    + _value("./$PS2")
    + "))\n",
    # PS1 ('# ' as root: the tests run as root) on a shell line's assignment
    "ps1-root-line": PROMPTS
    + "assert os.geteuid() == 0\n"
    + "link('#')\n"
    + "os.system('npm_config_call=' + repr("
    + _value("./$PS1")
    + ") + ' npm exec')\n",
    # TERM: npm's script-shell set to bash, which sets TERM=dumb (`./dumb`, a link to uv)
    "term-bash-script-shell": PROMPTS
    + "link('dumb')\n"
    + "os.environ['npm_config_script_shell'] = 'bash'\n"
    + f"os.environ['npm_config_call'] = {_value('./$TERM')}\n"
    + _npm(),
}


@pytest.mark.parametrize("case", list(DEFAULTS))
def test_a_variable_the_shell_gives_a_default_is_unknown(kernel, case):
    installed("npm")
    installed("uv")
    installed("dash")
    installed("bash")
    refused = kernel.proves(DEFAULTS[case])
    assert "set by the notebook" in refused and "cannot know" in refused, refused
    name = {"ps4": "$PS4", "ps2": "$PS2", "ps1": "$PS1", "term": "$TERM"}[case.split("-")[0]]
    assert f"({name}" in refused, refused


@pytest.mark.parametrize("case", list(PROOFS))
def test_a_special_parameter_in_command_position_is_unknown(kernel, case):
    installed("npm")
    installed("uv")
    refused = kernel.proves(PROOFS[case])
    assert "set by the notebook" in refused and "cannot know" in refused, refused


def test_dollar_underscore_on_a_line_is_the_shells(kernel):
    """``$_`` is the previous command's last word to bash, not the kernel's ``_``: the line
    state read ``export PATH=$_:$PATH`` with the environment's value and looked ``k`` up on a
    PATH the shell does not use."""
    installed("uv")
    code = (
        HEAD
        + "d = os.path.abspath('sub/bin')\n"
        + "open(d + '/k', 'w').write('#!/bin/sh\\nexec {uv} pip ' + "
        + repr(ARGS)
        + " + '\\n')\n"
        + "os.chmod(d + '/k', 0o755)\n"
        + "os.environ['_'] = '/nonexistent'\n"
        + "subprocess.run(['bash', '-c', ': ' + d + '; export PATH=$_:$PATH; k'])\n"
    )
    refused = kernel.proves(code)
    assert "PATH" in refused, refused


def _starts_after(kernel, setting: str) -> None:
    """After ``setting`` (a value set, or a line run), a plain start and a shell line still
    run in a Warden kernel: nothing refused."""
    code = (
        f"import os, subprocess\n{setting}\n"
        "subprocess.run(['true'], check=True)\nassert os.system('true') == 0\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result


@pytest.mark.parametrize(
    "setting",
    [
        "os.environ['WANDB_NOTES'] = 'run $1 of 3'",
        "os.environ['DB_PASS'] = 'Xk9$?pQ2#$$!'",
        "os.environ['PS1'] = '\\\\u@\\\\h:\\\\w\\\\$ '",
        "os.environ['PROMPT_NOTE'] = '\\\\u [$?] \\\\w $# args'",
        "os.environ['RUN_NAME'] = 'seed $RANDOM on $HOSTNAME'",
        "os.environ['RUN_NOTE'] = 'on $TERM with $PS4 at $PATH'",
        "assert os.system('echo $TERM; echo $PS1; true; echo $?') == 0",
    ],
    ids=["notes-positional", "password", "ps1", "prompt-status", "note-random", "note-term",
         "line-term-ps1"],
)  # fmt: skip
def test_ordinary_values_with_special_parameters_pass(kernel, setting):
    """Values that are no commands: a special parameter in an argument, or in one word."""
    _starts_after(kernel, setting)


@pytest.mark.parametrize(
    "value",
    ["./$# p", "./$? p", "./${#} p", "./${10} p", "$0 -c x", "x; $@ y", "$_ y", "$RANDOM y",
     "./$LINENO p", "${_:-uv} p", "-XX:OnError=./$$ x", '"./$!" p', "./$PS4 p", "./$PS2 p",
     "./$PS1 p", "./$PS3 p", "./${PS0} p", "./$TERM p", "./$POSIXLY_CORRECT p", "${PS4:-x} p",
     "./$MAILCHECK p", "./$HISTFILE p"],
)  # fmt: skip
def test_the_reading_of_a_special_parameter(tmp_path, value):
    here = {"PATH": "/usr/bin:/bin", "RANDOM": "sh", "LINENO": "x"}.get
    found = command_values.runs_command(value, here, str(tmp_path))
    assert found.startswith("uses a shell expansion Warden cannot know"), found


@pytest.mark.parametrize("name", ["PS4", "PS2", "PS1", "TERM"])
def test_a_default_is_the_shells_whatever_the_environment_holds(tmp_path, name):
    """bash as root ignores an inherited PS4 and unsets PS1 and PS2 when not interactive: a
    value the start holds is not the one the shell expands (TERM: dash keeps it, bash sets
    dumb only when unset; unknown either way, as HOSTNAME and SHELL are)."""
    here = {"PATH": "/usr/bin:/bin", name: "ls"}.get
    found = command_values.runs_command(f"./${name} p", here, str(tmp_path))
    assert found.startswith("uses a shell expansion Warden cannot know"), found
    assert found == command_values.runs_command(f"./${name} p", {"PATH": "/bin"}.get, str(tmp_path))


def test_an_unset_path_is_the_shells_default(tmp_path):
    """PATH unset where the value runs: the shell uses its own (dash's; bash's ends in `.`),
    so `$PATH` there is unknown in command position and a name is looked up on both; a PATH
    the start has is the shell's, read as held."""
    unset = {}.get
    for value in (".$PATH p", "${PATH:-uv} p", "$PATH/uv p"):
        found = command_values.runs_command(value, unset, str(tmp_path))
        assert found.startswith("uses a shell expansion Warden cannot know"), (value, found)
        assert "($PATH" in found, found
    held = {"PATH": "/usr/bin:/bin"}.get
    for value in (".$PATH p", "echo $PATH x", "${PATH:-uv} p"):
        assert command_values.runs_command(value, held, str(tmp_path)) == "", value
    # bash's default PATH ends in `.`: `k` there is ./k when PATH is unset
    (tmp_path / "k").symlink_to(installed("uv"))
    assert command_values.runs_command("k x", unset, str(tmp_path)) == "runs uv"
    assert command_values.runs_command("k x", held, str(tmp_path)) == ""
    bash = ["env", "-i", installed("bash"), "-c", "k --version"]
    ran = subprocess.run(bash, cwd=tmp_path, capture_output=True, text=True)
    assert ran.stdout.startswith("uv"), ran
    # the line state: a kernel without PATH leaves `$PATH` on a line unknown (fail closed)
    assert shell_values.shell_sets("PATH", {}.get)
    assert not shell_values.shell_sets("PATH", {"PATH": ""}.get)


def _shell_lists(argv):
    """The names ``argv`` (a shell started with ``env -i ... -c set``) lists."""
    out = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL).stdout
    return {m.group(1) for m in re.finditer(r"(?m)^([A-Za-z_][A-Za-z0-9_]*)=", out)}


def test_the_list_holds_every_variable_the_shells_set():
    """What SPECIAL's comment was derived from, asked of the shells again: every name dash,
    sh and bash (--posix too) set in an empty environment, as root and as nobody."""
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    installed("setpriv")
    for shell in (["dash"], ["sh"], ["bash"], ["bash", "--posix"]):
        installed(shell[0])
        for user in ([], nobody):
            names = _shell_lists(user + ["env", "-i"] + shell + ["-c", "set"])
            assert {"IFS", "PPID", "PS4"} <= names, (shell, names)
            missed = {n for n in names if not shell_values.shell_sets(n, {"PATH": "/bin"}.get)}
            assert missed == {"PATH"}, (shell, user, missed)


@pytest.mark.parametrize(
    "line, installs",
    [
        ("echo $TERM", []),
        ("echo $PS1", []),
        ('echo "$PS4" $PS2', []),
        ("pip install x; echo $?", ["x"]),
        ("export PATH=$HOME/.local/bin:$PATH && pip install torch", ["torch"]),
        ("TERM=xterm-256color ls; pip install x", ["x"]),
    ],
)
def test_ordinary_lines_with_the_shells_variables_keep_running(line, installs):
    found = commands.shell_invocations(line)
    assert [inv.args[-1] for inv in found] == installs
    assert all(not inv.problem for inv in found), found


def test_one_list_of_what_the_shell_sets():
    for name in ("#", "?", "-", "$", "!", "0", "9", "10", "@", "*", "_", "RANDOM", "IFS", "PPID",
                 "PS1", "PS2", "PS4", "TERM", "POSIXLY_CORRECT"):  # fmt: skip
        assert shell_values.shell_sets(name), name
    for name in ("HOME", "PATH", "X", "_X", "npm_config_call", "1a"):
        assert not shell_values.shell_sets(name, {"PATH": "/bin"}.get), name
    # the line state's resolve reads them as the shell's, not the line's or the environment's
    assert shell_values.resolve("$_:$X", {"_": "/a", "X": "b"}.get, commands._EXPANSION,
                                commands._SUBSTITUTION) is None  # fmt: skip
    assert shell_values.resolve("$X/$Y", {"X": "a", "Y": "b"}.get, commands._EXPANSION,
                                commands._SUBSTITUTION) == "a/b"  # fmt: skip


# R28c-4: HEAD, no `0`, `1`, `production` left by an earlier run, COLOR and NODE_ENV unset
NPM_SETS = (
    ZERO
    + "os.path.lexists('production') and os.remove('production')\n"
    + "[os.environ.pop(v, None) for v in ('COLOR', 'NODE_ENV')]\n"
)
# a link ~root/k to uv (npm's os.homedir() as root), removed whatever the start does
ROOT_K = (
    "import pwd\nR = pwd.getpwuid(os.getuid()).pw_dir + '/k'\n"
    "os.path.lexists(R) and os.remove(R)\nos.symlink(shutil.which('uv'), R)\n"
)
NPM_OWN = {
    # the red team's form: COLOR unset in the kernel, npm sets 0 (no TTY)
    "color-unset-inherited": NPM_SETS
    + "link('0')\n"
    + f"os.environ['npm_config_call'] = {_value('./$COLOR')}\n"
    + _npm(),
    # COLOR=1 in the kernel: npm still sets 0
    "color-one-env": NPM_SETS
    + "link('0')\n"
    + "subprocess.run(['npm', 'exec'], env=dict(os.environ, COLOR='1', npm_config_call="
    + _value("./$COLOR")
    + "))\n",
    # npm_config_omit=dev: npm sets NODE_ENV=production
    "node-env-omit-dev": NPM_SETS
    + "link('production')\n"
    + "os.environ['npm_config_omit'] = 'dev'\n"
    + f"os.environ['npm_config_call'] = {_value('./$NODE_ENV')}\n"
    + _npm(),
    # `path` set in the kernel: setPATH merges it into PATH
    "lower-path-inherited": HEAD
    + "link('sub/bin/k')\n"
    + "os.environ['path'] = os.path.abspath('sub/bin')\n"
    + f"os.environ['npm_config_call'] = {_value('k')}\n"
    + _npm(),
    # `Path` given to one start, the value set first
    "title-path-env": HEAD
    + "link('sub/bin/k')\n"
    + f"os.environ['npm_config_call'] = {_value('k')}\n"
    + "subprocess.run(['npm', 'exec'], env=dict(os.environ, Path=os.path.abspath('sub/bin')))\n",
    # HOME taken out of env=: npm sets os.homedir(), where a link k to uv is
    "home-unset-env": HEAD
    + ROOT_K
    + f"os.environ['npm_config_call'] = {_value('$HOME/k')}\n"
    + "e = dict(os.environ)\ne.pop('HOME', None)\n"
    + "try:\n    subprocess.run(['npm', 'exec'], env=e)\nfinally:\n    os.remove(R)\n",
}


@pytest.mark.parametrize("case", list(NPM_OWN))
def test_a_variable_npm_sets_is_npms(kernel, case):
    installed("npm")
    installed("uv")
    refused = kernel.proves(NPM_OWN[case])
    assert "set by the notebook" in refused, refused
    if "path" not in case:
        assert "cannot know" in refused, refused
    else:
        assert "runs uv" in refused, refused


@pytest.mark.parametrize(
    "setting",
    [
        "os.environ['NODE_ENV'] = 'production'",
        "os.environ['COLOR'] = '1'",
        "os.environ['RUN_NOTE'] = 'COLOR is $COLOR in $NODE_ENV at $HOME'",
        "os.environ['npm_config_call'] = 'echo $COLOR $NODE_ENV'",
        "os.environ['path'] = '/usr/bin'",
        "assert os.system('echo $COLOR $NODE_ENV; true') == 0",
    ],
    ids=["node-env", "color", "note", "npm-echo", "lower-path", "line"],
)  # fmt: skip
def test_ordinary_values_with_npms_variables_pass(kernel, setting):
    _starts_after(kernel, setting)


@pytest.mark.parametrize("value", ["./$COLOR p", "./$NODE_ENV p", "./${NODE_PATH} p",
                                   "${COLOR:-x} p", "./$EDITOR p"])  # fmt: skip
def test_the_reading_of_what_npm_sets(tmp_path, value):
    here = {"PATH": "/usr/bin:/bin", "COLOR": "1", "NODE_ENV": "development"}.get
    found = command_values.runs_command(value, here, str(tmp_path))
    assert found.startswith("uses a shell expansion Warden cannot know"), found


def test_home_is_npms_when_unset(tmp_path):
    for value in ("$HOME/k p", "~/k p", "${HOME}/k p"):
        found = command_values.runs_command(value, {"PATH": "/bin"}.get, str(tmp_path))
        assert found.startswith("uses a shell expansion Warden cannot know"), (value, found)
        assert "HOME" in found, found
        held = {"PATH": "/bin", "HOME": str(tmp_path)}.get
        assert command_values.runs_command(value, held, str(tmp_path)) == "", value
    assert command_values.runs_command("echo $HOME x", {"PATH": "/bin"}.get, str(tmp_path)) == ""


def test_every_case_of_path_is_merged(tmp_path):
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "k").symlink_to(installed("uv"))
    bin_ = str(tmp_path / "bin")
    for variant in ("path", "Path", "pAtH", "PATh"):
        here = {"PATH": "/usr/bin:/bin", variant: bin_}.get
        assert command_values.runs_command("k x", here, str(tmp_path)) == "runs uv", variant
        found = command_values.runs_command(f".${variant} x", here, str(tmp_path))
        assert found.startswith("uses a shell expansion Warden cannot know"), found
        why = command_values.refused_change(
            variant, bin_, {"PATH": "/usr/bin:/bin", "npm_config_call": "k x"}, str(tmp_path)
        )
        assert "runs uv" in why, why
    # PATH alone is read as held
    held = {"PATH": "/usr/bin:/bin"}.get
    assert command_values.runs_command("k x", held, str(tmp_path)) == ""
    assert command_values.runs_command(".$PATH x", held, str(tmp_path)) == ""


def test_the_list_holds_every_variable_npm_sets(tmp_path):
    """What _PROGRAM_SET's comment was derived from, asked of npm again: every name `npm exec
    -c env` adds to a small environment (HOME unset, omit=dev) is npm's, the shell's, PATH (a
    merge: path is set to it too), or HOME (npm's when unset)."""
    installed("npm")
    base = {"PATH": os.environ["PATH"], "path": "/nonexistent", "npm_config_omit": "dev"}
    ran = subprocess.run(["npm", "exec", "-c", "env"], cwd=tmp_path, env=base,
                         capture_output=True, text=True, check=True)  # fmt: skip
    names = {m.group(1) for m in re.finditer(r"(?m)^([A-Za-z_][A-Za-z0-9_]*)=", ran.stdout)}
    assert {"COLOR", "NODE_ENV", "HOME", "INIT_CWD"} <= names, names
    added = names - set(base)
    lookup = dict(base).get
    for name in added:
        program = name in command_values._PROGRAM_SET or name.startswith("npm_")
        assert program or shell_values.shell_sets(name, lookup) or name in ("HOME", "PWD"), name
    assert "node_modules/.bin" in ran.stdout and "path=" in ran.stdout
