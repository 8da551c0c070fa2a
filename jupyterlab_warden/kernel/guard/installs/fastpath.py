"""The first look every process start pays (in every guarded Python): could this program
install packages, or run a shell or wrapper that could? String tests only, nothing compiled
or imported at start-up; the full reading (``commands``) loads on the first start that
matters."""

import os
import stat

PROCESS_EVENTS = frozenset(
    ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn")
)
_NAMES = frozenset(
    (
        # shells and wrappers whose command line may hold an install (commands.py)
        "sh", "bash", "dash", "zsh", "ksh", "ash", "busybox",
        "env", "sudo", "nohup", "time", "exec", "command", "nice", "doas", "stdbuf", "timeout",
        "su", "runuser", "eval", "xargs",
        # installers
        "conda", "mamba", "micromamba", "uv", "uvx",
        # front ends that install (frontends.py) or run a command in an environment
        "pipx", "pipx.pyz", "poetry", "pdm", "pipenv", "hatch", "pixi", "rye", "pip-compile",
        "pip-sync",
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
_SHELL_TEXT_RUNNERS = frozenset(("evim", "ex", "find", "flock", "gdb", "gdb-multiarch", "git",
                                 "gmake", "gtar", "gvim", "make", "nvim", "parallel", "rsync",
                                 "rview", "rvim", "scp", "script", "sem", "sftp", "sqlite",
                                 "sqlite3", "ssh", "tar", "vi", "view", "vim", "vimdiff",
                                 "watch"))  # fmt: skip
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
                if any(hint in word for hint in _HINTS) or runs_code(word):
                    return True
                if runs_shell_text(word) or is_installer_name(os.path.basename(word)):
                    return True
                if os.sep in word and _names_link(_from(word, cwd)):
                    return True  # `setsid /tmp/x/u tool install P`, u a link to uv (R9-10)
        except TypeError:
            return True
    return False


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


def may_install(program: str, search=None, cwd=None) -> bool:
    """Judged on the name and, for a link under another name, on what it resolves to: a path
    given, or a bare name found first on ``search`` (the PATH the program is looked up on:
    a link named `ls` there runs its target, red team 9 R9-10), relative ones from ``cwd``."""
    if is_installer_name(os.path.basename(program)) or runs_shell_text(program):
        return True
    found = None
    if os.sep not in program and search:
        # every start pays this walk: os.path.join's and a helper's call overhead, spelt out
        for folder in search.split(os.pathsep):
            folder = folder or "."
            candidate = folder + program if folder.endswith("/") else folder + "/" + program
            if cwd is not None and not candidate.startswith("/"):
                candidate = _from(candidate, cwd)
            try:
                found = os.lstat(candidate)
            except (OSError, ValueError):
                continue
            program = candidate
            break
    if os.sep not in program:
        return False
    program = _from(program, cwd)
    if found is None:
        found = _lstat(program)
        if found is None:
            return False  # no such file: exec fails
    if stat.S_ISLNK(found.st_mode):
        if _reads_fully(os.path.basename(os.path.realpath(program))):
            return True
        found = _stat(program)  # the link's target is what is read
    # a script may run bash, which takes code from its environment (R11-13): read in full
    from .shebang import is_script

    return is_script(program, found)


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
