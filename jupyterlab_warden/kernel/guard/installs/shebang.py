"""Whether a program file runs bash when it is exec'd (red team 11 R11-13, its gap).

A shell start whose environment holds code for bash (``BASH_FUNC_pip%%``, ``BASH_ENV``...) is
refused (``commands._refuse_shell_code``), but ``./x.sh`` and ``subprocess.run(["./x.sh"])``
start bash too: the kernel runs the interpreter its ``#!`` line names, and a file with no
``#!`` line and no binary format is run by the shell that started it, or by ``/bin/sh``
(``execvp``'s fallback). So a program is read as a bash start when its ``#!`` line names
bash (``/bin/bash``, ``/usr/bin/env bash``), a ``sh`` that is bash, or when it has none.
The same line names the interpreter any other start-up variable reaches (red team 25 R25-2:
``PERL5OPT`` for ``#!/usr/bin/perl``, ``NODE_OPTIONS`` for ``#!/usr/bin/env node``):
``interpreter_starts``. Standard library only: ``fastpath`` asks it on every start of a
program given by path.
"""

import os
import shutil
import stat
import time
from typing import Callable, List, Optional

from . import env_split

_HEAD = 256
_BINARY = (b"\x7fELF",)  # what exec runs itself; any other file without `#!` falls back
_NESTING = 4  # Linux follows an interpreter that is itself a script this deep

# Where the start finds a relative path (``commands._placed``: from the start's folder, not
# this process's); this process's folder where the caller gives none.
Place = Callable[[str], str]


# What the first look found, by file identity and change stamps: ``fastpath`` asks on every
# start of a program given by path or found on PATH, and opening the file was ~1/6 of a
# start's decision. A file's ctime changes on every write, rename, chmod or link (no call sets
# it back), so (device, inode, ctime) names one content; mtime and size join the key for file
# systems that do not keep ctime as Linux does (network, FUSE). A file changed within the
# clock's tick could keep its ctime, so only files whose ctime is older than _SETTLED_NS are
# kept (git's "racy" rule): any later change stamps a newer ctime.
_SCRIPTS: dict = {}
_SETTLED_NS = 2_000_000_000
_KEPT = 4096


def is_script(path: str, info: Optional[os.stat_result] = None) -> bool:
    """Whether exec runs ``path`` through an interpreter or a fallback shell (not a binary):
    the cheap first look (``fastpath``); a file that cannot be opened counts as one.
    ``info``: ``os.stat(path)`` as the caller found it, which lets a settled file's answer be
    kept."""
    key = _key(info)
    if key is not None:
        known = _SCRIPTS.get(key)
        if known is not None:
            return known  # kept only once settled (below): any change since stamps a newer ctime
        if time.time_ns() - info.st_ctime_ns < _SETTLED_NS:
            key = None  # changed within the last tick or two: read, not kept
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
            opened = _key(os.fstat(fh.fileno())) if key is not None else None
    except OSError:
        return os.path.lexists(path)
    script = bool(head) and not head.startswith(_BINARY)
    if key is not None and opened == key:  # the file read is the one stat'ed, unchanged
        if len(_SCRIPTS) >= _KEPT:
            _SCRIPTS.clear()
        _SCRIPTS[key] = script
    return script


def _key(info: Optional[os.stat_result]):
    """The file's identity and change stamps; whether it is settled is asked only before an
    answer is kept (a kept key was settled then, and the same key is the same content)."""
    if info is None or not stat.S_ISREG(info.st_mode):
        return None
    # mtime and size too: a network or FUSE file system may not keep ctime as Linux does
    return (info.st_dev, info.st_ino, info.st_ctime_ns, info.st_mtime_ns, info.st_size)


def runs_bash(path: str, search: Optional[str] = None, place: Place = os.path.abspath) -> str:
    """Why exec of ``path`` runs bash ('' when it does not, or there is no such file);
    ``search``: the PATH a ``#!/usr/bin/env NAME`` line looks NAME up on; ``place``: where a
    relative interpreter is (``_started``)."""
    for _ in range(_NESTING):
        try:
            with open(path, "rb") as fh:
                head = fh.read(_HEAD)
        except FileNotFoundError:
            return ""
        except OSError:
            return "Warden cannot read its #! line"
        if head.startswith(_BINARY) or not head:
            return ""
        if not head.startswith(b"#!"):
            return "it has no #! line, so a shell runs it"
        line = head[2:].split(b"\n", 1)[0].decode("utf-8", "replace")
        program = _interpreter(line, search, place)
        if program is None:
            return "Warden cannot tell which interpreter its #! line names"
        if _is_bash(program):
            return f"its #! line runs {os.path.basename(program)}"
        if not os.path.isabs(program):
            return ""  # `#!/usr/bin/env NAME` with NAME nowhere: exec fails
        path = program  # an interpreter that is a script itself runs its own `#!` line
    return "its #! line names interpreters nested too deeply"


_BLANKS = b" \t"


def interpreter_words(path: str) -> Optional[List[str]]:
    """What the kernel runs for a ``#!`` file (binfmt_script, red team 16 R16-14): the
    interpreter, and the rest of the line as ONE argument when there is any (blanks around
    both stripped, nothing else split or unquoted: ``env -S`` splits its own); the caller adds
    the script's path and the start's arguments. None for a file without a ``#!`` line (a
    binary, or a script a shell runs) or that is no regular file (never opened: a FIFO would
    block); [] when the line is longer than the kernel reads or names nothing."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as fh:
            head = fh.read(_HEAD)
    except (OSError, ValueError):
        return None
    if not head.startswith(b"#!"):
        return None
    line, newline, _ = head[2:].partition(b"\n")
    if not newline and len(head) == _HEAD:
        return []  # cut where the kernel stops reading: what it runs depends on its version
    line = line.strip(_BLANKS)
    if not line:
        return []
    cut = min((i for i in (line.find(b" "), line.find(b"\t")) if i >= 0), default=len(line))
    words = [line[:cut], line[cut:].strip(_BLANKS)]
    return [os.fsdecode(word) for word in words if word]


# What a caller reads an ``env`` interpreter with (``commands._shebang_starts``): env's
# arguments as the kernel hands them and the level of the start, to the command env runs (its
# program found as env's own execvp finds it), or None when Warden cannot read it.
EnvStart = Callable[[List[str], int], Optional[List[str]]]


def interpreter_starts(
    path: str,
    search: Optional[str],
    env_start: Optional[EnvStart] = None,
    place: Place = os.path.abspath,
    is_env: Optional[Callable[[str], bool]] = None,
) -> Optional[List[List[str]]]:
    """What exec of ``path`` runs, level by level (red team 25 R25-2): the program its ``#!``
    line names with the words the line gives it (``["/usr/bin/perl", "-w"]``; through ``env``,
    the program found for NAME on ``search`` and the words after NAME), then, when that
    program is a script itself, what ITS line runs. [] for a binary, an empty or missing file,
    one that is no regular file (never opened: a FIFO would block) or one with no ``#!`` line
    (a shell runs it: ``runs_bash``); None when Warden cannot tell (a file it cannot read, a
    line longer than the kernel reads or naming nothing, an ``env`` option it does not model,
    interpreters nested deeper than Linux follows). ``env_start``: how an ``env`` line is read
    (``_started``); ``place`` and ``is_env``: where a relative interpreter is and whether a
    program file is env (``_started``). An interpreter that is not there is no level: exec
    fails (red team 54b R54b-1: ``#!python3`` is ./python3, not a Python on PATH)."""
    starts: List[List[str]] = []
    for _ in range(_NESTING):
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):
                return starts
            with open(path, "rb") as fh:
                head = fh.read(_HEAD)
        except FileNotFoundError:
            return starts  # exec fails
        except (OSError, ValueError):
            return None
        if not head.startswith(b"#!"):
            return starts
        line, newline, _ = head[2:].partition(b"\n")
        if not newline and len(head) == _HEAD:
            return None  # cut where the kernel stops reading
        words = _started(os.fsdecode(line), search, env_start, len(starts), place, is_env)
        if words is None:
            return None
        if os.path.isabs(words[0]) and not os.path.lexists(words[0]):
            return starts  # exec fails: no such interpreter
        starts.append(words)
        if not os.path.isabs(words[0]):
            return starts  # `#!/usr/bin/env NAME` with NAME nowhere: exec fails
        path = words[0]  # an interpreter that is a script itself runs its own `#!` line
    return None


def _interpreter(line: str, search: Optional[str], place: Place) -> Optional[str]:
    """The program a ``#!`` line runs (``_started``; None: Warden cannot tell)."""
    started = _started(line, search, place=place)
    return started[0] if started else None


def _started(
    line: str,
    search: Optional[str],
    env_start: Optional[EnvStart] = None,
    level: int = 0,
    place: Place = os.path.abspath,
    is_env: Optional[Callable[[str], bool]] = None,
) -> Optional[List[str]]:
    """The program a ``#!`` line (the text after ``#!``) runs and the words it gives it: its
    first word and the rest, or for ``env`` the command env runs (None: Warden cannot tell).
    An ``env`` line is read by ``env_start`` when the caller gives one: the reading of a
    line's ``env ...`` (``commands._unwrap``), so ``-i``, ``-u NAME``, ``NAME=VALUE`` inside
    ``-S`` TEXT change the environment the started program is read with (red team 52a R52a-1:
    ``#!/usr/bin/env -S -i python3`` starts a Python with the guard's PYTHONPATH entry gone).
    Without one, only a line that leaves the environment as it is (``-S`` and the command,
    looked up on ``search``) is read: any option or assignment is one Warden cannot tell.
    The kernel opens the line's program as a path: a relative one (``#!python3``) from the
    folder the start runs in, never looked up on PATH (red team 54b R54b-1), so it is placed
    (``place``) before it is read. ``is_env``: whether a program file is env (the caller's
    rule: ``commands._wrapper_file`` knows a copy named env is no machine's env); by name
    without one."""
    words = line.split()
    if not words:
        return None
    words[0] = place(words[0])
    if not (is_env or _is_env)(words[0]):
        return words
    if env_start is not None:
        # the kernel hands env the rest of the line as ONE argument (binfmt_script)
        blank = line.strip(" \t")
        cut = min((i for i in (blank.find(" "), blank.find("\t")) if i >= 0), default=len(blank))
        argument = blank[cut:].strip(" \t")
        return env_start([argument] if argument else [], level)
    rest = words[1:]
    if rest and rest[0].startswith("-S"):
        # the kernel hands env the rest of the line as ONE argument `-S TEXT` (getopt's attached
        # value: all of it after `-S`, `=` and all), split by env's rules (red team 51a R51a-3)
        blank = line.strip(" \t")
        cut = min((i for i in (blank.find(" "), blank.find("\t")) if i >= 0), default=len(blank))
        try:
            rest = env_split.split(blank[cut:].strip(" \t")[2:])
        except env_split.Unread:
            return None
        if any(word.startswith("-S") for word in rest):
            return None  # a second -S: not followed here
    for i, word in enumerate(rest):
        if word.startswith("-") or "=" in word:
            if not word.startswith("-S"):
                # env changes the environment (`-i`, `-u NAME`, NAME=VALUE) or the folder
                # (`-C DIR`): what the program is read with is not the caller's (R52a-1)
                return None
            continue
        # env's execvp: a name with a slash is a path from the start's folder, as above
        found = place(word) if os.sep in word else shutil.which(word, path=search) or word
        return [found] + rest[i + 1 :]
    return None


def _is_env(program: str) -> bool:
    """env by its name or its real file's, as a line's program is read (``commands.
    _resolved_name``): a link to env named otherwise (red team 53a R53a-1: ``#!/work/e -S -i
    python3``, ``e`` a link to /usr/bin/env) runs env, which ignores its argv[0]."""
    names = (os.path.basename(program), os.path.basename(os.path.realpath(program)))
    return "env" in names


def _is_bash(program: str) -> bool:
    """bash by its name, or a ``sh``/other name whose real file is bash (Debian's /bin/sh is
    dash, which takes no functions or BASH_ENV from its environment)."""
    names = {os.path.basename(program), os.path.basename(os.path.realpath(program))}
    return any(name == "bash" or name.startswith("bash") for name in names)
