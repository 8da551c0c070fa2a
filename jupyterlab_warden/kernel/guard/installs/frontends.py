"""Installer front ends beyond pip, uv and conda: pipx, poetry, pdm, pipenv, hatch.

pipx runs pip with pip's own environment and config: its installs are read fully (packages,
``--index-url``, ``--spec``, ``--pip-args``). poetry, pdm, pipenv and hatch resolve from their
own project files and config (sources in pyproject.toml, Pipfile, poetry/pdm config) that
Warden does not read: the packages a command names are decided, and the install also carries
an install-unreadable problem (refused or confirmed as the policy says), never waved through.
"""

import shlex
from typing import Dict, List, Optional

from . import requirements
from .request import InstallRequest, Source

FRONT_ENDS = frozenset(("pipx", "poetry", "pdm", "pipenv", "hatch"))
# front end -> (commands that install, commands whose positional words are packages)
_INSTALLING = {
    "pipx": (("install", "run", "inject", "upgrade", "install-all", "reinstall",
              "reinstall-all", "upgrade-all"), ("install", "inject", "upgrade")),
    "poetry": (("add", "install", "sync", "update", "lock"), ("add",)),
    "pdm": (("add", "install", "sync", "update", "lock"), ("add",)),
    "pipenv": (("install", "sync", "update", "upgrade", "lock"), ("install", "upgrade")),
    "hatch": (("run", "shell", "env", "build", "test", "dep"), ()),
}  # fmt: skip
_VALUED = {
    "pipx": {"--index-url", "-i", "--pip-args", "--suffix", "--python", "--spec",
             "--preinstall", "--backend", "--global-option"},
    "poetry": {"--group", "-G", "--source", "--extras", "-E", "--python", "--platform",
               "--markers", "--directory", "-C", "--project", "-P", "--only", "--with",
               "--without"},
    "pdm": {"-G", "--group", "-p", "--project", "-L", "--lockfile", "-v", "--venv",
            "--update-strategy"},
    "pipenv": {"--python", "--pypi-mirror", "-i", "--index", "--extra-index-url",
               "--categories", "-r", "--requirements"},
    "hatch": {"-e", "--env", "-p", "--project"},
}  # fmt: skip


def request(tool: str, args: List[str], cwd: str, env: Dict[str, str]):
    """The install ``tool args`` asks for, or None when the command installs nothing."""
    words = _words(tool, args)
    command = next((v for n, v in words if n is None), None)
    installing, named = _INSTALLING[tool]
    if command not in installing:
        return None
    req = InstallRequest("pip", f"{tool} {command}")
    positional = [v for n, v in words if n is None][1:]
    if tool == "pipx" and command == "run":
        positional = positional[:1]  # the app; what follows are the app's own arguments
    if tool == "pipx" and command == "inject":
        positional = positional[1:]  # the first is the venv
    if command in named or (tool == "pipx" and command == "run"):
        for word in positional:
            req.requirements.append(requirements.parse_requirement(word, "command line"))
    for name, value in words:
        if name in ("--spec", "--preinstall"):
            if tool == "pipx" and name == "--spec" and command == "run":
                req.requirements = []  # the app is taken from --spec
            req.requirements.append(requirements.parse_requirement(value, "command line"))
        elif tool in ("pipx", "pipenv") and name in (
            "--index-url",
            "-i",
            "--index",
            "--pypi-mirror",
        ):
            req.sources.append(Source(value, "index", "command line"))
        elif name == "--extra-index-url":
            req.sources.append(Source(value, "extra-index", "command line"))
        elif name == "--pip-args":
            _pip_args(req, value, cwd, env)
    if tool != "pipx":
        req.problems.append(
            f"{tool} installs from its own project files and config (sources, locks, "
            "environments) that Warden does not read; install with %pip or uv instead"
        )
    elif command.endswith("-all") or command.startswith("reinstall"):
        req.problems.append(f"pipx {command} reinstalls from pipx's own records, unread by Warden")
    elif not req.requirements:
        req.problems.append(f"no package found in `pipx {command}`")
    return req


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


def _pip_args(req: InstallRequest, text: str, cwd: str, env: Dict[str, str]) -> None:
    from .arguments import pip_request

    try:
        words = shlex.split(text)
    except ValueError:
        req.problems.append("pipx --pip-args cannot be parsed")
        return
    inner: Optional[InstallRequest] = pip_request(["install"] + words, cwd, env)
    if inner is not None:
        req.requirements += inner.requirements
        req.sources += inner.sources
        req.problems += inner.problems
        req.no_index = req.no_index or inner.no_index
