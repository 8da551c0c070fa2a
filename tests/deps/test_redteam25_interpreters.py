"""Red team 25 R25-2: a machine script's interpreter takes the start's environment.

A program file that was on the machine, unchanged, before the kernel started is the machine's:
its body is not read (``commands._script_start``), and its words were read under its own name
(``json_pp``), which no interpreter rule knows. So the variables Warden refuses for a start of
perl, node or a Python (PERL5OPT/PERL5DB, NODE_OPTIONS, a PYTHONPATH folder of the cell's)
reached the interpreter its ``#!`` line names: PERL5DB and NODE_OPTIONS' ``--import=data:``
carry the code inline. Now such a start is read for its interpreter's environment as a start
of that interpreter is (``commands._refuse_machine_script``); the ``#!`` line is read only when
the environment holds a variable those rules read.

Each proof runs a real system script: without Warden the payload installs from the local
index, with Warden the start is refused and the index sees no request.
"""

import os
import time

import pytest
from launched import installed, reading_refusal, system_call

from jupyterlab_warden.kernel.guard.installs import commands, kernel_age, shebang

# perl code that builds the installer's name at run time (PERL5DB runs under PERL5OPT=-d)
PERL5DB = (
    "BEGIN{{system(q(u).q(v p).q(ip install -q --no-config --no-cache --target {target} "
    "--index-url {index} warden-demo-pkg))}}"
)
# node code run before npx's own, inline in NODE_OPTIONS
NODE_OPTIONS = (
    "--import=\"data:text/javascript,import cp from 'child_process';cp.execSync('u'+'v p'+"
    "'ip install -q --no-config --no-cache --target {target} --index-url {index} "
    "warden-demo-pkg',{{stdio:'inherit'}})\""
)
# a Python module that installs when imported
INSTALLS = (
    "import os\nos.system('u'+'v p'+'ip install -q --no-config --no-cache --target {target} "
    "--index-url {index} warden-demo-pkg')\n"
)
PERL_RUN = "dict(os.environ, PERL5OPT='-d', PERL5DB=" + repr(PERL5DB) + ")"
PERL_ENVIRON = "os.environ['PERL5OPT'] = '-d'\nos.environ['PERL5DB'] = " + repr(PERL5DB) + "\n"


@pytest.mark.parametrize(
    "code",
    [
        PERL_ENVIRON + system_call("json_pp < /dev/null"),
        "subprocess.run(['shasum', '/etc/hostname'], env=" + PERL_RUN + ")\n",
        system_call("PERL5OPT=-d PERL5DB='" + PERL5DB + "' json_pp < /dev/null"),
        # an operand of a program Warden has no table for (R17-9's reader), by its bare name
        "subprocess.run(['chrt', '-o', '0', 'json_pp'], stdin=subprocess.DEVNULL, env="
        + PERL_RUN
        + ")\n",
    ],
    ids=["environ-json_pp", "popen-shasum", "line-assignments", "chrt-operand"],
)
def test_perl_variables_reach_a_perl_script_of_the_machine(kernel, code):
    for program in ("json_pp", "shasum", "chrt", "perl"):
        installed(program)
    refused = kernel.proves("import os, subprocess\n" + code)
    assert "runs under /usr/bin/perl (its #! line), and PERL5DB" in refused, refused
    assert "without PERL5DB" in refused, refused


def test_node_options_reach_npx(kernel):
    """npx is ``#!/usr/bin/env node`` behind a link (../lib/node_modules/npm/bin/npx-cli.js)."""
    installed("npx")
    code = (
        "import os, subprocess\nsubprocess.run(['npx', '--version'], env=dict(os.environ, "
        "NODE_OPTIONS=" + repr(NODE_OPTIONS) + "))\n"
    )
    refused = kernel.proves(code)
    assert "npx runs under" in refused and "NODE_OPTIONS set for it holds --import" in refused


@pytest.mark.parametrize("module", ["sitecustomize", "re"])
def test_a_pythonpath_folder_reaches_a_python_script_of_the_machine(kernel, module):
    """py3versions (``#! /usr/bin/python3``) with PYTHONPATH=ev: ev/sitecustomize.py runs at
    start, ev/re.py where py3versions imports re. Read as guardless (before red team 28c
    R28c-3) the start was refused; the child now gets the guard (``child_path``), and ev only
    once it is in, so its guard refuses the install sitecustomize makes. ev/re.py stands in
    for the re the guard's reading itself imports late, which fails there: closed, nothing
    fetched (a module planted under a standard library name is code the user runs, A5)."""
    installed("py3versions")
    code = (
        "import os, subprocess\nos.makedirs('ev', exist_ok=True)\n"
        f"open('ev/{module}.py', 'w').write({INSTALLS!r})\n"
        "subprocess.run(['py3versions', '-d'], env=dict(os.environ, "
        "PYTHONPATH=os.path.abspath('ev')))\n"
    )
    if module == "sitecustomize":
        assert kernel.child_refuses(code)
    else:
        kernel.never_runs_with_warden(code)


ORDINARY = "import os, subprocess\nos.makedirs('empty', exist_ok=True)\n"


@pytest.mark.parametrize(
    "code",
    [
        system_call("echo '[1]' | json_pp"),
        system_call("shasum /etc/hostname"),
        system_call("echo '[1]' | PERL5OPT=-w json_pp"),
        system_call("NODE_OPTIONS=--max-old-space-size=256 npx --version"),
        system_call("py3versions -d"),
        system_call("PYTHONWARNINGS=ignore py3versions -d"),
        system_call("PYTHONWARNINGS=ignore pydoc3 json.tool > /dev/null"),
        # a Python script of the machine without the guard, nothing on its PYTHONPATH
        "subprocess.run(['py3versions', '-d'], check=True, env=dict(os.environ, "
        "PYTHONPATH=os.path.abspath('empty')))\n",
        # a start read in full for its operand (PERL5OPT set), which passes
        "subprocess.run(['chrt', '-o', '0', 'json_pp'], input=b'[1]', check=True, "
        "env=dict(os.environ, PERL5OPT='-w'))\n",
    ],
)
def test_machine_scripts_run_with_ordinary_environments(kernel, code):
    for program in ("json_pp", "shasum", "npx", "py3versions", "pydoc3", "chrt"):
        installed(program)
    code = ORDINARY + code.replace("os.system(", "assert 0 == os.system(")
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result


def test_perl5lib_is_read_for_a_perl_script_as_for_perl():
    """The perl table refuses PERL5LIB whatever it names (perl loads code from it at start):
    the same decision for a script perl runs by its ``#!`` line."""
    installed("json_pp")
    for program in ("perl", "json_pp"):
        why = reading_refusal([program], os.getcwd(), {"PERL5LIB": "lib"})
        assert "PERL5LIB" in why, (program, why)


@pytest.fixture()
def machine_files(monkeypatch):
    """Files a test writes count as the machine's: unchanged since the kernel started, and in
    a place of the system's (``commands._machine_program``; the test's folder stands in)."""
    monkeypatch.setattr(kernel_age, "_STARTED", time.time() + 60)
    monkeypatch.setattr(
        commands, "_machine_program", lambda path: not kernel_age.changed_since_start(path)
    )


def _script(folder, name: str, line: str) -> str:
    path = folder / name
    path.write_text(line + "\nprint 1;\n")
    path.chmod(0o755)
    return str(path)


@pytest.mark.parametrize(
    "line",
    ["#!/usr/bin/env -S perl -w", "#!/usr/bin/env perl", "#! /usr/bin/perl -wT"],
)
def test_the_interpreter_is_found_through_env_and_a_link(tmp_path, machine_files, line):
    installed("perl")
    script = _script(tmp_path, "tool", line)
    os.symlink(script, tmp_path / "link")
    for program in (script, str(tmp_path / "link")):
        why = reading_refusal([program], tmp_path, {"PERL5OPT": "-MEvil"})
        assert "(its #! line), and PERL5OPT set for it holds -M" in why, why


def test_an_interpreter_that_is_a_script_is_read_too(tmp_path, machine_files):
    """Linux runs ``wrap tool`` for ``#!/.../wrap``, and perl for wrap's own line."""
    installed("perl")
    wrap = _script(tmp_path, "wrap", "#!/usr/bin/perl")
    tool = _script(tmp_path, "tool", f"#!{wrap}")
    why = reading_refusal([tool], tmp_path, {"PERL5DB": "BEGIN{}"})
    assert "runs under /usr/bin/perl (its #! line), and PERL5DB" in why, why


@pytest.mark.parametrize(
    "line", ["#!/usr/bin/env -u HOME perl", "#!/usr/bin/" + "p" * 300], ids=["env-u", "long"]
)
def test_a_line_warden_cannot_read_fails_closed(tmp_path, machine_files, line):
    script = _script(tmp_path, "tool", line)
    why = reading_refusal([script], tmp_path, {"NODE_OPTIONS": "--max-old-space-size=9"})
    assert "cannot tell which interpreter its #! line runs" in why, why
    assert reading_refusal([script], tmp_path, {"LANG": "C"}) == ""


def test_an_ordinary_environment_does_not_read_the_line(tmp_path, machine_files, monkeypatch):
    """The cost: the ``#!`` line is read only when a variable an interpreter rule reads is set."""
    script = _script(tmp_path, "tool", "#!/usr/bin/perl")
    read = []
    real = shebang.interpreter_starts
    monkeypatch.setattr(shebang, "interpreter_starts", lambda *a: read.append(a) or real(*a))
    assert reading_refusal([script], tmp_path, {"LANG": "C", "FOO": "1"}) == ""
    assert read == []
    assert reading_refusal([script], tmp_path, {"PERL5OPT": "-w"}) == ""
    # the script's own line, once (program files new on PATH since this process started,
    # written by tests before this one in its lane, are read with that variable too)
    assert [a for a in read if a[0] == script] == [read[0]] and read[0][0] == script, read


def test_a_binary_with_interpreter_variables_runs(tmp_path):
    installed("ls")
    assert reading_refusal(["ls"], tmp_path, {"PERL5DB": "BEGIN{}", "PYTHONHOME": "/x"}) == ""
    assert shebang.interpreter_starts(installed("ls"), None) == []


def test_a_bash_script_handed_to_another_program_is_read_as_its_start_is(tmp_path):
    """ldd (``#!/bin/bash``) as chrt's operand: BASH_ENV reaches its bash as it does when ldd
    is the program started (R11-13's rule, now for an operand too)."""
    installed("ldd")
    installed("chrt")
    why = reading_refusal(["chrt", "-o", "0", "ldd", "/bin/true"], tmp_path, {"BASH_ENV": "x"})
    # since red team 26 a BASH_ENV the notebook gives is refused whatever starts (any
    # program may start bash): either refusal names it
    assert "ldd (its #! line runs bash) starts with BASH_ENV" in why or (
        "BASH_ENV, set by the notebook, is shell code" in why
    ), why
    assert reading_refusal(["chrt", "-o", "0", "ldd", "/bin/true"], tmp_path, {"A": "x"}) == ""
