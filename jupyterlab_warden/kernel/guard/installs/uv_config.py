"""uv's own configuration files, whose index settings a uv install follows.

uv reads (its "Configuration files" documentation): the project's ``uv.toml`` or
``pyproject.toml`` ``[tool.uv]`` in the working directory or the nearest parent, the user's
``$XDG_CONFIG_HOME/uv/uv.toml`` (``~/.config/uv/uv.toml``), the system's
``$XDG_CONFIG_DIRS/uv/uv.toml`` (``/etc/xdg``) and ``/etc/uv/uv.toml``; ``--config-file`` or
``UV_CONFIG_FILE`` names one more; ``--no-config`` / ``UV_NO_CONFIG`` stop the discovery.

Warden reads every such file from the working directory (and, for pipx's uv backend, from each
folder pipx runs uv in) up to the root (not only the nearest:
an index named anywhere is decided, so it need not know which file uv stops at). A
pyproject.toml is read only when it mentions ``uv`` at all (on Pythons without ``tomllib``
that keeps unrelated projects installable); any other file that exists must be read, or the
install is refused as unreadable.
"""

import os
import re
from typing import Dict, List, Tuple

from . import folders, toml_files
from .request import InstallRequest

_TRUE = ("1", "true", "yes", "on", "y", "t")
_MENTIONS_UV = re.compile(r"(^|[^A-Za-z0-9_-])uv([^A-Za-z0-9_-]|$)|\\[uU]")


def config_files(request: InstallRequest, env: Dict[str, str], cwd: str) -> List[Tuple[str, str]]:
    """``(path, kind)`` of each config file uv may read, ``kind`` "uv.toml" or "pyproject"."""
    files = []
    no_config = request.uv_no_config or env.get("UV_NO_CONFIG", "").lower() in _TRUE
    if not no_config:
        # from the working directory, and from each folder pipx runs uv in (red6 F2)
        # walked up from the physical folder uv runs in, as uv does (red team 11 R11-2)
        for start in dict.fromkeys([cwd, *request.uv_config_dirs]):
            for here in folders.upward(os.path.join(cwd, start)):
                files.append((os.path.join(here, "uv.toml"), "uv.toml"))
                files.append((os.path.join(here, "pyproject.toml"), "pyproject"))
        home = env.get("HOME") or os.path.expanduser("~")
        user = env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
        files.append((os.path.join(user, "uv", "uv.toml"), "uv.toml"))
        for folder in env.get("XDG_CONFIG_DIRS", "/etc/xdg").split(os.pathsep):
            if folder:
                files.append((os.path.join(folder, "uv", "uv.toml"), "uv.toml"))
        files.append(("/etc/uv/uv.toml", "uv.toml"))
    for named in (env.get("UV_CONFIG_FILE"), request.uv_config_file):
        if named:
            files.append((os.path.join(cwd, os.path.expanduser(named)), "uv.toml"))
    return files


def add_sources(request: InstallRequest, env: Dict[str, str], cwd: str) -> None:
    seen = set()
    named_files = {
        os.path.join(cwd, os.path.expanduser(n))
        for n in (env.get("UV_CONFIG_FILE"), request.uv_config_file)
        if n
    }
    for path, kind in config_files(request, env, cwd):
        real = os.path.realpath(path)
        if real in seen:
            continue
        seen.add(real)
        if path not in named_files and not os.path.exists(path):
            continue
        if kind == "pyproject":
            _pyproject(request, path)
            continue
        doc = toml_files.load(request, path, f"uv config {path}")
        if doc is not None:
            toml_files.add_uv_settings(request, doc, f"uv config {path}")
    kept, unique = set(), []
    for source in request.sources:  # a project's indexes may be read twice: decide them once
        if (source.url, source.role) not in kept:
            kept.add((source.url, source.role))
            unique.append(source)
    request.sources[:] = unique
    # a project's [tool.uv] override/constraint dependencies too (project reader, uv config)
    written, requirements = set(), []
    for requirement in request.requirements:
        if requirement.text not in written:
            written.add(requirement.text)
            requirements.append(requirement)
    request.requirements[:] = requirements


def _pyproject(request: InstallRequest, path: str) -> None:
    from . import requirements

    try:
        text = requirements.read_regular_file(path)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        request.problems.append(f"cannot read {path}: {exc.__class__.__name__}")
        return
    if not _MENTIONS_UV.search(text):
        return  # no [tool.uv] table in any spelling (a quoted key with escapes counts)
    doc = toml_files.loads(request, text, path)
    if doc is not None:
        toml_files.add_uv_settings(request, toml_files.uv_table(doc), f"{path} [tool.uv]")
