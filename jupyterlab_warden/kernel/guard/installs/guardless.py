"""What a Python that starts without Warden's guard runs, read before it starts (issue 20).

Such a child (``-I``/``-E``/``-S``, a PYTHONPATH without the guard's folder first, another
policy, or an interpreter that cannot host the guard) decides none of its own installs or
process starts, so the parent reads its code instead and refuses what it cannot read:

- ``hosts_guard``: whether an interpreter other than the kernel's can run the guard at all
  (Python >= 3.8 has ``sys.audit``; red team 10 R10-4).
- ``dynamic_code``: whether code (``-c``, a script, a module's file) runs code Warden cannot
  read: ``exec``/``eval``/``compile``/``__import__``, importlib, runpy, pickle, ``getattr``
  with a computed name, a process started with computed arguments... (R10-10). Decided on
  the ``ast``; text that does not parse is unreadable.
- ``module_files``: the files ``python -m MOD`` runs, found as that Python would find them
  (R10-5); a standard-library module passes unless it runs code named in its arguments.

Each returns a reason ('' when the child may start); ``commands`` turns it into ``Unreadable``.
"""

import ast
import os
import re
import sys
from typing import Dict, List, Optional, Set, Tuple

from . import cached_code

_VERSIONED = re.compile(r"^python(\d+)(?:\.(\d+))?[dmu]?$")
_CFG_VERSION = re.compile(r"^\s*(version|version_info)\s*=\s*(\d+)\.(\d+)", re.MULTILINE)


def _kernel_interpreters() -> Set[str]:
    found = {os.path.realpath(sys.executable)}
    for name in ("python", "python3", f"python3.{sys.version_info[1]}"):
        found.add(os.path.realpath(os.path.join(sys.prefix, "bin", name)))
    return found


def hosts_guard(path: Optional[str], env: Dict[str, str]) -> bool:
    """Whether the interpreter at ``path`` (found on PATH; None when it was not) can host the
    guard: the kernel's own (same file or same venv), or one whose version Warden reads as
    3.8 or later from its real file's name (``python3.11``), its venv's ``pyvenv.cfg`` or, for
    a pyenv shim, the version pyenv picks. An interpreter Warden cannot place counts as one
    that cannot."""
    if not path:
        return False
    real = os.path.realpath(path)
    if real in _kernel_interpreters():
        return True
    named = [_name_version(os.path.basename(p)) for p in (path, real)]
    if any(v is not None and v < (3, 8) for v in named):
        return False  # `python2`, a `python3.7` (a pyenv shim by that name too)
    versions = [named[1] or _venv_version(path)]
    if versions == [None]:
        versions = _pyenv_versions(real, env)
    return bool(versions) and all(v is not None and v >= (3, 8) for v in versions)


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
    try:
        with open(shim, "rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
    except OSError:
        return []
    root = re.search(r'^export PYENV_ROOT="([^"]+)"$', head, re.MULTILINE)
    if root is None or 'pyenv" exec' not in head:
        return []
    chosen = env.get("PYENV_VERSION", os.environ.get("PYENV_VERSION"))
    names = [chosen] if chosen is not None else _local_versions(env)
    default = _first_line(os.path.join(root.group(1), "version")) or "system"
    versions = []
    for chosen in [default if n is None else n for n in names]:
        for name in re.split(r"[:\s]+", chosen.strip()):
            match = re.match(r"^(\d+)\.(\d+)", name)
            versions.append((int(match.group(1)), int(match.group(2))) if match else None)
    return versions or [None]


def _local_versions(env: Dict[str, str]) -> List[Optional[str]]:
    """The ``.python-version`` each walk pyenv may make picks (None for a walk that finds
    none: the global version). pyenv walks up ``$PYENV_DIR`` and the shell's ``$PWD``: a
    logical path, or the physical one when the inherited PWD does not name the folder
    (``Popen(cwd="link")``), so both chains are read from each (red team 11 R11-2). After a
    ``cd`` Warden cannot follow (``cd ~/proj && python train.py``) it reads from this
    process's folder, as before: refusing there refused ordinary lines, and a Python older
    than 3.8 that pyenv picks elsewhere stops at the guard's boot (R11-14)."""
    from . import commands, folders

    start = commands.current_folder()
    starts = [start or os.curdir]
    pyenv_dir = env.get("PYENV_DIR", os.environ.get("PYENV_DIR"))
    if pyenv_dir:
        starts.append(os.path.join(start or "", pyenv_dir))
    found = []
    for folder in starts:
        for chain in folders.chains(folder):
            hits = (_first_line(os.path.join(f, ".python-version")) for f in chain)
            found.append(next((h for h in hits if h is not None), None))
    return found


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
     "types.FunctionType", "types.LambdaType")
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
# what starts a process (the child's own is not gated: it starts without the guard)
_PROCESS_STARTERS = ("os.system", "os.popen", "os.exec", "os.spawn", "os.posix_spawn",
                     "os.fork", "subprocess.", "pty.spawn", "asyncio.create_subprocess",
                     "platform.popen", "commands.")  # fmt: skip
_STARTER_MODULES = frozenset(("os", "posix", "subprocess", "pty", "asyncio", "platform"))
# getattr and friends read a name; computed, it may be anything (`getattr(os, 'sys'+'tem')`)
_NAME_READERS = frozenset(("getattr", "setattr", "delattr", "hasattr"))
# dunder attributes ordinary code uses; any other (__builtins__, __globals__, __subclasses__,
# __dict__, __code__ ...) reaches objects the reading cannot follow
_PLAIN_DUNDERS = frozenset((
    "__name__", "__file__", "__doc__", "__version__", "__all__", "__init__", "__main__",
    "__enter__", "__exit__", "__qualname__", "__module__", "__class__", "__len__", "__str__",
    "__repr__",
))  # fmt: skip


def dynamic_code(text: str, label: str = "<code>") -> str:
    """Why ``text`` runs code Warden cannot read ('' when it does not)."""
    try:
        tree = ast.parse(text, label)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "its code does not parse"
    return _DynamicReader().read(tree)


class _DynamicReader(ast.NodeVisitor):
    """One pass over a module: imports are followed as names (``import os as o``, ``from os
    import system as s``) so a call is judged by the dotted name it resolves to."""

    def __init__(self):
        self.names: Dict[str, str] = {}  # local name -> the dotted name it was imported as
        self.found = ""

    def read(self, tree: ast.AST) -> str:
        # imports first: a name's meaning does not depend on where in the file it is used
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                self._import(node)
        if not self.found:
            self.visit(tree)
        return self.found

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
            if alias.name == "*" and module.split(".")[0] in _STARTER_MODULES:
                self._flag(f"it imports every name of {module}")  # `system(x)` unresolved
            self.names[alias.asname or alias.name] = f"{module}.{alias.name}"
            self._module(f"{module}.{alias.name}")

    def _module(self, dotted: str) -> None:
        if dotted.split(".")[0] in _CODE_MODULES:
            self._flag(f"it uses {dotted}, which runs code Warden does not read")

    def _dotted(self, node) -> str:
        """The dotted name an expression stands for ('' when it is not a plain name chain)."""
        if isinstance(node, ast.Name):
            return self.names.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self._dotted(node.value)
            return f"{base}.{node.attr}" if base else ""
        return ""

    def visit_Call(self, node: ast.Call) -> None:
        name = self._dotted(node.func)
        if name in _CODE_RUNNERS:
            self._flag(f"it calls {name}")
        elif name in _NAME_READERS and not _literal(node.args[1:2]):
            self._flag(f"it calls {name} with a computed name")
        elif name.startswith(_PROCESS_STARTERS) and not _literal(node.args, node.keywords):
            self._flag(f"it starts a process ({name}) with computed arguments")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        name = self.names.get(node.id, node.id)
        self._dunder(node.id)
        if name in _CODE_RUNNERS or name.startswith(_PROCESS_STARTERS):
            # a reference that is not called right here: `f = exec; f(x)`, `run(os.system)`
            if not getattr(node, "_called", False):
                self._flag(f"it passes {name} around")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self._dunder(node.attr)
        name = self._dotted(node)
        if name.startswith(_PROCESS_STARTERS) and not getattr(node, "_called", False):
            if not isinstance(node.ctx, ast.Store):
                self._flag(f"it passes {name} around")
        self.generic_visit(node)

    def _dunder(self, name: str) -> None:
        if name.startswith("__") and name.endswith("__") and name not in _PLAIN_DUNDERS:
            self._flag(f"it reaches {name}")

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
    import sysconfig

    paths = sysconfig.get_paths()
    found = {paths.get("purelib", ""), paths.get("platlib", "")}
    found.update(p for p in sys.path if os.path.basename(p) in ("site-packages", "dist-packages"))
    return sorted(f for f in found if f)


# -- python -m MOD ---------------------------------------------------------------------------

# standard-library modules whose command line runs code or files named in their arguments
_STDLIB_RUNNERS = frozenset((
    "code", "pdb", "timeit", "cProfile", "profile", "trace", "unittest", "doctest", "pydoc",
    "pickle", "inspect", "asyncio", "idlelib", "test", "site", "runpy", "cgi", "bdb",
))  # fmt: skip


def module_files(
    module: str,
    flags: Set[str],
    env: Dict[str, str],
    interpreter: Optional[str],
    folder: Optional[str] = None,
    never_check: bool = False,
) -> Tuple[List[str], str]:
    """The source files ``python [flags] -m module`` runs, in order (packages' ``__init__``
    first, then the module or the package's ``__main__``), and '' — or ([], why) when they
    cannot be found, placed or read. A standard-library module that is not shadowed gives
    ([], ''). ``folder``: the folder the Python starts in (this process's by default);
    ``never_check``: it runs with ``--check-hash-based-pycs never``. A file whose cached
    bytecode may run in its place is unreadable (``cached_code``)."""
    folder = folder or os.getcwd()
    if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$", module):
        return [], f"-m {module} names no module Warden can find"
    top = module.split(".")[0]
    first = _search_path(flags, env, folder)
    found = _find(top, first)
    if found[0] in ("none", "namespace"):  # a namespace portion yields to any later module
        if top in sys.builtin_module_names or top in getattr(sys, "stdlib_module_names", ()):
            if top in _STDLIB_RUNNERS:
                return [], f"python -m {module} runs code named in its arguments"
            return [], ""
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
        except NotADirectoryError:
            return "archive", folder, []  # zipimport reads it: Warden does not
        except OSError:
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
        if pythonpath:
            folders += [os.path.join(folder, p) for p in pythonpath.split(os.pathsep)]
    return folders


def _site_path(interpreter: Optional[str], folder: str) -> Optional[List[str]]:
    """Where the interpreter finds installed modules, when Warden can place it: the kernel's
    own (its sys.path but the working folders), or a venv's ``lib/python*/site-packages``."""
    if not interpreter:
        return None
    if os.path.realpath(interpreter) in _kernel_interpreters():
        skip = {os.getcwd(), os.path.abspath(folder)}
        return [p for p in sys.path if p and os.path.abspath(p) not in skip]
    root = os.path.dirname(os.path.dirname(os.path.abspath(interpreter)))
    if not os.path.isfile(os.path.join(root, "pyvenv.cfg")):
        return None
    lib = os.path.join(root, "lib")
    try:
        names = sorted(n for n in os.listdir(lib) if n.startswith("python"))
    except OSError:
        return None
    return [os.path.join(lib, n, "site-packages") for n in names]


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
    "shutil.unpack_archive", "zipfile.ZipFile", "tarfile.open",
))  # fmt: skip
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
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = reader._dotted(node.func)
        if _changes_files(node, name):
            changer = changer or (name or getattr(node.func, "attr", "a write"))
        if not name.startswith(_PROCESS_STARTERS):
            continue
        start = _start_of(node, name)
        if start is not None:
            starts.append(start)
    return starts, changer


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


# -- the local modules a guardless Python's code imports ---------------------------------------


def local_imports(text: str, path: Optional[str], folders: List[str]) -> Tuple[List[str], str]:
    """The files of the local modules ``text`` imports (``import helper`` with helper.py in
    one of ``folders``: the script's folder, the working folder, PYTHONPATH's), found as the
    import system finds them, packages' ``__init__`` first; relative imports from ``path``'s
    folder. A module found in none of them is the standard library's or an installed one, not
    read here. ([], why) when one is found as code Warden cannot read (an extension module,
    bytecode standing in for its source, a zip)."""
    tree = ast.parse(text)
    wanted: List[Tuple[List[str], List[str]]] = []  # (dotted parts, where to look)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            wanted += [(alias.name.split("."), folders) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            where = folders
            if node.level:
                if not path or not _under(path, folders):
                    # no package (Python refuses it), or an installed one's own modules
                    continue
                base = os.path.dirname(os.path.abspath(path))
                for _ in range(node.level - 1):
                    base = os.path.dirname(base)
                where = [base]
            parts = node.module.split(".") if node.module else []
            # `from pkg import name`: name may be a submodule of the package
            wanted += [(parts + [alias.name], where) for alias in node.names if alias.name != "*"]
            if parts:
                wanted.append((parts, where))
    files: List[str] = []
    for parts, where in wanted:
        found = _find(parts[0], where)
        for depth, part in enumerate(parts):
            if depth:
                if found[0] not in ("package", "namespace"):
                    break  # an attribute of a module, not a submodule
                found = _find(part, found[2])
            kind, file, _ = found
            if kind == "archive":
                return [], f"it imports {'.'.join(parts)}, which may come from the archive {file}"
            if file is None:
                continue
            if not file.endswith(".py"):
                return [], f"it imports {'.'.join(parts)} as {os.path.basename(file)}"
            stand_in = cached_code.stand_in(file)
            if stand_in:
                return [], f"it imports {'.'.join(parts)}, and {stand_in}"
            if file not in files:
                files.append(file)
    return files, ""


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
