"""Red team 13: values the shell assigns or evaluates in ways the line state did not follow.

- R13-13: bash runs shell text held in a value (PS4 under ``set -x``, ``${x@P}``, arithmetic
  on a variable holding ``a[$(...)]``, ``mapfile -C``): the ``$`` is assembled from a variable,
  so no ``$(`` stands in the text.
- R13-18: ``X=DIR; export PATH=$X:$PATH; ls pip install ...`` (DIR/ls a link to uv): the PATH
  was read as the literal ``$X:...``.
- R13-19: a uv setting assigned by ``for NAME in``, ``${NAME:=v}``: only start variables were
  made unknown.
- R13-20: bash ``set -k``: a trailing ``UV_CONFIG_FILE=c.toml`` word is uv's environment.

Each malicious line proves itself in a kernel of the lab's launch environment (without Warden
it installs from the local index, with Warden nothing starts); the ordinary lines keep running.
"""

import os
import re

import pytest
from launched import HIDDEN, UV_LINE, bash_cell, system_cell
from real_uv import real_uv

from jupyterlab_warden.kernel.guard.installs import commands

CASES = {
    # R13-13
    "PS4 + set -x": bash_cell(f"d='$'; export PS4=\"{HIDDEN}\"; set -x; :"),
    "@P": bash_cell(f'd=\'$\'; x="{HIDDEN}"; : "${{{{x@P}}}}"'),
    "arithmetic $((x))": bash_cell(f"d='$'; x=\"a[{HIDDEN}]\"; echo $((x))"),
    "[[ x -eq 1 ]]": bash_cell(f"d='$'; x=\"a[{HIDDEN}]\"; [[ x -eq 1 ]]"),
    "mapfile -C": bash_cell(
        "mapfile -C 'u$@v p$@ip install -q --no-cache --target {target} --index-url {index} "
        "warden-demo-pkg; :' -c 1 a < /etc/hostname"
    ),
    # R13-18
    "export PATH=$X:$PATH": system_cell(
        "X={work}/d; export UV_INDEX_URL={index}; export PATH=$X:$PATH; "
        "ls pip install -q --no-cache --target {target} warden-demo-pkg"
    ),
    "export PATH=$(...)": system_cell(
        "export UV_INDEX_URL={index}; export PATH=$(echo {work}/d):$PATH; "
        "ls pip install -q --no-cache --target {target} warden-demo-pkg"
    ),
    # R13-19
    "for NAME in": system_cell(
        f"for UV_INDEX_URL in {{index}}; do export UV_INDEX_URL; {UV_LINE}; done"
    ),
    "${NAME:=v}": system_cell(
        f": ${{{{UV_INDEX_URL:={{index}}}}}}; export UV_INDEX_URL; {UV_LINE}"
    ),
    "bash read NAME": bash_cell(f"read UV_INDEX_URL <<< {{index}}; export UV_INDEX_URL; {UV_LINE}"),
    # R13-20
    "set -k": bash_cell(f"set -k; {UV_LINE} UV_CONFIG_FILE={{work}}/c.toml"),
    "set -o keyword": bash_cell(f"set -o keyword; {UV_LINE} UV_CONFIG_FILE={{work}}/c.toml"),
    "bash -k -c": system_cell(f"bash -k -c '{UV_LINE} UV_CONFIG_FILE={{work}}/c.toml'"),
}


@pytest.mark.parametrize("cell", CASES.values(), ids=CASES.keys())
def test_a_value_the_shell_assigns_or_evaluates_unread_is_refused(kernel, cell):
    work = kernel.work
    (work / "d").mkdir()
    (work / "d" / "ls").symlink_to(real_uv())
    (work / "c.toml").write_text(f'index-url = "{kernel.index.simple}"\n')
    refused = kernel.proves(cell.replace("{work}", str(work)))
    assert "Warden" in refused


@pytest.mark.parametrize(
    "line, why",
    [
        ('d=$; x="a[${d}(ls)]"; let y=x', "arithmetic on the line evaluates"),
        ('d=$; x="a[${d}(ls)]"; echo ${a[x]}', "arithmetic on the line evaluates"),
        ("read x < f; echo $[x]", "arithmetic on the line evaluates x"),
        ("declare -n r=PS4; r=x; set -x", "prompt variable"),
        ("compgen -C ls x", "compgen runs"),
        ("x=$(cat f); echo ${!x}", "arithmetic on the line evaluates x"),
        ("set -o history; history -s ls; fc -s", "history runs or edits"),
        ("enable -f ./b.so b", "enable -f loads"),
        ("export PATH=$(npm bin):$PATH; ls pip install x", "PATH the line set"),
        ("X=/d; export PATH='$X':$PATH; ls", "PATH the line set"),
    ],
)
def test_an_evaluated_or_unknown_value_is_unreadable(line, why):
    with pytest.raises(commands.Unreadable, match=re.escape(why)):
        commands.shell_invocations(line)


@pytest.mark.parametrize(
    "line",
    [
        "for UV_INDEX_URL in x; do export UV_INDEX_URL; done; uv pip install numpy",
        "printf -v UV_INDEX_URL %s x; export UV_INDEX_URL; uv pip install numpy",
        "declare -n r=UV_INDEX_URL; r=x; export UV_INDEX_URL; uv pip install numpy",
        "getopts o XDG_CONFIG_HOME; uv pip install numpy",
    ],
)
def test_an_installer_setting_assigned_by_name_is_unreadable(line):
    found = commands.shell_invocations(line)
    assert found and all("cannot resolve" in inv.problem for inv in found), found


@pytest.mark.parametrize(
    "line, installs",
    [
        ("export PATH=$HOME/.local/bin:$PATH; pip install numpy", ["numpy"]),
        ("export PATH=$HOME/.local/bin:$PATH; uv pip install numpy", ["numpy"]),
        ("for f in a b; do echo $f; done; uv pip install numpy", ["numpy"]),
        ("x=$((1<<2)); uv pip install numpy", ["numpy"]),
        ("for ((i=0;i<3;i++)); do echo $i; done\npip install numpy", ["numpy"]),
        ("set -e; uv pip install numpy", ["numpy"]),
        ("pip install 'numpy[extra]'", ["numpy[extra]"]),
    ],
)
def test_ordinary_lines_keep_running(line, installs):
    found = commands.shell_invocations(line)
    assert [inv.args[-1] for inv in found] == installs
    assert all(not inv.problem for inv in found), found


def test_set_k_reads_a_trailing_assignment_as_the_install_environment():
    found = commands.shell_invocations("set -k; uv pip install numpy UV_INDEX_URL=https://x/s")
    assert found[0].env.get("UV_INDEX_URL") == "https://x/s"
    assert found[0].args[-1] == "numpy"
    # without set -k the word is an argument (uv reads it as a requirement)
    plain = commands.shell_invocations("uv pip install numpy UV_INDEX_URL=https://x/s")
    assert "UV_INDEX_URL" not in plain[0].env


def test_an_assignment_from_known_variables_is_read_as_its_value():
    found = commands.shell_invocations("X=https://x/s; export UV_INDEX_URL=$X; uv pip install a")
    assert found[0].env.get("UV_INDEX_URL") == "https://x/s" and not found[0].problem
    # inherited names count for PATH only (which program runs); a setting stays unresolved
    line = commands.shell_invocations("export PATH=$HOME/x:$PATH; uv pip install a")
    assert line[0].env["PATH"] == os.environ["HOME"] + "/x:" + os.environ["PATH"]
    assert not line[0].problem
    line = commands.shell_invocations("export UV_INDEX_URL=$U; uv pip install a")
    assert "cannot resolve" in line[0].problem
