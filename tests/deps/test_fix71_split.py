"""fix71split (red team 56b R56b-3, R56b-4, R56b-8): redirections the line's split lost. What
the shared vectors (schema/vectors/install-decision.json, "R56b-") cannot carry: where the
reader cuts descriptor numbers, which command the split gives a redirection to, and the
reading of a guardless Python inside a shell text whose command is redirected (files)."""

import pytest
from launched import reading_refusal, split_commands

from jupyterlab_warden.kernel.guard.installs import commands, shell_text


def _split(line: str):
    """(words, own file writes) of each simple command of ``line``."""
    return [(c[0], c[1]) for c in split_commands(line)]


# -- R56b-3: a duplication's target is a word, digits and all ------------------------------------


@pytest.mark.parametrize(
    "line, cut",
    [
        ("a 2>&1>r.txt", ["2"]),  # bash: 2>&1, then >r.txt (the 1 is no descriptor number)
        ("a >&2>r.txt", []),
        ("a 2>& 1>r.txt", ["2"]),
        ("a 3<&0>r.txt", ["3"]),
        ("a 2>&1 10>r.txt", ["2", "10"]),  # a number at a word's start still is one
        ("a2>r.txt", []),  # inside a word it is the word's
    ],
)
def test_only_a_number_that_starts_a_word_is_a_descriptor(line, cut):
    assert [line[s:e] for s, e in shell_text.mask(line).cuts] == cut


def test_the_redirection_after_a_glued_duplication_is_the_command_s_own():
    assert _split("uv pip install black 2>&1>r.txt") == [
        (["uv", "pip", "install", "black"], ["r.txt"])
    ]
    # its target is a file the shell creates, not an option of the install
    assert _split("uv pip install black 2>&1>--no-config") == [
        (["uv", "pip", "install", "black"], ["--no-config"])
    ]


@pytest.mark.parametrize(
    "line, expected",
    [
        # a syntax error for the shell (nothing runs); the operator is read as itself
        ("uv pip install black >&>r.txt", [(["uv", "pip", "install", "black"], ["r.txt"])]),
        ("echo a > ; uv pip list", [(["echo", "a"], []), (["uv", "pip", "list"], [])]),
        ("uv pip install black >", [(["uv", "pip", "install", "black"], [])]),
    ],
)
def test_an_operator_is_never_a_redirection_s_target(line, expected):
    assert _split(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "cat <<EOF > index.html\n<html>\n<body>hi</body>\n</html>\nEOF",
        "cat > cfg.xml <<'EOF'\n<a>\n  <b>x</b>\n</a>\nEOF",
    ],
)
def test_a_heredoc_of_markup_is_read_as_before(line):
    # the body's `<html>` then a newline: data the reader reads as commands, no syntax error
    assert commands.shell_invocations(line, 0, {}) == []


# -- R56b-4: a redirection with no command word is a writer ---------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        ">r.txt; uv pip install black",
        ">r.txt && uv pip install black",
        "true | >r.txt; uv pip install black",
        "( >r.txt ); uv pip install black",
    ],
)
def test_a_redirection_alone_is_a_command_that_writes(line):
    assert ([":"], ["r.txt"]) in _split(line)


def test_a_redirection_alone_at_the_end_of_the_line_is_kept():
    assert _split("uv pip install black; 2>r.txt")[-1] == ([":"], ["r.txt"])


# -- R56b-8: the redirections of the command running a shell text are its commands' --------------

IMPORTS_MOD = "import sys\nprint(1)\nsys.stdout.flush()\nimport mod\n"


@pytest.mark.parametrize(
    "line",
    [
        "python3 -E s.py > mod.py",  # the plain form, refused before
        "sh -c 'python3 -E s.py' > mod.py",
        "eval 'python3 -E s.py' > mod.py",
        "bash -c 'python3 -E s.py' 2>mod.py",
        "sh -c 'sh -c \"python3 -E s.py\"' > mod.py",
        "{ sh -c 'python3 -E s.py'; } > mod.py",
        "timeout 5 sh -c 'python3 -E s.py' >|mod.py",
        "sh -c 'echo a; python3 -E s.py' &>>mod.py",
        "sh -c 'python3 -E s.py' 2>&1>mod.py",
    ],
)
def test_a_guardless_python_inside_a_redirected_shell_text_writes_through_it(tmp_path, line):
    (tmp_path / "s.py").write_text(IMPORTS_MOD)
    (tmp_path / "mod.py").write_text("X = 1\n")
    why = reading_refusal(["/bin/sh", "-c", line], tmp_path)
    # its own output's redirection, or (after echo) an earlier writer on the line: both the
    # redirection the shell opened before the text ran
    assert "starts without Warden's guard" in why and "mod" in why, why


@pytest.mark.parametrize(
    "line",
    [
        "sh -c 'python3 -E s.py'",
        "sh -c 'python3 -E s.py 2>/dev/null'",
        "sh -c 'python3 s.py' > log.txt",  # a Python that keeps the guard
        "sh -c 'python3 -E s.py' < /dev/null",
    ],
)
def test_a_shell_text_without_an_output_redirection_reads_as_before(tmp_path, line):
    (tmp_path / "s.py").write_text(IMPORTS_MOD)
    (tmp_path / "mod.py").write_text("X = 1\n")
    assert reading_refusal(["/bin/sh", "-c", line], tmp_path) == ""
