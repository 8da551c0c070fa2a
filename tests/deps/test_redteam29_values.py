"""Red team 29b R29b-3/4/5: what a shell makes of a value, read otherwise by Warden.

``command_values`` reads a value the notebook set (``npm_config_call``, a JVM's
``-XX:OnOutOfMemoryError``) as the shell that runs it would. Three of the shells' own readings
were missing, each running ``./0``, a link to uv, through ``npm exec``:

- R29b-3, a bracket expression in command position, matched with Python's glob, which knows
  neither POSIX classes (``./[[:digit:]]``) nor bash's ``[^x]``: it matched nothing, so the
  word was read as a file that does not exist. A bracket there is now refused unread;
- R29b-4, arithmetic (``./$((0))``, bash's ``./$[0]``), read as an empty command
  substitution: now unknown in command position, as a substitution's output is;
- R29b-5, bash's ``$'...'``/``$"..."`` quoting and brace expansion (``$'u'v``,
  ``{u..u}{v..v}``, with ``npm_config_script_shell=bash``): unknown, or refused unread.

Each proof runs for real: without Warden the package lands from the test index; with Warden
the cell is refused and the index sees no request.
"""

import os

import pytest
from launched import installed
from test_redteam27_values import ARGS, HEAD, _npm

from jupyterlab_warden.kernel.guard.installs import command_values

# HEAD, and no `0` left by an earlier run; `link(path)` makes a link to uv
ZERO = HEAD + "os.path.lexists('0') and os.remove('0')\n"
BASH = "os.environ['npm_config_script_shell'] = 'bash'\n"


def _npm_call(word: str, shell: str = "", rest: str = " p[i]p ") -> str:
    value = repr(word + rest + ARGS)
    return ZERO + "link('0')\n" + shell + f"os.environ['npm_config_call'] = {value}\n" + _npm()


PROOFS = {
    "posix-class-dash": (_npm_call("./[[:digit:]]"), "pattern ./[[:digit:]]"),
    "negation-bash": (_npm_call("./[^x]", BASH), "pattern ./[^x]"),
    "arithmetic-dash": (_npm_call("./$((1-1))"), "cannot know"),
    "bash-arithmetic": (_npm_call("./$[0]", BASH), "cannot know"),
    "ansi-c-quoting": (_npm_call("./$'\\x30'", BASH), "cannot know"),
    "brace-expansion": (
        HEAD + BASH + f"os.environ['npm_config_call'] = {'{{u..u}}{{v..v}} {{p..p}}ip ' + ARGS!r}\n"
        + _npm(),
        "brace expansion",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(PROOFS))
def test_a_shells_own_reading_of_a_value_is_refused(kernel, case):
    installed("npm")
    installed("uv")
    installed("dash")
    installed("bash")
    code, named = PROOFS[case]
    refused = kernel.proves(code)
    assert "set by the notebook" in refused and named in refused, refused


@pytest.mark.parametrize(
    "value",
    [
        "[ -n x ] && echo ready",  # `[`, the test command
        "echo {a,b} done",  # a brace expansion among the arguments
        '{"lr": 0.001, "epochs": 3}',  # JSON with blanks
        "echo $((2 * 3)) workers",  # arithmetic among the arguments
        "ls *.csv now",  # a pattern without brackets, read by its matches
        "tests/t.py::test_x[setsid] (setup)",  # pytest's PYTEST_CURRENT_TEST: [setsid] matches
        "model[large] v2",  # an ordinary bracket expression, matching no file
    ],
)
def test_ordinary_values_pass(value):
    assert command_values.runs_command(value, os.environ.get, os.getcwd()) == ""
