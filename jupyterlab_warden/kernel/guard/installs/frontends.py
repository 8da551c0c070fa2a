"""Installer front ends beyond pip, uv and conda: pipx, poetry, pdm, pipenv, hatch, pixi, rye,
and pip-tools' pip-compile and pip-sync.

Deny by default, as for uv: each front end's commands known to install nothing (``poetry
show``, ``pipx list``, ``hatch version``...) are no install; the commands that install are
read; any other command, and an option before the command that Warden does not know, is
refused with a reason naming the front end and the command.

pipx is read as its own argparse parser reads it (``pipx_request.py``, ``pipx_cli.py``): its
installs are read fully. poetry, pdm, pipenv and hatch resolve from their own project files and
config (sources in pyproject.toml, Pipfile, poetry/pdm config) that Warden does not read: the
packages a command names are decided, and the install also carries an install-unreadable
problem, never waved through. Options and
environment variables that point a front end at another interpreter, index or config are
named in the refusal (``pdm -c``, ``PDM_PYPI_URL``, ``POETRY_REPOSITORIES_*``...).

pixi and rye resolve from their own manifests too (pixi also from conda channels): read as
poetry is, every command but a short read-only list refused as unreadable, the packages
``pixi add``, ``pixi global install|add``, ``pixi exec``, ``rye add`` and ``rye install``
name decided as well. Their tables come from each tool's documented CLI (pixi 0.4x-0.7x
reference pages, rye 0.4x), not from running them (neither is on PyPI). ``pixi list|tree``
are not read-only: without ``--frozen`` they update the lock file and may install the
environment to solve PyPI dependencies. ``rye run`` syncs first with ``--sync`` or the
``behavior.autosync-before-run`` config Warden does not read; ``pixi run`` always installs
its environment: both are refused, and the command they run is read as well (commands.py).
``pip-compile`` downloads and builds sdists to read their metadata (their setup.py runs) and
``pip-sync`` runs pip: both refused unless they only print help or their version.

The same tables are in src/deps/frontends.ts; schema/vectors/install-decision.json holds both
sides to one decision.
"""

from typing import Dict, List, Optional

from . import requirements
from .request import InstallRequest, Source

FRONT_ENDS = frozenset(
    ("pipx", "poetry", "pdm", "pipenv", "hatch", "pixi", "rye", "pip-compile", "pip-sync")
)
# pip-tools' commands take no subcommand: only help and version install nothing (checked
# against pip-tools 7.6.2: both are eager click options; `python -m piptools` is a click group
# of `compile` and `sync` alone)
_PIP_TOOLS = frozenset(("pip-compile", "pip-sync"))
_PIP_TOOLS_READ_ONLY = frozenset(("-h", "--help", "--version"))

# Options before the command, per front end: option -> takes a value. Any other option there
# is refused: its value could be read as the command (checked against each tool's --help).
_GLOBAL = {
    "poetry": {"-h": False, "--help": False, "-q": False, "--quiet": False, "-V": False,
               "--version": False, "--ansi": False, "--no-ansi": False, "-n": False,
               "--no-interaction": False, "--no-plugins": False, "--no-cache": False,
               "-v": False, "-vv": False, "-vvv": False, "--verbose": False, "-P": True,
               "--project": True, "-C": True, "--directory": True},
    "pdm": {"-h": False, "--help": False, "-V": False, "--version": False, "-v": False,
            "-vv": False, "-vvv": False, "--verbose": False, "-q": False, "--quiet": False,
            "-I": False, "--ignore-python": False, "-n": False, "--non-interactive": False,
            "--no-cache": False, "-c": True, "--config": True, "--pep582": True},
    "pipenv": {"-h": False, "--help": False, "--version": False, "--where": False,
               "--venv": False, "--py": False, "--envs": False, "--rm": False, "--bare": False,
               "--man": False, "--support": False, "--completion": False, "--clear": False,
               "-q": False, "--quiet": False, "-v": False, "--verbose": False,
               "--site-packages": False, "--three": False, "--two": False, "--python": True,
               "--pypi-mirror": True},
    "hatch": {"-h": False, "--help": False, "--version": False, "-v": False, "--verbose": False,
              "-vv": False, "-vvv": False, "-q": False, "-qq": False, "--quiet": False,
              "--color": False, "--no-color": False, "--interactive": False,
              "--no-interactive": False, "-e": True, "--env": True, "-p": True, "--project": True,
              "--data-dir": True, "--cache-dir": True, "--config": True},
    "pixi": {"-h": False, "--help": False, "-V": False, "--version": False, "-v": False,
             "-vv": False, "-vvv": False, "-vvvv": False, "--verbose": False, "-q": False,
             "--quiet": False, "--no-progress": False, "--color": True},
    "rye": {"-h": False, "--help": False, "-V": False, "--version": False, "--env-file": True},
}  # fmt: skip
# Commands with subcommands: the key is "command subcommand".
_GROUPS = {
    "poetry": {"env", "cache", "source", "debug", "python", "self"},
    "pdm": {"venv", "python", "py", "self"},
    "pipenv": set(),
    "hatch": {"env", "python", "self", "dep", "project"},
    "pixi": {"global", "task", "config", "project", "workspace", "auth", "self"},
    "rye": {"toolchain", "tools", "self"},
}
# Commands known to install nothing (they list, show, remove, configure, or run a command
# that is itself decided: `poetry run CMD`, commands.py).
_READ_ONLY = {
    # not read-only, because they install (red team red5): `pdm run X.py` (the script's PEP 723
    # dependencies), `pdm show` (builds the project's metadata: its build requirements),
    # `hatch env show|find|prune|remove`, `hatch version` and `hatch clean` (the environment
    # plugin's requires), `poetry export` and `pdm export` (lock when there is no lock file)
    "poetry": {"help", "about", "list", "show", "check", "search", "config", "version",
               "run", "shell", "new", "init", "env info", "env list", "env remove",
               "env activate", "cache list", "cache clear", "source show", "source add",
               "source remove", "debug info", "debug tags", "python list", "self show"},
    "pdm": {"help", "list", "info", "search", "outdated", "config", "cache", "completion",
            "import", "venv list", "venv remove", "venv activate", "venv purge",
            "python list", "python find", "python remove", "py list", "py find", "py remove",
            "self list"},
    "pipenv": {"graph", "open", "requirements", "run", "scripts", "shell", "verify", "clean"},
    "hatch": {"help", "config", "status", "new", "python find", "python show",
              "python remove", "self report"},
    # not `pixi list|tree` (they lock, and may install to solve PyPI dependencies)
    "pixi": {"help", "info", "search", "completion", "task list", "global list",
             "config list"},
    # `rye version` only without a new version (_bumps); not `rye list` (it may bootstrap
    # rye's own environment first)
    "rye": {"help", "show", "version", "toolchain list", "tools list", "self completion"},
}  # fmt: skip
# Commands that install (read below); the second set: their positional words are packages.
_INSTALLING = {
    "poetry": ({"add", "install", "sync", "update", "lock", "remove", "build", "self add",
                "self install", "self update", "self sync", "self lock"}, {"add", "self add"}),
    "pdm": ({"add", "install", "sync", "update", "lock", "remove", "build", "self add",
             "self update"}, {"add", "self add"}),
    "pipenv": ({"install", "sync", "update", "upgrade", "lock", "uninstall"},
               {"install", "upgrade"}),
    "hatch": ({"run", "shell", "build", "test", "fmt", "env create", "env run", "dep show",
               "dep hash", "project metadata"}, set()),
    "pixi": ({"add", "install", "update", "upgrade", "lock", "run", "shell", "shell-hook",
              "exec", "list", "tree", "remove", "build", "global install", "global add",
              "global sync", "global update", "global upgrade", "global upgrade-all"},
             {"add", "global install", "global add"}),  # exec: pixi_exec
    "rye": ({"add", "remove", "sync", "lock", "install", "uninstall", "run", "test", "build",
             "fetch", "fmt", "lint", "tools install", "tools uninstall", "toolchain fetch",
             "self update"}, {"add", "install", "tools install"}),
}  # fmt: skip
# Options after the command that take a value (an unlisted one makes its value one more word:
# a package for `add`, stricter).
_VALUED = {
    "poetry": {"--group", "-G", "--source", "--extras", "-E", "--python", "--platform",
               "--markers", "--directory", "-C", "--project", "-P", "--only", "--with",
               "--without"},
    "pdm": {"-G", "--group", "-p", "--project", "-L", "--lockfile", "--venv",
            "--update-strategy", "-e", "--editable", "-c", "--config"},
    "pipenv": {"--python", "--pypi-mirror", "-i", "--index", "--extra-index-url",
               "--categories", "-r", "--requirements"},
    "hatch": {"-e", "--env", "-p", "--project"},
    "pixi": {"--manifest-path", "-e", "--environment", "-f", "--feature", "-p", "--platform",
             "--git", "-g", "--branch", "--tag", "--rev", "--subdir", "--color", "--auth-file",
             "--concurrent-downloads", "--concurrent-solves", "--pypi-keyring-provider",
             "--config-file", "--pinning-strategy", "-c", "--channel", "--expose", "--with",
             "-w", "-s", "--spec"},
    "rye": {"--git", "--url", "--path", "--tag", "--rev", "--branch", "--features",
            "--optional", "--pin", "--pyproject", "-p", "--python", "--env-file",
            "--include-dep", "--extra-requirement", "-b", "--bump"},
}  # fmt: skip
# Options that point the front end at another interpreter (which it may download) or config:
# refused wherever they are written.
_REDIRECT_OPTIONS = {
    "poetry": {"-C": "another working directory", "--directory": "another working directory"},
    "pdm": {"-c": "another config file", "--config": "another config file"},
    "pipenv": {"--python": "another interpreter (one it may install)"},
    "hatch": {"--config": "another config file", "--data-dir": "another data folder"},
    "pixi": {},  # every pixi and rye install is refused: what they point at is not read
    "rye": {},
}  # fmt: skip
# Environment variables that point an install elsewhere (exact names, and prefixes ending _).
_REDIRECT_ENV = {
    "poetry": ("POETRY_REPOSITORIES_", "POETRY_SOURCE_", "POETRY_CONFIG_DIR"),
    "pdm": ("PDM_PYPI_", "PDM_SOURCE_", "PDM_CONFIG_FILE", "PDM_PYTHON"),
    "pipenv": ("PIPENV_PYPI_MIRROR", "PIPENV_PIPFILE", "PIPENV_PYTHON",
               "PIPENV_DEFAULT_PYTHON_VERSION"),
    "hatch": ("HATCH_INDEX_", "HATCH_PYTHON", "HATCH_CONFIG", "HATCH_DATA_DIR",
              "HATCH_ENV_TYPE_VIRTUAL_UV_PATH"),
    "pixi": (),
    "rye": (),
}  # fmt: skip
# Short names of commands (pixi's visible aliases): read as the command, so `pixi a NAME`
# decides NAME and `pixi r CMD` reads CMD (an alias not listed is refused as unknown)
ALIASES = {
    "pixi": {"a": "add", "i": "install", "r": "run", "x": "exec", "rm": "remove", "s": "shell",
             "g": "global", "ls": "list", "t": "tree"},
}  # fmt: skip
# `pixi exec` options taking a value; -s/--spec and -w/--with name packages
_PIXI_EXEC_VALUED = frozenset(
    ("-s", "--spec", "-w", "--with", "-c", "--channel", "-p", "--platform", "--auth-file",
     "--concurrent-downloads", "--concurrent-solves", "--pypi-keyring-provider",
     "--config-file", "--color")
)  # fmt: skip
_INSTEAD = "install with %pip or uv (commands Warden reads), or ask your admin"


def request(tool: str, args: List[str], cwd: str, env: Dict[str, str]):
    """The install ``tool args`` asks for, or None when the command installs nothing."""
    if tool == "pipx":
        from . import pipx_request

        return pipx_request.request(args, cwd, env)
    if tool in _PIP_TOOLS:
        return _pip_tools(tool, args)
    start, unknown = _command_start(tool, args)
    if unknown is not None:
        return _refused(
            tool,
            f"{tool} option {unknown} before the command is not one Warden knows (its value "
            f"could be the command); {_INSTEAD}",
        )
    words = _words(tool, args[start:])
    positional = [v for n, v in words if n is None]
    key = _command_key(tool, positional)
    if tool == "rye" and key == "version" and _bumps(words):
        key = "version --bump"
    redirects = _redirect_options(tool, _own_words(tool, args, start, key))
    if key is None or key in _READ_ONLY[tool]:
        if redirects:
            return _refused(f"{tool} {key or ''}".strip(), "; ".join(redirects))
        return None
    installing, named = _INSTALLING[tool]
    if key not in installing:
        return _refused(
            f"{tool} {key}",
            f"`{tool} {key}` is not a {tool} command Warden knows to install nothing, and "
            f"Warden does not read what it may resolve, build or install; {_INSTEAD}",
        )
    req = InstallRequest("pip", f"{tool} {key}")
    req.problems += redirects + _redirect_env(tool, env)
    packages = positional[len(key.split()) :]
    if key == "exec" and tool == "pixi":
        packages = pixi_exec(args)[0]
    if key in named or (key == "exec" and tool == "pixi"):
        for word in packages:
            req.requirements.append(requirements.parse_requirement(word, "command line"))
    _options(req, tool, key, words, cwd, env)
    req.problems.append(
        f"{tool} installs from its own project files and config (sources, locks, "
        "environments) that Warden does not read; install with %pip or uv instead"
    )
    return req


def _pip_tools(tool: str, args: List[str]) -> Optional[InstallRequest]:
    """pip-compile downloads and builds sdists to read their metadata (their setup.py runs);
    pip-sync runs pip on files Warden would have to read as pip does: both are refused unless
    every word asks for help or the version."""
    if args and all(word in _PIP_TOOLS_READ_ONLY for word in args):
        return None
    what = (
        "resolves, downloads and builds packages (an sdist's setup.py runs) to compile its "
        "requirements"
        if tool == "pip-compile"
        else "installs and uninstalls packages with pip"
    )
    return _refused(tool, f"`{tool}` {what}, which Warden does not read; {_INSTEAD}")


def _bumps(words) -> bool:
    """``rye version 1.2``, ``rye version -b minor``: a new version, not a read."""
    positional = [v for n, v in words if n is None]
    return len(positional) > 1 or any(n in ("-b", "--bump") for n, _ in words)


def pixi_exec(args: List[str]):
    """(packages, command) for ``pixi [global opts] exec [opts] COMMAND...``, or None: the
    ``--spec`` packages, else the command's own name, and the ``--with`` packages. pixi
    installs them into a temporary environment, then runs the command."""
    start, unknown = _command_start("pixi", args)
    if unknown is not None or args[start : start + 1] not in (["exec"], ["x"]):
        return None
    specs, extra, i = [], [], start + 1
    while i < len(args) and args[i].startswith("-") and args[i] != "-":
        name, eq, value = args[i].partition("=")
        if name == "--":
            i += 1
            break
        if name in _PIXI_EXEC_VALUED:
            if not eq:
                value, i = (args[i + 1] if i + 1 < len(args) else ""), i + 1
            if name in ("-s", "--spec"):
                specs.append(value)
            elif name in ("-w", "--with"):
                extra.append(value)
        i += 1
    command = args[i:]
    return (specs or command[:1]) + extra, command


def _command_start(tool: str, args: List[str]):
    """(index of the command word, None) or (_, the first option there Warden does not know)."""
    options, i = _GLOBAL[tool], 0
    while i < len(args) and args[i].startswith("-") and args[i] != "-":
        name, eq, _ = args[i].partition("=")
        if name == "--":
            return i + 1, None
        if name not in options:
            return i, name
        i += 2 if options[name] and not eq else 1
    return i, None


def _command_key(tool: str, positional: List[str]) -> Optional[str]:
    """``command`` or ``command subcommand`` (for groups), None when there is no command."""
    if not positional:
        return None
    first = ALIASES.get(tool, {}).get(positional[0], positional[0])
    if first in _GROUPS[tool] and len(positional) > 1:
        return f"{first} {positional[1]}"
    return first


def _refused(command: str, problem: str) -> InstallRequest:
    req = InstallRequest("pip", command)
    req.problems.append(problem)
    return req


def _own_words(tool: str, args: List[str], start: int, key: Optional[str]) -> List[str]:
    """The words the front end reads itself: for a ``run`` command, up to the command it runs
    (``poetry run make -C dir``: that ``-C`` is make's)."""
    if key is None or key.split()[-1] != "run":
        return args
    i, seen = start, 0
    while i < len(args):
        word = args[i]
        if word == "--":
            return args[:i]
        if not word.startswith("-") or word == "-":
            seen += 1
            if seen > len(key.split()):
                return args[:i]
        elif word.partition("=")[0] in _VALUED[tool] and "=" not in word:
            i += 1
        i += 1
    return args


def _redirect_options(tool: str, args: List[str]) -> List[str]:
    names = []
    for word in args:
        if word == "--":
            break
        name = word.partition("=")[0]
        if name in _REDIRECT_OPTIONS[tool] and name not in names:
            names.append(name)
    return [
        f"{tool} {name} points {tool} at {_REDIRECT_OPTIONS[tool][name]}, which Warden does not "
        f"follow; drop it, or {_INSTEAD}"
        for name in names
    ]


def _redirect_env(tool: str, env: Dict[str, str]) -> List[str]:
    found = []
    for var in sorted(env):
        if not env[var].strip():
            continue
        for entry in _REDIRECT_ENV[tool]:
            if var == entry or (entry.endswith("_") and var.startswith(entry)):
                found.append(
                    f"environment variable {var} points {tool} at another index, interpreter "
                    "or config, which Warden does not read; unset it"
                )
                break
    return found


def _options(req, tool: str, key: str, words, cwd: str, env: Dict[str, str]) -> None:
    for name, value in words:
        if name in ("-e", "--editable") and tool == "pdm":
            req.requirements.append(requirements.parse_requirement(value, "command line"))
        elif tool == "pipenv" and name in ("--index-url", "-i", "--index", "--pypi-mirror"):
            req.sources.append(Source(value, "index", "command line"))
        elif name == "--extra-index-url":
            req.sources.append(Source(value, "extra-index", "command line"))


def _words(tool: str, args: List[str]):
    """``(option, value)`` and ``(None, word)`` pairs; ``--`` ends the options."""
    out, i, valued = [], 0, _VALUED[tool]
    while i < len(args):
        word = args[i]
        i += 1
        if word == "--":
            out += [(None, w) for w in args[i:]]
            break
        if not word.startswith("-") or word == "-":
            out.append((None, word))
            continue
        name, eq, value = word.partition("=")
        if name in valued and not eq:
            value = args[i] if i < len(args) else ""
            i += 1
        out.append((name, value if name in valued else None))
    return out
