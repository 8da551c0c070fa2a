"""The modules the guard's code imports once its Python is sealed, loaded where the process
cannot reach or plant them (red team 39a R39a-1, R39a-3, R39a-4).

``frozen_builtins`` froze the builtins and the import system, ``frozen_os`` froze ``os``; the
library modules the rule runs (``re``, ``shlex``, ``fnmatch``, ``glob``, ``typing``...) were
the process's own: ``shlex.shlex.read_token`` rebound, an entry planted in ``re._cache``, a
finder put in ``sys.path_importer_cache`` for the guard's folder, a module planted in
``sys.modules`` all reached the decision. ``guard_import`` (``FROZEN``'s ``__import__`` once
``frozen_builtins.seal`` ran: ``sealed_import``) answers instead:

* a module loaded when the seal ran: that object (``_SEALED``), never what
  ``sys.modules`` holds now under its name; but ``enum`` and ``dataclasses`` (``_BY_NAME``):
  always the guard's copies, and so are the contract reader ``contracts`` and ``json_read``
  (``_OWN_COPIES``, mods 70);
* Warden's own modules: found by path under the package's folder and run from its file, with
  the frozen builtins; the guard's alone (fix 58mods): never in ``sys.modules``, never set on
  a package the seal found (the guard's ``from . import x`` reads a ``_view`` of it), looked up
  by name through ``own_module``. A cell's own import of such a name runs a module of the
  process's, whose imports are the process's (``_process_run``): never the guard's copies.
  The classes the process catches (``WardenBlockedInstall``, ``WardenRefusedImport``...) are
  in modules the seal found, so they are the guard's;
* a standard-library module: a private copy, from the library's file (its cached bytecode when
  that matches the source and is older than the kernel), run with the frozen builtins so its
  own imports are private copies too, never put in ``sys.modules`` (not even while its body
  runs: its own lookups go to a private view, ``_SYS``): its classes and caches are the
  guard's alone. A library file changed since the kernel started is refused
  (``GuardLoadError``);
* a built-in or lib-dynload extension module: a new instance made by ``_imp`` (modules of
  multi-phase init); one that hands back its single instance is taken as it is;
* ``import a.b`` or ``from a import b`` where ``a`` is a package of the process's: a view of
  it (``_view``) on which ``b`` is the guard's;
* open, taken as the process's: ``_SHARED`` modules (the import system, those whose body
  changes the process or whose state is the process's), third-party modules (the boot's
  import system, as before), and the modules C code imports for itself (``PyImport_Import``
  reads ``sys.modules``: ``_sre``'s template substitution calls the process's ``re``);
  the copies themselves, through objects the process reaches: ``FROZEN``'s ``__import__``
  called with the namespace of a Warden module the seal found (``vars`` of any of them), or
  replaced (``FROZEN`` is every ``FROZEN``-bound module's ``__builtins__``, a dict), the
  guard's frames seen from a gc callback, finalizer or signal handler in its thread, a guard
  function's ``__globals__`` or closure (``own_module``'s: this module's tables), ``gc``
  (docs/threat-model.md).

This module's tables (``_SEALED``, ``_LOADED``, ``_VIEWS``...) hold every copy and every Warden
module the guard loads after the seal: once sealed, this module is in neither ``sys.modules``
nor its package (``frozen_builtins.seal``, mods 67), and its own table of the sealed modules
answers the guard's later ``from ..private_modules import x`` with this very object.

Costs once per module and process (the first check that needs it); a loaded module costs a
dict lookup. Imports only built-in modules: every guarded Python loads it at boot.
"""

import _imp
import _thread
import marshal
import posix
import sys

from .boot_sys import VALUES as _BOOT_VALUES
from .frozen_builtins import _IMPORT, FROZEN, SHARED, boot_import

# its own names: the boot's, in a dict of its own (mods 70): ``FROZEN`` is a module's attribute
# of ``sys.modules`` (``frozen_builtins``), which a cell may change (``FROZEN["vars"] = ...``)
__builtins__ = dict(FROZEN)

_MODULE = type(sys)
_OPEN, _EXEC, _COMPILE = FROZEN["open"], FROZEN["exec"], FROZEN["compile"]
_LOADS, _STAT = marshal.loads, posix.stat
_CREATE_BUILTIN, _EXEC_BUILTIN = _imp.create_builtin, _imp.exec_builtin
_CREATE_DYNAMIC, _EXEC_DYNAMIC = _imp.create_dynamic, _imp.exec_dynamic
_FIX_FILENAME = _imp._fix_co_filename
_BUILT_IN = frozenset(_BOOT_VALUES["builtin_module_names"])
_SUFFIXES = tuple(_imp.extension_suffixes())
_MAGIC = sys.modules["_frozen_importlib_external"].MAGIC_NUMBER
_TAG = sys.implementation.cache_tag
_OWN = __name__.partition(".")[0]
# the folder holding Warden's package; None where the lab's bootstrap runs the guard from the
# sources it embeds in a running kernel (no files: Warden's modules are the ones it loaded)
_ROOT = globals().get("__file__", "").rsplit("/", 4)[0] or None
# named from this module's own package: the lab's bootstrap embeds ``guard`` under another
_AGE = __name__.rpartition(".")[0] + ".installs.kernel_age"
# the library's folder, as the interpreter started
_LIBRARY = getattr(sys, "_stdlib_dir", None) or sys.modules["os"].__file__.rpartition("/")[0]

# name: the module loaded when the seal ran (``seal``), what ``guard_import`` takes under that
# name; empty until then (the lab, tests importing the guard: ``own_module`` reads sys.modules).
# This module's own table, not ``frozen_builtins``' (a module of ``sys.modules``: mods 67)
_SEALED = {}
_LOADED = {}  # name: the module the guard loaded itself (its own, private copies, built-ins)
_LOADING = {}  # name: the module whose body runs now (an import cycle takes it as it is)
_LOCK = _thread.RLock()  # one first load at a time (``_module``)
_ABSENT = set()  # names found to be no module (a package's plain attribute)
_TOPS = {}  # top-level name: ``_guards``' answer
_VIEWS = {}  # name: ``_view`` of a package of the process's
_SHARED = SHARED  # the library's modules taken as the process's own (``frozen_builtins``)
# ids of the namespaces of Warden's modules that are the guard's (``_process_run``): those the
# seal found (``seal``) and those the guard runs itself (kept alive: an id stays theirs)
_SPACES = set()
# the builtins of every module the guard runs itself (``_source_module``), from the seal on:
# ``FROZEN`` as it was then, with the sealed import, but a dict of this module's (mods 70). The
# sealed modules' own builtins are ``FROZEN`` itself, reachable as ``frozen_builtins.FROZEN``:
# a cell's ``FROZEN["open"] = ...`` reaches those (open), never the guard's copies
_BUILTINS = {}
# library modules whose code looks a module up in the interpreter's ``sys.modules`` by name as
# another module's body runs (``enum.global_enum`` and ``Enum._convert_``: ``re``, ``signal``,
# ``socket``; ``dataclasses``' string annotations): the guard's own copy even where the seal
# found one, so a copy's body finds itself in its private view, never in ``sys.modules``
_BY_NAME = frozenset(("enum", "dataclasses"))
# Warden's modules outside ``guard`` that the boot loads (the rule catalog's read), so the seal
# finds them in ``sys.modules``, but whose state decides for the guard later: the contract
# reader (``contracts``: its cache and folder, read lazily at the first start that needs a
# table) and its JSON parser (``json_read``: its settings class, its ``_json``). The process's
# to rebind (mods 70: a cell's ``contracts._CACHE["shell-runners.json"]`` was the guard's
# table); the guard runs its own copies of them, as of ``_BY_NAME``'s, and of ``_json`` (a new
# instance: multi-phase init), never the ones the seal found
_KERNEL = __name__.rsplit(".", 2)[0]
_OWN_COPIES = frozenset((f"{_KERNEL}.contracts", f"{_KERNEL}.json_read", "_json"))
# the guard's modules of boot values the seal found (mods 80): ``frozen_os`` (``FROZEN_OS``),
# ``shipped_data`` (``DEPS_FOLDER``, ``CONTRACTS_FOLDER``, ``data_path``), ``frozen_builtins``
# (``FROZEN``). In ``sys.modules``, their names are the process's to rebind: a guard module
# loaded after the seal (``names``, ``decide``, ``kernel_age``, the guard's ``contracts``) took
# a cell's ``shipped_data.DEPS_FOLDER`` (a ranking listing ``torcj``) or ``FROZEN["enumerate"]``
# as the boot's. So the guard's imports of them read ``_RECORDS``: each a module of their names
# as the seal found them, ``FROZEN`` there the guard's own builtins (``_BUILTINS``)
_GUARD = __name__.rpartition(".")[0]
_RECORDED = (f"{_GUARD}.installs.frozen_os", f"{_GUARD}.installs.shipped_data")
_RECORDED += (f"{_GUARD}.frozen_builtins",)
_RECORDS = {}  # name: the record of that sealed module's names (``seal``)


class GuardLoadError(Exception):
    """The guard cannot load a module of its own (a file changed since the kernel started):
    what it was checking is refused. Not an ``ImportError``: code that falls back to another
    module on ``except ImportError`` (``toml_files``, ``sha``) must not take this for "no such
    module" and read a module the process controls instead (red team 48a R48a-4)."""


class _Spec:
    """What ``_imp`` reads of a module's spec. The guard's own class: nothing of the process's
    runs when a copy's spec is read."""

    loader = submodule_search_locations = None

    def __init__(self, name: str, origin: str):
        self.name = name
        self.origin = origin

    @property
    def parent(self) -> str:
        return self.name.rpartition(".")[0]


class _Modules(dict):
    """``sys.modules`` as the private copies see it (``enum.global_enum``, ``dataclasses`` look
    themselves up there; ``typing`` notes ``typing.io``): what they note, then the guard's
    modules and copies, then the process's."""

    def __missing__(self, key):
        module = _LOADED.get(key) or _LOADING.get(key) or _sealed(key)
        return module if module is not None else sys.modules[key]

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key):
        return self.get(key) is not None


# the private copies' ``sys``: the interpreter's, but for ``modules`` and the values that
# describe the interpreter, as at the boot (``boot_sys``: a cell's ``sys.platform = "win32"``
# steered the guard's ``shutil.which``, red team 49a R49a-1); the process's state read live
_SYS = _MODULE("sys")
vars(_SYS).update(_BOOT_VALUES, modules=_Modules(), __getattr__=lambda name: getattr(sys, name))


def guard_import(name, globals, fromlist, level):
    """``__import__`` for the guard's code and the private library copies it runs."""
    if type(fromlist) is list and not fromlist:
        # C code's import (``PyImport_Import``: ``_sre``'s template substitution asks ``re``,
        # ``_json``'s errors ``json.decoder``) reads the module from sys.modules right after:
        # the process's own, loaded as before (open)
        return _live(name)
    globals = globals or {}
    if _process_run(globals):
        # a Warden module the process ran itself (a cell's ``import`` of one that binds
        # ``FROZEN``): the process's import, never the guard's modules or copies (fix 58mods)
        return boot_import(name, globals, None, fromlist, level)
    absolute = _absolute(name, globals, level)
    if not _guards(absolute.partition(".")[0]):
        return boot_import(absolute, {}, None, fromlist, 0)  # a third-party module (open)
    if absolute == "sys" and not (globals.get("__name__") or "").startswith(_OWN):
        return _SYS  # a private copy's: its sys.modules is the private one
    module = _module(absolute)
    if not fromlist:
        return _chain(absolute) if "." in absolute else module
    if "__path__" not in getattr(module, "__dict__", ()):
        return module
    if not _ours(absolute, module):
        module = _view(absolute, module)  # a package of the process's: its attributes are
    for item in fromlist:
        if item != "*":
            _submodule(module, f"{absolute}.{item}", item)
    return module


def sealed_import(name, globals=None, locals=None, fromlist=(), level=0):
    """``FROZEN``'s ``__import__`` once sealed (``seal``): ``guard_import``, but for a shared
    module loaded already (``os.get_exec_path``'s ``import warnings``, run by the guard's copy
    of it at every Popen start), the process's own from ``sys.modules`` without its frames."""
    if not level and not fromlist and name in _SHARED and sys.modules.get(name) is not None:
        return _IMPORT(name, globals, locals, fromlist, level)
    return guard_import(name, globals, fromlist, level)


def seal(modules: dict):
    """The modules loaded now (``frozen_builtins.seal``: ``sys.modules`` once the guard's
    finder is in), this one among them: the ones ``guard_import`` hands out under their names
    from now on; the namespaces of Warden's among them are the guard's, whose imports it
    answers (``_process_run``). Returns the ``__import__`` for ``FROZEN``."""
    _SEALED.update((k, v) for k, v in modules.items() if type(v) is _MODULE)
    _SPACES.update(id(vars(m)) for n, m in _SEALED.items() if n.partition(".")[0] == _OWN)
    _BUILTINS.update(FROZEN, __import__=sealed_import)
    for name in _RECORDED:
        if name in _SEALED:
            _RECORDS[name] = _record(name, _SEALED[name])
    return sealed_import


def _record(name: str, module):
    """``module``'s names as now (the seal), in a module of the guard's own (mods 80); its
    functions still read the sealed module's globals (open: docs/threat-model.md)."""
    record = _MODULE(name)
    vars(record).update(vars(module))
    if "FROZEN" in vars(record):
        vars(record)["FROZEN"] = _BUILTINS  # ``frozen_builtins``': the guard's own builtins
    return record


def _process_run(globals: dict) -> bool:
    """Whether ``globals`` is the namespace of a Warden module the process ran itself (its own
    ``import`` of a module the guard also loaded): named as Warden's, and neither found by the
    seal nor run by the guard (by identity: a cell may rebind a sealed module's ``__name__``,
    which then still counts as the guard's)."""
    name = globals.get("__name__")
    return type(name) is str and name.partition(".")[0] == _OWN and id(globals) not in _SPACES


def own_module(name: str, load: bool = False):
    """Warden's module ``name`` as the guard has it, for the guard's code that looks one up by
    name (fix 58mods): once sealed, the one ``guard_import`` answers, never what ``sys.modules``
    holds (the process's to fill; the guard's modules loaded after the seal are not there);
    None when it is not loaded, unless ``load`` (then loaded now; the half-run one in the
    thread running its body). Before the seal (the lab, tests): ``sys.modules``' own."""
    if not _SEALED:
        return sys.modules.get(name)
    module = _LOADED.get(name) or _sealed(name)
    return _module(name) if module is None and load else module


def _guards(top: str) -> bool:
    """Whether the guard loads ``top``'s modules itself: Warden's, the library's (not
    ``_SHARED``) and the built-in ones."""
    known = _TOPS.get(top)
    if known is None:
        known = _TOPS[top] = (
            top == _OWN or top in _BUILT_IN or (top not in _SHARED and _where(top) is not None)
        )
    return known


def _ours(name: str, module) -> bool:
    """Whether ``module`` is one the guard loaded itself, Warden's or a private copy (a package
    the guard may set its submodules on). A package the seal found, Warden's too, is the
    process's: the guard's submodules go on a ``_view`` of it (fix 58mods)."""
    return _LOADED.get(name) is module


def _chain(absolute: str):
    """``import a.b.c``'s answer, ``a``: through which ``a.b.c`` reads the guard's modules (a
    package of the process's on the way as a ``_view``)."""
    parts = absolute.split(".")
    name = parts[0]
    top = holder = _module(name)
    if not _ours(name, top):
        top = holder = _view(name, top)
    for part in parts[1:]:
        name = f"{name}.{part}"
        module = _module(name)
        if name != absolute and not _ours(name, module):
            module = _view(name, module)
        setattr(holder, part, module)
        holder = module
    return top


def _view(name: str, package):
    """A package the seal found (or a shared one), for ``from package import module``: its
    submodules the guard's, its other names read from it."""
    view = _VIEWS.get(name)
    if view is None:
        view = _VIEWS[name] = _MODULE(name)
        vars(view).update(
            __path__=getattr(package, "__path__", ()), __getattr__=lambda n: getattr(package, n)
        )
    return view


def _absolute(name: str, globals: dict, level: int) -> str:
    if not level:
        return name
    package = globals.get("__package__")
    if not package:
        own = globals.get("__name__") or ""
        package = own if "__path__" in globals else own.rpartition(".")[0]
    base = package.rsplit(".", level - 1)[0] if level > 1 else package
    return f"{base}.{name}" if name else base


def _submodule(package, full: str, item: str) -> None:
    """``from package import item`` where ``item`` is a module: the guard's one, set again on
    the package (a process's ``package.item = other`` does not count)."""
    if full in _ABSENT:
        return
    known = _LOADED.get(full) or _sealed(full)
    if known is None and _where(full) is None:
        _ABSENT.add(full)
        return
    setattr(package, item, known or _module(full))


def _sealed(name: str):
    """The module the seal found under ``name`` (None for ``_BY_NAME`` and ``_OWN_COPIES``:
    the guard's copy; the record of its names for ``_RECORDED``)."""
    if name in _BY_NAME or name in _OWN_COPIES:
        return None
    return _RECORDS.get(name) or _SEALED.get(name)


def changed_guard_file(path: str) -> bool:
    """Whether ``path``, a file the sealed guard reads (its shipped data: ``shipped_data``),
    changed since the kernel started; False until the seal (the lab, tests importing the
    guard's modules: no kernel start to compare with)."""
    return bool(_SEALED) and _changed(path)


def _module(name: str):
    module = _LOADED.get(name) or _sealed(name)
    if module is not None:
        return module
    _LOCK.acquire()  # one first load at a time; a module being loaded: to its own thread only
    try:
        module = _LOADED.get(name) or _LOADING.get(name)
        return module if module is not None else _load(name)
    finally:
        _LOCK.release()


def _load(name: str):
    parent = _module(name.rpartition(".")[0]) if "." in name else None
    if name.partition(".")[0] != _OWN and name in _BUILT_IN:
        return _built_in(name)
    found = _where(name) if _guards(name.partition(".")[0]) else None
    if found is None:
        return _live(name)
    path, package = found
    if not path.endswith(".py"):
        return _extension(name, path)
    module = _source_module(name, path, package)
    # on its package, as an import does, where that package is the guard's own (a package the
    # seal found, Warden's or the library's, is the process's: fix 58mods)
    if parent is not None and parent is _LOADED.get(name.rpartition(".")[0]):
        setattr(parent, name.rpartition(".")[2], module)
    return module


def _where(name: str):
    """``(path, is_package)`` of ``name``'s file: under Warden's folder for its own modules,
    else the standard library's folder (lib-dynload for an extension), or None."""
    top = _ROOT if name.partition(".")[0] == _OWN else _LIBRARY
    if top is None:
        return None  # an embedded guard's own module: the one its bootstrap loaded
    base = f"{top}/{name.replace('.', '/')}"
    for path, package in ((base + "/__init__.py", True), (base + ".py", False)):
        if _is_file(path):
            return path, package
    if top is _LIBRARY and "." not in name:
        for suffix in _SUFFIXES:
            if _is_file(f"{top}/lib-dynload/{name}{suffix}"):
                return f"{top}/lib-dynload/{name}{suffix}", False
    return None


def _is_file(path: str) -> bool:
    try:
        return _STAT(path).st_mode & 0o170000 == 0o100000
    except OSError:
        return False


def _source_module(name: str, path: str, package: bool):
    module = _MODULE(name)
    space = vars(module)
    space.update(__file__=path, __builtins__=_BUILTINS or FROZEN)
    space["__package__"] = name if package else name.rpartition(".")[0]
    if package:
        space["__path__"] = [path.rpartition("/")[0]]
    space["__spec__"] = _Spec(name, path)
    _SPACES.add(id(space))  # its imports are the guard's (``_process_run``)
    # never in sys.modules while its body runs: code of the process's that runs in this thread
    # meanwhile (a gc callback, a finalizer, a signal handler) would take the object the guard
    # keeps and rebind its classes (red team 48a R48a-1). A library copy's own lookups of
    # itself (``enum.global_enum``, ``dataclasses``, ``typing.io``) go to its private
    # ``sys.modules`` (``_SYS``), which finds it in ``_LOADING``
    _LOADING[name] = module
    try:
        _EXEC(_code(path, check=name != _AGE), space)
    finally:
        _LOADING.pop(name, None)
    # the guard's alone, Warden's modules too: never in ``sys.modules`` nor on a package the
    # process reaches, whose globals hold the copies (fix 58mods: a cell rebound the guard's
    # ``commands.shlex``). The classes the process catches (``WardenBlockedInstall``,
    # ``WardenRefusedImport``...) are in modules the seal found: the process's are the guard's
    _LOADED[name] = module
    return module


def _code(path: str, check: bool):
    """``path``'s code: its cached bytecode when that was written for this very source and
    not since the kernel started, else the source compiled. A file changed since the kernel
    started may be the notebook's: refused (the guard then refuses what it was reading)."""
    if check and _changed(path):
        what = (
            "a file of Warden's package"
            if _ROOT and path.startswith(_ROOT + "/")
            else "a standard library module Warden's guard runs"
        )
        raise GuardLoadError(
            f"{path}, {what}, changed since the kernel started, so the guard does not run it; "
            "restart the kernel (reinstall Python or Warden if you did not change it)"
        )
    stat = _STAT(path)
    folder, _, file = path.rpartition("/")
    cached = f"{folder}/__pycache__/{file[:-3]}.{_TAG}.pyc"
    data = _read(cached) if check and not _changed(cached) else None
    if (
        data is not None
        and data[:4] == _MAGIC
        and data[4:8] == b"\0\0\0\0"
        and int.from_bytes(data[8:12], "little") == int(stat.st_mtime) & 0xFFFFFFFF
        and int.from_bytes(data[12:16], "little") == stat.st_size & 0xFFFFFFFF
    ):
        return _named(_LOADS(memoryview(data)[16:]), path)
    source = _read(path)
    if source is None:
        raise GuardLoadError(f"Warden: cannot read {path}, which Warden's guard runs")
    return _COMPILE(source, path, "exec", dont_inherit=True)


def _named(code, path: str):
    """Cached code named by the file it was read for, as an import names it: a ``.pyc`` keeps
    the path it was compiled at (an installation copied or moved, a library folder of links:
    the machine's path). A guarded pip's allowance reads whose code ran by that name
    (``pip_process.code_ran``: the library's place, unchanged since the kernel started): the
    guard's private copy of ``contextlib`` is the library's file Warden checked, by its name
    here (fix round 44)."""
    _FIX_FILENAME(code, path)
    return code


def _read(path: str):
    try:
        with _OPEN(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _changed(path: str) -> bool:
    return _module(_AGE).changed_since_start(path)


def _built_in(name: str):
    module = _CREATE_BUILTIN(_Spec(name, "built-in"))
    if module is not sys.modules.get(name):  # a new instance (multi-phase init)
        _EXEC_BUILTIN(module)
    _LOADED[name] = module
    return module


def _extension(name: str, path: str):
    module = _CREATE_DYNAMIC(_Spec(name, path))
    if module is not sys.modules.get(name):
        _EXEC_DYNAMIC(module)
    _LOADED[name] = module
    return module


def _live(name: str):
    """Neither Warden's nor the library's (a third-party module): the boot's import system
    loads it, as the process would (open: its classes and names are the process's)."""
    return boot_import(name, {}, None, ("__name__",), 0)
