"""Installer front ends beyond pip, uv and conda: pipx, poetry, pdm, pipenv, hatch.

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

The same tables are in src/deps/frontends.ts; schema/vectors/install-decision.json holds both
sides to one decision.
"""

from typing import Dict, List, Optional

from . import requirements
from .request import InstallRequest, Source

FRONT_ENDS = frozenset(("pipx", "poetry", "pdm", "pipenv", "hatch"))

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
}  # fmt: skip
# Commands with subcommands: the key is "command subcommand".
_GROUPS = {
    "poetry": {"env", "cache", "source", "debug", "python", "self"},
    "pdm": {"venv", "python", "py", "self"},
    "pipenv": set(),
    "hatch": {"env", "python", "self", "dep", "project"},
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
}  # fmt: skip
# Options that point the front end at another interpreter (which it may download) or config:
# refused wherever they are written.
_REDIRECT_OPTIONS = {
    "poetry": {"-C": "another working directory", "--directory": "another working directory"},
    "pdm": {"-c": "another config file", "--config": "another config file"},
    "pipenv": {"--python": "another interpreter (one it may install)"},
    "hatch": {"--config": "another config file", "--data-dir": "another data folder"},
}  # fmt: skip
# Environment variables that point an install elsewhere (exact names, and prefixes ending _).
_REDIRECT_ENV = {
    "poetry": ("POETRY_REPOSITORIES_", "POETRY_SOURCE_", "POETRY_CONFIG_DIR"),
    "pdm": ("PDM_PYPI_", "PDM_SOURCE_", "PDM_CONFIG_FILE", "PDM_PYTHON"),
    "pipenv": ("PIPENV_PYPI_MIRROR", "PIPENV_PIPFILE", "PIPENV_PYTHON",
               "PIPENV_DEFAULT_PYTHON_VERSION"),
    "hatch": ("HATCH_INDEX_", "HATCH_PYTHON", "HATCH_CONFIG", "HATCH_DATA_DIR",
              "HATCH_ENV_TYPE_VIRTUAL_UV_PATH"),
}  # fmt: skip
_INSTEAD = "install with %pip or uv (commands Warden reads), or ask your admin"


def request(tool: str, args: List[str], cwd: str, env: Dict[str, str]):
    """The install ``tool args`` asks for, or None when the command installs nothing."""
    if tool == "pipx":
        from . import pipx_request

        return pipx_request.request(args, cwd, env)
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
    if key in named:
        for word in packages:
            req.requirements.append(requirements.parse_requirement(word, "command line"))
    _options(req, tool, key, words, cwd, env)
    req.problems.append(
        f"{tool} installs from its own project files and config (sources, locks, "
        "environments) that Warden does not read; install with %pip or uv instead"
    )
    return req


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
    if positional[0] in _GROUPS[tool] and len(positional) > 1:
        return f"{positional[0]} {positional[1]}"
    return positional[0]


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
