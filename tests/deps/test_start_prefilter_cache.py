"""The first look every process start pays keeps what it read of a program file (its first
bytes: a binary, or a script that may run bash, R11-13) by the file's identity, and never
answers for a file that changed since (``shebang.is_script``, ``fastpath.may_install``)."""

import os
import shutil
import time

import pytest

from jupyterlab_warden.kernel.guard.installs import fastpath, path_programs, shebang

ELF = open(shutil.which("true"), "rb").read()  # a real binary: exec runs it itself
SCRIPT = b"#!/bin/bash\n" + b"#" * (len(ELF) - 13) + b"\n"  # same size as the binary


@pytest.fixture()
def reads(monkeypatch):
    """Counts the opens of the first look; starts with nothing kept."""
    monkeypatch.setattr(shebang, "_SCRIPTS", {})
    opened = []

    def counting_open(path, *args, **kwargs):
        opened.append(path)
        return open(path, *args, **kwargs)

    monkeypatch.setattr(shebang, "open", counting_open, raising=False)
    return opened


def _settled(monkeypatch):
    """Every file counts as settled (as if its ctime were long past)."""
    monkeypatch.setattr(shebang, "_SETTLED_NS", -(10**18))


def test_a_file_written_just_now_is_read_again_on_every_start(tmp_path, reads):
    program = tmp_path / "tool"
    program.write_bytes(ELF)
    assert not shebang.is_script(str(program), os.stat(program))
    program.write_bytes(SCRIPT)  # same inode, same size, within the same clock tick
    assert shebang.is_script(str(program), os.stat(program))
    assert not shebang._SCRIPTS
    assert len(reads) == 2


def test_a_settled_file_is_read_once(tmp_path, reads, monkeypatch):
    _settled(monkeypatch)
    program = tmp_path / "tool"
    program.write_bytes(ELF)
    for _ in range(3):
        assert not shebang.is_script(str(program), os.stat(program))
    assert len(reads) == 1


def test_a_file_replaced_under_the_same_name_is_read_again(tmp_path, reads, monkeypatch):
    _settled(monkeypatch)
    program = tmp_path / "tool"
    program.write_bytes(ELF)
    assert not shebang.is_script(str(program), os.stat(program))
    staged = tmp_path / "staged"
    staged.write_bytes(SCRIPT)
    os.replace(staged, program)
    assert shebang.is_script(str(program), os.stat(program))
    assert len(reads) == 2


def test_an_answer_read_from_another_file_than_the_one_stated_is_not_kept(
    tmp_path, reads, monkeypatch
):
    """The name was swapped between the caller's stat and the open: what was read belongs to
    the new file, not to the identity the caller found."""
    _settled(monkeypatch)
    program = tmp_path / "tool"
    program.write_bytes(SCRIPT)
    stated = os.stat(program)
    staged = tmp_path / "staged"
    staged.write_bytes(ELF)
    os.replace(staged, program)
    assert not shebang.is_script(str(program), stated)
    assert not shebang._SCRIPTS


def test_the_path_walk_reads_a_replaced_program_anew(tmp_path, reads, monkeypatch):
    """Found on PATH: a binary passes the first look; the same name replaced by a bash script
    does not (it may run code from the environment)."""
    _settled(monkeypatch)
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "tool"
    program.write_bytes(ELF)
    program.chmod(0o755)
    search = f"{tmp_path / 'missing'}:{folder}:/usr/bin"
    assert not fastpath.may_install("tool", search)
    assert not fastpath.may_install("tool", search)
    assert len(reads) == 1
    staged = folder / "staged"
    staged.write_bytes(SCRIPT)
    os.replace(staged, program)
    assert fastpath.may_install("tool", search)


def test_a_link_is_judged_by_its_target_file(tmp_path, reads, monkeypatch):
    _settled(monkeypatch)
    target = tmp_path / "real"
    target.write_bytes(ELF)
    link = tmp_path / "tool"
    link.symlink_to(target)
    assert not fastpath.may_install(str(link))
    assert not fastpath.may_install(str(link))
    assert len(reads) == 1
    staged = tmp_path / "staged"
    staged.write_bytes(SCRIPT)
    os.replace(staged, target)
    assert fastpath.may_install(str(link))


def test_a_program_that_is_not_there_or_cannot_be_read(tmp_path, reads):
    assert not fastpath.may_install("tool", str(tmp_path))
    assert not fastpath.may_install(str(tmp_path / "tool"))
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    assert fastpath.may_install(str(dangling))  # cannot be read: counts as a script


# -- the gate's first look (fastpath.first_look): its caches hold text, never files ----------


def _tools(tmp_path):
    """A PATH folder with a binary, a bash script, links to an installer and to perl under
    other names, and a link to a binary: what the first look tells apart."""
    real = tmp_path / "real"
    real.mkdir()
    for name in ("uv", "perl", "data"):
        (real / name).write_bytes(ELF)
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "tool").write_bytes(ELF)
    (folder / "run.sh").write_bytes(SCRIPT)
    (folder / "ls").symlink_to(real / "uv")
    (folder / "p").symlink_to(real / "perl")
    (folder / "cat").symlink_to(real / "data")
    for item in folder.iterdir():
        item.chmod(0o755)
    (folder / "in").symlink_to("/dev/stdin")  # the child's stdin, not the kernel's (R16-4)
    (tmp_path / "me").symlink_to("/proc/self")
    return folder


# programs that name the started process's own files (R14-20, R16-4): read in full by every
# first look, the gate's shortcut included, without a hint word among their words
PROCESS_PROGRAMS = [
    "/dev/stdin", "/proc/self/fd/0", "/dev/fd/0", "//dev/stdin", "/dev/./stdin",
    "/tmp/../dev/stderr", "/proc/self/exe", "in", "bin/in", "./bin/in", "me/exe", "me/cwd/tool",
]  # fmt: skip

STARTS = [
    ["tool"], ["tool", "-x", "data.csv"], ["run.sh"], ["ls", "sync"], ["p", "-e", "1"],
    ["cat", "x"], ["missing"], ["tool", "pip"], ["tool", "--via=uv"], ["tool", "./ls"],
    ["tool", "bin/ls"], ["tool", "bin/cat"], ["./tool"], ["./ls"], ["bin/ls"], ["bin/tool"],
    ["/usr/bin/env", "x"], ["bash", "-c", "true"], ["python3.11", "-c", "1"], ["perl5.36"],
    ["git", "status"], ["vim.basic"], ["tool", "/usr/bin/true"], ["tool", "awk"],
    *[[program, "tool", "install", "x"] for program in PROCESS_PROGRAMS],
]  # fmt: skip


@pytest.mark.parametrize("in_folder", [False, True])
def test_the_first_look_answers_as_may_install_or_may_launch(tmp_path, in_folder):
    """Same tests, cheaper order: the answer is the one the two looks give together."""
    folder = _tools(tmp_path)
    cwd = str(folder) if in_folder else str(tmp_path)
    search = f"{tmp_path / 'missing'}:{folder}:{folder}:/usr/bin:/bin"
    for start in STARTS:
        expected = fastpath.may_install(start[0], search, cwd) or fastpath.may_launch([start], cwd)
        assert fastpath.first_look(list(start), search, cwd) is expected, start
    # and the answers are the ones each case stands for
    look = lambda *start: fastpath.first_look(list(start), search, cwd)  # noqa: E731
    assert not look("tool", "-x", "data.csv") and not look("cat", "x")
    assert look("run.sh") and look("ls", "sync") and look("p", "-e", "1") and look("tool", "pip")
    assert look("tool", "bin/ls") is (not in_folder)  # a relative word from the start's folder
    assert look("./ls") is in_folder
    for program in PROCESS_PROGRAMS:
        if in_folder and program in ("bin/in", "./bin/in", "me/exe", "me/cwd/tool"):
            continue  # no such path from the tools' folder
        assert look(program, "tool", "install", "x"), program


def test_the_first_look_reads_a_program_placed_on_the_path_after_a_start(tmp_path):
    """What is kept is the PATH string's folders, not what they held: a link to an installer
    put in a folder searched before the binary's, or in a folder named twice, is found on the
    next start."""
    folder = _tools(tmp_path)
    first = tmp_path / "first"
    first.mkdir()
    search = f"{first}:{first}:{folder}:/usr/bin"
    assert not fastpath.first_look(["tool", "x"], search)
    (first / "tool").symlink_to(tmp_path / "real" / "uv")
    assert fastpath.first_look(["tool", "x"], search)
    (first / "tool").unlink()
    assert not fastpath.first_look(["tool", "x"], search)
    (folder / "tool").unlink()
    (folder / "tool").write_bytes(SCRIPT)  # the binary replaced by a bash script
    assert fastpath.first_look(["tool", "x"], search)


def test_a_path_probe_that_cannot_answer_falls_back_to_lstat(tmp_path, monkeypatch):
    """A seccomp filter may refuse faccessat2 (EPERM): access() then says every file is
    missing. The probe sees it and the walk lstat's instead, so a link is still found; with
    the broken probe kept, it would not be (what the probe is for)."""
    folder = _tools(tmp_path)
    search = f"{folder}:/usr/bin"
    monkeypatch.setattr(fastpath.os, "access", lambda *args, **kwargs: False)
    monkeypatch.setattr(fastpath, "_exists", None)
    assert fastpath.first_look(["ls", "sync"], search)
    assert fastpath._exists is fastpath._lstat_exists
    monkeypatch.setattr(fastpath, "_exists", fastpath._access_exists)
    monkeypatch.setattr(fastpath, "_FOUND_IN", {})  # no hint of where ls was found
    assert not fastpath.first_look(["ls", "sync"], search)  # unreadable access: link missed


def test_the_probe_uses_access_where_it_answers(monkeypatch):
    monkeypatch.setattr(fastpath, "_exists", None)
    assert fastpath._probe() is fastpath._access_exists
    assert fastpath._access_exists("/") and not fastpath._access_exists("/no/such/file")
    with pytest.raises(ValueError):
        fastpath._access_exists("/a\0b")  # the walk takes it as not found, as lstat's


def test_the_word_answers_kept_are_text_only_and_bounded(monkeypatch):
    monkeypatch.setattr(fastpath, "_WORDS", {})
    assert fastpath._names_reader("pip") and not fastpath._names_reader("data.csv")
    assert fastpath._WORDS == {"pip": True, "data.csv": False}
    long_word = "x" * (fastpath._WORD_MAX + 1)
    assert not fastpath._names_reader(long_word) and long_word not in fastpath._WORDS

    class Word(str):
        def __hash__(self):  # a str subclass's own methods never run in the lookup
            raise AssertionError("called")

    assert fastpath._names_reader(Word("uv")) and "uv" not in fastpath._WORDS
    monkeypatch.setattr(fastpath, "_WORDS_KEPT", 3)
    for word in ("a1", "a2", "a3", "a4"):
        fastpath._names_reader(word)
    assert len(fastpath._WORDS) <= 3 and "a4" in fastpath._WORDS


# -- the gate's common start (InstallGate.check's subprocess.Popen shortcut) -----------------


class _Word(str):
    """A str subclass: refused as the program (it may read differently to the child)."""


def _decisions(gate, args):
    """What ``check`` does with a subprocess.Popen event: the starts it reads in full and the
    refusals it makes (each recorded, nothing run)."""
    seen = []
    # (argv0: the start's own argv[0] beside its program, red team 88 F3: both ways hand it)
    gate.decide_command = lambda argv, shell, env, cwd, call, in_process=False, argv0=None: (
        seen.append(("read", list(argv), shell, env, cwd, call, argv0))
    )
    gate._enforce = lambda requests, call, in_process: seen.append(
        ("refused", [r.problems for r in requests], call)
    )
    gate.check("subprocess.Popen", args)
    return seen


@pytest.mark.parametrize("unreadable", [False, True])
def test_the_common_start_is_decided_as_the_general_reading_decides_it(
    tmp_path, monkeypatch, unreadable
):
    """A 4-item event (what subprocess raises) takes the shortcut; the same values given as 5
    items take the general reading (``_plain_event`` reads the first four): every start, word
    kind and inherited environment gets the same decision from both."""
    from jupyterlab_warden.kernel.guard.installs.gate import InstallGate

    folder = _tools(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")  # os.environ and the C environ's
    # the tools stand for programs the machine had before the kernel started: what PATH's
    # programs written since then do to every start is red team 18's (test_redteam18_path)
    monkeypatch.setattr(path_programs, "_started", time.time() + 3600)
    gate = InstallGate(state=None)
    if unreadable:
        gate.inherited.unknown = "an os.putenv call Warden could not read"
    programs = [(start[0], start) for start in STARTS] + [
        ("/usr/bin/true", ["ls", "install", "x"]),  # the program runs, not argv[0]
        ("uv", ["true"]), ("true", []), ("true", [_Word("true")]), ("true", ["true", b"x"]),
        ("true", ["true", _Word("pip")]), ("true", ("true",)), (_Word("true"), ["true"]),
        (b"true", [b"true"]),
    ]  # fmt: skip
    read_in_full = 0
    for program, argv in programs:
        for cwd, env in ((None, None), (str(tmp_path), None), (None, {"PATH": "/usr/bin"})):
            shortcut = _decisions(gate, (program, argv, cwd, env))
            general = _decisions(gate, (program, argv, cwd, env, None))
            assert shortcut == general, (program, argv, cwd, env)
            read_in_full += bool(shortcut)
    # and the cases stand for what they should: installers and unreadable words are decided
    assert _decisions(gate, ("uv", ["uv", "pip", "install", "x"], None, None))
    assert _decisions(gate, (_Word("true"), ["true"], None, None))[0][0] == "refused"
    for program in PROCESS_PROGRAMS:  # both paths read them (R16-4: both missed them)
        assert _decisions(gate, (program, [program, "tool", "install"], None, None)), program
    assert 0 < read_in_full < 3 * len(programs)
    # the PATH folder's link into /dev/stdin refuses every start that may run it by name
    # (red team 86 F9: it is the child's stdin, not the kernel's); without it, the quiet start
    quiet = _decisions(gate, ("true", ["true"], None, None))
    assert unreadable or "/dev/stdin" in str(quiet), quiet
    (folder / "in").unlink()
    quiet = _decisions(gate, ("true", ["true"], None, None))
    assert bool(quiet) is unreadable  # an unreadable inherited environment: read in full


def test_the_python_path_kept_decoded_still_sees_each_change(monkeypatch):
    """``problem`` keeps os.environ's PATH bytes decoded (every start asks); a change made to
    Python's copy alone, without an event (``os.environ._data``), is still seen."""
    from jupyterlab_warden.kernel.guard.installs.inherited_env import InheritedEnviron

    inherited = InheritedEnviron()
    assert inherited.problem() == "" and inherited.problem() == ""
    key = os.environ.encodekey("PATH")
    monkeypatch.setitem(os.environ._data, key, os.environ._data[key] + b":/tmp/x")
    assert "PATH" in inherited.problem()
    monkeypatch.setitem(os.environ._data, key, bytes(inherited.get("PATH"), "utf-8"))
    assert inherited.problem() == ""  # equal again, as another object
    monkeypatch.delitem(os.environ._data, key)
    assert "PATH" in inherited.problem()


def test_where_a_name_was_found_last_changes_no_answer(tmp_path, monkeypatch):
    """The walk lstat's the folder a name was last found in without probing it first (a hint
    for its system calls): the folders before it are still looked in, so a link put there is
    found, and a program gone from the hinted folder is looked for after it."""
    monkeypatch.setattr(fastpath, "_FOUND_IN", {})
    folder = _tools(tmp_path)
    first, last = tmp_path / "first", tmp_path / "last"
    first.mkdir()
    last.mkdir()
    search = f"{first}:{folder}:{last}"
    assert not fastpath.first_look(["tool", "x"], search)  # the binary in bin/: hinted
    assert fastpath._FOUND_IN[(search, "tool")] == f"{folder}/"
    (first / "tool").symlink_to(tmp_path / "real" / "uv")  # before the hinted folder
    assert fastpath.first_look(["tool", "x"], search)
    (first / "tool").unlink()
    assert not fastpath.first_look(["tool", "x"], search)
    (folder / "tool").unlink()  # gone from the hinted folder; a script after it
    (last / "tool").write_bytes(SCRIPT)
    assert fastpath.first_look(["tool", "x"], search)
    assert fastpath._FOUND_IN[(search, "tool")] == f"{last}/"
    (last / "tool").unlink()
    assert not fastpath.first_look(["tool", "x"], search)  # found nowhere: exec fails
