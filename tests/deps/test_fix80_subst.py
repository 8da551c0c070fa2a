"""fix80subst (red team 57a R57a-6, -7, -8): an install inside a command substitution that the
shell runs after the redirection of the command or compound holding it is weighed with that
redirection (``installs/subst_redirect.py``), as the install inside a redirected group is
(fix70group). Through a real kernel: each attack line installs from the test index (a host
the policy refuses) without Warden, bash or dash having emptied r.txt (``--no-index
--find-links w``) before the install reads it; under Warden nothing is fetched. The ordinary
neighbours install locally; ``time`` before a subshell is read as bash's keyword (R57a-8)."""

import pytest
from launched import REQS_INSTALL as INSTALL
from launched import local_reqs_cell, split_commands

from jupyterlab_warden.kernel.guard.installs import subst_redirect

# (kernel.cell fills {uv}/{target}/{index}: a group's braces are written doubled)
SUB = "$(" + INSTALL + ")"


@pytest.mark.parametrize(
    "line, bash",
    [
        ("case " + SUB + " in *) ;; esac 2>r.txt", False),  # dash: the case's redirection first
        ("[[ -n " + SUB + " ]] 2>r.txt", True),  # bash's [[: its redirections first
        ("x=" + SUB + " 2>r.txt", False),  # dash: an assignment alone, its redirection first
        ("x=" + SUB + " true 2>r.txt", False),  # dash: an assignment in front of a command
        ("cat 2>r.txt <<< " + SUB, True),  # a here-string after the redirection
        ("{{ cat <<E\necho " + SUB + "\nE\n}} 2>r.txt", False),  # a heredoc body in a group
        ("{{ echo " + SUB + "; }} 2>r.txt", False),  # a command's word inside a group
        ("( echo " + SUB + " ) 2>r.txt", False),  # a subshell's last command
        ('if [ -n "' + SUB + '" ]; then :; fi 2>r.txt', False),  # an if's test
        ("time -o r.txt " + INSTALL, False),  # R57a-8: /usr/bin/time opens its -o file first
    ],
    ids=[
        "case-word", "bash-test", "assignment", "prefix-assignment", "here-string",
        "heredoc-in-group", "group-word", "subshell-last", "if-test", "time-o",
    ],
)  # fmt: skip
def test_a_substitution_run_after_the_redirection_is_weighed_with_it(kernel, line, bash):
    kernel.kept_from_refused_host(local_reqs_cell(kernel, line, bash=bash))


def test_a_continued_line_before_the_group_s_redirection_is_refused(kernel):
    """R57a-7: the kernel joins a backslash-newline before it reads the line (the static side
    did not: fix80-subst.spec.ts); kept as the real-shell proof of the vector."""
    kernel.kept_from_refused_host(local_reqs_cell(kernel, "{{ " + INSTALL + "; }}\\\n 2>r.txt"))


@pytest.mark.parametrize(
    "line",
    [
        "echo " + SUB + " 2>r.txt",  # a command's word is expanded before its redirection
        "x=" + SUB + " 2>install.log",
        "case " + SUB + " in *) ;; esac > install.log",
        "time ( " + INSTALL + " )",  # R57a-8: bash's keyword, not a writer
        "time -p " + INSTALL,
        "time {{ " + INSTALL + "; }}",
    ],
    ids=["echo-word", "assignment-log", "case-log", "time-subshell", "time-p", "time-group"],
)
def test_the_ordinary_neighbours_install_locally(kernel, line):
    kernel.installs_locally(local_reqs_cell(kernel, line, bash=True))


def _after_own(words, targets, marker="\x010\x01"):
    return subst_redirect.after_own(words, targets, lambda w: marker in w)


def test_which_substitutions_of_a_simple_command_run_after_its_redirections():
    s = "\x010\x01"
    assert _after_own(["x=" + s], ["r.txt"])  # an assignment alone
    assert _after_own(["x=" + s, "true"], ["r.txt"])  # in front of a command
    assert _after_own(["!", "a[1]+=" + s], [])
    assert _after_own(["[[", "-n", s, "]]"], ["r.txt"])
    assert _after_own(["cat"], ["r.txt", s])  # a redirection's word
    assert _after_own(["time", "-p", "x=" + s], ["r.txt"])  # fail closed: dash's too
    assert not _after_own(["echo", s], ["r.txt"])
    assert not _after_own(["true", "x=" + s], ["r.txt"])  # an argument, not an assignment
    assert not _after_own(["export", "x=" + s], ["r.txt"])


def test_the_split_hands_a_subshell_s_and_a_heredoc_holder_s_redirections_on():
    early = [c[7] for c in split_commands("( echo a ) 2>r.txt")]
    assert early == [["r.txt"]]
    split = split_commands("cat 2>r.txt <<E\necho $(true)\nE")
    assert [c[7] for c in split if c[0][:1] == ["echo"]] == [["r.txt"]]
    assert [c[7] for c in split if c[0][:1] == ["cat"]] == [[]]  # the holder: its own
