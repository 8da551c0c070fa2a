"""Red team 26: what red team 25's fixes read too little of.

R26-1: a value the notebook sets was read for names, not as the shell expands it: ``$C $D
install`` with C=uv and D=pip set apart (each one word), a link in command position (``./p``,
p a link to pip). R26-2: an exported bash function was left to the shell rule, which reads only
the shells Warden sees; npm starts bash itself (``npm_config_script_shell=bash``). R26-3: in
text an untabled program hands to ``sh -c``, a pattern hid a link's name (``./[p]``), a ``cd``
or a PATH the text sets moved where a name is found. Now a value's parameters, links and
patterns in command position, PATH and cd are read (``command_values``, ``handed_text.
unplaceable``, ``commands._refuse_unplaced_text``), and a shell's own code variable is refused
where the notebook sets it, whatever starts next.

Each proof runs for real: without Warden the package lands from the test index; with Warden
the cell is refused and the index sees no request.
"""

import pytest
from launched import installed

PIP_TAIL = "install -q --no-cache-dir --target {target} --index-url {index} warden-demo-pkg"
UV = (
    "uv pip install -q --no-config --no-cache --target {target} --index-url {index} warden-demo-pkg"
)
# p: a link to the kernel's pip under a name no list holds; s/q the same in a folder s
LINKS = (
    "import os, shutil, subprocess, sys\n"
    "pip = os.path.join(os.path.dirname(sys.executable), 'pip')\n"
    "for old in ('p', 's'):\n"
    "    if os.path.islink(old) or os.path.isfile(old):\n"
    "        os.remove(old)\n"
    "    shutil.rmtree(old, ignore_errors=True)\n"
    "os.makedirs('s')\n"
    "os.symlink(pip, 'p')\n"
    "os.symlink(pip, 's/q')\n"
)


def _npx(text: str) -> str:
    return LINKS + f"subprocess.run(['npx', '-c', {text!r}])\n"


@pytest.mark.parametrize(
    "code",
    [
        # R26-1 (a): two one-word values, then a value that runs what they hold
        "import os, subprocess\nos.environ['C'] = 'uv'\nos.environ['D'] = 'pip'\n"
        f"os.environ['npm_config_call'] = {'$C $D ' + UV.split(' ', 2)[2]!r}\n"
        "subprocess.run(['npm', 'exec'])\n",
        # R26-1 (c): a link in command position of a value
        LINKS + f"subprocess.run(['npm', 'exec'], env=dict(os.environ, npm_config_call="
        f"{'./p ' + PIP_TAIL!r}))\n",
        # R26-2: an exported function shadowing `true`, run by the bash npm starts
        "import os, subprocess\n"
        f"os.environ['BASH_FUNC_true%%'] = {'() {{ ' + UV + '; }}'!r}\n"
        "subprocess.run(['npm', 'exec', '--call=true'], "
        "env=dict(os.environ, npm_config_script_shell='bash'))\n",
    ],
    ids=["value-parameters", "value-link", "bash-function-through-npm"],
)
def test_a_value_read_as_the_shell_expands_it(kernel, code):
    installed("npm")
    installed("uv")
    refused = kernel.proves(code)
    assert "set by the notebook" in refused, refused


@pytest.mark.parametrize(
    "text",
    [
        "./[p] " + PIP_TAIL,  # the pattern matches ./p: the link's name is hidden
        "cd s && ./q " + PIP_TAIL,  # s/q runs; ./q is nothing
        "PATH=s q " + PIP_TAIL,  # q found on the PATH the text sets
    ],
    ids=["pattern", "cd", "path"],
)
def test_handed_text_whose_programs_move_is_refused(kernel, text):
    installed("npx")
    refused = kernel.proves(_npx(text))
    assert "as shell text" in refused, refused


@pytest.mark.parametrize(
    "value",
    [
        "PPO agent on the CartPole env",
        "ppo env=CartPole-v1 seed=0",
        "sales dash, Q3",
        "why? because [lr] matters",
    ],
)
def test_ordinary_notes_are_set(kernel, value):
    """Red team 26 R26-4: a note naming a wrapper or shell outside command position, or with a
    pattern that matches nothing, is no command."""
    code = f"import os\nos.environ['WANDB_NOTES'] = {value!r}\nos.system('true')\n"
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result


def test_jq_filters_still_run(kernel):
    """A handed-text pattern that matches no file stays a word (jq's ``.[]``)."""
    installed("jq")
    code = "import subprocess\nsubprocess.run(['jq', '-n', '[1] | .[] | select(. > 0)'])\n"
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result


def test_the_shell_code_names_are_the_shell_rules():
    """command_values looks at these names before it loads the full reading: they must be the
    ones commands.shell_code_variable reads (besides BASH_FUNC_* and the interactive ones)."""
    from jupyterlab_warden.kernel.guard.installs import command_values, commands

    assert command_values._SHELL_CODE_NAMES == commands._SHELL_CODE | {"PS4"} | (
        commands._PYENV_CODE  # pyenv's hook folders (red team 31 R31-4)
    )
