"""Red team 25 R25-1: text a program Warden has no table for hands to a shell.

``npx -c TEXT``, ``npm exec --call=TEXT`` and ``gcc -wrapper sh,-c,TEXT,x`` run TEXT with
``sh -c``; Warden looked for installer names in such a word as it is written, and the inner
shell's quote removal built one (``u""v p""ip install``): no piece of the word was an
installer's name, gcc's start was not even read in full. Now a word is read as written and
with its quotes removed (``handed_text.dequoted``), by the fast path and the full reading; and
a name in command position that is a shell, a wrapper, a code interpreter or a program that
runs shell text refuses the start (``... | base64 -d | bash``: what it runs is computed).

Each proof runs for real: without Warden uv installs from the test index; with Warden the start
is refused and the index sees no request.
"""

import base64

import pytest
from launched import installed, system_cell

from jupyterlab_warden.kernel.guard.installs import handed_text

UV = (
    "uv pip install -q --no-config --no-cache --target {target} --index-url {index} warden-demo-pkg"
)
QUOTED = UV.replace("uv pip", 'u""v p""ip')
C_SOURCE = "open('t.c', 'w').write('int main(void) {{ return 0; }}')\n"


def _argv_cell(argv_text: str, before: str = "") -> str:
    return "import subprocess\n" + before + f"subprocess.run({argv_text})\n"


def _line_cell(line: str) -> str:
    return system_cell(line)


def _encoded(kernel) -> str:
    """The install line, base64: no piece of it names anything."""
    text = UV.format(target=kernel.target, index=kernel.index.simple)
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "program, code",
    [
        ("npx", _argv_cell(f"['npx', '-c', {QUOTED!r}]")),
        ("npx", _line_cell(f"npx -c '{QUOTED}'")),
        (
            "npx",
            _argv_cell(
                f"['npx', '-c', {UV.replace('uv pip', 'u' + chr(92) + 'v p' + chr(92) + 'ip')!r}]"
            ),
        ),
        ("npm", _line_cell(f"npm exec --call='{QUOTED}'")),
        (
            "gcc",
            _argv_cell(f"['gcc', '-wrapper', 'sh,-c,' + {QUOTED!r} + ',x', '-c', 't.c']", C_SOURCE),
        ),
    ],
    ids=["npx-argv", "npx-line", "npx-backslash", "npm-call", "gcc-wrapper"],
)
def test_a_name_built_by_quote_removal_is_read(kernel, program, code):
    installed(program)
    installed("uv")
    refused = kernel.proves(code)
    assert "installer named in its arguments" in refused, refused


@pytest.mark.parametrize("form", ["npx", "gcc", "npx-redirected", "npx-setsid"])
def test_a_shell_that_runs_computed_text_is_refused(kernel, form):
    """``echo B64 | base64 -d | bash``: no installer name anywhere; bash runs what base64
    prints (after a redirection, ``2>/dev/null bash``, or a wrapper, ``setsid bash``, too)."""
    for program in ("npx", "gcc", "base64", "bash", "setsid", "uv"):
        installed(program)
    shell = {"npx-redirected": "2>/dev/null bash", "npx-setsid": "setsid bash"}.get(form, "bash")
    piped = f"echo {_encoded(kernel)} | base64 -d | {shell}"
    if form.startswith("npx"):
        code = _argv_cell(f"['npx', '-c', {piped!r}]")
    else:
        code = _argv_cell(
            f"['gcc', '-wrapper', 'bash,-c,' + {piped!r} + ',x', '-c', 't.c']", C_SOURCE
        )
    refused = kernel.proves(code)
    assert "as shell text" in refused, refused


@pytest.mark.parametrize(
    "argv",
    [
        ["npx", "-c", 'echo "hello world"'],
        ["npm", "exec", "--call=echo 'a b'"],
        ["gcc", '-DMSG="a b"', "-c", "t.c", "-o", "t.o"],
        ["gcc", "-c", "t.c", "-o", "t.o", "-Wl,-rpath,/opt/lib"],
        ["jq", "-n", "[1, 2] | map(. * 2) | select(length > 0)"],
    ],
    ids=["npx-echo", "npm-echo", "gcc-define", "gcc-rpath", "jq-filter"],
)
def test_ordinary_text_words_run(kernel, argv):
    installed(argv[0])
    result = kernel.cell(_argv_cell(repr(argv), C_SOURCE), launched=True)
    assert result["refused"] is None, result


def test_a_link_named_through_a_tilde_is_read(kernel):
    """``~/p`` is $HOME/p to the shell npx runs the text with; p is a link to pip: no word
    names an installer, and the fast path looked at links only in words that are a path
    whole (``~+/p`` is the same in bash: ./p)."""
    installed("npx")
    code = (
        "import os, sys\n"
        "p = os.path.expanduser('~/p')\n"
        "if os.path.lexists(p):\n"
        "    os.remove(p)\n"
        "os.symlink(os.path.join(os.path.dirname(sys.executable), 'pip'), p)\n"
    ) + _argv_cell(
        "['npx', '-c', '~/p install -q --no-cache-dir --target {target} --index-url {index} "
        "warden-demo-pkg']"
    )
    refused = kernel.proves(code)
    assert "installer named in its arguments" in refused, refused


def test_the_names_a_shell_starts_in_text():
    assert handed_text.dequoted("u\"\"v p\\ip 'in'stall") == "uv pip install"
    assert handed_text.dequoted("u\\\nv") == "uv"  # a line continuation
    assert handed_text.command_names("X=1 /bin/ba\\sh -c t; if a; then perl -e 1; fi") == [
        "bash",
        "a",
        "perl",
        "fi",
    ]
    assert handed_text.command_names("sh,-c,echo 1") == ["sh,-c,echo", "sh"]
    assert handed_text.command_names("a | b && (c) `d` {e; }") == ["a", "b", "c", "d", "e"]
    assert handed_text.command_names("a 2>&1 | > log perl -e 1; <f bash") == ["a", "perl", "bash"]
    assert not handed_text.may_be_command_text("plain-word")
    assert handed_text.command_tokens("X=1 ~+/u add; ./v") == ["~+/u", "./v"]
    assert handed_text.expand_tilde("~+/u", "/h", "/o") == "./u"
    assert handed_text.expand_tilde("~/u", "/h", "/o") == "/h/u"
    assert handed_text.expand_tilde("~-/u", "/h", "") == "~-/u"  # no OLDPWD: as written
