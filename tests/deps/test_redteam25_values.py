"""Red team 25 R25-3: an environment value that carries a command some program runs.

Every JVM reads JAVA_TOOL_OPTIONS, and ``-XX:OnOutOfMemoryError=CMD`` runs CMD with
``/bin/sh -c`` (a small ``-XX:MaxMetaspaceSize`` makes jshell run out); npm reads every
``npm_config_*`` variable, and ``npm_config_call=CMD npm exec`` runs CMD. Warden read a start's
environment only for the variables of its tables, so both installed with Warden. Now a value
the notebook sets (not the launcher's) that may be command text and names an installer, a
shell, a code interpreter or a program running its input as commands is refused where it is
set in the kernel, given to one start, or given on a line (``command_values``).

Each proof runs for real: without Warden uv installs from the test index; with Warden the
cell is refused and the index sees no request.
"""

import os

import pytest
from launched import installed, system_cell

from jupyterlab_warden.kernel.guard.installs import command_values

UV = (
    "uv pip install -q --no-config --no-cache --target {target} --index-url {index} warden-demo-pkg"
)
JAVA = "-XX:MaxMetaspaceSize=8m '-XX:OnOutOfMemoryError=" + UV + "'"
QUOTED = UV.replace("uv pip", 'u""v p""ip')
# one word to a blank test: the JVM's /bin/sh -c splits it at ${IFS}
JAVA_IFS = "-XX:MaxMetaspaceSize=8m -XX:OnOutOfMemoryError=" + UV.replace(" ", "${{IFS}}")

PROOFS = {
    "jshell-env": (
        "jshell",
        "import os, subprocess\nsubprocess.run(['jshell'], stdin=subprocess.DEVNULL, "
        f"env=dict(os.environ, JAVA_TOOL_OPTIONS={JAVA!r}))\n",
    ),
    "jshell-environ": (
        "jshell",
        f"import os\nos.environ['JAVA_TOOL_OPTIONS'] = {JAVA!r}\nos.system('jshell < /dev/null')\n",
    ),
    "jshell-line": ("jshell", system_cell(f'JAVA_TOOL_OPTIONS="{JAVA}" jshell < /dev/null')),
    "npm-env": (
        "npm",
        "import os, subprocess\nsubprocess.run(['npm', 'exec'], "
        f"env=dict(os.environ, npm_config_call={UV!r}))\n",
    ),
    "npm-environ": (
        "npm",
        f"import os\nos.environ['npm_config_call'] = {UV!r}\nos.system('npm exec')\n",
    ),
    "jshell-ifs": (
        "jshell",
        "import os, subprocess\nsubprocess.run(['jshell'], stdin=subprocess.DEVNULL, "
        f"env=dict(os.environ, JAVA_TOOL_OPTIONS={JAVA_IFS!r}))\n",
    ),
    "npm-quoted": (
        "npm",
        "import os, subprocess\nsubprocess.run(['npm', 'exec'], "
        f"env=dict(os.environ, npm_config_call={QUOTED!r}))\n",
    ),
}


@pytest.mark.parametrize("case", list(PROOFS))
def test_a_value_carrying_a_command_is_refused(kernel, case):
    program, code = PROOFS[case]
    installed(program)
    installed("uv")
    refused = kernel.proves(code)
    # (the ${IFS} value is refused for its expansion since red team 26: another variable's)
    assert "holds a command that runs uv" in refused or "shell expansion" in refused, refused


@pytest.mark.parametrize(
    "code",
    [
        "os.environ['JAVA_TOOL_OPTIONS'] = '-Xmx256m -Dfile.encoding=UTF8'\n"
        "os.system('java -version 2> /dev/null')\n",
        "os.environ['GIT_SSH_COMMAND'] = 'ssh -i /tmp/key -o StrictHostKeyChecking=no'\n"
        "os.system('git --version > /dev/null')\n",
        "os.environ['PYSPARK_SUBMIT_ARGS'] = '--packages org.a:b:1.0 pyspark-shell'\n"
        "os.environ['WANDB_NOTES'] = 'compare the R and python baselines'\n"
        "os.environ['CONDA_PKGS_DIRS'] = '/opt/conda/pkgs,/tmp/conda'\n"
        "import subprocess\nsubprocess.run(['true'], env=dict(os.environ, PAGER='less -R'))\n",
    ],
    ids=["java-options", "git-ssh-command", "ordinary-values"],
)
def test_ordinary_values_stay_allowed(kernel, code):
    result = kernel.cell("import os\n" + code, launched=True)
    assert result["refused"] is None, result


def test_what_a_value_runs():
    assert command_values.runs_command("-XX:OnError=/bin/bash x.sh; true") == "runs bash"
    assert command_values.runs_command("printf x | xargs env") == "runs xargs"
    assert command_values.runs_command("echo QQ== | base64 -d | perl") == "runs perl"
    assert command_values.runs_command("/opt/conda/bin") == ""  # one word: no command text
    assert command_values.runs_command("a /opt/conda b") == ""  # a folder, no program
    assert command_values.runs_command("ssh -i key host") == ""


def test_a_values_expansions_are_read():
    """A value a program runs with ``/bin/sh -c`` is expanded there: ``uv${IFS}pip`` is one
    word to a blank test and ``uv pip`` to the shell; ``$C $D install`` runs what two other
    variables hold (red team 26 R26-1): parameters are read as the environment holds them."""
    held = {"C": "uv", "D": "pip", "E": "", "PATH": os.environ["PATH"]}.get
    assert (
        command_values.runs_command("-XX:OnError=uv${IFS}pip${IFS}install${IFS}x", held)
        == "runs uv"
    )
    assert command_values.runs_command("$C $D install x", held) == "runs uv"
    assert command_values.runs_command("$C $D install x") == ""  # unset: nothing runs
    assert command_values.runs_command("-XX:OnError=u${E}v pip", held) == "runs uv"
    # red team 27: ${X:-w} is evaluated; an operator Warden does not evaluate, or a
    # substitution's output, in command position is unknown; a substitution runs its text
    assert command_values.runs_command("${C:-uv} pip", held) == "runs uv"
    assert command_values.runs_command("${C#x} x").startswith("uses a shell expansion")
    assert command_values.runs_command("x=$(printf a)").startswith("uses a shell expansion")
    assert command_values.runs_command("-XX:OnError=`bash -i` x") == "runs bash"
    assert command_values.runs_command("-XX:OnError=`id`") == ""  # one word: as `id` alone
    assert command_values.runs_command("abc$123") == ""  # a password: one word, no program
    assert command_values.runs_command("pa$sword") == ""


def test_a_value_set_before_the_variables_it_names_is_read_again():
    """``npm_config_call='$C$D run x'`` set first reads as nothing; setting C=u and D=v after
    makes it run uv: the change that makes it so is refused."""
    env = {"npm_config_call": "$C$D run x", "PATH": os.environ["PATH"]}
    assert command_values.refused_change("C", "u", env) == ""  # `u run x`
    env["C"] = "u"
    assert "holds a command that runs uv" in command_values.refused_change("D", "v", env)
