"""What a Python that starts without Warden's guard runs, read before it starts (issue 20).

Such a child (``-I``/``-E``/``-S``, a PYTHONPATH without the guard's folder first, another
policy, or an interpreter that cannot host the guard) decides none of its own installs or
process starts, so the parent reads its code instead and refuses what it cannot read:

- ``hosts_guard``: whether an interpreter other than the kernel's can run the guard at all
  (Python >= 3.8 has ``sys.audit``; red team 10 R10-4).
- ``dynamic_code``: whether code (``-c``, a script, a module's file) runs code Warden cannot
  read: ``exec``/``eval``/``compile``/``__import__``, importlib, runpy, pickle, ``getattr``
  with a computed name, a process started with computed arguments... (R10-10), and any name
  reached through an import that is not on the allow list of schema/guardless-calls.json
  (R12-7: ``posix.system``, ``distutils.spawn``, another module's functions). Decided on the
  ``ast``; text that does not parse is unreadable.
- ``module_files``: the files ``python -m MOD`` runs, found as that Python would find them
  (R10-5); a standard-library module passes unless it runs code named in its arguments or
  starts a program its environment names (R14-29: ``-m webbrowser`` runs $BROWSER).

- ``imported_tops``, ``may_write``, ``importable_entries``, ``loaded_at_start``: what
  ``commands._LocalImports`` needs to refuse a module the code may write before it imports it,
  or an unread file beside the script that an installed package may import (red team 14
  R14-1, R14-4, R14-8).

Each returns a reason ('' when the child may start); ``commands`` turns it into ``Unreadable``.
"""

import ast
import os
import re
import sys
from typing import Dict, FrozenSet, List, NamedTuple, Optional, Set, Tuple

from ..boot_sys import BOOT_SYS  # sys as at the boot (red team 49a)
from . import cached_code, startup_modules

_VERSIONED = re.compile(r"^python(\d+)(?:\.(\d+))?[dmu]?$")
_CFG_HOME = re.compile(r"^\s*home\s*=\s*(.+?)\s*$", re.MULTILINE)
_CFG_VERSION = re.compile(r"^\s*(version|version_info)\s*=\s*(\d+)\.(\d+)", re.MULTILINE)


def _kernel_interpreters() -> Set[str]:
    from .own_python import OWN  # as the guard installed: a cell may assign sys.prefix

    found = {OWN.executable}
    for name in ("python", "python3", f"python3.{OWN.version[1]}"):
        found.add(os.path.realpath(os.path.join(OWN.prefix, "bin", name)))
    return found


def hosts_guard(path: Optional[str], env: Dict[str, str]) -> bool:
    """Whether the interpreter at ``path`` (found on PATH; None when it was not) can host the
    guard: the kernel's own (same file or same venv), or a Python Warden knows is one
    (``_known_python``) whose version it reads as 3.8 or later from its real file's name
    (``python3.11``) or its venv's ``pyvenv.cfg``; or a pyenv shim, by the version pyenv
    picks. An interpreter Warden cannot place counts as one that cannot, and so does a
    program that is a Python by its name alone (fix67pyname: a copy of /usr/bin/env named
    ``python3.11`` runs ``-i PY -m pip install`` with an empty environment): it is read as a
    guardless Python, its code read and its installs refused."""
    if not path:
        return False
    real = os.path.realpath(path)
    kernel = _kernel_interpreters()
    if real in kernel:
        return True
    named = [_name_version(os.path.basename(p)) for p in (path, real)]
    if any(v is not None and v < (3, 8) for v in named):
        return False  # `python2`, a `python3.7` (a pyenv shim by that name too)
    shim = pyenv_names(real, env) is not None
    if not shim and not _known_python(path, real, kernel):
        return False
    versions = [named[1] or _venv_version(path)]
    if versions == [None]:
        versions = _pyenv_versions(real, env)
    return bool(versions) and all(v is not None and v >= (3, 8) for v in versions)


def _known_python(path: str, real: str, kernel: Set[str]) -> bool:
    """Whether the program at ``path`` is a Python by its file, not its name
    (``commands._known_as``, the rule shells, env and wrappers have): the machine's, or the
    same file as or a byte-identical copy of the kernel's interpreter (``kernel``: its files),
    the machine's program of its name, or its venv's ``home`` Python (``python -m venv
    --copies``). A user's own installation (a conda or uv-managed Python the kernel does not
    run) is none: Warden cannot tell it from any other file so named."""
    from . import commands

    home = _venv_home(path)
    names = dict.fromkeys(os.path.basename(p) for p in (path, real))
    homes = tuple(os.path.join(home, n) for n in names) if home else ()
    return commands._known_as(path, os.path.basename(real), tuple(sorted(kernel)), homes)


def _venv_home(path: str) -> str:
    """The ``home`` folder the ``pyvenv.cfg`` above a program names ('' none)."""
    cfg = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(path))), "pyvenv.cfg")
    try:
        with open(cfg, encoding="utf-8") as fh:
            match = _CFG_HOME.search(fh.read(65536))
    except (OSError, UnicodeDecodeError):
        return ""
    return match.group(1).strip() if match and os.path.isabs(match.group(1).strip()) else ""


def _name_version(name: str) -> Optional[Tuple[int, int]]:
    """The version a program's name says: ``python3.11`` (3, 11), ``python2`` (2, 0);
    ``python3`` and ``python`` say none."""
    match = _VERSIONED.match(name)
    if match is None or (match.group(2) is None and match.group(1) != "2"):
        return None
    return int(match.group(1)), int(match.group(2) or 0)


def _venv_version(path: str) -> Optional[Tuple[int, int]]:
    cfg = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(path))), "pyvenv.cfg")
    try:
        with open(cfg, encoding="utf-8") as fh:
            match = _CFG_VERSION.search(fh.read(65536))
    except (OSError, UnicodeDecodeError):
        return None
    return (int(match.group(2)), int(match.group(3))) if match else None


def _pyenv_versions(shim: str, env: Dict[str, str]) -> List[Optional[Tuple[int, int]]]:
    """The versions a pyenv shim may run, as pyenv picks them (PYENV_VERSION, a
    ``.python-version`` up from the working folder, ``$PYENV_ROOT/version``); [] when ``shim``
    is no pyenv shim. A name Warden does not read as X.Y (``system``, a conda env) is None."""
    chosen = pyenv_names(shim, env)
    if chosen is None:
        return []
    versions = []
    for name in chosen[1]:
        match = re.match(r"^(\d+)\.(\d+)", name)
        versions.append((int(match.group(1)), int(match.group(2))) if match else None)
    return versions or [None]


def pyenv_names(shim: str, env: Dict[str, str]) -> Optional[Tuple[str, List[str]]]:
    """(PYENV_ROOT, the version names a pyenv shim may run) as ``_pyenv_versions`` reads
    them; None when ``shim`` is no pyenv shim."""
    try:
        with open(shim, "rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
    except OSError:
        return None
    root = re.search(r'^export PYENV_ROOT="([^"]+)"$', head, re.MULTILINE)
    if root is None or 'pyenv" exec' not in head:
        return None
    chosen = env.get("PYENV_VERSION", os.environ.get("PYENV_VERSION"))
    names = [chosen] if chosen is not None else _local_versions(env)
    default = _first_line(os.path.join(root.group(1), "version")) or "system"
    found: List[str] = []
    for chosen in [default if n is None else n for n in names]:
        found += [n for n in re.split(r"[:\s]+", chosen.strip()) if n]
    return root.group(1), found


def _local_versions(env: Dict[str, str]) -> List[Optional[str]]:
    """The ``.python-version`` each walk pyenv may make picks (None for a walk that finds
    none: the global version), the walks of ``local_walks``."""
    found = []
    for chain in local_walks(env):
        hits = (_first_line(os.path.join(f, ".python-version")) for f in chain)
        found.append(next((h for h in hits if h is not None), None))
    return found


def local_walks(env: Dict[str, str]) -> List[List[str]]:
    """The folders each walk pyenv may make for a ``.python-version`` reads, nearest first.
    pyenv walks up ``$PYENV_DIR`` and the shell's ``$PWD``: a logical path, or the physical
    one when the inherited PWD does not name the folder (``Popen(cwd="link")``), so both
    chains are read from each (red team 11 R11-2). After a ``cd`` Warden cannot follow (``cd
    ~/proj && python train.py``) it reads from this process's folder, as before: refusing
    there refused ordinary lines, and a Python older than 3.8 that pyenv picks elsewhere
    stops at the guard's boot (R11-14)."""
    from . import commands, folders

    start = commands.current_folder()
    starts = [start or os.curdir]
    pyenv_dir = env.get("PYENV_DIR", os.environ.get("PYENV_DIR"))
    if pyenv_dir:
        starts.append(os.path.join(start or "", pyenv_dir))
    return [chain for folder in starts for chain in folders.chains(folder)]


def _first_line(path: str) -> Optional[str]:
    try:
        with open(path, encoding="utf-8") as fh:
            return " ".join(line.strip() for line in fh.read(4096).splitlines() if line.strip())
    except (OSError, UnicodeDecodeError):
        return None


# -- code Warden cannot read ---------------------------------------------------------------

# calls that run code given as data (builtins, and the constructors of code and functions)
_CODE_RUNNERS = frozenset(
    ("exec", "eval", "compile", "__import__", "breakpoint", "execfile", "types.CodeType",
     "types.FunctionType", "types.LambdaType", "help")
)  # fmt: skip
# modules whose use runs code given as data (a string, a pickle, a module name, bytes for
# ctypes): their import is enough. multiprocessing: a spawned child runs what its parent
# pickled to it (`set_executable(python3.7)` then `Process(target=pip_main, args=...)`).
_CODE_MODULES = frozenset((
    "importlib", "runpy", "pickle", "_pickle", "marshal", "ctypes", "_ctypes", "cffi", "code",
    "multiprocessing",
    "codeop", "builtins", "__builtin__", "pdb", "bdb", "zipimport", "pkgutil", "dill",
    "cloudpickle", "joblib", "gc", "imp", "shelve", "timeit", "cProfile", "profile", "trace",
    "pydoc",
))  # fmt: skip
# standard-library modules that start a program named by the ENVIRONMENT (red team 14 R14-29),
# found by grepping the standard library (3.11) for os.environ reaching os.system, os.popen or
# subprocess: webbrowser (BROWSER, each entry a command line, `%s` the URL; else browsers on
# PATH), antigravity (imports webbrowser and opens a page at IMPORT), mailcap (MAILCAPS names the
# files whose `test=` commands findmatch runs with os.system), pydoc (MANPAGER/PAGER through
# its pager, also behind the builtin help(): _CODE_MODULES, _CODE_RUNNERS). -I clears none of
# them. Programs found on PATH by platform (uname -p, file), uuid (ip, ifconfig, arp...),
# ctypes.util (gcc, ld, ldconfig, objdump) are refused as calls (not on the allow list) and as
# `-m` (_STDLIB_STARTERS). ipykernel sets PAGER=cat in every kernel, so refusing on the
# variables would refuse every guardless Python (and code may set them itself, os.environ):
# their modules are refused, import alone, whatever the environment holds.
_COMMAND_MODULES = frozenset(("webbrowser", "antigravity", "mailcap"))
# standard modules that run their package's command line when imported, not only as -m's
# __main__: IDLE's launcher (its sys.argv: `-c CODE -r FILE`), the regression tests' runner
_MAIN_AT_IMPORT = {"idlelib.idle": "idlelib", "test.autotest": "test"}


def _runs_command_line(dotted: str) -> str:
    """The package whose command line importing ``dotted`` runs ('' when none): a
    ``__main__`` module below a package (``import unittest.__main__``, ``from unittest import
    __main__``, ``from . import __main__``), which runs what ``python -m PACKAGE`` runs with
    the code's own sys.argv (red team 38b R38b-6: unittest's discovery imported the working
    folder's test_*.py, unread, under -I), or one of ``_MAIN_AT_IMPORT``. ``import __main__``
    is the running program's own module: nothing runs."""
    parts = dotted.split(".")
    if "__main__" in parts[1:]:
        return ".".join(parts[: parts.index("__main__", 1)]) or "."
    return _MAIN_AT_IMPORT.get(dotted, "")


# what starts a process (the child's own is not gated: it starts without the guard)
_PROCESS_STARTERS = ("os.system", "os.popen", "os.exec", "os.spawn", "os.posix_spawn",
                     "os.fork", "subprocess.", "pty.spawn", "asyncio.create_subprocess",
                     "platform.popen", "commands.")  # fmt: skip


class _Calls(NamedTuple):
    """schema/guardless-calls.json, as the reading uses it."""

    inert: Tuple[str, ...]
    not_inert: Tuple[str, ...]
    aliases: Dict[str, str]
    modules: Dict[str, Dict[str, str]]  # module -> {attribute: the module it holds}
    value_attributes: FrozenSet[str]
    writes: "_Writes"
    import_variables: Tuple[str, ...]
    run_modules: Dict[str, List[str]]  # module -> options refused on its command line
    loaded_at_start: FrozenSet[str]
    loaded_by_site: FrozenSet[str]


class _Writes(NamedTuple):
    """The table's allow list of what writes no file (red team 17 R17-1), as ``may_write``
    uses it."""

    modules: Tuple[str, ...]  # a module (or name) and the public names under it
    writes: Tuple[str, ...]  # names under those that do write
    callables: FrozenSet[str]  # exact names; an attribute under one is judged as a method
    opens: Dict[str, int]  # calls that open a file: the position of their mode argument
    builtins: FrozenSet[str]
    methods: FrozenSet[str]
    two_arguments: FrozenSet[str]  # write nothing only given two or more (str.replace)
    no_arguments: FrozenSet[str]  # write nothing only given none (dict.copy, not Path.copy)
    callers: Tuple[str, ...]  # calls that call what they are given (map, functools.partial)


def _calls_table() -> _Calls:
    """schema/guardless-calls.json: what guardless code may call through its imports (red
    team 12 R12-7: a list of starters missed ``posix.system``, ``distutils.spawn.spawn``,
    Python 2's ``popen2``, ``_posixsubprocess``...; Warden now allows what it knows starts no
    process and refuses the rest). Shared with the static side (src/deps/guardless.ts)."""
    global _CALLS
    if _CALLS is None:
        from ...contracts import load_contract

        table = load_contract("guardless-calls.json")
        _CALLS = _Calls(
            tuple(table["inert"]),
            tuple(table["not_inert"]),
            dict(table["aliases"]),
            {k: dict(v) for k, v in table["modules"].items()},
            frozenset(table["value_attributes"]),
            _Writes(
                tuple(table["no_write_modules"]),
                tuple(table["writes"]),
                frozenset(table["no_write_callables"]),
                dict(table["opens"]),
                frozenset(table["no_write_builtins"]),
                frozenset(table["no_write_methods"]),
                frozenset(table["methods_two_arguments"]),
                frozenset(table["methods_no_arguments"]),
                tuple(table["calls_its_arguments"]),
            ),
            tuple(table["import_variables"]),
            {k: list(v) for k, v in table["run_modules"].items()},
            frozenset(table["loaded_at_start"]),
            frozenset(table["loaded_by_site"]),
        )
    return _CALLS


_CALLS: Optional[_Calls] = None
_DATA_DUNDERS = frozenset(("__version__", "__file__", "__name__", "__doc__", "__all__"))
# a name through an import that Warden does not know to start no process: an installed
# module's code, which the reading does not follow (a local module's own names are read with
# it: ``dynamic_code``'s ``local``)
_UNKNOWN_WHY = (
    ", which Warden does not know to start no process (a guardless Python may use the "
    "standard library's plain modules and what its own local modules define)"
)
_UNKNOWN = "it uses {}" + _UNKNOWN_WHY


def unknown_use(why: str) -> bool:
    """Whether ``dynamic_code``'s reason is a name through an import it does not know (which
    a local module's reading may answer), not another way to run unread code."""
    return why.endswith(_UNKNOWN_WHY)


def _listed(name: str, entries, public: bool = False) -> bool:
    """Whether ``name`` is an entry or a name under one. ``public`` (the inert entries, red
    team 13 R13-3): a name under an entry only when every part below it is public, so the
    entry ``shutil`` covers ``shutil.copy`` but not ``shutil._os`` or ``typing._eval_type``
    (the module's own private code, or another module it holds)."""
    for entry in entries:
        if entry.endswith("*"):
            if name.startswith(entry[:-1]):
                return True
        elif name == entry:
            return True
        elif name.startswith(entry + "."):
            below = name[len(entry) + 1 :].split(".")
            if not public or not any(_private(part) for part in below):
                return True
    return False


def _private(part: str) -> bool:
    return part.startswith("_") and part not in _PLAIN_DUNDERS and part not in _DATA_DUNDERS


def _inert(name: str) -> bool:
    """Whether a name reached through an import starts no process, whatever its arguments."""
    calls = _calls_table()
    return _listed(name, calls.inert, public=True) and not _listed(name, calls.not_inert)


def resolve(name: str) -> str:
    """``name`` with every attribute that holds a module read as that module (R13-3):
    ``shutil.os.system`` -> ``os.system``, ``typing.sys.modules`` -> ``sys.modules``,
    ``os.path.os.path`` -> ``os.path``; the longest known module a name starts with first."""
    modules = _calls_table().modules
    parts = name.split(".")
    for _ in range(len(parts) * 4):  # each rewrite ends at a table entry; bounded anyway
        for depth in range(len(parts) - 1, 0, -1):
            held = modules.get(".".join(parts[:depth]), {}).get(parts[depth])
            if held is not None:
                parts = held.split(".") + parts[depth + 1 :]
                break
        else:
            break
    return ".".join(parts)


def is_module(name: str) -> bool:
    """Whether a resolved name is a module the table knows (``shutil``, ``os.path``)."""
    return name in _calls_table().modules


# the standard library's modules: a local file of the same name may not be what runs (built
# in, or loaded at start-up), or may stand in for it (_SHADOWABLE: the rest)
# (as at the boot: this module loads after the cell's code may have assigned sys's, R49a-3)
_STDLIB_NAMES = frozenset(BOOT_SYS.builtin_module_names) | frozenset(
    getattr(BOOT_SYS, "stdlib_module_names", ())
)
_SHADOWABLE = _STDLIB_NAMES - frozenset(BOOT_SYS.builtin_module_names)
# getattr and friends read a name; computed, it may be anything (`getattr(os, 'sys'+'tem')`)
# builtins that return a namespace as a dict (R13-4); `vars(x)` too: vars(type(x)) holds
# x's methods, read by a computed key
_NAMESPACE_READERS = frozenset(("globals", "locals", "vars", "dir"))
# the words of a string that name a dunder (`"0.__globals__"`, not a `"____"` rule line) or
# a frame, traceback, generator or coroutine attribute of the table's value_attributes (the
# way to a frame's globals and builtins: sys.exc_info()[2].tb_frame.f_builtins)
_STRING_DUNDER = re.compile(r"__[A-Za-z0-9]\w*?__")
_STRING_WORD = re.compile(r"\b(?:f|tb|gi|cr|ag)_[a-z]+\b")
_NAME_READERS = frozenset(("getattr", "setattr", "delattr", "hasattr"))
# dunder attributes ordinary code uses; any other (__builtins__, __globals__, __subclasses__,
# __dict__, __code__ ...) reaches objects the reading cannot follow
_PLAIN_DUNDERS = frozenset((
    "__name__", "__file__", "__doc__", "__version__", "__all__", "__init__", "__main__",
    "__enter__", "__exit__", "__qualname__", "__module__", "__class__", "__len__", "__str__",
    "__repr__", "__pycache__",
))  # fmt: skip


def dynamic_code(
    text: str, label: str = "<code>", local: Optional[Dict[str, FrozenSet[str]]] = None
) -> str:
    """Why ``text`` runs code Warden cannot read ('' when it does not). ``local``: the local
    modules it imports whose code Warden reads by these same rules (``local_modules``), by the
    dotted name the code reaches each through, with the names each defines itself
    (``defined_names``): a use of one of those names is code Warden read, not a call into a
    module it does not know (``!PYTHONPATH=src python train.py`` with its own helpers)."""
    try:
        tree = ast.parse(text, label)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "its code does not parse"
    return _DynamicReader(local).read(tree)


class _DynamicReader(ast.NodeVisitor):
    """One pass over a module: imports are followed as names (``import os as o``, ``from os
    import system as s``) so a call is judged by the dotted name it resolves to."""

    def __init__(self, local: Optional[Dict[str, FrozenSet[str]]] = None):
        self.names: Dict[str, str] = {}  # local name -> the dotted name it was imported as
        self.found = ""
        self.local = local or {}

    def read(self, tree: ast.AST) -> str:
        # imports first: a name's meaning does not depend on where in the file it is used
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                self._import(node)
        if not self.found:
            self.visit(tree)
        if not self.found:
            self._environ_imports(tree)
        return self.found

    def _environ_imports(self, tree: ast.AST) -> None:
        """R17-2: code that sets a variable naming a module the standard library then imports
        (``os.environ['_PYTHON_SYSCONFIGDATA_NAME'] = 'x'`` before ``sysconfig.get_paths()``),
        or changes os.environ by keys Warden cannot read."""
        parents = {c: n for n in ast.walk(tree) for c in ast.iter_child_nodes(n)}
        named = _calls_table().import_variables
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Name, ast.Attribute)):
                continue
            if self._dotted(node) != "os.environ" or not _changes_environ(node, parents.get(node)):
                continue
            if self._read_whole(node, parents.get(node)):
                continue  # dict(os.environ), `for k in os.environ`
            keys = _environ_keys(node, parents)
            if keys is None:
                self._flag("it changes os.environ by keys Warden cannot read")
            elif set(keys) & set(named):
                self._flag(
                    f"it sets {sorted(set(keys) & set(named))[0]}, which names a module "
                    "the standard library imports"
                )

    def _read_whole(self, node, parent) -> bool:
        """Whether a value is only read here: iterated, or given to a builtin that writes nothing
        (``dict(os.environ)``, ``sorted(os.environ)``)."""
        if isinstance(parent, (ast.For, ast.comprehension)) and parent.iter is node:
            return True
        if isinstance(parent, ast.Call) and node in parent.args:
            func = parent.func
            builtins = _calls_table().writes.builtins
            return isinstance(func, ast.Name) and func.id in builtins and func.id not in self.names
        return False

    def _flag(self, why: str) -> None:
        self.found = self.found or why

    def _import(self, node) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                self._module(alias.name)
                local = alias.asname or alias.name.split(".")[0]
                self.names[local] = alias.name if alias.asname else local
            return
        module = "." * node.level + (node.module or "")
        self._module(module.lstrip(".") if not node.level else module)
        for alias in node.names:
            if alias.name == "*" and not _inert(self._canonical(module)):
                self._flag(f"it imports every name of {module}")  # `system(x)` unresolved
            self.names[alias.asname or alias.name] = f"{module}.{alias.name}"
            self._module(f"{module}.{alias.name}")

    def _module(self, dotted: str) -> None:
        command_line = _runs_command_line(dotted)
        if command_line.startswith("."):
            self._flag(
                f"it imports {dotted.lstrip('.')} relatively, a package's __main__, which runs "
                "that package's command line: run it as `python -m PACKAGE` (read as such)"
            )
        elif command_line:
            self._flag(
                f"it imports {dotted}, which runs {command_line}'s command line as `python -m "
                f"{command_line}` does: run `python -m {command_line}` (read as such) instead"
            )
        elif dotted.split(".")[0] in _CODE_MODULES:
            self._flag(f"it uses {dotted}, which runs code Warden does not read")
        elif dotted.split(".")[0] in _COMMAND_MODULES:
            self._flag(f"it imports {dotted}, which starts a program its environment names")

    def _dotted(self, node) -> str:
        """The dotted name an expression stands for ('' when it is not a plain name chain),
        ``posix.X`` read as ``os.X`` (the same functions)."""
        return self._canonical(self._chain(node))

    def _chain(self, node) -> str:
        if isinstance(node, ast.Name):
            return self.names.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self._chain(node.value)
            return f"{base}.{node.attr}" if base else ""
        return ""

    @staticmethod
    def _canonical(name: str) -> str:
        root, dot, rest = name.partition(".")
        alias = _calls_table().aliases.get(root)
        return resolve(f"{alias}{dot}{rest}" if alias else name)

    def _imported(self, node) -> bool:
        """Whether a name chain starts at a name an import bound (``os``, ``from x import y``)."""
        while isinstance(node, ast.Attribute):
            node = node.value
        return isinstance(node, ast.Name) and node.id in self.names

    def _unknown(self, node, name: str) -> bool:
        """A name reached through an import that is neither a start Warden reads nor known to
        start no process (``_inert``): refused, called or passed around (R12-7)."""
        if not name or name.rpartition(".")[2] in _DATA_DUNDERS:
            return False  # `np.__version__`: data, not code
        return self._imported(node) and not _inert(name) and not self._read_locally(name)

    def _read_locally(self, name: str) -> bool:
        """Whether ``name`` is a name a local module Warden reads defines itself
        (``helpers.prepare``), through the longest local module it starts with. The module
        itself (``f = helpers``) or a name its imports bind (``helpers.os.system``) is not:
        that leads to code Warden did not read with it."""
        module = max((k for k in self.local if name.startswith(k + ".")), key=len, default="")
        if not module or module.lstrip(".").split(".")[0] in _STDLIB_NAMES:
            return False  # a local `os.py` may not be what runs: the preloaded one is
        return name[len(module) + 1 :].split(".")[0] in self.local[module]

    def visit_Call(self, node: ast.Call) -> None:
        name = self._dotted(node.func)
        if name in _CODE_RUNNERS:
            self._flag(f"it calls {name}")
        elif name in _NAME_READERS and not _literal(node.args[1:2]):
            self._flag(f"it calls {name} with a computed name")
        elif name in _NAME_READERS and node.args[1:2] and not self._imported(node.args[0]):
            # `getattr(x, "get_loop")` is `x.get_loop` (R13-4)
            attr = _value(node.args[1])
            if isinstance(attr, str):
                self._dunder(attr)
                self._value_attribute(attr)
        elif name.startswith(_PROCESS_STARTERS):
            if not _literal(node.args, node.keywords):
                self._flag(f"it starts a process ({name}) with computed arguments")
        elif self._unknown(node.func, name):
            self._flag(_UNKNOWN.format(name))
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        name = self._canonical(self.names.get(node.id, node.id))
        self._dunder(node.id)
        if node.id in _NAMESPACE_READERS and node.id not in self.names:
            # globals()["__builtins__"], vars(type(x))["sys" + "tem"]: a namespace read by
            # keys is a getattr by computed names (red team 13 R13-4)
            self._flag(f"it reads a namespace ({node.id})")
        passed = name in _CODE_RUNNERS or name in _NAME_READERS
        passed = passed or name.startswith(_PROCESS_STARTERS)
        if not getattr(node, "_called", False):
            # a reference that is not called right here: `f = exec; f(x)`, `run(os.system)`,
            # `getattr(os, "system")`, `t = subprocess`
            if passed:
                self._flag(f"it passes {name} around")
            elif isinstance(node.ctx, ast.Load) and self._unknown(node, name):
                self._flag(_UNKNOWN.format(name))
            elif isinstance(node.ctx, ast.Load) and self._module_value(node, name):
                self._flag(f"it passes the module {name} around")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self._dunder(node.attr)
        name = self._dotted(node)
        imported = self._imported(node)
        if name and imported and _listed(name, _calls_table().not_inert):
            self._flag(f"it uses {name}")  # sys.modules["os"].system(...)
        if not imported and not isinstance(node.ctx, ast.Store):
            self._value_attribute(node.attr)
        if not getattr(node, "_called", False) and not isinstance(node.ctx, ast.Store):
            if name.startswith(_PROCESS_STARTERS):
                self._flag(f"it passes {name} around")
            elif self._unknown(node, name):
                self._flag(_UNKNOWN.format(name))
            elif self._module_value(node, name):
                self._flag(f"it passes the module {name} around")
        self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant):
            return  # a docstring: text, never a value
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        # getattr(g, "__import__"), d["__builtins__"], Formatter().get_field("0.__globals__"):
        # a string that names what an attribute may not (R13-4)
        if isinstance(node.value, str):
            for word in _STRING_DUNDER.findall(node.value):
                self._dunder(word)
            for word in _STRING_WORD.findall(node.value):
                if word in _calls_table().value_attributes:
                    self._flag(f"it names {word}")

    def _dunder(self, name: str) -> None:
        if name.startswith("__") and name.endswith("__") and name not in _PLAIN_DUNDERS:
            self._flag(f"it reaches {name}")

    def _value_attribute(self, attr: str) -> None:
        """An attribute of a value whose type Warden cannot tell (what a call returned, a
        local variable): refused when its name is one the table denies (R13-4: an event
        loop's subprocess_shell, a module's system, a frame's f_globals)."""
        if attr in _calls_table().value_attributes:
            self._flag(f"it uses .{attr} of a value Warden cannot tell the type of")

    def _module_value(self, node, name: str) -> bool:
        """A module reached through an import, used as a value (``t = shutil``,
        ``[typing][0]``): its attributes would then be read as a value's (R13-3)."""
        return bool(name) and self._imported(node) and is_module(name)

    def generic_visit(self, node):
        if isinstance(node, ast.Call):
            node.func._called = True  # type: ignore[attr-defined]
            if isinstance(node.func, ast.Attribute):
                _mark_bases(node.func.value)
        elif isinstance(node, ast.Attribute):
            _mark_bases(node.value)
        super().generic_visit(node)


def _mark_bases(node) -> None:
    """``os.system(...)``: the ``os`` in it is read as part of the call, not passed around."""
    while isinstance(node, ast.Attribute):
        node._called = True  # type: ignore[attr-defined]
        node = node.value
    if isinstance(node, ast.Name):
        node._called = True  # type: ignore[attr-defined]


def _literal(args, keywords=()) -> bool:
    values = list(args) + [k.value for k in keywords]
    if any(k.arg is None for k in keywords):
        return False  # **kwargs
    try:
        for value in values:
            ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
        return False
    return True


# -- pip's own build subprocesses -----------------------------------------------------------

# pip builds a source tree by running pyproject_hooks' hook runner in a child whose PYTHONPATH
# is its build environment (so without the guard); that child runs the build backend on the
# project pip was asked to install, which the install gate decided before pip started.
_HOOK_RUNNERS = (
    os.path.join("pip", "_vendor", "pyproject_hooks", "_in_process", "_in_process.py"),
    os.path.join("pyproject_hooks", "_in_process", "_in_process.py"),
)


def build_hook_runner(script: Optional[str]) -> bool:
    """Whether ``script`` is an installed pip's (or pyproject_hooks') build-hook runner: the
    file itself, in one of the kernel's site folders (never the working folder's copy)."""
    if not script:
        return False
    real = os.path.realpath(script)
    for folder in _site_folders():
        for runner in _HOOK_RUNNERS:
            if real == os.path.realpath(os.path.join(folder, runner)):
                return True
    return False


def _site_folders() -> List[str]:
    """The kernel's site folders as the guard installed (red team 28c R28c-1: a cell's
    ``sys.path.append('x/site-packages')`` or a patched ``sysconfig.get_paths`` made its own
    copy of the runner "installed")."""
    from .own_python import OWN

    found = {*OWN.site_packages, *OWN.path_site_folders}
    return sorted(f for f in found if f)


# -- python -m MOD ---------------------------------------------------------------------------

# standard-library modules whose `python -m` command line starts a program named by the
# environment or found on PATH (R14-29; the list at _COMMAND_MODULES): `python -I -m webbrowser
# URL` runs $BROWSER, `-m platform` runs uname, `-m ctypes.util` gcc and ldconfig, `-m mailcap`
# the MAILCAPS files' tests. Only the reason told: the decision is run_modules' allow list.
_STDLIB_STARTERS = frozenset(("webbrowser", "antigravity", "mailcap", "platform", "uuid",
                              "ctypes"))  # fmt: skip


def import_variable(env: Dict[str, str], inherited) -> str:
    """The first variable of a guardless start's environment (``env``, then what it inherits,
    ``inherited(name)``) that names a module the standard library imports from the child's
    path ('' for none): red team 17 R17-2, sysconfig imports ``_PYTHON_SYSCONFIGDATA_NAME``'s
    module for any config query (``get_paths``, ``python -m venv``), even under -I; xml.sax
    PY_SAX_PARSER's. A module by that name is found wherever the path leads, unread."""
    for name in _calls_table().import_variables:
        if env.get(name, inherited(name)):
            return name
    return ""


def run_module_problem(module: str, args: List[str]) -> str:
    """Why ``python -m module args`` (a standard-library module) may run what Warden did not
    read ('' when it runs nothing named in its arguments): an allow list, schema/guardless-
    calls.json's ``run_modules`` (red team 17 R17-7: a deny list of runners missed ``-m smtpd
    -c MOD.CLASS``, which imports MOD). An option the table refuses counts by any prefix of it
    (argparse takes a unique prefix: ``--cg`` is ``--cgi``)."""
    table = _calls_table().run_modules
    if module.split(".")[0] in _STDLIB_STARTERS:
        return f"python -m {module} starts a program its environment or PATH names"
    if module not in table:
        return (
            f"python -m {module} is a standard-library module whose command line Warden does not "
            "know to run nothing named in its arguments (it may import or run what they name)"
        )
    for word in args:
        if word == "--":
            break
        option = word.split("=", 1)[0]
        refused = [o for o in table[module] if len(option) > 2 and o.startswith(option)]
        if refused:
            return f"python -m {module} {refused[0]} runs what Warden does not read"
    return ""


def module_files(
    module: str,
    flags: Set[str],
    env: Dict[str, str],
    interpreter: Optional[str],
    folder: Optional[str] = None,
    never_check: bool = False,
    args: Tuple[str, ...] = (),
) -> Tuple[List[str], str]:
    """The source files ``python [flags] -m module`` runs, in order (packages' ``__init__``
    first, then the module or the package's ``__main__``), and '' — or ([], why) when they
    cannot be found, placed or read. A standard-library module that is not shadowed gives
    ([], '') when its command line (``args``) is one ``run_module_problem`` allows. ``folder``:
    the folder the Python starts in (this process's by default); ``never_check``: it runs
    with ``--check-hash-based-pycs never``. A file whose cached bytecode may run in its place
    is unreadable (``cached_code``)."""
    folder = folder or os.getcwd()
    if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$", module):
        return [], f"-m {module} names no module Warden can find"
    top = module.split(".")[0]
    first = _search_path(flags, env, folder)
    found = _find(top, first)
    if found[0] in ("none", "namespace"):  # a namespace portion yields to any later module
        if top in _STDLIB_NAMES:
            return [], run_module_problem(module, list(args))
        site = _site_path(interpreter, folder)
        if site is None:
            return [], f"Warden cannot tell where that Python finds {module}"
        later = _find(top, site)
        if later[0] == "namespace" or (later[0] == "none" and found[0] == "namespace"):
            later = ("namespace", None, found[2] + later[2])
        found = later
    files: List[str] = []
    parts = module.split(".")
    for depth in range(len(parts)):
        if depth:
            found = _find(parts[depth], found[2])
        kind, path, _ = found
        if kind == "none":
            return [], f"Warden cannot find the module {module}"
        if kind == "archive":
            return [], f"{module} may come from the archive {path}, which Warden does not read"
        if path is not None:
            files.append(path)
        if depth < len(parts) - 1 and kind == "module":
            return [], f"Warden cannot find the module {module}"
    if found[0] in ("package", "namespace"):  # a package: its __main__ runs
        main = _find("__main__", found[2])
        if main[0] != "module":
            return [], f"Warden cannot find {module}.__main__"
        files.append(main[1])
    for path in files:
        if not path.endswith(".py"):
            what = "an extension module" if path.endswith((".so", ".pyd")) else "compiled code"
            return [], f"{module} runs {os.path.basename(path)} ({what}), which Warden cannot read"
        stand_in = cached_code.stand_in(path, never_check)
        if stand_in:  # R11-8: the import system may run compiled code, not this source
            return [], f"{stand_in}, which Warden cannot read"
    return files, ""


def shadowing_file(module: str, flags: Set[str], env: Dict[str, str], folder: str) -> str:
    """The file ``python [flags] -m module`` finds for the module's top package on the folders
    it searches before its standard library and installed modules (the working folder,
    PYTHONPATH: ``_search_path``), '' when none: there it runs that file, not the installed
    package of that name (red team 38b R38b-3: a ``sub/pip/__main__.py`` run by ``python -E
    -m pip`` in sub). A namespace portion there yields to the installed package."""
    kind, path, _ = _find(module.split(".")[0], _search_path(flags, env, folder))
    return (path or "") if kind in ("package", "module", "archive") else ""


# an extension module of any Python's tag (`mod.so`, `mod.abi3.so`, `mod.cpython-312-...so`):
# the child may be another Python than the kernel, whose import system knows other suffixes
_EXTENSION = re.compile(r"\.(?:[^./]+\.)?(?:so|pyd)")


def _find(name: str, folders: List[str]) -> Tuple[str, Optional[str], List[str]]:
    """Where the import system finds the top name ``name`` on ``folders``, in its own order
    (R11-8 gap): the folders in turn, and in each folder as FileFinder looks — a package
    (``name/__init__`` with an extension module first, then source, then bytecode), then
    ``name`` + an extension suffix, ``.py``, ``.pyc``; a folder without ``__init__`` is a
    namespace portion, taken only when no folder has the module. Folders are listed afresh
    (FileFinder's own cache may be older than a file just written). Returns (kind, file,
    locations): ``package`` (its ``__init__``), ``module``, ``namespace`` (no file), ``archive``
    (a zip on the path, unread) or ``none``."""
    portions: List[str] = []
    for folder in folders:
        try:
            names = set(os.listdir(folder))
        except OSError:
            if startup_modules.archive_part(folder):
                # zipimport reads it, or the folder inside it the word names: Warden does not
                return "archive", folder, []
            continue
        base = os.path.join(folder, name)
        if name in names and os.path.isdir(base):
            try:
                init = _loaded_file(base, set(os.listdir(base)), "__init__")
            except OSError:
                init = None
            if init:
                return "package", init, [base]
            portions.append(base)
        found = _loaded_file(folder, names, name)
        if found:
            return "module", found, []
    return ("namespace", None, portions) if portions else ("none", None, [])


def _loaded_file(folder: str, names: Set[str], stem: str) -> Optional[str]:
    """The file FileFinder loads for ``stem`` among a folder's ``names``: extension modules
    first, then source, then bytecode (None: none)."""
    extensions = sorted(
        n for n in names if n.startswith(stem + ".") and _EXTENSION.fullmatch(n[len(stem) :])
    )
    for candidate in extensions + [stem + ".py", stem + ".pyc"]:
        if candidate in names and os.path.isfile(os.path.join(folder, candidate)):
            return os.path.join(folder, candidate)
    return None


def _search_path(flags: Set[str], env: Dict[str, str], folder: str) -> List[str]:
    """The folders a Python started this way searches before its standard library: the
    working folder for ``-m`` (not with ``-I``/``-P``/PYTHONSAFEPATH), then PYTHONPATH's
    folders (not with ``-I``/``-E``; relative ones from the working folder)."""
    ignore_env = bool(flags & {"I", "E"})
    folders = []
    safe = "P" in flags or (not ignore_env and env.get("PYTHONSAFEPATH"))
    if "I" not in flags and not safe:
        folders.append(folder)
    if not ignore_env:
        pythonpath = env.get("PYTHONPATH", os.environ.get("PYTHONPATH", ""))
        # the start's own PYTHONPATH where the reading marks it guardless (GuardLost)
        pythonpath = getattr(pythonpath, "real", pythonpath)
        if pythonpath:
            folders += [os.path.join(folder, p) for p in pythonpath.split(os.pathsep)]
    return folders


def _site_path(
    interpreter: Optional[str], folder: str, env: Optional[Dict[str, str]] = None
) -> Optional[List[str]]:
    """Where the interpreter finds installed modules, when Warden can place it: the kernel's
    own (its sys.path but the working folders), a venv's ``lib/python*/site-packages``, a
    Python installed under a prefix of its own (``<prefix>/bin/python3.11``, pyenv's
    versions) by that prefix's, a pyenv shim by those of every version it may run."""
    if not interpreter:
        return None
    if os.path.realpath(interpreter) in _kernel_interpreters():
        skip = {os.getcwd(), os.path.abspath(folder)}
        return [p for p in sys.path if p and os.path.abspath(p) not in skip]
    shim = pyenv_names(os.path.realpath(interpreter), env or {})
    if shim is not None:
        found: List[str] = []
        for name in shim[1]:
            place = _prefix_site(os.path.join(shim[0], "versions", name))
            if place is None:
                return None  # `system`, a version not installed: Warden cannot place it
            found += place
        return found or None
    root = os.path.dirname(os.path.dirname(os.path.abspath(interpreter)))
    if not os.path.isfile(os.path.join(root, "pyvenv.cfg")):
        real = os.path.realpath(interpreter)
        if _name_version(os.path.basename(real)) is None:
            return None
        return _prefix_site(os.path.dirname(os.path.dirname(real)))
    lib = os.path.join(root, "lib")
    try:
        names = sorted(n for n in os.listdir(lib) if n.startswith("python"))
    except OSError:
        return None
    return [os.path.join(lib, n, "site-packages") for n in names]


def _prefix_site(prefix: str) -> Optional[List[str]]:
    """A Python installation's ``lib/python*/site-packages`` (None: no such folder; a
    distribution's Python, whose dist-packages lie elsewhere, is one Warden cannot place)."""
    lib = os.path.join(prefix, "lib")
    try:
        names = sorted(n for n in os.listdir(lib) if n.startswith("python"))
    except OSError:
        return None
    found = [os.path.join(lib, n, "site-packages") for n in names]
    found = [f for f in found if os.path.isdir(f)]
    return found or None


# -- the literal process starts a guardless Python makes (red team 11 R11-15) ---------------

# starts whose first argument is a shell line
_SHELL_STARTERS = frozenset((
    "os.system", "os.popen", "platform.popen", "subprocess.getoutput",
    "subprocess.getstatusoutput", "asyncio.create_subprocess_shell", "commands.getoutput",
    "commands.getstatusoutput",
))  # fmt: skip
# starts given (path, arg0, args...) or (path, [arg0, args...]): argv is path + args
_PATH_STARTERS = ("os.exec", "os.spawn", "os.posix_spawn")
# calls that change files or the working folder: after one, the code may have made the very
# program or file a later start reads (`os.symlink(uv, 'tools/ls'); os.system('tools/ls
# sync')`), which did not exist when Warden read the code
_FILE_CHANGERS = frozenset((
    "os.symlink", "os.link", "os.rename", "os.renames", "os.replace", "os.chdir", "os.fchdir",
    "os.open", "os.write", "os.makedirs", "os.mkdir", "os.chmod", "os.truncate", "os.mkfifo",
    "shutil.copy", "shutil.copy2", "shutil.copyfile", "shutil.copytree", "shutil.move",
    "shutil.unpack_archive", "zipfile.ZipFile", "tarfile.open", "os.putenv", "os.unsetenv",
))  # fmt: skip
# what code may do with os.environ without changing the environment a later start gets; any
# other use (a write, update, pop, an alias `e = os.environ`) changes it: `os.environ["PATH"]
# = "tools:..."` then `os.system("ls sync")` runs tools/ls, not the ls Warden read (red team
# 13, found while fixing R13-3)
_ENVIRON_READS = frozenset(("get", "copy", "keys", "values", "items"))
_PATH_WRITERS = frozenset(("symlink_to", "hardlink_to", "write_text", "write_bytes", "mkdir",
                           "touch", "chmod", "link_to"))  # fmt: skip


def literal_starts(text: str) -> Tuple[List[Tuple[str, object]], str]:
    """The process starts in code ``dynamic_code`` passed, as (``"shell"``, line) or
    (``"argv"``, [words]), and the first call that changes files before or among them ('' for
    none). Called on code that parses and has only literal start arguments."""
    tree = ast.parse(text)
    reader = _DynamicReader()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            reader._import(node)
    starts: List[Tuple[str, object]] = []
    changer = ""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Name, ast.Attribute)) and reader._dotted(node) == "os.environ":
            if _changes_environ(node, parents.get(node)):
                changer = changer or "os.environ"
        if not isinstance(node, ast.Call):
            continue
        name = reader._dotted(node.func)
        if _changes_files(node, name):
            changer = changer or (name or getattr(node.func, "attr", "a write"))
        if not name.startswith(_PROCESS_STARTERS):
            continue
        changer = changer or _own_setting(node, name)
        start = _start_of(node, name)
        if start is not None:
            starts.append(start)
    return starts, changer


def _changes_environ(node, parent) -> bool:
    """Whether a use of os.environ may change it (anything but a read of a key or a method
    of ``_ENVIRON_READS``)."""
    if isinstance(parent, ast.Subscript) and parent.value is node:
        return not isinstance(parent.ctx, ast.Load)
    if isinstance(parent, ast.Attribute) and parent.value is node:
        return parent.attr not in _ENVIRON_READS
    return True


def _environ_keys(node, parents) -> Optional[List[str]]:
    """The literal keys a change of os.environ sets (``os.environ["K"] = v``, ``del``,
    ``.update(K=v)``, ``.update({"K": v})``, ``.setdefault("K", v)``, ``.pop("K")``); None
    when Warden cannot read them (an alias, a computed key, ``**kw``)."""
    parent = parents.get(node)
    if isinstance(parent, ast.Subscript) and parent.value is node:
        key = _value(parent.slice)
        return [key] if isinstance(key, str) else None
    if not isinstance(parent, ast.Attribute) or parent.value is not node:
        return None
    call = parents.get(parent)
    if not isinstance(call, ast.Call) or call.func is not parent:
        return None
    keys: List[str] = []
    for keyword in call.keywords:
        if keyword.arg is None:
            return None
        keys.append(keyword.arg)
    for arg in call.args[:1]:
        value = _value(arg)
        if isinstance(value, dict) and all(isinstance(k, str) for k in value):
            keys += list(value)
        elif isinstance(value, str) and parent.attr in ("setdefault", "pop"):
            keys.append(value)
        else:
            return None
    return keys


def _own_setting(node: ast.Call, name: str) -> str:
    """A start given its own working folder or environment (``cwd=``, ``env=``, the env of
    ``os.execve``/``spawnve``/``posix_spawn``): it runs what Warden, reading it with this
    process's folder and environment, did not read. An empty env is no variable at all."""
    for keyword in node.keywords:
        if keyword.arg in ("cwd", "env") and _value(keyword.value) not in (None, {}):
            return f"{keyword.arg}="
    short = name.rpartition(".")[2]
    env = None
    if short in ("posix_spawn", "posix_spawnp") and len(node.args) > 2:
        env = node.args[2]
    elif short.startswith(("exec", "spawn")) and short.endswith("e") and node.args:
        env = node.args[-1]
    return "its env" if env is not None and _value(env) not in (None, {}) else ""


def _changes_files(node: ast.Call, name: str) -> bool:
    if name in _FILE_CHANGERS:
        return True
    if isinstance(node.func, ast.Attribute) and node.func.attr in _PATH_WRITERS:
        return True
    if name in ("open", "io.open", "codecs.open"):
        mode = node.args[1] if len(node.args) > 1 else None
        for keyword in node.keywords:
            if keyword.arg == "mode":
                mode = keyword.value
        if mode is None:
            return False
        value = _value(mode)
        return not isinstance(value, str) or bool(set(value) & set("wax+"))
    return False


def _value(node):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
        return None


def _start_of(node: ast.Call, name: str) -> Optional[Tuple[str, object]]:
    """(kind, command) of one literal start; None for a call that starts nothing itself
    (``subprocess.PIPE``-like names are not calls; ``os.fork``: the child runs this code)."""
    args = [_value(a) for a in node.args]
    keywords = {k.arg: _value(k.value) for k in node.keywords}
    if name in ("os.fork", "os.forkpty"):
        return None
    if name in _SHELL_STARTERS:
        return ("shell", str(args[0]) if args else "")
    if name.startswith(_PATH_STARTERS):
        words = _strings(args[1:] if name.startswith("os.spawn") else args)
        return ("argv", words[:1] + words[2:])  # path, then the arguments after arg0
    if name.startswith("subprocess."):
        first = args[0] if args else keywords.get("args")
        shell = bool(keywords.get("shell"))
        if isinstance(first, (list, tuple)):
            words = _strings(first)
            return ("shell", words[0] if words else "") if shell else ("argv", words)
        return ("shell", str(first)) if shell else ("argv", [str(first)])
    return ("argv", _strings(args))  # pty.spawn, asyncio.create_subprocess_exec...


def _strings(values) -> List[str]:
    """The words among literal arguments: lists flattened, strings and bytes kept, anything
    else (a mode number, an env dict) left out."""
    words: List[str] = []
    for value in values:
        if isinstance(value, (list, tuple)):
            words += _strings(value)
        elif isinstance(value, (str, bytes)):
            words.append(os.fsdecode(value))
    return words


# -- code that may write files (red team 14 R14-1) -----------------------------------------------


def loaded_at_start(flags: Set[str]) -> FrozenSet[str]:
    """The modules a Python started with ``flags`` has loaded before its code (built-in ones
    too): no file written later stands in for them (R14-1). schema/guardless-calls.json's
    ``loaded_at_start`` (every CPython 3.8-3.13 holds them in sys.modules before a script's
    code runs, measured with -I -S) and ``loaded_by_site`` (site adds them), and this
    Python's built-in modules."""
    table = _calls_table()
    loaded = table.loaded_at_start | frozenset(BOOT_SYS.builtin_module_names)
    return loaded if "S" in flags else loaded | table.loaded_by_site


def leading_imports(text: str, local: Set[str]) -> Set[str]:
    """The top names the code's FIRST statements import, before any other statement runs (a
    docstring aside) and before an import of a ``local`` module (whose code runs): no write of
    this code can precede them, so no file it writes stands in for them (red team 17: with
    every process start a writer, `import subprocess; subprocess.run(['ls'])` must still run)."""
    found: Set[str] = set()
    for node in ast.parse(text).body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue
        if isinstance(node, ast.Import):
            tops = {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            tops = {node.module.split(".")[0]}
        else:
            break
        found |= tops
        if tops & local:
            break
    return found


def may_write(text: str, local: Optional[Dict[str, FrozenSet[str]]] = None) -> str:
    """The first use in parsed code that may create, replace or move a file, or that Warden
    does not know to write none ('' for none). An ALLOW list (red team 17 R17-1: a list of
    writers missed ``Path.write_text(Path(p), s)``, ``o = open``, ``URLopener().retrieve``):
    every call must be one schema/guardless-calls.json knows writes nothing (``print``,
    ``json.dumps``, ``str.strip``, ``open(p)`` for reading, a function the code or a local
    module Warden reads defines), and a use it cannot follow (a call of a value, a computed
    callee, a rebound import, a change to an imported module) counts as a write (R14-1: a
    guardless child that writes a module into a folder on its own path, or over the module's
    own file, and then imports it runs code Warden did not read). ``local``: as for
    ``dynamic_code``."""
    tree = ast.parse(text)
    reader = _DynamicReader(local)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            reader._import(node)
    return _WriteReader(reader, _bindings(tree), tree).first()


def _bindings(tree: ast.AST) -> Dict[str, Set[str]]:
    """Each name the code binds -> how (``import``, ``def`` for a function or class, ``value``
    for anything else: an assignment, a parameter, a loop or ``with`` target...), scopes
    merged: a name bound two ways is one Warden cannot follow."""
    found: Dict[str, Set[str]] = {}

    def bind(name: str, kind: str) -> None:
        found.setdefault(name, set()).add(kind)

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                bind(alias.asname or alias.name.split(".")[0], "import")
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                bind(alias.asname or alias.name, "import")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bind(node.name, "def")
        elif isinstance(node, ast.arg):
            bind(node.arg, "value")
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bind(node.id, "value")
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                bind(name, "value")
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bind(node.name, "value")
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            bind(node.name, "value")
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bind(node.rest, "value")
    return found


# exception classes are builtins that write nothing
_EXCEPTION_NAME = re.compile(r"^[A-Z]\w*(?:Error|Exception|Warning|Exit|Interrupt|Iteration)$")


class _WriteReader:
    """``may_write``'s pass: every call, and every name or attribute used as a value, judged
    against the table's allow list of what writes no file."""

    def __init__(self, reader: "_DynamicReader", bindings: Dict[str, Set[str]], tree: ast.AST):
        self.reader, self.bindings, self.tree = reader, bindings, tree
        self.table = _calls_table().writes
        self.parents = {c: n for n in ast.walk(tree) for c in ast.iter_child_nodes(n)}

    def first(self) -> str:
        """The first use, in the order the code runs them (``open(p, 'w').write(s)``: open)."""
        for node in _in_run_order(self.tree):
            why = self._judge(node)
            if why:
                return why
        return ""

    def _judge(self, node) -> str:
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, (ast.Attribute, ast.Subscript)) and not isinstance(node.ctx, ast.Load):
            # `json.dumps = open`, `sys.path[0:0] = [d]`: a change to a module the code's other
            # calls are judged by
            if (
                self._root_kind(node) == "import"
                and self.reader._dotted(_base(node)) != "os.environ"
            ):
                return f"a change to {self.reader._dotted(_base(node)) or 'an imported name'}"
            return ""
        if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load):
            parent = self.parents.get(node)
            if isinstance(parent, ast.Call) and parent.func is node:
                return ""  # judged as the call
            if isinstance(parent, ast.Attribute) and parent.value is node:
                return ""  # judged as the longer name
            return self._reference(node, parent)
        return ""

    def _root_kind(self, node) -> str:
        """How the name a chain starts at is bound: ``import``, ``def``, ``value``, ``builtin``
        (none), ``mixed`` (two ways), or ``value`` for a chain from a call or a literal."""
        base = node
        while isinstance(base, (ast.Attribute, ast.Subscript)):
            base = base.value
        if not isinstance(base, ast.Name):
            return "value"
        kinds = self.bindings.get(base.id, set())
        if not kinds:
            return "builtin"
        return next(iter(kinds)) if len(kinds) == 1 else "mixed"

    def _call(self, node: ast.Call) -> str:
        func = node.func
        kind = self._root_kind(func)
        if kind == "mixed":
            return f"{_shown(func)}(): a name bound more than one way"
        if isinstance(func, ast.Name):
            if kind == "import":
                return self._imported_call(node, self.reader._dotted(func))
            if kind == "def":
                return ""  # the code's own function or class: its body is read with it
            if kind == "value":
                return f"{func.id}(): a value Warden cannot follow"
            return self._builtin_call(node, func.id)
        if isinstance(func, ast.Attribute):
            if kind == "import" and self.reader._imported(func):
                return self._imported_call(node, self.reader._dotted(func))
            return self._method_call(node, func.attr)
        return "a computed call"

    def _builtin_call(self, node: ast.Call, name: str) -> str:
        if name in self.table.opens:
            return self._opens(node, name, self.table.opens[name])
        if self._no_write_builtin(name):
            return self._callers(node, name)
        return name

    def _no_write_builtin(self, name: str) -> bool:
        return name in self.table.builtins or bool(_EXCEPTION_NAME.match(name))

    def _imported_call(self, node: ast.Call, name: str) -> str:
        if not name:
            return "a name Warden cannot follow"
        if name.startswith(_PROCESS_STARTERS):
            return name  # the program it starts may write (R17-1: cp p.txt json.py)
        if name in self.table.opens:
            return self._opens(node, name, self.table.opens[name])
        if name == "logging.basicConfig":  # writes a file only when given one (R17-12)
            given = any(k.arg in (None, "filename", "handlers") for k in node.keywords)
            return name if given or _starred(node) else ""
        why = self._imported_name(name, node)
        return why or self._callers(node, name)

    def _imported_name(self, name: str, call: Optional[ast.Call]) -> str:
        """'' when a name through an import writes nothing (called with ``call``'s arguments,
        or used as a value when None), else the name."""
        if self.reader._read_locally(name):
            return ""  # a local module's own function: read with that module
        table = self.table
        if _listed(name, table.modules, public=True) and not _listed(name, table.writes):
            return ""
        if name in table.callables:
            return ""
        owner, _, attr = name.rpartition(".")
        if owner in table.callables and attr:  # pathlib.Path.write_text: Path's method
            return "" if self._method_writes_nothing(attr, call) else name
        return name

    def _method_call(self, node: ast.Call, attr: str) -> str:
        if attr == "open":  # Path(p).open(mode), the mode first
            return self._opens(node, f".{attr}", 0)
        if not self._method_writes_nothing(attr, node):
            return f".{attr}"
        return self._callers(node, attr)

    def _method_writes_nothing(self, attr: str, call: Optional[ast.Call]) -> bool:
        table = self.table
        if attr not in table.methods and attr not in table.two_arguments | table.no_arguments:
            return False
        if call is None:
            return attr in table.methods
        if _starred(call):
            return False
        given = len(call.args) + len(call.keywords)
        if attr in table.two_arguments:
            return len(call.args) >= 2  # str.replace(a, b), not Path.replace(target)
        if attr in table.no_arguments:
            return given == 0  # dict.copy(), not Path.copy(target) (3.14)
        return True

    def _opens(self, node: ast.Call, name: str, where: int) -> str:
        """An ``open``-like call: a writer unless its mode is a literal that only reads."""
        if _starred(node):
            return name  # open(*a, **k): a mode Warden cannot read
        mode = node.args[where] if len(node.args) > where else None
        for keyword in node.keywords:
            if keyword.arg == "mode":
                mode = keyword.value
        value = "r" if mode is None else _value(mode)
        return name if not isinstance(value, str) or set(value) & set("wax+") else ""

    def _callers(self, node: ast.Call, name: str) -> str:
        """A call that calls what it is given (``map(p.write_text, texts)``,
        ``functools.partial``): each argument that is a value's method must be one that writes
        nothing (a name through an import, or the code's own, is judged where it stands)."""
        if (
            not _listed(name, self.table.callers)
            and name.rpartition(".")[2] not in self.table.callers
        ):
            return ""
        for value in list(node.args) + [k.value for k in node.keywords]:
            if isinstance(value, ast.Starred):
                value = value.value
            if isinstance(value, ast.Attribute) and self._root_kind(value) != "import":
                if value.attr not in self.table.methods:
                    return f"{name}(.{value.attr})"
        return ""

    def _reference(self, node, parent) -> str:
        """A name or attribute used as a value, not called here."""
        kind = self._root_kind(node)
        if kind == "mixed":
            return f"{_shown(node)}: a name bound more than one way"
        if kind == "import" and self.reader._imported(node):
            name = self.reader._dotted(node)
            if name == "sys.path":
                return self._sys_path(node, parent)
            if name.startswith(_PROCESS_STARTERS) or name in self.table.opens:
                return f"{name} used as a value"
            return self._imported_name(name, None) if name else "a name Warden cannot follow"
        if kind == "builtin" and isinstance(node, ast.Name):
            name = node.id
            if self._no_write_builtin(name) or name in _DATA_DUNDERS:
                return ""
            return f"{name} used as a value"
        return ""  # a value's attribute (data) or the code's own name

    def _sys_path(self, node, parent) -> str:
        """``sys.path`` read (printed, iterated, indexed) is data; bound to a name or given to
        the code's own function it may be changed there (``p = sys.path; p.insert(0, d)``),
        which moves where an import finds its module."""
        if isinstance(parent, ast.Call) and node is not parent.func:
            callee = parent.func
            if isinstance(callee, ast.Name) and self._root_kind(callee) == "builtin":
                return "" if self._no_write_builtin(callee.id) else "sys.path"
            if isinstance(callee, ast.Attribute) and self._root_kind(callee) != "import":
                return ""  # `":".join(sys.path)`
        if isinstance(parent, (ast.comprehension, ast.For, ast.Compare, ast.FormattedValue)):
            return ""
        if isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Load):
            return ""
        return "sys.path"


def _in_run_order(tree: ast.AST):
    """Nodes in source order, each after the expressions inside it (a call after its
    arguments and callee)."""
    stack = [(tree, False)]
    while stack:
        node, done = stack.pop()
        if done:
            yield node
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(ast.iter_child_nodes(node))))


def _base(node):
    """The outermost name chain of an attribute or subscript target (``sys.path`` of
    ``sys.path[0]``)."""
    while isinstance(node, ast.Subscript):
        node = node.value
    return node


def _starred(node: ast.Call) -> bool:
    return any(isinstance(a, ast.Starred) for a in node.args) or any(
        k.arg is None for k in node.keywords
    )


def _shown(node) -> str:
    try:
        return ast.unparse(node)[:40]
    except Exception:  # noqa: BLE001 - a name to show, nothing more
        return "a name"


# -- the local modules a guardless Python's code imports ---------------------------------------


def local_imports(text: str, path: Optional[str], folders: List[str]) -> Tuple[List[str], str]:
    """The files of the local modules ``text`` imports (``import helper`` with helper.py in
    one of ``folders``: the script's folder, the working folder, PYTHONPATH's), found as the
    import system finds them, packages' ``__init__`` first; relative imports from ``path``'s
    folder. A module found in none of them is the standard library's or an installed one, not
    read here. ([], why) when one is found as code Warden cannot read (an extension module,
    bytecode standing in for its source, a zip)."""
    found, why = local_modules(text, path, folders)
    return list(dict.fromkeys(f for f in found.values() if f is not None)), why


def local_modules(
    text: str, path: Optional[str], folders: List[str], never_check: bool = False
) -> Tuple[Dict[str, Optional[str]], str]:
    """``local_imports`` by the dotted name ``text``'s code reaches each local module through
    (``helpers``, ``pkg.sub``, ``.helpers`` for a relative import, as ``_DynamicReader`` names
    them) -> its file (None for a namespace package, which has no code), in the import
    system's order; ({}, why) when one is code Warden cannot read. ``never_check``: the child
    runs with ``--check-hash-based-pycs never`` (a checked pyc beside a module is taken)."""
    tree = ast.parse(text)
    wanted: List[Tuple[List[str], List[str], str]] = []  # (dotted parts, where to look, key base)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            wanted += [(alias.name.split("."), folders, "") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            where, base_key = folders, ""
            if node.level:
                if not path or not _under(path, folders):
                    # no package (Python refuses it), or an installed one's own modules
                    continue
                base = os.path.dirname(os.path.abspath(path))
                for _ in range(node.level - 1):
                    base = os.path.dirname(base)
                # the names _DynamicReader gives: `from . import h` -> "..h", `from .m import
                # f` -> ".m.f"
                where, base_key = [base], "." * node.level + ("" if node.module else ".")
            parts = node.module.split(".") if node.module else []
            # `from pkg import name`: name may be a submodule of the package
            wanted += [
                (parts + [alias.name], where, base_key) for alias in node.names if alias.name != "*"
            ]
            if parts:
                wanted.append((parts, where, base_key))
    found_files: Dict[str, Optional[str]] = {}
    for parts, where, base_key in wanted:
        found = _find(parts[0], where)
        if not base_key and found[0] in ("package", "module") and parts[0] in _SHADOWABLE:
            # a local json.py runs instead of the standard library's, and the allow list
            # (schema/guardless-calls.json) would take `json.dumps` for the library's
            name = parts[0]
            return {}, f"it imports {name} from {found[1]} (in place of the standard library's)"
        for depth, part in enumerate(parts):
            if depth:
                if found[0] not in ("package", "namespace"):
                    break  # an attribute of a module, not a submodule
                found = _find(part, found[2])
            kind, file, _ = found
            if kind == "archive":
                return {}, f"it imports {'.'.join(parts)}, which may come from the archive {file}"
            if kind == "none":
                break  # the standard library's or an installed module: not local
            if file is not None and not file.endswith(".py"):
                return {}, f"it imports {'.'.join(parts)} as {os.path.basename(file)}"
            stand_in = cached_code.stand_in(file, never_check) if file is not None else ""
            if stand_in:
                return {}, f"it imports {'.'.join(parts)}, and {stand_in}"
            found_files.setdefault(base_key + ".".join(parts[: depth + 1]), file)
    return found_files, ""


def imported_tops(text: str) -> Set[str]:
    """The top-level names of every absolute import in ``text``'s code, wherever it stands (in
    a function, a ``try``, after a ``;``: red team 14 R14-8, where import-line regexes missed
    ``import sys; import uuid``). The roots of the standard-library reach
    (``stdlib_reach.reaches``) and of what the code imports at all."""
    names: Set[str] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.split(".")[0])
    return names


def importable_entries(folder: str) -> List[Tuple[str, str]]:
    """(name, path) of every entry of ``folder`` an import may run code from (red team 14
    R14-4): a module (source, bytecode, an extension of any Python's tag), a package, or a
    namespace folder with such an entry somewhere below it. ``__pycache__``'s tagged pycs are
    none (``x.cpython-311.pyc`` is no module name)."""
    found = []
    for entry in sorted(_listing(folder)):
        path = os.path.join(folder, entry)
        if os.path.isdir(path):
            if entry.isidentifier() and _holds_code(path, 6):
                found.append((entry, path))
            continue
        stem = entry.split(".")[0]
        if stem.isidentifier() and _loaded_file(folder, {entry}, stem):
            found.append((stem, path))
    return found


def _holds_code(folder: str, depth: int) -> bool:
    """Whether a folder holds an importable entry, itself or in a folder below (``depth``
    levels; deeper, or more than a bound of entries, counts as one: Warden cannot tell)."""
    names = _listing(folder)
    if len(names) > 2000 or depth < 0:
        return True
    for entry in names:
        path = os.path.join(folder, entry)
        stem = entry.split(".")[0]
        if os.path.isdir(path):
            if entry.isidentifier() and _holds_code(path, depth - 1):
                return True
        elif stem.isidentifier() and _loaded_file(folder, {entry}, stem):
            return True
    return False


def _listing(folder: str) -> List[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def defined_names(text: str) -> FrozenSet[str]:
    """The names a module's own code binds at its top level (``def``, ``class``, an
    assignment, also under a top-level ``if``/``try``/``with``/loop) and no import binds
    anywhere in it: what another module may reach through it as code Warden read. A name an
    import binds (``from posix import system as run``, ``import os``) is the imported
    module's, whose code is not read with this one."""
    tree = ast.parse(text)
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(a.asname or a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.update(a.asname or a.name for a in node.names)
    bound: Set[str] = set()
    body = list(tree.body)
    while body:
        node = body.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
            continue
        targets: List[ast.AST] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            targets = [node.target]
        for target in targets:
            bound.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
        for field in ("body", "orelse", "finalbody", "handlers"):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                body += [n for n in getattr(node, field, []) if isinstance(n, ast.AST)]
    return frozenset(bound - imported)


def _under(path: str, folders: List[str]) -> bool:
    """Whether ``path`` lies in one of the local ``folders`` (not an installed package)."""
    real = os.path.abspath(path)
    for folder in folders:
        top = os.path.abspath(folder)
        if os.path.commonpath([real, top]) == top:
            return True
    return False


def import_folders(
    mode: str, target: Optional[str], flags: Set[str], env: Dict[str, str], folder: str
) -> List[str]:
    """The folders a guardless Python finds local modules in before its standard library: the
    script's own folder (``-c``/``-m``: the working folder; none with ``-I``/``-P``), then
    PYTHONPATH's (``_search_path``)."""
    folders = _search_path(flags, env, folder)
    if mode == "script" and target and folders and folders[0] == folder:
        folders[0] = os.path.dirname(os.path.abspath(target))
    return folders
