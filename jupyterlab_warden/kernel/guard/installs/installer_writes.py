"""Which installer commands write nothing a later install on the same shell line reads.

Every other installer command is a writer for the installs after it on the line (red team
54a): an install unpacks the files its packages carry wherever its target, prefix or
environment is (``--target .`` puts a wheel's top-level ``r.txt`` in the folder the line runs
in: R54a-4), and building a local project, an sdist or a VCS checkout runs that project's
build code, which writes anything (R54a-1); ``conda config`` writes a .condarc (R54a-2). The
commands listed here only read (a listing, a query, a version): an allow-list, so a command
Warden does not know is a writer.

A reading command writes through its options and settings too (red team 55b): ``pip list
--log pyproject.toml`` appends pip's log to the file a later uv reads its settings from
(R55b-3; also ``PIP_LOG``, a pip.conf ``log =``), ``uv venv --clear d`` removes d with the
uv.toml a later ``cd d && uv pip install`` was decided by (R55b-7). So each is a reader only
when every option it is given is one known to write nothing (schema/installer-readers.json,
the exact name: deny by default) and no setting makes it write. The static twin is
src/deps/installers.ts ``installerWritesNothing``."""

import configparser
import os
from typing import Dict, List, Mapping, Optional, Tuple

from ...contracts import load_contract
from .arguments import (
    CONDA_COMMANDS,
    CONDA_GLOBAL_VALUED,
    PIP_LONG,
    UV_COMMANDS,
    UV_VALUED,
    subcommand_start,
)

# pip's commands, to find which one a pip runs past its global options
PIP_COMMANDS = frozenset(
    "install download wheel lock uninstall freeze list show check config search cache index "
    "inspect hash completion debug help".split()
)
_CONDAS = frozenset(("conda", "mamba", "micromamba"))
_READERS = load_contract("installer-readers.json")
_Table = Tuple[frozenset, frozenset]  # (flags, valued)


def _table(*parts: dict) -> _Table:
    return (
        frozenset(o for p in parts for o in p["flags"]),
        frozenset(o for p in parts for o in p["valued"]),
    )


# each reading command ('': none, `pip --version`) and the options it takes that write nothing
_PIP = {
    c: _table(_READERS["pip"]["general"], own) for c, own in _READERS["pip"]["commands"].items()
}
_UV = {c: _table(own) for c, own in _READERS["uv"]["commands"].items()}
_CONDA = {
    c: _table(_READERS["conda"]["general"], own) for c, own in _READERS["conda"]["commands"].items()
}
# the words a command's reading form starts with (`conda config --show`), where listed
_CONDA_FIRST = {
    c: own["first"] for c, own in _READERS["conda"]["commands"].items() if "first" in own
}
# pip settings (PIP_<NAME>, a pip.conf key) inert in a reading command beside the options its
# table lists (deny by default: red team 56c R56c-2)
_PIP_INERT = frozenset(_READERS["pip"]["inert_settings"])
_CHECK = _READERS["pip"]["version_check"]
_CHECKING = frozenset(_CHECK["commands"])
_STEERING = frozenset(_CHECK["steering"])
_STEERING_VARIABLES = tuple(_CHECK["variables"])
_UV_VENV_VARIABLES = tuple(_READERS["uv"]["uv_venv_variables"])
_FALSY = frozenset(_READERS["uv"]["falsy"])


def writes_nothing(
    tool: str,
    args: List[str],
    env: Optional[Mapping[str, str]] = None,
    program: str = "",
    here: Optional[str] = None,
) -> bool:
    """Whether ``tool ARGS`` (an installer's invocation) writes no file: pip, uv and conda's
    reading commands, with only options that write nothing; any install, build, config, cache,
    run or unknown command may write. With ``env`` (the environment the installer starts
    with) and ``here`` (the folder it starts in; None: not known), what they make it write is
    read too: pip's settings and config files, `uv venv`'s variables and folder."""
    if tool == "pip":
        valued = {name for name, takes in PIP_LONG.items() if takes}
        start = subcommand_start(args, valued, PIP_COMMANDS)
        command = _command(args, start)
        words = _words(args, start, 1)
        if command not in _PIP or not _options_write_nothing(words, _PIP[command]):
            return False
        if env is None:
            return not _version_check_steered(command, words, {}, {})
        settings = _pip_settings(command, env, program, here)
        return settings is not None and not _version_check_steered(command, words, env, settings)
    if tool == "uv":
        start = subcommand_start(args, UV_VALUED, UV_COMMANDS)
        command = _command(args, start)
        if command == "pip":
            command, start = "pip " + _command(args, start + 1), start + 1
        if command not in _UV:
            return False
        rest = _words(args, start, 1 if command != "" else 0)
        if not _options_write_nothing(rest, _UV[command]):
            return False
        return command != "venv" or env is None or not _venv_writes(rest, env, here)
    if tool in _CONDAS:
        start = subcommand_start(args, CONDA_GLOBAL_VALUED, CONDA_COMMANDS)
        command, own = _command(args, start), 1
        # a command path (`env list`, R56c-3): the group's word alone is no reader
        path = command + " " + _command(args, start + 1)
        if path in _CONDA:
            command, own = path, 2
        first = _CONDA_FIRST.get(command)
        if first is not None and (args[start + 1 : start + 2] or [""])[0] not in first:
            return False  # `micromamba config append ...`: config's reading options first
        return command in _CONDA and _options_write_nothing(
            _words(args, start, own), _CONDA[command]
        )
    return False  # pipx, poetry, pdm, front ends: each installs or runs


def none(invocations, environ: Optional[Mapping[str, str]] = None, here=None) -> bool:
    """Whether none of a command's installer invocations writes a file (``environ``: the
    kernel's variables, each invocation's assignments over them)."""
    return all(
        writes_nothing(
            i.tool,
            i.args,
            None if environ is None else {**environ, **i.env},
            i.program,
            None if here is None else os.path.join(here, i.cwd),
        )
        for i in invocations
    )


def _command(args: List[str], start: int) -> str:
    """The command word at ``start`` ('' past the end; an option there is no command)."""
    word = args[start] if start < len(args) else ""
    return "" if word == "" else (word if not word.startswith("-") else "-")


def _words(args: List[str], start: int, command_words: int) -> List[str]:
    """The words but the command's own (its options before and after it, its operands)."""
    if start >= len(args):
        return list(args)
    return args[:start] + args[start + command_words :]


def _options_write_nothing(words: List[str], table: _Table) -> bool:
    """Whether every option among ``words`` is one of ``table`` (exact names; a short option
    cluster letter by letter, as optparse and clap read ``-qq``, ``-la``): an abbreviation, a
    flag given a value or an option not listed may write (deny by default)."""
    return _read_words(words, table) is not None


def _read_words(words: List[str], table: _Table) -> Optional[Tuple[Dict[str, str], List[str]]]:
    """The options ``words`` give (name -> value, '' for a flag) and their operands, read as
    optparse and clap read them (a short cluster letter by letter, a valued letter taking the
    rest of the word or the next one: ``-qp 3.11`` is ``-q -p 3.11``, red team 56c R56c-4);
    None when an option is not one of ``table``'s (an abbreviation, a flag given a value)."""
    flags, valued = table
    given: Dict[str, str] = {}
    operands: List[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        i += 1
        if word == "--":
            return given, operands + words[i:]  # the rest are operands
        if not word.startswith("-") or word == "-":
            operands.append(word)  # a package, a path
            continue
        if word.startswith("--"):
            name, eq, value = word.partition("=")
            if name in valued:
                if not eq:
                    value, i = (words[i] if i < len(words) else ""), i + 1
                given[name] = value
            elif eq or name not in flags:
                return None
            else:
                given[name] = ""
            continue
        for k in range(1, len(word)):
            letter = "-" + word[k]
            if letter in valued:
                value = word[k + 1 :]
                if not value:
                    value, i = (words[i] if i < len(words) else ""), i + 1
                given[letter] = value
                break
            if letter not in flags:
                return None
            given[letter] = ""
    return given, operands


def _pip_settings(
    command: str, env: Mapping[str, str], program: str, here
) -> Optional[Dict[str, str]]:
    """The pip settings the command starts with (``PIP_<NAME>``, any case after the prefix; a
    pip.conf's ``[global]`` or command section: pip takes any option from either) as option
    names, with their values for the version check's switch; None when one may make it write
    or run: a setting neither the command's table (the options it may be given, R55b-3) nor
    ``inert_settings`` lists (red team 56c R56c-2: ``PIP_KEYRING_PROVIDER=subprocess``, an
    ``[list] outdated = true``), or a config file Warden cannot read or place. A machine's
    config file's (root's, in a system folder, unchanged since the kernel started: the
    admin's ``/etc/pip.conf`` ``cert =`` the system's CA bundle) does not steer the version
    check; it is still held to the allow-list."""
    from .commands import _machine_program
    from .sources import pip_config_files, pip_key

    flags, valued = _PIP[command]
    listed = {o[2:] for o in flags | valued if o.startswith("--")} | _PIP_INERT
    found: Dict[str, str] = {}
    seen = set()
    for v in env:
        if v.startswith("PIP_"):
            found[pip_key(v[4:])] = str(env[v])
    if here is None:
        return None  # the config files pip finds from a folder Warden cannot place
    sections = ("global", command) if command else ("global",)
    for path in pip_config_files(dict(env), program or "pip", here):
        if not os.path.isfile(path):
            continue
        parser = configparser.RawConfigParser()
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, OSError, UnicodeDecodeError):
            return None
        machine = _machine_program(path)
        for section in sections:
            if parser.has_section(section):
                for key in parser.options(section):
                    name = pip_key(key)
                    seen.add(name)
                    if not (machine and "--" + name in _STEERING):
                        found.setdefault(name, str(parser.get(section, key)))
    if any(name not in listed for name in seen | set(found)):
        return None
    return {name: value for name, value in found.items() if not _pip_false(value)}


def _pip_false(value: str) -> bool:
    """A switch set false (``PIP_DISABLE_PIP_VERSION_CHECK=0``: pip's strtobool)."""
    return value.strip().lower() in ("0", "false", "no", "off", "n", "f")


def _version_check_steered(
    command: str, words: List[str], env: Mapping[str, str], settings
) -> bool:
    """Whether the command runs pip's self-version check (``list``: it fetches pip's page from
    the index, and on a 401 answer asks keyring, its module or a ``keyring`` program on PATH)
    with that fetch directed anywhere but PyPI over the machine's own TLS: an index, proxy,
    certificate or trusted-host option or setting, or a proxy or CA variable. Off by
    ``--disable-pip-version-check`` or its setting (true). PyPI answers no 401; what it
    answers is cached where a later install does not read (red team 56c R56c-2)."""
    if command not in _CHECKING:
        return False
    off = _CHECK["off"]
    if off in words or off[2:] in settings:
        return False
    given = {w.partition("=")[0] for w in words if w.startswith("--")}
    steered = [o[2:] for o in _STEERING if o[2:] in settings]
    return (
        bool(given & _STEERING)
        or any(not (o == "index-url" and _is_pypi(settings[o])) for o in steered)
        or any(str(env.get(v, "")).strip() for v in _STEERING_VARIABLES)
    )


def _is_pypi(url: str) -> bool:
    """pip's default index, named (an index-url setting of PyPI's simple URL)."""
    return url.strip().rstrip("/") == "https://pypi.org/simple"


def _venv_writes(words: List[str], env: Mapping[str, str], here: Optional[str]) -> bool:
    """Whether `uv venv` may remove or write into a folder that holds files: set to clear or
    seed by its variables (``UV_VENV_CLEAR``, ``UV_VENV_SEED``: anything but clap's false
    values), or its folder already there and not empty. uv 0.13 refuses such a folder without
    ``--clear``, but older uvs replaced an existing environment unasked: fail closed. A new or
    empty folder gets the environment uv makes from an interpreter, no package in it, which a
    later uv's discovery reads (red team 29): not a writer."""
    if any(v in env and str(env[v]).strip().lower() not in _FALSY for v in _UV_VENV_VARIABLES):
        return True
    if here is None:
        return True
    folders = _venv_folders(words, env, here)
    return folders is None or any(_holds_files(f) for f in folders)


def _venv_folders(words: List[str], env: Mapping[str, str], here: str) -> Optional[List[str]]:
    """The folders `uv venv` may make its environment in (None: Warden cannot place them):
    its operand, else `.venv` (or UV_PROJECT_ENVIRONMENT) in the folder and in each parent a
    project (pyproject.toml) may be found in; from ``--directory``/UV_WORKING_DIR."""
    read = _read_words(words, _UV["venv"])
    if read is None:
        return None
    given, operands = read
    base = given.get("--directory", env.get("UV_WORKING_DIR", ""))
    if "--project" in given or "UV_PROJECT" in env:
        return None  # a project found from elsewhere: where its environment goes is not read
    names = operands or [env.get("UV_PROJECT_ENVIRONMENT") or ".venv"]
    if any(_unplaceable(n) for n in names + [base]):
        return None
    start = os.path.abspath(os.path.join(here, base))
    if operands:
        return [os.path.join(start, n) for n in names]
    found, folder = [], start
    while True:
        if folder == start or os.path.isfile(os.path.join(folder, "pyproject.toml")):
            found.append(os.path.join(folder, names[0]))
        parent = os.path.dirname(folder)
        if parent == folder:
            return found
        folder = parent


def _unplaceable(name: str) -> bool:
    """A name the shell or Warden's reading left unexpanded (``$X``, a glob, ``~``)."""
    return any(c in name for c in "$`*?[{~")


def _holds_files(folder: str) -> bool:
    """Whether ``folder`` is there and not an empty folder (a file, a link, a folder with
    entries, or one Warden cannot list: uv may remove or write into it)."""
    if not os.path.lexists(folder):
        return False
    if os.path.islink(folder) or not os.path.isdir(folder):
        return True
    try:
        return bool(os.listdir(folder))
    except OSError:
        return True
