"""Red team 16 (fix16a): program grammars read as the programs read them.

Each malicious cell proves itself in a kernel of the lab's launch environment (``kernel.proves``:
without Warden the installer runs from the local index, its name rebuilt by the program's own
quoting; with Warden the start is refused). Ordinary lines still run.

- R16-2: the variables make's built-in rules run are make's own list (``make -p``), generated
  into schema/shell-runners.json by scripts/make-builtin-variables.py; the list is current.
- R16-3: SHELL, .SHELLFLAGS and every ``.NAME`` are refused by name whatever the operator
  (``::=``, ``:::=``), and make's environment is read by the line's rules (``LINK.c``).
- R16-13: MAKEFLAGS is split as make splits it; options after an assignment are options.
- R16-9, R16-11, R16-12: getopt's bundles and unique prefixes (``env -vS``, ``sed --exp=``,
  ``su root -- -xc``) through the one model (shell_runners.split_bundle, the tables'
  long_abbreviations, the shell's own option grammar for the words su hands its shell).
- R16-1: sed's r/R file names end at the newline; the reader is fuzzed against the real sed.
- R16-10: perl's ``s{x}|CODE|ee`` (a bracketed pattern, the replacement in another delimiter).
"""

import runpy
from pathlib import Path

import pytest
from launched import BUILT, installed, system_cell
from test_redteam15_code import unreadable_line

from jupyterlab_warden.kernel.guard.installs import commands, make_variables

ROOT = Path(__file__).resolve().parents[2]

# the install; the shell that runs the recipe removes the quotes inside uv's and pip's names
INSTALL = "u''v p''ip install -q --no-cache --target {target} --index-url {index} warden-demo-pkg"
HELLO = "open('hello.c', 'w').write('int main(void){{return 0;}}')\n"


def test_make_builtin_variable_list_is_makes_own():
    """schema/shell-runners.json's builtin_names is what `make -p` says today (R16-2)."""
    installed("make")
    script = runpy.run_path(str(ROOT / "scripts" / "make-builtin-variables.py"))
    assert script["OUT"].read_text(encoding="utf-8") == script["text"](), (
        "run scripts/make-builtin-variables.py"
    )
    names = script["builtin_names"]()
    # the names the hand list missed, and the transitive ones (LINK.c -> CC, CHECKOUT,v -> CO)
    assert {"SCCS_OUTPUT_OPTION", "GET", "GFLAGS", "LINK.c", "CC", "CO", "COFLAGS"} <= set(names)


# make splits .SHELLFLAGS into the shell's words itself: printf rebuilds the names (red team's form)
SHELLFLAGS = (
    '.SHELLFLAGS::=-c "printf '
    + INSTALL.replace("''", "%s").replace(" ", "\\ ")
    + ' \\"\\" \\"\\" | . /dev/stdin"'
)
SCCS = "mkdir -p SCCS && touch SCCS/s.hello && "
MAKE_CASES = {
    "R16-2 make SCCS_OUTPUT_OPTION=;...": f"os.system({SCCS!r} + 'make hello ' + shlex.quote("
    + repr(f"SCCS_OUTPUT_OPTION=;{INSTALL} >&2 #")
    + "))",
    "R16-2 SCCS_OUTPUT_OPTION from the environment": "os.environ['SCCS_OUTPUT_OPTION'] = "
    + repr(f";{INSTALL} >&2 #")
    + f"\nos.system({SCCS!r} + 'make hello')",
    "R16-3 LINK.c from the environment": HELLO
    + "os.environ['LINK.c'] = "
    + repr(f"{INSTALL} >&2 #")
    + "\nsubprocess.run(['make', 'hello'])",
    "R16-3 make .SHELLFLAGS::=-c TEXT": HELLO
    + "os.system('make hello ' + shlex.quote("
    + repr(SHELLFLAGS)
    + "))",
    "R16-13 MAKEFLAGS='X=1 --eval=...'": "os.system("
    + repr("MAKEFLAGS='X=1 --eval=x:;@" + INSTALL.replace("''", '""').replace(" ", "\\ "))
    + ' + "\' make x")',
}


@pytest.mark.parametrize("code", MAKE_CASES.values(), ids=MAKE_CASES.keys())
def test_make_variables_and_flags_are_read_as_make_reads_them(kernel, code):
    installed("make")
    assert "Warden" in kernel.proves("import os, shlex, subprocess\n" + code + "\n")


@pytest.mark.parametrize(
    "line, refused",
    [
        ("make -j4", False),
        ("make test", False),
        ("make CFLAGS=-O2", False),
        ("make -f Makefile.ci test", False),
        ("MAKEFLAGS='-j4 -- CC=gcc' make", False),
        ("MAKEFLAGS='X=1\\ --eval=x' make x", False),  # one word: X is '1 --eval=x'
        ("make 'SHELL::=/bin/x'", True),
        ("make '.SHELLFLAGS?=-c x'", True),
        ("make .RECIPEPREFIX=x", True),
        ("make 'X:::=$(shell ls)'", True),
        ("MAKEFLAGS='X=1 -Ex:;@ls' make x", True),
    ],
)
def test_make_lines(line, refused):
    assert unreadable_line(line) is refused


@pytest.mark.parametrize(
    "value, words",
    [
        ("ks", ["-ks"]),
        ("X=1 --eval=x", ["X=1", "--eval=x"]),
        ("X=a\\ b -k", ["X=a b", "-k"]),
        ("  -j4   -- CC=gcc ", ["-j4", "--", "CC=gcc"]),
        ("X=\\\\", ["X=\\"]),
    ],
)
def test_makeflags_words_are_makes(value, words):
    assert make_variables.flag_words(value) == words


# R16-9, R16-11, R16-12: option spellings read with getopt's rules (bundles, unique prefixes),
# the installer's name built by the program's own quote removal (env -S, sed's sh, su's shell)
QUOTED = BUILT.replace("$@", "''")
DOUBLED = BUILT.replace("$@", '""')  # inside single quotes
GETOPT_CASES = {
    "R16-9 env -vS TEXT": ("env", f"env -vS '{DOUBLED}'"),
    "R16-11 sed --exp=SCRIPT": ("sed", f"echo x > data.txt && sed --exp='1e {DOUBLED}' data.txt"),
    "R16-11 sed --e=SCRIPT": ("sed", f"echo x > data.txt && sed --e='1e {DOUBLED}' data.txt"),
    # the kernel is root: su succeeds without a password
    "R16-12 su -m root -- -xc TEXT": ("su", f'su -m root -- -xc "{QUOTED}"'),
    "R16-12 su root -- -ec TEXT": ("su", f'su root -- -ec "{QUOTED}"'),
    "R16-12 su -- root -ce TEXT": ("su", f'su -- root -ce "{QUOTED}"'),
}


@pytest.mark.parametrize("program, line", GETOPT_CASES.values(), ids=GETOPT_CASES.keys())
def test_bundles_and_prefixes_are_read_as_getopt_reads_them(kernel, program, line):
    installed(program)
    assert "Warden" in kernel.proves(system_cell(line))


@pytest.mark.parametrize(
    "line, refused",
    [
        ("env -vS 'u\"v\" sync'", True),
        ("env -0iS 'u\"v\" sync'", True),
        ("env -vi ls", False),
        ("env -i PATH=/usr/bin ls", False),
        ("env -u X ls", False),
        ("sed --fi=s.sed f", True),
        ("sed --exp='1e ls' f", True),
        ("sed -i 's/a/b/' f", False),
        ("sed -n '1,5p' f", False),
        ("sed -e 's/x/y/' -e 's/z/w/' f", False),
        ("sed --quiet --expr=p f", False),
        ("su root -- -xc 'u\"\"v sync'", True),
        ("su root -- -x -o posix -c 'u\"\"v sync'", True),
        ("su root -- -Z x", True),  # an option the shell's grammar cannot place
        ("su root -- x.sh arg", False),
        ("runuser -u nobody -- ls -c x", False),
    ],
)
def test_getopt_lines(line, refused):
    try:
        found = commands.invocations(["sh", "-c", line])
    except commands.Unreadable:
        assert refused
    else:
        assert refused == any(inv.tool == "uv" for inv in found), found


# R16-1: sed's r/R file names end at the newline (no backslash continuation); the reader is
# checked against the real sed: every random script sed runs the payload of is refused
SED_FILE_CASES = {
    "r f\\ then /x/Ie": "r f\\\n/x/Ie " + DOUBLED.replace('""', "''"),
    "R /dev/null\\ then \\%x%e": "R /dev/null\\\n\\%x%e " + DOUBLED.replace('""', "''"),
}


@pytest.mark.parametrize("script", SED_FILE_CASES.values(), ids=SED_FILE_CASES.keys())
def test_sed_file_names_end_at_the_line(kernel, script):
    installed("sed")
    cell = "import subprocess\nopen('data.txt', 'w').write('x\\n')\n"
    cell += f"subprocess.run(['sed', {script!r}, 'data.txt'])\n"
    assert "Warden" in kernel.proves(cell)


_SED_FRAGMENTS = [
    "r f", "r f\\", "R f\\", "r f\\\\", "R /dev/null", "w o", "W o", "a x", "a x\\", "a\\",
    "i\\", "c x\\", "a", "\\", "\n", "\\\n", ";", " ", "}", "{", "1{", "$!", "!", ":a", ":a#",
    "b", "ba", "b}", "t", "ta;", "T", "v", "v 4.2", "#", "#n\n", "/x/", "\\%x%", "/x/I",
    "/x/M", "0,/x/", "1,+2", "1~2", "s/x/y/", "s/x/y/g", "s/x/y/w o", "y/x/y/", "l", "l 5",
    "q", "q5", "Q", "p", "=", "F", "z", "e", "s/x/\\\n/", "s/[/]/x/", "/[/]/", "\t", "\r",
]  # fmt: skip
# the commands that take an argument, each with the endings a reader may misjudge
_SED_ARGUMENTS = [
    f"{command}{argument}{end}"
    for command in ("r", "R", "a", "i", "c", ":", "b", "t", "T", "v", "l", "q", "Q", "L")
    for argument in (" f", "", " 5")
    for end in ("", "\\", "\\\\", "\\\n", ";", "}", "#")
]
_SED_PAYLOADS = [
    "/x/Ie echo PWN''ED", "\\%x%e echo PWN''ED", "1e echo PWN''ED", "e echo PWN''ED",
    "s/.*/echo PWN''ED/e", "/x/I s/.*/echo PWN''ED/e", "0,/x/Ie echo PWN''ED",
]  # fmt: skip


def test_sed_reader_against_the_real_sed(tmp_path):
    """A differential fuzz (seeded, small): random fragment sequences around a payload that
    prints PWNED when sed runs it; whenever the real sed runs it, Warden refuses the script."""
    import random
    import subprocess

    from jupyterlab_warden.kernel.guard.installs import interpreters

    sed = installed("sed")
    chooser = random.Random(16)
    for _ in range(400):
        # what precedes the payload is most often a command with an argument (its end is
        # what a reader gets wrong), then anything
        before = chooser.choices(_SED_FRAGMENTS, k=chooser.randint(0, 3))
        before.append(chooser.choice(_SED_ARGUMENTS))
        after = chooser.choices(_SED_FRAGMENTS, k=chooser.randint(0, 2))
        joiner = chooser.choice(["", "\n", ";"])
        script = joiner.join(before + [chooser.choice(_SED_PAYLOADS)] + after)
        if interpreters.refused("sed", [script, "f"]):
            continue
        done = subprocess.run(
            [sed, script],
            cwd=tmp_path,  # `w` writes are refused, but any file sed makes lands here
            input="x\n",
            capture_output=True,
            text=True,
            timeout=5,
        )
        assert "PWNED" not in done.stdout + done.stderr, script


# R16-10: perl's s with a bracketed pattern and its replacement in another delimiter (no
# word the perl rule denies on its own: `--no-cache` would hold `no`; the cell is formatted)
PERL_INSTALL = (
    "q(u).q(v).q( p).q(ip install -q --target {target} --index-url {index} warden-demo-pkg)"
)
PERL_CASES = {
    "s{x}|CODE|ee": '$_="x"; s{{x}}|"sys"."tem(' + PERL_INSTALL + ')"|ee;',
    "s(x) # comment, then !CODE!ee": '$_="x"; s(x) # c\n!"sys"."tem(' + PERL_INSTALL + ')"!ee;',
}


@pytest.mark.parametrize("code", PERL_CASES.values(), ids=PERL_CASES.keys())
def test_perl_mixed_substitution_delimiters_are_read(kernel, code):
    installed("perl")
    cell = f"import subprocess\nsubprocess.run(['perl', '-e', {code!r}])\n"
    assert "Warden" in kernel.proves(cell)


@pytest.mark.parametrize(
    "args, refused",
    [
        (["-e", "s{x}|y|ee"], True),
        (["-e", "s[x]/y/ge"], True),
        (["-e", "s(x)\n# c\n!y!e"], True),
        (["-pi", "-e", "s/a/b/g", "f"], False),
        (["-ne", "print if /x/", "f"], False),
        (["-pe", "s{a}{b}g", "f"], False),
        (["-pe", "s[x]/y/g", "f"], False),
        (["-pe", 's{a}{b}g; print "the"', "f"], False),
    ],
)
def test_perl_substitution_delimiters(args, refused):
    from jupyterlab_warden.kernel.guard.installs import interpreters

    assert bool(interpreters.refused("perl", args)) is refused
