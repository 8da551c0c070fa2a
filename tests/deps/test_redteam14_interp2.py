"""Red team 14, second round on programs that run code (R14-15, R14-16, R14-20).

Each malicious cell proves itself in a kernel of the lab's launch environment: without Warden
the installer runs from the local index (its name computed: ``u$@v``, ``'u'.'v'``, ``"u" "v"``);
with Warden the start is refused before it runs.

- R14-20: ``/proc/self/exe`` (and ``/dev/fd/3 3</bin/sh``) as a line's program is the shell
  that runs it, not the kernel where Warden resolved it: a program reached through ``/proc``
  or ``/dev`` is refused, the word itself and a path that leads there link by link.
- R14-15: mawk's ``-W exec FILE`` (``-We``, ``-Wi,e``, any case, any abbreviation) reads the
  program from a file, and ``-W VALUE`` took VALUE for the program; gawk abbreviates long
  options (``--ex`` is ``--exec``).
- R14-16: perl's ``<>`` opens each element of ``@ARGV`` with the two-argument open: code that
  fills ``@ARGV`` (or an operand the shell expands) gives it ``CMD |``.
"""

import os

import pytest
from launched import BUILT, installed, system_cell

from jupyterlab_warden.kernel.guard.installs import commands, interpreters

# an install whose installer name only the program builds (awk and perl join strings)
_ARGS = "install --target {target} --index-url {index} warden-demo-pkg"
AWK_PROGRAM = 'BEGIN {{ system("u" "v p" "ip ' + _ARGS + '") }}'
PERL_ARGV = "@ARGV=('u'.'v p'.'ip " + _ARGS + " |'); print <>"

PROCESS_CASES = {
    "/proc/self/exe -c": system_cell(f"/proc/self/exe -c '{BUILT}'"),
    "/proc/thread-self/exe -c": system_cell(f"/proc/thread-self/exe -c '{BUILT}'"),
    "bash -c '/proc/self/exe -c'": system_cell(f"bash -c \"/proc/self/exe -c '{BUILT}'\""),
    "/dev/fd/3 3</bin/sh": system_cell(f"/dev/fd/3 -c '{BUILT}' 3</bin/sh"),
    "/proc/self/fd/3 3</bin/dash": system_cell(f"/proc/self/fd/3 -c '{BUILT}' 3</bin/dash"),
    # behind a wrapper "self" is the wrapper (`env /proc/self/exe` runs env); `exec` is the shell
    "exec /proc/self/exe": system_cell(f"exec /proc/self/exe -c '{BUILT}'"),
}


# Either rule may speak first: the program-path rule of red team 14, or the rule for names that
# lead through /proc or /dev/fd (fix80uvrun's `_refuse_unsure_named`, on `dangling.unsure`).
# The line is refused, with a reason naming /proc, either way.
THROUGH_PROC = ("names the process that runs it", "reached through /proc or /dev/fd")


def _says_through_proc(why: str) -> bool:
    return any(reason in why for reason in THROUGH_PROC)


@pytest.mark.parametrize("cell", PROCESS_CASES.values(), ids=PROCESS_CASES.keys())
def test_a_program_reached_through_proc_is_refused(kernel, cell):
    installed("dash")
    installed("bash")
    why = kernel.proves(cell)
    assert _says_through_proc(why), why


def _why(line: str, cwd) -> str:
    with commands.start_folder(str(cwd)):
        try:
            commands.invocations(["sh", "-c", line])
        except commands.Unreadable as exc:
            return str(exc)
    return ""


@pytest.mark.parametrize(
    "line",
    [
        "./self -c 'echo hi'",  # a link the cell made to /proc/self/exe
        "./fds/3 -c 'echo hi' 3</bin/sh",  # a link to /dev/fd
        "PATH=/proc/self exe -c 'echo hi'",  # found on a PATH folder under /proc
        "cd /proc/self && ./exe -c 'echo hi'",
        "exec /proc/1/exe -c 'echo hi'",
    ],
)
def test_a_path_that_leads_through_proc_is_refused(tmp_path, line):
    os.symlink("/proc/self/exe", tmp_path / "self")
    os.symlink("/dev/fd", tmp_path / "fds")
    why = _why(line, tmp_path)
    assert _says_through_proc(why), why


@pytest.mark.parametrize(
    "line",
    ["python train.py", "/usr/bin/env python3 x.py", "ls /proc/self/fd", "cat /dev/null"],
)
def test_programs_by_their_own_paths_still_run(tmp_path, line):
    assert _why(line, tmp_path) == ""


AWK_CASES = {
    "awk -W exec x.awk": "os.system('awk -W exec x.awk')",
    "awk -We x.awk": "os.system('awk -We x.awk')",
    "awk -Wexec x.awk": "os.system('awk -Wexec x.awk')",
    "awk -Wi,e x.awk": "os.system('awk -Wi,e x.awk')",
    "awk -W EXEC x.awk": "os.system('awk -W EXEC x.awk')",
    "awk -W interactive,exec x.awk": "os.system('awk -W interactive,exec x.awk')",
}


@pytest.mark.parametrize("then", AWK_CASES.values(), ids=AWK_CASES.keys())
def test_mawk_program_from_a_file_by_W_is_refused(kernel, then):
    installed("mawk")
    cell = f"import os\nopen('x.awk', 'w').write({AWK_PROGRAM!r})\n{then}\n"
    assert "runs code from elsewhere" in kernel.proves(cell)


def test_mawk_W_value_is_no_program(kernel):
    """``awk -W interactive PROGRAM``: the value was read as the program, PROGRAM as a file."""
    installed("mawk")
    cell = f"import subprocess\nsubprocess.run(['awk', '-W', 'interactive', {AWK_PROGRAM!r}])\n"
    assert "may start a program" in kernel.proves(cell)


@pytest.mark.parametrize(
    "args, refused",
    [
        (["-W", "e", "x.awk"], True),
        (["-W", "ex=x.awk"], True),
        (["-W", "r=3,exec", "x.awk"], True),
        (["-W", "i", "{print}"], True),  # interactive or include: fail closed
        (["-W", "-exec", "x.awk"], True),  # mawk takes the next word whatever it is
        (["--ex", "x.awk"], True),  # gawk: --exec
        (["--fi", "x.awk"], True),  # gawk: --file (or --field-separator)
        (["--inc", "lib"], True),
        (["--so", "BEGIN { system(1) }"], True),  # gawk: --source, read as the program
        (["--assi", "x=1", "BEGIN { system(1) }"], True),  # the value is no program
        (["-D", "{print}"], True),  # gawk's debugger reads commands
        (["-W", "interactive", "{print $1}", "f"], False),
        (["-W", "version"], False),
        (["-Wv"], False),
        (["-W", "random=3,posix_space", "{print}", "f"], False),
        (["-F:", "-v", "x=1", "{print $1}", "f"], False),
        (["--posix", "{print $1}", "f"], False),
    ],
)
def test_awk_option_grammar(args, refused):
    assert bool(interpreters.refused("awk", args)) is refused
    assert bool(interpreters.refused("gawk", args)) is refused


PERL_CASES = {
    "perl -e '@ARGV=(...); print <>'": "import subprocess\nsubprocess.run(['perl', '-e', "
    + repr(PERL_ARGV)
    + "])\n",
    "perl -ne with @ARGV filled in BEGIN": "import subprocess\nsubprocess.run(['perl', '-ne', "
    + repr("BEGIN {{ " + PERL_ARGV.replace("; print <>", "") + " }} print")
    + "])\n",
    "perl -pe s/a/b/ $F": system_cell("F='u'v' p'ip' " + _ARGS + " |'; perl -pe 's/a/b/' \"$F\""),
}


@pytest.mark.parametrize("cell", PERL_CASES.values(), ids=PERL_CASES.keys())
def test_perl_argv_filled_with_a_command_is_refused(kernel, cell):
    installed("perl")
    assert "Warden" in kernel.proves(cell)


@pytest.mark.parametrize(
    "args, refused",
    [
        (["-ne", "BEGIN { s/$/|/ for @ARGV } print", "x"], True),  # no | in any word
        (["-pe", 'BEGIN { $ARGV[0] .= "|" }', "x"], True),
        (["-e", 'unshift @ARGV, "x |"; print <>'], True),
        (["-e", '@{"AR"."GV"} = ("x |"); print <>'], True),  # by a symbolic reference
        (["-e", "$r = \\@ARGV; print <>"], True),
        (["-pe", "s/a/b/", "*.txt"], True),  # may match a file named '|CMD x.txt'
        (["-pe", "s/a/b/", "$F"], True),
        (["-pe", "s/a/b/", "a|b"], True),
        (["-ne", 'print "$ARGV: $_"', "f.txt"], False),
        (["-ne", "print while <ARGV>", "f.txt"], False),
        (["-pi", "-e", "s/a/b/", "f.txt"], False),
        (["-pi", "-e", "s/a/b/", "./*.txt", "data/*.csv"], False),
        (["-lane", "print $F[0]", "f.txt"], False),
    ],
)
def test_perl_diamond_reading(args, refused):
    assert bool(interpreters.refused("perl", args)) is refused


# R14-13: a copy of the kernel's base Python with a standard library laid out beside it (links
# to the real one); the payload in its site-packages' .pth, or in its own encodings, runs
# before the guard's sitecustomize
_LAYOUT = """import os, shutil, subprocess, sys, sysconfig
real = sysconfig.get_paths()['stdlib']
ver = os.path.basename(real)
lib = os.path.join('py', 'lib', ver)
shutil.rmtree('py', ignore_errors=True)  # proves() runs the cell twice
os.makedirs(os.path.join('py', 'bin'))
os.makedirs(os.path.join(lib, 'site-packages'))
shutil.copy2(os.path.realpath(sys._base_executable), os.path.join('py', 'bin', ver))
CMD = '{uv} pip install -q --no-cache --target {target} --index-url {index} warden-demo-pkg'
for name in os.listdir(real):
    if name not in ('site-packages', 'encodings'):
        os.symlink(os.path.join(real, name), os.path.join(lib, name))
enc = os.path.join(real, 'encodings')
os.makedirs(os.path.join(lib, 'encodings'))
for name in os.listdir(enc):
    if name not in ('__init__.py', '__pycache__'):
        os.symlink(os.path.join(enc, name), os.path.join(lib, 'encodings', name))
init = open(os.path.join(enc, '__init__.py')).read()
"""
_RUN = "subprocess.run([os.path.abspath(os.path.join('py', 'bin', ver)), '-c', 'print(1)'])\n"
PREFIX_CASES = {
    "its site-packages' .pth": _LAYOUT
    + "open(os.path.join(lib, 'encodings', '__init__.py'), 'w').write(init)\n"
    + "open(os.path.join(lib, 'site-packages', 'zz.pth'), 'w').write("
    + "'import posix; posix.system(%r)\\n' % CMD)\n"
    + _RUN,
    "its own encodings": _LAYOUT
    + "open(os.path.join(lib, 'encodings', '__init__.py'), 'w').write("
    + "'import posix; posix.system(%r)\\n' % CMD + init)\n"
    + _RUN,
}


@pytest.mark.parametrize("cell", PREFIX_CASES.values(), ids=PREFIX_CASES.keys())
def test_a_python_with_a_standard_library_the_cell_laid_out_is_refused(kernel, cell):
    assert "Warden cannot verify it" in kernel.proves(cell)


def test_the_kernels_python_and_the_systems_still_start(tmp_path):
    assert _why("python3 -c 'print(1)'", tmp_path) == ""
    assert _why("/usr/bin/python3 -c 'print(1)'", tmp_path) == ""


# R14-31: node's -e code reaches require by reflection, no denied word, and runs a shell line
NODE_REFLECTION = (
    "Object.getOwnPropertyDescriptor(this, 'req'+'uire').value('child_pro'+'cess')"
    ".spawnSync('" + BUILT + "', {{shell: true}})"
)


def test_node_code_reaching_require_by_reflection_is_refused(kernel):
    installed("node")
    cell = f"import subprocess\nsubprocess.run(['node', '-e', {NODE_REFLECTION!r}])\n"
    assert "not among what Warden lets its code use" in kernel.proves(cell)


@pytest.mark.parametrize(
    "code, refused",
    [
        ("1..constructor.constructor('return 1')()", True),  # a property by reflection
        ("const f = 1; ''.f", True),  # a declared name is no property name
        ("console.log.call(null, 1)", True),
        ("x = /'/; console.log(\"'\"); y = /'/", True),  # no regex literal hides code
        ("\\u0072equire('x')", True),
        ("console.log(1)\u00a0", True),  # whitespace both sides read alike: ASCII only
        ("console.log(1+1)", False),
        ("let total = 0; for (const n of '123'.split('')) total += parseInt(n); total", False),
        ("function f(a, b) { return a + b } console.log(f(1, 2))", False),
        ("console.log(JSON.stringify({a: 1, b: 'x'.padStart(3)}))", False),
    ],
)
def test_node_code_is_read_by_an_allow_rule(code, refused):
    assert bool(interpreters.refused("node", ["-e", code])) is refused
