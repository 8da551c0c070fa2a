"""Red team 90 F8: an assignment Warden read as holding for the rest of the line although the
shell may not keep it there. The line state applied every ``X=v``, ``export X=v``, ``unset X``
to the commands written after it, while the shell drops it after a background job (``X=v &``),
a pipeline's stage, ``( ... )``, a command that did not run (``false && X=v``, an ``if``
branch, a function body never called or called later), and, in bash, an assignment in front of
a special builtin (``X=v :``; sh keeps that one). With the kernel's environment naming the
cell's new program (``os.environ['npm_config_script_shell'] = 'tools/mytool'``), ``f() {
npm_config_script_shell=/bin/true; }; npm test`` was read with /bin/true while npm ran
tools/mytool.

The other direction (the shell keeps what Warden drops: a special builtin's prefix under dash,
a called function's body, dash's prefix on a function call) was read already: kept as the
controls below.

Fixed (``assignment_scope``): the names such a command assigns or unsets are unknown from then
on (an installer setting unread, PATH's lookups refused, an exported one refused at any
program start by ``unknown_exports``); one joined by ``&&`` holds for the commands joined to it
by ``&&``. A command's own prefix assignments (``X=v cmd &``) stay its own."""

import pytest
from install_env import line_problems
from launched import installed, reading
from test_redteam86b_login_shell_path import _full_path_payload
from test_redteam90_program_variables import WRITE

# the kernel's environment names the new program as npm's script shell; the line "resets" it
KERNEL_VALUE = "os.environ['npm_config_script_shell'] = os.getcwd() + '/tools/mytool'\n"
CELLS = {
    "function-body": "os.system('f() {{ npm_config_script_shell=/bin/true; }}; npm test')\n",
    "background": "os.system('npm_config_script_shell=/bin/true & npm test')\n",
    "and-list": "os.system('false && npm_config_script_shell=/bin/true; npm test')\n",
    "pipeline": "os.system('npm_config_script_shell=/bin/true | true; npm test')\n",
    "subshell": "os.system('( npm_config_script_shell=/bin/true ); npm test')\n",
    "if-branch": "os.system('if false; then unset npm_config_script_shell; fi; npm test')\n",
    # refused before this fix too: the bash start itself is read with the kernel's value
    "bash-special-builtin": "subprocess.run('npm_config_script_shell=/bin/true : ; npm test', "
    "shell=True, executable='/bin/bash')\n",
}


@pytest.mark.parametrize("form", list(CELLS))
def test_an_assignment_the_shell_drops_does_not_mask_the_kernels_value(kernel, form):
    """Installs without Warden (npm runs tools/mytool, the value the line did not replace),
    refused with it."""
    installed("npm")
    installed("bash")
    cell = WRITE.format(payload=_full_path_payload(kernel)) + KERNEL_VALUE + CELLS[form]
    guarded = kernel.kept_from_refused_host(cell)
    assert guarded["refused"], guarded


def test_dash_keeps_a_special_builtins_prefix(kernel):
    """(a), the brief's direction: under dash ``PATH=$PWD/tools:$PATH :`` stays for tar, which
    runs the new tools/gzip. Installs without Warden, refused with it."""
    installed("tar")
    gzip = WRITE.replace("tools/mytool", "tools/gzip")
    line = "os.system('PATH=$PWD/tools:$PATH : ; tar czf o.tgz a.txt')\n"
    cell = gzip.format(payload=_full_path_payload(kernel)) + "open('a.txt', 'w').write('a')\n"
    guarded = kernel.kept_from_refused_host(cell + line)
    assert guarded["refused"], guarded


# -- the spellings, read as the kernel's gate reads a line ---------------------------------------


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    return tmp_path


@pytest.mark.parametrize(
    "line",
    [
        "UV_INDEX_URL=https://pypi.org/simple & uv pip install x",
        "{ UV_INDEX_URL=https://pypi.org/simple; } & uv pip install x",
        "UV_INDEX_URL=https://pypi.org/simple | true; uv pip install x",
        "true | UV_INDEX_URL=https://pypi.org/simple; uv pip install x",
        "( export UV_INDEX_URL=https://pypi.org/simple ); uv pip install x",
        "false && export UV_INDEX_URL=https://pypi.org/simple; uv pip install x",
        "true || UV_INDEX_URL=https://pypi.org/simple; uv pip install x",
        "true && UV_INDEX_URL=https://pypi.org/simple || true; uv pip install x",
        "if false; then UV_INDEX_URL=https://pypi.org/simple; fi; uv pip install x",
        "for x in; do UV_INDEX_URL=https://pypi.org/simple; done; uv pip install x",
        "f() { UV_INDEX_URL=https://pypi.org/simple; }; uv pip install x",
        "UV_INDEX_URL=https://pypi.org/simple : ; uv pip install x",
        "UV_INDEX_URL=https://pypi.org/simple export X=1; uv pip install x",
        "false && unset UV_INDEX_URL; uv pip install x",
        "f() { PATH=/usr/bin:/bin; }; pip install x",
        "PATH=/usr/bin:/bin & tar czf o.tgz package.json",
    ],
)
def test_an_assignment_that_may_not_hold_is_unknown(work, line):
    assert line_problems(line, work), line


def test_a_dropped_assignment_no_longer_masks_a_kernel_value(work, monkeypatch):
    """The kernel's own (changed) value stays what a later program may see."""
    tool = work / "tools" / "mytool"
    tool.parent.mkdir()
    tool.write_text("#!/usr/bin/perl\nsystem('p' . 'ip', 'install', 'x');\n")
    tool.chmod(0o755)
    monkeypatch.setenv("npm_config_script_shell", str(tool))
    for line in (
        "f() { npm_config_script_shell=/bin/true; }; npm test",
        "npm_config_script_shell=/bin/true & npm test",
        "false && npm_config_script_shell=/bin/true; npm test",
    ):
        assert line_problems(line, work), line


@pytest.mark.parametrize(
    "line",
    [
        "f() { echo hi; }; f; pip install x",
        "UV_INDEX_URL=https://pypi.org/simple true & pip install x",
        "X=1 true & ls",
        "true && export UV_INDEX_URL=https://pypi.org/simple && uv pip install x",
        "export UV_INDEX_URL=https://pypi.org/simple; uv pip install x",
        "cd /tmp && export PYTHONPATH=$PWD && python3 -c 1",
        "while read -r line; do echo $line; done < package.json; ls",
    ],
)
def test_an_assignment_that_holds_is_read(work, line):
    assert line_problems(line, work) == [], line


def test_a_prefix_on_a_function_call_stays_refused():
    """(b), dash keeps ``X=v f``'s assignment after the call: refused before this fix too."""
    assert "function f" in reading("f() { :; }; PATH=/tmp/tools:$PATH f; tar czf o.tgz a")


@pytest.mark.parametrize(
    "line",
    [
        "export X=1; python3 train.py &> log.txt",
        "export CUDA_VISIBLE_DEVICES=0; nohup python3 train.py &> log.txt &",
        "python3 a.py &>> log; export Y=2; python3 b.py",
    ],
)
def test_an_amp_redirect_of_another_command_leaves_assignments_alone(work, line):
    """Red team 94: a `&>` (dash: a background job) of a command that assigns nothing in the
    shell does not make the line's assignments unsure."""
    assert line_problems(line, work) == [], line


@pytest.mark.parametrize(
    "line",
    [
        "export npm_config_script_shell=/bin/true &> /dev/null; npm test",
        "UV_INDEX_URL=https://pypi.org/simple &>/dev/null; uv pip install x",
    ],
)
def test_an_assigning_commands_amp_redirect_is_unsure(work, line, monkeypatch):
    """dash reads `export X=v &>f` as `export X=v &` and `>f`: the assignment may not hold."""
    monkeypatch.setenv("npm_config_script_shell", str(work / "tools" / "x"))
    monkeypatch.setenv("UV_INDEX_URL", "https://evil.invalid/simple")
    assert line_problems(line, work), line
