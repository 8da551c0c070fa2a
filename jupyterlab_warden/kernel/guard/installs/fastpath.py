"""The first look every process start pays (in every guarded Python): could this program
install packages, or run a shell or wrapper that could? String tests only, nothing compiled
or imported at start-up; the full reading (``commands``) loads on the first start that
matters."""

import os
import stat

PROCESS_EVENTS = frozenset(
    ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn")
)
# installers (pip's versioned names aside: ``_versioned``), and front ends that install
# (frontends.py) or run a command in an environment
INSTALLERS = frozenset(
    (
        "conda", "mamba", "micromamba", "uv", "uvx",
        "pipx", "pipx.pyz", "poetry", "pdm", "pipenv", "hatch", "pixi", "rye", "pip-compile",
        "pip-sync",
    )
)  # fmt: skip
_NAMES = INSTALLERS | frozenset(
    (
        # shells and wrappers whose command line may hold an install (commands.py)
        "sh", "bash", "dash", "zsh", "ksh", "ash", "busybox",
        "env", "sudo", "nohup", "time", "exec", "command", "nice", "doas", "stdbuf", "timeout",
        "setsid", "builtin", "coproc", "su", "runuser", "eval", "xargs",
    )
)  # fmt: skip


def _versioned(name: str, stem: str) -> bool:
    """``stem``, ``stem3``, ``stem3.11`` (and python's ``3.11d``/``m``/``u`` suffixes)."""
    if not name.startswith(stem):
        return False
    rest = name[len(stem) :]
    if stem == "python" and rest[-1:] in ("d", "m", "u"):
        rest = rest[:-1]
    if not rest:
        return True
    major, _, minor = rest.partition(".")
    return major.isdigit() and (not minor or minor.isdigit()) and rest.count(".") <= 1


def is_installer_name(name: str) -> bool:
    return name in _NAMES or _versioned(name, "pip") or _versioned(name, "python")


# A program Warden does not know may start an installer named among its arguments
# (`setsid uv pip install ...`, red team 7 R7-13): such a start is read in full (commands.py).
_HINTS = ("pip", "uv", "conda", "mamba", "poetry", "pdm", "hatch", "pixi", "rye", "python", "runpy")
# code interpreters (schema/code-interpreters.json): their code may compute an installer's name
# (red team 12 R12-6), so a start naming one is read in full
_INTERPRETERS = frozenset(("awk", "gawk", "mawk", "nawk", "original-awk", "Rscript", "R", "sed",
                           "gsed", "irb", "php-cli", "expect"))  # fmt: skip
_INTERPRETER_STEMS = ("perl", "node", "ruby", "php", "lua", "julia", "tclsh", "wish")


def runs_code(word: str) -> bool:
    name = os.path.basename(word)
    return name in _INTERPRETERS or name.startswith(_INTERPRETER_STEMS)


# programs that run an argument (or their input) as shell text or commands of their own
# (schema/shell-runners.json, red team 13 R13-5): a start of one is read in full
_SHELL_TEXT_RUNNERS = frozenset((
    "apt", "apt-cache", "apt-config", "apt-get", "apt-mark", "aptitude", "at", "batch",
    "bind-key", "command-prompt", "confirm-before", "crontab", "display", "display-menu",
    "display-message", "display-popup", "rename", "rename-session", "rename-window", "renamew",
    "set-window-option", "setw",
    "dpkg", "ed", "evim", "ex", "find", "flock", "gdb", "gdb-multiarch", "git", "gmake", "gtar",
    "gvim", "if-shell", "less", "ltrace", "make", "man", "new", "new-session", "new-window",
    "neww", "nvim", "parallel", "pipe-pane", "pipep", "popup", "red", "respawn-pane",
    "respawn-window", "respawnp", "respawnw", "rsync", "run", "run-parts", "run-shell", "rview",
    "rvim",
    "scp", "screen", "script", "sem", "send", "send-keys", "set-environment", "set-hook",
    "set-option", "setenv", "sftp", "sg", "source-file", "split-window", "splitw", "sqlite",
    "sort", "sqlite3", "ssh", "strace", "su", "runuser", "tar", "tcpdump", "tmux", "vi", "view",
    "vim",
    "vimdiff", "watch", "zip", "zipcloak", "zipnote", "zipsplit",
))  # fmt: skip
_SHELL_TEXT_STEMS = ("vim.",)


def runs_shell_text(word: str) -> bool:
    name = os.path.basename(word)
    return name in _SHELL_TEXT_RUNNERS or name.startswith(_SHELL_TEXT_STEMS)


def may_launch(lists, cwd=None) -> bool:
    """Whether any argument in ``lists`` (argv lists, without the program) holds a hint of an
    installer's name: string tests only, and a path that is a link to an installer (from
    ``cwd``, the start's folder, when relative)."""
    for argv in lists:
        if isinstance(argv, (str, bytes)):
            argv = [argv]
        try:
            for word in argv:
                word = os.fsdecode(word) if isinstance(word, (bytes, os.PathLike)) else str(word)
                if _names_reader(word):
                    return True
                if os.sep in word and _names_link(_from(word, cwd)):
                    return True  # `setsid /tmp/x/u tool install P`, u a link to uv (R9-10)
        except TypeError:
            return True
    return False


def first_look(start, search=None, cwd=None, placed=None) -> bool:
    """``may_install(start[0], search, cwd) or may_launch([start], cwd)``, the cheapest tests
    first (every process start pays this): the words' text (kept per word), then the program's
    file (the PATH walk), then links among the other words. The same tests, so the same answer:
    the program's own text tests are among its word's, and a link given as the program is read
    by ``may_install`` as ``may_launch`` would read it."""
    if type(start) is not list or not words_are_str(start):
        return may_install(start[0], search, cwd, placed) or may_launch([start], cwd)
    return first_look_words(start, search, cwd, None, placed)


def words_are_str(words: list) -> bool:
    for word in words:
        if type(word) is not str:
            return False
    return True


def first_look_words(start: list, search=None, cwd=None, present=None, placed=None) -> bool:
    """``first_look`` of a non-empty list of exact str words. ``present``: the names in the
    PATH folders listed for this start (``path_programs.new_programs``); ``placed``: where
    ``find`` found its program, when the caller looked already."""
    for word in start:
        if _names_reader(word):
            return True
    if _file_reads_fully(start[0], search, cwd, present, placed):
        return True
    for word in start[1:]:
        if os.sep in word and (_names_link(_from(word, cwd)) or _program_script(word, cwd)):
            return True
        if (" " in word or "\t" in word or "\n" in word) and _handed_link(word, cwd):
            return True
    return False


def _handed_link(word: str, cwd) -> bool:
    """A path in command position of a word read as shell text (``npx -c '~+/u add x'``, u a
    link to uv: red team 25 R25-1) that is a link to an installer, a shell or a reader."""
    from . import handed_text

    for token in handed_text.command_tokens(word):
        token = handed_text.expand_tilde(token)
        if os.sep in token and _names_link(_from(token, cwd)):
            return True
    return False


def _program_script(word: str, cwd) -> bool:
    """Whether an operand names an executable script (red team 17 R17-8/R17-9: ``Popen(["chrt",
    "0", "./x.pl"])``): the program it is handed to may start it, and the full reading reads
    it as the start it is. A data file (not executable), a folder, a binary: no."""
    path = _from(word, cwd)
    found = _stat(path)
    if found is None or not stat.S_ISREG(found.st_mode) or not found.st_mode & 0o111:
        return False
    return (_is_script or _load_is_script())(path, found)


def interpreter_variable(name: str) -> bool:
    """Whether an interpreter reads the variable ``name`` when it starts (red team 25 R25-2): a
    code interpreter's (schema/code-interpreters.json refused_env/option_env: PERL5OPT,
    NODE_OPTIONS...) or a Python's (PYTHON*)."""
    if name.startswith("PYTHON"):
        return True
    return (_code_variable or _load_code_variable())(name)


_code_variable = None  # interpreters.code_variable, imported on the first variable asked


def _load_code_variable():
    global _code_variable
    from .interpreters import code_variable

    _code_variable = code_variable
    return code_variable


def script_operand(start: list, search: str, cwd=None) -> bool:
    """Whether a bare word after the program names a script in a folder of ``search`` (red
    team 25 R25-2): the program may run it (the full reading reads such a word as a start,
    ``commands._refuse_operand_start``), under the interpreter of its ``#!`` line, with the
    start's environment. Each folder is looked in (a binary found first may shadow the script:
    read in full all the same), so the caller asks only for a start whose environment sets a
    variable an interpreter reads (``interpreter_variable``), not on every start."""
    prefixes = _prefixes(search)
    for word in start[1:]:
        if type(word) is not str:
            return True  # the full reading reads what the word is
        if word and os.sep not in word and not word.startswith("-"):
            if any(_program_script(prefix + word, cwd) for prefix in prefixes):
                return True
    return False


# What each word's text says (``_names_reader``), kept: a pure function of the text, so a kept
# answer is the answer. Bounded (cleared when full; long words are not kept).
_WORDS: dict = {}
_WORDS_KEPT = 4096
_WORD_MAX = 256


def _names_reader(word: str) -> bool:
    """Whether a word's text alone makes a start read in full: it holds a hint of an
    installer's name, or names a code interpreter, a program that runs shell text, an
    installer, a shell or a wrapper."""
    known = _WORDS.get(word) if type(word) is str else None
    if known is not None:
        return known
    found = (
        any(hint in word for hint in _HINTS)
        or runs_code(word)
        or runs_shell_text(word)
        or is_installer_name(os.path.basename(word))
        or (type(word) is str and _names_reader_as_text(word))
    )
    if type(word) is str and len(word) <= _WORD_MAX:
        if len(_WORDS) >= _WORDS_KEPT:
            _WORDS.clear()
        _WORDS[word] = found
    return found


def _names_reader_as_text(word: str) -> bool:
    """The word as shell text a program may hand to ``sh -c`` (red team 25 R25-1): a hint
    once its quotes are removed (``u""v p""ip``), or a name in command position that makes a
    start read in full (``... | bash``)."""
    from . import handed_text  # string operations only; loaded with the first such word

    if handed_text.quoted(word):
        text = handed_text.dequoted(word)
        if any(hint in text for hint in _HINTS):
            return True
    if not handed_text.may_be_command_text(word):
        return False
    if handed_text.unplaceable(word):
        return True  # a PATH it sets, a cd before a relative program (R26-3)
    if any(handed_text.has_pattern(token) for token in handed_text.command_tokens(word)):
        return True  # a pattern in command position: what it matches is read in full
    return any(_reads_fully(name) for name in handed_text.command_names(word))


def _names_link(word: str) -> bool:
    try:
        return os.path.islink(word) and _reads_fully(os.path.basename(os.path.realpath(word)))
    except (OSError, ValueError):
        return False


def _reads_fully(target: str) -> bool:
    """A link's target (its real name) judged as a name is: an installer, a shell or wrapper,
    a code interpreter or a program that runs shell text (red team 13 R13-8: ``./p -e CODE``, p
    a link to perl, is perl; a renamed COPY is not seen, threat model)."""
    return is_installer_name(target) or runs_code(target) or runs_shell_text(target)


def _from(path: str, cwd) -> str:
    """A relative path as a process started in ``cwd`` (None: this process's folder) finds it
    (red team 10 R10-7: ``Popen(["./ls", "sync"], cwd="d")``, d/ls a link to uv)."""
    if cwd is None or os.path.isabs(path):
        return path
    return os.path.join(os.fsdecode(cwd), path)


def may_install(program: str, search=None, cwd=None, placed=None) -> bool:
    """Judged on the name and, for a link under another name, on what it resolves to: a path
    given, or a bare name found first on ``search`` (the PATH the program is looked up on:
    a link named `ls` there runs its target, red team 9 R9-10), relative ones from ``cwd``."""
    if is_installer_name(os.path.basename(program)) or runs_shell_text(program):
        return True
    return _file_reads_fully(program, search, cwd, None, placed)


def _file_reads_fully(program: str, search, cwd, present=None, placed=None) -> bool:
    """``may_install``'s look at the program's file: found on ``search`` when a bare name
    (``find``; ``placed``: its answer for this start, when the caller looked already), a
    program that names the started process's own files (``_names_process``), a link judged by
    its target, a script (it may run bash) read in full. Every first look (``may_install``,
    ``first_look_words``, the gate's shortcut) reaches the file through this one function."""
    given = os.sep in program
    found = None
    if not given and search:
        if placed is None:
            placed = find(program, search, cwd, present)
        if placed is not NOWHERE:
            program, found, _ = placed
    if os.sep not in program:
        return False
    program = _from(program, cwd)
    if _names_process(program, given, found):
        return True
    if found is None:
        found = _lstat(program)
        if found is None:
            return False  # no such file: exec fails
    if stat.S_ISLNK(found.st_mode):
        if _reads_fully(os.path.basename(os.path.realpath(program))):
            return True
        found = _stat(program)  # the link's target is what is read
    # a script may run bash, which takes code from its environment (R11-13): read in full
    return (_is_script or _load_is_script())(program, found)


# ``find``'s answer for a name found in no folder (exec fails: nothing runs)
NOWHERE = (None, None, None)


def find(program: str, search: str, cwd=None, present=None) -> tuple:
    """Where the bare name ``program`` is found on ``search``: (its path, from ``cwd`` when
    relative; its ``lstat``; the PATH folder's prefix, as ``_prefixes`` spells it), the first
    folder's entry of that name whatever it is, or ``NOWHERE``. That entry is the file a start
    is decided on and the only one Popen may exec (``decided_start``, red team 42b R42b-5:
    subprocess tries the next folder's file after ANY failed execve). ``present``: ``{folder
    prefix: names of its entries}`` for PATH folders listed and found current for this start;
    a folder there without the name is passed without a system call (it holds no entry of
    that name, as the probe would have found)."""
    exists = _exists or _probe()
    # os.access called here, not through _access_exists: a frame less per folder
    access = os.access if exists is _access_exists else None
    # where this name was found last time is lstat'ed without the access() first (one
    # system call less); every folder before it is still probed, in order, so the hint
    # changes only how a folder is looked in, never which folders nor what is found
    hint = _FOUND_IN.get((search, program))
    for prefix in _prefixes(search):
        if present is not None:
            names = present.get(prefix)
            if names is not None and program not in names:
                continue
        candidate = prefix + program
        if cwd is not None and not candidate.startswith("/"):
            candidate = _from(candidate, cwd)
        try:
            if prefix is hint:
                found = os.lstat(candidate)
            elif access is not None:
                if not access(candidate, 0, effective_ids=True, follow_symlinks=False):
                    continue  # 0: os.F_OK
                found = os.lstat(candidate)
            else:
                if not exists(candidate):
                    continue
                found = os.lstat(candidate)
        except (OSError, ValueError):
            continue
        if prefix is not hint:
            if len(_FOUND_IN) >= _FOUND_KEPT:
                _FOUND_IN.clear()
            _FOUND_IN[(search, program)] = prefix
        return candidate, found, prefix
    return NOWHERE


# Paths that name the process opening them (R14-20, red team 16 R16-4): the CHILD execs its own
# ``/dev/stdin``, ``/dev/fd/3``, ``/proc/self/exe``, ``/proc/self/cwd/x``, which the kernel's
# look would resolve to the KERNEL's (its stdin, its folder). Such a start is read in full (the
# full reading refuses it) and its file is never opened here (a live pipe would block).
_PROCESS_PREFIXES = ("/proc/", "/dev/fd/", "/dev/std")
_PROCESS_ROOTS = ("/proc", "/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr")
_MAX_LINKS = 40  # as the kernel's path resolution


def _names_process(program: str, given: bool, found) -> bool:
    """Whether ``program`` (a path, from its start's folder) reaches the started process's own
    files: by its text (always: a string test), and followed folder by folder and link by
    link when it was given as a path or is a link (a bare name found on PATH costs no more
    system calls: the PATH's folders are the kernel's own)."""
    text = program
    if "/." in text or "//" in text:  # only `.`, `..` and doubled slashes change the prefix
        # (normpath costs a microsecond on every start: not paid for a plain PATH hit)
        text = os.path.normpath(text)
        if text.startswith("//"):
            text = text[1:]  # normpath keeps POSIX's leading `//`; Linux reads it as `/`
    if text.startswith(_PROCESS_PREFIXES):
        return True
    if given or (found is not None and stat.S_ISLNK(found.st_mode)):
        try:
            return bool(through_process(program))
        except (OSError, ValueError):
            return True  # a link changed under the walk: read in full
    return False


def through_process(path: str) -> str:
    """The ``/proc`` or ``/dev/fd`` path ``path`` is reached through, followed component by
    component and link by link as the kernel opens it ('' when none). ``realpath`` alone
    does not tell: ``/proc/self/cwd/r.txt`` resolves to the reader's folder."""
    parts = os.path.join(os.getcwd(), path).split(os.sep)
    current, links = os.sep, 0
    parts.reverse()
    while parts:
        part = parts.pop()
        if part in ("", "."):
            continue
        current = os.path.dirname(current) if part == ".." else os.path.join(current, part)
        if current in _PROCESS_ROOTS:
            return current
        if part != ".." and os.path.islink(current):
            links += 1
            if links > _MAX_LINKS:
                return current
            target = os.readlink(current)
            current = os.sep if target.startswith(os.sep) else os.path.dirname(current)
            parts.extend(reversed(target.split(os.sep)))
    return ""


# The folders a PATH string names, as prefixes a name is appended to, each once: a pure
# function of the string, kept. A folder named again cannot hold what the first look there
# did not find, but a file made in between (microseconds) could, and exec would run it: the
# same as one made just after the walk, which no look before exec can rule out (threat model).
_PREFIXES: dict = {}


def _prefixes(search: str) -> tuple:
    known = _PREFIXES.get(search)
    if known is None:
        known = []
        for folder in search.split(os.pathsep):
            folder = folder or "."
            prefix = folder if folder.endswith("/") else folder + "/"
            if prefix not in known:
                known.append(prefix)
        known = tuple(known)
        if len(_PREFIXES) >= 64:
            _PREFIXES.clear()
        _PREFIXES[search] = known
    return known


# The folder (its prefix object in _PREFIXES) a bare name was last found in on a PATH string:
# a hint for the walk's order of system calls only (``_file_reads_fully``). Bounded.
_FOUND_IN: dict = {}
_FOUND_KEPT = 1024


# Whether a path names a file, without the exception a missing one costs ``os.lstat`` (most
# PATH folders do not hold the program: ~40% of the walk): ``faccessat(F_OK, AT_EACCESS |
# AT_SYMLINK_NOFOLLOW)`` does the same lookup as ``lstat`` with the same ids and answers only
# whether it succeeded. Used once a probe shows it answers (a seccomp filter may refuse the
# newer ``faccessat2`` with EPERM, which would read every file as missing); else ``lstat``.
_exists = None


def _probe():
    global _exists
    exists = _lstat_exists
    try:
        if (
            os.access in os.supports_effective_ids
            and os.access in os.supports_follow_symlinks
            and os.access("/", os.F_OK, effective_ids=True, follow_symlinks=False)
        ):
            exists = _access_exists
    except (OSError, ValueError, NotImplementedError, AttributeError):
        pass
    _exists = exists
    return exists


def _access_exists(path: str) -> bool:
    return os.access(path, os.F_OK, effective_ids=True, follow_symlinks=False)


def _lstat_exists(path: str) -> bool:
    try:
        os.lstat(path)
    except OSError:
        return False
    return True


_is_script = None  # shebang.is_script, imported on the first start given by path


def _load_is_script():
    global _is_script
    from .shebang import is_script

    _is_script = is_script
    return is_script


def _lstat(path: str):
    try:
        return os.lstat(path)
    except (OSError, ValueError):
        return None


def _stat(path: str):
    try:
        return os.stat(path)
    except (OSError, ValueError):
        return None


def placings(event: str, program: str, env_path, caller_path, cwd=None) -> list:
    """Every program a bare name in an ``os.exec``/``os.posix_spawn`` event may run (red team
    11 R11-21): ``os.execv``/``os.posix_spawn`` take it as a path from the working folder (no
    PATH search: ``./name``), ``os.posix_spawnp`` looks it up on the CALLER's PATH
    (``caller_path``), not on the ``env`` it is given (``env_path``), and the event does not
    say which. [] when it is found nowhere (read by its name, as before); ``os.execvp`` and
    ``subprocess`` search in Python and hand a full path."""
    found = []
    if os.path.lexists(_from(program, cwd)):
        found.append(os.path.join(os.curdir, program))
    if event == "os.posix_spawn":
        for search in (caller_path, env_path):
            for folder in (search or "").split(os.pathsep):
                candidate = os.path.join(folder or os.curdir, program)
                if os.path.isfile(_from(candidate, cwd)) and os.access(
                    _from(candidate, cwd), os.X_OK
                ):
                    if candidate not in found:
                        found.append(candidate)
                    break
    return found
