"""Red team 15: values that become code (R15-4, R15-24, R15-22, R15-12, R15-17, R15-15, R15-3).

Each malicious cell proves itself in a kernel of the lab's launch environment (``kernel.proves``:
without Warden the installer runs from the local index, its name computed by the program; with
Warden the start is refused). Ordinary lines still run.

- R15-4: perl's s///e rule used a numbered backreference to the wrong group (dead in Python's
  re, alive in JavaScript's); the table's patterns now use named groups and
  schema/vectors/code-patterns.json pins every pattern's matches on both engines.
- R15-24: perl pastes a ``-F`` value starting with ``/``, ``'`` or ``"`` into code.
"""

import json
import re
import runpy
import sys
from pathlib import Path

import pytest
from launched import installed

from jupyterlab_warden.kernel.guard.installs import interpreters

ROOT = Path(__file__).resolve().parents[2]

# the install, its installer's name built by perl at run time
PERL_INSTALL = (
    "q(u).q(v).q( p).q(ip install -q --no-cache --target {target} --index-url {index} "
    "warden-demo-pkg)"
)

# the same without a blank (perl ends a -F value at one)
PERL_WORDS = "join(chr(32),q(u).q(v),q(p).q(ip),q(install),q(-q),q(--no-cache),q(--target),"
PERL_WORDS += "q({target}),q(--index-url),q({index}),q(warden-demo-pkg))"


def test_code_patterns_fixture_is_what_python_finds():
    """The corpus file src/deps/interpreters.spec.ts holds JavaScript to is Python's reading."""
    fixture = runpy.run_path(str(ROOT / "scripts/code-patterns-fixture.py"))["fixture"]
    assert fixture() == json.loads((ROOT / "schema/vectors/code-patterns.json").read_text())


def test_no_table_pattern_uses_a_numbered_backreference():
    table = json.loads((ROOT / "schema/code-interpreters.json").read_text())
    for name, spec in table["languages"].items():
        assert not re.search(r"(?<!\\)\\[1-9]", spec["starts"].replace("\\\\", "")), name


PERL_CASES = {
    "perl -e s#x#CODE#ee": "import subprocess\nsubprocess.run(['perl', '-e', "
    + repr('$_="x"; s#x#"sys"."tem(' + PERL_INSTALL + ')"#ee;')
    + "])\n",
    "perl -e s!x!CODE!ee and 1": "import subprocess\nsubprocess.run(['perl', '-e', "
    + repr('$_="x"; s!x!"sys"."tem(' + PERL_INSTALL + ')"!ee and 1;')
    + "])\n",
    "perl -F/x/);CODE": "import subprocess\nopen('data.txt', 'w').write('a\\n')\n"
    "subprocess.run(['perl', "
    + repr("-F/x/);system(" + PERL_WORDS + ");split(/y/")
    + ", '-e', '1', 'data.txt'])\n",
}


@pytest.mark.parametrize("cell", PERL_CASES.values(), ids=PERL_CASES.keys())
def test_perl_code_in_substitutions_and_split_values_is_refused(kernel, cell):
    installed("perl")
    assert "Warden" in kernel.proves(cell)


@pytest.mark.parametrize(
    "args, refused",
    [
        (["-e", "s/x/y/e;"], True),
        (["-e", "s{x}{y}e"], True),
        (["-e", "$_ = 1; s xaxq(1)xee"], True),
        (["-e", "s#x#y#ee and 1"], True),
        (["-pe", "(s/x/CODE/e)", "f"], True),
        (["-pe", "s/x/CODE/e,1", "f"], True),
        (["-pe", "s/x/\nCODE/e", "f"], True),
        (["-F/x/);&{q(x)};split(/y/", "-e", "1", "f"], True),
        (["-F'x');&{q(x)};split('y'", "-e", "1", "f"], True),
        (["-F,", "-lane", "print $F[1]", "data.csv"], False),
        (["-F:", "-lane", "print $F[0]", "f"], False),
        (["-F/,/", "-lane", "print $F[1]", "data.csv"], False),
        (["-pi", "-e", "s/a/b/g", "f"], False),
        (["-pe", "s/name/x/", "f"], False),
        (["-pe", "s|a|b|g; tr/a-z/A-Z/", "f"], False),
    ],
)
def test_perl_substitution_flags_and_split_values(args, refused):
    assert bool(interpreters.refused("perl", args)) is refused


# R15-22: sed's e command after any address form, and the s command's e and w flags
SED_INSTALL = (
    "u''v p''ip install -q --no-cache --target {target} --index-url {index} warden-demo-pkg"
)
SED_CASES = {
    address: "import os\nopen('data.txt', 'w').write('x\\n')\nos.system("
    + repr(f'sed "{address}e {SED_INSTALL}" data.txt')
    + ")\n"
    for address in ("/x/I", "\\\\%x%", "0,/x/", "1~1", "\\$")
}
SED_CASES["s///e"] = (
    "import os\nopen('data.txt', 'w').write('x\\n')\nos.system("
    + repr(f"sed 's|x|{SED_INSTALL}|e' data.txt")
    + ")\n"
)


@pytest.mark.parametrize("cell", SED_CASES.values(), ids=SED_CASES.keys())
def test_sed_commands_after_any_address_are_refused(kernel, cell):
    installed("sed")
    assert "Warden" in kernel.proves(cell)


@pytest.mark.parametrize(
    "script",
    ["1e ls", "$e ls", "/x/Ie ls", "\\%x%e ls", "1~2e ls", "0,/x/e ls", "/x/,+2 e ls",
     "/x/ !e ls", "/x/{e ls\n}", "a foo\ne ls", "y/a/b/;e", "b x;e ls", "s/a/b/e", "s|a|b|ge",
     "s/a/b/w out", "w /dev/stdout", "W out", "s/a/b", "/x"],
)  # fmt: skip
def test_sed_scripts_that_run_or_write_are_refused(script):
    assert interpreters.refused("sed", [script, "f"])
    assert interpreters.refused("sed", ["-n", "-e", "p", "-e", script, "f"])


@pytest.mark.parametrize(
    "args",
    [["-i", "s/a/b/", "f"], ["-n", "1,5p", "f"], ["/^#/d", "f"], ["s/a/b/gI", "f"],
     ["$!N;s/\\n/ /", "f"], ["/x/{p;d}", "f"], ["a hello", "f"], [":a;N;ba", "f"],
     ["s/e/f/;s,a,b,2", "f"], ["/start/,/end/d", "f"], ["-E", "s/(a+)/<\\1>/g", "f"],
     ["y/abc/xyz/", "f"], ["-e", "1d", "-e", "$d", "f"], ["# c\np", "f"], ["10q", "f"]],
)  # fmt: skip
def test_ordinary_sed_scripts_run(args):
    assert interpreters.refused("sed", args) == ""


# R15-12, R15-17, R15-15: make variables that become shell text, makefiles on a descriptor
MAKE_INSTALL = (
    "u''v p''ip install -q --no-cache --target {target} --index-url {index} warden-demo-pkg"
)
MAKE_CASES = {
    "make VPATH=$(shell ...)": f"make 'VPATH=$(shell {MAKE_INSTALL})' x",
    "make X!=...": f"make 'X!={MAKE_INSTALL}' x",
    "MAKEFLAGS=VPATH=$(shell ...)": f"MAKEFLAGS='VPATH=$(shell {MAKE_INSTALL})' make x",
    "VPATH=$(shell ...) from the environment": f"VPATH='$(shell {MAKE_INSTALL})' make x",
    "make CC='... #' x (built-in rule)": f'make CC="{MAKE_INSTALL} #" x',
    "CC='... #' make x from the environment": f'CC="{MAKE_INSTALL} #" make x',
}


@pytest.mark.parametrize("line", MAKE_CASES.values(), ids=MAKE_CASES.keys())
def test_make_variables_that_become_shell_text_are_read(kernel, line):
    installed("make")
    # make 4.3 runs a command-line `!=` and MAKEFLAGS' `$(shell)` before its default SHELL
    # exists: with no SHELL in the environment (CI has none) it execs `-c`, and the line
    # would not install without Warden either; a kernel started from a terminal has one
    cell = "import os\nos.environ['SHELL'] = '/bin/sh'\n"
    cell += "open('x.c', 'w').write('int main(){{return 0;}}')\n"
    assert "Warden" in kernel.proves(cell + f"os.system({line!r})\n")


def test_make_file_from_a_process_substitution_is_refused(kernel):
    installed("make")
    installed("bash")
    recipe = MAKE_INSTALL.replace("u''v p''ip", "%sv p%sip")
    line = f"make -f <(printf 'x:\\n\\t{recipe}\\n' u '') x"
    cell = f"import subprocess\nsubprocess.run(['bash', '-c', {line!r}])\n"
    assert "reads commands from its input" in kernel.proves(cell)


@pytest.mark.parametrize(
    "line, refused",
    [
        ("make CC=gcc", False),
        ("make PREFIX=/usr/local install", False),
        ("make -f Makefile.ci", False),
        ("make -j4 CC=clang CFLAGS='-O2 -Wall' all", False),
        ("CFLAGS=-O2 make", False),
        ("make 'VPATH=$(shell ls)'", True),
        ("make 'X:=${HOME}'", True),
        ("make -f /dev/fd/3 x", True),
        ("make -f /proc/self/fd/3 x", True),
    ],
)
def test_make_lines(line, refused):
    assert unreadable_line(line) is refused


def unreadable_line(line: str) -> bool:
    """Whether the kernel's reading of ``sh -c LINE`` refuses it as unreadable."""
    from jupyterlab_warden.kernel.guard.installs import commands

    try:
        commands.invocations(["sh", "-c", line])
    except commands.Unreadable:
        return True
    return False


# R15-3: node's allow rule read past a destructuring pattern's string key (`\x` escapes too)
NODE_INSTALL = (
    'var F; ({{"cons\\x74ructor": F}} = parseInt); F("return req"+"uire(\\x27child_pro'
    '\\x27+\\x27cess\\x27).ex"+"ecSync(\\x27u\\x27+\\x27v p\\x27+\\x27ip install -q --no-cache '
    '--target {target} --index-url {index} warden-demo-pkg\\x27)")()'
)


def test_node_destructuring_with_a_string_key_is_refused(kernel):
    installed("node")
    cell = f"import subprocess\nsubprocess.run(['node', '-e', {NODE_INSTALL!r}])\n"
    assert "Warden" in kernel.proves(cell)


@pytest.mark.parametrize(
    "code, refused",
    [
        ('var F; ({"cons\\x74ructor": F} = parseInt); F("x")', True),
        ('var F; ({"log": F} = console); F(1)', True),
        ("var constructor; ({constructor} = parseInt)", True),
        ("(({constructor: F}) => F)(parseInt)", True),
        ("function f({constructor: F}) {}", True),
        ('console.log("\\x41")', True),
        ("console.log(1)", False),
        ('console.log({a: 1, "b": 2})', False),
        ("const {log} = console; log(1)", False),
        ('console.log("a\\nb")', False),
        ("let o = {}; o = {a: 1}; console.log(o)", False),
    ],
)
def test_node_destructuring_keys_are_read_as_properties(code, refused):
    assert bool(interpreters.refused("node", ["-e", code])) is refused


@pytest.fixture
def placed_as_the_machines(monkeypatch):
    """Red team 28c R28c-8: a foreign Python installation is trusted only where it is the
    machine's by place (root's, in root-owned system folders); these tests are about what an
    unchanged one loads, so they place their tmp copy there."""
    from jupyterlab_warden.kernel.guard.installs import commands

    monkeypatch.setattr(commands, "_root_folder", lambda folder, tops: True)


# R15-10: a foreign Python's compiled standard library (an unchecked-hash .pyc runs whatever
# its source says) is part of what must be unchanged since the kernel started
@pytest.mark.parametrize(
    "cached",
    ["encodings/__pycache__/__init__.cpython-311.pyc", "__pycache__/site.cpython-311.pyc",
     "encodings/__pycache__", "lib-dynload/_struct.so"],
)  # fmt: skip
def test_a_foreign_pythons_compiled_stdlib_is_checked(
    tmp_path, monkeypatch, cached, placed_as_the_machines
):
    import os
    import shutil

    from jupyterlab_warden.kernel.guard.installs import startup_modules

    stdlib = tmp_path / "py" / "lib" / "python3.11"
    (stdlib / "encodings" / "__pycache__").mkdir(parents=True)
    (stdlib / "__pycache__").mkdir()
    (stdlib / "lib-dynload").mkdir()
    for name in ("os.py", "encodings/__init__.py", "site.py", cached):
        if not (stdlib / name).exists():
            (stdlib / name).write_text("")
    (tmp_path / "py" / "bin").mkdir()
    program = tmp_path / "py" / "bin" / "python3.11"
    shutil.copy2(os.path.realpath(sys._base_executable), program)
    changed = str(stdlib / cached)
    monkeypatch.setattr(startup_modules, "_changed", lambda path, missing=False: path == changed)
    assert startup_modules.unverified_stdlib(str(program)).split(": ")[0] == changed
    monkeypatch.setattr(startup_modules, "_changed", lambda path, missing=False: False)
    assert startup_modules.unverified_stdlib(str(program)) == ""
