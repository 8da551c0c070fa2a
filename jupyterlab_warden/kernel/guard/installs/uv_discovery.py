"""The Pythons uv finds on its own and RUNS to query them (``FILE -I -B -c CODE``), red team
29a R29a-1: a uv command given no Python file (none, or a version request such as ``-p 3.11``)
looks for one, as uv 0.13.9's discovery does (``uv-python`` ``discovery.rs``:
``python_executables``; the order checked against the binary):

1. ``UV_INTERNAL__PARENT_INTERPRETER`` (what ``python -m uv`` sets; any caller may);
2. for a project command (``uv run``, ``uv sync``...): the project's environment
   (``UV_PROJECT_ENVIRONMENT``, the ``.venv`` beside a pyproject.toml from the working folder
   up); for ``uvx``/``uv tool run|install|upgrade``: the installed tools' environments; these
   are queried whatever else is asked for;
3. unless the command takes a system Python only (``--system``, ``UV_SYSTEM_PYTHON``,
   ``uv venv``, ``uv tool``/``uvx``, ``uv python list``, ``uv init``): ``VIRTUAL_ENV``, then the
   nearest virtual environment from the working folder up (a folder holding ``pyvenv.cfg``, or
   a ``.venv`` in it); ``CONDA_PREFIX`` in every case (a base conda environment is a system
   one);
4. uv's managed installations (``UV_PYTHON_INSTALL_DIR``, else ``$XDG_DATA_HOME/uv/python``,
   else ``~/.local/share/uv/python``) and the folders of ``UV_PYTHON_SEARCH_PATH``, else
   ``PATH`` (``pythonX.Y`` for a version X.Y, ``python3``, ``python``; any ``python*`` for a
   request Warden cannot place), in the order the ``python-preference`` says (command line,
   environment, else uv's config files: red team 31 R31-7): ``managed`` (the default) the
   managed first, ``system`` PATH's first, ``only-managed`` / ``only-system`` those alone; an
   ``only-*`` preference also passes over a Python found elsewhere that is not of its kind
   (a ``.venv`` of a system Python under ``only-managed``). ``uv pip`` with a system Python
   asked for (``--system``, ``UV_SYSTEM_PYTHON``, a config's ``[pip] system``) searches PATH
   first whatever the preference (uv 0.13.9: "in search path or managed installations"), and
   runs a config's ``[pip] python`` as it runs ``--python``.

uv runs them in that order until one satisfies the request. Warden follows the same order and
stops where it KNOWS uv stops: at a Python it trusts (``uv_inputs.interpreter_file_problem``)
whose version it knows to satisfy the request (the kernel's own interpreters, whose version the
guard read at its start, or a machine program named ``pythonX.Y``). Any Python before that
point that it does not trust is refused, as an explicit ``--python FILE`` is.
"""

import os
import re
from typing import Dict, Iterator, List, Optional, Tuple

PARENT = "UV_INTERNAL__PARENT_INTERPRETER"
# commands whose discovery skips virtual environments (checked against uv 0.13.9: a planted
# .venv or VIRTUAL_ENV is not run by them; PATH's Pythons are)
_SYSTEM_ONLY = (("venv",), ("tool",), ("x",), ("python", "list"), ("python", "install"), ("init",))
# commands that use the project's environment (queried even when another Python is asked for)
_PROJECT = frozenset(("run", "sync", "lock", "add", "remove", "tree", "export", "version"))
# a version request Warden can place: [implementation[@]]X[.Y] (cpython and plain only)
_SIMPLE_VERSION = re.compile(r"^(?:python|cpython|cp)?@?(\d+)(?:\.(\d+))?$")
_CP_VERSION = re.compile(r"^cp(\d)(\d+)$")
# a PATH name uv may run for a request Warden cannot place
_ANY_PYTHON_NAME = re.compile(r"^(?:python|pypy|graalpy|pyodide)(?:\d+(?:\.\d+)?t?)?$")


def upward(cwd: str) -> Iterator[str]:
    """``cwd`` (made absolute) and each folder above it up to ``/``: where uv (and the files it
    discovers: ``.venv``, ``pyproject.toml``, ``.python-version``) looks from a working folder."""
    folder = os.path.abspath(cwd)
    while True:
        yield folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        folder = parent


class Discovery:
    """What a uv command line asks of discovery: its command words, its options, its
    environment and working folder."""

    def __init__(self, words: List[str], options: Dict[str, List[Optional[str]]], env, cwd):
        self.words, self.options, self.env, self.cwd = words, options, env, cwd
        # the python-preference this walk follows (``given_preferences``, else the config's)
        self.preference = "managed"
        # a config file may ask `uv pip` for a system Python ([pip] system = true): the
        # virtual environments are read (uv may not skip them) and do not end the search
        self.maybe_system = False

    def _flag(self, name: str) -> bool:
        return name in self.options

    def system_only(self) -> bool:
        """Whether uv certainly skips virtual environments: the commands that do, and
        ``uv pip`` with ``--system`` or ``UV_SYSTEM_PYTHON``."""
        if any(tuple(self.words[: len(c)]) == c for c in _SYSTEM_ONLY):
            return True
        return self.words[:1] == ["pip"] and self.system_asked()

    def system_asked(self) -> bool:
        """``--system`` or ``UV_SYSTEM_PYTHON`` on any command: where Warden does not know
        whether the command honours it (red team 30 R30-2: ``uv python find --system`` skips
        the venv uv would otherwise stop at), a virtual environment's Python does not end the
        search, and the system's Pythons after it are read too."""
        return self._flag("--system") or _boolish(self.env.get("UV_SYSTEM_PYTHON"))

    def given_preferences(self) -> List[str]:
        """The ``python-preference`` the command line or the environment sets, as uv 0.13.9
        takes it (``GlobalSettings``): ``--managed-python`` / ``UV_MANAGED_PYTHON`` is
        ``only-managed``, ``--no-managed-python`` / ``UV_NO_MANAGED_PYTHON`` ``only-system``
        (both boolish), else ``--python-preference``, else ``UV_PYTHON_PREFERENCE``; [] when
        none does (uv's config files decide: ``uv_config.python_preferences``). Both flags
        at once: both (Warden does not place which wins); a value uv does not know: ``?``."""
        managed = self._flag("--managed-python") or _boolish(self.env.get("UV_MANAGED_PYTHON"))
        system = self._flag("--no-managed-python") or _boolish(self.env.get("UV_NO_MANAGED_PYTHON"))
        if managed or system:
            return ["only-managed"] * managed + ["only-system"] * system
        given = (self.options.get("--python-preference") or [None])[-1]
        given = (given or self.env.get("UV_PYTHON_PREFERENCE", "")).strip()
        if not given:
            return []
        from .uv_config import PYTHON_PREFERENCES

        return [given if given in PYTHON_PREFERENCES else "?"]

    def _managed_root(self) -> str:
        return self._data_folder("UV_PYTHON_INSTALL_DIR", "python")

    def _allowed(self, path: str, where: str) -> bool:
        """Whether uv may stop at ``path`` (found at ``where``) under ``self.preference``
        (uv's ``satisfies_python_preference``): ``only-managed`` passes over a Python that is
        no managed installation's, ``only-system`` over one that is (its real file in uv's
        managed folder: a PATH link, a ``.venv`` made from one), except where uv was told the
        environment (``VIRTUAL_ENV``, the parent interpreter). A Python found among the managed
        ones is one (uv checks its source first)."""
        if self.preference not in ("only-managed", "only-system"):
            return True
        if where in ("VIRTUAL_ENV", PARENT):
            return True
        root = os.path.realpath(self._managed_root()).rstrip(os.sep) + os.sep
        managed = where.startswith(_MANAGED) or os.path.realpath(path).startswith(root)
        return managed if self.preference == "only-managed" else not managed

    def _place(self, value: str) -> str:
        return os.path.join(self.cwd, os.path.expanduser(value))

    def _environment_pythons(self, root: str, where: str) -> Iterator[Tuple[str, str]]:
        """The interpreter(s) of an environment at ``root`` that uv may run (``bin/python``,
        else ``bin/python3``; both, as either may be there)."""
        for name in ("python", "python3"):
            path = os.path.join(root, "bin", name)
            if os.path.lexists(path):
                yield path, where

    def _upward(self) -> Iterator[str]:
        return upward(self.cwd)

    def queried_environments(self) -> Iterator[Tuple[str, str]]:
        """Environments uv queries whatever Python it is asked for: a project command's (the
        ``.venv`` beside each pyproject.toml from the working folder up, a workspace's root
        being one of them, and UV_PROJECT_ENVIRONMENT) and ``uvx``'s / ``uv tool run``'s
        installed tools (whose environment uv reuses when its Python still fits)."""
        command = self.words[:1]
        if command and command[0] in _PROJECT and not self._flag("--no-project"):
            named = self.env.get("UV_PROJECT_ENVIRONMENT", "").strip()
            roots = [f for f in self._upward() if os.path.isfile(os.path.join(f, "pyproject.toml"))]
            for root in roots:
                if named:
                    place = os.path.join(root, os.path.expanduser(named))
                    yield from self._environment_pythons(place, "UV_PROJECT_ENVIRONMENT")
                venv = os.path.join(root, ".venv")
                yield from self._environment_pythons(venv, f"the project's environment {venv}")
            if named and not roots:
                yield from self._environment_pythons(self._place(named), "UV_PROJECT_ENVIRONMENT")
        if command == ["x"] or self.words[:2] in (
            ["tool", "run"],
            ["tool", "install"],
            ["tool", "upgrade"],
        ):
            tools = self._data_folder("UV_TOOL_DIR", "tools")
            try:
                names = sorted(os.listdir(tools))
            except OSError:
                names = []
            for name in names:
                place = os.path.join(tools, name)
                yield from self._environment_pythons(place, f"uv's installed tool {place}")

    def requires_python(self) -> bool:
        """Whether a project command's project asks for a Python version of its own
        (``requires-python``): uv may pass over Pythons Warden trusts for it."""
        if not self.words or self.words[0] not in _PROJECT or self._flag("--no-project"):
            return False
        for folder in self._upward():
            path = os.path.join(folder, "pyproject.toml")
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    if "requires-python" in handle.read(1 << 20):
                        return True
            except OSError:
                continue
        return False

    def _data_folder(self, variable: str, name: str) -> str:
        """uv's data folder ``name`` (``variable``, else ``$XDG_DATA_HOME/uv/NAME``, else
        ``~/.local/share/uv/NAME``)."""
        root = self.env.get(variable, "").strip()
        if not root:
            data = self.env.get("XDG_DATA_HOME", "").strip()
            home = self.env.get("HOME", "").strip() or os.path.expanduser("~")
            root = os.path.join(data or os.path.join(home, ".local/share"), "uv", name)
        return self._place(root)

    def virtual_environments(self) -> Iterator[Tuple[str, str]]:
        if not self.system_only():
            active = self.env.get("VIRTUAL_ENV", "").strip()
            if active:
                yield from self._environment_pythons(self._place(active), "VIRTUAL_ENV")
        conda = self.env.get("CONDA_PREFIX", "").strip()
        if conda:
            yield from self._environment_pythons(self._place(conda), "CONDA_PREFIX")
        if self.system_only():
            return
        for folder in self._upward():
            if os.path.isfile(os.path.join(folder, "pyvenv.cfg")):
                yield from self._environment_pythons(folder, f"the environment {folder}")
                return
            venv = os.path.join(folder, ".venv")
            if os.path.isdir(venv):
                yield from self._environment_pythons(venv, f"the environment {venv}")
                if os.path.isfile(os.path.join(venv, "pyvenv.cfg")):
                    return

    def managed(self) -> Iterator[Tuple[str, str]]:
        root = self._managed_root()
        try:
            entries = sorted(os.listdir(root), reverse=True)  # newest versions first
        except OSError:
            return
        for entry in entries:
            if entry.startswith("."):
                continue
            bin_folder = os.path.join(root, entry, "bin")
            try:
                names = sorted(os.listdir(bin_folder))
            except OSError:
                continue
            for name in names:
                if name.startswith("python"):
                    yield os.path.join(bin_folder, name), f"{_MANAGED} ({root})"

    def search_path(self, wanted: Optional[Tuple[int, ...]], placed: bool):
        where = "UV_PYTHON_SEARCH_PATH" if self.env.get("UV_PYTHON_SEARCH_PATH") else "PATH"
        path = self.env.get(where, "" if where == "PATH" else os.defpath)
        if where == "PATH" and "PATH" not in self.env:
            path = os.environ.get("PATH", os.defpath)
        seen = set()
        for folder in path.split(os.pathsep):
            folder = self._place(folder) if folder else self.cwd
            real = os.path.realpath(folder)
            if real in seen or not os.path.isdir(folder):
                continue
            seen.add(real)
            names = ["python3", "python"]
            if wanted and len(wanted) == 2:
                names.insert(0, f"python{wanted[0]}.{wanted[1]}")
            if not placed:  # a range, another implementation...: any Python name there
                try:
                    extra = sorted(n for n in os.listdir(folder) if _ANY_PYTHON_NAME.match(n))
                except OSError:
                    extra = []
                names += [n for n in extra if n not in names]
            for name in names:
                candidate = os.path.join(folder, name)
                if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                    yield candidate, where

    def candidates(self, request: str) -> Iterator[Tuple[str, str, bool]]:
        """``(file, where, stops)`` in uv's order: ``stops`` when uv stops at that file if it
        is a Python Warden trusts and knows satisfies ``request`` (project environments are
        queried whatever follows)."""
        parent = self.env.get(PARENT, "").strip()
        if parent:
            yield self._place(parent), PARENT, True
        stops = not (self.system_asked() or self.maybe_system)
        yield from ((p, w, stops and self._allowed(p, w)) for p, w in self.virtual_environments())
        wanted, placed = version_wanted(request)
        managed, search = self.managed(), self.search_path(wanted, placed)
        installed = {  # uv's `python_executables_from_installed`, checked against the binary
            "only-managed": [managed],
            "managed": [managed, search],
            "system": [search, managed],
            "only-system": [search],
        }[self.preference]
        for source in installed:
            yield from ((p, w, self._allowed(p, w)) for p, w in source)


_MANAGED = "uv's managed Pythons"


def _boolish(value: Optional[str]) -> bool:
    """clap's ``BoolishValueParser`` true values (uv's boolean environment variables)."""
    return (value or "").strip().lower() in ("1", "true", "yes", "on", "y", "t")


def version_wanted(request: str) -> Tuple[Optional[Tuple[int, ...]], bool]:
    """``(version, placed)``: the (major[, minor]) a version request asks for (None for any
    Python), and whether Warden can place it at all (a range, a patch release, another
    implementation or a free-threaded build is not placed: no Python stops the search)."""
    value = request.strip().lower()
    if value in ("", "any", "default"):
        return None, True
    found = _CP_VERSION.match(value) or _SIMPLE_VERSION.match(value)
    if not found:
        return None, False
    return tuple(int(g) for g in found.groups() if g is not None), True


def known_version(real: str) -> Optional[Tuple[int, int]]:
    """The (major, minor) of a trusted Python file, where Warden knows it without running it:
    the kernel's own interpreters (read as the guard installed) or a file named ``pythonX.Y``
    (a machine program's own name)."""
    from .own_python import OWN

    if real in OWN.interpreters():
        return OWN.version
    found = re.fullmatch(r"python(\d+)\.(\d+)", os.path.basename(real))
    return (int(found.group(1)), int(found.group(2))) if found else None


def satisfies(path: str, real: str, request: str, system_only: bool) -> bool:
    """Whether uv, having queried the trusted ``path``, stops there for ``request``."""
    root = os.path.dirname(os.path.dirname(path))
    if system_only and os.path.isfile(os.path.join(root, "pyvenv.cfg")):
        return False  # a virtual environment's Python: uv goes on to a system one
    wanted, placed = version_wanted(request)
    if not placed:
        return False
    if wanted is None:
        return True
    version = known_version(real)
    return version is not None and version[: len(wanted)] == wanted
