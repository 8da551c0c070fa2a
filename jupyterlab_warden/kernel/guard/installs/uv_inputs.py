"""How uv reads a file given to ``-r``/``--with-requirements`` (and ``-c``/``--override``/
``-b``, ``UV_CONSTRAINT``...), by its name, as uv 0.13.9 does (``uv-requirements``
``RequirementsSource::from_requirements_file`` and ``from_requirements_txt_kind``; checked
against the binary, red team 11 R11-7). The static port is ``src/deps/uvinputs.ts``.

For ``-r``, a local file is, in this order: ``pyproject.toml``, ``setup.py``, ``setup.cfg``,
``environment.yml`` when its name is exactly that (case-sensitive); a PEP 751 lock when it is
``pylock.toml`` or ``pylock.<name>.toml``; a PEP 723 script when its extension is ``py`` or
``pyw`` in ANY case (``s.PY``, ``Setup.py``); an error for any other ``toml`` extension; a file
sniffed by its content when it has no extension (``reqs``, ``.hidden``: a ``# /// script``
block makes it a script, else requirements); requirements text otherwise (``s.txt``, ``s.``).
Constraints, overrides and build constraints are always requirements text (uv rejects the
metadata, lock and TOML names for them)."""

import os
import re
import shutil

# kinds: what Warden does with each
REQUIREMENTS = "requirements"  # read as requirements text
PYPROJECT = "pyproject"  # read as project metadata
SNIFFED = "sniffed"  # requirements text unless it holds a PEP 723 block (refused then)
METADATA = "metadata"  # setup.py / setup.cfg: uv runs or parses them as a build does
SCRIPT = "script"  # a PEP 723 script's inline metadata
LOCK = "lock"  # a pylock.toml
REJECTED = "rejected"  # uv itself refuses it (other TOML, environment.yml)

# a PEP 723 block's opening line, as uv's `Pep723Metadata::parse` looks for it (any block
# type: uv reads `script`; loosely matched so a near-miss is refused, not read as lines)
PEP723_OPENING = re.compile(r"^#\s*///", re.MULTILINE)


def _extension(name: str):
    """Rust's ``Path::extension``: None without a dot or for a dot file with no other dot
    (``.hidden``), else the text after the last dot (``s.`` has the empty extension)."""
    stem, dot, extension = name.rpartition(".")
    return extension if dot and stem else None


def _pylock(name: str) -> bool:
    """PEP 751's names: ``pylock.toml``, ``pylock.<name>.toml`` (a name without dots)."""
    if name == "pylock.toml":
        return True
    if not (name.startswith("pylock.") and name.endswith(".toml")):
        return False
    middle = name[len("pylock.") : -len(".toml")]
    return bool(middle) and "." not in middle


def file_kind(path: str, requirements_only: bool = False) -> str:
    """The kind of input uv makes of the local file ``path``; ``requirements_only`` for the
    constraint-like options, which uv reads as requirements text whatever the name."""
    name = os.path.basename(path.rstrip("/"))
    extension = _extension(name)
    if requirements_only:
        if name in ("pyproject.toml", "setup.py", "setup.cfg") or _pylock(name):
            return REJECTED
        if extension is not None and extension.lower() == "toml":
            return REJECTED
        return REQUIREMENTS
    if name == "pyproject.toml":
        return PYPROJECT
    if name in ("setup.py", "setup.cfg"):
        return METADATA
    if name == "environment.yml":
        return REJECTED
    if _pylock(name):
        return LOCK
    if extension is not None and extension.lower() in ("py", "pyw"):
        return SCRIPT
    if extension is not None and extension.lower() == "toml":
        return REJECTED
    if extension is None:
        return SNIFFED
    return REQUIREMENTS


# -- the interpreter uv runs (red team 17 R17-6) ---------------------------------------------------


def _python_table() -> dict:
    from ...contracts import load_contract

    return load_contract("uv-python.json")


def plain_python_request(value: str) -> bool:
    """Whether uv reads ``value`` as a version request (``3.11``, ``cpython@3.11``...), which
    names no file; any other value is a path or a name uv looks up on PATH."""
    return re.match(_python_table()["plain_request"], value.strip().lower()) is not None


# uv commands whose REQUEST word names an interpreter uv queries (runs): `uv python list
# ./x` too (red team 81 R81-6: it ran ./x, which no rule read, as `find` and `pin` were)
_QUERYING = (["python", "find"], ["python", "pin"], ["python", "list"])


def _command_line(args) -> tuple:
    """``(options, words)`` of a uv command line up to the program a ``uv run``, ``uvx`` or
    ``uv tool run`` starts (its own words are its own): each option's values (None for a
    flag), and the positional words (the command first). ``uv python find|pin|list
    REQUEST`` queries what it names: that word counts as a -p value."""
    from . import arguments
    from .request import InstallRequest

    options, positional = {}, []
    reading = InstallRequest("uv", "uv")
    for name, value in arguments._option_words(reading, "uv", list(args), arguments.UV_VALUED):
        if name is None:
            positional.append(value)
            if positional[:1] in (["run"], ["x"]) and len(positional) == 2:
                break
            if positional[:2] == ["tool", "run"] and len(positional) == 3:
                break
            if positional[:2] in _QUERYING and len(positional) == 3:
                options.setdefault("-p", []).append(value)
        else:
            options.setdefault(name, []).append(value)
    return options, positional


def _python_options(args) -> list:
    """The -p/--python values of a uv command line (``_command_line``)."""
    options, _words = _command_line(args)
    names = _python_table()["options"]
    return [v for name in names for v in options.get(name, []) if v is not None]


def _version_file_request(cwd: str) -> tuple:
    """The first request of the nearest .python-version(s) file from ``cwd`` up, as uv finds
    it, and that file; ('', '') when there is none. A file Warden cannot read is its own
    request ('?'): refused."""
    from . import files_read

    folder = os.path.abspath(cwd)
    while True:
        for name in _python_table()["version_files"]:
            path = os.path.join(folder, name)
            if not os.path.isfile(path):
                continue
            try:
                with open(path, encoding="utf-8") as fh:
                    files_read.note(path, os.fstat(fh.fileno()))
                    lines = [ln.strip() for ln in fh.read(65536).splitlines()]
            except (OSError, UnicodeDecodeError):
                return "?", path
            found = [ln for ln in lines if ln and not ln.startswith("#")]
            return (found[0] if found else ""), path
        parent = os.path.dirname(folder)
        if parent == folder:
            return "", ""
        folder = parent


def python_requests(args, env, cwd: str) -> list:
    """``(value, where)`` for the interpreter uv is asked for: -p/--python, else UV_PYTHON,
    else the nearest .python-version."""
    given = _python_options(args)
    if given:
        return [(v, "-p/--python") for v in given]
    variable = _python_table()["variable"]
    if env.get(variable, "").strip():
        return [(env[variable].strip(), variable)]
    value, path = _version_file_request(cwd)
    return [(value, path)] if value else []


def _interpreter_files(value: str, env, cwd: str) -> list:
    """The files uv runs for a request that is no plain version: a path (a file, or a folder
    whose bin/python* it runs), else a name looked up on PATH."""
    place = os.path.expanduser(value) if value.startswith("~") else value
    place = os.path.join(cwd, place)
    if os.path.isdir(place):
        bin_folder = os.path.join(place, "bin")
        names = sorted(os.listdir(bin_folder)) if os.path.isdir(bin_folder) else []
        return [os.path.join(bin_folder, n) for n in names if n.startswith("python")]
    if os.path.lexists(place) or os.sep in value:
        return [place]
    found = shutil.which(value, path=env.get("PATH", os.environ.get("PATH", os.defpath)))
    return [found or place]  # none yet: the line may write it before uv looks (refused)


# uv commands that never look for a Python (`uv python find|list`, `uv tool list` do: they
# query the interpreters they find)
_NO_PYTHON = frozenset(("help", "cache", "generate-shell-completion", "self"))


def interpreter_problem(args, env, cwd: str, line_problem: str = "") -> str:
    """Why an interpreter uv would run is refused ('' when every one it may run is a file the
    machine had, unchanged, before the kernel started, and trusted). uv RUNS that interpreter
    to query it (``-I -B -c CODE``), so it is a program start: a script the cell wrote there
    (``#!/bin/sh`` + an install) runs whatever it holds. The file named by -p/--python,
    UV_PYTHON or .python-version is read; without one, or for a version request (``-p 3.11``),
    every Python uv's own discovery may run before one Warden trusts (``uv_discovery``, red
    team 29a R29a-1: a cell's ``.venv/bin/python``, VIRTUAL_ENV, CONDA_PREFIX, PATH's).
    ``line_problem``: why an earlier command on the shell line may write files uv reads (it
    may put a Python where uv looks, after Warden read the places)."""
    from . import arguments, uv_discovery

    command = args[arguments.subcommand_start(args, arguments.UV_VALUED, arguments.UV_COMMANDS) :]
    if not command or command[0] in _NO_PYTHON:
        return ""  # `uv --version`, `uv help`, `uv cache clean` look for no Python
    options, words = _command_line(args)
    discovery = uv_discovery.Discovery(words, options, env, cwd)
    for path, where in discovery.queried_environments():
        problem = _discovered_problem(path, where)
        if problem:
            return problem
    requests = python_requests(args, env, cwd)
    if any(value == "?" for value, _where in requests):
        where = next(w for v, w in requests if v == "?")
        return f"uv takes its Python from {where}, which Warden cannot read"
    given = any(w in ("-p/--python", _python_table()["variable"]) for _v, w in requests)
    named = [(v, w) for v, w in requests if v and not plain_python_request(v)]
    problem = _named_problem(named, env, cwd)
    if problem or (named and given):
        return problem  # uv runs the file it is given, and no other
    settings = _config_settings(options, env, cwd)
    if settings.problem:
        return settings.problem
    pip = words[:1] == ["pip"]
    configured = settings.pip_pythons if pip and not given else []
    problem = _named_problem(
        [(v, w) for v, w in configured if not plain_python_request(v)], env, cwd
    )
    if problem:
        return problem
    if named and not configured:
        return ""  # uv runs the file .python-version names, and no other
    if line_problem:
        return f"uv looks for a Python on its own and runs what it finds: {line_problem}"
    versions = {value.strip().lower() for value, _where in requests + configured}
    request = versions.pop() if len(versions) == 1 else ("?" if versions else "")
    if not requests and discovery.requires_python():
        request = "?"  # the project's own version range: Warden does not place it
    preferences = discovery.given_preferences()
    if "?" in preferences:
        return (
            "uv is given a python-preference Warden does not know (only-managed, managed, "
            "system, only-system), so it cannot tell which Pythons uv looks for"
        )
    preferences = preferences or settings.preferences
    if pip and discovery.system_asked():
        preferences = ["system"]  # `uv pip --system`: PATH's first whatever the preference
    elif pip and settings.pip_system:  # [pip] system = true in a file uv may read
        discovery.maybe_system = True
        preferences = [*preferences, "system"]
    for preference in dict.fromkeys(preferences):  # each order uv may follow: all walked
        discovery.preference = preference
        problem = _discovery_problem(discovery, request)
        if problem:
            return problem
    return ""


def named_interpreters(args, env, cwd: str) -> list:
    """The files uv runs to query them because the command line, the environment or a file
    names them (red team 32 R32-12): -p/--python, UV_PYTHON, the nearest .python-version,
    else a config's ``[pip] python`` for ``uv pip``; version requests name none (uv's own
    discovery finds those: ``interpreter_problem``). [] for a command that looks for none."""
    from . import arguments

    command = args[arguments.subcommand_start(args, arguments.UV_VALUED, arguments.UV_COMMANDS) :]
    if not command or command[0] in _NO_PYTHON:
        return []
    requests = python_requests(args, env, cwd)
    given = any(w in ("-p/--python", _python_table()["variable"]) for _v, w in requests)
    named = [v for v, _w in requests if v and v != "?" and not plain_python_request(v)]
    options, words = _command_line(args)
    if words[:1] == ["pip"] and not given:
        settings = _config_settings(options, env, cwd)
        named += [v for v, _w in settings.pip_pythons if not plain_python_request(v)]
    return [path for value in named for path in _interpreter_files(value, env, cwd)]


def _named_problem(named, env, cwd: str) -> str:
    """Why a Python file named to uv (``(value, where)``) is refused ('' when none is)."""
    for value, where in named:
        for path in _interpreter_files(value, env, cwd):
            problem = interpreter_file_problem(path)
            if problem:
                return (
                    f"uv runs {value[:60]!r} ({where}) to query it, and {problem}: give uv "
                    "a Python version (-p 3.11), the kernel's Python (sys.executable) or a "
                    "system one (/usr/bin/python3)"
                )
    return ""


def _config_settings(options, env, cwd: str):
    """What uv's config files set that changes the Python it runs (``uv_config``, red team
    31 R31-7: uv.toml's ``python-preference = "only-system"`` made uv skip the managed
    Python Warden stopped at), read as uv reads them for this command line (``--no-config``,
    ``--config-file``)."""
    from . import uv_config
    from .request import InstallRequest

    reading = InstallRequest("uv", "uv")
    reading.uv_no_config = "--no-config" in options
    reading.uv_config_file = next(
        (v for v in reversed(options.get("--config-file", [])) if v), None
    )
    return uv_config.DiscoverySettings(reading, env, cwd)


def _discovery_problem(discovery, request: str) -> str:
    """Why a Python uv's discovery runs, walked in ``discovery``'s order up to one Warden
    knows uv stops at, is refused ('' when none is)."""
    from . import uv_discovery

    system = discovery.system_only() or discovery.system_asked() or discovery.maybe_system
    for path, where, stops in discovery.candidates(request):
        problem = _discovered_problem(path, where)
        if problem:
            return problem
        real = os.path.realpath(path)
        if stops and uv_discovery.satisfies(path, real, request, system):
            return ""
    return ""


def _discovered_problem(path: str, where: str) -> str:
    """Why a Python uv finds on its own (``where``) is refused ('' when trusted)."""
    problem = interpreter_file_problem(path)
    if not problem:
        return ""
    return (
        f"uv looks for a Python on its own and runs {path[:200]} ({where}) to query it, and "
        f"{problem}: give uv the kernel's Python (--python with sys.executable) or a system "
        "one (/usr/bin/python3), or run it where no such environment is found"
    )


def interpreter_file_problem(path: str) -> str:
    """Why the interpreter file ``path`` that uv runs is not trusted ('' when it is): no such
    file, one written or changed since the kernel started, ``_foreign_interpreter``'s, or
    what its query (no guard) runs at start from its installation (``_installation_start``,
    red team 29a R29a-1 b)."""
    from . import startup_modules

    real = os.path.realpath(path)
    if not os.path.isfile(real):
        return "there is no such file when Warden reads the line (an earlier command may write it)"
    if startup_modules.changed_since_start(real):
        return (
            "that file is not a Python the machine had before the kernel started (written or "
            "changed since)"
        )
    return _foreign_interpreter(path, real) or _installation_start(path)


_PYTHON_NAME = re.compile(r"python(3(\.\d+)?)?")


def _foreign_interpreter(path: str, real: str) -> str:
    """Why an old file uv would run (red team 28c R28c-7) is not trusted ('' when it is): the
    kernel's own interpreter (``own_python.OWN``, read as the guard installed); a file that is
    the machine's by place (``commands._machine_program``: root's in a root-owned system
    folder, /usr/local's included, settled, not in the kernel's start folder); or an actual
    Python program, an ELF binary named like one, whose installation
    ``startup_modules.unverified_stdlib`` trusts (a venv's copied Python). Age alone is no
    test: a clone from an earlier session (or a kernel restarted after the write) holds a
    ``proj/py`` script as old as the machine's files."""
    from . import commands, startup_modules
    from .own_python import OWN

    home = startup_modules.foreign_home(path)
    if home:  # R14-19: a venv whose home is not its Python's installation
        return f"it takes its standard library from the home {home} names"
    if real in OWN.interpreters():
        return ""
    if commands._machine_program(real):
        return ""  # the machine's program (its `#!` start, if any, is root's too)
    place = f"that file ({real[:80]}) is not the kernel's Python nor root's in a system folder"
    if not _PYTHON_NAME.fullmatch(os.path.basename(real)) or not _elf(real):
        return place + ", and not a Python program (a script runs whatever it holds)"
    stdlib = startup_modules.unverified_stdlib(path)
    if stdlib:
        return f"{place}, and Warden cannot verify its standard library ({stdlib})"
    return ""


def _installation_start(path: str) -> str:
    """What uv's query of ``path`` (``-I -B -c CODE``: no guard, its site runs) runs from that
    Python's installation that may be the cell's (``start_files.start_problem``), '' when
    nothing: its site folders' .pth code and customize modules, its start-up modules."""
    from . import start_files

    found, why = start_files.start_problem(path, start_files.site_folders(path), guarded=False)
    return f"that Python runs {found} at start ({why})" if found else ""


def _elf(path: str) -> bool:
    """Whether ``path`` is an ELF binary (not a ``#!`` script)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == b"\x7fELF"
    except OSError:
        return False
