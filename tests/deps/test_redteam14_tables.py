"""Red team 14: programs that run COMMAND TEXT the program tables missed, and their option
grammars (R14-9, R14-10, R14-21, R14-22, R14-23, R14-27, R14-28, R14-37, R14-38).

The tables (schema/shell-runners.json) are read with one getopt model on both sides
(installs/shell_runners.py, src/deps/shellrunners.ts): long options by unique prefix, short
bundles, tar's old first word, options from the environment (MAKEFLAGS), commands read from
the program's input. Each malicious case run for real proves itself: the cell installs from
the local index in a kernel without Warden and is refused with it, the installer's name built
by the inner shell (``u$@v``) so no word names it.
"""

import pytest
from launched import BUILT, installed
from test_script_magics import _run

from jupyterlab_warden.kernel.guard.installs import commands, shell_runners

SPACED = BUILT.replace(" ", "\\ ")  # make splits MAKEFLAGS at spaces a backslash does not quote


@pytest.mark.parametrize(
    "program, line",
    [
        # R14-9: make takes options (--eval) from MAKEFLAGS
        # (make expands MAKEFLAGS once, then the recipe: `$$$$@` reaches sh as `$@`)
        ("make", "MAKEFLAGS='--eval=x:;@" + SPACED.replace("$", "$$$$") + "' make -s x"),
        # R14-37: getopt's abbreviation of --eval, and tar's old-style bundle (-I takes PROG)
        ("make", "make -s --ev='x:;@" + BUILT.replace("$", "$$") + "' x"),
        ("tar", "touch f; tar cIf '" + BUILT + "; cat' x.tar f"),
        # R14-10: sqlite3 reads dot commands from its input
        ("sqlite3", "echo '.shell " + BUILT + "' | sqlite3 :memory:"),
        # R14-21: less runs its input preprocessor as shell text
        ("less", "touch f; LESSOPEN='|" + BUILT + " >/dev/null; cat %s' less f"),
        # R14-22: git's ext:: transport runs its URL (`% ` a space)
        (
            "git",
            "git -c protocol.ext.allow=always ls-remote 'ext::sh -c "
            + BUILT.replace(" ", "% ")
            + "% >&2'",
        ),
        # R14-23: zip's test command, sg's -c
        ("zip", "touch f; zip -q -T -TT '" + BUILT + "; true' a.zip f"),
        ("sg", "sg root -c '" + BUILT + "'"),
    ],
)
def test_a_program_running_command_text_is_refused_before_it_installs(kernel, program, line):
    kernel.proves_command_text_refused(program, line)


@pytest.mark.parametrize(
    "line",
    [
        "MAKEFLAGS='--eval=x:;@u$$@v sync' make x",
        "GNUMAKEFLAGS=--e make x",  # --eval or --environment-overrides: never data
        "make -s -f - x < m.mk",
        "printf '!u%sv sync\\n' | ed -s f",
        "echo 'u$@v sync' | script -q /dev/null",
        "script -q --comm='u$@v sync' /dev/null",
        "gdb -batch -nx -eval-com='shell u$@v sync'",
        "tar -c --use-compress-prog='u$@v sync' -f x.tar f",
        "tar cf x.tar --checkpoint=1 --checkpoint-act=exec='u$@v sync' f",
        "rsync --rs='u$@v sync' a b",
        "flock --comm='u$@v sync' f",
        "PAGER='u$@v sync' man ls",
        "LESS='+!u$@v sync' less f",
        "GIT_ALLOW_PROTOCOL=ext git ls-remote origin",
        "git -c 'url.ext::sh -c x.insteadOf=https://' fetch https://h/r",
        "strace -o '|u$@v sync' true",
        "apt-get -o APT::Update::Pre-Invoke::='u$@v sync' update",
        "apt-get -c /tmp/apt.conf install -y curl",
        "tmux -L s new-session -d 'u$@v sync'",
        "tmux send-keys -t s 'u$@v sync' Enter",
        "tmux new -d \\; run-shell 'u$@v sync'",
        "tmux source-file /tmp/t.conf",
        "screen -dm sh -c 'u$@v sync'",
        "A=u B=v env --split-s='${A}${B} sync'",
        "watch --unknown-option ls",  # watch's table lists all its options
    ],
)
def test_decision_refuses_the_variants(line):
    with pytest.raises(commands.Unreadable):
        commands.shell_invocations(line)


@pytest.mark.parametrize(
    "line",
    [
        "make -j4",
        "MAKEFLAGS=-j4 make -C build",
        "tar xzf data.tgz",
        "tar cf x.tar --checkpoint=100 f",
        "git clone https://github.com/x/y",
        "less README",
        "man ls",
        "zip -r out.zip dir",
        "sqlite3 db.sqlite 'select 1'",
        "tmux ls",
        "apt-get install -y libgl1",
        "strace -f -o trace.txt ls",
        "watch -n 1 nvidia-smi",
    ],
)
def test_ordinary_lines_of_these_programs_pass(line):
    assert commands.shell_invocations(line) == []


def test_the_getopt_model_resolves_prefixes_bundles_and_refuses_ambiguity():
    known = ["--eval", "--environment-overrides", "--file", "--files-from", "-f"]
    valued = ["--eval", "--file", "--files-from"]
    assert shell_runners.long_option("--ev", known, valued, ["--eval"]) == "--eval"
    assert shell_runners.long_option("--e", known, valued, ["--eval"]) == ""
    assert shell_runners.long_option("--fil", known, valued, ["--eval"]) == "--file"
    assert shell_runners.long_option("--zz", known, valued, ["--eval"]) is None
    # bundles: a valued letter takes the rest of the word, or the next word (tar: in order)
    assert shell_runners.read("tar", ["-cIprog", "f"]).texts == ["prog"]
    assert shell_runners.read("tar", ["cIf", "prog", "x.tar"]).texts == ["prog"]
    assert shell_runners.read("tar", ["xzf", "data.tgz"]).texts == []
    assert shell_runners.read("zip", ["-qTT", "prog", "a.zip"]).texts == ["prog"]


def test_the_variables_a_program_takes_options_from_are_kept_for_the_start():
    """os.environ['MAKEFLAGS'] = ...; subprocess.run(['make', 'x']): the start's environment."""
    for name in ("MAKEFLAGS", "GNUMAKEFLAGS", "MFLAGS", "LESSOPEN", "LESS", "ZIPOPT"):
        assert shell_runners.runner_variable(name), name
    with commands.shell_environment({"MAKEFLAGS": "--eval=x:;u"}):
        with pytest.raises(commands.Unreadable):
            commands.invocations(["make", "x"])
    with commands.shell_environment({"MAKEFLAGS": "-j4"}):
        assert commands.invocations(["make", "x"]) == []


def test_uv_short_with_is_read_as_with():
    """R14-38: `uvx -w SPEC` / `uv tool install -w SPEC`: -w is --with."""
    from jupyterlab_warden.kernel.guard.installs.gate import read_requests

    for argv in (["uvx", "-w", "torcj", "ruff"], ["uv", "tool", "install", "-w", "torcj", "ruff"]):
        (request,) = read_requests(argv, None, {}, "/")
        assert "torcj" in [r.name for r in request.requirements], argv


@pytest.mark.parametrize(
    "head, body",
    [
        ("%%script sqlite3 :memory:", ".shell touch marker"),
        ("%%script make -s -f - x", "x:\n\ttouch marker"),
        ("%%script ed -s f", "!touch marker"),
    ],
)
def test_a_script_magic_feeding_commands_to_a_command_reader_is_refused(tmp_path, head, body):
    """R14-27: the body goes to PROG's stdin; sqlite3, make -f - and ed run commands from it."""
    installed(head.split()[1])
    (result,) = _run(tmp_path, [f"{head}\n{body}\n"])
    assert result["refused"] and "reads commands from its input" in result["refused"], result
    assert not (tmp_path / "marker").exists()
