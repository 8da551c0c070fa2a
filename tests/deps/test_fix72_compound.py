"""fix72compound (red team 56d): the compound-command reading's gaps. What the shared vectors
cannot carry: which commands the split gives a compound's redirections to once each gap is
read right, and the reading coming out even (``Compounds.even``) or not (fail closed)."""

import pytest
from test_fix70_group_redirect import _groups

from jupyterlab_warden.kernel.guard.installs import compound_redirect

INSTALL = "uv pip install black"


@pytest.mark.parametrize(
    "line",
    [
        "{ '}' 2>/dev/null; "
        + INSTALL
        + "; '{' 2>/dev/null; } 2>r.txt",  # R56d-1: quoted braces are words
        '{ "}" 2>/dev/null; ' + INSTALL + "; \\{ 2>/dev/null; } 2>r.txt",
        "{ true; 2>/dev/null }; " + INSTALL + "; 2>/dev/null {; } 2>r.txt",
        "{ " + INSTALL + "; case a in a) true;& {) true;; esac; } 2>r.txt",  # R56d-3
        "{ " + INSTALL + "; case a in a) true;;& {) true;; esac; } 2>r.txt",
        "{ " + INSTALL + "; arr=( { ); } 2>r.txt",  # R56d-4
        "case a in esac; { " + INSTALL + "; } 2>r.txt",  # R56d-5
        "{ " + INSTALL + "; { true; } } 2>r.txt",  # R56d-6
        "{ " + INSTALL + "; if true; then true; fi } 2>r.txt",
        "{ " + INSTALL + "; case a in a) true;; esac } 2>r.txt",
        "( " + INSTALL + "; cat <(true) /dev/null ) 2>r.txt",  # R56d-7
        "{ " + INSTALL + "; cat <<E\n}\n{\nE\n} 2>r.txt",  # a heredoc body is data
    ],
)
def test_the_install_inside_gets_the_compound_s_redirection(line):
    installs = [group for words, _own, group in _groups(line) if "uv" in words]
    assert installs == [["r.txt"]]


def _even(words):
    c = compound_redirect.Compounds()
    for k, word in enumerate(words):
        c.word(word, k, [])
    return c.even()


def test_a_reading_that_does_not_come_out_even_is_told():
    assert _even(["{", "}"])
    assert not _even(["{"])  # still open at the end
    assert not _even(["}"])  # closes nothing
    assert not _even(["{", "fi"])  # closes what it does not match
    c = compound_redirect.Compounds()
    c.open_paren(0, ["arr="])
    assert c.word("}", 1, []) is None  # an array's value (R56d-4: was a KeyError)
    assert c.close_paren() is None and c.even()


def test_an_uneven_line_gives_each_closing_word_s_redirection_to_all_before():
    # the first `}` closes the group, the second closes nothing: the later group's 2>r.txt
    # may be the shell's for any command before it
    line = "{ " + INSTALL + "; } ; } 2>log; { true; } 2>r.txt"
    groups = [group for words, _own, group in _groups(line) if "uv" in words]
    assert groups == [["log", "r.txt"]]


def test_a_quoted_word_is_marked_only_when_it_reads_as_a_reserved_word():
    from jupyterlab_warden.kernel.guard.installs import commands

    assert commands._unmarked(commands._QUOTED + "}") == commands._QUOTED + "}"
    assert commands._unmarked(commands._QUOTED + "x") == "x"
    assert commands._literal([commands._QUOTED + "}"]) == ["}"]


def test_a_line_holding_the_quoting_mark_is_refused():
    from jupyterlab_warden.kernel.guard.installs import commands

    with pytest.raises(commands.Unreadable):
        commands.shell_invocations("echo " + commands._QUOTED + "}", 0, {})
