"""Which installs a process start asks for: its real argv, or the shell string it runs.

``invocations(argv)`` returns the installer calls in a command line (``pip``, ``pip3.11``,
``python -m pip``, full paths, ``uv``, ``uvx``, ``conda``, ``mamba``, ``micromamba``), through
``sh -c`` strings (split with shlex into simple commands at ``;``, ``&&``, ``||``, ``|``,
``&`` and newlines), ``env``/``sudo``/``nohup``/``time``/``exec``/``command`` prefixes and
``VAR=value`` assignments (which change what the installer reads: ``PIP_INDEX_URL=...``).

A command whose meaning depends on an expansion Warden cannot see (``$VAR``, ``$(...)``,
backticks, ``{a,b}`` braces, ``eval``) raises ``Unreadable`` when it could run an installer:
the caller refuses it (fail closed), as it does a program Warden does not read that names an
installer among its words (``setsid``, ``flock``, ``find -exec``). Along a shell line, ``cd``
and assignments carry to later commands, and an install after (or alongside) a command that
may write files it reads is marked unreadable (``Invocation.problem``). Commands with no
installer in them pass untouched.
"""

import contextlib
import fnmatch
import glob as globlib
import os
import re
import shlex
import shutil
import stat
import sys
import time
from contextvars import ContextVar
from typing import Callable, Dict, FrozenSet, Iterator, List, NamedTuple, Optional, Set, Tuple

from ...environ import (
    DEFERRED_PYTHONPATH_ENV,
    KERNEL_KEY_ENV,
    KERNEL_UPDATE_ENV,
    POLICY_DIGEST_ENV,
    POLICY_FILE_ENV,
    TREE_MOUNTS_ENV,
    TREE_STARTED_ENV,
)
from ..boot_sys import BOOT_SYS  # sys as at the boot (red team 49a)
from ..frozen_builtins import FROZEN
from . import (
    assignment_scope,
    command_values,
    compound_redirect,
    env_split,
    fastpath,
    handed_text,
    inherited_env,
    installer_writes,
    interpreters,
    line_flow,
    line_writers,
    link_walk,
    login_path,
    machine_folders,
    own_redirect,
    program_variables,
    reader_program,
    replaced_words,
    shell_options,
    shell_runners,
    shell_text,
    shell_values,
    ssh_bashrc,
    startup_modules,
    stdlib_reach,
    subst_redirect,
    tmux_login,
    unknown_exports,
    unset,
)
from .appends import rewritten as appends_rewritten
from .eval_names import assigned as eval_assigned
from .eval_names import unreadable as eval_unreadable
from .folders import in_full
from .prefix_values import resolved_words as prefix_resolved_words

# the builtins of the boot for this module's functions (red team 38a R38a-1, R38a-5)
__builtins__ = FROZEN

_PYTHON = re.compile(r"^python(\d+(\.\d+)?)?[dmu]?$")
_PIP = re.compile(r"^pip(\d+(\.\d+)?)?$")
SHELLS = frozenset(("sh", "bash", "dash", "zsh", "ksh", "ash", "busybox"))
WRAPPERS = frozenset(
    ("env", "sudo", "nohup", "time", "exec", "command", "nice", "doas", "stdbuf", "timeout",
     "setsid", "builtin", "coproc")
)  # fmt: skip
SHELL_STRING_RUNNERS = frozenset(("su", "runuser"))  # su -c 'command string'

CONDAS = frozenset(("conda", "mamba", "micromamba"))
_WORDS = re.compile(
    r"(^|[^A-Za-z0-9_])(pip\d*(\.\d+)?|uvx?|conda|mamba|micromamba|pipx|poetry|pdm|pipenv|hatch|pixi|rye)"
    r"([^A-Za-z0-9_]|$)"
)
_SHELL_QUOTING = re.compile(r"\\\r?\n|['\"\\]")
_EXPANSION = re.compile(r"\$|`|\{[^}]*,[^}]*\}|\$\(")
_OPERATORS = frozenset((";", "&&", "||", "|", "&", "\n", "(", ")", ";;", "|&"))
_CONCURRENT = frozenset(("|", "|&", "&"))  # the commands on both sides run at the same time
_REDIRECTS = frozenset(("<", ">", ">>", "<<", "<<<", ">&", "<&", ">|", "&>>"))
MAX_NESTING = 5
# reserved words that may start a simple command; the command is the word after them
_SHELL_KEYWORDS = frozenset(("if", "then", "else", "elif", "while", "until", "do", "!", "{", "}"))


class Unreadable(Exception):
    """The command could run an installer Warden cannot see the arguments of."""


class Invocation(NamedTuple):
    tool: str  # "pip" | "uv" | "conda" | "mamba" | "micromamba" | a FRONT_ENDS name
    args: List[str]  # after the tool's own name (after "-m pip" for python)
    env: Dict[str, str]  # assignments the command line makes (VAR=value, env VAR=value)
    program: str  # the executable as written
    cwd: str = ""  # the folder an earlier `cd` on the line moved to (relative: the caller's)
    problem: str = ""  # why the line keeps Warden from reading what the install reads
    # its files are read by the guard the pip inherits, not by the caller: an earlier (or a
    # concurrent) command on the line may write them (red team 10 R10-3); the caller decides
    # only what the command line says (request.InstallRequest.child_reads)
    child_reads: bool = False
    # a program file the start may run without the line naming it (a new file in a folder a
    # program runs programs from, on a PATH the line gives): ``_side_start``; '' for the line's
    via: str = ""
    # its own output redirections' targets (``own_redirect.placed``) that ``problem`` let
    # through, to compare with the files its reading reads (``gate._requests``: R55b-1/-2)
    redirected: tuple = ()
    # a Python's ``-m`` start of the installer's module: (the Python as written, the module,
    # its one-letter flags); () for an installer program. Whether a reading command is the
    # installer's own reads it (``reader_program``: a ``pip/`` in the folder runs instead)
    module_start: tuple = ()
    # the (writer, place) pairs of the commands before it on its line that may make a name
    # (``_MAKERS``): what a name it discovers, a link leading nowhere now, is weighed against
    # (``unsure_names``, red team 57a R57a-3..5, -10)
    makers: tuple = ()
    # those makers when the line's one problem is its earlier writers (uv: ``problem`` is
    # ``_LineState.problem``'s `changed`, the folder followed): a ``uv run`` is then refused
    # only when one may write what it reads (``uv_line_writes``, red team 81 R81-5); None
    # otherwise (a loop, a concurrent writer, an unfollowed cd: refused as before)
    writer_places: Optional[tuple] = None


# Programs that never start another program, whatever their arguments: an installer's name
# among their words is data (`echo "pip install x"`, `grep pip requirements.txt`). Any other
# program Warden does not read (`setsid`, `flock`, `find -exec`, `script -c`, `git -c
# alias...`) with an installer named among its words is unreadable (red team 7 R7-13).
INERT_PROGRAMS = frozenset((
    "echo", "printf", "cat", "ls", "grep", "egrep", "fgrep", "head", "tail", "wc", "cut", "tr",
    "sort", "uniq", "mkdir", "rmdir", "rm", "cp", "mv", "ln", "touch", "chmod", "chown", "pwd",
    "cd", "pushd", "popd", "test", "[", "true", "false", ":", "basename", "dirname", "realpath",
    "readlink", "stat", "file", "du", "df", "which", "type", "whereis", "diff", "cmp", "md5sum",
    "sha1sum", "sha256sum", "date", "sleep", "tee", "curl", "export", "unset", "declare",
    "typeset", "readonly", "local", "whoami", "id", "uname", "hostname", "nproc", "free",
    "nvidia-smi", "set", "fi", "done", "esac", "for", "select", "case",
    # runs no program (its options, and UNZIP's, are extraction settings): its archive operand
    # after a download on the same line is data (`wget -O d.zip URL && unzip d.zip`)
    "unzip",
))  # fmt: skip
# Of those, the ones that write no file either (unless their output is redirected): an install
# later on the same line reads what the line found, not what an earlier command wrote there
# (red team 7 R7-16). cd/pushd/popd and the assignment builtins change the line's state.
# `python -m venv DIR` is not one (fix62venv): it writes DIR (a program run from DIR/bin later
# on the line is a file Warden cannot read first), and by name as by path `-m venv` runs
# whatever module named venv comes first on its path (a venv.py in the folder it runs in).
_NO_WRITE = INERT_PROGRAMS - frozenset(
    (
        "sort",
        "uniq",
        "rmdir",
        "rm",
        "cp",
        "mv",
        "ln",
        "touch",
        "chmod",
        "chown",
        "tee",
        "curl",
        "unzip",
    )
) | {"python --version"}
# Of the writers, those that make no program file: a program run by a path later on the line
# is then the file Warden reads (`mkdir -p out && ./train.sh`); any other writer may have made
# it (red team 12 R12-4, `_refuse_written_program`). chmod and touch change no file's content.
_NO_PROGRAM_WRITE = frozenset(("mkdir", "rmdir", "rm", "touch", "chmod", "chown"))
_PY_INFO = frozenset(("--version", "-V", "-VV", "--help", "-h"))
# conda commands that change the shell or run a command rather than install
_CONDA_STATE = frozenset(("activate", "deactivate", "init", "shell", "run"))
_STATE_BUILTINS = frozenset(("export", "declare", "typeset", "readonly", "local"))
# POSIX special builtins: assignments in front of them stay set after them in sh (dash)
_SPECIAL_BUILTINS = assignment_scope.SPECIAL_BUILTINS
# Writers a guarded pip child cannot see past: what changes the shell itself (its variables,
# aliases, functions, hashed paths, options), which a later pip inherits, rather than files
# it reads when it starts. bash's builtins but those that change nothing, conda's shell
# functions, and what the line reading itself marks.
_SHELL_STATE_WRITERS = frozenset(
    (
        "alias", "bind", "builtin", "command", "declare", "enable", "eval", "exec", "export",
        "getopts", "hash", "let", "local", "mapfile", "read", "readarray", "readonly", "set",
        "shopt", "source", ".", "trap", "typeset", "ulimit", "umask", "unalias", "unset",
        "conda", "mamba", "micromamba", "printf -v", "an assignment with options",
    )
)  # fmt: skip
# What changes the state of the shell running it (its variables, folder, aliases, options,
# tables, traps, what it sources or evaluates): the writers a pip cannot see past, and cd
_SHELL_STATE_CHANGERS = _SHELL_STATE_WRITERS | frozenset(("cd", "pushd", "popd", "disable"))
# ... of those, the builtins that change the shell's own state only, never a file or folder
_SHELL_OPTION_WRITERS = frozenset(
    ("alias", "unalias", "shopt", "set", "export", "declare", "typeset", "local", "readonly",
     "unset", "hash", "enable", "bind", "ulimit", "umask", "let", "getopts", "read", "mapfile",
     "readarray", "printf -v", "an assignment with options")
)  # fmt: skip
_LOOPS = frozenset(("while", "until", "for", "select", "function"))
# a word (or a piece of a command string) that names an installer or a Python running one
_INSTALLER_PIECE = re.compile(
    r"^(pip(\d+(\.\d+)?)?|uvx?|conda|mamba|micromamba|pipx(\.pyz)?|poetry|pdm|pipenv|hatch|pixi"
    r"|rye|pip-compile|pip-sync|runpy|piptools)$"
)
_PYTHON_MODULE_FLAG = re.compile(
    r"^-[A-Za-z]*m(pip|uvx?|conda|mamba|pipx|poetry|pdm|pipenv|hatch|runpy|piptools)([.].*)?$"
)
# a whole option word of CPython's (red team 27b R27b-2): a cluster of its flags (`_PY_FLAGS`:
# `-I`, `-IS`, `-sE`, `-tI`), maybe ending in a letter that takes the rest of the word as its
# value (`-Ic CODE`, `-IWignore`, `-Xfrozen_modules=off`). `-I.`, `-Iinclude`,
# `-DCMAKE_BUILD_TYPE` are a compiler's or cmake's words, not a Python's.
# a cluster's `-` starts a long option (`-I-check-hash-based-pycs`), and alone at its end ends
# the options (`-I- train.py`: CPython's getopt, red team 29a R29a-7)
_PY_OPTION_WORD = re.compile(r"^-(?=.)([bBdEhiIOPqRsStuvVx?]*)([cmWXQ-].*)?$")
_PIECES = re.compile(r"[^\s;&|()<>`'\"=,{}]+")
# the shell words of a piece of text: a Python's options are read from these, whole (red team
# 28a R28a-3: split at `=`, `-X utf8=1 -I` read as `-X utf8`, then `1`, no option)
_TEXT_WORDS = re.compile(r"[^\s;&|()<>`'\"{}]+")
# names a shell pattern in a word may expand to (`/usr/bin/u?`, `p*x`)
_PATTERN_TARGETS = (
    "pip", "pip3", "uv", "uvx", "conda", "mamba", "micromamba", "pipx", "poetry", "pdm",
    "pipenv", "hatch", "pixi", "rye", "runpy", "python", "python3",
)  # fmt: skip
_GLOB = re.compile(r"[*?]|\[.*\]")


def _names_by_pattern(base: str) -> bool:
    """A shell pattern that may expand to an installer's name (``u?``, ``p*p``). One with no
    letter or digit of its own (``*``, ``data/**``, ``??``) matches any short name and is what
    ``tar czf out.tgz *`` or ``--exclude 'data/**'`` write: it does not count."""
    return (
        bool(_GLOB.search(base))
        and bool(re.search(r"[A-Za-z0-9]", re.sub(r"[*?]", "", base)))
        and any(fnmatch.fnmatchcase(n, base) for n in _PATTERN_TARGETS)
    )


def names_installer(words: List[str]) -> bool:
    """Whether ``words`` (the arguments of a program Warden does not read) name an installer:
    a word, or a piece of a command string held in one word, that is an installer's name or
    path, ``-mpip``-like, or a Python followed by a flag that drops the guard. A word is read
    as written and with its quotes removed, as a shell it is handed to reads it (red team 25
    R25-1: ``npx -c 'u""v p""ip install ...'``)."""
    texts = [
        t for w in words for t in ([w, handed_text.dequoted(w)] if handed_text.quoted(w) else [w])
    ]
    units = [unit for text in texts for unit in _TEXT_WORDS.findall(text)]
    for piece, rest, k in _pieces(units):
        base = piece.rsplit("/", 1)[-1]
        if _INSTALLER_PIECE.match(base) or _PYTHON_MODULE_FLAG.match(base):
            return True
        # `~+/u` is ./u to the shell that runs the text (u a link to uv)
        piece = handed_text.expand_tilde(piece)
        target = _link_target(piece if "/" in piece else _which(piece, None, strict=False))
        if target and not _PYTHON.match(target) and _links_to_installer(target):
            # `hash -p /tmp/x/u ls`, `alias ls=/tmp/x/u`, `flock f u ...` with u on PATH: a
            # link to uv (R9-10)
            return True
        if _names_by_pattern(base):
            return True  # the shell may expand it to an installer's name
        # a Python, by its name or as a link's target (a venv's bin/python), counts as it
        # does written out: only with a flag that drops the guard
        named = _PYTHON.match(base) or _PYTHON.match(target)
        if named and _runs_as_program(piece) and _drops_guard(rest + units[k + 1 :]):
            return True
    return False


def _pieces(units: List[str]) -> Iterator[Tuple[str, List[str], int]]:
    """Each piece of the shell words ``units`` (a word split at ``=`` and ``,``:
    ``--python=python3``, ``-DPY=/usr/bin/python3``), with the rest of its own word's pieces
    and its word's index: a Python named by the piece takes those pieces, then the following
    words whole, as its options (``-X utf8=1``)."""
    for k, unit in enumerate(units):
        pieces = _PIECES.findall(unit)
        for j, piece in enumerate(pieces):
            yield piece, pieces[j + 1 :], k


def _runs_as_program(piece: str) -> bool:
    """Whether a piece named like a Python may be a program some program runs (red team 27b
    R27b-2): anything but an option (``-I/usr/include/python3.11``) or a path to a folder
    (``gcc -isystem /usr/include/python3.11 -I include``). A file without its execute bit
    counts: the dynamic loader runs one (``ld.so ./python3 -I``)."""
    if piece.startswith("-"):
        return False
    return "/" not in piece or not os.path.isdir(_placed(piece, strict=False))


def _drops_guard(after: List[str]) -> bool:
    """Whether the words after a Python's name start with its own options, read as CPython
    reads them, and one of them drops the guard: ``-I``, ``-E``, ``-S`` (in a cluster too:
    ``-u -IS``, ``-bIc``, ``-tI``, after ``-W x`` or ``-X utf8=1``), or an ``-X`` option
    ``startup_modules.unknown_x_option`` does not know harmless (red team 28a R28a-3:
    ``-X pycache_prefix=DIR`` takes the guard's own sitecustomize from a .pyc under DIR).
    The options end at the code (``-c``), the module (``-m``), the script, ``-``, ``--`` or a
    word that is none of CPython's options."""
    i = 0
    while i < len(after):
        word = after[i]
        if word.split("=", 1)[0] in _PY_LONG_VALUED:
            i += 1 if "=" in word else 2  # CPython's one long option with a value
            continue
        if word in _PY_LONG_FLAGS:
            i += 1
            continue
        match = _PY_OPTION_WORD.match(word)
        if match is None:
            return False
        letters, valued = match.group(1), match.group(2) or ""
        if set(letters) & _GUARD_DROPPING:
            return True
        if valued[:1] in ("c", "m"):
            return False  # its code or module: no more options
        if valued[:1] == "-":
            if valued == "-":
                return False  # `-I-`: the options end, its script follows
            option = "-" + valued  # `-u-check-hash-based-pycs`: a long option in the cluster
            if option.split("=", 1)[0] in _PY_LONG_VALUED:
                i += 1 if "=" in option else 2
                continue
            if option in _PY_LONG_FLAGS:
                i += 1
                continue
            return False  # an option CPython does not have: it stops there
        value = valued[1:]
        if valued and not value:  # `-X name`: its value is the next word
            i += 1
            value = after[i] if i < len(after) else ""
        if valued[:1] == "X" and startup_modules.unknown_x_option(["-X", value]):
            return True
        i += 1
    return False


def _link_target(path: str) -> str:
    """The name of the program a link (from the start's folder) runs, '' when ``path`` is no
    link: the kernel reads a link as its target (red team 8 R8-12), so a word naming one names
    that program. A copy under another name is not seen (threat model)."""
    try:
        if not path:
            return ""
        path = _placed(path, strict=False)
        if not os.path.islink(path):
            return ""
        return program_name(os.path.realpath(path))
    except (OSError, ValueError):
        return ""


def _links_to_installer(target: str) -> bool:
    """Whether a link's target name is an installer's or a shell's."""
    return _INSTALLER_PIECE.match(target) is not None or _may_install_name(target)


def program_name(path: str) -> str:
    return os.path.basename(str(path))


def may_install(argv0: str) -> bool:
    return fastpath.may_install(argv0)


def _may_install_name(name: str) -> bool:
    return fastpath.is_installer_name(name)


def invocations(
    argv: List[str], depth: int = 0, env=None, stdin: str = "unknown", argv0=None
) -> List[Invocation]:
    """``env``: what the process is started with that Warden follows (``guard_env``);
    ``stdin``: what the process reads on its standard input, ``"decided"`` when Warden itself
    decided that text (a script magic's body), else unknown (a pipe, a file); ``argv0``: the
    argv[0] the start gives its program, when ``argv[0]`` is the program in its place."""
    argv = [os.fsdecode(a) if isinstance(a, (bytes, os.PathLike)) else str(a) for a in argv]
    if argv0 is not None:
        argv0 = os.fsdecode(argv0) if isinstance(argv0, (bytes, os.PathLike)) else str(argv0)
    token = _SHELL_WORDS.set(False)  # a program's own argv: `$`, `{a,b}` are plain text
    try:
        with _side_starts() as side:
            found = _simple(argv, dict(env or {}), depth, stdin, argv0)
            _refuse_installer_starts(found)
        return found + side
    finally:
        _SHELL_WORDS.reset(token)


# The installs of program files a start may run without its line naming them (``_side_start``),
# kept by the outermost reading (``invocations``, ``shell_invocations``) and returned with the
# line's own: decided as the start's (red team 21: a readable installer in such a file ran
# unread, since only the readings that refuse were kept). None outside a reading.
_SIDE_STARTS: ContextVar[Optional[list]] = ContextVar("warden_side_starts", default=None)


@contextlib.contextmanager
def _side_starts():
    """The side starts' installs found inside, for the outermost reading; a nested reading's
    are its outermost's (an empty list here)."""
    if _SIDE_STARTS.get() is not None:
        yield []
        return
    found: list = []
    token = _SIDE_STARTS.set(found)
    walks = _WALKS.set({})  # the reading's tree walks (``_walked``), kept for its starts
    try:
        yield found
    finally:
        _WALKS.reset(walks)
        _SIDE_STARTS.reset(token)


def _side_start(path: str, env: Dict[str, str], depth: int, via: str) -> None:
    """``path`` read as a start of its own with no words (a program file the start may run by
    name or from a folder): an ``Unreadable`` refuses the start; the installs it starts are
    kept for the outermost reading, placed in the folder the start runs in."""
    # started with no words, an installer prints its help: only words its `#!` line gives it
    # (`env -S uv pip install ...`) install anything (a link to uv found as the start's own
    # program is read with the line's words already)
    found = [inv for inv in _simple([path], env, depth) if inv.args]
    if not found:
        return
    kept = _SIDE_STARTS.get()
    base = current_folder()
    if kept is None or base is None:
        raise Unreadable(f"{via} starts an installer, which Warden cannot decide here")
    here = in_full(base)
    kept.extend(inv._replace(cwd=os.path.join(here, inv.cwd), via=via) for inv in found)


# Whether the words being read are a shell's (expanded by it before the program gets them) or
# a program's own argv (which gets `$C` and `{a,b}` as written: loky's and multiprocessing's
# `-c` code holds dict literals).
_SHELL_WORDS: ContextVar[bool] = ContextVar("warden_shell_words", default=False)


# programs a script magic may start that read their stdin as Python: the child interpreter
# carries the guard (launch environment), which decides the body itself
_PYTHONS = re.compile(r"^(python(\d+(\.\d+)?)?[dmu]?|pypy\d*(\.\d+)?|ipython\d*)$")


def stdin_reader(argv: List[str]) -> str:
    """What reads the stdin of ``argv`` once wrappers (``env``, ``sudo``, ``busybox``...) are
    followed: ``"shell"``, ``"python"`` or ``"other"`` (``%%script PROG`` feeds the cell body
    to PROG's stdin)."""
    argv = program_argv(argv)
    if not argv:
        return "other"
    name = program_name(argv[0])
    if name in SHELLS:
        return "shell"
    return "python" if _PYTHONS.match(name) else "other"


def program_argv(argv: List[str]) -> List[str]:
    """The words of the program a command runs once its assignments and wrappers (``env``,
    ``sudo``, ``busybox``...) are followed, [] when it runs none (``command -v``). The one
    place that says which word is the program: the expansion rule of shell lines reads it
    (red team 10 R10-8), as the stdin reading does."""
    argv, env = list(argv), {}
    for _ in range(4 * MAX_NESTING):
        while argv and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", argv[0]):
            argv = argv[1:]
        if not argv:
            return []
        name = program_name(argv[0])
        if name == "busybox" and len(argv) > 1:
            argv = argv[1:]
        elif name in WRAPPERS:
            argv = _unwrap(name, argv[1:], env)
        else:
            return argv
    raise Unreadable("its program is wrapped too deeply")


def _site_dir() -> str:
    from ...boot.launch_env import SITE_DIR

    return SITE_DIR


# The variables a guarded Python takes its policy and update key from when it starts
# (kernel/environ.py). A child started with one of them set, changed or unset enforces what
# they then name, an attacker's policy file among them (red team 9 R9-1): it has lost the
# guard this process would hand it, as with PYTHONPATH.
# Python's own variables that run other code before the guard's sitecustomize (a user site's
# .pth files under PYTHONUSERBASE) or instead of its modules (bytecode from
# PYTHONPYCACHEPREFIX) count the same way (R9-15).
LAUNCH_VARIABLES = (
    POLICY_FILE_ENV, POLICY_DIGEST_ENV, KERNEL_KEY_ENV, KERNEL_UPDATE_ENV, "PYTHONUSERBASE",
    "PYTHONPYCACHEPREFIX", TREE_STARTED_ENV, TREE_MOUNTS_ENV,
)  # fmt: skip


class LaunchGuard(NamedTuple):
    """What a guarded process found at its own start, before any user code ran (``snapshot``):
    whether the Pythons it starts inherit the launch guard (the guard's site folder was on
    its PYTHONPATH), the launch variables they inherit with it, and the Python variables and
    PATH it started with (``_guard_variable``: what a pip's start depends on)."""

    children_guarded: bool
    variables: tuple  # ((name, value or None), ...)
    python: tuple = ()  # ((name, value), ...); empty: read this process's environment
    handed: tuple = ()  # ((name, value or None), ...): child_path.HANDED_ON as it started


def launch_snapshot(environ) -> LaunchGuard:
    site = _site_dir()
    guarded = site in environ.get("PYTHONPATH", "").split(os.pathsep)
    from .child_path import HANDED_ON

    return LaunchGuard(
        guarded,
        tuple((v, environ.get(v)) for v in LAUNCH_VARIABLES),
        _python_variables(environ),
        tuple((v, environ.get(v)) for v in HANDED_ON),
    )


def _python_variables(environ) -> tuple:
    return tuple(sorted((k, v) for k, v in environ.items() if _guard_variable(k)))


class GuardLost(str):
    """``guard_env``'s PYTHONPATH for a start without the guard: read as '' (its Pythons count
    as guardless, whatever this process's environment says now: R9-2), holding the value the
    start really gets (``real``), where such a Python finds its local modules
    (``guardless.import_folders``). A line's own assignment or reset replaces it."""

    real: str

    def __new__(cls, real: str):
        lost = super().__new__(cls, "")
        lost.real = real
        return lost


def guard_env(env: Dict[str, str], launch: Optional[LaunchGuard] = None) -> Dict[str, str]:
    """What a process started with ``env`` has lost of the guard, as assignments the line
    reading follows: an empty PYTHONPATH when ``env`` lacks the guard's site folder (red team 8
    R8-17: ``subprocess.run([sys.executable, "-c", CODE], env={...})``), a launch variable
    set to '' when ``env`` changes it (R9-1), so a Python it starts counts as ``-I``; and the
    other Python variables and PATH it sets otherwise than this process started with, so a
    pip a shell line starts with them is not left to the guard (keepsguard).

    ``launch``: the snapshot the install gate took when the guard was installed. With it, a
    process that had no launch guard (a guarded kernelspec, ``guard.install()``) hands none
    to its children (R9-5), and this process's own ``os.environ``, which cell code may change
    (R9-2), is not what says whether it had one. Without it (the pure reading the vectors
    pin): the current environment says so. A ``Popen`` start whose PYTHONPATH names the
    guard's folder elsewhere reaches this reading already rewritten (``child_path``, R28a-1)."""
    if launch is None:
        if _site_dir() not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
            return {}  # read as a launch-guarded kernel would read it (the static side's view)
        launch = LaunchGuard(True, tuple((v, os.environ.get(v)) for v in LAUNCH_VARIABLES))
    started = dict(launch.python or _python_variables(os.environ))
    if not launch.children_guarded or not _guard_loads(
        env.get("PYTHONPATH", ""), started.get("PYTHONPATH", "")
    ):
        return {"PYTHONPATH": GuardLost(env.get("PYTHONPATH", ""))}
    # The other Python variables and PATH, set, changed or unset against the process's start:
    # a pip a shell line starts with them is not left to the guard (``_guard_lost``).
    lost = {
        name: value
        for name, value in env.items()
        if _guard_variable(name) and name != "PYTHONPATH" and started.get(name) != value
    }
    lost.update({name: "" for name in started if name not in env})
    lost.update({name: "" for name, value in launch.variables if env.get(name) != value})
    return lost


def _guard_loads(pythonpath: str, launched: Optional[str] = None, when: str = "line") -> bool:
    """Whether a Python with this PYTHONPATH imports the guard's ``sitecustomize`` before any
    code Warden has not read (``launched``: the PYTHONPATH this process started with,
    ``own_python.OWN``'s when not given). ``when`` says how long the reading must hold:

    - ``"line"``: a start, or what a shell line starts, whose earlier commands (or the cell's
      next line, once ``Popen`` returns: red team 28a R28a-1) may write before that Python
      reaches ``site``: the guard's folder first and every other folder one the kernel was
      started with (R9-15, R10-6: a relative one names a folder elsewhere, never one of
      them). Nothing is read in the folders HERE: what they hold when a start is read is
      ``_guarded_start_modules``' (red team 56a R56a-3), and the cell's next line may still
      write there before the child reaches ``site`` (the threat model's open case). A
      ``Popen`` start that names the guard's folder elsewhere is rewritten to this form
      (``child_path``: torch's helper Pythons, R27b-1).
    - ``"settled"``: this process's own PYTHONPATH changed (``environ_change_drops_guard``),
      which starts Warden never sees inherit: only the standard library's folders before the
      guard's, and no start-up module in the folders as they are now
      (``startup_modules.guard_shadowed``; a module written later is the threat model's open
      case).
    """
    from .own_python import OWN

    words = pythonpath.split(os.pathsep)
    site = _site_dir()
    if launched is None:
        # as this process started, not as a cell left os.environ (red team 28c R28c-5: an
        # empty folder appended to it, then filled, passed as "a folder the kernel had")
        launched = OWN.pythonpath
    known = {w for w in launched.split(os.pathsep) if os.path.isabs(w)}
    if when == "line":
        return words[0] == site and all(w in known for w in words[1:])
    if site in words:
        stdlib = {os.path.abspath(f) for f in startup_modules.stdlib_folders()}
        if not all(os.path.isabs(w) and w in stdlib for w in words[: words.index(site)]):
            return False
    return startup_modules.guard_shadowed(words, site, current_folder) is None


def line_keeps_guard(pythonpath: str, launched: str) -> bool:
    """``_guard_loads``'s line rule, for ``child_path``."""
    return _guard_loads(pythonpath, launched, "line")


def _guard_dropped_by_env(env: Dict[str, str], later_folders: bool = True) -> str:
    """Why a Python started with ``env`` (the line's assignments, ``env -u``/``-i``,
    ``unset``) may run without Warden's guard ('' when it keeps it): PYTHONPATH set so that
    Python does not load the guard first (``_guard_loads``; Warden reads an unset PYTHONPATH
    as ''), or PYTHONHOME or PYTHONPLATLIBDIR set. ``later_folders=False``: a change of this
    process's own PYTHONPATH (``environ_change_drops_guard``), read as ``settled``."""
    when = "line" if later_folders else "settled"
    if "PYTHONPATH" in env and not _guard_loads(env["PYTHONPATH"], when=when):
        return (
            "a PYTHONPATH where Python finds another sitecustomize before Warden's guard, or "
            "its start-up modules in a folder the kernel was not started with"
        )
    changed = [name for name in LAUNCH_VARIABLES if name in env]
    if changed:
        return f"{changed[0]} set or cleared"  # another policy than this kernel's (R9-1)
    for name in ("PYTHONHOME", "PYTHONPLATLIBDIR"):  # its standard library elsewhere (R14-12)
        if env.get(name):
            return f"{name} set"
    return ""


# the variables of this process's environment whose change ``environ_change_drops_guard`` reads
GUARD_ENVIRON = ("PYTHONPATH", "PYTHONHOME", "PYTHONPLATLIBDIR") + LAUNCH_VARIABLES


def environ_change_drops_guard(name: str, value: Optional[str]) -> str:
    """Why setting this process's own variable ``name`` to ``value`` (None: unsetting it)
    makes every Python it starts from then on run without Warden's guard, '' when it does not:
    the rule of ``_guard_dropped_by_env``, for starts Warden never sees (joblib/loky workers
    through ``_posixsubprocess``, any C extension's fork and exec: red team 12 R12-9). A folder
    added after the guard's that holds no start-up module stays allowed; where Warden sees a
    start, its PYTHONPATH is read again then (``guard_env``)."""
    if name not in GUARD_ENVIRON:
        return ""
    return _guard_dropped_by_env({name: "" if value is None else value}, later_folders=False)


def _shell_home(env: Dict[str, str]) -> str:
    """What a shell's ``~`` is: its HOME, the kernel's when the line did not change it; with
    HOME unset (``env -i``) the account's home in the password database, as bash reads it,
    not this process's HOME, which a cell can set."""
    if unset.is_unset(env, "HOME"):
        from .sources import account_home

        return account_home()
    return env.get("HOME") or os.environ.get("HOME") or os.path.expanduser("~")


def _tilde(token: str, script: str, env: Dict[str, str]) -> str:
    """A word starting with ``~`` as bash gives it to the program: expanded to the home folder
    when written unquoted (``~/r.txt``), kept when quoted (``'~/r.txt'``: uv and pip then read
    ``./~/r.txt``, red team 8 R8-6); written both ways on the line: unreadable."""
    if not token.startswith("~"):
        return token
    bare = re.search(r"(^|[\s;&|()<>])" + re.escape(token) + r"($|[\s;&|()<>])", script)
    if bare is None:
        return token
    if script.count(token) > len(re.findall(r"(?:^|[\s;&|()<>])" + re.escape(token), script)):
        raise Unreadable("a ~ word is written both quoted and unquoted on the line")
    head, sep, tail = token.partition("/")
    if head == "~":
        return _shell_home(env) + sep + tail
    expanded = os.path.expanduser(head)  # ~user
    return expanded + sep + tail if expanded != head else token


def shell_invocations(
    script: str, depth: int = 0, env=None, state: Optional["_LineState"] = None
) -> List[Invocation]:
    """Installer calls in a shell command string (``os.system``, ``sh -c``); ``env``: the
    assignments the shell itself was started with (``X=v sh -c ...``); ``state``: the line a
    command substitution's inside runs in (``_LineState.subshell``), which this reading
    updates. With the installs of the program files the line may run unnamed (``_side_start``)."""
    line = state or _LineState(False, env or {})
    aliases = _LINE_ALIASES.set(_LINE_ALIASES.get())  # the reading sets its own: restored
    # a line read at the top starts with cdable_vars off; a nested reading (`eval`) sets its
    # shell's option, which holds after it
    cdable = _CDABLE_VARS.set(False) if not depth else None
    try:
        with _side_starts() as side:
            found = _shell_invocations(script, depth, env, line)
    finally:
        _LINE_ALIASES.reset(aliases)
        if cdable is not None:
            _CDABLE_VARS.reset(cdable)
    _hand_up_writes(line)
    return found + side


# The aliases of the shell a nested reading runs in (red team 38b R38b-1): a command
# substitution's text and `eval`'s run in the line's own shell, with the aliases defined so
# far (None: a reading of a shell of its own, `sh -c`, which starts with none). The line being
# read sets it to its own table, so what it reads nested starts from that table.
_LINE_ALIASES: ContextVar[Optional[Dict[str, str]]] = ContextVar(
    "warden_line_aliases", default=None
)


# The writes of the lines a command runs as text of its own (`bash -c TEXT`, `eval TEXT`,
# `env sh -c`, `su -c`, a trap action, a shell text a launcher runs, a guardless Python's
# os.system): ([(writer, place)], [link place]) the command's line counts as that command's
# own, as it counts a command substitution's (red team 36 R36-7: `bash -c "cat p.pth >
# SITE/zz.pth"; python -c pass`). None outside a line's command; a command substitution's
# line hands its places to its line itself (``_LineState.placed``), so it reads with None.
_INNER_WRITES: ContextVar[Optional[Tuple[list, list]]] = ContextVar(
    "warden_inner_writes", default=None
)


def _hand_up_writes(line: "_LineState") -> None:
    """The writes an inner line read (``line``) made, handed to the command running it."""
    outer = _INNER_WRITES.get()
    if outer is not None:
        outer[0].extend(line.placed)
        outer[1].extend(line.linked)
        if len(outer) > 2:
            outer[2].extend(line.makers)


def _shell_invocations(
    script: str, depth: int, env, state: Optional["_LineState"]
) -> List[Invocation]:
    if depth > MAX_NESTING:
        raise Unreadable("shell commands nested too deeply")
    _refuse_shell_code("the shell", env or {})
    line = state or _LineState(False, env or {})
    masked = _bash_lines(script, line)
    if masked is None:
        return []
    original = script
    script, substitutions, processes = masked
    try:
        if _QUOTED in script:
            raise Unreadable("the line holds a character Warden uses to mark quoted words")
        lexer = shlex.shlex(
            _marked_quoting(_quoted_operators(script)),
            posix=True,
            punctuation_chars=";&|()<>\n",
        )
        lexer.whitespace = " \t"  # \r is a word character for sh and bash (R12-12)
        lexer.whitespace_split = True
        lexer.commenters = ""  # _bash_lines removed the comments
        tokens = [_unmarked(t) for t in lexer]
    except ValueError as exc:
        # bash runs the lines before a syntax error; look for installer words after its
        # quote removal (`p''ipx`, `p\\ipx`: red team 6 F15), and for what may build one
        # (`u$@v p$@ip install x\` at the end: red team 13 R13-1's test)
        if _WORDS.search(_SHELL_QUOTING.sub("", script)) or shell_text.unseen(script):
            raise Unreadable(f"the shell command cannot be parsed ({exc})") from None
        return []
    if any(t.startswith("~") for t in tokens) and _HOME_ASSIGNED.search(script):
        # `HOME=/x; ~/ls sync`: the shell expands ~ with the HOME the line set (red team 12)
        raise Unreadable("a ~ word on a line that assigns HOME: write the folder out")
    tokens = [_tilde(t, script, env or {}) for t in _operator_tokens(tokens)]
    if any(shell_values.tilde_in_assignment(t) for t in tokens):
        # `X=~/a`, `PATH=~/bin:$PATH`: bash expands ~ in an assignment's value too (R14-14)
        if _HOME_ASSIGNED.search(script):
            raise Unreadable("a ~ in an assignment on a line that assigns HOME: write it out")
        home = _shell_home(env or {})
        # unquoted (written as read) it expands; quoted (`X='~/a'`) it stays; both: unknown
        tilde = [t for t in tokens if shell_values.tilde_in_assignment(t)]
        if any(0 < script.count(t) != tilde.count(t) for t in tilde):
            raise Unreadable("a ~ assignment is written both quoted and unquoted on the line")
        tokens = [shell_values.tilde_assignment(t, home) if t in script else t for t in tokens]
    around = list(_AROUND.get())  # the command running this text: its redirections (R56b-8)
    commands = [
        (
            _literal(words),
            _literal(rest[0]),
            *rest[1:4],
            _literal(rest[4]),
            _literal(rest[5]) + around,
            _literal(rest[6]),
        )
        for words, *rest in _split(tokens)
    ]
    functions = _functions_defined(commands)
    # `( cd x && ... )`; and `cd d &>f`, which sh (dash, os.system's shell) reads as `cd d &`
    # (a cd in the background, the redirection a command of its own: red team 83 F1)
    line.subshells = line.subshells or any(t in ("(", ")", "&>", "&>>") for t in tokens)
    # which assignments may not hold (red team 90 F8): only a subshell's parentheses or an
    # assigning command's `&>` (red team 94: `export X=1; python3 t.py &> log.txt` holds)
    line.scope_unsure = line.scope_unsure or assignment_scope.scope_unsure(tokens)
    # read on the whole line: stricter for the commands before the assignment
    line.unresolved = line.unresolved or _unmodelled_assignment(script)
    places = line_flow.places([c[0] for c in commands], [c[2] == "()" for c in commands])
    line.unresolved = line.unresolved or _assigned_by_name(commands, places)
    # red team 13 R13-19, R13-13, R13-20: names assigned by forms read as no value, values
    # bash evaluates as shell text, `set -k`'s trailing assignments
    simple_words = [c[0] for c in commands]
    # (the line's own unknown names are read there: a literal loop's values are on the line)
    evaluated = shell_values.evaluated(
        simple_words,
        script,
        line.unknown_names | line.unresolved_values,
        {**line.inherited(), **line.env},
        original,
    )
    line.unknown_names |= shell_values.unknown_names(simple_words, script)
    # `(( N = 1 ))` assigns too; what the line exports, for ``start_env`` (red team 90 F7)
    line.unknown_names |= unknown_exports.arithmetic_names(script)
    line.exported |= unknown_exports.exported(simple_words, eval_assigned)
    if evaluated:
        raise Unreadable(f"bash evaluates a value as shell text: {evaluated}")
    _refuse_tmux_format(commands)
    line.keyword = line.keyword or shell_values.keyword_set(simple_words)
    line.literal = line.literal + shell_values.literal_text(script)
    # the text, and its words as the shell reads them (`read CD''PATH`: red team 83 F3)
    line.cd_variables = _cd_variables_assigned(script) or _cd_variables_assigned(
        " ".join(" ".join(words) for words in simple_words)
    )
    moves = [k for k, c in enumerate(commands) if _moves(c[0])]
    # a loop (or function body) that moves: its commands run in more than one folder, those
    # above the cd too in the next round (red team 12 R12-11)
    unknown_from = min((places[k].loop for k in moves if places[k].loop is not None), default=None)
    # a loop or a function runs its commands again or later: text order is not run order
    repeats = any(tokens[i] == "()" or tokens[i : i + 2] == ["(", ")"] for i in range(len(tokens)))
    found, installs, writers, kept, after_writer = [], [], [], [], []
    in_case = False  # inside `case WORD in ... esac`: `(PATTERN)` is an arm's pattern (R8-5)
    sub_wrote = ""  # a command substitution of the line that may write
    placed = line.placed  # (writer, a folder it may write a file in): `_refuse_path_written`
    wrote_by: Dict[int, list] = {}  # the k-th command's own places
    starts_read: Dict[int, list] = {}  # the Python starts read in the k-th (R32-2)
    outer_starts = _STARTS_READ.get()  # the enclosing line's command's, when nested
    linked = line.linked  # the places an earlier writer may have made a link at (R23-1)
    makers = line.makers  # where an earlier command may make a name (``_MAKERS``)
    # the aliases the line defined so far, by name (R37b-4), from its shell's (R38b-1)
    same_shell = _LINE_ALIASES.get()
    aliases: Dict[str, str] = dict(same_shell or {})
    _LINE_ALIASES.set(aliases)  # reset by shell_invocations
    for k, (command, writes, _after, substitutes, stdin, targets, group, early) in enumerate(
        commands
    ):
        # a process substitution glued to a word (`--file=<(..)`) is a marker in that word
        pieces = _SUBSTITUTION.findall(" ".join(command))
        substitutes = substitutes or any(int(n) in processes for n in pieces)
        # its command substitutions run first, each a line of its own in a subshell of this one,
        # in the folder the command runs in: unknown where a cd may or may not have run (the
        # rules `line.begin` applies to the command itself, read before it here)
        joined = k == 0 or commands[k - 1][2] == "&&" or not moves
        repeated = unknown_from is not None and k >= unknown_from
        sub_folder = line.cwd if joined and not repeated and not places[k].in_function else None
        for inside in _SUBSTITUTION.findall(" ".join(command + targets)):
            if int(inside) >= len(substitutions):
                continue  # the marker's characters written in the line itself: no substitution
            sub = line.subshell()
            if sub_folder is None:
                sub.cwd = sub.here = None
            # the writes and links of the line so far count in it, and its own in the line
            path_writes = _PATH_WRITES.set(_PATH_WRITES.get() + tuple(placed))
            link_places = _LINK_PLACES.set(_LINK_PLACES.get() + tuple(linked))
            makers_token = _MAKERS.set(_MAKERS.get() + tuple(makers))
            inner_writes = _INNER_WRITES.set(None)  # handed below, as sub.placed
            # the redirections the shell has opened when it runs (R57a-6): its commands'
            # as a compound command's (the compounds' around it hold the outer ``around``)
            marker = "\x01" + inside + "\x01"
            late = subst_redirect.after_own(command, targets, lambda w, m=marker: m in w)
            # (a redirection's own file is opened after its word is expanded: `> $(I)`)
            own = [w for w in writes if marker not in w] if late else []
            around_sub = _AROUND.set(tuple(group + early + own))
            try:
                with start_folder(sub_folder):
                    sub_found = shell_invocations(substitutions[int(inside)], depth + 1, None, sub)
            finally:
                _AROUND.reset(around_sub)
                _PATH_WRITES.reset(path_writes)
                _LINK_PLACES.reset(link_places)
                _MAKERS.reset(makers_token)
                _INNER_WRITES.reset(inner_writes)
            placed.extend(sub.placed)
            linked.extend(sub.linked)
            makers.extend(sub.makers)
            if sub_found and int(inside) in processes:
                raise Unreadable(_IN_PROCESS_SUBSTITUTION)
            if sub_found:
                # decided inside; the line's loop or concurrent writers still count (not kept)
                here = sub_folder or ""
                found.append([i._replace(cwd=os.path.join(here, i.cwd)) for i in sub_found])
                installs.append(k)
                kept.append([False] * len(sub_found))
                after_writer.append(bool(line.changed))
            if sub.wrote:
                line.changed = line.changed or "a command substitution"
                sub_wrote = sub_wrote or "a command substitution"
                writers.append(k)
        if command[0] == "case" and command[2:3] == ["in"]:
            in_case = True
        elif command[0] == "esac":
            in_case = False
        elif in_case and len(command) == 1 and _after == ")" and not writes:
            continue  # `(x) CMD;;`: the pattern is no command
        mentions_installer = _WORDS.search(" ".join(command)) is not None
        if substitutes and mentions_installer:
            raise Unreadable(
                "it uses a process substitution (<(...) or >(...)) Warden does not read"
            )
        repeats = repeats or command[0] in _LOOPS
        command = _command_words(command)
        if len(command) == 1 and _after == "()":
            continue  # `NAME() { ...; }`: defines NAME, runs nothing (its body is read)
        command = _aliased(command, aliases)
        if line.keyword:
            command = shell_values.keyword_words(command)  # `set -k`: NAME=v words anywhere
        line.begin(commands[k - 1][2] if k else "")
        if k == unknown_from:
            line.lose_folder()
        # a function body runs where the function is called, after any cd on the line
        folder = None if places[k].in_function and moves else line.cwd
        # after `cd d;` each folder it may run in, for where it writes (``_MAYBE_FOLDERS``)
        maybe = () if places[k].in_function and moves else line.maybe
        line.here = folder  # what $PWD names for this command (R38b-5)
        # (entered before its words are read: `cd d && PATH=$PWD/bin:$PATH x` is d's)
        command = line.appended(command)  # `PATH+=DIR` as `PATH=OLD+DIR` (red team 88 F2)
        command = line.prefix_resolved(command)  # `PATH=$PWD/b:$PATH x` (red team 88 FR2)
        _refuse_expansion(command, mentions_installer)
        line.refuse_unknown_path(command, functions)
        # the writes of the lines the command runs as text, their link places, their makers
        inner: Tuple[list, list, list] = ([], [], [])
        inner_writes = _INNER_WRITES.set(inner)
        try:
            _refuse_kept_text(command, depth)
        finally:
            _INNER_WRITES.reset(inner_writes)
        _refuse_name_table_change(command)
        _keep_aliases(command, aliases, places[k].nested or same_shell is not None)
        if stdin == "unknown" and k and commands[k - 1][2] in ("|", "|&"):
            stdin = "pipe"
        _refuse_builtin_expansion(command, line)
        called = _function_called(command, functions)
        if called is not None:
            # the function runs its body, read where it stands, with these arguments as "$@":
            # they count as a program's Warden does not read (red team 10 R10-8); the command
            # is read as the program too, in case the name is not the function when it runs
            _refuse_unread(f"the function {called[0]}", called[1:])
            _refuse_function_environment(command, called[0])
        shell_words = _SHELL_WORDS.set(True)
        written = _WRITTEN.set(_WRITTEN.get() or line.program_written)
        # red team 17 R17-13: what on the line may write a module a guardless Python imports
        before = _LINE_WRITER.get()[0] or line.program_written or sub_wrote
        before = before or _later_writer(commands, k, places)
        # a compound command's redirections are the command's own (``compound_redirect``)
        # ... and a start's handed files (``own_output``) reach every command it runs
        own_output = "a redirection of its output" if writes or group else _LINE_WRITER.get()[1]
        line_writer = _LINE_WRITER.set((before, own_output))
        path_writes = _PATH_WRITES.set(_PATH_WRITES.get() + tuple(placed))
        link_places = _LINK_PLACES.set(_LINK_PLACES.get() + tuple(linked))
        # the commands that may run before or while it (a loop's next round, the background)
        # may make a name anywhere: not placed yet, read in text order
        makers_now = _MAKERS.get() + tuple(makers) + _makers_alongside(commands, k, places)
        makers_token = _MAKERS.set(makers_now)
        starts_read[k], guarded_starts = [], []
        starts_token = _STARTS_READ.set(starts_read[k])
        guarded_token = _GUARDED_STARTS.set(guarded_starts)
        inner_writes = _INNER_WRITES.set(inner)
        around = _AROUND.set(tuple(writes + group))  # for the text it runs (R56b-8)
        try:
            with start_folder(folder):  # where `./x` is found after `cd d &&` (R10-7)
                started = line.start_env()
                run_envs = _RUN_ENVS.set([])  # the PATHs its starts search (``run_paths``)
                try:
                    invocations = _simple(command, started, depth, stdin)
                finally:
                    run_paths_found = _RUN_ENVS.get()
                    _RUN_ENVS.reset(run_envs)
                _refuse_installer_starts(invocations)
                _refuse_unknown_exports(command, started, functions, invocations)  # red team 90 F7
        finally:
            _AROUND.reset(around)
            _SHELL_WORDS.reset(shell_words)
            _WRITTEN.reset(written)
            _LINE_WRITER.reset(line_writer)
            _PATH_WRITES.reset(path_writes)
            _LINK_PLACES.reset(link_places)
            _MAKERS.reset(makers_token)
            _STARTS_READ.reset(starts_token)
            _GUARDED_STARTS.reset(guarded_token)
            _INNER_WRITES.reset(inner_writes)
        if invocations:
            # read before the command's own effect on the line: the env pip starts with
            lost = [_guard_lost(command, inv.program, inv.env, line) for inv in invocations]
            found.append(
                [
                    _own_redirections(
                        inv,
                        inv._replace(
                            cwd=os.path.join(folder or "", inv.cwd),
                            makers=makers_now,
                            problem=inv.problem
                            or line.problem(
                                inv.tool, why, folder, line.unresolved_value(command, inv.env)
                            ),
                            writer_places=inv.writer_places
                            if inv.problem
                            else line.writer_places(inv, command, folder, makers_now),
                        ),
                        why,
                        writes + group,
                        folder,
                    )
                    for inv, why in zip(invocations, lost)
                ]
            )
            installs.append(k)
            kept.append([not why for why in lost])
            # a folder Warden cannot tell: the files are the guard's the pip inherits to read
            after_writer.append(bool(line.changed) or folder is None)
        program = line.update(
            command, places[k], commands[k - 1][2] if k else "", _after, functions
        )
        if called is not None:
            # a function the line defines runs its body, not the builtin it may be named
            # after (`cd() { :; }; cd d && ./x`): where it leaves the shell is not told
            line.lose_folder()
            line.moved = True
        runs = _may_write(program, invocations)
        if invocations and not runs and not _writes_nothing(invocations, folder):
            # an install writes what a later install on the line may read (red team 54a): a
            # later uv or conda is refused, a later pip decides again (``problem``); a program
            # run after it is read as before (it runs what the decided install put there)
            line.changed = line.changed or program or "an install"
            writers.append(k)
            line.wrote = True
        if writes or group or runs or inner[0]:
            with start_folder(folder, maybe=maybe):
                env = line.start_env()
                before = (_PATH_WRITES.get() + tuple(placed), _LINK_PLACES.get() + tuple(linked))
                # a Python keeping the guard, started by the command's own first word
                first = next((w for w in command if not _ASSIGNMENT_WORD.match(w)), "")
                guarded = bool(first) and first in guarded_starts
                redirected = targets + group if writes or group else []
                wrote, made = _write_places(
                    program, command, redirected, env, runs, before, guarded
                )
            wrote, made = wrote + inner[0], made + inner[1]  # its inner lines' (R36-7)
            wrote_by[k] = wrote
            placed.extend(wrote)
            linked.extend(made)
            if writes or runs or inner[0]:
                # not for the compound's redirections alone: they write only files an install
                # inside weighs as its own (``own_redirect``), and its closing word (the last
                # command of a subshell) is the writer for the commands after it
                line.changed = line.changed or program or "a redirection"
            if writes or group or program not in _SHELL_OPTION_WRITERS:
                line.tree_changed = line.tree_changed or program or "a redirection"
            if writes or group or program not in _NO_PROGRAM_WRITE:
                line.program_written = line.program_written or program or "a redirection"
            if program in _SHELL_STATE_WRITERS:
                line.shell_changed = line.shell_changed or program
            writers.append(k)
            line.wrote = True
        with start_folder(folder, maybe=maybe):
            # a program may run by name what a new link on its PATH, leading nowhere for now,
            # leads to (tar runs gzip): weighed against what the line made before it. Not a
            # Python keeping Warden's guard: its guard decides its own starts when it makes them
            first = next((w for w in command if not _ASSIGNMENT_WORD.match(w)), "")
            if not (first and first in guarded_starts):
                _refuse_unsure_path_links(program, line.start_env(), makers_now)
                from .run_paths import others

                for name, env in others(line.start_env(), run_paths_found):
                    _refuse_unsure_path_links(name, env, makers_now)
            makers.extend(
                _made_places(program, command, invocations, wrote_by.get(k), inner[2], started)
            )
    # red team 32 R32-2: a Python start runs alongside or after the writers ``_later_writers``
    # finds (its pipeline, a later background command, its loop's next round, a function
    # body's caller), which the reading in text order placed after it
    for k, starts in starts_read.items():
        later = [p for j in _later_writers(commands, k, places) for p in wrote_by.get(j, ())]
        for where, flags, env, start, shallow in starts if later else ():
            token, trees = _START_FOLDER.set(start), _SHALLOW_TREES.set(shallow)
            try:
                _refuse_start_places_written(where, set(flags), env, tuple(later))
            finally:
                _START_FOLDER.reset(token)
                _SHALLOW_TREES.reset(trees)
    if outer_starts is not None:  # a nested line's starts run when its command does
        outer_starts.extend(s for starts in starts_read.values() for s in starts)
    out = []
    for k, invocations, keeps, child_reads in zip(installs, found, kept, after_writer):
        problem = ""
        # the install is a writer itself (red team 54a): in a loop or a function body it runs
        # again after its own writes; outside one, only the line's other writers count
        if repeats and any(j != k or places[k].loop is not None for j in writers):
            problem = (
                "the line runs commands in a loop or a function, and one of them may write the "
                "files or settings the install reads: run the install as its own command"
            )
        # a writer running at the same time as the install: in its pipeline, or anywhere
        # after an install sent to the background
        elif any(
            j > k and any(commands[m][2] in _CONCURRENT for m in range(k, j)) for j in writers
        ):
            problem = (
                "a command running at the same time as the install may write the files or "
                "settings it reads: run the install as its own command"
            )
        # a pip that keeps the guard decides again when it starts, however often and whenever
        # it runs (problem()); the files the line may write before it starts are its guard's
        # to read (R10-3: `git clone URL && cd x && pip install -r requirements.txt`)
        for inv, keep in zip(invocations, keeps):
            if inv.problem:
                # a loop's next round or a concurrent writer: not only the placed writers
                # before it (R81-5's narrowing holds for those alone)
                out.append(inv._replace(writer_places=None) if problem else inv)
            elif inv.tool == "pip" and keep:
                child = inv.child_reads or child_reads or bool(problem)  # nested: `sh -c`
                out.append(inv._replace(child_reads=child))
            else:
                out.append(inv._replace(problem=problem))
    return out


def _command_words(command: List[str]) -> List[str]:
    """A simple command without the reserved words in front of it (``if``, ``{``, ``!``,
    ``do``...) and a function header (``function NAME``): its first word is then what runs.
    bash's ``time`` (and ``-p``) before a reserved word or a subshell (nothing after it here:
    ``time ( ... )``) is its keyword, timing the compound (R57a-8); before a program it stays
    (dash runs /usr/bin/time, read as a wrapper)."""
    while command and (command[0] in _SHELL_KEYWORDS or command[0] in ("function", "time")):
        if command[0] == "time":
            rest = command[1:]
            while rest[:1] and rest[0] in _TIME_OPTIONS:
                rest = rest[1:]
            if rest and rest[0] not in _SHELL_KEYWORDS:
                break
            command = rest
            continue
        # `if pip install x; then`, `{ pip ...; }`, `! pip`, `do pip`, `function f { pip`
        command = command[2:] if command[0] == "function" else command[1:]
    return command


def _refuse_tmux_format(commands) -> None:
    """tmux's commands after its `\\;` are split off here as commands of their own (shlex
    gives a quoted `;` as the operator), so `tmux new -d x \\; set -g status-right '#(CMD)'`
    read `set` as the shell's builtin: on a line that starts tmux, a word holding a tmux
    format that runs a command (the tmux table's refused_text) is refused wherever it stands."""
    words = [w for command in commands for w in command[0]]
    if not any(os.path.basename(w) == "tmux" for w in words):
        return
    text = (shell_runners.runner("tmux") or {}).get("refused_text", "(?!)")
    if any(re.search(text, w) for w in words):
        raise Unreadable(
            "tmux runs the shell command in a format (`#(...)`) wherever it expands one, which "
            "Warden does not read: run the command directly"
        )


def _refuse_expansion(command: List[str], mentions_installer: bool) -> None:
    """An expansion Warden cannot resolve is unreadable where it may decide an install: in the
    words of a command naming an installer (but the path of a file sourced), in its first word
    once its assignments are skipped (``$X install``), or in the program it runs after its
    reserved words and wrappers (``{ $X install ...; }``, ``if $X``, ``sudo $X``: red team 10
    R10-8); in an assignment's value only for a variable that changes how the line is read or
    what a later command runs (``_reading_variable``: ``PATH=$X:$PATH``). Any other value
    (``CUDA_VISIBLE_DEVICES=$GPU python train.py``, ``OUT=${HOME}/data``, red team 13 R13-9)
    is used where the shell expands the variable, and those places are read here; an install
    that starts with one in its environment is ``_LineState.problem``'s."""
    expanded = [t for t in command if _EXPANSION.search(t)]
    if not expanded:
        return
    assigned = 0
    while assigned < len(command) and _ASSIGNMENT_WORD.match(command[assigned]):
        assigned += 1
    try:
        argv = program_argv(command)
        program = argv[:1]
    except ValueError:  # `env -S` with unbalanced quotes
        argv = program = ["$"]
    # the assignments before the program: the command's own and its wrappers' (`env X=$Y
    # prog`, `sudo X=$Y prog`); `make CC=$X` passes CC=$X to make as an argument
    before = len(command) - len(argv)
    wrapped = before >= 0 and command[before:] == argv
    for word in command[: before if wrapped else assigned]:
        name, _eq, value = word.partition("=")
        if _ASSIGNMENT_WORD.match(word) and _EXPANSION.search(value) and _reading_variable(name):
            raise Unreadable(
                f"it assigns {name} a shell expansion ({_construct(value)}) Warden cannot "
                "resolve before the shell runs it, and that variable changes how the line is "
                "read or what it runs: write the value out"
            )
    if argv[:1] in (["source"], ["."]) and len(argv) > 1:
        # the file sourced runs unread whatever its name (source changes the shell: what
        # follows on the line is read as after unknown code); an installer's name in its path
        # runs nothing (`source $(conda info --base)/etc/profile.d/conda.sh`)
        rest = command[: len(command) - len(argv) + 1] + argv[2:]
        mentions_installer = _WORDS.search(" ".join(rest)) is not None
    first = command[assigned : assigned + 1]
    if mentions_installer or _EXPANSION.search("".join(first + program)):
        # the installer's arguments, or which program runs, depend on the expansion
        raise Unreadable(
            f"it uses a shell expansion ({_construct(expanded[0])}) Warden cannot resolve "
            "before the shell runs it"
        )


def _refuse_builtin_expansion(command: List[str], line: "_LineState") -> None:
    """The NAME=VALUE arguments of a builtin that assigns them (``export``, ``readonly``,
    ``declare``/``typeset``, ``local``; behind ``builtin``/``command``), read as the
    assignments before a program are (``_refuse_expansion``), but for a value the line can
    resolve from what it assigned and what the shell inherits (``export
    PYTHONPATH=$HOME/src``). Red team 38b R38b-5: ``export PYTHONUSERBASE=$PWD/ub`` kept the
    literal text as the value, and the start folders read for the Python after it missed the
    shell's. PATH has its own rule (``_LineState.refuse_unknown_path``, R13-18)."""
    words = list(command)
    while words and _ASSIGNMENT_WORD.match(words[0]):
        words = words[1:]
    while words and program_name(words[0]) in ("builtin", "command"):
        words = words[1:]
    if not words or program_name(words[0]) not in _STATE_BUILTINS:
        return
    for word in words[1:]:
        name, _eq, value = word.partition("=")
        if not (_ASSIGNMENT_WORD.match(word) and _EXPANSION.search(value)) or name == "PATH":
            continue
        if _reading_variable(name) and line.resolved(value, inherit=True) is None:
            raise Unreadable(
                f"{words[0]} assigns {name} a shell expansion ({_construct(value)}) Warden "
                "cannot resolve before the shell runs it, and that variable changes how the "
                "line is read or what it runs: write the value out"
            )


# `NAME=value` in front of a command (or alone): what program_argv skips
_ASSIGNMENT_WORD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
# Installers' own settings (PIP_INDEX_URL, UV_INDEX, CONDA_CHANNELS...), named by the tools
# `_WORDS` finds, and what names the files and environments they read their settings and
# packages from (~/.config/uv/uv.toml, ~/.condarc).
_INSTALLER_SETTING = re.compile(
    r"^((PIP|UV|CONDA|MAMBA|MICROMAMBA|PIPX|POETRY|PDM|PIPENV|HATCH|PIXI|RYE)_.*"
    r"|CONDARC|MAMBARC|VIRTUAL_ENV|XDG_CONFIG_HOME|XDG_CONFIG_DIRS|HOME)$"
)
# what the shell splits words and reads lines with
_SPLITTING = frozenset(("IFS",))


def _reading_variable(name: str) -> bool:
    """A variable whose value, assigned by the line, changes how Warden reads the rest of it
    or what a later command runs, so a value Warden cannot resolve leaves the line unread: a
    start variable (``_start_variable``: PATH, PYTHON*, the launch variables), bash's program
    tables, what ``cd`` reads (``_CD_NAMES``), what makes a shell run code
    (``shell_code_variable``), IFS, an installer's setting."""
    return (
        _start_variable(name)
        or name in _PROGRAM_TABLES
        or name in _CD_NAMES
        or bool(shell_code_variable({name: "$"}))
        or name in _SPLITTING
        or _INSTALLER_SETTING.match(name) is not None
    )


# what makes an alias's value, which the shell reads again as shell text where the alias is
# used, name a program its words do not: an expansion, a quote or backslash (quote removal
# happens twice), a pattern, a brace list, a ~ (red team 13 R13-12)
_ALIAS_VALUE_UNREAD = re.compile(r"[$`'\"\\*?\[{~\x01]")


def _keep_aliases(command: List[str], aliases: Dict[str, str], nested: bool = False) -> None:
    """The aliases ``alias NAME=VALUE`` defines and ``unalias`` removes, kept in ``aliases``
    for the line's later commands (``_aliased``); a value ``_refuse_kept_text`` let pass holds
    no quote, expansion or pattern, so its words are its text split at blanks. An alias
    Warden would not keep as the shell defines it is unreadable (red team 38b R38b-1): a word
    made by an expansion (``alias "$A"``, a loop's ``alias "$a=..."``), or a definition that
    is no plain command of the line's own (``nested``: in a loop, a function, a compound
    command, after ``!``, or in ``eval``'s or a command substitution's text)."""
    words = command
    while words and _ASSIGNMENT_WORD.match(words[0]):
        words = words[1:]
    inner = line_flow.unwrap_builtin(words)
    if inner[:1] == ["alias"]:
        made = [w for w in inner[1:] if _EXPANSION.search(w) or _SUBSTITUTION.search(w)]
        if made or (nested and any("=" in w for w in inner[1:])):
            where = "from a shell expansion" if made else "inside a loop, function or eval"
            raise Unreadable(
                f"it defines an alias {where}, which Warden does not follow to where the alias "
                "is used: define aliases with literal text (alias NAME='VALUE') as a plain "
                "command of the line, or run the command itself"
            )
        for word in inner[1:]:
            name, equals, value = word.partition("=")
            if equals:
                aliases[name] = value
    elif inner[:1] == ["unalias"]:
        if "-a" in inner[1:]:
            aliases.clear()
        for name in inner[1:]:
            aliases.pop(name, None)


# what in an alias's value the shell reads as more than one simple command's words: an
# operator, a redirection, a grouping, a comment, a line break
_ALIAS_VALUE_OPERATOR = re.compile(r"[;&|<>()#\n]")


_TIME_OPTIONS = ("-p", "--")


def _aliased(command: List[str], aliases: Dict[str, str]) -> List[str]:
    """A command whose first word (after its assignments) is an alias the line defined,
    read as the alias's value followed by its other words (red team 37b R37b-4: `alias
    x='cp p.pth <site>/zz.pth'` then `x` on a later line: dash expands aliases in a script,
    bash after `shopt -s expand_aliases`; read as a program named x, the cp's write was
    never placed). A value with an operator or a redirection, or one that ends in a blank (the
    next word is expanded too) before another alias, is more than Warden reads: unreadable."""
    lead = next((i for i, w in enumerate(command) if not _ASSIGNMENT_WORD.match(w)), len(command))
    if not lead and command[:1] == ["time"]:  # bash's keyword: the command after it is read
        lead = 1 + next((i for i, w in enumerate(command[1:]) if w not in _TIME_OPTIONS), 0)
    words, seen = command[lead:], set()
    while words and words[0] in aliases and words[0] not in seen:
        seen.add(words[0])
        value = aliases[words[0]]
        rest = words[1:]
        if _ALIAS_VALUE_OPERATOR.search(value) or (
            value[-1:].isspace() and rest and rest[0] in aliases
        ):
            raise Unreadable(
                f"it uses the alias {words[0]}, whose value is more than one plain command "
                "(an operator, a redirection, or an alias after it): run the command itself"
            )
        words = value.split() + rest
    return command[:lead] + words


def _refuse_kept_text(command: List[str], depth: int) -> None:
    """Shell text a builtin keeps to run later is read as what it will run (red team 13
    R13-12): a ``trap`` action as a command line of its own (it runs at exit, at a signal, or
    before every command for DEBUG), so the expansion rule and the installer reading apply to
    it, and an install there is refused (when it runs is not told); an ``alias`` value whose
    words the shell would expand or unquote when the alias is used (``alias x='u$@v'``: ``x
    p$@ip install ...`` runs uv) is unreadable. An installer named in either is refused as
    for any launcher (``names_installer``)."""
    words = command
    while words and _ASSIGNMENT_WORD.match(words[0]):
        words = words[1:]
    inner = line_flow.unwrap_builtin(words)
    if inner[:1] == ["alias"]:
        for word in inner[1:]:
            value = word.partition("=")[2]
            if _ALIAS_VALUE_UNREAD.search(value):
                raise Unreadable(
                    "it defines an alias whose value the shell reads again where the alias is "
                    "used (an expansion, a quote or a pattern): run the program by its name"
                )
    elif inner[:1] == ["trap"]:
        args = inner[1:]
        if args[:1] == ["--"]:
            args = args[1:]
        if not args or args[0].startswith("-"):
            return  # `trap -p`, `trap -l`, `trap - EXIT` (reset)
        action = _LineState(True, {})
        if shell_invocations(args[0], depth + 1, None, action):
            raise Unreadable(
                "a trap action runs an installer later (at exit or at a signal), in a state "
                "Warden does not follow: run the install as its own command"
            )
        if action.state_changed:
            # red team 39b R39b-3: the action runs in the line's own shell, before every
            # command (DEBUG), after a failing one (ERR), at a signal or at exit: when its
            # assignment, export, cd, alias, set... holds for a later command is not told
            raise Unreadable(
                f"a trap action changes the shell's state ({action.state_changed}) when it "
                "runs, before or between the line's later commands, which Warden does not "
                "follow: make that change a plain command of the line, or keep the trap's "
                "action to commands that change nothing in the shell (rm -f FILE, echo)"
            )


# bash's builtins that change which program or builtin a later command's name runs
# (red team 39b R39b-4, R39b-5): `enable -n cd` runs PATH's cd, `enable -f LIB NAME` loads a
# builtin from a library, `hash -p PATH NAME` runs PATH for NAME; zsh's `disable NAME` turns
# a builtin off. The line reads every later command by its name: refused where used.
_NAME_TABLE_OPTIONS = {"enable": "dfn", "hash": "p"}


def _refuse_name_table_change(command: List[str]) -> None:
    """A command that changes what a later command's name runs (``_NAME_TABLE_OPTIONS``;
    ``enable`` without options, ``-p``, ``-a``, ``-s`` and ``hash`` without ``-p`` only print,
    enable or forget) is unreadable: the line reads ``cd``, ``basename``... as what they are
    by name."""
    from .enable_loads import behind_coproc, refusal

    words = behind_coproc(command)  # `coproc { enable x; }` (red team 91)
    while words and _ASSIGNMENT_WORD.match(words[0]):
        words = words[1:]
    inner = line_flow.unwrap_builtin(words)

    loads = refusal(words) or refusal(inner)  # `enable x` loads ./x (red team 90 F14)
    if loads:
        raise Unreadable(loads)
    name = inner[0] if inner else ""
    if name == "disable" and len(inner) > 1:
        raise Unreadable(
            "zsh's disable turns a builtin off, so a later command of that name runs another "
            "program than the one Warden reads: run the commands without it"
        )
    letters = _NAME_TABLE_OPTIONS.get(name, "")
    for word in inner[1:]:
        if word == "--" or not word.startswith("-"):
            break
        if any(letter in letters for letter in word[1:]):
            raise Unreadable(
                f"{name} {word} changes what a later command's name runs (a builtin turned off "
                "or loaded, a name bound to another program), which Warden reads by the name: "
                "run the program by its full path instead"
            )


def _functions_defined(commands) -> frozenset:
    """The names the line defines as shell functions (``NAME() ...``, ``function NAME``),
    wherever they stand: a loop may define one after a command that then calls it."""
    names = set()
    for command, _writes, after, *_rest in commands:
        while command and command[0] in _SHELL_KEYWORDS:
            command = command[1:]
        if command[:1] == ["function"] and len(command) > 1:
            names.add(command[1])
        elif len(command) == 1 and after == "()":
            names.add(command[0])
    return frozenset(names)


def _function_called(command: List[str], functions: frozenset) -> Optional[List[str]]:
    """The words of a call of a function the line defines (NAME ARGS), None when the command
    runs no such function. bash looks a name up as a function before PATH, so a function named
    like a program (``pip() { "$@"; }; pip uv tool install x``) runs its body, not that
    program; ``time``, ``coproc`` and ``eval`` (whose words are read as a line of their own,
    without the functions this line defines) run it too, ``command``/``env``/``exec`` do not."""
    i = 0
    while i < len(command) and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", command[i]):
        i += 1
    while i < len(command) and command[i] in ("time", "coproc", "eval"):
        i += 1
        while i < len(command) and command[i].startswith("-"):
            i += 1  # `time -p`
    words = " ".join(command[i:]).split()  # `eval "f pip install x"`: one word, a command
    if words and words[0] in functions:
        return words
    return None


def _refuse_function_environment(command: List[str], function: str) -> None:
    """``PYTHONPATH=. f``: the assignments in front of a call of a function the line defines
    are in the environment of every command of its body, which Warden reads where the function
    is defined, without them (red team 17 R17-14): refused, whatever the name."""
    if command and _ASSIGNMENT_WORD.match(command[0]):
        raise Unreadable(
            f"the function {function} is called with {command[0].split('=', 1)[0]} set in front "
            "of it, which every command of its body starts with, and Warden reads the body "
            "where it is defined: set the variable inside the function, or export it before"
        )


# programs that may start a command with another environment (the guard's PYTHONPATH gone).
# Not `env`: what it does to the environment is read (``_unwrap``: -i, -u, NAME=value, -S
# split and read again), so `env X=1 pip` is read as `X=1 pip`, and `env -i pip`, `env
# PYTHONPATH= pip` lose the guard through the variables they set. Its options Warden does not
# model (GNU's --argv0 and signal options, uutils' --file: not in ``_WRAPPER_OPTIONS``) refuse
# a command naming an installer (``_refuse_unread``), as before (fix54spell).
_ENVIRONMENT_CHANGERS = frozenset(
    (
        "sudo", "doas", "su", "runuser", "setpriv", "chroot", "systemd-run", "ssh",
        "docker", "podman", "nsenter", "unshare", "flatpak", "pkexec", "sg", "newgrp",
    )
)  # fmt: skip


# The variables a pip's start depends on beyond its files: PYTHONPATH (the guard's folder
# first, so its sitecustomize is the one imported), the others Python reads when it starts
# (PYTHONHOME: another stdlib and site.py; PYTHONPYCACHEPREFIX: other compiled modules...),
# PATH (which program `pip` is).
_PYTHON_OR_PATH = re.compile(r"^(PYTHON[A-Z0-9_]*|PATH)$")

# Python's variables that change how it reports or tunes itself, never which code it runs at
# start or where it finds it (Python's documented environment variables): a kernel or a line
# setting them (`os.environ["PYTHONHASHSEED"] = "0"`, `PYTHONUNBUFFERED=1 pip ...`) keeps its
# pip's guard (red team 11 R11-20: any change refused `git clone && cd && pip install -e .`).
# Any other PYTHON* name, one unknown included, counts (deny by default).
_TUNING_VARIABLES = frozenset(
    (
        "PYTHONHASHSEED", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "PYTHONIOENCODING",
        "PYTHONUTF8", "PYTHONWARNINGS", "PYTHONFAULTHANDLER", "PYTHONTRACEMALLOC",
        "PYTHONPROFILEIMPORTTIME", "PYTHONASYNCIODEBUG", "PYTHONMALLOC", "PYTHONMALLOCSTATS",
        "PYTHONCOERCECLOCALE", "PYTHONDEVMODE", "PYTHONNODEBUGRANGES", "PYTHONINTMAXSTRDIGITS",
        "PYTHONNOUSERSITE", "PYTHONSAFEPATH", "PYTHONVERBOSE", "PYTHONDEBUG",
    )
)  # fmt: skip


def _guard_variable(name: str) -> bool:
    """A Python variable or PATH a pip's start depends on: PYTHONPATH (the guard's folder
    first), PYTHONHOME and the others Python reads to find or run code, PATH (which program
    `pip` is); not ``_TUNING_VARIABLES``."""
    return _PYTHON_OR_PATH.match(name) is not None and name not in _TUNING_VARIABLES


def _start_variable(name: str) -> bool:
    """Whether a start keeps the guard it would inherit only with ``name`` as the process
    started with it: the Python variables and PATH (``_guard_variable``) and the launch
    variables (``LAUNCH_VARIABLES``: an attacker's WARDEN_POLICY_FILE with no digest, red team
    10 R10-1). A shell line that sets, exports, unsets or ``env -u``s one of them starts its
    pip without the guard it would inherit."""
    return _guard_variable(name) or name in LAUNCH_VARIABLES


def _guard_lost(command: List[str], program: str, env: Dict[str, str], line: "_LineState") -> str:
    """Why the pip this simple command starts (``program``: as written) may run without the
    kernel's guard ('' when it inherits it), read on the environment it starts with (``env``:
    the shell's own, what the line's assignments, exports and unsets before it left, the
    command's prefix assignments, its wrappers' effects, ``_unwrap``): a variable its start
    depends on (``_start_variable``: a Python variable, a launch variable) set or unset on the
    way; PATH alone only when the pip it finds cannot host the guard (``_path_loses_guard``).
    What Warden does not resolve counts as losing it: a program that may start pip with
    another environment (``su``, ``ssh``...), a change the line's reading does not follow
    (``line.unresolved``: ``set -a``, ``export $NAME=``, ``X+=v``)."""
    if line.unresolved:
        return line.unresolved
    # a changer runs the pip: a word in front of it (`pip install docker` names a package)
    wrappers = command[: command.index(program)] if program in command else command
    changer = next((w for w in wrappers if _listed_name(w) in _ENVIRONMENT_CHANGERS), None)
    if changer is not None:
        return f"started through {_listed_name(changer)}, which may change its environment"
    changed = sorted(name for name in env if _start_variable(name))
    if changed == ["PATH"]:
        return _path_loses_guard(command, program, env, line) or _python_drops(
            command, program, env
        )
    if changed:
        named = next(name for name in changed if name != "PATH")  # as guardLost names it
        return f"{named} set, changed or unset since the kernel started"
    return _python_drops(command, program, env)


def _python_drops(command: List[str], program: str, env: Dict[str, str]) -> str:
    """Why ``python ... -m pip`` (``program``: the Python as written) runs without the guard
    whatever the environment ('' when it keeps it, or the program is no Python): its options
    (-I/-E/-S, an unknown -X) or an interpreter that cannot host the guard (``python3.7``).
    A pip left to its guard (``child_reads``) must have one (red team 37c R37c-4: `touch x &&
    python -I -m pip install -r r.txt` left r.txt to nobody)."""
    from . import guardless

    if not _PYTHON.match(program_name(program)) or program not in command:
        return ""
    options = command[command.index(program) + 1 :]
    _mode, _target, flags, _rest = python_start(options)
    dropped = "".join(sorted(flags & _GUARD_DROPPING))
    if dropped:
        return f"python -{dropped} starts without Warden's guard"
    if startup_modules.unknown_x_option(options[: len(options) - len(_rest)]):
        return "an -X option Warden does not know harmless may drop its guard"
    if not guardless.hosts_guard(interpreter(program, env), env):
        return f"{program} is not a Python Warden knows can host its guard"
    return ""


def _path_loses_guard(
    command: List[str], program: str, env: Dict[str, str], line: "_LineState"
) -> str:
    """Why a PATH other than the kernel started with may hand the line a pip without the guard
    ('' when it keeps it): a changed PATH matters only through the program it finds (red team
    11 R11-20: `os.environ["PATH"] = venv_bin + ":" + PATH`, a conda env's bin, CUDA's, then
    `git clone URL p && cd p && pip install -e .`). The pip (or ``python -m pip``) the command
    runs itself, found on that PATH, must run a Python that hosts the guard
    (``guardless.hosts_guard``: the kernel's own interpreter, a venv made from it...), which
    its inherited PYTHONPATH then loads. A wrapper in front (``nice pip``), a PATH unset, with
    an expansion or a relative folder, a program Warden cannot place: the guard counts as lost."""
    from . import guardless, pip_program

    why = "PATH changed since the kernel started"
    path = env["PATH"]
    words = _env_unwrapped(command)
    if words[:1] != [program]:
        return f"{why}, and {words[0] if words else 'a wrapper'} starts the pip"
    if not path or _EXPANSION.search(path) or not all(map(os.path.isabs, path.split(os.pathsep))):
        return f"{why} to a value Warden does not resolve (unset, an expansion, a relative folder)"
    try:
        with start_folder(line.cwd):
            found = _placed(program) if os.sep in program else shutil.which(program, path=path)
    except Unreadable as exc:
        return f"{why}: {exc}"
    python = pip_program.interpreter_of(found or "", lambda name: interpreter(name, env))
    if not guardless.hosts_guard(python, env):
        return (
            f"{why}, and the {program} it finds ({found or 'none'}) does not run a Python "
            "Warden knows can host its guard: give the full path of a Python 3.8+ "
            "environment's pip"
        )
    before = [] if os.sep in program else path.split(os.pathsep)
    before = before[: [os.path.join(f, program) for f in before].index(found)] if before else []
    missing = next((f for f in before if not os.path.isdir(f)), None)
    if line.changed and missing:
        # `git clone URL /tmp/w` makes /tmp/w/bin/pip, found first when the shell looks
        return (
            f"{why}, and it names a folder before the {program} Warden finds ({missing}) that "
            "does not exist yet, where an earlier command on the line may put another: "
            f"give the full path of the {program} to run"
        )
    return ""


def _env_unwrapped(command: List[str]) -> List[str]:
    """``command``'s words from its program on, past its assignments and any ``env`` in front
    (`env PATH=/venv/bin pip`: env finds pip on the PATH it sets, as `PATH=/venv/bin pip` does);
    another wrapper stays (``_path_loses_guard`` counts it as losing the guard)."""
    words = list(command)
    for _ in range(4 * MAX_NESTING):
        while words and _ASSIGNMENT_WORD.match(words[0]):
            words = words[1:]
        if not words or _listed_name(words[0]) != "env":
            return words
        try:
            words = _unwrap("env", words[1:], {})
        except Unreadable:
            return words  # not read here: env stays the wrapper that starts the pip
    return words


# An assignment the line reading does not model as a value (red team 11 R11-6, R11-16,
# R11-17): a name written next to an arithmetic or subscript assignment operator (`$((
# PYTHONPATH = 1 ))`, `((PATH++))`, `${PYTHONPATH:=x}`, `PYTHONPATH[0]=x`), a redirection that
# stores its file descriptor in it (`{PYTHONPATH}>file`, `_unmodelled_assignment`), or a
# loop header that assigns its variable (`for NAME in`, `select NAME in`). `read`, `mapfile`,
# `getopts`, `let`, `printf -v` are shell state writers (`_SHELL_STATE_WRITERS`) already.
_NAME_ASSIGNED = re.compile(  # matched where the name ends
    r"\s*(\[[^\]]*\]\s*(?:[-+*/%&|^]|<<|>>)?=|(?:[-+*/%&|^:]|<<|>>)?=(?!=)|\+\+|--)"
)
# bash's tables of which program a name runs, as `hash -p` and `alias` set them
_PROGRAM_TABLES = frozenset(("BASH_CMDS", "BASH_ALIASES"))


def _unmodelled_assignment(script: str) -> str:
    """Why the line may assign a variable a pip's start depends on (``_start_variable``) or a
    name Warden cannot read in a form ``_LineState`` does not follow ('' when it does not):
    read on the text, quotes and all, so a string that becomes such an assignment counts. An
    assignment to bash's program tables is unreadable: any later name may run another program.
    """
    arithmetic = re.search(r"\(\(|\$\[|(^|[\s;&|(])let\s", script) is not None
    for found in re.finditer(r"(\$\{?)?\b([A-Za-z_][A-Za-z0-9_]*)\}?", script):
        dollar, name, end = found.group(1) or "", found.group(2), found.end()
        if dollar == "${" and script.startswith(("=", ":="), end):
            dollar = ""  # `${NAME=v}`, `${NAME:=v}` assign NAME
        if dollar:
            # `$(( $N = 1 ))` assigns the variable N names
            if arithmetic and script[end : end + 1] != "[" and _NAME_ASSIGNED.match(script, end):
                return "an arithmetic assignment to a name Warden cannot read on the line"
            continue
        if not (_start_variable(name) or name in _PROGRAM_TABLES):
            continue
        first = found.start()
        previous = script[first - 1 : first] if first else ""
        # a word of its own (the line's start: '' is in every string)
        plain = script.startswith(("=", "+="), end) and previous in " \t\n;&|"
        if plain and not arithmetic and name not in _PROGRAM_TABLES:
            continue  # `X=v`, `export X=v`: read as the value it sets (`_LineState`)
        k = first
        while k and script[k - 1].isspace():
            k -= 1
        crement = script[max(k - 2, 0) : k] in ("++", "--")  # `++NAME`
        fd_variable = previous == "{" and script[end : end + 1] in ("<", ">")  # `{NAME}>file`
        if _NAME_ASSIGNED.match(script, end) or crement or fd_variable:
            if name in _PROGRAM_TABLES:
                raise Unreadable(
                    f"it assigns {name}, which changes the program a name runs (as hash or "
                    "alias do): run the program by its path"
                )
            return f"{name} assigned in a form Warden does not follow on the line"
    return ""


def _moves(words: List[str]) -> bool:
    """Whether a simple command may change the shell's folder (``cd``, ``pushd``, ``popd``,
    behind reserved words and ``command``/``builtin``/``time``)."""
    words = _command_words(words)
    while words and _ASSIGNMENT_WORD.match(words[0]):
        words = words[1:]
    inner = line_flow.unwrap_builtin(words)
    return bool(inner) and inner[0] in ("cd", "pushd", "popd")


def _assigned_by_name(commands, places: List[line_flow.Place]) -> str:
    """Why the line may assign a variable a pip's start depends on in a way ``_LineState``
    does not follow in text order ('' when it does not): a builtin that assigns a variable
    named by an operand (red team 12 R12-16: ``coproc PYTHONPATH { :; }``, ``wait -n -p
    PYTHONPATH``, ``read PATH``, ``declare -n r=PATH``), or any assignment of one inside a
    loop or a function body (it runs again, or later, than where it stands: R12-11)."""
    for (command, *_), place in zip(commands, places):
        words = _command_words(command)
        i = 0
        while i < len(words) and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[i]):
            i += 1
        inner = line_flow.unwrap_builtin(words[i:])
        # `X=v`, `export X=v`, `unset X` are read as the values they set (`_LineState`)
        modelled = not inner or (
            inner[0] in _STATE_BUILTINS | {"unset"} and not any(a[:1] in "-+" for a in inner[1:])
        )
        # `PYTHONPATH=src python x.py` sets the command's own environment (`_guard_lost`);
        # a bare `X=v` (or one before a special builtin) sets the shell's
        stays = not inner or inner[0] in _SPECIAL_BUILTINS
        named = [(n, stays) for n in line_flow.names_assigned(words[:i])]
        named += [(n, True) for n in line_flow.names_assigned(words[i:])]
        for name, shells in named:
            if _start_variable(name) and shells and (place.loop is not None or not modelled):
                return f"{name} assigned by {(inner or words)[0]} in a form Warden does not follow"
    return ""


# What `cd` reads besides its operand: CDPATH (searched first), HOME (`cd`, `~`), PWD and
# OLDPWD (`cd ..` from a logical folder, `cd -`). A line that assigns one, in any form, moves
# to folders Warden does not tell (red team 12 R12-2: `${CDPATH:=/x}`, `for CDPATH in /x`).
_CD_NAMES = ("CDPATH", "HOME", "PWD", "OLDPWD")
_CD_ALTERNATIVES = "|".join(_CD_NAMES)
_CD_VARIABLES = re.compile(rf"(?<![$\w{{])({_CD_ALTERNATIVES})\b|\$\{{({_CD_ALTERNATIVES})[:=]")


_HOME_ASSIGNED = re.compile(r"(?<![$\w{])HOME\b|\$\{HOME[:=]")


# a word of eval's text that changes the shell's folder, or text Warden cannot read as words
_EVAL_MOVES = re.compile(r"(?:^|[\s;&|(){}!])(?:cd|pushd|popd)(?:$|[\s;&|()])|[$`\\'\"]")


def _eval_may_cd(args: List[str], functions: frozenset) -> bool:
    """Whether `eval ARGS` may change the shell's folder: its text names cd, pushd or popd, or
    holds an expansion or quoting Warden does not read as words here, or an alias or a
    function of the line may stand for one (`f(){ cd sub; }; eval f`: the body runs in the
    shell itself; `eval "echo 2 > out.txt"` does not move: its folder stays told)."""
    return bool(_EVAL_MOVES.search(" ".join(args))) or bool(_LINE_ALIASES.get()) or bool(functions)


def _physical(args: List[str]) -> bool:
    """Whether `set ARGS` (or `shopt -so ARGS`) may turn bash's physical option on (`-P`,
    `-eP`, `-o physical`, an option word Warden cannot read)."""
    return any(
        arg == "physical" or re.match(r"^-[A-Za-z]*P", arg) or _EXPANSION.search(arg)
        for arg in args
    )


def _cd_variables_assigned(script: str) -> str:
    """Names the first variable ``cd`` reads that the line may assign ('' when none): any
    mention but a plain ``$NAME`` / ``${NAME}`` read. ``CDPATH=x cd d`` is read too."""
    found = _CD_VARIABLES.search(script)
    return (found.group(1) or found.group(2)) if found else ""


class _LineState:
    """What the earlier commands of a shell line did to a later install: the folder it runs in
    (``cd DIR``), the variables they set (``X=v;``, ``export X=v``), whether one may have
    changed the files or settings it reads (red team 7 R7-16: ``echo ... > r.txt; uv pip
    install -r r.txt``)."""

    def __init__(self, subshells: bool, env: Dict[str, str]):
        self.subshells = subshells  # `( cd x && ... )`: where a later command runs is not modelled
        self.scope_unsure = subshells  # assignments that may run apart (``assignment_scope``)
        self.cwd: Optional[str] = ""
        # with ``cwd`` None after a cd Warden followed that may not have run (`cd d; x`): each
        # folder the line may be in (``_MAYBE_FOLDERS``); the folders its current and-or
        # list's followed cds left (`cd a && cd b; x`: '', a or b)
        self.maybe: Tuple[str, ...] = ()
        self._left: Set[str] = set()
        self.here: Optional[str] = ""  # the folder the command being read runs in (as cwd)
        self.env: Dict[str, str] = dict(env)
        self.changed = ""  # the program of the first earlier command that may write
        self.shell_changed = ""  # ... of the first that may change the shell itself
        self.unresolved = ""  # an earlier change to the environment Warden does not follow
        self.program_written = ""  # ... of the first that may write a program file (R12-4)
        self.cd_variables = ""  # the line assigns a variable cd reads (CDPATH, HOME...)
        self.moved = False  # a cd ran in the current and-or list (`a && cd d || b`)
        self.either = False  # ... which has a `||`: a command after it runs when one failed
        self.wrote = False  # a command of this line may write (one in a subshell of it too)
        # what its writers wrote and where they may make links (``_write_places``), for the
        # line a command substitution's inside runs in (red team 23)
        self.placed: list = []
        self.linked: list = []
        # where its commands may make a name (``_made_places``: mkdir's too), for ``dangling``
        self.makers: list = []
        # the names the line assigned a value holding an expansion Warden does not resolve
        # (`OUT=${HOME}/data`, `export N=$(nproc)`): their value is unknown to a later reading
        self.unresolved_values: Set[str] = set()
        # the names the line assigns by a form read as no value (`for NAME in`, `read NAME`,
        # `${NAME:=v}`...: shell_values.unknown_names), wherever they stand (R13-19)
        self.unknown_names: Set[str] = set()
        self.exported: Set[str] = set()  # the names it exports anywhere (``unknown_exports``)
        self.pending: Set[str] = set()  # set after `&&`: unknown once the list ends (F8)
        self.unset_names: Set[str] = set()  # unset on the line: not the kernel's value
        self.keyword = False  # bash `set -k` on the line (R13-20)
        self.path_unknown = False  # PATH assigned a value Warden cannot resolve (R13-18)
        self.literal = ""  # the line's single-quoted and escaped text: `'$X'` is no expansion
        # the first command that changes the shell's own state (a variable, the folder, an
        # alias, an option, a sourced file...): what a trap action may not do (R39b-3)
        self.state_changed = ""
        # the first earlier command that may change files or folders (not only the shell's
        # own state): a folder there when the line is read may be gone when a cd runs
        self.tree_changed = ""

    def start_env(self) -> Dict[str, str]:
        """The environment a command of the line starts with, as Warden reads it: the line's
        values, and a Python or launch variable the line assigns by a form read as no value
        (``for PYTHONPATH in``, ``read``, a nameref) as unknown (red team 17 R17-15). PATH's
        own rule is ``refuse_unknown_path``; a name the line computes (``export $(grep -v '^#'
        .env | xargs)``, R14-2's ordinary line) is not counted: open, docs/threat-model.md."""
        # and a setting a writer of the list names its files by (``cp -b`` after `read
        # SIMPLE_BACKUP_SUFFIX`)
        unknown = {n for n in self.unknown_names if n in line_writers.INHERITED_SETTINGS}
        names = {n for n in self.unknown_names if _start_variable(n) and n != "PATH"} | unknown
        env = {**self.env, **{name: UnknownValue() for name in names}}
        # ... and every such name it exports, flagged: a program started with one is refused
        # (``unknown_exports``, red team 90 F7)
        found = unknown_exports.names(
            self.unknown_names, env, UnknownValue, self.exported, set(os.environ)
        )
        return unknown_exports.mark(env, found, UnknownValue)

    def inherited(self) -> Dict[str, str]:
        """The kernel's variables the line has not unset (what `$NAME` expands to when the
        line does not assign NAME)."""
        return {k: v for k, v in os.environ.items() if k not in self.unset_names}

    def resolved(self, value: str, inherit: bool = False) -> Optional[str]:
        """``value`` with its plain ``$NAME``/``${NAME}`` expansions replaced by the values
        the line assigned (red team 13 R13-18: ``X=DIR; export UV_INDEX_URL=$X``); with
        ``inherit`` (PATH), a name the line neither assigns nor unsets by what the shell
        inherits ('' when unset: ``$HOME/.local/bin:$PATH``); None when it holds another
        expansion, a name whose value is unknown, or a ``$`` the shell does not expand
        (``'$X'``)."""
        if "\\$" in self.literal:
            return None
        unknown = self.unknown_names | self.unresolved_values
        inherited = os.environ

        def lookup(name: str) -> Optional[str]:
            # `'$X'`, `'${X}'`: the shell does not expand a quoted name (red team 88 FR2)
            quoted = "$" + name in self.literal or "${" + name in self.literal
            if quoted or name in unknown or shell_values.ANY in unknown:
                return None
            if name == "PWD":
                return self.pwd()
            if name in self.env:
                return self.env[name]
            if not inherit or name in self.unset_names or name in shell_values.SPECIAL:
                return None
            return inherited.get(name, "")

        def shell_value(name: str) -> Optional[str]:
            return lookup(name) if name == "PWD" else None  # the shell's other values: unknown

        return shell_values.resolve(value, lookup, _EXPANSION, _SUBSTITUTION, shell_value)

    def pwd(self) -> Optional[str]:
        """What ``$PWD`` names for the command being read: the folder it runs in (the start's
        real folder, then the line's ``cd``). Bash at its start keeps an inherited PWD only
        when it names the folder getcwd does, so the folder, not the kernel's PWD, is what it
        names. None when a ``cd`` left the folder unknown or the line (or the shell's start)
        assigns or unsets PWD itself (red team 38b R38b-5: ``export PYTHONPATH=$PWD/src``)."""
        base = current_folder()
        if "PWD" in self.env or self.here is None or base is None:
            return None
        # the start's folder as the system finds it (R48a-2), then the line's logical cd
        return os.path.join(in_full(base), self.here) if self.here else in_full(base)

    def value(self, name: str) -> Optional[str]:
        """What ``$NAME`` holds at this point of the line as Warden reads it (None: unknown):
        what the line assigned, '' once unset, else what the shell inherits."""
        unknown = self.unknown_names | self.unresolved_values
        if name in unknown or shell_values.ANY in unknown or name in shell_values.SPECIAL:
            return None
        if name == "PWD":
            return self.pwd()
        if name in self.env:
            held = self.env[name]
            # `env -i bash -c 'PATH+=d'`: the shell starts from a default of its own
            return None if isinstance(held, (UnknownValue, unset.Unset)) else held
        return "" if name in self.unset_names else os.environ.get(name, "")

    def appended(self, command: List[str]) -> List[str]:
        """``command`` with its appending assignments (``PATH+=DIR``, ``export X+=v``) as
        plain ones (``appends``); a name appended to whose value the line does not know is
        unknown from here on (PATH: ``refuse_unknown_path``)."""
        words, unknown = appends_rewritten(
            command, self.value, _STATE_BUILTINS, line_flow.unwrap_builtin
        )
        if words != command:
            # a guarded pip after it is read as before: a change the line may not follow
            self.unresolved = self.unresolved or "an appending assignment (NAME+=...) on the line"
        self.unknown_names |= unknown
        return words

    def prefix_resolved(self, command: List[str]) -> List[str]:
        """``command`` with the values of its assignment words (its own and its wrappers':
        ``env PATH=$PWD/b:$PATH x``) as the shell gives them, where the line tells them
        (``prefix_values``; red team 88 FR2): read as ``export PATH=$PWD/b:$PATH`` is."""
        if not any(_ASSIGNMENT_WORD.match(w) and "$" in w for w in command):
            return command
        own = 0
        while own < len(command) and _ASSIGNMENT_WORD.match(command[own]):
            own += 1
        try:
            argv = program_argv(command)
        except ValueError:  # `env -S` with unbalanced quotes: its own words only
            argv = ["$"]
        # the wrappers' words up to the program (as ``_refuse_expansion`` reads them)
        before = len(command) - len(argv)
        end = before if before >= 0 and command[before:] == argv else own
        touched = self.unknown_names | self.unresolved_values | self.unset_names | set(self.env)
        plain = not touched & {"IFS", shell_values.ANY}
        return prefix_resolved_words(command, own, end, _reading_variable, self._told, plain)

    def _told(self, value: str) -> Optional[str]:
        """``value`` resolved as ``export`` reads it; None where a name it expands is one the
        start holds as unknown or removed (``env -i``, ``exec -c``), or one neither the line
        nor the shell's environment has (``PATH=$X:$PATH`` with no X: '' to the shell, but
        a name Warden cannot tell is not set by what runs the line; the shared vectors of
        R13-9 keep it refused on both sides)."""
        for name in re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", value):
            held = self.env.get(name)
            if isinstance(held, (UnknownValue, unset.Unset)):
                return None
            if held is None and name != "PWD" and name not in os.environ:
                return None
        return self.resolved(value, inherit=True)

    def refuse_unknown_path(self, command: List[str], functions) -> None:
        """A program found by name on a PATH the line set to a value Warden cannot resolve
        may be any program (a link named ``ls`` to uv: red team 13 R13-18)."""
        if not (self.path_unknown or "PATH" in self.unknown_names):
            return
        i = 0
        while i < len(command) and _ASSIGNMENT_WORD.match(command[i]):
            i += 1
        inner = line_flow.unwrap_builtin(command[i:])
        name = inner[0] if inner else ""
        if not name or "/" in name or name in shell_values.BUILTINS or name in functions:
            return
        raise Unreadable(
            f"{name} is looked up on a PATH the line set to a value Warden cannot resolve "
            "before the shell runs it: write PATH's folders out, or give the program's full path"
        )

    def subshell(self) -> "_LineState":
        """The state a command substitution starts in: this line's, its folder as the start
        folder (a relative one is ``start_folder``'s)."""
        sub = _LineState(self.subshells, self.env)
        sub.scope_unsure = self.scope_unsure
        sub.cwd = None if self.cwd is None else ""
        sub.here = sub.cwd
        sub.changed, sub.shell_changed = self.changed, self.shell_changed
        sub.unresolved = self.unresolved
        sub.program_written, sub.cd_variables = self.program_written, self.cd_variables
        sub.unresolved_values = set(self.unresolved_values)
        sub.unknown_names, sub.unset_names = set(self.unknown_names), set(self.unset_names)
        sub.exported = set(self.exported)
        sub.keyword, sub.literal = self.keyword, self.literal
        sub.path_unknown = self.path_unknown
        sub.tree_changed = self.tree_changed
        return sub

    def begin(self, before: str) -> None:
        """Enters the next command, joined to the previous one by ``before``. A ``cd`` holds
        only for the commands that run when it succeeded: those after it joined by ``&&``
        alone (``git clone URL p && cd p && pip install -e .``). After ``||``, or once its
        and-or list ends (``cd d; x``: x runs also when the cd failed), the folder is unknown
        (red team 12 R12-11: ``false && cd d; cd d; ./ls``)."""
        if before != "&&":  # `false && X=v; cmd`: X may be either (``assignment_scope``)
            self.unknown_names |= self.pending
            self.pending = set()
        if before == "&&":
            return
        if before == "||":
            self.either = True
        elif not before or before not in ("|", "|&"):
            self.either = False
        if self.moved and self.cwd is not None:
            # where each followed cd of the list stopped, or the folder it left (it failed)
            self.maybe = tuple(sorted(self._left | {self.cwd}))
            self.cwd = None
        self.moved = self.moved and before in ("||", "|", "|&")
        if not self.moved:
            self._left = set()

    def lose_folder(self) -> None:
        """A cd Warden does not follow (or a function that may cd) ran: the folder the line
        is in is unknown, each one it may be in too."""
        self.cwd, self.maybe, self._left = None, (), set()

    def problem(
        self, tool: str, guard_lost: str, folder: Optional[str] = "", unresolved: str = ""
    ) -> str:
        """Why an install at this point of the line cannot be read ('' when it can); set on
        its invocations, so a command that installs nothing (``pip list``) still runs.

        pip inherits the guard, which decides its install again when it starts, with the
        files, settings and folder as they are then (``git clone URL && cd x && pip install
        -e .``): for pip only a change to the shell itself counts (an alias, a sourced script).
        uv and conda are native programs that nothing decides again (red team 7 R7-16). A
        pip that may start without the guard (``guard_lost``: the line sets or unsets
        PYTHONPATH, PYTHONHOME, PATH before it, ``sudo``, ``env -u``...) counted as uv does
        until red team 45b.
        ``unresolved``: a variable the install starts with whose value the line made from an
        expansion (``unresolved_value``): the guard a pip inherits reads it as it is then,
        Warden reads uv's and conda's settings before the line runs (red team 13 R13-9).

        Such a pip is refused when it installs (red team 45b R45b-1, ``guard_lost_pip_problem``):
        what its guard decides in pip's own process (the links pip parses, its HTTP and wheel
        caches, a dependency's direct reference) no reading before it starts can see. In a
        kernel without the launch guard every pip is guardless (R9-5) and is read as uv's."""
        if tool == "pip" and guard_lost and not UNLAUNCHED.get():
            return guard_lost_pip_problem(guard_lost)
        pip = tool == "pip" and not guard_lost
        if unresolved and not pip:
            return (
                f"the install starts with {unresolved} set by the line to a value (a shell "
                "expansion, a loop, read...) Warden cannot resolve before the shell runs it: "
                "write the value out, or run the install as its own command"
            )
        changed = self.shell_changed if pip else self.changed
        if changed:
            lost = f" (this pip may start without Warden's guard: {guard_lost})"
            return (
                f"an earlier command on the line ({changed}) may write the files or "
                "settings the install reads, and Warden reads them before the line runs"
                f"{lost if tool == 'pip' and guard_lost else ''}: run the install as its own "
                "command"
            )
        if folder is None and not pip:
            return (
                "an earlier command on the line changes to a folder Warden cannot tell (a cd "
                "holds for the commands joined to it by && only): run the install as its own "
                "command from that folder, or as `cd DIR && INSTALL`"
            )
        return ""

    def writer_places(self, inv, command: List[str], folder, makers: tuple) -> Optional[tuple]:
        """``makers`` when ``problem`` refuses a uv only for the line's earlier writers (the
        folder it runs in followed, no value the line computes): ``Invocation.writer_places``."""
        if inv.tool != "uv" or not self.changed or folder is None:
            return None
        if self.unresolved_value(command, inv.env):
            return None
        return tuple(makers)

    def update(
        self,
        command: List[str],
        place: Optional[line_flow.Place] = None,
        before="",
        after="",
        functions: frozenset = frozenset(),
    ) -> str:
        """Applies the command's effect on the line (``place``: where it stands in the line's
        control flow; ``before``/``after``: the operators around it; ``functions``: the names
        the line defines as functions); returns its program name ('' for a bare assignment)."""
        # a subshell's, a branch's, a function body's, a special builtin's prefix assignments
        # may not hold after it: unknown (red team 90 F8)
        nested = place is not None and place.nested or self.scope_unsure  # `( X=v )` too
        self.unknown_names |= assignment_scope.unsure(command, nested, before, after, self.either)
        self.pending |= assignment_scope.pending(command, before)
        i = 0
        while i < len(command) and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", command[i]):
            i += 1
        if i == len(command):
            if command:  # (a redirection alone has no words)
                self.state_changed = self.state_changed or f"the assignment {command[0]}"
            self._assign(command)
            return ""
        shown = _listed_name(command[i])
        # `command cd d`, `builtin export X=v`: the builtin runs in the shell itself (R12-3)
        inner = line_flow.unwrap_builtin(command[i:])
        if not inner:
            return shown
        name, args = _listed_name(inner[0]), inner[1:]
        if name in _SHELL_STATE_CHANGERS:
            self.state_changed = self.state_changed or name
        if name == "shopt" and _turns_on_cdable_vars(args):
            _CDABLE_VARS.set(True)
        if re.match(r"^[A-Za-z_][A-Za-z0-9_]*\+=", command[i]):
            self.unresolved = self.unresolved or "an appending assignment (NAME+=...) on the line"
        if name in ("for", "select") and i == 0:
            # the loop assigns its variable each round (red team 11 R11-6)
            target = args[0] if args else ""
            # `for ((i=0;i<3;i++))`: its header, read as arithmetic (masked `::...`), assigns
            # what the line's text reading finds (``_unmodelled_assignment``), no loop variable
            arithmetic = name == "for" and target.startswith("::")
            if not arithmetic and (
                _start_variable(target) or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", target)
            ):
                self.unresolved = self.unresolved or f"{name} {target} assigns it on the line"
        if i and name in _SPECIAL_BUILTINS:
            self._assign(command[:i])  # `PYTHONPATH= :`: sh (dash) keeps them (POSIX)
        if name == "set" and i == 0 and _sets_export_options(args):
            self.unresolved = self.unresolved or "set -a or -k on the line exports assignments"
        names = [a.split("=", 1)[0] for a in args]
        if name in _STATE_BUILTINS | {"unset"} and any(_EXPANSION.search(n) for n in names):
            self.unresolved = self.unresolved or f"{name} of a name Warden cannot read"
        if name == "eval":
            # eval's text runs in the shell itself: what it may assign is unknown from here
            # on, PATH and the Python variables too (red team 88 F1)
            why = eval_unreadable(args)
            if why:
                raise Unreadable(why)
            self.unknown_names |= eval_assigned(args)
        if name in ("source", ".") or (name == "eval" and _eval_may_cd(args, functions)):
            # text run in the shell itself may cd (`eval cd`, a sourced file's `cd`): where the
            # line is after it is not told (red team 83 F2)
            self.lose_folder()
            self.moved = True
        if name in ("set", "shopt") and _physical(args):
            # bash's `set -P`: a later `cd ..` is the physical parent (red team 83 F5)
            self.cd_variables = self.cd_variables or "set -P"
        if name in ("cd", "pushd", "popd") and after in ("|", "|&"):
            # a pipeline's stage before its last runs in a subshell of its own (bash, dash;
            # only the last may run in the shell itself, under lastpipe): it moves neither the
            # stages after it nor the later commands (`pushd sub |& uvx ...`, `cd d | true; x`)
            return name
        if name in ("cd", "pushd"):
            # `cd -P` resolves links first: a later `..` is not the folder Warden would read
            target = [a for a in args if not re.match(r"^-[Le@]+$", a)][:1]
            plain = target and not (
                target[0].startswith(("~", "-", "+")) or _EXPANSION.search(target[0])
            )
            # runs once, in the shell itself, and only when the commands before it in its
            # and-or list succeeded (R12-11): not in a loop, a branch, a pipeline, the
            # background, after `||`; not after the line assigns CDPATH or HOME (R12-2)
            linear = not (
                (place is not None and place.nested)
                or self.either
                or before in _CONCURRENT
                or after in _CONCURRENT
                or self.cd_variables
                # bash started with SHELLOPTS holding physical (its environment's)
                or "physical" in {**self.inherited(), **self.env}.get("SHELLOPTS", "")
            )
            self.moved = True
            if self.cwd is not None and plain and not self.subshells and linear:
                prefix = dict(w.split("=", 1) for w in command[:i])  # `CDPATH=x cd d`
                # `cd v` with no folder v under cdable_vars: the folder the variable v names
                there = not _CDABLE_VARS.get() or self._folder_there(target[0])
                self._left.add(self.cwd)
                self.cwd = _cd_folder(self.cwd, target[0], {**self.env, **prefix})
                if not there or self.cwd is None:
                    self.lose_folder()
            else:
                self.lose_folder()
        elif name == "popd":
            self.lose_folder()
            self.moved = True
        elif name == "printf" and args[:1] and args[0].startswith("-v"):
            return "printf -v"  # sets a variable Warden does not follow
        elif _PYTHON.match(name) and args and all(a in _PY_INFO for a in args):
            return "python --version"
        elif name in _STATE_BUILTINS and i == 0:
            if any(a.startswith(("-", "+")) for a in args):
                self._declare(name, args)
                if not shell_values.options_read_as_value(name, args):
                    return "an assignment with options"  # a shell state writer all the same
                return name  # `declare -x X=v`, `export -n X`: as `export X=v` (R18-8)
            self._assign(args)
        elif name == "unset" and i == 0:
            if not any(re.match(r"^-[a-z]*f", a) for a in args):  # `unset -f`: functions
                self._unset([a for a in args if not a.startswith("-")])
        return name

    def _folder_there(self, target: str) -> bool:
        """Whether the folder ``cd TARGET`` names from where the line is is there now, and no
        earlier command of the line may have removed or made it: under bash's ``cdable_vars``
        a ``cd NAME`` to no folder moves to the folder the variable NAME names (red team 39b
        R39b-2)."""
        base = current_folder()
        if base is None or self.cwd is None or self.tree_changed:
            return False
        return os.path.isdir(os.path.join(in_full(base), self.cwd, target))

    def _unset(self, names: List[str]) -> None:
        """``unset NAME``, ``export -n NAME``, ``declare +x NAME``, ``env -u NAME``: the commands
        after it start without NAME, read as '' (what Warden reads as not set) so the
        kernel's own value is not read in its place (red team 17 R17-15: ``unset UV_INDEX_URL``
        sent uv to its default index while Warden read the kernel's); the guard's entry
        gone (red team 8 R8-17), a launch variable (9 R9-1), PATH changed."""
        for a in names:
            a = a.split("=", 1)[0]
            self.env[a] = ""
            self.unresolved_values.discard(a)
            self.unset_names.add(a)

    def _declare(self, name: str, args: List[str]) -> None:
        """A declaring builtin with options (red team 17 R17-15), as bash applies them to what
        the commands after it start with: ``export -n``/``declare +x`` stop exporting (the
        variable is gone for them), ``-x``/``export`` with a value assign it (the line reads
        every assignment as exported), ``export -f``/``declare -fx`` export a function (bash
        starts its child shells with BASH_FUNC_NAME%%), and a value bash transforms
        (``-i``, ``-l``, ``-u``, ``-n``, ``-a``, ``-A``, ``-I``) is unknown."""
        on, off, k = set(), set(), 0
        while k < len(args) and args[k][:1] in ("-", "+") and args[k] != "--":
            (on if args[k][0] == "-" else off).update(args[k][1:])
            k += 1
        operands = args[k + (args[k : k + 1] == ["--"]) :]
        if on & {"p"} and not operands:
            return  # `declare -p`, `export -p`: print
        exported = "x" in on or (name == "export" and "n" not in on)
        unexported = "x" in off or (name == "export" and "n" in on)
        if on & {"f", "F"}:
            if exported and not unexported:
                for word in operands:
                    self.env[f"BASH_FUNC_{word}%%"] = "() { unknown; }"
            return
        if unexported:
            self._unset(operands)
        elif (on | off) & set("ilunaAI"):
            for word in operands:
                self.env[word.split("=", 1)[0]] = UnknownValue()
        else:
            self._assign([word for word in operands if "=" in word])

    def unresolved_value(self, command: List[str], env: Dict[str, str]) -> str:
        """The first installer setting (``_INSTALLER_SETTING``) of ``env`` (what a command
        starts with) whose value the line, or the command's own assignments, made from an
        unresolved expansion ('' when none): ``export UV_INDEX_URL=$U; uv pip install torch``
        (``PATH=$X`` changes which uv runs, not what it installs)."""
        unknown = set(self.unresolved_values)
        for word in command:
            if not _ASSIGNMENT_WORD.match(word):
                break
            name, _eq, value = word.partition("=")
            if _EXPANSION.search(value):
                unknown.add(name)
        unknown = {name for name in unknown if _INSTALLER_SETTING.match(name)}
        found = next((name for name in sorted(env) if name in unknown), "")
        # assigned by a form read as no value (`for UV_INDEX_URL in`, `read`, `${N:=v}`):
        # counted whether or not the line exports it (stricter; R13-19)
        named = sorted(n for n in self.unknown_names if _INSTALLER_SETTING.match(n))
        if shell_values.ANY in self.unknown_names:
            named.append("a variable whose name the line computes (${!NAME:=...}, export $V)")
        return found or next(iter(named), "")

    def _assign(self, words: List[str]) -> None:
        for word in words:
            key, eq, value = word.partition("=")
            if eq:
                resolved = self.resolved(value) if _EXPANSION.search(value) else value
                if key == "PATH":
                    # which program a bare name runs: inherited names count as known (R13-18)
                    searched = self.resolved(value, inherit=True) if resolved is None else resolved
                    self.path_unknown = searched is None
                    resolved_path = searched
                self.env[key] = value if resolved is None else resolved  # read as exported
                if key == "PATH" and resolved_path is not None:
                    self.env[key] = resolved_path
                self.unset_names.discard(key)
                if resolved is None:
                    self.unresolved_values.add(key)
                else:
                    self.unresolved_values.discard(key)
                if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", key):  # `export X+=v`, `$N=v`
                    self.unresolved = self.unresolved or f"an assignment to {key!r} on the line"


class UnknownValue(str):
    """The value of a variable the line assigns in a form Warden does not read as a value
    (``declare -u``, ``for``, ``read``, a nameref): a Python started with such a Python
    variable cannot be read as guarded or guardless (red team 17 R17-15)."""

    def __new__(cls):
        return super().__new__(cls, "${unknown}")


# bash's cdable_vars option (`shopt -s cdable_vars`, `bash -O cdable_vars`) is on in the
# shell being read: `cd NAME` with no folder NAME moves to the folder the variable NAME names
# (red team 39b R39b-2). Set by the reading of the shell's own commands (an `eval`'s too, which
# runs in it); a shell of its own (`bash -c`) starts from its options.
_CDABLE_VARS: ContextVar[bool] = ContextVar("warden_cdable_vars", default=False)


def _turns_on_cdable_vars(args: List[str]) -> bool:
    """Whether ``shopt ARGS`` may turn cdable_vars on: ``-s`` with the name, or with a name
    made by an expansion Warden does not read (stricter)."""
    setting = any(a.startswith("-") and "s" in a[1:] for a in args)
    names = [a for a in args if not a.startswith("-")]
    return setting and any(n == "cdable_vars" or _EXPANSION.search(n) for n in names)


def _cdable_vars_start(start: shell_options.ShellStart) -> bool:
    """Whether a shell started with these options has cdable_vars on (``-O cdable_vars``,
    last wins with ``+O``)."""
    state = False
    for item in start.options:
        if item[1:] == "O cdable_vars":
            state = item[0] == "-"
    return state


def _cd_folder(cwd: str, target: str, env: Dict[str, str]) -> Optional[str]:
    # `cd link/../x`: bash falls back to the PHYSICAL path when the logical one does not exist
    # (dash and `bash --posix` fail; red team 12 R12-1): a `..` after a folder name is left
    # unknown, whatever the name is (the static port reads the text only), and so is a `..`
    # above the start whose logical folder is not there
    parts = os.path.join(cwd, target).split("/")
    if any(p == ".." and k and parts[k - 1] not in ("..", "") for k, p in enumerate(parts)):
        return None
    folder = _logical_folder(cwd, target, env)
    if (
        folder is not None
        and folder.startswith("/")
        and ".." in parts
        and not os.path.isdir(folder)
    ):
        return None
    return folder


def _logical_folder(cwd: str, target: str, env: Dict[str, str]) -> Optional[str]:
    """The folder ``cd TARGET`` moves to from ``cwd`` (relative: from the start's folder), as
    the shell finds it (red team 11 R11-1); None when Warden cannot tell. A CDPATH (on the
    line or inherited) is searched first for a target not starting with ``/``, ``./`` or
    ``../``. ``cd`` is logical: ``link/..`` is the folder the link is in (not the parent of
    its target), and a ``..`` above the start's folder is the parent of the shell's PWD when
    PWD names that folder (else of its real path)."""
    if env.get("CDPATH", os.environ.get("CDPATH", "")) and not re.match(r"^(/|\.\.?(/|$))", target):
        return None
    folder = os.path.normpath(os.path.join(cwd, target))
    if folder != ".." and not folder.startswith("../"):
        return "" if folder == "." else folder
    base = _START_FOLDER.get()
    if base is None:
        return None
    here = os.path.realpath(base or ".")
    pwd = env.get("PWD", os.environ.get("PWD", ""))
    start = os.path.abspath(pwd) if pwd and os.path.realpath(pwd) == here else here
    return os.path.normpath(os.path.join(start, folder))


def _sets_export_options(args: List[str]) -> bool:
    """Whether ``set ARGS`` turns on allexport (``-a``: every assignment exported) or keyword
    (``-k``: ``NAME=v`` words anywhere on a command go to its environment)."""
    k = 0
    while k < len(args) and args[k][:1] in ("-", "+") and args[k] not in ("--", "-"):
        word = args[k]
        if word[0] == "-" and re.search(r"[ak]", word[1:]):
            return True
        if word.endswith("o"):  # `-o NAME`, `-eo NAME`
            if args[k + 1 : k + 2] in (["allexport"], ["keyword"]):
                return True
            k += 1
        k += 1
    return False


def _own_redirections(
    inv: Invocation, placed: Invocation, guard_lost: str, written: List[str], folder: Optional[str]
) -> Invocation:
    """An install's own output redirection to a file it may read (``own_redirect``) counts as
    a writer before it, as an earlier command's does (``_LineState.problem``): the shell opens
    (and empties) the file before the installer starts (``uv pip install -r r.txt P 2>r.txt``,
    red team 54a R54a-3). A pip that keeps the guard decides again when it starts, after the
    redirection; uv and conda are read only before the line runs. What the line shows is
    weighed here (``problem``); the targets are kept (``redirected``) to weigh against the
    files the install's reading reads (the gate, after reading: R55b-1, R55b-2). ``inv``: as
    the command gives it (its ``cwd`` from ``folder``); ``placed``: with the line's folder and
    problem, what is returned."""
    if placed.problem or not written or (inv.tool == "pip" and not guard_lost):
        return placed
    with start_folder(folder):
        here = current_folder()  # from this process's folder ('' its own), None: not known
    here = None if here is None else os.path.join(here or ".", inv.cwd)
    given = startup_modules.START_ENVIRON.get()
    inherited = dict(os.environ if given is None else given)
    problem = own_redirect.problem(inv, written, {**inherited, **inv.env}, here)
    if problem:
        return placed._replace(problem=problem)
    return placed._replace(redirected=own_redirect.placed(written, here))


def _writes_nothing(invocations: List[Invocation], folder: Optional[str]) -> bool:
    """Whether none of a command's installs writes a file (``installer_writes``), each with
    the environment it starts with (the kernel's variables, the line's over them) and from
    the folder it starts in: pip's settings and `uv venv`'s folder count (red team 55b), and
    what runs must be the installer named (``reader_program``, red team 56c)."""
    with start_folder(folder):
        here = current_folder()  # from this process's folder ('' its own), None: not known
    given = startup_modules.START_ENVIRON.get()
    inherited = dict(os.environ if given is None else given)
    if not installer_writes.none(invocations, inherited, None if here is None else here or "."):
        return False
    with start_folder(folder):
        # a program merely named like the installer, or a `-m pip` the folder's pip/ stands
        # for, runs something else: a writer (red team 56c R56c-1, R56c-5)
        return all(reader_program.trusted(i, {**inherited, **i.env}) for i in invocations)


def _may_write(program: str, invocations: List[Invocation]) -> bool:
    """Whether a command may write files anywhere a later command on the line reads (its
    places read by ``_write_places``): any program but the ones that write nothing and the
    installs Warden reads; an installer that runs a command (``uv run``, ``uvx``, ``conda
    run``, front ends) or writes the files it fetches or compiles may write. An install that
    is none of these is still a writer for a later install (``installer_writes``, red team
    54a: see where ``shell_invocations`` calls it)."""
    if not invocations:
        return bool(program) and program not in _NO_WRITE
    return not all(_plain_install(inv) for inv in invocations)


def _plain_install(inv: Invocation) -> bool:
    if inv.tool == "pip":
        from .arguments import PIP_LONG, subcommand_start

        # pip download and pip wheel write the files they fetch (red team 50a R50a-5)
        valued = {name for name, takes in PIP_LONG.items() if takes}
        start = subcommand_start(inv.args, valued, installer_writes.PIP_COMMANDS)
        return inv.args[start : start + 1] not in (["download"], ["wheel"])
    if inv.tool == "uv":
        from .arguments import UV_COMMANDS, UV_VALUED, subcommand_start

        start = subcommand_start(inv.args, UV_VALUED, UV_COMMANDS)
        if inv.args[start : start + 1] == ["pip"] and _uv_compile_writes(inv.args[start + 1 :]):
            return False
        return inv.args[start : start + 1] == [] or inv.args[start] not in ("run", "x", "tool")
    command = next((a for a in inv.args if not a.startswith("-")), None)
    return inv.tool in CONDAS and command not in _CONDA_STATE


def _uv_compile_writes(args: List[str]) -> bool:
    """``uv pip compile``: a writer, so a later install on the line reading a file is refused
    as after any writer, "run the install as its own command" (red team 50a R50a-5: it read
    the output file as it was before the line). Any compile counts, whatever its words: uv
    takes the file it writes from ``-o``/``--output-file`` in any spelling (``-qo F``: red team
    52a R52a-2) or from its settings (``[pip] output-file`` in uv.toml or ``[tool.uv.pip]``,
    ``--config-file``, ``UV_CONFIG_FILE``: red team 53a R53a-2), which Warden would otherwise
    have to resolve for the line; and what it writes is not only requirements (its header
    holds ``custom-compile-command`` as written, newlines and all)."""
    return "compile" in args


# where a command substitution's inside stood in a line ``_bash_lines`` read: its index. A
# lookahead, so a \x01 and digits written in the line itself cannot take a marker's first
# \x01 and hide it (`\x015$(pip install x)`); a marker's text written there reads more
_SUBSTITUTION = re.compile("(?=\x01([0-9]+)\x01)")


# a process substitution runs alongside its command, in no order Warden reads (R7-13)
_IN_PROCESS_SUBSTITUTION = (
    "it runs an installer inside a process substitution (<(...) or >(...)), alongside the "
    "command, in no order Warden reads: run the install as a command of its own"
)


def _bash_lines(script: str, line: "_LineState") -> Optional[Tuple[str, List[str], Set[int]]]:
    """The script masked as sh/bash read it (``shell_text``: comments blanked, substitutions,
    ``$'...'`` and heredoc bodies kept from desyncing shlex), with the backslash-newline joins
    and descriptor numbers (``2>&1``) cut, and the inside of each command substitution written
    as a marker (``_SUBSTITUTION``, one word piece) of its index in the list of their texts;
    None when the shell's reading of it is not modelled and the line is provably install-free
    read as plain words (no installer hint, ``shell_text.unseen``) and holds no value bash
    evaluates as shell text (``shell_values.unmasked_evaluated``: ``line``, the state it runs
    in); else Unreadable (red team 12; red team 13 R13-1: a line not read is not searched for
    an expansion in a program word, a link, a function or an alias either, so a hint-free
    `u$@v p$@ip install` passed; red team 34 R34-5: nor for arithmetic on a value read from a
    file, `read -r x < f; (( x ))`)."""
    try:
        masked = shell_text.mask(script)
    except shell_text.Uncertain as exc:
        unseen = shell_text.unseen(script)
        # a bare word that is a link to an installer on PATH (`ls` -> uv: R9-10) counts too
        words = re.split(r"[\s;&|()<>]+", re.sub(r"['\"\\]", "", script))
        if (
            unseen
            or shell_text.has_hint(script, _START_FOLDER.get() or None)
            or names_installer(words)
        ):
            holds = f" holds {unseen}, so it" if unseen else ""
            raise Unreadable(
                f"Warden cannot follow how the shell reads this line ({exc}) and it{holds} may "
                "run an installer: write it without that construct"
            ) from None
        unknown = line.unknown_names | line.unresolved_values
        evaluated = shell_values.unmasked_evaluated(
            script, unknown, {**line.inherited(), **line.env}
        )
        if evaluated:
            raise Unreadable(f"bash evaluates a value as shell text: {evaluated}") from None
        return None
    spans = [(start, end, "") for start, end in masked.cuts]
    spans += [_marker_span(script, n, s, e) for n, (s, e) in enumerate(masked.substitutions)]
    out, at = [], 0
    for start, end, marker in sorted(spans):
        out.append(masked[at:start] + marker)
        at = max(at, end)
    out.append(masked[at:])
    processes = {
        n for n, (s, _e) in enumerate(masked.substitutions) if script[s - 2 : s] in _PROCESS
    }
    return "".join(out), [script[s:e] for s, e in masked.substitutions], processes


_PROCESS = ("<(", ">(")


def _marker_span(script: str, n: int, start: int, end: int) -> Tuple[int, int, str]:
    """Where substitution ``n`` (its inside ``script[start:end]``) is replaced by its marker.
    A process substitution glued to the word before it (`--file=<(printf ..)`, `-f<(..)`) is
    a piece of that word, as bash substitutes its /dev/fd/N there (red team 15 R15-15: shlex
    split it off, so make's --file= had an empty value): the marker takes the place of the
    whole `<(...)`, not of its inside alone."""
    glued = start >= 3 and script[start - 3] not in " \t\n;&|()<>"
    if glued and script[start - 2 : start] in _PROCESS and script[end : end + 1] == ")":
        return start - 2, end + 1, f"\x01{n}\x01"
    return start, end, f"\x01{n}\x01"


# shlex glues a run of punctuation into one token (`;>`, `\n<<`, `&&>`): read as a word, the
# redirection hid the command after it (red team 12: `true;>x pip install torcj`). Longest first.
_OPERATOR_PIECES = re.compile(
    r"\(\)|[<>]\(|&>>|<<<|;;|&&|\|\||\|&|&>|>>|<<|>&|<&|>\||<>|[;&|()<>\n]"
)


# An operator character written quoted or escaped (`';'`, `\\;`, `"|"`) is part of a word for the
# shell, but shlex gives it back bare: a word of only such characters would be read as the
# operator (red team 16 R16-8: `tmux new -d \\; if 'CMD' ''` split at tmux's own `;`, so `if
# 'CMD'` was read as the shell's if, not tmux's if-shell). Such characters are lexed as private
# placeholders and put back in the words of each command once the line is split.
_OPERATOR_CHARS = ";&|()<>\n"
_PLACEHOLDERS = {c: chr(0xE000 + n) for n, c in enumerate(_OPERATOR_CHARS)}
_LITERALS = str.maketrans({v: k for k, v in _PLACEHOLDERS.items()})
_PROTECT = str.maketrans(_PLACEHOLDERS)


def _quoted_operators(script: str) -> str:
    """``script`` with each quoted or backslash-escaped operator character a placeholder.
    A script that already holds a placeholder is left as it is (its words keep the old,
    stricter reading: the rest of a line after a quoted `;` read as a command)."""
    if not any(c in script for c in _PLACEHOLDERS.values()):
        out, quote, k = [], "", 0
        while k < len(script):
            c = script[k]
            if quote == "'":
                quote = "" if c == "'" else quote
            elif c == "\\" and k + 1 < len(script):
                nxt = script[k + 1]
                if not quote or nxt in '"\\$`':
                    out.append(c + (nxt.translate(_PROTECT) if not quote else nxt))
                    k += 2
                    continue
            elif c == '"':
                quote = "" if quote else '"'
            elif c == "'" and not quote:
                quote = "'"
            out.append(c.translate(_PROTECT) if quote and c not in "'\"" else c)
            k += 1
        return "".join(out)
    return script


def _literal(words: List[str]) -> List[str]:
    return [w.translate(_LITERALS) for w in words]


# A reserved word is one only written unquoted (red team 56d R56d-1: `'}'`, `\\}`, `"fi"` are
# command names for the shell, but shlex gives them back bare, so they opened and closed
# compounds in Warden's reading and moved a group's redirection off the install inside). The
# line is lexed with this mark before each quote or backslash outside quotes; a word that
# reads as a reserved word keeps it (so it is none; ``_literal`` drops it), the others lose it.
_QUOTED = chr(0xE000 + len(_OPERATOR_CHARS))
_LITERALS[ord(_QUOTED)] = None


def _marked_quoting(script: str) -> str:
    """``script`` with ``_QUOTED`` before each quote or backslash that starts quoting."""
    out, quote = [], ""
    k = 0
    while k < len(script):
        c = script[k]
        if quote:
            if c == quote:
                quote = ""
            elif c == "\\" and quote == '"':
                out.append(script[k : k + 2])
                k += 2
                continue
        elif c in "'\"\\":
            out.append(_QUOTED)
            if c == "\\":
                out.append(script[k : k + 2])
                k += 2
                continue
            quote = c
        out.append(c)
        k += 1
    return "".join(out)


def _unmarked(token: str) -> str:
    plain = token.replace(_QUOTED, "")
    if plain != token and plain in compound_redirect.RESERVED:
        return _QUOTED + plain
    return plain


def _operator_tokens(tokens: List[str]) -> List[str]:
    """The tokens with each run of operator characters split into its operators."""
    out = []
    for token in tokens:
        if len(token) > 1 and set(token) <= set(";&|()<>\n") and token not in _OPERATORS:
            out.extend(_OPERATOR_PIECES.findall(token))
        else:
            out.append(token)
    return out


def _construct(token: str) -> str:
    """Names the shell construct in ``token`` without quoting it: a word may hold a secret
    (``https://bob:S3CRE$T@host``), and messages go into events."""
    if "$(" in token or "`" in token:
        return "a command substitution"
    if "$" in token:
        return "a $ parameter"
    return "a brace list"


def _operator_token(token: str) -> bool:
    """Whether ``token`` is an operator or a redirection, not a word."""
    return bool(token) and (
        token in _OPERATORS or token in _REDIRECTS or set(token) <= set(";&|()<>\n")
    )


def _split(tokens: List[str]):
    """The simple commands: (words, the targets of its redirections that write a file (none:
    empty), the operator after, whether it holds a process substitution, what its stdin is, its
    redirections' targets, the files the redirections of the compound commands around it
    write: ``compound_redirect``; the files written by the redirections the shell opens before
    any of its command substitutions runs, besides those: a subshell's when it is the last
    command inside, a heredoc holder's for the commands of its body: ``subst_redirect``)."""
    commands, current, writes, redirect, substitutes = [], [], [], None, False
    targets: List[str] = []
    stdin = "unknown"  # "heredoc" (its lines are read as commands), "redirect", "fd?" (any)
    compounds = compound_redirect.Compounds()
    # (first, end, files): the commands first..end-1 are inside a compound that writes files
    spread: List[Tuple[int, int, List[str]]] = []
    closing: Optional[int] = None  # the current command's closing word's compound (its first)
    closed: Optional[int] = None  # the compound a `)` just closed, for the redirections after
    # every closing word's (first, files): a line whose reading does not come out even gives
    # them to the commands before its compound too (red team 56d)
    closings: List[Tuple[int, List[str]]] = []
    inside = 0  # the process substitutions open in the current command (their `)`: R56d-7)
    started = False  # a redirection came before the current command's words (`2>x }`)
    # heredocs: the delimiters due at the next newline, those whose body is being read, and
    # the words of the body's line so far. A body is data to the line: its words (a `}` line)
    # are no reserved words, so ``compounds`` does not read them (they stay commands here,
    # the stricter reading of a shell fed by it). ``unsure``: the first command of a body
    # whose end Warden may misplace (`<<-E` and `<< -E` lex alike), or one never ended
    due: List[str] = []
    body: List[str] = []
    line: List[str] = []
    unsure: Optional[int] = None
    body_from = 0
    # the commands holding the heredocs due (their body is expanded as their redirections are
    # opened), and those holding the bodies being read
    due_holders: List[int] = []
    holders: List[int] = []
    in_body: List[Tuple[int, List[int]]] = []  # (a command of a body, its holders)
    early: Dict[int, List[str]] = {}  # the k-th command's (``subst_redirect``)

    def close(first: Optional[int], end: int, files: List[str]) -> None:
        # a closing word Warden cannot match (a syntax error, a construct it does not follow:
        # `coproc NAME { ...; }`): its redirection may apply to any command before it
        if first is not None and files:
            spread.append((max(first, 0), end, list(files)))
            closings.append((first, list(files)))  # the commands before its compound

    for token in tokens:
        if (redirect is not None and token in ("(",)) or token in ("<(", ">("):
            substitutes, redirect = True, None  # >(cmd), <(cmd): its words stay in the command
            inside += 1
            continue
        if redirect is not None and _operator_token(token):
            # an operator is never a file name (R56b-3: `2>&1>r.txt` was read with `>` as the
            # target and r.txt as a word): it is read as itself. Real shell text holds it only
            # as a syntax error (`>&>r.txt`: nothing runs), a heredoc's data read as commands
            # (`<html>` then a newline) too
            redirect = None
        if redirect is not None:
            if redirect in ("<<", "<<-"):
                due.append(token)
                due_holders.append(len(commands))
            targets.append(token)  # `> $(cmd)` runs cmd
            # the redirection's target is a file name, not an argument; `>&2`, `2>&1` and
            # /dev/null write no file
            if (
                ">" in redirect
                and token != os.devnull
                and not (redirect.endswith("&") and re.match(r"^(\d+|-)$", token))
            ):
                writes.append(token)
            redirect = None
            continue
        if token in _OPERATORS or set(token) <= set(";&|()\n") and token:
            if token in (")",) and inside:
                inside -= 1
                continue  # the end of a process substitution (only its own `)`: R56d-7)
            if token in ("\n",):
                if body and line in ([body[0]], [body[0][1:]] if body[0][:1] == "-" else []):
                    body.pop(0)  # the delimiter line
                elif not body and due:
                    body, due, body_from = due, [], len(commands)
                    holders, due_holders = due_holders, []
                    if any(d.startswith("-") for d in body) and unsure is None:
                        unsure = body_from
                line = []
            elif body:
                line.append(token)
            if token in ("(",) and not body:
                compounds.open_paren(len(commands), current)
            if not body:
                compounds.operator(token)
            if current:
                close(closing, len(commands), writes)  # `} 2>r.txt`: the commands inside
                if body:
                    in_body.append((len(commands), holders))
                commands.append((current, writes, token, substitutes, stdin, targets))
            elif commands and commands[-1][2] in ("(", ")"):
                # `( a; b ) 2>r.txt`: the last command's own, the others' as the compound's
                close(closed, len(commands) - 1, writes)
                commands[-1] = (*commands[-1][:2], token, *commands[-1][3:])  # `(a) | b`
                commands[-1][1].extend(writes)
                commands[-1][5].extend(targets)
                early.setdefault(len(commands) - 1, []).extend(writes)
            elif targets:  # `>r.txt;`, `> $(cmd);`: a redirection alone (R56b-4)
                close(closing, len(commands), writes)
                commands.append(([":"], writes, token, substitutes, stdin, targets))
            closed = compounds.close_paren() if token in (")",) and not body else None
            closing = None
            current, writes, substitutes, stdin, targets = [], [], False, "unknown", []
            inside, started = 0, False
        elif token in _REDIRECTS or (set(token) <= set("<>&|") and token):
            redirect, started = token, True
            if "<<" in token and "<<<" not in token:
                stdin = "heredoc"
            elif "<" in token:
                stdin = "redirect"
            elif stdin == "unknown":
                stdin = "fd?"  # `bash 2>/dev/null`: a number before it is a descriptor
        else:
            line.append(token)
            first = None if body else compounds.word(token, len(commands), current, started)
            closing = first if first is not None else closing
            current.append(token)
    if current:
        close(closing, len(commands), writes)
        commands.append((current, writes, "", substitutes, stdin, targets))
    elif commands and commands[-1][2] == ")" and targets:
        close(closed, len(commands) - 1, writes)  # `( a ) 2>r.txt` at the end of the line
        commands[-1][1].extend(writes)
        commands[-1][5].extend(targets)
        early.setdefault(len(commands) - 1, []).extend(writes)
    elif targets:  # `uv pip install P; >r.txt`: a redirection alone
        commands.append(([":"], writes, "", substitutes, stdin, targets))
    if body and unsure is None:
        unsure = body_from  # a body never ended: its commands were not read for compounds
    if unsure is not None:
        # every command from the unsure body on may be a closing word
        closings.extend((k, c[1]) for k, c in enumerate(commands) if k >= unsure and c[1])
    if not compounds.even() or unsure is not None:
        # a compound still open at the end, a closing word that closed nothing or what it
        # does not match: where the shell's compounds are is not known, so each closing
        # word's redirections may apply to any command before it (fail closed: red team 56d)
        spread.extend((0, first, files) for first, files in closings if first > 0)
    inherited: List[List[str]] = [[] for _ in commands]
    for first, end, files in spread:
        for k in range(first, min(end, len(commands))):
            inherited[k].extend(files)
    for k, holding in in_body:
        early.setdefault(k, []).extend(f for h in holding if h < k for f in commands[h][1])
    return [(*command, inherited[k], early.get(k, [])) for k, command in enumerate(commands)]


# Programs that choose what they do by the name they are started under (argv[0]): a link to
# one is read by the link's name.
_MULTI_CALL = frozenset(("busybox", "coreutils", "toybox"))


# Set while reading for a kernel without the launch guard (the guarded kernelspec,
# ``guard.install()``): every Python it starts is guardless (R9-5), ordinary `!python train.py`
# included, so one guardless only for that reason has its code searched for installer words,
# not read for code Warden cannot read (R10-10); one started with -I/-E/-S or an interpreter
# that cannot host the guard is read in full.
UNLAUNCHED: ContextVar = ContextVar("warden_unlaunched", default=False)


# The folder a start's relative program paths and PATH entries are found from: the start's
# working folder (Popen's ``cwd``), then each ``cd`` a shell line makes before the command
# (red team 10 R10-7: ``Popen(["./ls", "sync"], cwd="d")``, ``cd d && ./ls sync``, d/ls a
# link to uv, were looked up from the kernel's folder and read as an unknown ``./ls``).
# '': this process's own folder; None: a ``cd`` Warden cannot follow left it unknown.
_START_FOLDER: ContextVar[Optional[str]] = ContextVar("warden_start_folder", default="")
# When ``_START_FOLDER`` is None because a ``cd`` Warden followed may not have run (`cd d; x`
# runs x in d or, when the cd failed, where the line started): each folder it may be, as
# ``_START_FOLDER`` gives one. Only where the start's writes land is read in each
# (``_write_places``, ``_made_places``); every other rule reads the folder as unknown.
_MAYBE_FOLDERS: ContextVar[Tuple[str, ...]] = ContextVar("warden_maybe_folders", default=())


@contextlib.contextmanager
def start_folder(
    folder: Optional[str], unlaunched: Optional[bool] = None, maybe: Tuple[str, ...] = ()
):
    """Reads the start's relative paths from ``folder`` (relative: from the current one) and,
    when given, for a kernel with or without the launch guard (``UNLAUNCHED``). ``maybe``:
    for a ``folder`` None, the folders (relative, as ``folder``) the start may run in."""
    base = _START_FOLDER.get()
    if folder is not None and base is not None:
        folder = os.path.join(base, folder) if base else folder
    token = _START_FOLDER.set(None if base is None else folder)
    alternatives = () if folder is not None or base is None else maybe
    maybe_token = _MAYBE_FOLDERS.set(tuple(os.path.join(base, m) for m in alternatives))
    kept = UNLAUNCHED.set(UNLAUNCHED.get() if unlaunched is None else unlaunched)
    try:
        yield
    finally:
        UNLAUNCHED.reset(kept)
        _MAYBE_FOLDERS.reset(maybe_token)
        _START_FOLDER.reset(token)


def _in_each_maybe_folder(read: Callable[[], tuple]) -> Optional[List[tuple]]:
    """``read()``'s results, read once in each folder a start whose folder Warden cannot
    tell may run in (``_MAYBE_FOLDERS``); None when they are not known either."""
    alternatives = _MAYBE_FOLDERS.get()
    if not alternatives:
        return None
    results = []
    for one in alternatives:
        token = _START_FOLDER.set(one)
        maybe_token = _MAYBE_FOLDERS.set(())
        try:
            results.append(read())
        finally:
            _MAYBE_FOLDERS.reset(maybe_token)
            _START_FOLDER.reset(token)
    return results


def current_folder() -> Optional[str]:
    """The folder the start being read runs in (Popen's ``cwd``, then the line's ``cd``), from
    this process's folder ('' its own); None when a ``cd`` left it unknown."""
    return _START_FOLDER.get()


# The first command of the shell line being read (its outer lines included: `ln -s uv t &&
# bash -c ./t`) that may write a program file; '' when none has (`_refuse_written_program`).
_WRITTEN: ContextVar[str] = ContextVar("warden_line_written", default="")


# The files the output redirections of the command running the line being read open before
# it runs (red team 56b R56b-8: `sh -c 'python -E s.py' > mod.py`, `eval '...' > mod.py`, a
# guardless Python's os.system): every command of the inner text writes through them, so each
# is given them as a compound command's (``compound_redirect``): its install weighs them as its
# own redirections, its Python start as its own output's. Set for a command's ``_simple``.
_AROUND: ContextVar[Tuple[str, ...]] = ContextVar("warden_around", default=())


# What on the shell line being read may write a file a guardless Python's code then imports
# (red team 17 R17-13: `cp p.txt json.py && python -E -c 'import json'`, decided before the line
# runs): (a command before it, or one running alongside it or again after it; a redirection of
# its own output, which writes only while its code runs). Read by ``_LocalImports.finish``.
_LINE_WRITER: ContextVar[Tuple[str, str]] = ContextVar("warden_line_writer", default=("", ""))


@contextlib.contextmanager
def own_output(writer: str):
    """Inside, the commands read write ``writer`` as their own output (the local-imports
    rule's ``> mod.py``): a file the process start hands them open for writing
    (``gate._handed_output``, red team 56b R56b-7). '' changes nothing."""
    if not writer:
        yield
        return
    token = _LINE_WRITER.set((_LINE_WRITER.get()[0], writer))
    try:
        yield
    finally:
        _LINE_WRITER.reset(token)


def _later_writer(commands, k: int, places) -> str:
    """The first of ``_later_writers``' commands, by its program's name ('' when none)."""
    for j in _later_writers(commands, k, places):
        words, writes = commands[j][:2]
        program = next((w for w in words if not _ASSIGNMENT_WORD.match(w)), "")
        return os.path.basename(program) or "a redirection"
    return ""


def _later_writers(commands, k: int, places) -> List[int]:
    """The commands after the k-th that may write before or while it runs: in its pipeline,
    anything after it sent to the background (``&``), a later command of the loop it repeats
    in, anything later when it is a function's body (run where the function is called). A
    program of ``_NO_WRITE`` without a redirection to a file writes nothing, and neither does
    a call of a function the line defines (its body's commands are the writers, read where
    it is defined: `f() { pip install x; }; f`)."""
    background = commands[k][2] == "&"
    alongside = background or commands[k][2] in _CONCURRENT
    loop, in_function = places[k].loop, places[k].in_function
    functions = _functions_defined(commands)
    found = []
    for j in range(k + 1, len(commands)):
        words, writes, after = commands[j][:3]
        repeated = in_function or (loop is not None and places[j].loop == loop)
        if alongside or repeated:
            program = next((w for w in words if not _ASSIGNMENT_WORD.match(w)), "")
            if program in functions and not writes:
                pass
            elif writes or os.path.basename(program) not in _NO_WRITE:
                found.append(j)
        alongside = background or (alongside and after in _CONCURRENT)
    return found


_ARRAY_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\[[^\]]*\]\+?=")


def _refuse_written_program(program: str, path: str) -> None:
    """A program run by a path after a command of its line that may write files is
    unreadable when that path may be the writer's work (red team 12 R12-4: ``ln -s /x/uv tool
    && ./tool sync``): a relative path, or one with no file yet. Warden reads the file as it
    is before the line runs; an absolute path to a file that is there is read as it is (the
    line overwriting an existing program stays open, docs/threat-model.md)."""
    writer = _WRITTEN.get()
    if _ARRAY_ASSIGNMENT.match(program):
        return  # `NAME[i]=a/b` is an assignment (`_unmodelled_assignment`), not a program
    if writer and (not os.path.isabs(program) or not os.path.lexists(path)):
        raise Unreadable(
            f"{program} is run by a path after an earlier command on the line ({writer}) that "
            "may write that file, and Warden reads it before the line runs: run the program as "
            "its own command"
        )


# The environment the start is given, for what a shell takes from it (``shell_environment``).
# (only the variables a shell takes code from, as (name, value) pairs)
_START_ENV: ContextVar[tuple] = ContextVar("warden_start_env", default=())


def shell_code_variable(env: Dict[str, str], interactive: bool = True) -> str:
    """The first variable of ``env`` that makes a shell run code of its choosing ('' when
    none): an exported bash function (``BASH_FUNC_pip%%``, run instead of any program of that
    name), the file bash sources before ``-c`` (``BASH_ENV``), the one sh reads when
    ``interactive`` (``ENV``; ``ENV=production`` means nothing to ``sh -c``), the options bash
    imports (``SHELLOPTS=xtrace``, ``BASHOPTS``) and what they run (``PS4='$(cmd)'``, expanded
    for every traced command), ``GLOBIGNORE`` (other words than Warden reads), and what an
    interactive shell runs (``PROMPT_COMMAND``). Red team 11 R11-13: ``pip install numpy``
    under bash ran a ``pip`` function. A pyenv shim is a bash script that runs ``pyenv exec``,
    and pyenv sources the hooks of its hook folders first (``pyenv_code``: red team 31 R31-4)."""
    for name, value in env.items():
        if name.startswith("BASH_FUNC_") or (name in _SHELL_CODE and value):
            return name
        if name in _PYENV_CODE and pyenv_code(name, value):
            return name
        if name == "PS4" and ("$" in value or "`" in value):
            return name
        if name in _INTERACTIVE_CODE and value and interactive:
            return name
    return ""


_SHELL_CODE = frozenset(("BASH_ENV", "SHELLOPTS", "BASHOPTS", "GLOBIGNORE"))
_INTERACTIVE_CODE = frozenset(("ENV", "PROMPT_COMMAND"))
# what makes pyenv (the `pyenv` program, and every shim: `exec "$ROOT/libexec/pyenv" exec`)
# source bash files of the value's choosing before it runs the program it picks (pyenv 2.x
# libexec, read 2026-12-03): `pyenv` builds its hook path from PYENV_HOOK_PATH, then
# $PYENV_ROOT/pyenv.d and $PYENV_ROOT/plugins/*/etc/pyenv.d, and puts
# $PYENV_ROOT/plugins/*/bin on PATH for its commands; pyenv-exec, pyenv-which,
# pyenv-version-name and pyenv-version-origin source `pyenv-hooks CMD`, each
# $FOLDER/CMD/*.bash. A shim exports its own PYENV_ROOT (so only a `pyenv` started directly,
# or by a script, reads the environment's); PYENV_DIR and PYENV_VERSION pick a version
# (guardless.pyenv_names reads them), PYENV_DEBUG's trace runs PS4 (read above)
_PYENV_CODE = frozenset(("PYENV_HOOK_PATH", "PYENV_ROOT"))


def pyenv_code(name: str, value: str) -> bool:
    """Whether ``name=value`` makes pyenv source bash files Warden does not read (red team 31
    R31-4): any PYENV_HOOK_PATH but the one the kernel was launched with (`pyenv exec jupyter
    lab` exports pyenv's own), and a PYENV_ROOT other than the launcher's or pyenv's default
    (``~/.pyenv``), whose pyenv.d and plugins folders hold its hooks and commands. Empty
    values add no folder."""
    from . import inherited_env

    if not value or value == inherited_env.launch_value(name):
        return False
    if name != "PYENV_ROOT":
        return True
    known = [os.path.expanduser("~/.pyenv"), inherited_env.launch_value(name)]
    real = os.path.realpath(value) if os.path.isabs(value) else None
    return real is None or real not in {os.path.realpath(k) for k in known if k}


@contextlib.contextmanager
def shell_environment(env: Dict[str, str]):
    """Reads the shells the start runs (``sh -c``, ``bash script``, ``env bash``...) with
    ``env``, the environment the start is given (the reading's own ``env`` holds only what it
    follows: ``guard_env``, the line's assignments)."""
    token = _START_ENV.set(
        tuple(
            (k, v)
            for k, v in env.items()
            if shell_code_variable({k: v})
            or shell_runners.runner_variable(k)
            or interpreters.code_variable(k)
        )
    )
    # what a child Python inherits where the reading's env does not say (R14-12, R14-25)
    given = startup_modules.START_ENVIRON.set(dict(env))
    try:
        yield
    finally:
        startup_modules.START_ENVIRON.reset(given)
        _START_ENV.reset(token)


def _refuse_shell_code(shell: str, env: Dict[str, str], interactive: bool = False) -> None:
    """A shell started with a variable that runs code (``shell_code_variable``) is unreadable:
    Warden reads the commands it is given, not the function or file run with them. Other
    programs with such a variable are left to their own guard."""
    found = shell_code_variable({**dict(_START_ENV.get()), **env}, interactive)
    if found:
        what = (
            "an exported bash function"
            if found.startswith("BASH_FUNC_")
            else "pyenv's hook folders, sourced by every pyenv shim"
            if found.startswith("PYENV_")
            else "a startup file"
        )
        raise Unreadable(
            f"{shell} starts with {found} in its environment ({what}), which runs code Warden "
            f"does not read: remove it from the environment this command starts with (in the "
            f"notebook, os.environ.pop({found!r}) before it; where the lab sets it for every "
            "kernel, as Lmod's module function, ask your admin to start kernels without it)"
        )


def _placed(path: str, strict: bool = True) -> str:
    """``path`` as the started program finds it: a relative one from the start's folder. Where
    that folder is unknown, a program found by a relative path cannot be placed (``strict``:
    unreadable; else read from this process's folder, for words that only may name one)."""
    if os.path.isabs(path):
        return path
    base = _START_FOLDER.get()
    if base is None:
        if strict:
            raise Unreadable(
                f"{path} is found from the folder an earlier cd moved to, which Warden cannot "
                "tell: cd to a folder written out, or give the program's full path"
            )
        return path
    return os.path.join(base, path) if base else path


def _which(name: str, search: Optional[str], strict: bool = True) -> str:
    """Where a bare program name is found on ``search`` (None: this process's PATH), relative
    PATH entries (``.``, ``bin``, an empty one) from the start's folder; '' when nowhere."""
    if search is None:
        search = os.environ.get("PATH", os.defpath)
    folders = []
    for folder in search.split(os.pathsep):
        try:
            folders.append(_placed(folder or ".", strict))
        except Unreadable:
            raise Unreadable(
                f"{name} is looked up on a PATH with a relative folder ({folder or 'empty'}), "
                "found from a folder Warden cannot tell: write PATH's folders out"
            ) from None
    found = shutil.which(name, path=os.pathsep.join(folders)) or ""
    if "~" in search:
        # bash expands a leading ``~`` of a PATH folder when it looks a name up, execvp and
        # shutil.which do not (red team 86 F1): the two lookups must not find two files
        texts = search.split(os.pathsep)
        expanded = [
            _bash_tilde(name, t, strict) if t.startswith("~") else f for t, f in zip(texts, folders)
        ]
        other = shutil.which(name, path=os.pathsep.join(expanded)) or ""
        if not found:
            return other  # bash runs it; any other program finds nothing to run
        if other != found:
            raise Unreadable(
                f"{name} is looked up on a PATH with a folder written with ~, which bash "
                f"expands (finding {other or 'nothing'}) and other programs do not (finding "
                f"{found or 'nothing'}): write PATH's folders out"
            )
    return found


def _bash_tilde(name: str, folder: str, strict: bool) -> str:
    """A PATH folder written with a leading ``~`` as bash expands it when it looks ``name``
    up: ``~``/``~user`` a home (``os.path.expanduser``); ``~+`` $PWD, the folder the command
    runs in (red team 88 F8: read as the relative folder it is); ``~-`` ($OLDPWD) and ``~N``
    (the ``dirs`` stack) a folder the shell was in before, which Warden cannot tell."""
    from .path_programs import tilde_kind

    kind = tilde_kind(folder)
    if kind == "stack":
        raise Unreadable(
            f"{name} is looked up on a PATH with the folder {folder}, which bash reads from its "
            "OLDPWD or its folder stack (a folder the shell was in before), which Warden "
            "cannot tell: write PATH's folders out"
        )
    if kind == "pwd":
        rest = folder[2:].lstrip("/")
        try:
            return _placed(rest or ".", strict)
        except Unreadable:
            raise Unreadable(
                f"{name} is looked up on a PATH with the folder {folder}, the folder the "
                "command runs in, which Warden cannot tell: write PATH's folders out"
            ) from None
    return os.path.expanduser(folder)


# A program word that names the starting process (red team 14 R14-20): checked on the word
# itself (the static side's test too) and on the path it resolves to, link by link.
_PROCESS_PROGRAM = re.compile(r"^/(proc|dev/fd|dev/std(in|out|err))(/|$)")


def _refuse_process_program(program: str, path: str) -> None:
    """A program reached through ``/proc`` or ``/dev/fd`` (``/proc/self/exe``, ``/proc/$$/exe``,
    ``/dev/fd/3 3</bin/sh``, a link to one, a PATH folder under one) names the process that
    runs it, not the kernel where Warden would resolve it: in a shell line ``/proc/self/exe``
    is the shell, ``/dev/fd/3`` whatever the line opened there. Warden cannot classify it."""
    from .requirements import through_process

    found = _PROCESS_PROGRAM.match(program)
    root = "/" + found.group(1) if found else through_process(path)
    if root:
        raise Unreadable(
            f"{program} is reached through {root}, which names the process that runs it (the "
            "shell in a shell line, not the kernel): Warden cannot tell which program that is; "
            "run the program by its own path"
        )


def _resolved_name(program: str, name: str, env: Dict[str, str]) -> str:
    """The name a program is classified by: a link is read as its target (red team 8 R8-12:
    a link to uv named `python3`, `nice` or `bash` runs uv, which ignores its argv[0]). A
    name with a slash is the file itself; a bare name that may start an installer is looked
    up on the command's PATH (else the kernel's). A shell, env or another wrapper is one
    only when the file is the machine's (``_known_as``, red team 54b R54b-5: a copy of env
    named ``sh``): otherwise its path is the name, a program Warden has no reading for."""
    name, path = _named_file(program, name, env)
    if name in _NAME_READ and not (os.sep not in program and name in _BUILTIN_WRAPPERS):
        if path and not _known_as(path, name):
            return path
    return name


# Programs whose reading trusts what they do by their name (``_known_as``)
_NAME_READ = SHELLS | WRAPPERS
# wrappers that are the shell's own builtins or keywords by a bare name (a file of the name
# on PATH is not what a shell line runs); by a path they are files as any other
_BUILTIN_WRAPPERS = frozenset(("exec", "command", "builtin", "coproc", "time"))


def _named_file(program: str, name: str, env: Dict[str, str]) -> Tuple[str, str]:
    """``_resolved_name``'s name by the program file's links, and the file ('' not found)."""
    if os.sep not in program:
        # every bare name: a link named `ls` or `foo` on the command's PATH (`PATH=/tmp/x ls
        # pip install ...`) runs its target, and an inert program's words pass as data (red
        # team 9 R9-10)
        path = _which(program, env.get("PATH"))
        _refuse_unsure_lookup(program, env.get("PATH"), path)
        if not path:
            return name, ""
    else:
        path = _placed(program)
        _refuse_written_program(program, path)
        _refuse_unsure_named(program, path)
    _refuse_process_program(program, path)
    if not os.path.islink(path):
        return name, path
    target = program_name(os.path.realpath(path))
    if target in _MULTI_CALL:
        return name, path
    if not _may_install_name(name) or _may_install_name(target):
        return target, path  # a link named otherwise, or an installer's name on another one
    return name, path


def _simple(
    argv: List[str],
    env: Dict[str, str],
    depth: int,
    stdin: str = "unknown",
    argv0: Optional[str] = None,
) -> List[Invocation]:
    """One command's installs. ``argv0``: the argv[0] a process start gives its program when
    ``argv[0]`` is that program's path in its place (``invocations``): a shell's login
    convention is read from it (red team 88 F3)."""
    env = dict(env)
    i = 0
    while i < len(argv) and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", argv[i]):
        key, _, value = argv[i].partition("=")
        env[key] = value
        i += 1
    argv = argv[i:]
    # R25-3: `JAVA_TOOL_OPTIONS='...' jshell`; a shell's own code variable reaches any bash a
    # program starts (R26-2), but a Python started here is guarded, and its own gate reads
    # the shells it starts with them (R17-3: BASH_ENV from an env file, then python)
    guarded = bool(argv) and _PYTHON.match(program_name(argv[0])) is not None
    # read where the command runs: after the line's cd (red team 27 R27-1: `cd sub &&
    # npm_config_call='./k ...' npm exec` runs sub/k)
    folder = current_folder()
    folder = None if folder is None else in_full(folder)
    why = command_values.refused_env(env, not guarded, folder)
    if why:
        raise Unreadable(why)
    if not argv:
        return []
    name = program_name(argv[0])
    if name != "[" and _GLOB.search(name):
        raise Unreadable("its program is a shell pattern, which the shell expands to a name")
    if "{}" in argv[0]:
        # find -exec {} ARGS ;, env {} ...: the program is each file find finds (picked by
        # inode, size, time: no word names it), red team 15 R15-20
        raise Unreadable("its program is `{}`, a file find finds, which Warden cannot name")
    name = _resolved_name(argv[0], name, env)
    # npm/npx/yarn/pnpm run their command with node_modules/.bin first on PATH (red team 88
    # F6): its new programs are read, and a writer into them refused, as the start's PATH's
    run_env = _npm_run_env(program_name(argv[0]), name, argv[1:], env)
    if _RUN_ENVS.get() is not None:  # for ``_refuse_unsure_path_links`` (``run_paths``)
        _RUN_ENVS.get().append((name, run_env))
    _refuse_path_programs(run_env, depth, argv)
    _refuse_renamed_python(argv[0], argv[0], env)  # PYTHONEXECUTABLE places a Python (R54b-4)
    if name not in _STARTS_NOTHING:
        _refuse_path_written(run_env)
    if name not in _STARTS_NOTHING and name not in WRAPPERS:
        _refuse_program_variables(name, env)  # EDITOR=tools/x npm config edit (red team 90 F2)
    if name == "busybox" and argv0 is not None and argv0 != argv[0]:
        # busybox runs the applet its argv[0] names (a `-` in front stripped: `-sh`, a login
        # shell), its words after it
        applet = os.path.basename(argv0[1:] if argv0.startswith("-") else argv0)
        if applet != "busybox":
            return _simple([applet] + argv[1:], env, depth, stdin, argv0)
    if name == "busybox" and len(argv) > 1:
        return _simple(argv[1:], env, depth, stdin)
    if name in SHELL_STRING_RUNNERS:
        return _shell_string_runner(name, argv[1:], env, depth)
    if name in WRAPPERS:
        moved_to: List[Optional[str]] = []
        inner = _unwrap(name, argv[1:], env, moved_to)
        if not moved_to:
            return _simple(inner, env, depth, stdin)
        # the command starts in the wrapper's folder: a relative program is found from there
        # (red team 11 R11-12: `env -C d ./ls sync`, d/ls a link to uv), and an install it
        # starts reads that folder's files, which Warden does not follow
        with start_folder(moved_to[0]):
            found = _simple(inner, env, depth, stdin)
        _refuse_moved(True, f"{name} --chdir", [], starts=bool(found))
        return found
    if name in SHELLS and name != "busybox":
        shell_default_path(name, env)
        start = _shell_start(argv)
        # `bash script.sh` too; `sh -i` reads $ENV
        _refuse_shell_code(name, env, start.on("i"))
        given = argv[0] if argv0 is None else argv0  # `Popen(['-bash', ...], executable=)`
        startup = login_path.startup_kind(name, given, argv[1:], start.on("l"), start.on("i"))
        remote = ssh_bashrc.reads_rc(
            name, given, bool(start.command), {**_inherited_environ(), **env}, stdin
        )
        if remote and not startup:
            # bash -c that takes itself for sshd's runs ~/.bashrc (red team 90 F4)
            _refuse_rcfile(name, remote, start.startup_files)
            startup = "rc"
        if startup:
            # its profile and rc files set PATH before its commands run (red team 86 F6)
            what = f"{name} (a login shell)" if startup == "login" else f"{name} (-i, or zsh)"
            what = f"{name} (a remote shell: {remote})" if remote and startup == "rc" else what
            env = _startup_files_env(what, env, path_kept=startup == "rc")
        if start.command:
            state = None
            if start.on("k", "keyword"):
                state = _LineState(False, env)  # `bash -k -c ...`: set -k from the start
                state.keyword = True
            script = argv[1 + start.operand] if start.operand is not None else ""
            own = _LINE_ALIASES.set(None)  # a shell of its own: none of the line's aliases
            cdable = _CDABLE_VARS.set(_cdable_vars_start(start))  # ... its own options
            try:
                return shell_invocations(script, depth + 1, env, state)
            finally:
                _LINE_ALIASES.reset(own)
                _CDABLE_VARS.reset(cdable)
        _refuse_stdin_script(argv, start, stdin)
        return []
    if name == "eval":
        return shell_invocations(" ".join(argv[1:]), depth + 1, env)
    if name in ("source", ".") and len(argv) > 1 and _on_descriptor(argv[1], stdin):
        # `source <(printf ..)`: commands the line builds, run in this shell (R15-15's rule)
        raise Unreadable(
            f"{name} reads its commands from a process substitution or a descriptor (/dev/..., "
            "/proc/...), which Warden cannot read before the shell runs them: write them out"
        )
    if name == "xargs":
        if _WORDS.search(" ".join(argv[1:])):
            raise Unreadable("xargs builds the installer's arguments from its input")
        # what xargs starts gets xargs' environment: the line's assignments and exports, env's
        # NAME=VALUE words (red team 17 R17-14: `BASH_ENV=/dev/stdin xargs -a f bash`)
        _refuse_unread("xargs", argv[1:], env)  # `xargs perl -e CODE` (R12-6)
        command = _refuse_program_from_input(argv[1:], env)
        # its command's input is /dev/null, but with -a/--arg-file xargs' own (R17-5)
        options = argv[1 : len(argv) - len(command)]
        given = any(re.match(r"^(-[^-]*a|--a)", word) for word in options)
        # `PYTHONPATH=. xargs python3 -c CODE`
        _refuse_inner_start("xargs", command, env, "unknown" if given else "decided")
        return []
    if _PIP.match(name):
        guardless_pip = _refuse_console_script_start(argv[0], argv[1:], env, depth, stdin)
        return [Invocation("pip", argv[1:], env, argv[0], problem=guardless_pip)]
    if name in ("uv", "uvx"):
        args = argv[1:] if name == "uv" else ["x"] + argv[1:]
        inner = (_uv_run_command(args) if name == "uv" else None) or _uv_tool_command(args)
        # uv run CMD: uv installs the project or script, then CMD runs in its environment;
        # uvx / uv tool run TOOL ARGS: the tool's command runs with ARGS (red team 7 R7-6)
        return [Invocation("uv", args, env, argv[0])] + (
            _simple(inner, _uv_run_env(args, env), depth) if inner else []
        )
    if name in CONDAS:
        _refuse_console_script_start(argv[0], argv[1:], env, depth, stdin)
        argv = argv[:1] + _conda_spelled(name, argv[1:])  # `run --pre ENV` (red team 90 F9)
        inner = _run_command("conda", argv[1:], name)
        if inner is not None:  # conda run [opts] CMD: the command runs in that environment
            options = argv[1 : len(argv) - len(inner)]
            return _simple(inner, _conda_run_env(argv[0], options, env), depth)
        return [Invocation(name, argv[1:], env, argv[0])]
    if name == "pipx.pyz":  # pipx's own zipapp (red6 F12)
        name = "pipx"
    if name in FRONT_ENDS:
        _refuse_console_script_start(argv[0], argv[1:], env, depth, stdin)
        return [Invocation(name, argv[1:], env, argv[0])] + _front_end_run(
            name, argv[1:], env, depth
        )
    if _PYTHON.match(name):
        # a name says nothing of the file's format: a pyenv shim `python3` is a bash script,
        # and bash runs BASH_ENV, a BASH_FUNC_, pyenv's hooks before the Python (R31-5); a
        # shim runs the picked version's program with these words (R34-2): read the same
        _read_pyenv_pick(*_refuse_shell_script(argv[0], env), argv, env, depth, stdin)
        guardless_pip = _guardless_pip_problem(_guardless_python(argv, env, stdin))
        mode, target, flags, rest = python_start(argv[1:])
        if _is_pipx(mode, target):
            return _simple(["pipx"] + rest, env, depth)
        module, rest = _python_module(argv[1:])
        while module == "runpy" and rest:  # python -m runpy MOD ARGS runs MOD (R7-7)
            module, rest = rest[0], rest[1:]
        if module is not None and module.startswith("pipx."):
            return _simple(["pipx"] + rest, env, depth)
        started = (argv[0], module, frozenset(flags))
        if module in _PIP_MODULES:
            return [Invocation("pip", rest, env, argv[0], problem=guardless_pip)._replace(
                module_start=started)]  # fmt: skip
        if module == "uv":
            return [Invocation("uv", rest, env, argv[0], module_start=started)]
        if module in ("conda", "mamba"):
            # read as the program of that name, but what runs is the Python's module
            return [
                inv._replace(module_start=started)
                if inv.tool == module and inv.program == module and not inv.module_start
                else inv
                for inv in _simple([module] + rest, env, depth)
            ]
        if module in FRONT_ENDS:
            return _simple([module] + rest, env, depth)
        if module in _PIPTOOLS_MODULES:
            return _piptools_module(rest, env, depth)
        if module is not None:
            _refuse_unread(f"python -m {module}", rest)  # a module Warden does not read
        return []
    picked = _read_pyenv_pick(*_refuse_shell_script(argv[0], env), argv, env, depth, stdin)
    # a `#!` file is also read as the start the kernel makes of it (R16-14)
    started = _script_start(argv, env, depth)
    try:
        found = _simple(started, env, depth + 1, stdin) if started is not None else []
    except Unreadable as exc:
        # say which script: `tsc` refused for node's reasons would be a mystery
        line = " ".join(started[: len(started) - len(argv)])
        raise Unreadable(
            f"{argv[0]} is a script that runs as its #! line says (#!{line}), and not one of "
            f"the system's, so Warden reads it as that start: {exc}"
        ) from None
    # a link to a program that runs code or shell text is read as its target (R13-8:
    # `PATH=/tmp/x ls -e CODE`, ls a link to perl); `which`, a link to which.debianutils, is
    # still the inert program it is named
    linked = interpreters.language(name) or shell_runners.runner(name)
    _refuse_unread(name if linked else _listed_name(argv[0]), argv[1:], env, stdin)
    # what the shim's version program starts that the shim's own reading did not name
    return found + [inv for inv in picked if (inv.tool, inv.args) not in _named(found)]


def _named(found: List[Invocation]) -> set:
    return {(inv.tool, inv.args) for inv in found}


def _refuse_path_programs(env: Dict[str, str], depth: int, argv: List[str] = ()) -> None:
    """A PATH the line gives a command (``PATH=DIR tar ...``, ``export PATH=...``, ``env
    PATH=...``), not the one the start has (the gate reads that one: ``InstallGate.
    _path_programs``): a program file written since the kernel started in one of its folders
    may be run by name by the command (red team 18 R18-4: tar runs gzip), so it is read as a
    start of its own with no words, as the gate reads it. The start's own PATH too when it
    holds a relative folder (red team 86 F2b): the gate read that from the folder the start
    begins in, the command may run in another (``cd sub && tar``, ``env -C sub tar``)."""
    from . import path_programs, startup_modules

    search = env.get("PATH")
    started = startup_modules.START_ENVIRON.get()
    if search is None:
        return
    if search == (os.environ if started is None else started).get("PATH"):
        if not path_programs.relative_folders(search):
            return  # the common command: the gate read its PATH
    folder = _START_FOLDER.get()
    if folder is None and any(not f.startswith("/") for f in search.split(os.pathsep)):
        raise Unreadable(
            "its PATH holds a relative folder, found from the folder an earlier cd moved to, "
            "which Warden cannot tell: write PATH's folders out"
        )
    # a relative folder is another folder from another start folder
    key = (
        search if folder is None or not path_programs.relative_folders(search) else (search, folder)
    )
    if key in _FOLDERS_READ.get():
        return  # an outer reading reads every new file of this PATH: each once, not nested
    reading = _PATH_FILES.get()
    searched = _FOLDERS_READ.set(_FOLDERS_READ.get() | {key})
    try:
        _path_file_starts(search, folder, reading, env, depth, argv)
    finally:
        _FOLDERS_READ.reset(searched)


def _path_file_starts(
    search: str, folder, reading: frozenset, env, depth: int, argv: List[str] = ()
) -> None:
    from . import path_programs, startup_modules

    older: list = []
    unlisted: list = []
    unsure: list = []
    home = None
    if "~" in search:  # bash's ``~/bin``, from the HOME the command runs with (red team 86 F1)
        started = startup_modules.START_ENVIRON.get()
        home = env.get("HOME", (os.environ if started is None else started).get("HOME"))
    started = startup_modules.START_ENVIRON.get()
    cdpath = bool(env.get("CDPATH", (os.environ if started is None else started).get("CDPATH")))
    found = path_programs.new_programs(
        search, folder or os.getcwd(), None, older, unlisted, unsure, home, list(argv), cdpath
    )
    if unsure:
        raise Unreadable(unsure[0].replace("this start's PATH", "the PATH it is given"))
    if unlisted:
        raise Unreadable(
            f"the folder {unlisted[0]} on the PATH it is given can be searched but not listed "
            "by the kernel's user: Warden cannot find a program written there, which the "
            "programs it runs may run by name; make it readable (chmod u+r) or take it off PATH"
        )
    for path, kind in _new_files(found, env) + _older_files(older, env):
        if path in reading:
            continue  # a file read again inside its own reading adds nothing, and would loop
        if depth >= MAX_NESTING:
            raise Unreadable("the programs on its PATH are nested too deeply")
        token = _PATH_FILES.set(reading | {path})
        where, name = os.path.split(path)
        try:
            _older_or_side_start(
                path, kind, env, depth + 1, f"{name} in {where}, on the PATH the line gives"
            )
        except Unreadable as exc:
            raise Unreadable(
                f"the folder {where} on the PATH it is given holds {name}, a program file "
                f"{_OLDER if kind else 'written since the kernel started'}, which the programs "
                f"it runs may run by name; read as a start: {exc}"
            ) from None
        finally:
            _PATH_FILES.reset(token)


# An older program file on a PATH outside the machine's folders (``path_programs.Older``), named
_OLDER = "older than the kernel but not the machine's (outside root's system folders)"


def _older_files(older: list, env: Dict[str, str]) -> List[Tuple[str, str]]:
    """(path, kind) of the older program files of a PATH's folders (``path_programs.Older``,
    age81) a reading reads: those whose ``#!`` line is more than an interpreter and its one
    option ("full"), a Python's whose start does not keep the guard (asked once per line),
    and an interpreter's alone ("script") when the start sets a variable an interpreter
    reads; each read by ``_older_or_side_start``."""
    found: List[Tuple[str, str]] = []
    interpreter = _sets_interpreter_variable(env)
    for listed in older:
        for _words, files in listed.pythons.items():
            if not python_script_keeps_guard(files[0][0], env):
                found.extend((path, "full") for path, _ in files)
        found.extend((path, "full") for path, _ in listed.full)
        if interpreter:
            found.extend((path, "script") for path, _ in listed.scripts)
    return found


def _sets_interpreter_variable(env: Dict[str, str]) -> bool:
    """Whether the start sets a variable an interpreter reads as it starts
    (``_refuse_machine_script``'s own test)."""
    started = {**dict(_START_ENV.get()), **env}
    return any(interpreters.code_variable(k) for k in started) or any(
        _start_variable(k) and k != "PATH" for k in env
    )


def _new_files(found: List[str], env: Dict[str, str]) -> List[Tuple[str, str]]:
    """(path, kind) of the program files of a PATH's folders written since the kernel started
    (``path_programs.new_programs``) a reading reads: each as a new program (kind ''), but a
    new link to an older file under that file's own name (``path_programs.
    renamed_as_itself``) as that file is read where it lies: not at all when it is the
    machine's or native, else by its ``#!`` line as ``_older_files`` reads one (red team 86
    F5: ``bin/gzip -> ../lib/gzip``, the user's older installer script, ran unread)."""
    from . import path_programs

    files: List[Tuple[str, str]] = []
    interpreter = None
    for path in found:
        kind = path_programs.renamed_as_itself(path)
        if kind is None or kind == "full":
            files.append((path, ""))
        elif kind == "python" and not python_script_keeps_guard(path, env):
            files.append((path, ""))
        elif kind == "script":
            if interpreter is None:
                interpreter = _sets_interpreter_variable(env)
            if interpreter:
                files.append((path, "script"))
    return files


def _older_or_side_start(path: str, kind: str, env, depth: int, via: str) -> None:
    from .path_programs import unreadable

    why = unreadable(path)  # read as no file at all, though the start may run it (R86 F4)
    if why:
        raise Unreadable(why)
    if kind == "script":
        older_script_environment(path, env)
    else:
        _side_start(path, env, depth, via)


def python_script_keeps_guard(path: str, env: Dict[str, str]) -> bool:
    """Whether the Python a script's ``#!`` line starts (a console script's, read as
    ``_read_python_script_start`` reads its levels) keeps the guard with ``env``, its start-up
    modules checked (``_guardless_start`` of an empty script: None), before anything the
    script runs: the answer for every script of that line (age81: a venv's 30 console scripts
    cost one). A line Warden cannot read, one through a wrapper or more than one level, a
    guardless start or one whose start-up Warden refuses: False (the caller reads the file)."""
    try:
        starts = _shebang_starts(path, env)
    except Unreadable:
        return False
    if not starts or len(starts) != 1 or not _names_python(starts[0][0][0]):
        return False
    words, start_env = starts[0]
    if _wrapper_file(words[0]):
        return False
    try:
        if UNLAUNCHED.get():
            # a kernel without the launch guard: every Python it starts is guardless and is
            # searched for words only (``_guardless_start``), the plain `python x.py` an
            # attacker would write; a console script's line with no option is no more than
            # that (the fix63c cost: each read at the first start, +0.56 s CPU)
            return len(words) == 1
        return _guardless_start(words + [os.devnull], start_env) is None
    except Unreadable:
        pass
    # refused: by the line's installation or the start-up files as they are (a venv of a
    # Python Warden cannot verify, a changed standard library, a .pth in its site), which any
    # program that runs a Python by name meets in that installation's own native python in the
    # same folders, not read either (a native program is read by its name: ``path_programs``);
    # or by what this start's environment changes (PYTHONPATH, PYTHONWARNINGS...), which is
    # the start's own doing: then its scripts are read, as they are when the line itself drops
    # the guard (an option) or names a Python that cannot host it (2.7: its body runs unguarded)
    if len(words) != 1 or any(_guard_variable(n) and n != "PATH" for n in start_env):
        return False
    from . import guardless

    try:
        return guardless.hosts_guard(_start_interpreter(words[0], start_env), start_env)
    except Unreadable:
        return False


def older_script_environment(path: str, env: Dict[str, str]) -> None:
    """An older program file outside the machine's folders whose ``#!`` line names an
    interpreter and at most its one option (``#!/usr/bin/env node``, ``#!/usr/bin/perl -w``):
    its body is the declared script-file class (not read), and what its interpreter's
    start-up environment makes it do is weighed as for the machine's own scripts
    (``_refuse_machine_script``: NODE_OPTIONS, PERL5OPT, PYTHON*)."""
    _refuse_machine_script(path, path, [], env)


# What the shell line being read wrote before the command being read (red team 19 R19-2): a
# (writer, folder) for each folder an earlier writer may put or chmod a file in, (writer, "")
# for a writer whose targets Warden cannot place. Its outer lines' included, as ``_WRITTEN``.
_PATH_WRITES: ContextVar[tuple] = ContextVar("warden_path_writes", default=())
# The places an earlier writer on the line may have made a link at (red team 23 R23-1), as
# ``_PATH_WRITES`` (its outer lines' included): each a path, a link there or anything under it.
_LINK_PLACES: ContextVar[tuple] = ContextVar("warden_link_places", default=())
# Where the commands before the one being read may make a name (red team 57a R57a-1..5, -10):
# ``_PATH_WRITES``' places and those of the commands read as writing nothing that still make
# folders (``mkdir m``, ``uv venv m``: ``_made_places``), (writer, '') for one that may run
# before or while it anywhere. A name leading nowhere now (``dangling``) is weighed against them.
_MAKERS: ContextVar[tuple] = ContextVar("warden_makers", default=())
# The (program, environment) of each start the command being read makes (``run_paths``)
_RUN_ENVS: ContextVar[Optional[list]] = ContextVar("warden_run_envs", default=None)
# Builtins that look no program up on PATH: a command of these starts nothing a write finds
_STARTS_NOTHING = frozenset(
    (":", "[", "test", "true", "false", "echo", "printf", "cd", "pwd", "export", "set",
     "unset", "read", "exit", "return", "shift", "local", "declare", "typeset", "readonly")
)  # fmt: skip
# A word part Warden cannot place: a substitution or expansion the shell makes, a pattern
_UNPLACED = line_writers.UNPLACED  # `{a,b}` too: the shell makes two words
# a name's text the shell expands to one it computes: it may hold a `/`, so lead anywhere
_EXPANDED = re.compile(r"[$`\x01]")
# the system's folders and the machine's (``machine_folders``: where a writer Warden cannot
# place is not taken to write; where a root-owned program or standard library is the machine's)
_SYSTEM_FOLDERS = machine_folders.SYSTEM
MACHINE_FOLDERS = machine_folders.MACHINE


def _write_places(
    program: str,
    command: List[str],
    targets: List[str],
    env: Dict[str, str],
    runs: bool,
    before: Tuple[tuple, tuple] = ((), ()),
    guarded: bool = False,
) -> Tuple[list, List[str]]:
    """(``program``, folder) for each folder a writer may put or chmod a file in, the folder
    ``/``-suffixed where it may write anything under it (red team 20 R20-1, red team 21 R21-1):
    its redirection targets' folders, and where ``runs`` (the program itself writes) the
    places ``line_writers`` reads from its words: a writer on its allow list writes only what
    its operands and options name (``cp -r kit/bin .`` the tree of ./bin, ``tar -xf k.tar -C
    kd`` kd's); any other writer (a script, an unknown option, ``git pull``) anything under
    the folder it runs in and under every path its words name. (``program``, "") where a part
    is one Warden cannot place (a ``$``, a pattern in its folder, a folder a ``cd`` left
    unknown, a curlrc). A place of a redirection or of a writer of the list where a writer
    ``before`` it on the line may have made a link is one Warden cannot tell
    (``_through_links``). With them, the places where it may make a
    link (red team 23 R23-1: ``line_writers.links``; a writer off the list: where its words
    lead; a cp -r or mv of sources that hold no link now and that no earlier place of the line
    meets: none). ``before``: the line's earlier (writer, place) pairs and link places.
    ``guarded``: the command is a Python started with Warden's guard, its places of an unknown
    writer kept as a ``GuardedWriter``'s (red team 32 R32-3)."""
    base = current_folder()
    writer = program or "a redirection"
    if base is None:
        # after `cd d;`: where it writes from each folder it may run in (a failed cd: its own)
        each = _in_each_maybe_folder(
            lambda: _write_places(program, command, targets, env, runs, before, guarded)
        )
        if each is None:
            return [(writer, "")], []
        return [p for found, _ in each for p in found], [p for _, links in each for p in links]
    here = in_full(base)  # `lnk/..` as the kernel resolves it (R48a-2), as _places_of does
    written, links_before = before
    found = [p for target in targets for p in _places_of(writer, here, line_writers.FILE, target)]
    found = _through_links(found, links_before)
    redirected = found
    if not runs:
        _refuse_child_writes(found, env)
        return found, []
    # only the leading NAME=VALUE words are assignments: dd's `of=FILE` is an operand (red
    # team 33 R33-9: `dd if=p.pth of=<site>/zz.pth` was read as writing nothing)
    lead = next((i for i, w in enumerate(command) if not _ASSIGNMENT_WORD.match(w)), len(command))
    prefix = command[:lead]
    words = line_flow.unwrap_builtin(command[lead:])
    inherited = _inherited_environ()
    settings = {n: inherited[n] for n in line_writers.INHERITED_SETTINGS if n in inherited}
    env = {**settings, **env, **dict(w.split("=", 1) for w in prefix)}
    try:
        reach = line_writers.reach(program, words[1:], env)
    except line_writers.UnplacedWrites as unplaced:
        place = CodePlace() if isinstance(unplaced, line_writers.AnyPlace) else ""
        _refuse_child_writes(found + [(writer, place)], env)
        return found + [(writer, place)], []
    unknown = reach is None
    if unknown and not guarded and _drops_its_guard(program, words[1:]):
        # a Python started with -I/-E/-S writes where its code says, as awk's print > does
        # (red team 36 R36-2's class): no word names the place, and no guard refuses it
        found = found + [(writer, CodePlace())]
    derived: list = []  # an unknown writer's names beside its words' (``_derived_places``)
    if unknown:
        # writes where its own code or data says: all under where it runs and its words lead
        reach = [(line_writers.TREE, p) for p in ["."] + _word_paths(words[1:])]
        try:
            derived = _derived_places(writer, here, program, words[1:])
        except line_writers.AnyPlace:
            derived = [(writer, CodePlace())]
    replaces = not unknown and line_writers.replaces_files(program, words[1:], env)
    for kind, part in reach:
        places = _places_of(writer, here, kind, part)
        # an unknown program's places are taken on trust as they are: its code may write a
        # file anywhere as well as through a link (`tar xzf d.tgz && python3 a.py && python3
        # b.py` runs); a writer of the list writes by the names its words give
        if unknown and guarded:
            started = {**_inherited_environ(), **env}
            places = [(GuardedWriter.of(w, started), p) for w, p in places]
        elif unknown:
            places = [(CodeWriter(w), p) for w, p in places]
        elif replaces:
            places = [(ReplacingWriter(w), p) for w, p in places]
        found += places if unknown else _through_links(places, links_before)
    if derived and guarded:
        started = {**_inherited_environ(), **env}
        derived = [(GuardedWriter.of(w, started), p) for w, p in derived]
    found += derived
    # an unknown writer a Python the kernel starts runs writes where its code says (as on
    # the kernel's line: only a guarded Python's are refused, by its guard); the names it
    # derives from its words are the program's, not its code's (`bunzip2 <site>/zz.pth.bz2`)
    _refuse_child_writes(redirected + derived if unknown else found, env)
    made = line_writers.links(program, words[1:], env)
    sources = line_writers.copied_sources(program, words[1:])
    earlier = [(p, w.endswith("/")) for w, p in written] + [(p, True) for p in links_before]
    if made and sources and _plain_sources(sources, here, earlier, program == "mv"):
        made = []
    if made is None:  # what a writer off the list copies or unpacks lands where its words say
        made = [(line_writers.TREE, p) for p in _word_paths(words[1:])]
    # a link's own place (a writer's place Warden cannot tell is refused as such already)
    links = [_places_of(writer, here, kind, part)[0][1] for kind, part in made]
    return found, [place for place in links if place]


def _made_places(
    program: str, command: List[str], invocations: List[Invocation], wrote, inner: list, env=None
) -> list:
    """Where a command may make a name (``_MAKERS``), read where it runs (``start_folder``):
    its write places (``wrote``, when it writes), its inner lines' makers, and what the line
    reading counts as writing nothing yet makes: ``mkdir``'s operands (``-p``: their folders
    too, which a place under the name covers), an install's own folders (its words' paths and,
    for uv, ``.venv``: ``uv venv m``, ``uv sync``)."""
    found = list(wrote or ()) + list(inner)
    name = os.path.basename(program or "")
    words = line_flow.unwrap_builtin(command)
    if (name in _UNPACKERS and _tar_extracts(words[1:])) or name == "unzip":
        # an archive's members may be links and ``../`` names: not where its words say, but
        # where a tar without -P or an unzip without -: keeps them (``unpack_reach``)
        from .unpack_reach import confined

        lead = next((i for i, w in enumerate(words) if not _ASSIGNMENT_WORD.match(w)), 0)
        env = {**(env or {}), **dict(w.split("=", 1) for w in words[:lead])}
        if not confined(name, words[lead + 1 :], env, wrote):
            return found + [(name, "")]
        return found
    if name != "mkdir" and not invocations:
        return found
    base = current_folder()
    if base is None:
        # after a cd Warden cannot follow; after `cd d;`, from each folder it may run in
        each = _in_each_maybe_folder(lambda: _made_places(program, command, invocations, (), ()))
        return found + ([(name or "a command", "")] if each is None else sum(each, []))
    here = in_full(base)
    if name == "mkdir":
        from .dangling import mkdir_operands

        for word in mkdir_operands(words[1:]):
            found += _places_of(name, here, line_writers.FILE, word)
    for inv in invocations:
        parts = _word_paths(inv.args) + ([".venv"] if inv.tool == "uv" else [])
        for part in parts:
            found += _places_of(inv.tool, here, line_writers.TREE, part)
    return found


_UNPACKERS = frozenset(("tar", "gtar", "bsdtar"))


def _tar_extracts(args: List[str]) -> bool:
    """Whether a tar's words may extract (``x``, ``--extract``, ``--get``, or no mode Warden
    finds): its creating, listing and appending modes write only the archive."""
    if any(word in ("--extract", "--get") for word in args):
        return True
    modes = ""
    for i, word in enumerate(args):
        if i == 0 and not word.startswith("-"):
            modes += word  # the old style's bundle: `tar czf o.tgz a.txt`
        elif word.startswith("-") and not word.startswith("--"):
            modes += word[1:]
        elif word in ("--create", "--list", "--append", "--update", "--diff", "--compare"):
            modes += "c"
    return "x" in modes or not any(letter in modes for letter in "ctrudA")


def _makers_alongside(commands, k: int, places) -> tuple:
    """(writer, '') when a command of the line may run before or while the k-th one that
    the text puts after it (``_later_writers``' rule, mkdir counted: it makes folders)."""
    background = commands[k][2] == "&"
    alongside = background or commands[k][2] in _CONCURRENT
    loop, in_function = places[k].loop, places[k].in_function
    for j in range(k + 1, len(commands)):
        words, writes, after = commands[j][:3]
        if alongside or in_function or (loop is not None and places[j].loop == loop):
            program = os.path.basename(
                next((w for w in words if not _ASSIGNMENT_WORD.match(w)), "")
            )
            if writes or program == "mkdir" or program not in _NO_WRITE:
                return ((f"{program or 'a redirection'}, which may run before it", ""),)
        alongside = background or (alongside and after in _CONCURRENT)
    return ()


def _refuse_unsure_path_links(program: str, env: Dict[str, str], makers: tuple) -> None:
    """A link in a folder of the command's PATH that leads nowhere now, whatever its age
    (``dangling``: ``bin/gzip -> ../m/../x.pl``), where a command of the line up
    to this one may make what its resolution stops at (``mkdir m && tar czf o.tgz a.txt``):
    the command may run it by name (tar runs gzip, red team 18), and it runs what Warden
    never read (red team 57a R57a-1/-2). An older link is as unread as a new one (fix91h: uv
    runs the ``python3`` it finds on PATH): ``new_programs``' ``dangling`` names them."""
    name = os.path.basename(program)
    if not makers or not name or name in _STARTS_NOTHING or name in INERT_PROGRAMS:
        return  # runs no program by name
    from . import dangling, path_programs

    search = env.get("PATH") or startup_modules_value("PATH") or os.defpath
    base = current_folder()
    if base is None and any(not f.startswith("/") for f in search.split(os.pathsep)):
        return  # `_refuse_path_programs` refuses a relative folder where none is told
    for folder in search.split(os.pathsep):
        # a folder of PATH leading nowhere now (``B -> m/../realbin``) lists no program until
        # the line makes it resolve (red team 81 R81-4): whatever it holds then may run
        path = os.path.join(in_full(base) if base else os.getcwd(), folder or ".")
        if os.path.isdir(path) and not os.path.islink(path):
            continue
        reason = dangling.unsure(path)
        writer = dangling.maker(reason, makers, on_trust=True) if reason is not None else ""
        if writer:
            what = f"{path}, a folder of PATH that {program} may run programs from by name,"
            raise Unreadable(dangling.refusal(reason, writer, what))
    older: list = []  # the older links leading nowhere now, found by the same walk
    here = in_full(base) if base else os.getcwd()
    for path in path_programs.new_programs(search, here, dangling=older) + older:
        if os.path.exists(path) or not os.path.islink(path):
            continue
        reason = dangling.unsure(path)
        writer = dangling.maker(reason, makers, on_trust=True) if reason is not None else ""
        if writer:
            folder, name = os.path.split(path)
            what = f"{name} in {folder}, a link on PATH that {program} may run by name,"
            raise Unreadable(dangling.refusal(reason, writer, what))


def _refuse_unsure_named(program: str, path: str) -> None:
    """A program named by its path (``./x``, ``uv run ./x``) through a link leading nowhere
    now (``dangling``: ``x -> m/../real.sh``): the kernel reads "no file" and nothing runs,
    but a command before it on the line that may make what the link is stuck at (``mkdir m``)
    makes it run ``real.sh``, which Warden never read (red team 57c R57c-2)."""
    if os.path.exists(path) and not os.path.islink(path):
        return  # the common program: a file, no link to re-point
    from . import dangling

    reason = dangling.unsure(path)
    writer = dangling.maker(reason, _MAKERS.get()) if reason is not None else ""
    if writer:
        raise Unreadable(dangling.refusal(reason, writer, f"the program {program}, named by path,"))


def _refuse_unsure_lookup(program: str, search: Optional[str], found: str) -> None:
    """A bare program name looked up on PATH passes over a folder whose entry of that name
    is a link leading nowhere now (``dangling``: ``B/pip -> ../m/../evil``, the kernel's
    resolution stops at the missing m) to a later folder's file (``found``; '' none): when a
    command before it on the line may make what the link is stuck at (``mkdir m && pip ...``),
    the shell finds B/pip then and runs evil (red team 57a R57a-1/-2). Old links and new
    alike; a line that makes nothing there runs (a venv's stale ``bin/gone``)."""
    makers = _MAKERS.get()
    if program in _STARTS_NOTHING:
        return  # a builtin: the shell looks nothing up
    if search is None:
        search = os.environ.get("PATH", os.defpath)
    from . import dangling

    for folder in search.split(os.pathsep):
        try:
            folder = _placed(folder or ".", False)
        except Unreadable:
            return  # `_which` refused it already
        candidate = os.path.join(folder, program)
        if candidate == found:
            return
        if not dangling.may_lead_elsewhere(candidate):
            continue
        reason = dangling.unsure(candidate)
        if reason is None:
            continue
        writer = dangling.maker(reason, makers)
        if writer:
            what = f"the program {program}, looked up on PATH,"
            raise Unreadable(dangling.refusal(reason, writer, what))


def _drops_its_guard(program: str, args: List[str]) -> bool:
    """Whether ``program args`` is a Python whose options drop Warden's guard (-I, -E, -S:
    ``_GUARD_DROPPING``) and whose code may write (a script, stdin, or ``-c`` text that names
    a way to write: ``_PY_MAY_WRITE``; `python3 -I -c 'import json; print(json.dumps(x))' |
    grep 1` prints). Only these: a Python the line reading does not list as guarded for
    another reason (`PYTHONPATH=src python prep.py`) is left to its words' places."""
    if not _PYTHON.match(program_name(program)):
        return False
    mode, target, flags, _rest = python_start(args)
    if not set(flags) & _GUARD_DROPPING:
        return False
    if mode != "c" or target is None or _PY_MAY_WRITE.search(target):
        return True
    return _imports_unplaced(target, set(flags))


def _imports_unplaced(code: str, flags: Set[str]) -> bool:
    """Whether a guardless Python's ``-c`` code imports a module whose code Warden does not
    place as harmless (red team 37a R37a-2: `python -S -c "import w"` ran the working folder's
    w.py, which wrote a site .pth): any module outside the standard library, and, unless -I
    (or -P with -E) keeps the working folder and PYTHONPATH off ``sys.path``, any module at
    all (a `json.py` beside it shadows the standard library's). Code that does not parse
    counts too (its imports are not told)."""
    from . import guardless

    try:
        tops = guardless.imported_tops(code)
    except (SyntaxError, ValueError):
        return True
    if not tops:
        return False
    if "I" not in flags and not {"P", "E"} <= flags:
        return True
    return not tops <= guardless._STDLIB_NAMES


# what ``-c`` text must name to write a file or run something that does: an open, a module or
# name that writes, starts or loads code, or text built at run time (escapes, chr, bytes,
# getattr): a word of these anywhere counts (no parsing: a false refusal at worst)
_PY_MAY_WRITE = re.compile(
    r"open|write|copy|move|rename|replace|link|mkdir|makedirs|touch|shutil|pathlib|Path|"
    r"\bos\b|posix|io\b|subprocess|system|popen|spawn|exec|eval|compile|import_module|"
    r"__import__|importlib|getattr|globals|vars|__dict__|chr|bytes|codecs|decode|\\|"
    r"tarfile|zipfile|sqlite|pickle|marshal|ctypes|runpy|site|builtins|sys\.modules|"
    r"tempfile|logging|dbm|shelve|mmap|fcntl|pty|socket"
)


def _plain_sources(
    sources: List[str], here: str, earlier: List[Tuple[str, bool]], moved: bool
) -> bool:
    """Whether a cp -r/-a/-P or mv (``moved``) of ``sources`` surely leaves no link: each
    source is there now, no link and holding none (``_holds_links``), and no earlier writer on
    the line wrote at, under or over it (its links would be new). ``cp -r template/ proj &&
    sed -i s/a/b/ proj/conf.py`` then keeps its places."""
    for source in sources:
        if _UNPLACED.search(source) or source.startswith("~"):
            return False
        path = link_walk.physical(os.path.join(here, source))
        if _overlaps(path, True, earlier) or _holds_links(path, moved):
            return False
    return True


def _holds_links(path: str, moved: bool) -> bool:
    """Whether ``path`` is or holds a link, looked at now (no entry: a writer on the line may
    make one), walked without following for at most ``_WALK_BOUND`` entries; for a move
    (``moved``) a file of more than one name too: it keeps its identity (another name of a
    PATH program stays one under its new name)."""
    stack, count = [path], 0
    while stack:
        at = stack.pop()
        try:
            info = os.lstat(at)
        except OSError:
            return True
        if stat.S_ISLNK(info.st_mode):
            return True
        if moved and stat.S_ISREG(info.st_mode) and info.st_nlink > 1:
            return True
        if not stat.S_ISDIR(info.st_mode):
            continue
        try:
            with os.scandir(at) as entries:
                names = [entry.path for entry in entries]
        except OSError:
            return True
        count += len(names)
        if count > _WALK_BOUND:
            return True
        stack += names
    return False


def _overlaps(place: str, tree: bool, others: List[Tuple[str, bool]]) -> bool:
    """Whether ``place`` (``tree``: anything under it) meets one of ``others`` ((place, tree);
    "" a place Warden cannot tell: anywhere): the same, or one under the other's tree, by the
    names the line gives and the names the file system resolves now."""
    names = {place, os.path.realpath(place)}
    for other, other_tree in others:
        if not other:
            return True
        for at in {other, os.path.realpath(other)}:
            for name in names:
                if name == at or (other_tree and _under(name, at)) or (tree and _under(at, name)):
                    return True
    return False


def _through_links(places: list, links: tuple) -> list:
    """``places`` of a writer, each one at or under a place where an earlier writer on the line
    may have made a link (or, for a tree, over one) counted as a place Warden cannot tell (red
    team 23 R23-1: ``cp -s pbin/gzip g && chmod +x g``, ``tar xf kit.tar -C kd && cp x
    kd/l/gzip``): the link does not exist when Warden resolves the place, before the line
    runs, so where it leads is not known."""
    if not links:
        return places
    out = []
    for writer, place in places:
        if place and _overlaps(place, writer.endswith("/"), [(link, True) for link in links]):
            writer, place = f"{writer.rstrip('/')}, where an earlier one may make a link", ""
        out.append((writer, place))
    return list(dict.fromkeys(out))


def _derived_places(writer: str, here: str, program: str, args: List[str]) -> list:
    """The (writer, place) pairs of a writer off ``line_writers``' list for the files it may
    write under a name derived from a word's, beside it (red team 37b R37b-2): a decompressor
    takes a suffix off (``bunzip2 <site>/zz.pth.bz2``, ``xz -d``, ``zstd -d``), a backup maker
    adds one (``rsync -b --suffix=.pth``, ``patch -b -z .pth``, ``rename.ul``), so no word
    names the file and R31-6's by-name rule reads none: each word's folder as an ``AnyName``
    (any name in it; it costs only where that folder is one a later start reads: a site
    folder, a PYTHONPATH or PATH folder), and an in-place editor's backups by their names
    (``line_writers.in_place_writes``: ``perl -i.pth``). A word whose folder Warden cannot
    place is one already (its own tree)."""
    places = []
    for path in _word_paths(args):
        where = os.path.dirname(path)
        if where and not (_UNPLACED.search(where) or where.startswith("~")):
            folder = link_walk.walk(os.path.join(here, where)).end
            places.append((writer, AnyName(folder)))
    for kind, part in line_writers.in_place_writes(program, args):
        places += _places_of(writer, here, kind, part)
    return list(dict.fromkeys(places))


class CodeWriter(str):
    """A writer off ``line_writers``' list (a script, ``make``, ``python train.py``): its own
    code says where it writes, by any path, and Warden takes that on trust (R19-2's rule
    counts only the places its words name). A tree it writes is not walked for links leading
    out of it (red team 50a R50a-3): what it could write through a link under the folder it
    runs in it could write by the link's target's own path, which no rule refuses."""


class ReplacingWriter(str):
    """A writer of the list that replaces an existing file at a name it writes instead of
    writing into it (``line_writers.replaces_files``: tar x without --overwrite): a tree it
    writes reaches out of itself only through its links to folders (red team 50a R50a-3)."""


class AnyName(str):
    """A folder where a writer may write a file of any name (``_derived_places``): a plain
    (writer, folder) place to the PATH rule, which reads every such place so; to R31-6's
    by-name rule a write of any start-up name in that folder itself (not under it)."""


def _word_paths(words: List[str]) -> List[str]:
    """The paths a program's words may name (``start_writes.word_paths``: one rule for the
    kernel's line and the Pythons it starts)."""
    from .start_writes import word_paths

    return word_paths(words)


class UnplacedFile(str):
    """A place Warden cannot tell ("", as every such place) of one file whose name the line
    gives (``touch "$OUT/done"``, ``cp m.pt ~/models/m.pt``): wherever it lands, a file of
    that name may or may not be one a Python runs as it starts (``_inert_name``)."""

    name = ""

    def __new__(cls, name: str) -> "UnplacedFile":
        place = super().__new__(cls, "")
        place.name = name
        return place


class CodePlace(str):
    """A place Warden cannot tell ("", as every such place) of a writer whose own inline code
    says where it writes (red team 36 R36-2: ``awk '{print > ENVIRON["T"]}'``, ``perl -e
    'open(...)'``, ``line_writers.CodeWrites``): not a name a cell gives for its output, so it
    counts for every folder a later Python starts from that the kernel's user may write, its
    site folders too (``_refuse_start_places_written``)."""

    def __new__(cls) -> "CodePlace":
        return super().__new__(cls, "")


# what a Python imports or its site runs as it starts, by a file's name: modules, bytecode,
# extensions, archives on sys.path, .pth files, setuptools' editable finders
_START_SUFFIXES = (".py", ".pyc", ".pyo", ".pyw", ".so", ".pyd", ".zip", ".egg", ".pth")


def _inert_name(name: str) -> bool:
    """Whether a file named ``name`` is nothing a Python's start runs, in any folder: not a
    module, bytecode, extension, archive or ``.pth``, nor an editable finder (a ``sitecustomize``
    file without ``.py`` is no module). A folder moved or linked to that name is the caller's
    to weigh (the names on the way to the start's folders)."""
    return (
        bool(name)
        and not _UNPLACED.search(name)
        and not name.startswith("__editable__")
        and not name.lower().endswith(_START_SUFFIXES)
    )


def _places_of(writer: str, here: str, kind: str, part: str) -> list:
    """The (writer, folder) pairs of one path ``part`` a writer writes: the path itself (its
    tree: ``writer/``) and the folder holding it, by the name the line gives and by the name
    the file system resolves it to (red team 22 R22-1: ``chmod +x g`` with ``g -> pbin/gzip``
    writes pbin/gzip, a file of pbin); a part Warden cannot place: (writer, ""), an
    ``UnplacedFile`` where it is one file of a name the line gives."""
    where, name = os.path.split(part)
    # a name the shell computes (`cp p.pth "$D"`, D a site folder's zz.pth) may be any path
    if _UNPLACED.search(where) or part.startswith("~") or _EXPANDED.search(name):
        if kind == line_writers.FILE and name and not _UNPLACED.search(name):
            return [(writer, UnplacedFile(name))]
        return [(writer, "")]
    # by the kernel's resolution, not the text's: `lnk/../x` is x beside lnk's target (R24-2)
    path = link_walk.physical(os.path.join(here, part))
    if _UNPLACED.search(name):
        # a pattern (`gzip -d site/*.gz`'s outputs, split's pieces `zz*`): any name in its
        # folder, the folder's tree
        path = link_walk.walk(os.path.join(here, where or ".")).end
        kind = line_writers.TREE
    itself = writer + "/" if kind == line_writers.TREE else writer
    folders = dict.fromkeys((os.path.dirname(path), os.path.dirname(os.path.realpath(path))))
    return [(itself, path)] + [(writer, folder) for folder in folders]


def _refuse_path_written(env: Dict[str, str]) -> None:
    """A command after a writer on its line that may have put or chmodded a file in a folder of
    the PATH the command starts with (red team 19 R19-2: ``cp x.pl bin/gzip && chmod +x bin/gzip
    && tar czf o.tgz a.txt``, tar running gzip from PATH): Warden lists PATH's folders when the
    line's shell starts, before the writer runs, so the file is not read: unreadable, naming
    the folder. A writer Warden cannot place refuses when PATH holds a folder that is not the
    system's and that the kernel's user may write (a venv's bin, a folder the cell made)."""
    if not _PATH_WRITES.get():
        return
    search = env.get("PATH") or startup_modules_value("PATH") or os.defpath
    base = current_folder()
    folders = []
    for folder in search.split(os.pathsep):
        folder = folder or "."
        if not folder.startswith("/"):
            if base is None:
                continue  # `_refuse_path_programs` refuses a relative folder where none is told
            folder = os.path.join(os.getcwd(), base, folder)
        folders.append(folder)  # as written: `_SearchFolders` resolves it as the kernel does
    _refuse_folders_written(folders)


def _refuse_folders_written(folders: List[str]) -> None:
    """``_refuse_path_written`` for a list of program folders (absolute, as written), each one
    folder whatever its name holds (a ``:`` is no separator here: red team 86 F3)."""
    written = _PATH_WRITES.get()
    search_folders = _SearchFolders(folders)
    for writer, place in written:
        if isinstance(writer, GuardedWriter):
            bare = _unguarded_path_folder(folders, writer.env)
            if bare:
                raise Unreadable(
                    f"an earlier command on the line ({writer.rstrip('/')}) is a Python that may "
                    f"write {bare}, a folder of the PATH the command after it starts with, whose "
                    "programs it may run by name; its guard refuses writing programs only in "
                    "the folders of its own PATH, and Warden lists PATH's folders before the "
                    "line runs: run the command as its own line, or give both the same PATH"
                )
        # the walk for links out of a tree is for the writers of the list (red team 50a R50a-3)
        walk = not isinstance(writer, (CodeWriter, GuardedWriter))
        file_links = not isinstance(writer, ReplacingWriter)
        tree, writer = writer.endswith("/"), writer.rstrip("/")
        found = search_folders.written(place, tree, walk, file_links)
        if found is not None:
            hit, how = found
            raise Unreadable(
                f"an earlier command on the line ({writer}) {how}, a folder of the PATH it "
                "starts with, whose programs the programs it runs may run by name; Warden "
                "lists PATH's folders before the line runs: run the command as its own line "
                "(its own ! line or os.system call)"
            )


def _unguarded_pythonpath_folder(folders: List[str], env: Dict[str, str]) -> str:
    """A folder of ``folders`` (a later Python start's PYTHONPATH) that a guarded Python
    started with ``env`` may write start-up modules in ('' none): its guard refuses that in the
    folders of its own PYTHONPATH only, with the one its boot puts back in front
    (``start_writes._pythonpath_folder``, red team 34 R34-6)."""
    words = env.get("PYTHONPATH", "").split(os.pathsep)
    words += env.get(DEFERRED_PYTHONPATH_ENV, "").split(os.pathsep)
    own = {os.path.realpath(w) for w in words if os.path.isabs(w)}
    if any(w and not os.path.isabs(w) for w in words):  # asked only then (R57b-1)
        base = _start_folder_or_cwd()
        own |= {os.path.realpath(os.path.join(base, w)) for w in words if w}
    for folder in folders:
        if os.path.realpath(folder) not in own:
            return folder
    return ""


def _unguarded_path_folder(folders: List[str], env: Dict[str, str]) -> str:
    """A folder of ``folders`` (a later start's PATH) that a guarded Python started with
    ``env`` may write programs in ('' none): its guard refuses that in the absolute folders of
    its own PATH only (``path_writes``, red team 34 R34-c), and the kernel's user may write
    this one, or it is missing (the writer may make it)."""
    own = {os.path.normpath(f) for f in env.get("PATH", os.defpath).split(os.pathsep)}
    own |= {os.path.realpath(f) for f in own if f.startswith("/")}
    for folder in folders:
        at = os.path.normpath(folder)
        if at in own or os.path.realpath(at) in own:
            continue
        if not os.path.isdir(at) or _user_folder(at):
            return at
    return ""


# The Python starts read on the shell line being read, for the writers AFTER them that run
# before or while they start (red team 32 R32-2: `python -c pass & cp p.pth <site>/zz.pth`):
# (where, flags, env, the start folder, ``_SHALLOW_TREES``), checked by ``shell_invocations``
# once those writers are placed. None outside a line's command.
_STARTS_READ: ContextVar[Optional[list]] = ContextVar("warden_starts_read", default=None)
# The program words of the Pythons read as keeping Warden's guard while the line's command is
# read (``_write_places``' ``guarded``). None outside a line's command.
_GUARDED_STARTS: ContextVar[Optional[list]] = ContextVar("warden_guarded_starts", default=None)


class GuardedWriter(str):
    """A writer that is a Python started with Warden's guard (red team 32 R32-3, R32-6): its
    guard refuses creating or replacing a start-up name in any site folder or standard library
    (``installs.start_writes``), so its places count there only for what its guard does not
    cover (PYTHONPATH folders, the folders ``.pth`` path lines add). ``env``: the environment
    it starts with, which says whose pyenv hooks its guard refuses writing
    (``pyenv_places.guarded_places``)."""

    env: Dict[str, str] = {}

    @classmethod
    def of(cls, writer: str, env: Dict[str, str]) -> "GuardedWriter":
        made = cls(writer)
        made.env = env
        return made


def _refuse_start_places_written(
    where: Optional[str],
    flags: Set[str],
    env: Dict[str, str],
    written: Optional[tuple] = None,
    child: bool = False,
):
    """A Python start after a writer on its line that may have put a start-up module where the
    Python imports from as it starts (red team 31 R31-6): a module its standard library's
    start imports (``STDLIB_START``) or a ``.pth`` imports, in its PYTHONPATH folders (the
    line's or the inherited one), its site and user-site folders and the folders their ``.pth``
    path lines add; in a site folder a ``.pth`` or an ``__editable__`` file too; in the
    kernel's standard library its start-up modules. Warden read them before the line ran, and
    they run before the guard (or a guardless start's first line): unreadable. A writer of a
    named file counts only when the name is one of these (red team 32: `cp raw.csv data.csv`
    in a folder of PYTHONPATH); a writer of a tree (anything under a folder) where it holds one
    of the folders, a guarded Python (``GuardedWriter``) only where its guard does not refuse
    the write. ``where``: the Python's program file (None: not found, read elsewhere).
    ``written``: the writers to read (default: the line's earlier ones, and the start is kept
    for the later ones, ``_STARTS_READ``). ``child``: the writers are a command a Python the
    kernel starts runs (``_refuse_child_writes``), ``where`` that Python: one Warden cannot
    place counts for its site folders too."""
    if written is None:
        kept = _STARTS_READ.get()
        if kept is not None:
            shallow = _SHALLOW_TREES.get()
            kept.append((where, frozenset(flags), dict(env), _START_FOLDER.get(), shallow))
        written = _PATH_WRITES.get()
    if not written:
        return
    from . import start_files

    if where and not child:
        _refuse_program_places_written(where, written)
    folders = startup_modules.pythonpath_folders(flags, env, _start_folder_or_cwd)
    pythonpath = list(folders)
    sites: List[str] = []
    if "S" not in flags:
        sites = startup_modules.user_sites(flags, env, _start_folder_or_cwd)
    # a writer Warden cannot place counts for the folders a cell names or owns (PYTHONPATH, the
    # user sites); for a venv's site folders, where its bin is on PATH (R19-2's rule)
    unplaced = _SearchFolders(folders + sites)
    if "S" not in flags:
        sites += start_files.site_folders(where)
        folders += start_files.pth_path_folders(sites)
    if child:  # its own site folders, as it found them at its start
        from .own_python import OWN

        own = [f for f in OWN.site_packages if f not in sites]
        sites += own
        folders += start_files.pth_path_folders(own)
        unplaced = _SearchFolders(folders + sites)
    names = set(start_files.STDLIB_START) | startup_modules.pth_imports(sites)
    # the folders whose start-up names a guarded writer's guard refuses: sites, the stdlib
    covered = list(sites)
    named = {f: names for f in folders + sites}
    if start_files._own_stdlib(where):
        archive, library, dynload = startup_modules.stdlib_folders()
        covered += [os.path.dirname(archive), library, dynload]
        named.update({f: set(start_files.STDLIB_START) for f in (library, dynload)})
        named[os.path.dirname(archive)] = {os.path.basename(archive)}
    places = [os.path.join(f, n) for f, ns in named.items() for n in sorted(ns)]
    search = _SearchFolders(places + [os.path.join(p, "__pycache__") for p in places])
    trees = _SearchFolders(folders + covered)
    uncovered = _SearchFolders(folders)
    # an existing file of the site folders under another name (a hard link) is written in place
    linked = _SearchFolders(sites)
    walk = not _SHALLOW_TREES.get()
    # the names on the way to the start's folders: a file an unplaced writer names may be a
    # folder it moves or links there (`mv kit "$D/site-packages"` makes a user site)
    components = {c for f in folders + covered for c in f.split(os.sep)}
    for writer, place in written:
        tree, guarded = writer.endswith("/"), isinstance(writer, GuardedWriter)
        if guarded and not child:
            bare = _unguarded_pythonpath_folder(pythonpath, writer.env)
            if bare:
                raise Unreadable(
                    f"an earlier command on the line ({writer.rstrip('/')}) is a Python that "
                    f"may write {bare}, a PYTHONPATH folder a Python started after it imports "
                    "from as it starts; its guard refuses writing start-up modules only in the "
                    "folders of its own PYTHONPATH, and Warden reads them before the line runs: "
                    "run the Python as its own line, or give both the same PYTHONPATH"
                )
        writer = writer.rstrip("/")
        if not place:
            name = getattr(place, "name", "")
            if not tree and _inert_name(name) and name not in components:
                continue  # a file no start runs, wherever it lands (`touch "$OUT/done"`)
            found = (trees if isinstance(place, CodePlace) else unplaced).written(place, tree)
        elif tree:
            found = (uncovered if guarded else trees).written(place, tree, walk)
            # a tree that IS a start-up name of a start folder (red team 33 R33-9: `mv x.pth
            # <site>/zz.pth`, `ln`, `cp -r`/`-a` place their DEST as a tree): written by name
            # too; a guarded writer's only in the folders its guard does not cover
            if found is None and guarded:
                found = _start_name(place, [], {f: named[f] for f in folders if f in named})
            elif found is None:
                found = search.written(place, False) or _start_name(place, sites, named)
                found = found or _hard_linked(place, linked)
        elif isinstance(place, AnyName):
            found = (uncovered if guarded else trees).written(place, False)
        else:
            found = search.written(place, False) or _start_name(place, sites, named)
            found = found or _hard_linked(place, linked)
        if found is None and child and place:
            # any Python's site folder or library, by its name (``start_writes``' rule)
            from .start_writes import written_folder

            if isinstance(place, AnyName):
                hit = written_folder(place, tree=True)
                found = (hit, f"may write a file of any name in {hit}") if hit else None
            else:
                hit = written_folder(place, tree=tree)
                found = (hit, f"may write {place}, a start-up name of {hit}") if hit else None
        if found is not None and child:
            raise Unreadable(
                f"it runs a command ({writer}) that {found[1]}, a folder this Python imports "
                "from as it starts, before Warden's guard; a Python the kernel starts may not "
                "write there: install packages with pip, which Warden decides"
            )
        if found is not None:
            raise Unreadable(
                f"an earlier command on the line ({writer}) {found[1]}, a folder a Python "
                "started after it imports from as it starts (its PYTHONPATH, site folders or "
                "standard library), before Warden's guard; Warden reads them before the line "
                "runs: run the Python as its own line (its own ! line or os.system call)"
            )


def _refuse_program_places_written(where: str, written: tuple) -> None:
    """A Python start after a writer on its line that may change the start's own files (red
    team 33): its program file or a link on its way (R33-6: `cp evil.sh <venv>/bin/python &&
    <venv>/bin/python train.py` runs the shell script as the Python), the ``pyvenv.cfg`` beside
    it or one folder up (R33-3: its ``home`` gives the Python another standard library), a
    ``._pth`` getpath reads (R33-4: the Python starts with no site, so no guard). Warden reads
    them before the line runs: unreadable. By name, a hard link's other name, or (a writer
    Warden does not trust) a tree holding one; a guarded Python's places by name only (its
    folder holds the venv in R32-6's layout: `python prep.py && python train.py` runs)."""
    from . import start_files

    if not os.path.isabs(where):  # a relative program: where it starts
        where = os.path.join(_start_folder_or_cwd(), where)
    files = start_files.program_places(where)
    by_name = {os.path.realpath(f) for f in files} | set(files)
    pth_folders = set(start_files.pth_config_folders(where))
    names = {os.path.basename(f) for f in files}
    try:
        real = os.stat(os.path.realpath(where))
        program_id = (real.st_dev, real.st_ino)
    except OSError:
        program_id = None
    for writer, place in written:
        tree, guarded = writer.endswith("/"), isinstance(writer, GuardedWriter)
        writer = writer.rstrip("/")
        hit = ""
        if not place:
            name = getattr(place, "name", "")
            if name and (name in names or name.endswith("._pth")):
                hit = f"writes a file named {name}, which Warden cannot place"
        else:
            at = os.path.realpath(place)
            folder, name = os.path.split(at)
            if place in by_name or at in by_name:
                hit = f"may write {place}"
            elif name.endswith("._pth") and folder in pth_folders:
                hit = f"may write {place}, a ._pth file getpath reads"
            elif tree and not guarded and any(_under(f, at) for f in by_name):
                hit = f"may write anything under {place}"
            elif program_id is not None and not tree:
                try:
                    info = os.stat(at)
                    same = (info.st_dev, info.st_ino) == program_id
                except OSError:
                    same = False
                hit = f"may write {place}, another name of {where}" if same else ""
        if hit:
            raise Unreadable(
                f"an earlier command on the line ({writer}) {hit}, a file the Python {where} "
                "starts from (its program, a link on its way, its pyvenv.cfg or a ._pth file), "
                "before Warden's guard; Warden reads it before the line runs: run the Python as "
                "its own line (its own ! line or os.system call)"
            )


def _refuse_installer_starts(invocations: List[Invocation]) -> None:
    """What an installer's program runs before it decides anything, read where ``_simple``
    returns it as an installer: a pyenv shim's hooks (``pip`` through the shims: red team 32
    R32-9), and uv's query of a Python it is named (red team 32 R32-12) after a writer on its
    line, whose ``FILE -I -B -c QUERY`` keeps no guard while its site runs every ``.pth``:
    read as R31-6's Python start (``_refuse_start_places_written`` with ``-I``). A Python uv
    finds on its own after a writer is refused whole (``uv_inputs.interpreter_problem``)."""
    from . import uv_inputs

    for inv in invocations:
        env = {**_inherited_environ(), **inv.env}
        if os.sep in inv.program:
            program = _placed(inv.program, False)
        else:
            program = _which(inv.program, env.get("PATH"), False)
        _refuse_pyenv_hooks(program, env)
        if inv.tool == "pip":
            _refuse_pip_imports(inv, env)
        if inv.tool != "uv" or not _PATH_WRITES.get() or UNLAUNCHED.get():
            continue
        cwd = inv.cwd if os.path.isabs(inv.cwd) else os.path.join(_start_folder_or_cwd(), inv.cwd)
        for path in uv_inputs.named_interpreters(inv.args, env, cwd):
            try:
                _refuse_start_places_written(path, {"I"}, env)
            except Unreadable as exc:
                why = f"uv runs {path[:200]} to query it, without a guard: {exc}"
                raise Unreadable(why) from None


def _refuse_pip_imports(inv: Invocation, env: Dict[str, str]) -> None:
    """A pip command that installs nothing, whose Python imports a module of a folder the cell
    may write in place of one pip's files import (red team 57a R57a-9: ``PYTHONPATH=sub pip
    list`` runs ``sub/socks.py`` in a pip the line took Warden's guard from): Unreadable.
    ``reader_program.foreign_imports``. An installing pip is left to its own rules (one that
    keeps the guard decides in its process; one that loses it is refused)."""
    from .arguments import pip_command
    from .pip_commands import PIP_INSTALLING

    if pip_command(inv.args)[0] in PIP_INSTALLING:
        return
    why = reader_program.foreign_imports(inv, env)
    if why:
        raise Unreadable(why)


def _inherited_environ() -> Dict[str, str]:
    """The environment the start inherits where the reading's own does not say."""
    given = startup_modules.START_ENVIRON.get()
    return dict(os.environ if given is None else given)


def _uv_run_env(args: List[str], env: Dict[str, str]) -> Dict[str, str]:
    """The environment of the command ``uv run CMD`` runs: uv puts the scripts folder of the
    environment it chooses first on PATH (red team 86 F8: the project's ``.venv/bin``, a
    ``--no-project`` run's nearest venv; ``uv_run_path``), and a named Python's folder
    (``uv run -p FILE``: red team 32 R32-12), so CMD's ``python``, and what CMD runs by name,
    is found there, not on the kernel's PATH."""
    from . import uv_inputs, uv_run_path

    base = current_folder()
    if base is None:
        raise Unreadable(
            "uv run runs its command with its environment's scripts folder first on PATH, "
            "found from the folder it starts in, which an earlier `cd` Warden cannot follow "
            "left unknown: cd to a folder written out"
        )
    cwd = os.path.join(os.getcwd(), base)
    merged = {**_inherited_environ(), **env}
    named = uv_inputs.named_interpreters(args, merged, cwd)
    folders = [os.path.dirname(named[0])] if named else []
    options, _words = uv_inputs._command_line(args)
    folders += uv_run_path.scripts_folders(options, merged, cwd)
    if not folders:
        return env
    return {**env, "PATH": _path_in_front(folders, merged, "uv run")}


def _conda_run_env(program: str, options: List[str], env: Dict[str, str]) -> Dict[str, str]:
    """The environment of the command ``conda run [options] CMD`` runs: conda activates the
    environment, its ``bin`` first on PATH (red team 88: a new ENV/bin/gzip ran when tar ran
    gzip), every environment ``conda_run_path`` says it may be in front; an activation script
    changed since the kernel started (sourced before CMD, unread) is unreadable."""
    from . import conda_run_path

    base = current_folder()
    if base is None:
        raise Unreadable(
            "conda run runs its command with its environment's bin folder first on PATH, "
            "which a relative -p names from the folder it starts in, and an earlier `cd` "
            "Warden cannot follow left that folder unknown: cd to a folder written out"
        )
    merged = {**_inherited_environ(), **env}
    path = _placed(program) if os.sep in program else _which(program, merged.get("PATH"))
    found = conda_run_path.prefixes(options, merged, path or "", in_full(base))
    changed = conda_run_path.activation_scripts(found)
    if changed:
        raise Unreadable(
            f"conda run sources {changed[0]}, an activation script written since the kernel "
            "started, before its command, and Warden does not read it: run the command with "
            "the environment's programs named, or restart the kernel"
        )
    folders = conda_run_path.bin_folders(found)
    if not folders:
        return env
    return {**env, "PATH": _path_in_front(folders, merged, "conda run")}


def _conda_spelled(name: str, args: List[str]) -> List[str]:
    """conda's words with its abbreviated long options written out (``long_options``)."""
    from .long_options import conda_args

    try:
        return conda_args(args)
    except ValueError as exc:
        raise Unreadable(f"{name}: {exc}") from None


def _npm_run_env(called: str, name: str, args: List[str], env: Dict[str, str]) -> Dict[str, str]:
    """The environment whose PATH the command npm, npx, yarn or pnpm runs searches (red team
    88 F6: ``npx gzip``, ``npm exec --call='tar czf ...'`` running a new node_modules/.bin/gzip):
    ``env`` with the ``node_modules/.bin`` folders ``npm_run_path`` names in front of PATH;
    ``env`` itself for any other program or a start that runs nothing. ``called``: the name
    the start gives, ``name``: the program it resolves to (npx is a link to npx-cli.js)."""
    from . import npm_run_path

    name = called if called in npm_run_path.RUNNERS else name
    if name not in npm_run_path.RUNNERS:
        return env
    base = current_folder()
    if base is None:
        raise Unreadable(
            f"{name} runs its command with node_modules/.bin of the folder it starts in (and "
            "each parent) first on PATH, and an earlier `cd` Warden cannot follow left that "
            "folder unknown: cd to a folder written out"
        )
    merged = {**_inherited_environ(), **env}
    if (
        npm_run_path.RUNNERS[name] == "npm"
    ):  # `npm install ./pkg` runs its scripts (red team 90 F15)
        from .npm_built_specs import refusal

        built = refusal(args, merged, in_full(base))
        if built:
            raise Unreadable(built)
    from .npm_built_specs import nested_refusal

    nested = nested_refusal(npm_run_path.RUNNERS[name], args)  # `npx npm i ./pkg`
    if nested:
        raise Unreadable(nested)
    try:
        folders = npm_run_path.bin_folders(name, args, merged, in_full(base))
    except ValueError as exc:
        raise Unreadable(
            f"{exc}, whose node_modules/.bin folders {name} puts first on its command's PATH, "
            "which Warden cannot place without reading the project: run it from the "
            "package's own folder"
        ) from None
    if not folders:
        return env
    return {**env, "PATH": _path_in_front(folders, merged, name)}


def _path_in_front(folders: List[str], env: Dict[str, str], what: str) -> str:
    """``env``'s PATH with ``folders`` in front, each once; a folder whose name holds a ``:``
    would read as two (red team 86 F3's class): unreadable."""
    for folder in folders:
        if os.pathsep in folder:
            raise Unreadable(
                f"{what} runs its command with {folder[:80]} on PATH, whose name holds a "
                f"{os.pathsep!r}, which Warden cannot read as one PATH folder: rename it"
            )
    return os.pathsep.join([*dict.fromkeys(folders), env.get("PATH", os.defpath)])


def _refuse_child_writes(places: list, env: Dict[str, str]) -> None:
    """In a Python the kernel starts (``start_writes.child_writes``), a command it starts that
    may write a start-up name where this Python imports from as it starts (red team 32 R32-3:
    w.py running `cp p.pth <site>/zz.pth`, and the next Python of the kernel's line runs it):
    unreadable. The kernel's own writes are read at its next line's starts instead."""
    from .start_writes import child_writes

    if places and child_writes().get():
        from .own_python import OWN

        _refuse_start_places_written(OWN.executable, set(), env, tuple(places), child=True)


def child_writes(argv: List[str], env: Optional[Dict[str, str]], cwd) -> str:
    """Why a Python the kernel starts may not start ``argv`` ('' when it may): a writer of
    ``line_writers``' list that may write a start-up name where this Python imports from as it
    starts (``_refuse_child_writes``; the shell lines it starts are read in full)."""
    program = _listed_name(argv[0]) if argv else ""
    env = dict(env if env is not None else os.environ)
    try:
        with start_folder(cwd or ""):
            _write_places(program, argv, [], env, True)
    except Unreadable as exc:
        return str(exc)
    return ""


def _start_name(place: str, sites: List[str], named: Dict[str, Set[str]]):
    """(folder, how) when the file ``place`` (by its name or the real path it resolves to) is
    a start-up module of its folder (``named``: ``os.py``, an extension, its bytecode in
    ``__pycache__``), or a ``.pth`` or ``__editable__`` file of a site folder; None otherwise."""
    real_sites = {os.path.realpath(s) for s in sites}
    real_named = {os.path.realpath(f): ns for f, ns in named.items()}
    for path in dict.fromkeys((place, os.path.realpath(place))):
        folder, name = os.path.split(path)
        real = os.path.realpath(folder)
        if os.path.basename(real) == "__pycache__":
            real = os.path.dirname(real)
        names = real_named.get(real, ())
        if name in names or name.split(".")[0] in names:
            return real, f"may write {path}, a start-up module of {real}"
        if real in real_sites and (name.endswith(".pth") or name.startswith("__editable__")):
            return real, f"may write {path}, a start-up file of {real}"
    return None


def _hard_linked(place: str, sites: "_SearchFolders"):
    """(folder, how) when ``place`` is a file of more than one name, one in a site folder."""
    try:
        info = os.stat(place)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_nlink < 2:
        return None
    hit = sites._same_file(os.path.realpath(place)) if sites.user else None
    return None if hit is None else (hit, f"may write {place}, another name of a file in {hit}")


# Entries a tree's walk for links leading out of it reads before it gives up (red team 22
# R22-2): past it the tree is a write Warden cannot place. Image data sets run to 100,000s of
# files (COCO train2017: 118,287; red team 23 R23-5 refused a line over 50,000), and this
# repository's checkout with node_modules holds 180,000 entries, walked in 0.23 s warm: two
# million is a few seconds at worst, once per reading (``_WALKS``)
_WALK_BOUND = 2_000_000
# A console script's start (``_read_python_script_start``) compares a tree an earlier writer
# writes with its start places by their names only, not by walking the tree for links out
# (R22-2): the walk's answer depends on how big the tree is, and `ls | xargs -I{} cp {} /tmp
# && pip install numpy` (R15-19's vector) would then pass or not by what /tmp holds (red
# team 32, 3828b19). A Python named on the line keeps the walk.
_SHALLOW_TREES: ContextVar[bool] = ContextVar("warden_shallow_trees", default=False)
# the walks one reading made, by (tree, the identities looked for): a line with several
# starts after its writer walks each tree once. None outside a reading.
_WALKS: ContextVar[Optional[dict]] = ContextVar("warden_walks", default=None)


class _SearchFolders:
    """The folders of a PATH (or a folder word read as one), and what a written place reaches
    among them: the one comparison of places every rule uses (red team 22). A place is compared
    by the names the file system gives it, not by the name the line gives: its real path (a
    link is another name, R20-2), the links under an existing tree that lead out of it (R22-2),
    and a file's identity (device, inode), which a hard link shares under a name no path
    resolution finds (R22-3). The walk and the identities are read only where the folders hold
    one that is not the system's and the kernel's user may write: elsewhere nothing a cell
    wrote could be run from them, and ordinary lines stay cheap."""

    def __init__(self, folders: List[str]):
        self.folders = folders
        walks = [link_walk.walk(f) for f in folders]
        self.real = [w.end for w in walks]
        # a link on a folder's way that the kernel's user may write: re-pointing it moves the
        # whole folder (R24-2), so the folder is the user's whatever it leads to now
        self._way: Dict[str, str] = {
            link: f
            for f, w in zip(folders, walks)
            for link in w.links
            if _user_folder(os.path.dirname(link))
        }
        self.user = [f for f in folders if f in self._way.values() or _user_folder(f)]
        self._ids: Optional[Dict[tuple, str]] = None
        self._targets: Dict[str, str] = dict(self._way)  # the rest read with ``_ids``

    def written(
        self, place: str, tree: bool, walk: bool = True, file_links: bool = True
    ) -> Optional[Tuple[str, str]]:
        """(the folder, how the write reaches it) for a write at ``place`` (``tree``: anything
        under it) that may put or change a file in one of the folders; None where none.
        ``walk``: a tree is also walked for links leading out of it (R22-2); ``file_links``:
        its links to files and other names of files count too (a writer that writes into an
        existing file; not one that replaces it, ``ReplacingWriter``)."""
        if not place:
            if not self.user:
                return None
            return self.user[0], f"writes files Warden cannot place, maybe in {self.user[0]}"
        at = os.path.realpath(place)
        hit = self._reached(at, tree)
        if hit is not None:
            if tree and os.path.realpath(hit) != at:
                return hit, f"may write anything under {place}, {hit} included"
            return hit, f"may write or chmod a file in {hit}"
        if not self.user:
            return None
        hit = self._link_target({place, at}, tree)
        if hit is not None:
            return hit, f"may write {place}, where a link in {hit} leads"
        if not tree:
            hit = self._same_file(at)
            if hit is None:
                return None
            if os.path.dirname(at) == os.path.realpath(hit):
                return hit, f"may write or chmod a file in {hit}"
            return hit, f"may write {place}, another name of a file in {hit}"
        if not walk:
            return None
        links = _walked(at, self._program_ids(), file_links)
        if links is None:
            return (
                self.user[0],
                f"may write through links under {place} ({_WALK_BOUND} entries and more, "
                f"too many to look through), maybe in {self.user[0]}",
            )
        for is_tree, target, link in links:
            hit = self._reached(target, is_tree) or (
                None if is_tree else self._reached(os.path.dirname(target), False)
            )
            hit = hit or (None if is_tree else self._same_file(target))
            hit = hit or self._link_target({target}, is_tree)
            if hit is not None:
                # the link by its own path (R50a-3): the user can tell which one it is
                if link == target:
                    return hit, f"may write {link} (under {place}), another name of a file in {hit}"
                return hit, f"may write through {link} (a link under {place}) into {hit}"
        return None

    def _reached(self, at: str, tree: bool) -> Optional[str]:
        return next(
            (f for f, r in zip(self.folders, self.real) if r == at or (tree and _under(r, at))),
            None,
        )

    def _same_file(self, path: str) -> Optional[str]:
        """The folder holding a program file that is ``path`` under another name (a hard link,
        or the folder's link to it): writing it in place writes that program."""
        try:
            info = os.stat(path)
        except OSError:
            return None  # no file yet: a new one, placed by its names
        if not stat.S_ISREG(info.st_mode):
            return None
        return self._program_ids().get((info.st_dev, info.st_ino))

    def _link_target(self, names: set, tree: bool) -> Optional[str]:
        """The folder holding a link that leads to one of ``names`` (``tree``: to a place under
        one): writing there writes the program the link is (red team 23 R23-3: ``pbin/gzip ->
        ../lib/gz.pl``, and ``install -m 755 x.pl lib/gz.pl`` makes pbin's gzip)."""
        self._program_ids()
        for target, folder in self._targets.items():
            if target in names or (tree and any(_under(target, n) for n in names)):
                return folder
        return None

    def _program_ids(self) -> Dict[tuple, str]:
        """(device, inode) of each entry of the user's folders (links followed) to its folder;
        with it ``_targets``: each name a link among them leads to (``_link_names``), to its
        folder, a dangling link's too (its target is a program once a writer makes it)."""
        if self._ids is None:
            self._ids = {}
            for folder in self.user:
                try:
                    with os.scandir(folder) as entries:
                        for entry in entries:
                            if entry.is_symlink():
                                for name in _link_names(entry.path):
                                    self._targets.setdefault(name, folder)
                            try:
                                info = entry.stat()
                            except OSError:
                                continue  # a dangling link: its names are its places
                            self._ids.setdefault((info.st_dev, info.st_ino), folder)
                except OSError:
                    continue  # `_refuse_path_programs` reads a folder it cannot list
        return self._ids


def _walked(
    root: str, ids: Dict[tuple, str], file_links: bool = True
) -> Optional[List[Tuple[bool, str, str]]]:
    """``_links_out``, once per reading for a tree, the identities it looks for and
    ``file_links``."""
    kept = _WALKS.get()
    key = (root, frozenset(ids), file_links)
    if kept is not None and key in kept:
        return kept[key]
    found = _links_out(root, ids, file_links)
    if kept is not None:
        kept[key] = found
    return found


def _link_names(path: str) -> List[str]:
    """The places a write moves what the link ``path`` runs by (red team 24 R24-2): each link
    its resolution passes through (re-pointing one moves everything after it), by its real
    folder, and the real path it ends at, which need not exist (a dangling link: the file a
    writer may make). Resolved as the kernel does, links and ``..`` in order."""
    found = link_walk.walk(path)
    return found.links + [found.end]


def _links_out(
    root: str, ids: Dict[tuple, str], file_links: bool = True
) -> Optional[List[Tuple[bool, str, str]]]:
    """The places a writer into the existing tree ``root`` (a real path) reaches outside it:
    each link under it (not followed) whose target is elsewhere, as (a folder, its real target,
    the link's path) (``kd/l -> ../pbin``: ``tar -xf k.tar -C kd`` with a member ``l/gzip``
    writes pbin/gzip), a target folder's own links too; and each file that is another name of a
    program of the user's folders (``ids``: ``cp -r kit/. kd`` writes kd's existing files in
    place), as (False, its path, its path). Without ``file_links`` (a writer that replaces an
    existing file, ``ReplacingWriter``) only the links to folders. None past ``_WALK_BOUND``
    entries: Warden cannot tell."""
    roots, found, stack, count = [root], [], [root], 0
    inodes = {ino for _, ino in ids}
    while stack:
        folder = stack.pop()
        try:
            entries = os.scandir(folder)
        except OSError:
            continue  # no folder (yet): nothing in it leads out
        with entries:
            for entry in entries:
                count += 1
                if count > _WALK_BOUND:
                    return None
                if entry.is_symlink():
                    target = os.path.realpath(entry.path)
                    if any(target == r or _under(target, r) for r in roots):
                        continue  # a link within what is reached already
                    is_tree = os.path.isdir(target)
                    if not is_tree and not file_links:
                        continue  # replaced, not written through
                    found.append((is_tree, target, entry.path))
                    if is_tree:
                        roots.append(target)
                        stack.append(target)
                elif entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif file_links and entry.inode() in inodes:
                    # the inode number alone is free from the listing; the device confirms it
                    info = entry.stat(follow_symlinks=False)
                    if (info.st_dev, info.st_ino) in ids:
                        found.append((False, entry.path, entry.path))
    return found


def _under(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip("/") + "/")


def _user_folder(folder: str) -> bool:
    """A folder not the system's that the kernel's user may write (a venv's bin, ~/.local/bin)."""
    if _system_folder(folder):
        return False
    return os.access(folder, os.W_OK)


def _system_folder(folder: str) -> bool:
    """Under one of ``_SYSTEM_FOLDERS`` by whole names (``/library`` is not ``/lib``'s), not
    under /usr/local, and owned by root, as the folders on the way up to it."""
    real = os.path.realpath(folder)
    if real.startswith("/usr/local/") or real == "/usr/local":
        return False
    return _root_folder(real, _SYSTEM_FOLDERS)


def _root_folder(folder: str, tops: Tuple[str, ...]) -> bool:
    """Under one of ``tops`` by whole names, and owned by root, as the folders on the way up."""
    real = os.path.realpath(folder)
    if real == "/":
        return os.stat(real).st_uid == 0  # the root folder (its links: /bin -> usr/bin)
    if not any(real == top or real.startswith(top + "/") for top in tops):
        return False
    while real != "/":
        try:
            if os.stat(real).st_uid != 0:
                return False
        except OSError:
            return False  # a folder Warden cannot look at: not known to be the system's
        real = os.path.dirname(real)
    return True


def startup_modules_value(name: str) -> Optional[str]:
    """``name``'s value in the environment the start inherits."""
    from . import startup_modules

    started = startup_modules.START_ENVIRON.get()
    return (os.environ if started is None else started).get(name)


# The PATH program files a reading is in (``_refuse_path_programs``)
_PATH_FILES: ContextVar[frozenset] = ContextVar("warden_path_files", default=frozenset())
# The PATHs and folders whose new program files an outer reading is reading: a start read
# inside it finds the same files, which the outer loop reads each once (nested, every new
# file of a folder, an `apt-get install` of a package with 5 programs, was one level deeper:
# "nested too deeply")
_FOLDERS_READ: ContextVar[frozenset] = ContextVar("warden_folders_read", default=frozenset())


def _script_start(argv: List[str], env: Dict[str, str], depth: int) -> Optional[List[str]]:
    """A program file with a ``#!`` line is read as the start the kernel makes of it (red team
    16 R16-14): ``[interpreter, its one argument, the script, the start's arguments...]``, so
    ``./tool`` with ``#!/usr/bin/env -S uv run --script`` is ``uv run --script ./tool`` (its
    PEP 723 metadata read there), ``./x.pl`` is ``perl ./x.pl``, ``./w.awk`` with
    ``#!/usr/bin/awk -f`` is ``awk -f ./w.awk``: one reading for an interpreter named and one
    from ``#!``. None when the file has no ``#!`` line (a binary; a text file a shell runs:
    ``_refuse_shell_script``)."""
    from . import shebang

    program = argv[0]
    path = _placed(program) if os.sep in program else _which(program, env.get("PATH"))
    if not path:
        return None
    if _machine_program(path):
        # a system program file, unchanged since before the kernel started (npm, npx and
        # every packaged node or perl tool: node's reading refuses almost any real script,
        # `require`), is read by its words, and its interpreter's start-up environment as
        # that interpreter's; any other (the cell's, a clone's or a download's, whatever its
        # age) is read as its #! start
        _refuse_machine_script(program, path, argv[1:], env)
        return None
    words = shebang.interpreter_words(path)
    if words is None:
        return None
    if not words:
        raise Unreadable(
            f"{program}'s #! line names no interpreter, or is longer than the kernel reads: "
            "Warden cannot tell what runs it"
        )
    if depth >= MAX_NESTING:
        raise Unreadable(f"{program}'s #! line names interpreters nested too deeply")
    # the kernel opens a relative interpreter (`#!python3`) from the start's folder, never
    # from PATH (red team 54b R54b-1): read as that file, not the name's program on PATH
    interpreter = _placed(words[0])
    if _python_named(interpreter) and shebang.interpreter_words(interpreter) is not None:
        # a `#!` script under a Python's name (red team 82 R82-3): Linux runs ITS line
        # (nested interpreters), which a reading by the name, a Python's, never sees
        raise Unreadable(
            f"{program}'s #! line names {interpreter}, itself a script with a #! line, not a "
            "Python: Warden cannot tell what runs it"
        )
    return [interpreter] + words[1:] + [path] + argv[1:]


def _python_named(path: str) -> bool:
    name = os.path.basename(path)
    for stem in ("python", "pypy"):
        if name.startswith(stem):
            return all(c in "0123456789.dmut" for c in name[len(stem) :])
    return False


def _machine_program(path: str) -> bool:
    """Whether a program file is the machine's, whose body Warden does not read: unchanged
    since the kernel started (``startup_modules.changed_since_start``, every link on the way
    too), and the file it runs root's in a root-owned system folder, /usr/local's included
    (``_root_folder``: root's npm from Node's tarball or the node images, red team 28b R28b-4).
    A file anywhere else (the notebook's folder, ~/bin, a venv's or a conda's bin the kernel's
    user owns, a project's node_modules/.bin) is read as its ``#!`` start whatever its age: a
    clone from an earlier session, or a kernel restarted after the write, runs it as a new one
    would (R28b-5: a script planted in the kernel's own venv before a restart). Nor is a file
    under the folder the kernel started in, or one whose folders up to the system's standard
    ones changed since the start (``_settled_place``, R28c-2)."""
    from . import startup_modules
    from .own_python import OWN

    if startup_modules.changed_since_start(path):
        return False
    real = os.path.realpath(path)
    try:
        if os.stat(real).st_uid != 0:
            return False
    except OSError:
        return False
    folder = os.path.dirname(real)
    if OWN.start_folder not in ("", "/") and (real.startswith(OWN.start_folder.rstrip("/") + "/")):
        return False  # the notebook's own folder (a root kernel's /usr/src/app: red team R28c-2)
    return _root_folder(folder, MACHINE_FOLDERS) and _settled_place(folder)


# where ``_settled_place`` stops (``machine_folders.STANDARD``)
_STANDARD_FOLDERS = machine_folders.STANDARD


def _settled_place(folder: str) -> bool:
    """Whether no folder between a program file and the system's standard folders changed
    since the kernel started (red team 28c R28c-2: a root kernel's ``os.rename('proj',
    '/usr/local/lib/proj')`` moves an old clone into a root-owned system folder with its
    files' ctimes as they were; the moved folder's own changes), and no mount made since
    covers it (red team 29a R29a-2: ``mount --bind proj /usr/local/lib/x`` shows the clone's
    old times; R30-4: Linux reuses a freed mount number; ``boot/mounts.py``)."""
    from ...boot import mounts
    from . import startup_modules
    from .own_python import OWN

    if OWN.tree_mounts is not None and mounts.new_over(folder, OWN.tree_mounts):
        return False
    while folder not in _STANDARD_FOLDERS:
        if startup_modules._changed(folder, missing=True):
            return False
        folder = os.path.dirname(folder)
    return True


def _refuse_machine_script(program: str, path: str, args: List[str], env: Dict[str, str]) -> None:
    """A program file of the machine's (its body is not read: ``_script_start``) runs under
    the interpreter its ``#!`` line names, and that interpreter takes the start's environment
    (red team 25 R25-2: ``PERL5OPT=-d PERL5DB='BEGIN{...}' json_pp``, ``NODE_OPTIONS=--import=
    data:... npx``, ``PYTHONPATH=ev py3versions`` with ev/sitecustomize.py): it is read as a
    start of the interpreter itself (``_refuse_interpreter_environment``). Ordinary starts pay
    nothing: the line is read only when the environment holds a variable those rules read."""

    started = {**dict(_START_ENV.get()), **env}
    variable = next((k for k in started if interpreters.code_variable(k)), "") or next(
        (k for k in env if _start_variable(k) and k != "PATH"), ""
    )
    if not variable:
        if _PATH_WRITES.get():
            # a root image's /usr/local/bin/jupyter is the kernel's own Python's script: a
            # .pth an earlier writer put in its site runs before its guard (red team 32 R32-1)
            _read_python_script_start(program, path, args, env)
        return
    starts = _shebang_starts(path, env)
    if starts is None:
        # fail closed: the variable is for some interpreter, and this one may be it
        raise Unreadable(
            f"{program} is started with {variable} set, which an interpreter reads when it "
            f"starts, and Warden cannot tell which interpreter its #! line runs: start "
            f"{program} without {variable}"
        )
    runs = path
    for words, start_env in starts:  # an interpreter that is a script runs its own `#!` line
        own = {**started, **start_env}
        _refuse_interpreter_environment(program, words, [runs] + args, start_env, own)
        runs = words[0]


def _shebang_starts(path: str, env: Dict[str, str]) -> Optional[List[Tuple[List[str], dict]]]:
    """``shebang.interpreter_starts`` of ``path`` started with ``env``, each level with the
    environment its program starts with: a ``#!/usr/bin/env ...`` line read as a line's
    ``env ...`` is (``_unwrap``: ``-S`` TEXT split, ``-i``/``-``, ``-u NAME``, NAME=VALUE,
    ``--``), its program found on the PATH env then holds, and what it changed passed on to
    the levels below it (red team 52a R52a-1: ``#!/usr/bin/env -S -i python3`` starts a
    Python without the guard's PYTHONPATH entry, read as the guardless start it is). An
    ``env -C DIR`` line (a start in another folder) is one Warden cannot read: None."""
    from . import shebang

    current = dict(env)
    envs: Dict[int, Dict[str, str]] = {}

    def env_start(arguments: List[str], level: int) -> Optional[List[str]]:
        # the command env runs may be a wrapper again (red team 53a R53a-1: `-S env -i PY`,
        # `-S timeout 60 env -i PY`): each is read as the line's wrapper loop reads it
        # (``_simple``: ``_unwrap``, its program named by its real file), environment
        # changes applied at each step, to the program that is no wrapper
        name, command = "env", arguments
        for _ in range(4 * MAX_NESTING):
            moved: list = []
            command = _unwrap(name, command, current, moved)
            if moved or not command:
                return None
            # env's execvp: a name with a slash is a path from the start's folder (R54b-1)
            word = command[0]
            found = _placed(word) if os.sep in word else _which(word, current.get("PATH"))
            command = [found or word] + command[1:]
            name = _wrapper_file(command[0])
            if not name:
                envs[level] = dict(current)
                return command
            command = command[1:]
        return None  # wrapped too deeply

    search = env.get("PATH", os.environ.get("PATH"))
    is_env = lambda program: _wrapper_file(program) == "env"  # noqa: E731
    starts = shebang.interpreter_starts(path, search, env_start, _placed, is_env)
    if starts is None:
        return None
    read, level_env = [], env
    for level, words in enumerate(starts):
        level_env = envs.get(level, level_env)
        read.append((words, level_env))
    return read


def _wrapper_file(program: str) -> str:
    """The wrapper (``WRAPPERS``) a program file is, named as a line's program is
    (``_resolved_name``): a link by its real file's name (a link to env named ``e`` runs
    env), a multi-call binary's by the link's; '' when it is none, or when the file is not
    the machine's program of that name (``_known_as``: a copy of env named ``nice``)."""
    name = program_name(os.path.realpath(program))
    if name in _MULTI_CALL:
        name = program_name(program)
    return name if name in WRAPPERS and _known_as(program, name) else ""


def _shell_file(program: str) -> str:
    """The shell (``SHELLS``) a ``#!`` level's program file is, named as ``_wrapper_file``
    names a wrapper; '' when it is none or not the machine's (R54b-3: a copy of env named
    ``sh``). A bare name (``#!/usr/bin/env bash`` with bash nowhere on the PATH read) is
    read by its name: no file to tell it by."""
    names = [program_name(os.path.realpath(program)), program_name(program)]
    name = names[1] if names[0] in _MULTI_CALL else names[0]
    if name not in SHELLS:
        return ""
    return name if os.sep not in program or _known_as(program, name) else ""


# Where the machine's own programs are found by name (``_known_as``): the system's folders
_MACHINE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def _known_as(
    path: str, name: str, kernel: Tuple[str, ...] = (), machine: Tuple[str, ...] = ()
) -> bool:
    """Whether a program file read by ``name`` (whose reading trusts what it does by that
    name: a shell, env or another wrapper; a Python that hosts the guard) is one: its real file
    the machine's (``_machine_program``: root's, in a system folder, unchanged since the kernel
    started), or the very file (st_dev, st_ino) or a byte-identical copy (``_same_program``)
    of one known to be: a ``kernel`` file (the kernel's interpreters), or the machine's
    program of that name or one of ``machine`` (a ``--copies`` venv's python is a copy of its
    ``home``'s) when that file is the machine's. A program named so is no such program by its
    name alone (red team 54b R54b-3, R54b-5: a copy of /usr/bin/env named ``sh`` in the
    notebook folder runs env, which starts ``-i PY -m pip`` with an empty environment, while
    read as a shell running the script file PY; fix67pyname: the same copy named
    ``python3.11`` or beside a ``pyvenv.cfg``, read as a guarded Python). A file not there is
    read by its name (exec fails)."""
    if not os.path.lexists(path):
        return True
    real = os.path.realpath(path)
    try:
        info = os.stat(real)
    except OSError:
        return False
    # the answer is the real file's: kept by its identity and change stamps once settled (as
    # ``shebang.is_script``), since every `bash -c`, `env` and `nice` of a line asks, and
    # the machine's rule reads the mount table; a mount over it shows another file
    stamps = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    key = (name, real, stamps, kernel, machine)
    known = _KNOWN_AS.get(key)
    if known is not None:
        return known
    known = _machine_program(real)
    if not known:
        named = shutil.which(name, path=_MACHINE_PATH)
        machine += (named,) if named else ()
        known = any(_same_program(real, info, f) for f in kernel) or any(
            _same_program(real, info, f) and _machine_program(f) for f in machine
        )
    if time.time_ns() - info.st_ctime_ns >= _SETTLED_NS:
        if len(_KNOWN_AS) >= 1024:
            _KNOWN_AS.clear()
        _KNOWN_AS[key] = known
    return known


def _same_program(real: str, info: os.stat_result, other: str) -> bool:
    """Whether the real file ``real`` (``info`` its stat) is ``other``'s real file, the same
    file by another name (a hard link) or a byte-identical copy (``python -m venv --copies``,
    conda's and uv's copies of an interpreter)."""
    try:
        theirs = os.stat(other)
        if (theirs.st_dev, theirs.st_ino) == (info.st_dev, info.st_ino):
            return True
        if theirs.st_size != info.st_size:
            return False
        with open(real, "rb") as mine, open(other, "rb") as their:
            while True:
                chunk = mine.read(1 << 20)
                if chunk != their.read(1 << 20):
                    return False
                if not chunk:
                    return True
    except OSError:
        return False


# ``_known_as``'s answers by the real file's identity and stamps; a file changed within the
# last _SETTLED_NS is asked again (a change within the clock's tick may keep its ctime)
_KNOWN_AS: Dict[tuple, bool] = {}
_SETTLED_NS = 2_000_000_000


# The command read is the running process's own (``gate.pip_main_wrapper``: ``python -m pip``,
# ``pip.main``): that Python started, with this guard, and its start is not read again; what
# the command does still is. ``running_process`` sets it for one reading.
_RUNNING: ContextVar[bool] = ContextVar("warden_running", default=False)


@contextlib.contextmanager
def running_process():
    token = _RUNNING.set(True)
    try:
        yield
    finally:
        _RUNNING.reset(token)


def _refuse_console_script_start(
    program: str, args: List[str], env: Dict[str, str], depth: int, stdin: str = "unknown"
) -> str:
    """A program read by its name (pip, conda and mamba, the front ends: ``_simple``'s named
    branches) is most often a Python's console script, whose Python starts first (red team 32
    R32-11, R32-13: ``PYTHONPATH=d pip list`` ran d/sitecustomize.py unguarded; R32-1: ``cp
    p.pth <site>/zz.pth; pip --version`` ran the new .pth before pip's guard). That start is
    read as the Python start it is (``_read_python_script_start``), the machine's program
    too (/opt/conda/bin/conda is the kernel's own Python's); what it then runs is the named
    branch's to read. A binary (micromamba) starts no Python. Returns why a pip so started is
    refused as an install (``_guardless_pip_problem``: a `#!` line's -I/-E/-S), '' if not."""
    if depth == 0 and _RUNNING.get():
        return ""  # the running process's own command (pip.main): its start is behind it

    # a pyenv shim `pip` is a bash script (R31-5), which runs the picked version's pip (R34-2)
    _read_pyenv_pick(*_refuse_shell_script(program, env), [program] + args, env, depth, stdin)
    path = _placed(program) if os.sep in program else _which(program, env.get("PATH"))
    if not path:
        return ""
    return _read_python_script_start(program, path, args, env, stdin, installer=True, depth=depth)


def _read_python_script_start(
    program: str,
    path: str,
    args: List[str],
    env: Dict[str, str],
    stdin: str = "unknown",
    installer: bool = False,
    depth: int = 0,
) -> str:
    """The Python start a script file's ``#!`` line makes (each level of it that names a
    Python; conda's long-path ``#!/bin/sh`` form through ``pip_program.interpreter_of``), read
    by ``_guardless_start`` as ``python -m pip`` is: the guard it keeps, the start-up modules
    its PYTHONPATH and PYTHONHOME hold, and R31-6's places an earlier writer on the line may
    have written, compared without walking a written tree for links (``_SHALLOW_TREES``).
    What the script runs is not read here (``_CALLER_READS``). A line Warden cannot read may
    name any Python: refused, as is a level whose program is a wrapper not followed
    (``#!/usr/bin/timeout ...``) and, for an installer's start (``installer``), a line that
    ends in a program that is neither a Python nor a shell (red team 53a R53a-1: a program
    that starts a Python its own way, which Warden cannot tell) or in a shell whose own words
    Warden does not pass (``_refuse_shell_level``). Returns
    ``_guardless_pip_problem``'s refusal of a guardless start (a pip's
    `#!/usr/bin/python3 -I`), '' when none."""
    from . import pip_program

    search = env.get("PATH", os.environ.get("PATH"))
    starts = _shebang_starts(path, env)
    if starts is None:
        raise Unreadable(
            f"{program}'s #! line is one Warden cannot read (an env option such as -C, or "
            "none), and the Python it may start reads its environment and site folders before "
            "Warden's guard: start it as python -m with the Python named"
        )
    _refuse_unread_script_start(program, starts, installer)
    if installer and starts:
        (words, start_env), runs = starts[-1], ([path] + [w[0] for w, _ in starts])[-2]
        _refuse_shell_level(program, words, runs, args, start_env, depth)
    pythons = [
        (words, runs, start_env)
        for (words, start_env), runs in zip(starts, [path] + [words[0] for words, _ in starts])
        if _names_python(words[0])
    ]
    if not pythons and starts and program_name(starts[0][0][0]) == "sh":
        python = pip_program.interpreter_of(path, lambda name: _which(name, search))
        pythons = [([python], path, env)] if python and python != path else []
    token = _SHALLOW_TREES.set(True)
    problems = []
    try:
        for words, runs, start_env in pythons:
            start = _guardless_start(words + [runs] + args, start_env, stdin)
            problems.append(_guardless_pip_problem(start))
    except Unreadable as exc:
        raise Unreadable(f"{program} is a Python's script (its #! line): {exc}") from None
    finally:
        _SHALLOW_TREES.reset(token)
    return next((f"{program}'s #! line: {p}" for p in problems if p), "")


def _refuse_unread_script_start(
    program: str, starts: List[Tuple[List[str], dict]], installer: bool
) -> None:
    """Fail closed where a ``#!`` start's Python is not the level Warden reads (red team 53a
    R53a-1): a level whose program is a wrapper (env's own are followed by
    ``_shebang_starts``; ``#!/usr/bin/timeout ...``, ``#!/usr/bin/nice ...`` are not), and,
    for an installer, a last level whose program is neither a Python nor a shell, so a
    program that starts a Python its own way (with its own environment) is not passed. A
    Python level is read by ``_guardless_start`` (one Warden cannot tell is a guardless
    one); a shell level's own words by ``_refuse_shell_level``, which passes only a plain
    ``sh FILE`` (the script file is not read: the open script-file class; red team 54b
    R54b-2 found the earlier claim that ``_refuse_console_script_start`` read it untrue). A
    shell is one only as the machine's file (``_shell_file``, R54b-3: a copy of env named
    ``sh`` is neither)."""
    for words, _ in starts:
        wrapper = _wrapper_file(words[0])
        if wrapper:
            raise Unreadable(
                f"{program}'s #! line starts {wrapper} ({words[0]}), which starts another "
                "program Warden does not follow there: start the Python as python -m pip"
            )
    if not installer or not starts:
        return
    # a name not found (`#!/usr/bin/env NAME`) is read by its name too: the PATH read here
    # may not be where exec finds it
    last = starts[-1][0][0]
    if _names_python(last) or _shell_file(last):
        return
    raise Unreadable(
        f"{program}'s #! line starts {last}, which is neither a Python nor a shell of the "
        "machine's, so Warden cannot tell which Python it starts or with what environment: "
        "start the Python as python -m pip"
    )


# A shell's set letters that change neither where its commands come from nor what runs
# first (-i: startup files, -s: the input, -l: profile files, -r/-D/-I/-q/-V: not set's)
_PLAIN_SHELL_LETTERS = frozenset("abefhkmnptuvxBCEHPT")


def _refuse_shell_level(
    program: str, words: List[str], runs: str, args: List[str], env: Dict[str, str], depth: int
) -> None:
    """An installer's ``#!`` start whose last level is a shell (``_shell_file``) runs what
    that shell's own words say (red team 54b R54b-2: ``#!/usr/bin/env -S bash -c 'env -i PY
    pip'`` runs the text, whose Python starts with an empty environment): its words, the
    script and the start's arguments read as the shell reads them (``_shell_start``). A
    ``-c`` text is read as a line in that level's environment, and any installer it starts
    is refused (the gate reads the start by the program's name, not the text's); a start
    reading its commands from the input (``-s``, no script file) or with an option beyond
    set's plain letters is refused; a plain ``sh FILE`` passes (the script file itself is
    not read here: the open script-file class). A code variable in the level's environment
    (BASH_ENV...) is refused as for any shell start."""
    shell = _shell_file(words[0])
    if not shell:
        return
    argv = [words[0]] + words[1:] + [runs] + args
    start = _shell_start(argv)
    _refuse_shell_code(f"{program}'s #! line's {shell}", env, start.on("i"))
    options = argv[1 : 1 + start.operand] if start.operand is not None else argv[1:]
    if start.command and start.operand is not None:
        text = argv[1 + start.operand]
        found = shell_invocations(text, depth + 1, env)
        if found:
            raise Unreadable(
                f"{program}'s #! line runs {shell} -c with a command that starts "
                f"{found[0].tool}, which Warden does not read as {program}'s own start: run "
                "the installer directly"
            )
        return
    plain = all(
        word[:1] in "-+" and len(word) > 1 and set(word[1:]) <= _PLAIN_SHELL_LETTERS
        for word in options
        if word not in ("-", "--")
    )
    if start.operand is None or start.command or not plain:
        raise Unreadable(
            f"{program}'s #! line starts {shell} with {' '.join(words[1:]) or 'no script'}, "
            "which runs commands Warden does not read (its input, a startup file, an option "
            "it does not model): start the installer as python -m pip"
        )


def _names_python(program: str) -> bool:
    """Whether a program file is a Python by its name or its real file's (a venv's link)."""
    names = (program_name(program), program_name(os.path.realpath(program)))
    return any(_PYTHON.match(name) for name in names)


def _refuse_interpreter_environment(
    program: str, words: List[str], args: List[str], env: Dict[str, str], started: Dict[str, str]
) -> None:
    """``program``'s ``#!`` start ``words + args`` (the interpreter, its line's words, the
    script and the start's arguments) read for the environment only: a Python's by the guard
    and start-up modules a ``python3 FILE`` start is read for (``_guardless_start``), the
    script's imports counted as unread (``_refuse_unread_imports``); another interpreter's by
    the table's env rules (``interpreters.refused_variable``), its name or its file's."""
    interpreter = words[0]
    names = (program_name(interpreter), program_name(os.path.realpath(interpreter)))
    if any(_PYTHON.match(name) for name in names):
        try:
            start = _guardless_start(words + args, env)
            if start is not None and not start.words_only:
                _refuse_unread_imports(start, env)
        except Unreadable as exc:
            raise Unreadable(f"{program} runs under {interpreter} (its #! line): {exc}") from None
        return
    for name in names:
        variable, option = interpreters.refused_variable(name, started)
        if variable:
            what = f"holds {option}, which runs code" if option else f"makes {name} load code"
            raise Unreadable(
                f"{program} runs under {interpreter} (its #! line), and {variable} set for it "
                f"{what} Warden does not read: start {program} without {variable}"
            )


def _refuse_unread_imports(start: "_GuardlessStart", env: Dict[str, str]) -> None:
    """A guardless Python running a script Warden does not read (the machine's): any module a
    PYTHONPATH folder holds may be one the script imports (found there before the standard
    library's and the machine's own) and runs unguarded; the rule of an import Warden does
    not read (``_LocalImports.finish``, R14-4) for every import. The guard's folder is
    Warden's."""
    from ...boot.launch_env import SITE_DIR
    from . import guardless

    start_folder = lambda: _working_folder(start.why)  # noqa: E731
    for folder in startup_modules.pythonpath_folders(start.flags, env, start_folder):
        if os.path.abspath(folder) == os.path.abspath(SITE_DIR):
            continue
        # an archive Python imports from, or a folder inside one (R28a-2)
        found = folder if startup_modules.archive_part(folder) else ""
        found = found or next((p for _n, p in guardless.importable_entries(folder)), "")
        if found:
            raise Unreadable(
                f"{start.why} and it may import {found} (a PYTHONPATH folder comes before "
                f"the standard library), and Warden does not read what it imports: start it "
                f"without that folder on PYTHONPATH. {_KEEP_THE_GUARD}"
            )


def _refuse_shell_script(program: str, env: Dict[str, str]) -> Tuple[str, Optional[tuple]]:
    """A program file exec runs with bash (its ``#!`` line, or none: ``shebang``) started with
    a variable that runs code is refused as a shell start is (R11-13: ``./x.sh``); a pyenv
    shim whose hooks may be the cell's too (``_refuse_pyenv_hooks``). Returns the program's
    file ('' not found) and, for a pyenv shim, its (root, picked version names)."""
    from . import shebang

    search = env.get("PATH")
    if shell_code_variable({**dict(_START_ENV.get()), **env}, False):
        # strict: a relative program or PATH folder where the start's folder is unknown
        path = _placed(program) if os.sep in program else _which(program, search)
        search = env.get("PATH", os.environ.get("PATH"))
        why = shebang.runs_bash(path, search, _placed) if path else ""
        if why:
            _refuse_shell_code(f"{program} ({why})", env)
    else:
        path = _placed(program, False) if os.sep in program else _which(program, search, False)
    return path, _refuse_pyenv_hooks(path, env)


def _refuse_pyenv_hooks(path: str, env: Dict[str, str]) -> Optional[tuple]:
    """A pyenv shim at ``path`` (red team 32 R32-9) sources the hooks of its own root's
    folders before the program, and runs its plugins' programs: refused when one of them
    changed since the kernel started or is others' to write (``pyenv_hooks.changed``), or
    when an earlier writer on the line may write there (R31-6's rule for pyenv's places).
    Returns ``guardless.pyenv_names``' (root, names) of the shim, None for no shim."""
    from . import guardless, pyenv_hooks, pyenv_places

    shim = guardless.pyenv_names(os.path.realpath(path), env) if path else None
    if shim is None:
        return None
    why = pyenv_hooks.changed(shim[0], env)
    if why:
        raise Unreadable(
            f"{path} is a pyenv shim, and pyenv runs the hooks and plugins of its folders "
            f"before the program: {why}. Start the Python by its own path "
            "(pyenv which python3), not through the shim"
        )
    folders = pyenv_hooks.places(shim[0], env)
    search = _SearchFolders([f for f in folders if os.path.isdir(f)])
    for writer, place in _PATH_WRITES.get():
        if isinstance(writer, GuardedWriter):
            # it may write anywhere, named nowhere on the line; its guard refuses the hooks of
            # the roots its environment names (red team 33 R33-7), not this shim's otherwise
            # (red team 34: `python w.py && PATH=/opt/pyenv/shims:... python3 -c pass`)
            guarded = pyenv_places.guarded_places(writer.env)
            bare = next((f for f in folders if not pyenv_places.covers(f, guarded)), None)
            if bare is not None:
                raise Unreadable(
                    f"{path} is a pyenv shim, and an earlier command on the line "
                    f"({writer.rstrip('/')}) is a Python that may write {bare}, where pyenv "
                    "finds the hooks and plugins it runs before the program, and its guard "
                    "refuses that only for the pyenv of its PYENV_ROOT, ~/.pyenv or a shims "
                    "folder on its PATH; Warden reads them before the line runs: run the shim "
                    "as its own line, or give the writer that PYENV_ROOT"
                )
        tree, writer = writer.endswith("/"), writer.rstrip("/")
        hit = search.written(place, tree) if place else None
        if place and hit is None and _overlaps(place, tree, [(f, True) for f in folders]):
            hit = (place, f"may write {place}")
        if not place and any(_user_folder(f) for f in folders if os.path.isdir(f)):
            hit = ("", "writes files Warden cannot place")
        if hit is not None:
            raise Unreadable(
                f"{path} is a pyenv shim, and an earlier command on the line ({writer}) "
                f"{hit[1]}, where pyenv finds the hooks and plugins it runs before the program; "
                "Warden reads them before the line runs: run the shim as its own line"
            )
    return shim


def _read_pyenv_pick(
    path: str,
    shim: Optional[tuple],
    argv: List[str],
    env: Dict[str, str],
    depth: int,
    stdin: str = "unknown",
) -> List[Invocation]:
    """A pyenv shim at ``path`` (``shim``: its root and picked names, None for no shim) runs the
    program of the version pyenv picks with the shim's words (red team 34 R34-2: a cell made
    ``versions/3.11.99/bin/python3``, a ``#!/bin/sh`` script, and the ``.python-version``
    picking it). Each program it may run (``pyenv_versions.programs``: every installed version
    when a writer earlier on the line may change the pick, ``_pyenv_pick_writers``) is refused
    when it changed since the kernel started (a Python-named one), or is no Python's program
    (``#!/bin/sh`` named ``python3``), or changed and is no Python's script (``pip``); then read
    as the start it is, ``argv``'s words given to it. Returns what those starts install."""
    if shim is None:
        return []
    from . import pyenv_versions

    pick = pyenv_versions.Pick(shim[0], os.path.basename(path), list(shim[1]))
    any_version = _pyenv_pick_writers(pick, path, env)
    found: List[Invocation] = []
    for version, program in pyenv_versions.programs(pick, path, env, any_version):
        where = f"{path} is a pyenv shim, and the version it may run ({version}) runs {program}"
        again = pyenv_versions.shim_pick(program, env)
        if again is not None and again.root == pick.root:
            continue  # its own shim again: pyenv loops on it and runs nothing
        why = "" if again is not None else _picked_program_problem(pick, program, env)
        if why:  # (another pyenv's shim is read below, as the start it is)
            raise Unreadable(
                f"{where}, which {why}. Start a Python by its own path (pyenv which "
                f"{pick.program}), or, for a version installed on purpose, restart the kernel"
            )
        if depth >= MAX_NESTING:
            raise Unreadable(f"{where}, nested too deeply")
        try:
            found += _simple([program] + argv[1:], env, depth + 1, stdin)
        except Unreadable as exc:
            raise Unreadable(f"{where}, read as that start: {exc}") from None
    return found


def _picked_program_problem(pick, program: str, env: Dict[str, str]) -> str:
    """Why the program a pyenv shim's version runs may not run ('' it may): a Python-named
    shim's must be a Python's program file (a binary) unchanged since the kernel started
    (a version installed since: its files are none Warden read); another's (``pip``, a
    console script a pip install may write since) changed only as a Python's script."""
    from . import pip_program, pyenv_versions

    changed = pyenv_versions.changed(program)
    if _PYTHON.match(pick.program):
        if changed:
            return f"changed since the kernel started ({changed})"
        return pyenv_versions.not_python(program)
    if not changed:
        return ""
    python = pip_program.interpreter_of(program, lambda name: _which(name, env.get("PATH"), False))
    if python and python != program and _names_python(python):
        return ""
    return f"changed since the kernel started ({changed}) and is no Python's script"


def _pyenv_pick_writers(pick, shim: str, env: Dict[str, str]) -> bool:
    """Whether a writer earlier on the line may change which version the shim picks: one that
    may write a ``.python-version`` of pyenv's walk or ``$ROOT/version``, one Warden cannot
    place, or a guarded Python (its code may write anywhere; its guard refuses the root's
    versions and ``version``: ``pyenv_places.version_write``). Refused: a writer that may
    write the root's ``versions`` (a new version's program, after Warden read them), and a
    guarded Python whose guard does not cover this root (not its PYENV_ROOT, ~/.pyenv or a
    shims folder on its PATH)."""
    from . import pyenv_places, pyenv_versions

    written = _PATH_WRITES.get()
    if not written:
        return False
    versions = os.path.join(pick.root, "versions")
    picks = [(f, False) for f in pyenv_versions.pick_files(pick.root, env)]
    roots = {os.path.abspath(pick.root), os.path.realpath(pick.root)}
    may_pick = False
    for writer, place in written:
        if isinstance(writer, GuardedWriter):
            if not roots & set(pyenv_places.guarded_roots(writer.env)):
                raise Unreadable(
                    f"{shim} is a pyenv shim, and an earlier command on the line "
                    f"({writer.rstrip('/')}) is a Python that may write {versions}, where pyenv "
                    "finds the program it runs, and the .python-version that picks it; its "
                    "guard refuses the versions only of the pyenv of its PYENV_ROOT, ~/.pyenv "
                    "or a shims folder on its PATH: run the shim as its own line, or give the "
                    "writer that PYENV_ROOT"
                )
            may_pick = True
            continue
        tree, writer = writer.endswith("/"), writer.rstrip("/")
        reaches = _overlaps(place, tree, [(versions, True)]) if place else _user_folder(pick.root)
        if reaches:
            what = f"may write under {versions}" if place else "writes files Warden cannot place"
            raise Unreadable(
                f"{shim} is a pyenv shim, and an earlier command on the line ({writer}) {what}, "
                "where pyenv finds the program of the version it runs; Warden reads it before "
                "the line runs: run the shim as its own line"
            )
        may_pick = may_pick or not place or _overlaps(place, tree, picks)
    return may_pick


def _listed_name(word: str) -> str:
    """The name a program is looked up by in Warden's lists: a bare name or one in the system's
    folders; any other path (`./echo`, a script named like a harmless program) as written."""
    if "/" not in word or os.path.dirname(word) in ("/bin", "/usr/bin"):
        return program_name(word)
    return word


def _refuse_unread(
    program: str, args: List[str], env: Optional[Dict[str, str]] = None, stdin: str = "unknown"
) -> None:
    """A program Warden does not read that names an installer in its words is unreadable
    (deny by default, red team 7 R7-13); an inert one's words are data. So is one that is, or
    runs, a code interpreter whose code may compute what it starts (R12-6: ``interpreters``);
    ``stdin``: what it reads on its input (``"decided"``: a script magic's body Warden read)."""
    if program in INERT_PROGRAMS:
        _refuse_inert_options(program, args, env or {})
        return
    # a program the tables do not read (git's, tar's words are read by their tables): any of
    # its operands may be the program it runs
    unknown = shell_runners.runner(program_name(program)) is None
    if names_installer(args):
        raise Unreadable(
            f"{program} may run an installer named in its arguments, and Warden does not read "
            "what it runs: run the installer directly"
        )
    if unknown:
        _refuse_handed_text(program, args, env or {})
    words = [program] + list(args)
    # what a word read as a start reads on its input (red team 55a): a launcher's command, or
    # a word of a program Warden has no table for, reads the start's (`_word_input`)
    input_of = _word_input(program, stdin, unknown, env or {})
    for j, word in enumerate(words):
        name = program_name(word)
        if interpreters.language(name) is None and "/" in word:
            name = _link_target(word) or name  # `./p -e CODE`, p a link to perl
        # the variables it starts with (R13-15: PERL5OPT, NODE_OPTIONS): the start's
        # environment and the line's assignments
        started = {**dict(_START_ENV.get()), **(env or {})}
        given = stdin if j == 0 else input_of
        why = interpreters.refused(
            name, words[j + 1 :], _script_text, started, given is not None, stdin == "decided"
        )
        if why:
            raise Unreadable(why)
        _refuse_started(name, words, j, env or {}, given)
        if j and unknown:
            _refuse_operand_python(program, name, words[j:], env or {}, stdin)
            _refuse_operand_start(program, words[j:], env or {})
    _refuse_environment_folders(program, env or {})


# jupyter_core's command and the subcommands it execs (`jupyter nbconvert` runs
# `jupyter-nbconvert` by os.execvp): `_word_input`
_JUPYTER_TOOL = re.compile(r"^jupyter(-[\w.-]+)?$")


def _word_input(program: str, stdin: str, unknown: bool, env: Dict[str, str]) -> Optional[str]:
    """What a word among ``program``'s words, read as a start, reads on its input: ``stdin``
    (the start's) for a command in command position, None for a word that only may name one
    and reads no input of its own (red team 55a R55a-1, R55a-2). A launcher with no table
    (`chrt -o 0 CMD`, `taskset`, `ionice`: schema/shell-runners.json `launchers`) starts its
    command with its input, as the wrappers Warden unwraps do (`nice CMD`, `timeout 5 CMD`); so
    may a program Warden has no table for (`choom -n 0 -- CMD`), whatever its line: no start's
    input is known to be settled (IPython's `!cmd` hands its line a pipe as
    `subprocess.run(LINE, shell=True, input=CMDS)` does; no start event carries which). Only
    Jupyter's own tools are known to hand a word none (R54c-1): the kernel installation's
    own, by their real file (``_kernels_jupyter_tool``), not any program named so. A tabled
    program's words start only what its table says (``reading.commands``), an interpreter's
    are its code's, a builtin's the shell's."""
    name = program_name(program)
    if not unknown or interpreters.language(name) is not None or name in shell_values.BUILTINS:
        return None
    if _JUPYTER_TOOL.match(name) and _kernels_jupyter_tool(program, name, env):
        # Jupyter's own tools start no word's program with their input: `jupyter SUB` execs
        # `jupyter-SUB` with its words (an argv start in a guarded Python, read there), and
        # `jupyter-nbconvert --to script` must not refuse there (R54c-1)
        return None
    return stdin


def _kernels_jupyter_tool(program: str, name: str, env: Dict[str, str]) -> bool:
    """Whether ``program`` (named ``jupyter`` or ``jupyter-SUB``) is the kernel installation's
    own tool of that name: its file (a path, or the bare name on the start's PATH) is that
    tool's real file or a copy of it (``_known_as``), and the tool is unchanged since the kernel
    started. A name alone is what the cell spells: a copy of choom named ``jupyter-x`` runs
    its words with its input (``./jupyter-x -n 0 -- script`` fed by ``input=``)."""
    from . import startup_modules
    from .own_python import OWN

    own = os.path.realpath(os.path.join(OWN.prefix, "bin", name))
    try:
        path = _placed(program) if os.sep in program else _which(program, env.get("PATH"))
    except Unreadable:
        return False
    if not path or not os.path.isfile(own) or startup_modules.changed_since_start(own):
        return False  # not found, or no such tool of the kernel's: its words read with input
    return _known_as(path, name, kernel=(own,))


def _refuse_handed_text(program: str, args: List[str], env: Dict[str, str]) -> None:
    """A word of a program Warden has no table for that, read as shell text, starts a shell,
    a wrapper, a code interpreter or a program that runs shell text (red team 25 R25-1: ``npx
    -c 'echo B64 | base64 -d | bash'``, ``gcc -wrapper sh,-c,TEXT``): the program may hand the
    word to ``sh -c``, and what that command runs is computed where Warden does not read. A
    name counts where it is a program on PATH or a path (``new``, ``run`` are tmux's words,
    not programs, in a sentence handed as a message)."""
    for word in args:
        if not handed_text.may_be_command_text(word):
            continue
        _refuse_unplaced_text(program, word)
        for name in handed_text.command_names(word):
            if _PYTHON.match(name):
                continue  # a Python it starts is guarded (with a flag that drops the guard,
                # names_installer refused it)
            if not fastpath._reads_fully(name) or not _which(name, env.get("PATH"), strict=False):
                continue
            raise Unreadable(
                f"{program} may run its argument {word[:60]!r} as shell text (as npx -c and "
                f"gcc -wrapper do), which starts {name}, and Warden does not read code run "
                f"inside another program's argument: run {name} as its own command"
            )


def _refuse_unplaced_text(program: str, word: str) -> None:
    """Shell text in ``word`` whose programs are not the ones its names find now (red team 26
    R26-3): a pattern in command position that matches a file now (``./[k]``, k a link to uv:
    the shell runs what it expands to; one that matches nothing stays a word, as jq's
    ``.[]``), a PATH it sets or a cd before a relative program (``handed_text.unplaceable``)."""
    why = handed_text.unplaceable(word)
    for token in handed_text.command_tokens(word):
        if why or not handed_text.has_pattern(token):
            continue
        token = handed_text.expand_tilde(token)
        found = globlib.glob(_placed(token, strict=False))
        if found:
            why = f"runs {found[0]} (its pattern {token} in command position matches it)"
    if why:
        raise Unreadable(
            f"{program} may run its argument {word[:60]!r} as shell text (as npx -c and gcc "
            f"-wrapper do), which {why}: Warden cannot tell what it runs: run the command as "
            "its own line"
        )


def _refuse_inert_options(program: str, args: List[str], env: Dict[str, str]) -> None:
    """An inert program with a table (schema/shell-runners.json) is inert only with the options
    its table lets pass (red team 18 R18-5: ``sort --compress-program=PROG`` runs PROG for
    its temporary files): the table is complete, so an option it does not know is refused."""
    name = program_name(program)
    if shell_runners.runner(name) is None:
        return
    reading = shell_runners.read(name, args, {**dict(_START_ENV.get()), **env}, current_folder())
    if reading is not None and reading.refused:
        raise Unreadable(f"{name}: {reading.refused.strip()}")


def _refuse_operand_start(program: str, words: List[str], env: Dict[str, str]) -> None:
    """An operand of a program Warden has no table for that names a program file (``./x.pl``,
    a name found on PATH) is read as a start of that file with the words after it (red team 17
    R17-8, R17-9: ``xargs ./x.pl``, ``dbus-run-session -- ./tool``, ``chrt 0 ./x.pl``,
    ``unknown-launcher ./x.pl``): Warden does not know which of such a program's words it runs,
    so every word that may be a program is read as one, through the ONE reader of a program
    named by path (``_script_start``: its ``#!`` line, for a file written since the kernel
    started). A file that is no executable is data (``wc -l ./x.pl``: wc is inert anyway).

    A word Warden cannot place fails CLOSED (red team 18 R18-3, R18-6): one the shell computes
    (``$PWD/x.pl``, a command substitution, a brace list), a relative path from a folder an
    earlier ``cd`` left unknown, a path an earlier command on the line may write first (``cp
    x.pl y && chrt 0 ./y``), an option's attached value (``--dbus-daemon=./x.pl``). A pattern
    (``./x.p[l]``) is read as each file it matches now (no match: the word as written). An
    interpreter's operands are its code's, read by ``interpreters``; a builtin's the shell's."""
    name = program_name(program)
    # a builtin runs in the shell (`source $(conda info --base)/etc/profile.d/conda.sh`: source
    # has its own rule, `_refuse_expansion`; `kill $PID` starts nothing)
    if interpreters.language(name) is not None or name in shell_values.BUILTINS:
        if _plain_operand(words[0]):
            _refuse_operand_file(program, words, env, closed=False)
        return
    word = _operand_value(words[0])
    if not word:
        return
    if _EXPANSION.search(word):
        raise Unreadable(
            f"{program} is given a word built by the shell ({_construct(word)}), and Warden "
            f"has no table of what {program} runs: the word may name the program it starts, "
            "which Warden cannot read before the shell builds it: write the word out"
        )
    found = [word]
    if _GLOB.search(word):
        # what the shell hands over: each file the pattern matches when the line runs
        found = _pattern_files(word) or [word]
    for path in found:
        _refuse_operand_file(program, [path] + words[1:], env)
        _refuse_program_folder(program, path, env)


def _refuse_operand_python(
    program: str, name: str, words: List[str], env: Dict[str, str], stdin: str
) -> None:
    """A Python word among the operands of a program Warden has no table for (the table's
    launchers: ``taskset -c 0``, ``chrt -o 0``, ``prlimit``, ``unshare``, ``perf stat``,
    ``numactl``; any other: ``choom -n 0 --``) starts a Python start reading from there, with
    the launcher's environment and input (red team 32 R32-4, R32-5: ``PYTHONPATH=d taskset
    -c 0 python -c pass`` ran d/sitecustomize.py unguarded, and a .pth copied into the site
    before it went unchecked). Warden does not know which of such a program's words is its
    program (an option may take a value), so every Python word is read as one: deny by
    default. ``name``: the word's program name (a link's target's)."""
    if program_name(program) in shell_values.BUILTINS or not _PYTHON.match(name):
        return
    if interpreters.language(program_name(program)) is not None:
        return  # an interpreter's operands are its code's (`perl x.pl python`)
    _refuse_inner_start(program, words, env, stdin)


def _refuse_program_folder(program: str, word: str, env: Dict[str, str]) -> None:
    """A word of a program with no table that names a FOLDER, or a file prefix in one (``gcc
    -B ./tc/``, ``-Btc/x-``: gcc runs ./tc/as, ./tc/x-as), is a place the program may run
    programs from (red team 19 R19-3): Warden does not know which, so each program file there
    written since the kernel started is read as a start of its own (``_folder_starts``); after
    a writer on the line that may write there, refused (``_refuse_written_place``: the folder
    is listed before the line runs; ``cp x.pl tc/as && gcc -B tc``)."""
    _refuse_written_place(program, word)
    try:
        folder = _named_folder(word, strict=True)
    except Unreadable:
        if "/" not in word:
            # a bare word after a cd Warden cannot follow (`(cd sub && ...); python -m venv
            # v`): a file or folder name, not a prefix naming a folder to run programs from
            # (`-B tc/`, `-Btc/x-`); the operand reader decides it as a file
            return
        raise
    if folder is not None:
        _folder_starts(program, word, folder, env)


def _named_folder(word: str, strict: bool) -> Optional[str]:
    """The folder ``word`` names as a place to run programs from, placed from the start's
    folder: the word itself, or the folder of a prefix that names no file (``tc/x-``); None
    for a file and for a word in no folder (``x.c``, ``-O2``)."""
    path = _placed(word, strict)
    if os.path.isdir(path):
        return path
    head = os.path.dirname(word)
    if head and not os.path.lexists(path) and os.path.isdir(_placed(head, strict)):
        return _placed(head, strict)
    return None


def _refuse_environment_folders(program: str, env: Dict[str, str]) -> None:
    """An environment value of the start that names a folder, or a ``:`` list of folders
    (``COMPILER_PATH=tc gcc``, ``GCC_EXEC_PREFIX=tc/``: red team 19 R19-3; make's built-in
    rule runs cc with them), is a place a program may run programs from, whatever the
    variable's name (deny by default: Warden knows no complete list of such names). PATH is
    the gate's (``path_programs``). Every part is read, however many and however long (red
    team 20 R20-3: parts past a cap ran unread), an empty one as the current folder (gcc reads
    ``COMPILER_PATH=:`` as ./). A value the cell set (the line's, or one the process did not
    start with) is also refused after a writer on the line that may write into its folders
    (``_refuse_written_place``); the launcher's own values (PWD, HOME, LS_COLORS) are
    read for the files there before the line, as any line writes into PWD."""
    given = startup_modules.START_ENVIRON.get()
    inherited = os.environ if given is None else given
    listed: Dict[str, tuple] = {}  # the start folder's listing, looked at once per start
    for name, value in {**dict(inherited), **env}.items():
        if name == "PATH" or not value:
            continue
        launched = name not in env and inherited_env.launch_value(name) == value
        what = f"{program} (with {name})"
        for part in _list_parts(value, launched):
            if not launched:
                _refuse_written_place(what, part, exact=name in env)
            folder = _environment_folder(what, part, launched, listed)
            if folder is not None:
                _folder_starts(what, part, folder, env)


def _list_parts(value: str, launched: bool) -> tuple:
    """The distinct parts of ``value`` read as a ``:`` list of folders, an empty part (in a
    list) as ``.`` in a value the cell set; kept per value (every start of a program Warden
    does not read pays this). A launcher's value's empty part is passed over: the cell wrote
    none of its text, and LS_COLORS ends with one (the current folder would be read as a
    program folder at every start, refusing them all while it holds a script Warden cannot
    read)."""
    known = _LIST_PARTS.get((value, launched))
    if known is None:
        parts = value.split(os.pathsep) if os.pathsep in value else [value]
        if launched:
            parts = [part for part in parts if part]
        known = tuple(dict.fromkeys(part or "." for part in parts))
        if len(_LIST_PARTS) >= 256:
            _LIST_PARTS.clear()
        _LIST_PARTS[(value, launched)] = known
    return known


_LIST_PARTS: Dict[tuple, tuple] = {}


def _environment_folder(
    what: str, part: str, launched: bool, listed: Dict[str, tuple]
) -> Optional[str]:
    """The folder an environment value's part names from the start's folder, or None. A bare
    name (no ``/``: most parts of LS_COLORS-like values) is looked up in the start folder's
    kept listing (``_subfolders``) instead of one ``stat`` each. A relative part of a value the
    cell set, from a folder an earlier ``cd`` left unknown, cannot be placed: unreadable; one
    of the launcher's values (LS_COLORS' parts) is read from this process's folder, as the
    cell does not write its text (refusing would refuse every start after `cd "$X"`)."""
    if os.path.isabs(part):
        try:
            return _named_folder(part, strict=False)
        except (OSError, ValueError):
            return None
    base = current_folder()
    if base is None and launched:
        base = ""
    if base is None:
        raise Unreadable(
            f"{what} may name folders relative to the folder an earlier cd moved to, which "
            "Warden cannot tell, and the program may run programs from them: cd to a folder "
            "written out"
        )
    if "/" not in part:
        here = listed.get(base)
        if here is None:
            folder = in_full(base)
            here = listed[base] = (folder, _subfolders(folder))
        folder, names = here
        # `.`: a folder the line makes before the start (`git init r && cd r`) is none yet
        if part in names or part in (".", ".."):
            if os.path.isdir(os.path.join(folder, part)):
                return os.path.join(base, part) if base else part
        return None
    try:
        return _named_folder(part, strict=not launched)
    except (OSError, ValueError):
        return None


# folder -> ((st_mtime_ns, st_ctime_ns, st_ino, st_dev), names of its entries that are, or
# may become without a change to the folder, folders: sub-folders and links)
_SUBFOLDERS: Dict[str, tuple] = {}
# a folder changed within this many seconds of its listing is listed again at the next look: a
# second change in the same clock tick keeps its times (the listing would go stale)
_SETTLED = 2.0


def _subfolders(folder: str) -> frozenset:
    """The entries of ``folder`` that may name folders (each is then checked with one
    ``isdir``), listed again when the folder's times or identity change; the status-change
    time is kept too, which a cell cannot set back (red team 21 R21-2: ``os.utime``). A folder
    Warden cannot list: unreadable (its parts may name folders Warden does not see)."""
    try:
        info = os.stat(folder)
        key = (info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
        known = _SUBFOLDERS.get(folder)
        if known is not None and known[0] == key:
            return known[1]
        names = frozenset(
            entry.name for entry in os.scandir(folder) if entry.is_symlink() or entry.is_dir()
        )
    except (FileNotFoundError, NotADirectoryError):
        # a folder the line makes before the start (`git init r && cd r && ...`): it holds no
        # folder yet; what the line writes there is the written places' rule
        return frozenset()
    except (OSError, ValueError):
        raise Unreadable(
            "the folder the program starts in cannot be listed, and its environment may name "
            "folders in it that the program runs programs from"
        ) from None
    if time.time() - info.st_ctime >= _SETTLED:
        if len(_SUBFOLDERS) >= 64:
            _SUBFOLDERS.clear()
        _SUBFOLDERS[folder] = (key, names)
    return names


def _refuse_written_place(what: str, word: str, exact: bool = False) -> None:
    """A place a program may run programs from (a folder word, a value the cell set), after a
    writer on the line that may write or chmod a file there (the placed writes of
    ``_refuse_path_written``, R19-2's rule for PATH): Warden lists the folder before the line
    runs, so the file would run unread. A place that is no folder yet counts only where a
    writer names it exactly (``exact``: a value the line gives, ``mkdir tc && cp x.pl tc/as &&
    COMPILER_PATH=tc gcc``); a tree writer's reach is read for folders that exist (every word
    under a tree would count: ``find . -exec rm {} + && xargs -n1 echo``)."""
    written = _PATH_WRITES.get()
    base = current_folder()
    if not written or (base is None and not os.path.isabs(word)):
        return  # a relative place after a cd Warden cannot follow is refused by its reader
    place = link_walk.walk(os.path.join(base or "", word)).end  # a folder programs run from
    if not os.path.isdir(place):
        if not exact:
            return  # a word that is no folder (yet) and no value the line gives: read as a file
        one = _SearchFolders([place])
        hit = next((w for w, at in written if at and one.written(at, False)), None)
        if hit:
            raise Unreadable(
                f"{what} may run programs from {word[:60]}, and an earlier command on the line "
                f"({hit.rstrip('/')}) may write there, while Warden lists the folder before the "
                "line runs: run the command as its own"
            )
        return
    try:
        # the place as ONE folder: a ``:`` in it (``gcc -B t:c/``) is part of its name, not a
        # PATH's separator (red team 86 F3)
        _refuse_folders_written([os.path.join(os.getcwd(), place)])
    except Unreadable as exc:
        # the rule reads the place as a PATH's folder: its reason names it so
        raise Unreadable(
            f"{what} may run programs from {word[:60]}, read as a PATH: {exc}"
        ) from None


def _folder_starts(program: str, word: str, folder: str, env: Dict[str, str]) -> None:
    """Each program file in ``folder`` written since the kernel started (``path_programs``'
    reading of new program files, fix18a) read as a start of its own with no words, as the
    gate reads a PATH folder's; a folder Warden cannot list fails closed."""
    if not os.access(folder, os.R_OK | os.X_OK):
        raise Unreadable(
            f"{program} is given {word[:60]}, a folder it may run programs from, which Warden "
            "cannot list: run the program without it"
        )
    if folder in _FOLDERS_READ.get():
        return  # an outer reading reads every new file of this folder: each once, not nested
    searched = _FOLDERS_READ.set(_FOLDERS_READ.get() | {folder})
    try:
        _folder_file_starts(program, word, folder, env)
    finally:
        _FOLDERS_READ.reset(searched)


def _folder_file_starts(program: str, word: str, folder: str, env: Dict[str, str]) -> None:
    from . import path_programs

    reading = _PATH_FILES.get()
    older: list = []
    # the folder itself, a ``:`` in its name kept (red team 86 F3: ``gcc -B t:c/`` runs
    # t:c/as; read as a PATH string it named the folders t and c/, or tc with it removed)
    found = path_programs.folder_programs(folder, older)
    for path, kind in _new_files(found, env) + _older_files(older, env):
        if path in reading:
            continue  # a file read again inside its own reading adds nothing, and would loop
        if len(reading) >= MAX_NESTING:
            raise Unreadable(f"{program}: the program folders it is given nest too deeply")
        token = _PATH_FILES.set(reading | {path})
        try:
            _older_or_side_start(
                path,
                kind,
                env,
                1,
                f"{path}, in {word[:60]}, a folder {program} may run programs from",
            )
        except Unreadable as exc:
            raise Unreadable(
                f"{program} is given {word[:60]}, a folder it may run programs from, which "
                f"holds {os.path.basename(path)}, a program file "
                f"{_OLDER if kind else 'written since the kernel started'}; read as a start: "
                f"{exc}"
            ) from None
        finally:
            _PATH_FILES.reset(token)


def _operand_value(word: str) -> str:
    """The part of an untabled program's word that may name a program it runs: an operand, an
    option's attached value (``--opt=PATH``, ``-oPATH``: red team 18 R18-6; getopt hands either
    to the program as the value); '' for an option alone and a ``NAME=VALUE`` setting."""
    if word.startswith("--"):
        return word.partition("=")[2]
    if word.startswith("-"):
        return word[2:]
    return word if _plain_operand(word) else ""


def _plain_operand(word: str) -> bool:
    return bool(word) and not word.startswith("-") and "=" not in word.partition("/")[0]


def _pattern_files(word: str) -> List[str]:
    """The paths a shell pattern matches from the start's folder, as the shell expands it
    (written as the word is: relative ones stay relative)."""
    if not os.path.isabs(word) and current_folder() is None:
        _placed(word)  # a folder Warden cannot tell: refused there
    return sorted(globlib.glob(word, root_dir=current_folder() or None))


def _refuse_operand_file(
    program: str, words: List[str], env: Dict[str, str], closed: bool = True
) -> None:
    """``words[0]`` read as a start when it names a program file (``_refuse_operand_start``);
    ``closed``: a path Warden cannot place is refused (an interpreter's operand is its code's
    to read: placed as well as Warden can, from this process's folder)."""
    word = words[0]
    if os.sep in word:
        # from a folder Warden cannot tell: refused (strict)
        path = _placed(word, strict=closed)
        writer = (_WRITTEN.get() or _LINE_WRITER.get()[0]) if closed else ""
        if writer and (not os.path.isabs(word) or not os.path.lexists(path)):
            raise Unreadable(
                f"{program} is given {word}, a path an earlier command on the line ({writer}) "
                f"may write, and Warden has no table of what {program} runs: Warden reads the "
                "file before the line runs: run the program as its own command"
            )
    else:
        path = _which(word, env.get("PATH"), False)
    if not path or not os.path.isfile(path) or not os.access(path, os.X_OK):
        return
    reading = _OPERAND_FILES.get()
    real = os.path.realpath(path)
    if real in reading:
        return  # `#!/usr/bin/env pipx run` hands the file to a program that names it again
    if len(reading) >= MAX_NESTING:
        raise Unreadable(f"{program} hands over program files nested too deeply")
    _refuse_shell_script(path, env)  # a bash script as a direct start is (R11-13, R25-2)
    started = _script_start(words, env, 1)
    if started is None:
        return
    token = _OPERAND_FILES.set(reading | {real})
    try:
        _refuse_inner_start(program, started, env)
    finally:
        _OPERAND_FILES.reset(token)


# The program files an operand reading is in (``_refuse_operand_start``): a file read again
# inside its own reading adds nothing, and would loop
_OPERAND_FILES: ContextVar[frozenset] = ContextVar("warden_operand_files", default=frozenset())


# programs whose words after them are a start of their own wherever they stand among an
# unknown program's words (`chrt 0 sh -c TEXT`, `flock f nice sh -c TEXT`, R13-5)
_STARTERS = SHELLS | WRAPPERS | SHELL_STRING_RUNNERS | {"eval", "xargs"}


def _refuse_started(
    name: str, words: List[str], j: int, env: Dict[str, str], stdin: Optional[str] = "unknown"
) -> None:
    """What ``words[j]`` (``name``) runs, read in full: shell text a program of
    schema/shell-runners.json hands to ``sh -c`` (``script -c``, git's ``!`` aliases, tar's
    ``--checkpoint-action=exec=``) as a line of its own, a command it starts (``flock F CMD``,
    ``find -exec CMD ;``) or a shell or wrapper named among the words as a start of its own.
    An installer found there is refused (the outer program is not read), and so is an
    expansion the inner shell resolves (``u$@v``: red team 13 R13-5). ``stdin``: what the
    start reads on its input (``_word_input``); None: a word that only may name a start, read
    with no input of its own (red team 55a)."""
    # the variables it starts with: the start's environment and the line's assignments
    reading = shell_runners.read(
        name,
        words[j + 1 :],
        {**dict(_START_ENV.get()), **env},
        current_folder(),
        j == 0 or stdin is not None,
    )
    if reading is None:
        if j and name in _STARTERS:
            # a shell or launcher word among a program's words: `dpkg -s bash` may be no start
            # at all, read as one with no input of its own; `choom -n 0 -- bash -s` with
            # choom's input (R55a-2)
            _refuse_inner_start(name, words[j:], env, stdin or "decided")
        return
    if reading.refused:
        # say whose word it is: `man script` refused as "script ..." names a program the user
        # never ran (red team 54c R54c-1)
        whose = (
            f"{program_name(words[0])}'s argument {words[j]!r} may be a program it runs: "
            if j
            else ""
        )
        raise Unreadable(whose + reading.refused)
    env = {**env, **dict(reading.environment)}  # `tmux new -e NAME=VALUE CMD` (R17-15)
    folder = ""
    if name in tmux_login.PROGRAMS and (j == 0 or words[j + 1 :]):
        # its panes' shell: a login shell with no command, what send-keys types (red team 88 F7)
        env = _multiplexer_shell(name, words[j + 1 :], env)
        folder = _multiplexer_folder(name, words[j + 1 :])  # `tmux new -c DIR` (red team 90 F11)
    for text in reading.texts:
        try:
            # the shell it runs the text in starts with its environment (R17-14)
            with start_folder(folder):
                found = shell_invocations(text, 1, env)
        except Unreadable as exc:
            raise Unreadable(f"{name} runs {text[:60]!r} as shell text: {exc}") from None
        if found:
            raise Unreadable(
                f"{name} runs {text[:60]!r} as shell text, which starts an installer Warden "
                "does not decide there: run the installer directly"
            )
    slot = (shell_runners.runner(name) or {}).get("input_word")
    if name in replaced_words.PARALLEL:
        _refuse_parallel_slots(name, reading.texts, env)
    for k, argv in enumerate(reading.commands):
        if slot:  # find -exec's `{}` (R16-6)
            refuse_input_program(name, argv, env, slot)
        # find -execdir runs it in each found file's folder: one Warden cannot tell; it reads
        # the program's input (`... | find . -exec bash ///dev/stdin \;`: R17-5)
        with start_folder(None if k in reading.moved else ""):
            _refuse_inner_start(name, argv, env, "decided" if k in reading.inputless else "unknown")
    for folder in reading.folders:
        _refuse_written_folder(name, folder)
        for program in _folder_programs(name, folder):
            _refuse_inner_start(name, [program], env)


def _refuse_unknown_exports(command: List[str], env: Dict[str, str], functions, installs) -> None:
    """A program started with an exported name whose value the line sets in a form Warden does
    not read (``unknown_exports``: `read X; export X; npm test`) is refused; an install's own
    settings are its problem already (``_LineState.unresolved_value``)."""
    handled = _INSTALLER_SETTING.match if installs else None
    why = unknown_exports.refusal(command, env, shell_values.BUILTINS | set(functions), handled)
    if why:
        raise Unreadable(why)


def _refuse_program_variables(name: str, env: Dict[str, str]) -> None:
    """A variable of the start's environment naming a program it may run (EDITOR, VISUAL,
    BROWSER, npm_config_editor, npm_config_script_shell...: ``program_variables``), set
    otherwise than the kernel was launched with, is read as that program's start, as the same
    path given as a word is (red team 90 F2: ``EDITOR=$PWD/tools/x npm config edit``,
    ``BROWSER=tools/x xdg-open URL``, ``EDITOR=tools/x sensible-editor f``)."""
    found = program_variables.changed({**_inherited_environ(), **env})
    if not found:
        return
    # read with those variables emptied: the program named is not read again for itself
    inner = {**env, **{variable: "" for variable, _value in found}}
    for variable, value in found:
        try:
            commands = program_variables.commands_of(variable, value)
        except ValueError as exc:
            raise Unreadable(f"{name}: {exc}") from None
        for argv in commands:
            if argv == [argv[0]] and os.sep not in argv[0] and argv[0] in INERT_PROGRAMS:
                continue  # ipykernel's PAGER=cat, GIT_PAGER=cat: the PATH's new files are read
            try:
                _refuse_inner_start(f"{name} (its {variable})", argv, inner)
            except Unreadable as exc:
                raise Unreadable(
                    f"{name} may run {variable}={value[:60]}, the program its environment "
                    f"names, read as a start: {exc}"
                ) from None


def _refuse_parallel_slots(name: str, texts, env: Dict[str, str]) -> None:
    """GNU parallel's command text with its replacement strings (``{}``, ``{.}``...): the
    words that hold one read as xargs -I's are (``replaced_words``, red team 90 F1)."""
    for text in texts:
        try:
            words = replaced_words.parallel_words(text)
        except ValueError as exc:
            raise Unreadable(str(exc)) from None
        if words:
            refuse_input_program(name, words, env, "{}")


def _multiplexer_shell(name: str, words: List[str], env: Dict[str, str]) -> Dict[str, str]:
    """The environment the shell commands of tmux/screen ``words`` are read with (red team 88
    F7: ``tmux new -d`` starts its default shell as a login shell, then ``tmux send-keys
    'tar ...' Enter`` types into it): where they start a shell, the login shell's start-up
    files are read as ``bash -l``'s (one written since the kernel started is refused) and
    its PATH is the homes' folders, the start's, then the system's (the pane may be a login
    shell or not: both are read); a login start's new PATH programs are read, and each line
    send-keys types is read as a line of that shell (``tmux_login``). A start-up file of the
    multiplexer's own written since the kernel started, a shell program or environment of
    the panes Warden does not read (``pane_shell``), and what Warden cannot read as typed
    lines are refused."""
    found = tmux_login.read(name, words, _tmux_command_names(), current_folder())
    if found.refused:
        raise Unreadable(found.refused)
    merged = {**_inherited_environ(), **env}
    home = merged.get("HOME") or _user_home(f"#{os.geteuid()}", name)
    changed = tmux_login.changed_config(name, merged, home, bool(found.text))
    if changed:
        raise Unreadable(
            f"{name} reads {changed}, its start-up file, written since the kernel started, which "
            "may run commands (tmux's run-shell) or set the shell it starts, and Warden does "
            "not read it"
        )
    shell = merged.get("SHELL") or _passwd_shell()
    from . import pane_shell  # its program and environment (red team 90 F10, F12)

    why = pane_shell.refused(name, words, merged, shell, SHELLS, _tmux_command_names())
    if why:
        raise Unreadable(why)
    if not found.starts:
        return env
    what = f"{name}'s default shell ({program_name(shell)}, a login shell)"
    inner = _startup_files_env(what, env, path_kept=True)
    if found.login:
        _refuse_path_programs(inner, 1, [shell])  # what its start-up files run by name
    if found.text:
        # the typed lines, ONE shell's text (red team 90 F6), in the pane's folder (tmux -c)
        text = found.text
        try:
            with start_folder(found.folder):
                started = shell_invocations(text, 1, inner)
        except Unreadable as exc:
            raise Unreadable(f"{name} send-keys types {text[:60]!r} into a shell: {exc}") from None
        if started:
            raise Unreadable(
                f"{name} send-keys types {text[:60]!r} into a shell, which starts an installer "
                "Warden does not decide there: run the installer directly"
            )
    return inner


def _multiplexer_folder(name: str, words: List[str]) -> str:
    """The folder tmux ``words`` run their shell commands in (``tmux new -c DIR CMD``, red team
    90 F11: ``command_folders``), relative to the start's; '' the start's own."""
    if name != "tmux":
        return ""
    from .command_folders import text_folder

    try:
        return text_folder(words, _tmux_command_names(), current_folder())
    except ValueError as exc:
        raise Unreadable(
            f"tmux runs its shell commands in a folder Warden cannot read them in ({exc}): "
            "give -c a folder written out that is there before the line runs"
        ) from None


def _tmux_command_names() -> tuple:
    return tuple((shell_runners.runner("tmux") or {}).get("command_names", ()))


def _passwd_shell() -> str:
    """This user's shell in the password database (tmux's and screen's default without
    SHELL), /bin/sh where there is none."""
    import pwd

    try:
        return pwd.getpwuid(os.geteuid()).pw_shell or "/bin/sh"
    except KeyError:
        return "/bin/sh"


def _refuse_written_folder(name: str, folder: str) -> None:
    """A folder whose every program ``name`` runs (``run-parts DIR``) is listed before the line
    runs: a command on the line that may write files before or alongside it (``cp x.pl DIR/a
    && run-parts DIR``, ``ln -s``) may put a program there Warden has not seen (red team 18
    R18-7), as a program run by a path after a writer is refused (``_refuse_written_program``)."""
    writer = _WRITTEN.get() or _LINE_WRITER.get()[0]
    if writer:
        raise Unreadable(
            f"{name} runs every program in {folder[:60]}, and an earlier command on the line "
            f"({writer}) may write there, while Warden lists the folder before the line runs: "
            "run it as its own command"
        )


def _folder_programs(name: str, folder: str) -> List[str]:
    """The executable files of ``folder``, each a program ``name`` runs (``run-parts DIR``,
    red team 17 R17-9): each is then read as a start of its own, as ``./x.pl`` is. A folder
    Warden cannot list is unreadable: it would run programs Warden has not seen."""
    try:
        place = _placed(folder)
        names = sorted(os.listdir(place))
    except (OSError, ValueError) as exc:
        raise Unreadable(
            f"{name} runs every program in {folder[:60]}, which Warden cannot list "
            f"({type(exc).__name__}): run the programs directly"
        ) from None
    found = [os.path.join(place, n) for n in names]
    return [p for p in found if os.path.isfile(p) and os.access(p, os.X_OK)]


def _refuse_inner_start(
    name: str, argv: List[str], env: Dict[str, str], stdin: str = "unknown"
) -> None:
    """A command a launcher starts (``chrt 0 CMD``, ``find -exec CMD ;``, ``xargs CMD``), read
    as a start of its own with the launcher's environment (red team 17 R17-14: the line's
    assignments and exports reach it, ``PYTHONPATH=. find . -exec python3 ...``) and its input
    (``stdin``: the launcher's, a pipe or a file Warden does not read; ``"decided"``: none,
    xargs' /dev/null), so ``find . -exec bash ///dev/stdin ; < f`` reads a descriptor (R17-5)."""
    if not argv:
        return
    _refuse_expansion(argv, _WORDS.search(" ".join(argv)) is not None)
    if _simple(argv, env, 1, stdin):
        raise Unreadable(
            f"{name} starts {' '.join(argv)[:60]!r}, which runs an installer Warden does not "
            "decide there: run the installer directly"
        )


def _script_text(path: str) -> Optional[str]:
    """A script an interpreter is given, in full, as the start finds it; None when it cannot
    be read so (red team 14 R14-6, R14-18): no regular file, named through a process
    (``/dev/fd/3``, ``/proc/self/fd/3``: Warden's descriptors are not the child's), larger than
    Warden reads, or placed from a folder Warden cannot tell. The caller refuses then."""
    from .requirements import read_regular_file

    try:
        return read_regular_file(_placed(path), errors="replace")
    except (OSError, ValueError, Unreadable):
        return None


FRONT_ENDS = frozenset(
    ("pipx", "poetry", "pdm", "pipenv", "hatch", "pixi", "rye", "pip-compile", "pip-sync")
)
_RUN_VALUED = {
    "conda": {"-n", "--name", "-p", "--prefix", "--cwd", "-a", "--attach", "--label",
              "-r", "--root-prefix", "--rc-file"},
    "poetry": {"-C", "--directory", "-P", "--project"},
    "pdm": {"-p", "--project", "-v", "--venv"},
    "pipenv": {"--python"},
    "hatch": {"-e", "--env", "-p", "--project"},
    "pixi": {"--color", "--manifest-path", "-e", "--environment", "--auth-file",
             "--concurrent-downloads", "--concurrent-solves", "--pypi-keyring-provider",
             "--config-file", "--skip-deps"},
    "rye": {"--env-file", "--pyproject"},
}  # fmt: skip
_RUN_FLAGS = {
    "conda": {"-v", "--verbose", "--dev", "--debug-wrapper-scripts", "--no-capture-output",
              "--live-stream", "--clean-env", "-d", "--detach", "-q", "--quiet"},
}  # fmt: skip


def _run_command(tool: str, args: List[str], label: str = "") -> Optional[List[str]]:
    """The command after ``TOOL [global opts] run [opts]``, or None when ``args`` is no
    ``run``. An option Warden does not know there, before an installer word, is unreadable:
    its value could be taken for the command."""
    valued, flags = _RUN_VALUED[tool], _RUN_FLAGS.get(tool)
    i, seen_run, moved = 0, False, False
    while i < len(args):
        word = args[i]
        if not seen_run and not word.startswith("-"):
            if word != "run" and not (tool == "pixi" and word == "r"):  # pixi's alias
                return None
            seen_run, i = True, i + 1
            continue
        if seen_run and not word.startswith("-"):
            break
        name, eq, _ = word.partition("=")
        if name == "--":
            i += 1
            break
        moved = moved or name in _RUN_CHDIR.get(tool, ())
        if name in valued and not eq:
            i += 2
            continue
        if seen_run and flags is not None and name not in valued and name not in flags:
            if _WORDS.search(" ".join(args[i:])):
                raise Unreadable(f"{label or tool} run option {name} is not one Warden knows")
        i += 1
    if not seen_run:
        return None
    rest = args[i:]
    if tool == "hatch" and rest and ":" in rest[0] and not rest[0].startswith(("/", ".")):
        rest = [rest[0].split(":", 1)[1]] + rest[1:]  # hatch run ENV:CMD
    _refuse_moved(moved, f"{label or tool} run", rest)
    return rest


# options that run the command in another folder, which Warden's reading does not follow
_RUN_CHDIR = {"conda": {"--cwd"}, "poetry": {"-C", "--directory"}}
_WRAPPER_CHDIR = {"env": ("-C", "--chdir"), "sudo": ("-D", "--chdir")}


def _refuse_moved(moved: bool, program: str, command: List[str], starts: bool = False) -> None:
    """A command run in another folder that names an installer, or ``starts`` one (a link
    found from that folder), is unreadable."""
    if moved and (starts or _WORDS.search(" ".join(command))):
        raise Unreadable(
            f"{program} runs the command in another folder, which Warden does not follow: "
            "cd there first"
        )


def _uv_tool_command(args: List[str]) -> Optional[List[str]]:
    from .arguments import uv_tool_command

    return uv_tool_command(args)


def _uv_run_command(args: List[str]) -> Optional[List[str]]:
    """The command ``uv [global opts] run [opts] CMD...`` runs (``-m MOD`` as ``python -m
    MOD``), or None."""
    from .arguments import UV_COMMANDS, UV_VALUED, UvRunLine, subcommand_start

    start = subcommand_start(args, UV_VALUED, UV_COMMANDS)
    if args[start : start + 1] != ["run"]:
        return None
    return UvRunLine(args[start + 1 :]).command()


def _front_end_run(tool: str, args: List[str], env: Dict[str, str], depth: int):
    if tool == "pipx":
        # pipx run APP ARGS / pipx exec VENV APP ARGS: the app (decided as a package in
        # pipx_request.py) runs with ARGS, and may itself install (`pipx run pip install X`,
        # `--python-args='-m pip install X'`)
        from .pipx_cli import app_commands

        return [inv for inner in app_commands(args) for inv in _simple(inner, env, depth)]
    if tool in ("pip-compile", "pip-sync"):
        return []
    if tool == "pixi":
        from .frontends import pixi_exec

        found = pixi_exec(args)
        if found is not None:  # pixi exec CMD: CMD runs in the environment pixi made
            return _simple(found[1], env, depth) if found[1] else []
    inner = _run_command(tool, args)
    return _simple(inner, env, depth) if inner else []


def _piptools_module(args: List[str], env: Dict[str, str], depth: int) -> List[Invocation]:
    """``python -m piptools compile|sync ...`` is ``pip-compile|pip-sync ...``; the group's
    help or version installs nothing; anything else is a command Warden does not know."""
    if args[:1] in (["compile"], ["sync"]):
        return _simple([f"pip-{args[0]}"] + args[1:], env, depth)
    if all(word in ("-h", "--help", "--version") for word in args):
        return []
    raise Unreadable("python -m piptools runs a pip-tools command Warden does not know")


# The wrappers' options: (flags, options taking a value); a word after `-` that is neither is
# an option Warden does not know, unreadable when an installer is named after it.
_WRAPPER_OPTIONS = {
    "env": ({"-i", "--ignore-environment", "-0", "--null", "-v", "--debug", "-"},
            {"-u", "--unset", "-C", "--chdir", "-S", "--split-string"}),
    "sudo": ({"-E", "-H", "-n", "-S", "-b", "-k", "-P", "-A", "-B", "-i", "-s",
              "--preserve-env", "--set-home", "--non-interactive", "--stdin", "--background",
              "--reset-timestamp", "--login", "--shell", "--askpass", "--bell"},
             {"-u", "-g", "-C", "-D", "-h", "-p", "-U", "-r", "-t", "-T", "-R", "--user",
              "--group", "--close-from", "--chdir", "--host", "--prompt", "--other-user",
              "--role", "--type", "--command-timeout", "--chroot"}),
    "doas": ({"-n", "-s"}, {"-u", "-C"}),
    "nohup": (set(), set()),
    "time": ({"-p", "-v", "--verbose", "-a", "--append", "-q", "--quiet", "--portability"},
             {"-f", "--format", "-o", "--output"}),
    "exec": ({"-c", "-l", "-cl", "-lc"}, {"-a"}),
    "command": ({"-p", "-v", "-V"}, set()),
    "nice": (set(), {"-n", "--adjustment"}),
    "stdbuf": (set(), {"-i", "-o", "-e", "--input", "--output", "--error"}),
    "timeout": ({"--preserve-status", "--foreground", "-v", "--verbose"},
                {"-s", "--signal", "-k", "--kill-after"}),
    "setsid": ({"-c", "--ctty", "-f", "--fork", "-w", "--wait"}, set()),
    "builtin": (set(), set()),
    "coproc": (set(), set()),
}  # fmt: skip


def _unwrap(
    name: str, args: List[str], env: Dict[str, str], moved_to: Optional[list] = None
) -> List[str]:
    """The command a wrapper runs; ``env``'s assignments are added to ``env``, the folder it
    changes to (``env -C DIR``) to ``moved_to`` (None: one Warden cannot tell). An option
    Warden does not know, with an installer named after it, is unreadable."""
    flags, valued = _WRAPPER_OPTIONS[name]
    i, moved, emptied, default_lookup = 0, False, False, False
    renamed = None  # `exec -a NAME`: the argv[0] the program gets (R54b-4)
    dashed = False  # `exec -l`: bash puts a `-` in front of that argv[0] (red team 88 F3)
    login, given_user = "", ""  # `sudo -i [-u USER]`: a login shell's PATH (red team 86 F6)
    if name in ("sudo", "doas"):
        # they start the command with a reset environment: the guard's PYTHONPATH entry is
        # not kept (sudoers' env_reset; doas keeps only a few variables)
        env["PYTHONPATH"] = ""
    # env's `-` ends its options (getopt stops at a word that is no option): it is read after
    while (
        i < len(args)
        and args[i].startswith("-")
        and args[i] != "--"
        and not (name == "env" and args[i] == "-")
    ):
        word = args[i]
        bundle = shell_runners.split_bundle(word, flags)
        if bundle:  # getopt's bundles (red team 16 R16-9: `env -vS TEXT`)
            args = args[:i] + bundle + args[i + 1 :]
            continue
        # only a long option ends its name at `=` (`--unset=NAME`); a short option's value is
        # the rest of its word, `=` and all (`-S...pkg==0.9`, `-uA=B`: red team 51a R51a-3)
        option, eq, value = word.partition("=") if word.startswith("--") else (word, "", "")
        if option.startswith("--"):
            # getopt's unique prefixes (red team 14 R14-37: `env --split-s=TEXT`)
            found = shell_runners.long_option(option, flags | valued, valued, valued)
            if found == "":
                raise Unreadable(f"{name} {option} may name more than one of its options")
            option = found or option
        short_value = option[:2] if option[:2] in valued and not option.startswith("--") else None
        moved = (
            moved
            or option in _WRAPPER_CHDIR.get(name, ())
            or short_value in _WRAPPER_CHDIR.get(name, ())
        )
        if moved and moved_to is not None and len(moved_to) < 1:
            folder = value if eq else word[2:] if short_value and len(word) > 2 else None
            if folder is None:
                folder = args[i + 1] if i + 1 < len(args) else ""
            plain = folder and not folder.startswith(("~", "-")) and not _EXPANSION.search(folder)
            moved_to.append(folder if plain else None)
        if name == "env" and (option in ("-S", "--split-string") or short_value == "-S"):
            script = value if eq else word[2:] if short_value and len(word) > 2 else None
            if script is None:
                script = args[i + 1] if i + 1 < len(args) else ""
                i += 1
            # GNU env puts TEXT's words in place of the option and its TEXT and reads its
            # arguments again from the first (coreutils' parse_split_string: optind = 0):
            # options (-i, -u NAME, -C DIR, -S again), `--`, NAME=VALUE words, then the
            # command (red team 50b R50b-1: `env -S '-i bash -c ...'` empties the environment).
            # TEXT is split by env's rules, not the shell's (red team 51a R51a-1/2)
            args, i = _env_split(script) + args[i + 1 :], 0
            continue
        if name == "env" and option in ("-i", "--ignore-environment"):
            _empty_environment(env)
        if name == "exec" and short_value == "-a":
            renamed = word[2:] if len(word) > 2 else args[i + 1] if i + 1 < len(args) else ""
        # bash's `exec -c` looks the program up with the shell's PATH, then empties the
        # environment for the started program only (red team 49a R49a-5): after the options
        emptied = emptied or (name == "exec" and option in flags and "c" in option[1:])
        dashed = dashed or (name == "exec" and option in flags and "l" in option[1:])
        # `command -p` looks the program up on the shell's default path, for that lookup
        # alone: the program keeps the shell's environment, PATH too (red team 50b R50b-2)
        default_lookup = default_lookup or (name == "command" and option == "-p")
        if name == "sudo" and option in ("-i", "--login"):
            login = login or "root"  # the target user's login shell runs the command
        if name == "sudo" and (option in ("-u", "--user") or short_value == "-u"):
            user = value if eq else word[2:] if short_value and len(word) > 2 else None
            given_user = user if user is not None else args[i + 1] if i + 1 < len(args) else ""
        if name == "env" and (option in ("-u", "--unset") or short_value == "-u"):
            unset = value if eq else word[2:] if short_value and len(word) > 2 else None
            if unset is None and i + 1 < len(args):
                unset = args[i + 1]
            if unset:
                # read as '' (not set): the guard's entry or a launch variable gone, PATH
                # changed, and any other name not read as the kernel's (red team 17 R17-15)
                env[unset] = ""
        if name == "time" and ("-o" in (option, short_value) or option == "--output"):
            # GNU time opens its -o FILE (emptied unless -a) before the command it times
            # starts, as a redirection the line does not write (R57a-8)
            if names_installer(args[i:]):
                raise Unreadable(
                    "time -o writes its file before the command it times starts, and Warden "
                    "does not weigh that file against what the install reads: run the install "
                    "without time -o (or redirect its output into an install.log)"
                )
        if name == "nice" and re.match(r"^-\d+$", word):
            i += 1  # nice -10 CMD
        elif option in flags:
            i += 1
        elif option in valued:
            i += 1 if eq else 2
        elif short_value is not None:
            i += 1  # the value joined to its option: -uroot, -oL, -n5
        else:
            _refuse_unread(f"{name} {option}", args[i:])
            i += 1
    if i < len(args) and args[i] == "--":
        i += 1
    if name == "env" and i < len(args) and args[i] == "-":
        # GNU env tests for the obsolete `-` (as `-i`) after getopt, which has consumed a `--`:
        # `env -- - CMD` empties the environment too (red team 53a R53a-3); one `-` only, a
        # second is the program (`env - - CMD` runs `-`)
        _empty_environment(env)
        i += 1
    if name == "command" and any(a in ("-v", "-V") for a in args[:i]):
        return []  # command -v NAME names it, runs nothing
    if name == "timeout" and i < len(args):
        i += 1  # the duration
    while name == "env" and i < len(args) and "=" in args[i]:
        # env(1) sets ANY NAME=value, not only shell-valid names: PIP_INDEX-URL=... reaches pip
        key, _, value = args[i].partition("=")
        env[key] = value
        i += 1
    _refuse_moved(moved, f"{name} --chdir", args[i:])
    if login:
        home = _user_home(given_user or login, f"{name} -i")
        # sudo resets the environment (env_reset, secure_path): not the start's PATH
        env.update(_startup_files_env(f"{name} -i (a login shell)", env, [home], env_kept=False))
    if default_lookup and args[i : i + 1] == ["command"]:
        # bash and dash hand the default path on to a `command` it runs (`command -p command
        # X` finds X there too); other builtins look up on PATH (`command -p exec X`)
        return ["command", "-p"] + args[i + 1 :]
    if default_lookup and i < len(args):
        args = args[:i] + [_default_path_program(args[i])] + args[i + 1 :]
    argv0 = None
    if (renamed is not None or dashed) and i < len(args):
        argv0 = ("-" if dashed else "") + (args[i] if renamed is None else renamed)
        _refuse_renamed_python(args[i], argv0, env)
    if emptied:
        if i < len(args) and os.sep not in args[i]:
            found = _which(args[i], env.get("PATH"))
            if not found:
                return []  # bash: not found, nothing starts
            args = args[:i] + [found] + args[i + 1 :]
        _empty_environment(env)
    if argv0 is not None and login_path.login_argv0(argv0) and program_name(args[i]) in SHELLS:
        # `exec -a -bash bash -c ...`, `exec -l bash -c ...`: an argv[0] starting with `-` is
        # a login shell; read after `exec -c` emptied the environment (`exec -cl`), where its
        # profile sets the PATH anew all the same
        env.update(_startup_files_env(f"{args[i]} as {argv0} (a login shell)", env, None))
    return args[i:]


def _refuse_renamed_python(program: str, argv0: str, env: Dict[str, str]) -> None:
    """``exec -a NAME PROGRAM``, ``PYTHONEXECUTABLE=NAME PROGRAM``: a Python's getpath places
    it by NAME, not by its file (red team 54b R54b-4: another pyvenv.cfg and site folders than
    Warden reads), unreadable unless NAME places it where its program is (``argv_zero``)."""
    from .argv_zero import moved_python

    start = {**_inherited_environ(), **env}
    if argv0 == program and not start.get("PYTHONEXECUTABLE"):
        return  # a simple command's own start, as it is nearly always
    problem = moved_python(program, argv0, start, _START_FOLDER.get())
    if problem:
        raise Unreadable(problem)


def _default_path_program(word: str) -> str:
    """The program ``command -p WORD`` runs: WORD looked up on the shell's default path, not
    on PATH (red team 50b R50b-2). bash's is the system's (``command_values.SYSTEM_PATH``),
    dash's (sh, the shell of ``os.system``) its own compiled one (``command_values.SHELL_PATH``);
    Warden does not know which shell reads the line, so both are searched. A builtin (``command
    -p exec ...``), a word with a ``/``, or a name found on neither (nothing runs: read as
    written, more than runs) stays; one file found on both, or on one alone, is the program;
    two different files are unreadable."""
    if os.sep in word or word in shell_values.BUILTINS:
        return word
    searches = (command_values.SYSTEM_PATH, command_values.SHELL_PATH)
    found = {_which(word, search) for search in searches} - {""}
    if len({os.path.realpath(path) for path in found}) > 1:
        raise Unreadable(
            f"command -p {word} finds a different {word} on bash's default path than on sh's "
            f"({', '.join(sorted(found))}), and Warden does not know which shell runs it: "
            "give the program's full path"
        )
    return min(found) if found else word


def shell_default_path(shell: str, env: Dict[str, str]) -> None:
    """A shell started with PATH unset looks names up on its compiled default (red team 49a
    R49a-2), not where ``execvp`` looks (``os.defpath``, glibc's confstr _CS_PATH, which env
    used to find the shell): bash's ends in ``.`` (the start's folder), dash's (sh) differs in
    order."""
    if unset.is_unset(env, "PATH"):
        env["PATH"] = command_values.BASH_PATH if shell == "bash" else command_values.SHELL_PATH


def _empty_environment(env: Dict[str, str]) -> None:
    """``env -i`` (``-``, ``--ignore-environment``), bash's ``exec -c``: the command starts with
    none of the variables it would inherit or the line set, only the NAME=VALUE words that
    follow. Each is read as '' (not set), so no reader falls back to the kernel's value (red
    team 48a R48a-3: the kernel's XDG_CONFIG_HOME hid the ~/.config/uv/uv.toml uv then read,
    its UV_INDEX_URL stood for the mirror uv then did not use); the guard's PYTHONPATH entry is
    gone (red team 8 R8-17). Each is an ``unset.Unset``: PATH's text is where ``execvp``
    looks with PATH unset, where env finds its program ('' would be the start's folder), and
    a shell it starts searches its own default (``shell_default_path``, red team 49a R49a-2);
    HOME's '' is read as unset where a program finds ``~`` in the password database."""
    for name in {**_inherited_environ(), **env, "HOME": ""}:
        env[name] = unset.Unset("")
    env["PYTHONPATH"] = unset.Unset("")
    env["PATH"] = unset.Unset(os.defpath)


# xargs' options (findutils): valued, and those whose value is optional (attached only)
_XARGS_VALUED = ("-a", "--arg-file", "-d", "--delimiter", "-E", "-I", "-L", "-n", "--max-args",
                 "-P", "--max-procs", "-s", "--max-chars", "--process-slot-var")  # fmt: skip
_XARGS_OPTIONAL = ("-e", "--eof", "-i", "--replace", "-l", "--max-lines")
_XARGS_FLAGS = ("-0", "--null", "-o", "--open-tty", "-p", "--interactive", "-r",
                "--no-run-if-empty", "-t", "--verbose", "-x", "--exit", "--show-limits",
                "--help", "--version")  # fmt: skip


def _refuse_program_from_input(args: List[str], env: Dict[str, str]) -> List[str]:
    """xargs whose PROGRAM comes from its input (red team 15 R15-19): `-I R` with R in the
    program word (`xargs -I% % run ...`), or a wrapper (`env`, `nice`, `timeout 60`, `sudo`)
    or su/runuser/eval with no program of its own, which then runs the first input word (or
    takes `-c TEXT` from the input). Warden reads no input: refused. Returns the command xargs
    starts (its words after xargs' options)."""
    known = _XARGS_VALUED + _XARGS_OPTIONAL + _XARGS_FLAGS
    i, replace = 0, None
    while i < len(args) and args[i].startswith("-") and args[i] != "-":
        word = args[i]
        if word == "--":
            i += 1
            break
        written, eq, value = word.partition("=")
        option = (
            shell_runners.long_option(written, known, _XARGS_VALUED) if word[1] == "-" else word[:2]
        )
        attached = value if word[1] == "-" else word[2:]
        if option in ("-I", "-i", "--replace"):
            replace = attached or ("{}" if option != "-I" else "")
        if option in _XARGS_VALUED and not (eq or (word[1] != "-" and attached)):
            i += 1
            replace = args[i] if option == "-I" and i < len(args) else replace
        i += 1
    # a replace string other than `{}` read as `{}`: every rule on `{}` holds for it (red
    # team 90 F1: `xargs -I Z env PATH=Z:/bin tar ...`)
    command = replaced_words.canonical(args[i:], replace or "")
    refuse_input_program("xargs", command, env, "{}" if replace else None)
    return command


def launches(name: str) -> bool:
    """The one launcher set: a program that runs a command given as its operands (the
    wrappers read here, su/runuser, eval, xargs, and schema/shell-runners.json's launchers and
    command-running tables)."""
    return (
        name in WRAPPERS
        or name in SHELL_STRING_RUNNERS
        or name in ("eval", "xargs")
        or shell_runners.launches(name)
    )


def refuse_input_program(
    who: str, command: List[str], env: Dict[str, str], slot: Optional[str]
) -> None:
    """A command ``who`` fills from what it reads (xargs' command, find -exec's): refused when
    its PROGRAM may come from that input (red team 15 R15-19, R15-20; red team 16 R16-5,
    R16-6). ``slot``: the word the input replaces (find's ``{}``, xargs -I's); None: the input
    is appended (xargs without -I). The program word holding the slot is refused; the wrappers
    Warden reads are unwrapped; behind any OTHER launcher (``chrt -o 0``, ``setpriv``, ``flock
    F``: Warden does not know which of its words is the program) a slot among the words, or
    appended input, is refused: deny by default."""
    while command:
        name = program_name(command[0])
        if slot and slot in command[0]:
            raise Unreadable(f"{who} starts a program named by its input ({command[0]!r})")
        if name in WRAPPERS:
            inner = _unwrap(name, command[1:], dict(env))
            # a wrapper's own words holding the slot (`env PATH={}:...`, red team 90 F1)
            own = command[1 : len(command) - len(inner)]
            if command[len(command) - len(inner) :] != inner:
                own = command[1:]  # env -S split its text: every word is the wrapper's
            why = replaced_words.wrapper_refused(who, name, own, slot) if slot else ""
            if why:
                raise Unreadable(why)
            command = inner
            if not command and slot is None:
                raise Unreadable(f"{who} {name} runs a program named by {who}'s input")
        elif launches(name):
            if slot is None or any(slot in word for word in command[1:]):
                raise Unreadable(
                    f"{who} {name} runs a command whose program may be {who}'s input (a file "
                    f"{who} finds or a word it reads), which Warden cannot name: write the "
                    "program out"
                )
            return
        else:
            if slot:
                # the program's own words: a replaced option or option value, an
                # interpreter's code or script, a shell's text (red team 90 F1)
                why = replaced_words.program_refused(
                    who,
                    name,
                    command[1:],
                    slot,
                    name in INERT_PROGRAMS,
                    shell_runners.runner(name) is not None,
                    name in SHELLS,
                )
                if why:
                    raise Unreadable(why)
            return


def _env_split(script: str) -> List[str]:
    """The words ``env -S`` splits ``script`` into (``env_split``); a text env refuses (nothing
    starts) or expands itself (``${NAME}``) is unreadable."""
    try:
        return env_split.split(script)
    except env_split.Unread as exc:
        raise Unreadable(str(exc)) from None


def _shell_string_runner(name: str, args: List[str], env: Dict[str, str], depth: int) -> list:
    """su/runuser: their options read with the tables' getopt model (red team 15 R15-21:
    `-mc TEXT`, `-cTEXT`, `--comm=TEXT`, `--session-command=TEXT`, an unknown option refused),
    and a `-c TEXT` among the words after the user, which su hands to the shell as its own
    arguments (`su root -c TEXT`)."""
    # the shell it runs (-s, or SHELL with -m) must be a standard one (red team 17 R17-10)
    reading = shell_runners.read(name, args, {**dict(_START_ENV.get()), **env})
    if reading.refused:
        raise Unreadable(reading.refused)
    scripts = list(reading.texts)
    for late in (_option_value(args, ("-c", "--command")), _shell_arguments_text(name, args)):
        if late is not None and late not in scripts:
            scripts.append(late)
    rest = ["" if any(s and s in word for s in scripts) else word for word in args]
    rest = _without_shell_option(rest)  # decided above: a standard shell
    _refuse_unread(name, rest, env)  # `su -s /x/uv -c ...`, `runuser -u u -- uv ...`
    found = []
    inner = {**env, "PYTHONPATH": ""}
    if _su_login(args):
        # `su -`, `runuser -l`: the user's login shell, its profile's PATH (red team 86 F6),
        # in an environment made afresh (not the start's PATH)
        inner = _startup_files_env(f"{name}'s login shell", inner, _su_homes(args), env_kept=False)
    for script in scripts:
        # `su -`, `runuser -l` start the shell with a fresh environment: the guard's gone
        found += shell_invocations(script, depth + 1, inner)
    return found


def _su_login(args: List[str]) -> bool:
    """Whether su/runuser starts a login shell (``-``, ``-l``, ``--login``, before ``--``)."""
    for word in args:
        if word == "--":
            return False
        if word in ("-", "--login") or (word[:1] == "-" and word[1:2] != "-" and "l" in word):
            return True
    return False


def _su_homes(args: List[str]) -> List[str]:
    """The homes whose start-up files su/runuser's login shell may read: root's (the default
    user) and that of every word before ``--`` that names a user of the machine (Warden does
    not place which word is the user among values and bundles, ``-lc TEXT``: each is read)."""
    import pwd

    homes = []
    for word in ["root"] + args[: args.index("--") if "--" in args else len(args)]:
        if word.startswith("-"):
            continue
        try:
            homes.append(pwd.getpwnam(word).pw_dir)
        except (KeyError, ValueError):
            continue
    return list(dict.fromkeys(homes))


def _user_home(user: str, what: str) -> str:
    """``user``'s home (a name, or ``#UID``), whose start-up files a login shell reads."""
    import pwd

    try:
        if user.startswith("#") and user[1:].isdigit():
            return pwd.getpwuid(int(user[1:])).pw_dir
        return pwd.getpwnam(user).pw_dir
    except (KeyError, ValueError, OverflowError):
        raise Unreadable(
            f"{what} starts a login shell as {user[:40]}, whose home (and the start-up files "
            "that set its PATH) Warden cannot place"
        ) from None


def _startup_files_env(
    what: str,
    env: Dict[str, str],
    homes: Optional[List[str]] = None,
    env_kept: bool = True,
    path_kept: bool = False,
) -> dict:
    """``env`` with the PATH a shell that reads start-up files gives its commands
    (``login_path.search``: the homes' bin folders in front, the start's PATH when its files
    only add to it (``path_kept``: ``-i``, zsh), the system's after), so what they run by name
    is read from there (red team 86 F6: ``bash -lc 'tar ...'`` ran a new
    ``~/.local/bin/gzip``). ``homes``: the start's HOME when None; ``env_kept``: False for a
    login that makes the environment afresh (``su -``, ``sudo -i``: no ZDOTDIR). Unreadable
    where Warden cannot tell that PATH: a home it cannot place, a start-up file written since
    the kernel started, a writer on the line that may write one."""
    merged = {**_inherited_environ(), **env}
    if homes is None:
        # bash reads ~/.profile from the passwd home when HOME is unset (`env -i bash -l`)
        homes = [merged.get("HOME") or _user_home(f"#{os.geteuid()}", what)]
    zdotdir = (merged.get("ZDOTDIR") or "") if env_kept else ""
    # bash-completion's user files the environment names (red team 88 F4)
    named = login_path.named_files(merged) if env_kept else ()
    for home in homes:
        _refuse_startup_files(what, home, zdotdir, named)
    given = merged.get("PATH", os.defpath) if path_kept else ""
    return {**env, "PATH": login_path.search(homes, given)}


def _refuse_startup_files(what: str, home: str, zdotdir: str, named: tuple = ()) -> None:
    """``_startup_files_env``'s refusals for one home (and ZDOTDIR, and the ``named``
    start-up files its environment names)."""
    for folder in (home, zdotdir) + named:
        if folder and (not folder.startswith("/") or os.pathsep in folder):
            raise Unreadable(
                f"{what} reads its start-up files from {folder[:80]}, which Warden cannot "
                "place as a folder (relative, or holding a ':'), and they set the PATH its "
                "commands run programs from: run them with a plain shell (bash -c)"
            )
    changed = login_path.changed_file(home, zdotdir, named)
    if changed:
        raise Unreadable(
            f"{what} reads {changed}, a start-up file written since the kernel started, which "
            "may set the PATH its commands run programs from (or run anything), and Warden "
            "does not read it: run them with a plain shell (bash -c)"
        )
    try:
        # the folders of the files too: ~/.config (bash-completion's), a named file's
        folders = [home] + ([zdotdir] if zdotdir else [])
        folders += [os.path.join(home, ".config")] + [os.path.dirname(f) for f in named]
        _refuse_folders_written(list(dict.fromkeys(folders)))
    except Unreadable as exc:
        raise Unreadable(
            f"{what} reads its start-up files from {home}, where an earlier command on the "
            f"line may write: {exc}"
        ) from None


def _without_shell_option(args: List[str]) -> List[str]:
    """su's words without its ``-s SHELL`` / ``--shell=SHELL`` (the reading decided that shell:
    a standard one), so ``su -s /bin/sh root -c ls`` is not read as naming a shell to run."""
    rest = list(args)
    for i, word in enumerate(args):
        if word == "--":
            break
        if word in ("-s", "--shell") and i + 1 < len(rest):
            rest[i] = rest[i + 1] = ""
        elif word.startswith("--shell="):
            rest[i] = ""
    return rest


def _shell_arguments_text(name: str, args: List[str]) -> Optional[str]:
    """The command string of the shell arguments su hands to the user's shell after ``--``
    (red team 16 R16-12: ``su root -- -xc TEXT``, ``-ec``, ``-ce``): they are read as a shell
    start's own options are (``shell_options``, the grammar of ``sh ARGS``); a word there the
    grammar cannot place is unreadable."""
    if "--" not in args:
        return None
    for word in args[: args.index("--")]:
        for letter in word[1:] if word[:1] == "-" and word[:2] != "--" else "":
            if letter == "u":
                return None  # runuser -u USER -- CMD: a command, read as one
            if letter in "cgGsw":
                break  # the rest of the word is the option's value
        if word == "--user" or word.startswith("--user="):
            return None
    words = args[args.index("--") + 1 :]
    for j, word in enumerate(words[:2]):  # [USER] then the shell's words
        if word.startswith(("-", "+")) and word not in ("-", "--"):
            try:
                start = shell_options.parse(words[j:])
            except shell_options.UnknownOption as error:
                raise Unreadable(
                    f"{name} hands its shell the option {error}, which Warden does not read"
                ) from None
            if start.command and start.operand is not None:
                return words[j + start.operand]
            return None
    return None


def _option_value(args: List[str], names) -> Optional[str]:
    for i, word in enumerate(args):
        if word in names and i + 1 < len(args):
            return args[i + 1]
        for name in names:
            if name.startswith("--") and word.startswith(name + "="):
                return word.split("=", 1)[1]
    return None


_STDIN_FILES = frozenset(("-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"))


def _refuse_stdin_script(argv: List[str], start: shell_options.ShellStart, stdin: str) -> None:
    """A shell started without ``-c`` reads its commands from its script operand or, with none
    (or ``-s``, ``-``, ``/dev/stdin``), from stdin: a pipe, a here-string or the kernel's own
    input, which Warden cannot see when the shell starts (red8 R8-4). Only a heredoc (its
    lines are read as the line's commands) and a body Warden decided pass."""
    if stdin in ("heredoc", "decided"):
        return
    reads = start.on("s")
    operand = argv[1 + start.operand] if start.operand is not None else None
    # `bash 0<<<"..."`: shlex leaves the descriptor as a word of its own
    descriptor = stdin != "unknown" and operand is not None and operand.isdigit()
    if reads or operand is None or operand in _STDIN_FILES or descriptor:
        raise Unreadable(
            f"{program_name(argv[0])} reads its commands from stdin (a pipe, a here-string or "
            "the kernel's input), which Warden cannot read before the shell starts; run them "
            "with -c '...' or from a file"
        )
    if _on_descriptor(operand, stdin):
        # `bash <(printf ..)`, `sh /dev/fd/3`: a script the line builds (R15-15)
        raise Unreadable(
            f"{program_name(argv[0])} reads its commands from a process substitution or a "
            "descriptor (/dev/..., /proc/...), which Warden cannot read before the shell "
            "starts; run them with -c '...' or from a file"
        )


def _on_descriptor(path: str, stdin: str) -> bool:
    """Whether a shell's file of commands (its script operand, ``source FILE``) is a
    descriptor, placed from the start's folder (red team 17 R17-5: ``cd /dev && bash stdin``):
    ``shell_runners.commands_on_descriptor``. A file not there yet after an earlier writer on
    the line counts when the line gives the shell an input (``ln -s /dev/stdin s && bash s
    <<< TEXT``); without one, it is a script file the line writes (the class of ``bash
    build.sh``, docs/threat-model.md)."""
    unseen = bool(_WRITTEN.get()) and stdin not in ("unknown", "decided")
    return shell_runners.commands_on_descriptor(path, current_folder(), unseen)


def _refuse_rcfile(name: str, why: str, files: List[str]) -> None:
    """A remote-shell bash (``ssh_bashrc``) runs its ``--rcfile``, which Warden does not read."""
    if files:
        raise Unreadable(
            f"{name} -c reads its rc files as a remote shell ({why}) and runs the startup file "
            f"{files[0][:60]}, which Warden does not read"
        )


def _shell_start(argv: List[str]) -> shell_options.ShellStart:
    """A shell's options read as the shell reads them (R14-33: ``bash -o pipefail -c TEXT``,
    ``sh -c -- TEXT``); an option word it cannot place is unreadable, not a script file."""
    try:
        start = shell_options.parse(argv[1:])
    except shell_options.UnknownOption as error:
        raise Unreadable(
            f"{program_name(argv[0])} is started with the option {error}, which Warden does not "
            "model; write the shell's options as bash and dash document them"
        ) from None
    if start.startup_files and start.on("i"):
        raise Unreadable(
            f"{program_name(argv[0])} -i runs the startup file {start.startup_files[0]}, "
            "which Warden does not read"
        )
    return start


# CPython's command line: one-letter flags, options taking a value, long options
# (`-t` too: every CPython 3 takes it and does nothing; `python3 -tI` is isolated)
_PY_FLAGS = frozenset("bBdEhiIOPqRsStuvVx?")
_PY_VALUED = frozenset("WXQ")
_PY_LONG_VALUED = frozenset(("--check-hash-based-pycs",))
_PY_LONG_FLAGS = frozenset(("--help", "--version", "--help-env", "--help-xoptions", "--help-all"))
_GUARD_DROPPING = frozenset("IES")  # -I/-E ignore PYTHONPATH, -S skips site: no sitecustomize


def python_start(args: List[str]):
    """How ``python ARGS`` runs code: (mode, target, one-letter flags, the rest) with mode ``"m"``,
    ``"c"``, ``"script"``, ``"stdin"``, ``"unknown"`` (an option CPython does not have; target
    is the option) or None (interactive). Every interpreter option is parsed, values too."""
    flags = set()
    i = 0
    while i < len(args):
        word = args[i]
        if word == "-":
            return "stdin", None, flags, args[i + 1 :]
        if not word.startswith("-"):
            return "script", word, flags, args[i + 1 :]
        if word == "--":
            if i + 1 < len(args):
                return "script", args[i + 1], flags, args[i + 2 :]
            return None, None, flags, []
        if word.startswith("--"):
            option = word.split("=", 1)[0]
            if option in _PY_LONG_VALUED:
                i += 1 if "=" in word else 2
                continue
            if option in _PY_LONG_FLAGS:
                i += 1
                continue
            return "unknown", option, flags, []
        j, consumed_next = 1, False
        while j < len(word):
            letter = word[j]
            if letter == "-":
                # CPython's getopt: `-` in a cluster starts a long option; alone at its end
                # it ends the options (`-I- train.py`, red team 29a R29a-7)
                long = "-" + word[j:]
                if long == "--":
                    if i + 1 < len(args):
                        return "script", args[i + 1], flags, args[i + 2 :]
                    return None, None, flags, []
                option = long.split("=", 1)[0]
                if option in _PY_LONG_VALUED:
                    consumed_next = "=" not in long
                    break
                if option in _PY_LONG_FLAGS:
                    break
                return "unknown", option, flags, []
            if letter in "cm":
                if word[j + 1 :]:
                    return letter, word[j + 1 :], flags, args[i + 1 :]
                value = args[i + 1] if i + 1 < len(args) else None
                return letter, value, flags, args[i + 2 :]
            if letter in _PY_VALUED:
                consumed_next = not word[j + 1 :]
                break
            if letter not in _PY_FLAGS:
                return "unknown", "-" + letter, flags, []
            flags.add(letter)
            j += 1
        i += 2 if consumed_next else 1
    return None, None, flags, []


def _guardless_python(
    argv: List[str], env: Dict[str, str], stdin: str = "unknown"
) -> Optional["_GuardlessStart"]:
    """``_guardless_start``, then what the guardless Python runs, read (``-c`` code, ``-m``
    module, script). Returns the guardless start (None: it keeps the guard, or runs nothing)."""
    start = _guardless_start(argv, env, stdin)
    if start is not None:
        _read_guardless_start(argv, env, start)
    return start


def _guardless_pip_problem(start: Optional["_GuardlessStart"]) -> str:
    """Why a ``python -m pip`` start (or a pip script's ``#!`` Python) is refused as an install
    ('' when it may run): it starts without Warden's guard, in a kernel whose children carry
    the guard: its own options drop it (-I/-E/-S, an -X option Warden does not know harmless:
    red team 37c), or its environment (a PYTHONPATH without the guard's folder first, a
    launch variable set or cleared, PYTHONHOME) or its interpreter (one that cannot host the
    guard) does (red team 45b R45b-1). Such a pip has no guard to decide its install again on
    the options pip resolves (``gate.pip_parse_args_wrapper``, its requirements files as pip
    decoded them), nor on what pip's own process alone sees (``pip_links``: the links it
    parses, its HTTP cache; ``pip_requires``: a dependency's direct reference): no reading
    before pip starts stands in for those. Set on the invocation: ``pip list`` still runs. A
    pip whose guard the shell line drops is ``_LineState.problem``'s; a kernel without the
    launch guard reads every pip (each is guardless there, R9-5)."""
    if start is None or start.words_only:
        return ""
    dropped = "".join(sorted(start.flags & _GUARD_DROPPING))
    unknown_x = startup_modules.unknown_x_option(start.options)
    if not (dropped or unknown_x):
        return guard_lost_pip_problem(start.why)
    how = f"-{dropped}" if dropped else f"-X {unknown_x}"
    return (
        f"this pip runs in a Python started with {how}, which drops Warden's guard, so "
        "Warden cannot see the options, config and requirements files pip resolves: run pip "
        "without -I/-E/-S (and unknown -X options) so Warden's guard reads what pip resolves"
    )


def guard_lost_pip_problem(why: str) -> str:
    """The refusal of an installing pip that may start without Warden's guard (``why``: what
    drops it: ``_guard_lost``, ``_guardless_start``), red team 45b R45b-1."""
    return (
        f"this pip may start without Warden's guard ({why}), so Warden cannot see what pip "
        "resolves in its own process (its options and config, the links it parses from index "
        "pages and its cache, its dependencies' direct references): run pip with the kernel's "
        "environment so Warden's guard decides what pip resolves"
    )


class _GuardlessStart(NamedTuple):
    """A Python start ``_guardless_start`` read as guardless, and what it runs."""

    mode: str
    target: Optional[str]
    flags: Set[str]
    rest: List[str]
    options: List[str]
    why: str  # why it runs without Warden's guard
    words_only: bool  # a kernel without the launch guard: its code is searched for words only


def _guardless_start(
    argv: List[str], env: Dict[str, str], stdin: str = "unknown"
) -> Optional[_GuardlessStart]:
    """A Python start read for the guard it keeps, before anything it runs: the guardless one
    it returns (None: it keeps the guard, its start-up modules checked; or it runs nothing
    Warden reads). A Python that starts without Warden's guard (``-I``, ``-E``, ``-S``, an
    environment that drops it, or an interpreter that cannot host it: red team 10 R10-4) cannot
    decide its own installs or process starts: what it runs is read (``_read_guardless_start``)
    or refused, and what it imports while it starts is refused here. ``-m pip`` (and the other
    installers) is read as that installer by the caller; code (``-c``), a script or a module's
    files that name an installer or run code Warden cannot read (R10-10) are unreadable, as is
    code from its input. An option CPython does not have, next to an installer word, too. An
    expansion among the interpreter's options, or in what it runs, leaves Warden reading other
    text than the child gets (R10-9)."""
    from . import guardless

    unknown = next((n for n, v in env.items() if isinstance(v, UnknownValue)), None)
    if unknown is not None and _start_variable(unknown):
        raise Unreadable(
            f"a Python started with {unknown} set by the line in a form Warden does not read "
            "as a value (declare -u/-n, for, read...), and may run without Warden's guard: "
            "write the value out"
        )
    words = argv[1:]
    mode, target, flags, rest = python_start(words)
    if mode == "unknown":
        if _WORDS.search(" ".join(words)):
            raise Unreadable(f"the Python option {target} is not one Warden knows")
        return None
    options = words[: len(words) - len(rest)]
    if mode in ("c", "m") and options and options[-1] == target:
        options = options[:-1]  # `-c CODE`: the code is the target, read below
    elif mode == "script":
        options = options[:-1]
    shell = _SHELL_WORDS.get()  # an argv's `$C` is what the child gets, not an expansion
    expanded = [w for w in options if shell and _EXPANSION.search(w)]
    if shell and mode == "script" and _EXPANSION.search(target or ""):
        expanded.append(target)  # the shell may make it an option (`python $F s.py`)
    if expanded:
        raise Unreadable(
            f"the Python's options use a shell expansion ({_construct(expanded[0])}) Warden "
            "cannot resolve: whether the child keeps Warden's guard depends on it"
        )
    program = _start_interpreter(argv[0], env)  # where the start finds it (R57b-1)
    if not UNLAUNCHED.get():
        _refuse_start_places_written(program, flags, env)
    dropped = sorted(flags & _GUARD_DROPPING)
    by_env = _guard_dropped_by_env(env)
    old = "" if guardless.hosts_guard(program, env) else argv[0]
    # R13-7: an -X option Warden does not know to be harmless (pycache_prefix: the guard's own
    # sitecustomize from a cell's .pyc) leaves the child without the guard Warden counts on
    x_option = startup_modules.unknown_x_option(options)
    if not (dropped or by_env or old or x_option):
        _guarded_start_modules(options, flags, env, program)
        guarded_starts = _GUARDED_STARTS.get()
        if guarded_starts is not None and not UNLAUNCHED.get():
            guarded_starts.append(argv[0])
        return None
    # In a kernel without the launch guard every child Python is guardless (R9-5): reading
    # `python -I -c CODE` or `python3.7 x.py` in full there gains nothing over the plain
    # `python x.py` an attacker would write instead, which is searched for words only.
    words_only = UNLAUNCHED.get()
    if dropped:
        why = f"python -{''.join(dropped)} starts without Warden's guard"
    elif x_option:
        why = f"a Python started with -X {x_option} may run without Warden's guard"
    elif by_env:
        why = f"a Python started with {by_env} may run without Warden's guard"
    else:
        why = f"{old} is not a Python Warden knows can host its guard (3.8 or later)"
    # pip's build hooks run in a child Warden gives the guard (child_path: pip's build
    # environment sets PYTHONPATH): a guardless start of pip's hook runner is no pip's, and is
    # read as any script (red team 29a R29a-8: the cell's own -I start of the real runner,
    # PEP517_BUILD_BACKEND naming its module, ran that module unread)
    if not words_only:
        _guardless_start_modules(options, flags, env, why, program)
    named = guardless.import_variable(env, startup_modules.inherited)
    if named and not words_only:  # R17-2
        raise Unreadable(
            f"{why} and its environment sets {named}, which names a module the standard "
            f"library imports from its path, unread. {_KEEP_THE_GUARD}"
        )
    if mode is None and (flags & {"V", "h", "?"} or any(w.startswith("--") for w in options)):
        return None  # --version, --help: runs nothing
    if shell and _EXPANSION.search(target or ""):
        raise Unreadable(f"{why} and what it runs comes from a shell expansion")
    if mode in ("stdin", None):
        if stdin == "decided":
            return None  # a script magic's body, which the magic's reading decided
        raise Unreadable(f"{why} and runs code from its input")
    if _inspects(flags, env) and stdin != "decided":
        # R14-11: after its code, script or module, `-i` runs its input as a session
        raise Unreadable(f"{why} and, inspecting (-i, PYTHONINSPECT), runs code from its input")
    return _GuardlessStart(mode, target, flags, rest, options, why, words_only)


def _read_guardless_start(argv: List[str], env: Dict[str, str], start: _GuardlessStart) -> None:
    """What a guardless Python (``_guardless_start``) runs, read: its ``-c`` code, its ``-m``
    module's files or its script, with the local modules they import (``_LocalImports``)."""
    from . import guardless

    mode, target, flags, rest, options, why, words_only = start
    imports = _LocalImports(
        lambda: guardless.import_folders(mode, target, flags, env, _working_folder(why)),
        _never_checks_pycs(options),
        lambda: guardless._site_path(_start_interpreter(argv[0], env), _working_folder(why), env),
        guardless.loaded_at_start(flags),
    )
    if mode == "c":
        _read_guardless_code(target or "", why, "code", None, words_only, env, imports)
        imports.finish(why)
        return
    if mode == "m":
        module, args = target or "", rest
        while module == "runpy" and args:  # python -m runpy MOD: MOD runs
            module, args = args[0], args[1:]
        if module.split(".")[0] in _CALLER_READS:
            _refuse_installer_module(module, start, env)
            return
        where = _start_interpreter(argv[0], env)
        never_check = _never_checks_pycs(options)
        files, problem = guardless.module_files(
            module, flags, env, where, _working_folder(why), never_check, tuple(args)
        )
        if problem and words_only:
            return  # a kernel without the launch guard searches words only: none to search
        if problem:
            raise Unreadable(f"{why} and {problem}")
        if not files and not words_only:  # a standard-library module, allowed to run
            imports.standard_module(module, why)
        if files and all(_wardens_own(path) for path in files):
            return  # Warden's own modules (its scanner's CLI): part of what guards
        imports.own.update(os.path.abspath(p) for p in files)
        imports.own.update(os.path.dirname(os.path.abspath(p)) for p in files)
        for path in files:
            _read_guardless_file(path, why, f"module {module}", words_only, env, imports)
        if not words_only:  # runpy imports it at start
            imports.first_import = imports.first_import or module
        imports.finish(why)
        return
    if words_only and guardless.build_hook_runner(target):
        # a kernel without the launch guard (every child guardless, read by its words): pip's
        # own build of a project it was allowed to install
        return
    if not os.path.isabs(target or ""):
        target = os.path.join(_working_folder(why), target or "")
    imports.own.add(os.path.abspath(target))
    _read_guardless_file(target, why, "script", words_only, env, imports)
    imports.finish(why)


def _refuse_installer_module(module: str, start: _GuardlessStart, env: Dict[str, str]) -> None:
    """A guardless ``-m`` module of an installer's package (``_CALLER_READS``), which its
    files are not read for: it may run only as the invocation the caller reads it as
    (``_installer_module``), and only when the module found is the installed one. Red team
    38b R38b-2: ``-m pip.__pip-runner__`` (pip's runner: pip with no invocation read); R38b-3:
    ``python -E -m pip`` in a folder with a ``pip/__main__.py``, or with PYTHONPATH naming one,
    runs that file unread."""
    from . import guardless

    top = module.split(".")[0]
    if not _installer_module(module):
        raise Unreadable(
            f"{start.why} and runs -m {module}, a module of {top}'s package that Warden does "
            f"not read as {top}'s command line: run `python -m {top}` (keeping the guard)"
        )
    if start.words_only:
        return  # a kernel without the launch guard: every start guardless, read by its words
    folder = _working_folder(start.why)
    shadow = guardless.shadowing_file(module, start.flags, env, folder)
    if shadow:
        raise Unreadable(
            f"{start.why} and its -m {module} runs {shadow} (found in the working folder or on "
            f"PYTHONPATH before the installed {top}), which Warden does not read: run it from "
            f"another folder, without that PYTHONPATH, or keep Warden's guard"
        )
    # red team 39b R39b-1: the installer's own files are not read, so its reach into the
    # standard library is all of it (runpy, enum, textwrap, logging...): any stand-in for a
    # standard module on a folder searched before it (``_LocalImports._refuse_stand_ins``'s
    # rule, R13-21) runs unread in its place
    stand_ins = stdlib_reach.stand_ins(guardless._search_path(start.flags, env, folder))
    if stand_ins:
        name, path = sorted(stand_ins.items())[0]
        raise Unreadable(
            f"{start.why} and its -m {module} imports the standard module {name}, which "
            f"{path} stands in for (it comes before the standard library's on the path), "
            f"unread: rename that file, run {top} from another folder or without that "
            "PYTHONPATH, or keep Warden's guard"
        )


def _installer_module(module: str) -> bool:
    """Whether ``_simple`` reads ``python -m module`` as the installer's invocation."""
    return (
        module in _PIP_MODULES
        or module in _PIPTOOLS_MODULES
        or module in ("uv", "conda", "mamba")
        or module in FRONT_ENDS
        or _is_pipx("m", module)
    )


_PIP_MODULES = ("pip", "pip.__main__")
_PIPTOOLS_MODULES = ("piptools", "piptools.__main__")


def _inspects(flags: Set[str], env: Dict[str, str]) -> bool:
    """Whether a Python started this way goes on to read its input as an interactive session
    once its code, script or module is done: ``-i``, or PYTHONINSPECT where it reads its
    environment (not with ``-I``/``-E``)."""
    if "i" in flags:
        return True
    if flags & {"I", "E"}:
        return False
    return bool(env.get("PYTHONINSPECT") or startup_modules.inherited("PYTHONINSPECT"))


def _guarded_start_modules(
    options: List[str], flags: Set[str], env: Dict[str, str], where: Optional[str]
) -> None:
    """A child that keeps the guard imports its warning categories' modules (R13-6) before
    the guard's sitecustomize runs: one found in a PYTHONPATH folder (anything but the
    standard library's) runs unguarded. So does the code of its site folders' ``.pth``
    files (R13-14: a user site's, a venv's the cell made): one a cell may have written is
    refused. A venv whose ``home`` is not its Python's own installation (R14-19) too. And
    the start-up modules in its PYTHONPATH folders as they are now (red team 56a R56a-3:
    ``encodings`` in a ``src`` the kernel was started with, imported before ``site``)."""
    _refuse_foreign_home(where)
    sites = _start_sites(where, flags, env, _start_folder_or_cwd)
    path, why = _installation_start(where, flags, env, _start_folder_or_cwd, True, sites)
    if path:
        raise Unreadable(
            f"a Python started here runs {path} ({why}) before Warden's guard starts: "
            f"{_INSTALLATION_FIX}"
        )
    folders = startup_modules.pythonpath_folders(flags, env, _start_folder_or_cwd)
    if folders:
        found = startup_modules.guarded_start_holder(folders, sites)
        if found:
            raise Unreadable(
                f"a Python started here imports {found} while it starts, from a folder of its "
                "PYTHONPATH, before Warden's guard starts (Python takes its start-up modules, "
                "encodings first, from PYTHONPATH before its standard library): rename or "
                "remove it, or start the Python without that folder on PYTHONPATH"
            )
    names = startup_modules.warning_modules(options, flags, env)
    found = startup_modules.holder(folders, names) if names else None
    found = found or _warning_imports_changed(options, flags, env, where, folders)
    if found:
        raise Unreadable(
            f"a Python started with a warning filter whose category imports {found} runs "
            f"that module before Warden's guard starts; {_WARNING_FIX}"
        )


# what a refusal of a start's warning filters tells the user to do
_WARNING_FIX = (
    "name builtin categories (ignore::DeprecationWarning) or filter in the code "
    "(warnings.filterwarnings), or restart the kernel if you changed the standard library "
    "on purpose"
)


def _warning_imports_changed(
    options: List[str], flags: Set[str], env: Dict[str, str], where: Optional[str], folders
) -> Optional[str]:
    """Red team 38c R38c-1: a start whose warning filters import modules by name
    (``startup_modules.warning_imports``: a dotted category's module, and all that module
    imports) runs standard modules before the guard, from the PYTHONPATH ``folders`` first,
    then the standard library. What may be the cell's there (None when nothing): an entry of a
    PYTHONPATH folder named like a standard module, or, for a Python of the kernel's own
    standard library (or one Warden cannot place), any of its files changed since the kernel
    started (a new ``rt38w.py``, an edited ``json/__init__.py``). Another installation's is
    checked whole already (``startup_modules.unverified_stdlib``)."""
    from . import start_files

    if not startup_modules.warning_imports(options, flags, env):
        return None
    shadow = startup_modules.stdlib_named(folders)
    if shadow:
        return f"{shadow} (a PYTHONPATH entry named like a standard module)"
    if where and not start_files._own_stdlib(where):
        return None
    changed = start_files.stdlib_tree_changed()
    if changed:
        return f"{changed} (a file of the standard library changed since the kernel started)"
    writer = _stdlib_writer()
    if writer:
        return (
            f"any standard module, which an earlier command on the line ({writer}) may write "
            "after Warden read it (run that command as its own line first)"
        )
    return None


def _stdlib_writer() -> str:
    """An earlier writer of the shell line being read that may write a module into the
    kernel's standard library ('' when none): its files are checked before the line runs
    (``start_files.stdlib_tree_changed``), and a guarded Python's guard refuses only the
    start-up names there (``start_writes``), not a new ``rt38w.py`` a later start's warning
    filter imports (R38c-1). A guarded Python's code writes anywhere, a writer Warden cannot
    place anywhere too; any other counts where its places meet the standard library's."""
    folders = [
        os.path.dirname(f) if f.endswith(".zip") else f for f in startup_modules.stdlib_folders()
    ]
    for writer, place in _PATH_WRITES.get():
        if isinstance(writer, GuardedWriter) or not place:
            return writer.rstrip("/")
        here = os.path.abspath(place)
        for folder in folders:
            if os.path.commonpath([here, folder]) in (here, folder):
                return writer.rstrip("/")
    return ""


def _refuse_foreign_home(where: Optional[str]) -> None:
    cfg = startup_modules.foreign_home(where)
    if cfg:
        raise Unreadable(
            f"a Python started here takes its standard library from the home {cfg} names, "
            "not the installation its program lives in: its start-up modules may be anyone's"
        )
    changed = startup_modules.unverified_stdlib(where)
    if changed:  # R14-13: a copied Python with a standard library laid out beside it
        raise Unreadable(
            f"a Python started here takes its standard library from where its program lies, "
            f"and Warden cannot verify it ({changed}): its start-up modules may be the "
            "cell's; start the kernel's Python "
            "or a venv made from it (a Python installed in this session: restart the kernel)"
        )


def _start_folder_or_cwd() -> str:
    """The folder the start being read runs in, named in full: what its relative PYTHONPATH
    words (an empty one too), HOME, PYTHONUSERBASE and program are found from. Unreadable when
    an earlier ``cd`` Warden cannot follow left it unknown (red team 57b R57b-1: after `(cd sub;
    ...)`, `cd $D`, `pushd`, they were read from the kernel's folder while the child found
    sub/rel/encodings); callers ask only when a path needs it."""
    folder = _START_FOLDER.get()
    if folder is None:
        raise Unreadable(
            "a Python started here finds a relative path (a PYTHONPATH word, HOME, "
            "PYTHONUSERBASE or its program) from the folder it starts in, which an earlier "
            "`cd` Warden cannot follow left unknown, and what it imports from there before "
            "Warden's guard is unread: cd to a folder written out, or use full paths"
        )
    return in_full(folder)


def _start_interpreter(program: str, env: Dict[str, str]) -> Optional[str]:
    """``interpreter``, a relative result (``./v/bin/python``, a relative PATH folder's) named
    from the folder the start runs in (R57b-1: after a followed `cd sub && ./v/bin/python`,
    its venv's ``.pth`` files were read in the kernel's folder)."""
    found = interpreter(program, env)
    if found and not os.path.isabs(found):
        found = os.path.join(_start_folder_or_cwd(), found)
    return found


def _guardless_start_modules(
    options: List[str], flags: Set[str], env: Dict[str, str], why: str, where: Optional[str]
) -> None:
    """What a guardless child runs at start before any code Warden reads: compiled modules
    from a pycache prefix (R11-8, R13-7: every import, its encodings and its pip included),
    modules of a PYTHONPATH folder named like one Python imports while it starts (R13-10:
    encodings, sitecustomize, the warning categories' modules of R13-6, what the site
    folders' .pth lines import), a usercustomize in a user site. Unreadable when any."""
    from . import guardless

    prefix = _pycache_prefix(options, flags, env)
    if prefix:
        raise Unreadable(f"{why} and it takes compiled modules from {prefix}")
    _refuse_foreign_home(where)
    stdlib = startup_modules.stdlib_location(flags, env)
    if stdlib:  # R14-12: its encodings and site may be the cell's
        raise Unreadable(f"{why} and it takes its standard library from where {stdlib} says")
    start = lambda: _working_folder(why)  # noqa: E731
    folders = startup_modules.pythonpath_folders(flags, env, start)
    found = _warning_imports_changed(options, flags, env, where, folders)
    if found:
        raise Unreadable(
            f"{why} and applies a warning filter that imports {found} while it starts, before "
            f"any code Warden reads; {_WARNING_FIX}"
        )
    if folders:
        names = set(startup_modules.INIT_MODULES)
        names |= startup_modules.warning_modules(options, flags, env)
        sites = guardless._site_path(where, os.getcwd()) or [p for p in sys.path if p]
        names |= startup_modules.pth_imports(sites)
        found = startup_modules.holder(folders, names)
        if found:
            raise Unreadable(
                f"{why} and imports {found} while it starts, from a PYTHONPATH folder, before "
                f"any code Warden reads. {_KEEP_THE_GUARD}"
            )
    path, reason = _installation_start(where, flags, env, start, guarded=False)
    if path:
        raise Unreadable(
            f"{why} and runs {path} ({reason}) while it starts, before any code Warden "
            f"reads: {_INSTALLATION_FIX}"
        )


# what a refusal of a start-up file of a Python's installation tells the user to do
_INSTALLATION_FIX = (
    "remove or restore that file (a file of a user site: start the Python with -s), or restart "
    "the kernel if you changed it on purpose"
)


def _installation_start(
    where: Optional[str],
    flags: Set[str],
    env: Dict[str, str],
    folder,
    guarded: bool,
    sites: Optional[List[str]] = None,
) -> Tuple[str, str]:
    """What the Python ``where`` runs at start from its installation that may be the cell's
    (``start_files.start_problem``): its standard library's start-up modules, then its site
    folders' (``_start_sites``; given when the caller read them already)."""
    from . import start_files

    if sites is None:
        sites = _start_sites(where, flags, env, folder)
    return start_files.start_problem(where, sites, guarded)


def _start_sites(where: Optional[str], flags: Set[str], env: Dict[str, str], folder) -> List[str]:
    """The site folders whose ``.pth`` lines a start of ``where`` runs before its guard (none
    with ``-S``): the user sites (``folder()``: where the child starts, for a relative
    PYTHONUSERBASE), then its installation's (R13-14 .pth code, R29a-5/9)."""
    from . import start_files

    if "S" in flags:
        return []
    return startup_modules.user_sites(flags, env, folder) + start_files.site_folders(where)


class _LocalImports:
    """The local modules a guardless Python's code imports are read by the same rules as the
    code (``import helper``, helper.py next to the script), theirs too, up to a bound: one
    Warden cannot read, or more than the bound, is unreadable. What each defines itself is
    then code Warden read: the importing code may call it (R12-7's allow list refuses calls
    into modules Warden does not read, installed ones; ``guardless.dynamic_code``)."""

    LIMIT = 64

    def __init__(self, folders, never_check: bool = False, site=None, loaded=frozenset()):
        self.folders = folders  # asked when first needed
        # R13-16: `--check-hash-based-pycs never` takes a checked pyc beside any local module
        self.never_check = never_check
        self.stand_ins: Optional[Dict[str, str]] = None  # R13-21, asked when first needed
        self.seen: Dict[str, FrozenSet[str]] = {}  # file -> the names it defines
        # red team 14 R14-1/R14-4: where the child finds installed modules (asked when first
        # needed; None: Warden cannot place it), what the reading found
        self.site = site
        self.loaded = loaded  # what the child has loaded before its code (none stands in)
        self.placed: Set[str] = set()  # top names already placed
        self.local_names: Set[str] = set()  # top names read as local modules
        self.own: Set[str] = set()  # the script's or -m module's own files and folders
        self.installed = ""  # an import found among installed modules
        self.imported = ""  # an import not built in (a file may stand in for it)
        self.first_import = ""  # ... the code's first imports too (the -m module itself)
        self.writer = ""  # a call that may write a file
        self.missing = ""  # why an import cannot be placed

    def local(self, text: str, path: Optional[str], why: str, env) -> Dict[str, FrozenSet[str]]:
        """The local modules ``text`` imports, each read (with its own imports) by the rules
        first, by the dotted name the code reaches it through -> the names it defines."""
        from . import guardless

        if callable(self.folders):
            self.folders = self.folders()
        found, problem = guardless.local_modules(text, path, self.folders, self.never_check)
        if problem:
            raise Unreadable(f"{why} and {problem}, which Warden cannot read. {_KEEP_THE_GUARD}")
        self._refuse_stand_ins(text, why)
        self.local_names.update(k.split(".")[0] for k in found if not k.startswith("."))
        # the code's own first imports run before anything it writes (not a local module's:
        # it is imported when the code reaches it)
        main = not self.seen
        self._place(text, why, guardless.leading_imports(text, self.local_names) if main else ())
        out: Dict[str, FrozenSet[str]] = {}
        for key, file in found.items():
            out[key] = frozenset() if file is None else self._read(file, why, env)
        # a call into a local module's own function is read with that module (R17-1)
        self.writer = self.writer or guardless.may_write(text, out)
        return out

    def standard_module(self, module: str, why: str) -> None:
        """``-m MODULE`` of the standard library (its files are not read): what it imports
        from a folder before the standard library's (R13-21; R29a-11: ``-m venv`` reaches
        sysconfig's ``_sysconfigdata_*``)."""
        if callable(self.folders):
            self.folders = self.folders()
        self._refuse_stand_ins(f"import {module}\n", why)

    def _refuse_stand_ins(self, text: str, why: str) -> None:
        """R13-21: a folder before the standard library holding a module named like one the
        standard library imports on the way from ``text``'s imports (``re.py`` beside a
        script that imports json) runs in its place, unread."""
        if self.stand_ins is None:
            self.stand_ins = stdlib_reach.stand_ins(self.folders)
        if not self.stand_ins:
            return
        from . import guardless

        # the code's own imports from its syntax tree (R14-8); the standard library's own files
        # are read by import lines (stdlib_reach), where over-reading is the safe side
        roots = guardless.imported_tops(text) | set(stdlib_reach.START_UP)
        name = stdlib_reach.reaches(roots, set(self.stand_ins))
        if name:
            raise Unreadable(
                f"{why} and the standard library it imports imports {name}, which "
                f"{self.stand_ins[name]} stands in for (it comes before the standard library's "
                f"on the path): rename that file. {_KEEP_THE_GUARD}"
            )

    def _place(self, text: str, why: str, early=()) -> None:
        """R14-1: each module ``text`` imports that is neither built in, local (read above)
        nor the standard library's must be found among the child's installed modules when the
        line starts: one found nowhere is one the code may write before it imports it."""
        from . import guardless

        for top in sorted(guardless.imported_tops(text) - self.placed):
            self.placed.add(top)
            if top in BOOT_SYS.builtin_module_names or top in self.loaded:  # R49a-3
                continue
            self.first_import = self.first_import or top
            if top not in early:  # one imported before any write stays what it was
                self.imported = self.imported or top
            if top in self.local_names or guardless._find(top, self.folders)[0] != "none":
                continue
            if top in guardless._STDLIB_NAMES:
                continue
            if callable(self.site):
                self.site = self.site()
            # told after the whole reading (finish): a reason the reading finds is clearer
            if self.site is None:
                self.missing = self.missing or (
                    f"it imports {top}, and Warden cannot tell where that Python finds "
                    "installed modules"
                )
            elif guardless._find(top, self.site)[0] == "none":
                self.missing = self.missing or (
                    f"it imports {top}, which is found nowhere when it starts: the code may "
                    "write it before it imports it, unread"
                )
            else:
                self.installed = self.installed or top

    def finish(self, why: str) -> None:
        """After the whole reading: R14-1, code that may write files and imports a module a
        file it writes into a folder before the standard library's may stand in for; R14-4,
        an installed package imported while such a folder holds code the reading did not read
        as the code's own (the package may import it: click -> uuid, requests -> chardet)."""
        if self.missing:
            raise Unreadable(f"{why} and {self.missing}. {_KEEP_THE_GUARD}")
        before, own_output = _LINE_WRITER.get()
        read = not callable(self.folders)  # callable: nothing read (a words-only kernel)
        if before and (self.first_import or (read and self.own)):
            # R17-13: decided before the line runs, so the files it reads, and any module it
            # imports (its first imports too), may be what that command wrote
            what = self.first_import or "files Warden read before the line ran"
            raise Unreadable(
                f"{why} and an earlier command on the line, or one running alongside it "
                f"({before}), may write what it imports or runs ({what}), which Warden read "
                f"before the line ran: run it as a command of its own. {_KEEP_THE_GUARD}"
            )
        if not read:
            return
        self.writer = self.writer or own_output  # `> json.py`: written while its code runs
        if self.writer and self.imported:
            # into a folder before the standard library (a new numpy.py beside the script), or
            # over the module's own file (a site folder or standard library it may write to:
            # -I keeps those); where a computed path leads Warden cannot tell
            raise Unreadable(
                f"{why} and its code may write files ({self.writer}) and imports "
                f"{self.imported}, which a file it writes may stand in for or replace (a "
                f"folder before the standard library, or the module's own file), unread. "
                f"{_KEEP_THE_GUARD}"
            )
        if not self.installed or not self.folders:
            return
        from . import guardless

        for folder in self.folders:
            for name, path in guardless.importable_entries(folder):
                if name in self.local_names or os.path.abspath(path) in self.own:
                    continue
                raise Unreadable(
                    f"{why} and it imports the installed {self.installed}, which may import "
                    f"{name} ({path}: it comes before installed modules on its path), and "
                    f"Warden does not read what installed packages import: move that file out "
                    f"of the folder. {_KEEP_THE_GUARD}"
                )

    def _read(self, file: str, why: str, env) -> FrozenSet[str]:
        from . import guardless

        if file not in self.seen:
            if len(self.seen) >= self.LIMIT:
                raise Unreadable(f"{why} and it imports more than {self.LIMIT} local modules")
            what = f"module {os.path.basename(file)}"
            text = _guardless_source(file, why, what)
            # its names first: a module importing this one back (a cycle) reads them too
            self.seen[file] = guardless.defined_names(text)
            _read_guardless_code(text, why, what, file, False, env, self)
        return self.seen[file]


def _pycache_prefix(options: List[str], flags: Set[str], env: Dict[str, str]) -> str:
    """The pycache prefix a Python started with these options and env uses ('' for none)."""
    if any("pycache_prefix" in word for word in options):
        return "-X pycache_prefix"
    if flags & {"I", "E"}:
        return ""
    value = env.get("PYTHONPYCACHEPREFIX") or startup_modules.inherited("PYTHONPYCACHEPREFIX")
    return "PYTHONPYCACHEPREFIX" if value else ""


def _never_checks_pycs(options: List[str]) -> bool:
    """``--check-hash-based-pycs never``: checked hash pycs are taken unchecked (R11-8)."""
    for i, word in enumerate(options):
        if word == "--check-hash-based-pycs=never":
            return True
        if word == "--check-hash-based-pycs" and options[i + 1 : i + 2] == ["never"]:
            return True
    return False


def _wardens_own(path: str) -> bool:
    """Whether ``path`` is a file of the Warden package this guard runs from."""
    package = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    try:
        return os.path.commonpath([os.path.realpath(path), os.path.realpath(package)]) == (
            os.path.realpath(package)
        )
    except ValueError:
        return False


def _working_folder(why: str) -> str:
    folder = _START_FOLDER.get()
    if folder is None:
        raise Unreadable(f"{why} and runs files from a folder Warden cannot follow (`cd`)")
    return in_full(folder)


# modules the caller reads as the installer they are (`python -m pip`, `-m uv`, `-m pipx`...)
_CALLER_READS = frozenset(
    ("pip", "uv", "conda", "mamba", "pipx", "piptools", "poetry", "pdm", "pipenv", "hatch",
     "pixi", "rye")
)  # fmt: skip


def interpreter(program: str, env: Dict[str, str]) -> Optional[str]:
    """The file a Python program word starts (None for a bare name not on the PATH; an unset
    or cleared PATH is searched as exec does, in ``os.defpath``)."""
    if os.sep in program:
        return program
    path = env["PATH"] if "PATH" in env else os.environ.get("PATH")
    return shutil.which(program, path=path or os.defpath)


def _read_guardless_file(
    path: str, why: str, what: str, words_only: bool = False, env=None, imports=None
) -> str:
    text = _guardless_source(path, why, what)
    _read_guardless_code(text, why, what, path, words_only, env, imports)
    return text


def _guardless_source(path: str, why: str, what: str) -> str:
    """A guardless Python's script or module as the source Python runs, or Unreadable."""
    from .requirements import read_regular_file

    try:
        text = read_regular_file(path)
    except (OSError, UnicodeDecodeError, ValueError):
        raise Unreadable(f"{why} and Warden cannot read its {what}") from None
    if not _decodes_as_read(text):
        raise Unreadable(
            f"{why} and its {what} declares a source encoding under which Python reads other "
            "text than Warden (`# coding: unicode_escape` hides code in a comment)"
        )
    if "\0" in text or path.lower().endswith(".pyc"):
        # Python runs a .pyc, a file with a pyc's magic or a zip archive (one appended to
        # source too) as that, not as the text read here (R11-8); source has no NUL byte
        raise Unreadable(f"{why} and its {what} is compiled code or an archive, not source")
    return text


def _decodes_as_read(text: str) -> bool:
    """Whether Python decodes a source file (read here as UTF-8) to this same text: its PEP 263
    coding line may name another codec, and one that is not ASCII-compatible
    (``unicode_escape``, ``utf-7``) turns what Warden reads as a comment into code."""
    import io
    import tokenize

    raw = text.encode("utf-8")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        if encoding in ("utf-8", "utf-8-sig"):
            return True
        return raw.decode(encoding) == text
    except (SyntaxError, LookupError, UnicodeDecodeError, ValueError):
        return False


def _read_guardless_code(
    text: str,
    why: str,
    what: str,
    path: Optional[str] = None,
    words_only: bool = False,
    env=None,
    imports: Optional[_LocalImports] = None,
) -> None:
    """A guardless Python's code (``path``: its file, None for ``-c``), and through
    ``imports`` the local modules it imports, read by the rules."""
    from . import guardless

    if _WORDS.search(text):
        raise Unreadable(f"{why} and its {what} mentions an installer. {_KEEP_THE_GUARD}")
    if words_only:
        return  # a kernel without the launch guard searches words only
    label = path or "<code>"
    dynamic = guardless.dynamic_code(text, label)
    if imports is not None and guardless.unknown_use(dynamic):
        # a name through an import: maybe one a local module Warden reads defines
        dynamic = guardless.dynamic_code(text, label, imports.local(text, path, why, env))
    if dynamic:
        raise Unreadable(
            f"{why} and its {what} is code Warden cannot read: {dynamic}. {_KEEP_THE_GUARD}"
        )
    _read_literal_starts(text, why, what, env)
    if imports is not None:
        imports.local(text, path, why, env)  # its local modules, read by the same rules


def _read_literal_starts(text: str, why: str, what: str, env) -> None:
    """Each literal process start in a guardless Python's code is read as a start made here
    (links, PATH, relative programs, shells: red team 11 R11-15); it runs with no guard, so one
    that installs, or that Warden cannot read, is refused. After code that changes files or
    its folder (a link, a copy, a write, a chdir), a start may run what did not exist when
    Warden read it: refused too."""
    from . import guardless

    starts, changer = guardless.literal_starts(text)
    for kind, command in starts:
        words = command.split() if isinstance(command, str) else list(command)
        shown = f"{words[0][:60]} ..." if words else "nothing"  # the program only: no secrets
        if changer:
            raise Unreadable(
                f"{why} and its {what} changes files or its environment ({changer}) and then "
                f"starts `{shown}`, "
                f"which may run what Warden could not read. {_KEEP_THE_GUARD}"
            )
        try:
            if kind == "shell":
                found = shell_invocations(str(command), 1, env)
            else:
                found = invocations(list(command), 1, env)  # type: ignore[arg-type]
        except Unreadable as exc:
            raise Unreadable(f"{why} and its {what} starts `{shown}`: {exc}") from None
        if found:
            raise Unreadable(
                f"{why} and its {what} starts an install (`{shown}`) that no guard would "
                f"decide there. {_KEEP_THE_GUARD}"
            )


# What to do about a guardless Python's refusal: a Python that keeps the guard decides its own
# code, whatever it runs (a notebook's `PYTHONPATH=src python train.py` using joblib).
_KEEP_THE_GUARD = (
    "To run it, start it with Warden's guard: without -I/-E/-S, with the kernel's own "
    "PYTHONPATH (add a folder with sys.path inside the script, or pip install -e the "
    "project, or start it from Python with subprocess.run([sys.executable, 'train.py'], "
    "env=dict(os.environ, PYTHONPATH='src')), which Warden starts with its guard) and the "
    "kernel's Python"
)


def _is_pipx(mode, target) -> bool:
    """pipx started through Python (red6 F12): ``-m pipx.main``/``-m pipx.__main__`` (any
    module of the package), or a script that is pipx's package folder or its zipapp
    (``.../site-packages/pipx``, ``pipx.pyz``)."""
    if mode == "m" and target:
        return target.startswith("pipx.")
    if mode == "script" and target:
        return os.path.basename(target.rstrip("/")) in ("pipx", "pipx.pyz")
    return False


def _python_module(args: List[str]):
    """(module, its arguments) for ``python [options] -m module ...``; (None, []) otherwise."""
    mode, target, _flags, rest = python_start(args)
    return (target, rest) if mode == "m" and target else (None, [])
