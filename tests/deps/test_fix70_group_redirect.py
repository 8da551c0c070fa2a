"""fix70group (red team 55b R55b-5): a compound command's redirections apply to every command
inside it (``installs/compound_redirect``). What the shared vectors cannot carry: which
commands the split gives them to, and the closing word Warden cannot match (fail closed)."""

import pytest
from launched import split_commands

from jupyterlab_warden.kernel.guard.installs import compound_redirect


def _groups(line: str):
    """(words, own file writes, the compound's) of each simple command of ``line``."""
    return [(c[0], c[1], c[6]) for c in split_commands(line)]


@pytest.mark.parametrize(
    "line, expected",
    [
        (
            "{ echo a; uv pip install black; } 2>r.txt; echo b",
            [["r.txt"], ["r.txt"], [], []],
        ),
        ("( echo a; uv pip install black ) 2>r.txt", [["r.txt"], []]),
        ("if true; then uv pip install black; fi >r.txt", [["r.txt"], ["r.txt"], []]),
        ("for x in a; do uv pip install black; done >r.txt", [["r.txt"], ["r.txt"], []]),
        ("case a in a) uv pip install black;; esac >r.txt", [["r.txt"], ["r.txt"], []]),
        ("f() { uv pip install black; } >r.txt; f", [[], ["r.txt"], [], []]),
        ("function f { uv pip install black; } >r.txt", [["r.txt"], []]),
        ("{ { uv pip install black; } >a; } >b", [["a", "b"], ["b"], []]),
        ("( ( uv pip install black ) >a; echo ) >b", [["b"], []]),
        ("{ arr=(a b); uv pip install black; } >r.txt", [["r.txt"]] * 3 + [[]]),
        ("echo x) ; uv pip install black > log", [[], []]),
    ],
)
def test_the_compound_s_redirections_go_to_every_command_inside(line, expected):
    assert [group for _words, _own, group in _groups(line)] == expected


def test_a_subshell_s_redirection_is_its_last_command_s_own():
    # the writer for the commands after it (its closing `)` is no command of its own)
    assert _groups("( echo a; uv pip install black ) 2>r.txt")[-1][1] == ["r.txt"]


@pytest.mark.parametrize(
    "line",
    [
        "uv pip install -r r.txt; } 2>r.txt",
        "echo a; uv pip install -r r.txt ) >r.txt",
        "if true; then uv pip install -r r.txt; done >r.txt",
    ],
)
def test_a_closing_word_that_matches_nothing_gives_its_redirection_to_all_before(line):
    assert all(group == ["r.txt"] for _words, _own, group in _groups(line)[:-1])


def test_a_closing_word_that_matches_nothing_without_a_redirection_reads_as_before():
    assert _groups("echo a; }")[-1] == (["}"], [], [])
    assert _groups("echo pip install x 2>&1 ; done >> log")[0] == (
        ["echo", "pip", "install", "x"],
        [],
        ["log"],
    )


def test_reserved_words_count_only_in_a_command_s_first_place():
    assert compound_redirect.command_position(["then", "!"])
    assert compound_redirect.command_position(["function", "f"])
    assert not compound_redirect.command_position(["echo"])
    assert not compound_redirect.command_position(["for"])  # `for done in ...`
