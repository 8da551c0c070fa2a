"""uv's own configuration files, whose index settings a uv install follows.

uv reads (its "Configuration files" documentation): the project's ``uv.toml`` or
``pyproject.toml`` ``[tool.uv]`` in the working directory or the nearest parent, the user's
``$XDG_CONFIG_HOME/uv/uv.toml`` (``~/.config/uv/uv.toml``), the system's
``$XDG_CONFIG_DIRS/uv/uv.toml`` (``/etc/xdg``) and ``/etc/uv/uv.toml``
(``user_and_system_files``); ``--config-file`` or ``UV_CONFIG_FILE`` names one more;
``--no-config`` / ``UV_NO_CONFIG`` stop the discovery.

Warden reads every such file from the working directory (and, for pipx's uv backend, from each
folder pipx runs uv in) up to the root (not only the nearest:
an index named anywhere is decided, so it need not know which file uv stops at). A
pyproject.toml is read only when it mentions ``uv`` at all (on Pythons without ``tomllib``
that keeps unrelated projects installable); any other file that exists must be read, or the
install is refused as unreadable.
"""

import os
import re
from typing import Dict, Iterator, List, Optional, Tuple

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
        files += [(path, "uv.toml") for path in user_and_system_files(env, cwd)]
    for named in _named_files(request, env, cwd):
        files.append((named, "uv.toml"))
    return files


def user_and_system_files(env: Dict[str, str], cwd: str) -> List[str]:
    """The user's and the system's uv.toml where uv (uv-settings ``user_config_dir``,
    ``system_config_file``) looks, from a process with ``env`` started in ``cwd``:

    * user: ``$XDG_CONFIG_HOME/uv/uv.toml`` only when that is an absolute path (etcetera's
      ``is_absolute_path``: a relative or empty one is ignored), else ``$HOME/.config/uv/uv.toml``
      with an empty or unset HOME taken from the password database, a relative one from
      ``cwd`` (red team 12 R12-10: Warden read the relative XDG folder, uv ``~/.config``);
    * system: each ``$XDG_CONFIG_DIRS`` entry, relative ones from ``cwd`` (uv takes the first
      that exists), then ``/etc/xdg/uv/uv.toml`` and ``/etc/uv/uv.toml``.

    Every candidate is returned, not only the one uv picks: an index named in any of them is
    decided, so Warden need not know which file exists first."""
    xdg = env.get("XDG_CONFIG_HOME", "")
    if os.path.isabs(xdg):
        user = xdg
    else:
        user = os.path.join(cwd, env.get("HOME") or _password_home(), ".config")
    files = [os.path.join(user, "uv", "uv.toml")]
    for folder in env.get("XDG_CONFIG_DIRS", "").split(os.pathsep):
        if folder:
            files.append(os.path.join(cwd, folder, "uv", "uv.toml"))
    return files + ["/etc/xdg/uv/uv.toml", "/etc/uv/uv.toml"]


def _password_home() -> str:
    """Where uv's ``home_dir`` (dirs-sys) looks when HOME is empty or unset: the user's entry
    in the password database, not this process's HOME."""
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_dir
    except (ImportError, KeyError, OSError):
        return os.path.expanduser("~")


def _named_files(request: InstallRequest, env: Dict[str, str], cwd: str) -> List[str]:
    """``UV_CONFIG_FILE`` and ``--config-file``, taken as uv takes them: a path from ``cwd``,
    no ``~`` expansion (R12-10: ``UV_CONFIG_FILE=~/c.toml`` is the file ``./~/c.toml`` to uv;
    a shell expands an unquoted ``~`` before uv, and the line reading does too)."""
    named = (env.get("UV_CONFIG_FILE"), request.uv_config_file)
    return [os.path.join(cwd, n) for n in named if n]


def settings_tables(
    request: InstallRequest, env: Dict[str, str], cwd: str, files=None
) -> Iterator[Tuple[str, dict, str]]:
    """``(origin, table, folder)``: the settings table (uv.toml's top level, a pyproject.toml's
    ``[tool.uv]``) of each config file in ``files`` (``config_files``'s by default) that
    exists, each read once. A file Warden cannot read or parse adds a problem to ``request``
    (fail closed) and yields nothing; a named file (``--config-file``, ``UV_CONFIG_FILE``) that
    does not exist is such a file."""
    seen = set()
    named_files = set(_named_files(request, env, cwd))
    for path, kind in config_files(request, env, cwd) if files is None else files:
        real = os.path.realpath(path)
        if real in seen:
            continue
        seen.add(real)
        if path not in named_files and not os.path.exists(path):
            continue
        if kind == "pyproject":
            table = _pyproject(request, path)
            if table is not None:
                yield f"{path} [tool.uv]", table, os.path.dirname(path)
            continue
        doc = toml_files.load(request, path, f"uv config {path}")
        if doc is not None:
            yield f"uv config {path}", doc, os.path.dirname(path)


def add_sources(request: InstallRequest, env: Dict[str, str], cwd: str) -> None:
    for origin, table, folder in settings_tables(request, env, cwd):
        toml_files.add_uv_settings(request, table, origin, folder)
    kept, unique = set(), []
    for source in request.sources:  # a project's indexes may be read twice: decide them once
        if (source.url, source.role, source.base) not in kept:
            kept.add((source.url, source.role, source.base))
            unique.append(source)
    request.sources[:] = unique
    # a project's [tool.uv] override/constraint dependencies too (project reader, uv config):
    # kept once per whole identity, never per text (R45a-1: a path spelled as a pin hid it)
    kept, requirements = set(), []
    for requirement in request.requirements:
        if requirement.identity() not in kept:
            kept.add(requirement.identity())
            requirements.append(requirement)
    request.requirements[:] = requirements


def _pyproject(request: InstallRequest, path: str) -> Optional[dict]:
    """The ``[tool.uv]`` table of the pyproject.toml ``path`` ({} when it has none), None when
    it mentions no uv at all or cannot be read (a problem on ``request`` then)."""
    from . import requirements

    try:
        text = requirements.read_regular_file(path)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        request.problems.append(f"cannot read {path}: {exc.__class__.__name__}")
        return None
    if not _MENTIONS_UV.search(text):
        return None  # no [tool.uv] table in any spelling (a quoted key with escapes counts)
    doc = toml_files.loads(request, text, path)
    return None if doc is None else toml_files.uv_table(doc)


# uv's `PythonPreference` values (uv-python `discovery.rs`), and its default
PYTHON_PREFERENCES = ("only-managed", "managed", "system", "only-system")
DEFAULT_PYTHON_PREFERENCE = "managed"


class DiscoverySettings:
    """What uv's config files may set that changes which Python uv's discovery runs (red team
    31 R31-7), for a command run with ``env`` in ``cwd`` when neither the command line nor the
    environment sets it (uv's precedence: command line, environment, config files):

    * ``preferences``: each ``python-preference`` uv may take (a uv.toml's ``"only-system"``
      makes uv skip its managed Pythons, ``"only-managed"`` PATH's);
    * ``pip_pythons``: ``(value, origin)`` of each ``[pip] python`` (the interpreter a ``uv
      pip`` command runs, checked against uv 0.13.9: ``uv pip list`` runs it);
    * ``pip_system``: whether a ``[pip] system = true`` may apply (``uv pip`` then skips
      virtual environments and searches PATH first, as with ``--system``).

    uv reads the ``--config-file`` (else ``UV_CONFIG_FILE``) alone when one is named (checked
    against uv 0.13.9: the discovered files are not read then), nothing under ``--no-config`` /
    ``UV_NO_CONFIG``, else the project's file (the nearest uv.toml or ``[tool.uv]``, from the
    working folder up or from the workspace root for a project command) before the user's
    before the system's. Which project file uv picks depends on its workspace discovery, so
    every one that may be picked counts (``config_files``), as the user's and the system's
    do; uv's default preference (``managed``) counts unless the named file or the user's
    uv.toml sets one (the project's may not). ``problem`` ('' when none): a file Warden cannot
    read, or a preference it does not know: what uv runs is then unknown, and its discovery
    is refused (fail closed)."""

    def __init__(self, request: InstallRequest, env: Dict[str, str], cwd: str):
        self.preferences: List[str] = []
        self.pip_pythons: List[Tuple[str, str]] = []
        self.pip_system = False
        self.problem = ""
        reading = InstallRequest("uv", "uv")
        reading.uv_no_config = request.uv_no_config
        reading.uv_config_file = request.uv_config_file
        reading.uv_config_dirs = list(request.uv_config_dirs)
        named = request.uv_config_file or env.get("UV_CONFIG_FILE")
        if named:
            files = [(os.path.join(cwd, named), "uv.toml")]
        else:
            files = config_files(reading, env, cwd)
        user = None if named else os.path.join(cwd, user_and_system_files(env, cwd)[0])
        default = True
        for origin, table, _ in settings_tables(reading, env, cwd, files):
            value = table.get("python-preference")
            if value is not None and (
                not isinstance(value, str) or value not in PYTHON_PREFERENCES
            ):
                reading.problems.append(
                    f"{origin}: python-preference {str(value)[:40]!r} is not one uv knows"
                )
            elif value is not None:
                self.preferences.append(value)
                if named or (user is not None and origin == f"uv config {user}"):
                    default = False  # the named file, or the user's: read by every command
            pip = table.get("pip") if isinstance(table.get("pip"), dict) else {}
            if isinstance(pip.get("python"), str):
                self.pip_pythons.append((pip["python"], f"{origin} [pip] python"))
            self.pip_system = self.pip_system or pip.get("system") is True
        if reading.problems:
            self.problem = (
                "uv takes the settings that choose the Python it runs (python-preference, "
                f"[pip] python and system) from its config files, and {reading.problems[0]}"
            )
        if default:
            self.preferences.append(DEFAULT_PYTHON_PREFERENCE)
        self.preferences = list(dict.fromkeys(self.preferences))
