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
"""

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


@pytest.mark.parametrize(
    "setting",
    [
        "os.environ['WANDB_NOTES'] = 'run $1 of 3'",
        "os.environ['DB_PASS'] = 'Xk9$?pQ2#$$!'",
        "os.environ['PS1'] = '\\\\u@\\\\h:\\\\w\\\\$ '",
        "os.environ['PROMPT_NOTE'] = '\\\\u [$?] \\\\w $# args'",
        "os.environ['RUN_NAME'] = 'seed $RANDOM on $HOSTNAME'",
    ],
    ids=["notes-positional", "password", "ps1", "prompt-status", "note-random"],
)
def test_ordinary_values_with_special_parameters_pass(kernel, setting):
    """Values that are no commands: a special parameter in an argument, or in one word."""
    code = (
        f"import os, subprocess\n{setting}\n"
        "subprocess.run(['true'], check=True)\nassert os.system('true') == 0\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result


@pytest.mark.parametrize(
    "value",
    ["./$# p", "./$? p", "./${#} p", "./${10} p", "$0 -c x", "x; $@ y", "$_ y", "$RANDOM y",
     "./$LINENO p", "${_:-uv} p", "-XX:OnError=./$$ x", '"./$!" p'],
)  # fmt: skip
def test_the_reading_of_a_special_parameter(tmp_path, value):
    here = {"PATH": "/usr/bin:/bin", "RANDOM": "sh", "LINENO": "x"}.get
    found = command_values.runs_command(value, here, str(tmp_path))
    assert found.startswith("uses a shell expansion Warden cannot know"), found


def test_one_list_of_what_the_shell_sets():
    for name in ("#", "?", "-", "$", "!", "0", "9", "10", "@", "*", "_", "RANDOM", "IFS", "PPID"):
        assert shell_values.shell_sets(name), name
    for name in ("HOME", "PATH", "X", "_X", "npm_config_call", "1a"):
        assert not shell_values.shell_sets(name), name
    # the line state's resolve reads them as the shell's, not the line's or the environment's
    assert shell_values.resolve("$_:$X", {"_": "/a", "X": "b"}.get, commands._EXPANSION,
                                commands._SUBSTITUTION) is None  # fmt: skip
    assert shell_values.resolve("$X/$Y", {"X": "a", "Y": "b"}.get, commands._EXPANSION,
                                commands._SUBSTITUTION) == "a/b"  # fmt: skip
