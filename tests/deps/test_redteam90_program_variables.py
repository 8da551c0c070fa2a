"""Red team 90 F2 (fix90c): a program the start runs through a VARIABLE naming the cell's new
program file: ``npm config edit`` runs $EDITOR / $VISUAL / npm_config_editor, ``npm bugs``
(docs, home, repo, help) npm_config_browser or xdg-open, which runs $BROWSER; npm runs every
script with npm_config_script_shell; xdg-open, sensible-editor/-browser, visudo, ``systemctl
edit``, ``conda config --edit`` run $EDITOR/$BROWSER/$SYSTEMD_EDITOR. Those variables were
never read (only a table's, git's GIT_EDITOR, as shell text), while the same path as a word
(``--editor=tools/mytool``) is read as a start.

Fixed (``program_variables``, ``commands._refuse_program_variables``): such a variable the
start's environment holds with another value than the kernel was launched with is read as
the start of the program it names: a program file written since the kernel started is then
refused as the word would be; a value Warden cannot split into plain words is refused. No
false refusals: ``EDITOR=vim git commit``, an older editor of the cell's folder, ``npm ls``,
``npm config get registry``."""

import os

import pytest
from install_env import line_problems
from launched import installed
from test_age81_old_path_programs import _older_than_a_start
from test_redteam86b_login_shell_path import _full_path_payload

WRITE = """import os, subprocess
os.makedirs('tools', exist_ok=True)
with open('tools/mytool', 'w') as fh:
    fh.write({payload!r})
os.chmod('tools/mytool', 0o755)
import json
json.dump(dict(name='x', version='1.0.0', bugs=dict(url='http://example.invalid/b'),
               scripts=dict(test='echo t')), open('package.json', 'w'))
"""

CELLS = {
    "npm-config-edit-environ": "os.environ['EDITOR'] = os.getcwd() + '/tools/mytool'\n"
    "subprocess.run(['npm', 'config', 'edit', '--location=project'])\n",
    "npm-test-script_shell": "os.system('npm_config_script_shell=tools/mytool npm test')\n",
}


@pytest.mark.parametrize("form", list(CELLS))
def test_program_named_by_a_variable(kernel, form):
    """The red team's proof (test_rt90_program_variables.py): installs without Warden,
    refused with it."""
    installed("npm")
    cell = WRITE.format(payload=_full_path_payload(kernel)) + CELLS[form]
    guarded = kernel.kept_from_refused_host(cell)
    assert guarded["refused"], guarded


# -- the spellings, read as the kernel's gate reads a line ---------------------------------------

MYTOOL = '#!/usr/bin/perl\nmy $p = "p" . "ip";\nsystem($p, "install", "warden-demo-pkg");\n'


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tools").mkdir()
    tool = tmp_path / "tools" / "mytool"
    tool.write_text(MYTOOL)
    tool.chmod(0o755)
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    return tmp_path


@pytest.mark.parametrize(
    "line",
    [
        "EDITOR=$PWD/tools/mytool npm config edit --location=project",
        "VISUAL=tools/mytool npm config edit",
        "npm_config_editor=$PWD/tools/mytool npm config edit --location=project",
        "NPM_CONFIG_EDITOR=tools/mytool npm edit x",
        "npm_config_script_shell=tools/mytool npm test",
        "env npm_config_script-shell=tools/mytool npm run x",
        "BROWSER=$PWD/tools/mytool npm bugs",
        "npm_config_browser=tools/mytool npm docs",
        "BROWSER=$PWD/tools/mytool xdg-open http://example.invalid/",
        "BROWSER=firefox:tools/mytool xdg-open http://example.invalid/",
        "EDITOR=$PWD/tools/mytool sensible-editor package.json",
        "BROWSER='tools/mytool %s' sensible-browser http://x",
        "EDITOR=tools/mytool visudo",
        "SYSTEMD_EDITOR=tools/mytool systemctl edit x",
        "EDITOR=tools/mytool conda config --edit",
        "WGET_ASKPASS=tools/mytool wget -q --use-askpass= http://example.invalid/x",
        "export EDITOR=tools/mytool; npm config edit",
        "VISUAL='$(tools/mytool)' npm config edit",
        "EDITOR='tools/mytool; x' sensible-editor f",
    ],
)
def test_a_variable_naming_a_new_program_is_read_as_its_start(work, line):
    found = line_problems(line, work)
    assert found, line


@pytest.mark.parametrize(
    "line",
    [
        "EDITOR=vim git commit -q --allow-empty -m x",
        "EDITOR=vim sensible-editor f.txt",
        "EDITOR='code --wait' sensible-editor f.txt",
        "EDITOR=tools/oldeditor sensible-editor f.txt",
        "PAGER=less man ls",
        "PAGER=cat GIT_PAGER=cat git log -1",
        "BROWSER=firefox xdg-open http://example.invalid/",
        "npm ls",
        "npm config get registry",
    ],
)
def test_an_ordinary_editor_passes(work, line):
    old = work / "tools" / "oldeditor"
    old.write_text("#!/bin/sh\nexit 0\n")
    old.chmod(0o755)
    _older_than_a_start(old)
    assert line_problems(line, work) == [], line


def test_the_kernels_own_editor_is_not_read(work, monkeypatch):
    """A value the kernel was launched with is the launcher's (``inherited_env``), not read."""
    from jupyterlab_warden.kernel.guard.installs import inherited_env, program_variables

    monkeypatch.setattr(inherited_env, "launch_value", lambda name: "tools/mytool")
    assert program_variables.changed({"EDITOR": "tools/mytool"}) == []
    assert program_variables.changed({"EDITOR": "vim"}) == [("EDITOR", "vim")]
    assert os.path.exists(work / "tools" / "mytool")
