"""Red team 14: code interpreters whose code Warden did not read (R14-5, R14-6, R14-7,
R14-17, R14-18, R14-34).

Each malicious cell proves itself in a kernel of the lab's launch environment: without Warden
perl or node installs from the local index (the installer's name is computed, ``'u'.'v'``);
with Warden the start is refused before the installer runs. The root was fail-open: a script
operand Warden could not read (``-``, ``/dev/fd/3``, a folder, a file past the read limit) or
an option bundle it misread (``perl -le CODE``) counted as "no code". The reading itself, and
the ordinary lines that must keep running, are checked on the kernel's reader (the static side
runs the same vectors, schema/vectors/install-decision.json).
"""

import glob
import os

import pytest
from launched import installed

from jupyterlab_warden.kernel.guard.installs import commands, interpreters
from jupyterlab_warden.kernel.guard.installs.requirements import MAX_FILE_BYTES

# Debian's perl package ships its interpreter under this name too (its own file, no link)
PERL_SYSTEM = sorted(glob.glob("/usr/bin/perl5.*-*-linux-gnu"))

ARGS = (
    "'pip','install','-q','--no-config','--no-cache','--target','{target}',"
    "'--index-url','{index}','warden-demo-pkg'"
)
PERL_CODE = "system('u'.'v'," + ARGS + ");"
NODE_CODE = "require('child_'+'process').spawnSync('u'+'v',[" + ARGS + "]);"


def _writes(name: str, text: str, then: str) -> str:
    """A cell that writes ``name`` (its text formatted by the kernel fixture first) and runs
    ``then``."""
    return f"import os, subprocess\nopen({name!r}, 'w').write({text!r})\n{then}\n"


PERL_CASES = {
    "R14-5 perl - < x.pl": _writes("x.pl", PERL_CODE, "os.system('perl - < x.pl')"),
    "R14-5 perl /dev/stdin": _writes("x.pl", PERL_CODE, "os.system('perl /dev/stdin < x.pl')"),
    "R14-5 perl input=": _writes(
        "x.pl", PERL_CODE, "subprocess.run(['perl'], input=open('x.pl').read(), text=True)"
    ),
    "R14-18 perl /dev/fd/3": _writes("x.pl", PERL_CODE, "os.system('perl /dev/fd/3 3< x.pl')"),
    "R14-18 perl /proc/self/fd/3": _writes(
        "x.pl", PERL_CODE, "os.system('perl /proc/self/fd/3 3< x.pl')"
    ),
    # the padding is built in the kernel: the cell travels as an argument, which has a limit
    "R14-6 perl past the read limit": "import subprocess\n"
    + f"open('big.pl', 'w').write('# padding\\n' * {MAX_FILE_BYTES // 10 + 10} + "
    + repr(PERL_CODE)
    + ")\nsubprocess.run(['perl', 'big.pl'])",
    "R14-34 perl -le": "import subprocess\nsubprocess.run(['perl', '-le', "
    + repr(PERL_CODE)
    + "])",
    "R14-34 perl -0e": "import subprocess\nsubprocess.run(['perl', '-0e', "
    + repr(PERL_CODE)
    + "])",
    "R14-34 perl -l015e": "import subprocess\nsubprocess.run(['perl', '-l015e', "
    + repr(PERL_CODE)
    + "])",
}
if PERL_SYSTEM:
    PERL_CASES["R14-7 " + os.path.basename(PERL_SYSTEM[0])] = (
        "import subprocess\nsubprocess.run(["
        + repr(PERL_SYSTEM[0])
        + ", '-e', "
        + repr(PERL_CODE)
        + "])"
    )

NODE_CASES = {
    "R14-5 node < x.js": _writes("x.js", NODE_CODE, "os.system('node < x.js')"),
    "R14-5 cat | node -": _writes("x.js", NODE_CODE, "os.system('cat x.js | node -')"),
    "R14-18 node /dev/fd/3": _writes("x.js", NODE_CODE, "os.system('node /dev/fd/3 3< x.js')"),
    "R14-17 node --test": "import os\nos.makedirs('tests', exist_ok=True)\n"
    + _writes("tests/x.test.js", NODE_CODE, "os.system('node --test')"),
    "R14-17 node --test tests": "import os\nos.makedirs('tests', exist_ok=True)\n"
    + _writes("tests/x.test.js", NODE_CODE, "os.system('node --test tests')"),
    "R14-34 node -pe": "import subprocess\nsubprocess.run(['node', '-pe', "
    + repr(NODE_CODE + "1")
    + "])",
    "R14-34 node --title x -e": "import subprocess\nsubprocess.run(['node', '--title', 'x', '-e', "
    + repr(NODE_CODE)
    + "])",
}


@pytest.mark.parametrize("cell", PERL_CASES.values(), ids=PERL_CASES.keys())
def test_perl_code_warden_could_not_read_is_refused(kernel, cell):
    installed("perl")
    assert "Warden" in kernel.proves(cell)


@pytest.mark.parametrize("cell", NODE_CASES.values(), ids=NODE_CASES.keys())
def test_node_code_warden_could_not_read_is_refused(kernel, cell):
    installed("node")
    assert "Warden" in kernel.proves(cell)


def _why(argv, cwd) -> str:
    with commands.start_folder(str(cwd)):
        try:
            commands.invocations(argv)
        except commands.Unreadable as exc:
            return str(exc)
    return ""


@pytest.mark.parametrize(
    "argv, why",
    [
        (["perl", "missing.pl"], "cannot read in full"),
        (["perl", "folder"], "cannot read in full"),
        (["node", "folder"], "cannot read in full"),
        (["perl", "big.pl"], "cannot read in full"),
        (["perl", "-"], "reads its code from its input"),
        (["node", "/proc/self/fd/0"], "reads its code from its input"),
        (["perl", "~-/x.pl"], "cannot place"),
        (["perl", "-C", "plain.pl"], ""),  # -C never takes the next word: the script is read
        (["perl", "-C", "x.pl"], "its script"),
    ],
)
def test_a_script_operand_warden_cannot_read_refuses(tmp_path, argv, why):
    (tmp_path / "folder").mkdir()
    (tmp_path / "big.pl").write_text("#" * (MAX_FILE_BYTES + 1))
    (tmp_path / "plain.pl").write_text("print 1;\n")
    (tmp_path / "x.pl").write_text("system('u'.'v');\n")
    found = _why(argv, tmp_path)
    assert (why in found) if why else found == "", found


@pytest.mark.parametrize(
    "argv",
    [
        ["perl", "-v"],
        ["perl", "-lne", "print if /numpy/", "requirements.txt"],
        ["perl", "-pi", "-e", "s/numpy/scipy/", "requirements.txt"],
        ["perl", "-0777", "-ne", "print", "requirements.txt"],
        ["perl", "plain.pl"],
        ["node", "--version"],
        ["node", "-pe", "1+1"],
        ["node", "plain.js"],
        ["which", "node", "perl"],
        ["git", "commit", "-m", "perl"],
    ],
)
def test_ordinary_interpreter_lines_still_run(tmp_path, argv):
    (tmp_path / "requirements.txt").write_text("numpy\n")
    (tmp_path / "plain.pl").write_text("print 1;\n")
    (tmp_path / "plain.js").write_text("console.log(1)\n")
    assert _why(argv, tmp_path) == ""


@pytest.mark.parametrize(
    "name, language",
    [
        ("perl5.36-x86_64-linux-gnu", "perl"),
        ("perl5.36.0", "perl"),
        ("node20", "node"),
        ("ruby3.1", "ruby"),
        ("node-gyp", None),
        ("perldoc", None),
    ],
)
def test_interpreter_names_systems_ship(name, language):
    entry = interpreters.language(name)
    assert (entry[0] if entry else None) == language
