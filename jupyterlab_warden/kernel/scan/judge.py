"""The one judge of pickle globals, shared by the scanner (by name) and the audit hook (by object).

A global is judged by WHAT IT RESOLVES TO and HOW THE PICKLE USES IT (its roles):

* ``CALL``  - invoked with the pickle's arguments (REDUCE, INST, OBJ, or an argument that a
  curated reconstructor calls): a curated reconstructor, a curated class, or a class whose whole
  construction path (metaclass ``__call__``, ``__new__``, ``__init__``) comes from a call-safe
  origin (object, curated builtins, stdlib data modules, the user's own code).
* ``NEW``   - only ``cls.__new__`` runs (NEWOBJ, ``copyreg.__newobj__``, ``_reconstructor``):
  ``__new__`` and ``__del__`` from a safe origin (the above plus curated ML packages' classes).
* ``BUILD`` - state restored on an instance (BUILD, APPENDS, SETITEMS): ``__setstate__``,
  ``__setattr__``, ``__setitem__``, ``append``, ``extend``, ``__getattr__``, data descriptors'
  setters from a safe origin or absent.
* ``VALUE`` - pushed as data. A class or a plain object is fine; a function is treated as CALL.
* ``ZGETATTR`` - ``builtins.getattr`` in the one shape zoneinfo pickles use (checked by the
  scanner): ``getattr(zoneinfo.ZoneInfo, '_unpickle')``.

``judge_name`` runs on names only (the scanner, and the hook's first step); ``judge_object``
runs on what the unpickler really resolves (the hook). Both are pure: no imports of targets.
"""

from __future__ import annotations

import os
import sys
from _compat_pickle import IMPORT_MAPPING, NAME_MAPPING

from . import curated
from . import pytypes as types  # the types module's types, without it
from .curated import BUILD, CALL, NEW, NEWARGS, VALUE, ZGETATTR
from .records import Record
from .records import field as _field

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing is not imported at interpreter start
    from typing import Optional

WORST = CALL | NEW | NEWARGS | BUILD
_EMPTY = frozenset()
ROLE_NAMES = (
    (CALL, "call"),
    (NEW, "new"),
    (NEWARGS, "new-with-args"),
    (BUILD, "build"),
    (VALUE, "value"),
    (ZGETATTR, "zgetattr"),
)

try:
    _STDLIB = frozenset(sys.stdlib_module_names)
except AttributeError:  # Python < 3.10
    from .globallists import STDLIB_TOP_LEVEL_FALLBACK as _STDLIB

_PY2_MODULES = {"__builtin__": "builtins", "copy_reg": "copyreg", "exceptions": "builtins"}
_GUARD_PACKAGES = frozenset(("jupyterlab_warden", "_jupyterlab_warden_embedded"))
_DUNDER_OK = frozenset(("copyreg.__newobj__", "copyreg.__newobj_ex__"))


class Decision(Record):
    """allowed: bool; reason: short code, see REASONS; detail: the entry or object that decided
    (a record, not a namedtuple: collections is not imported at interpreter start)."""

    __slots__ = ()
    _fields = ("allowed", "reason", "detail")

    def __new__(cls, allowed, reason, detail=None):
        return tuple.__new__(cls, (allowed, reason, detail))

    allowed = _field(0)
    reason = _field(1)
    detail = _field(2)


# Allowed reasons whose final word belongs to the hook (the object is checked at load time);
# the scanner reports them as safe, except NEEDS_RESOLUTION (suspicious).
NEEDS_RESOLUTION = ("third-party-needs-resolution", "unresolvable", "user-code-needs-resolution")

REASONS = {
    "invalid-name": "the name is not a valid Python dotted name",
    "computed": "the name is computed at load time, so nothing can vouch for it",
    "dunder": "it reaches into Python internals through a dunder attribute",
    "module-path": "it walks through a module, which no legitimate pickle needs",
    "module-object": "it is a module, a module's dict or a method bound to one",
    "policy-deny": "your admin's policy denies it",
    "policy-allow": "your admin's policy allows it",
    "policy-package-class": "your admin's policy allows this package's classes",
    "curated": "it is a known-safe reconstructor, class or value",
    "validated": (
        "the guard replaced it with a wrapper that validates what it builds before anyone can "
        "use it"
    ),
    "ml-class": "it is a class of a curated ML library, used without calling its constructor",
    "stdlib-data": "it is a class of a standard-library data module",
    "user-code": "it comes from your own code (outside site-packages and the standard library)",
    "user-code-needs-resolution": (
        "a name in your own code that is not a def or class statement, judged by what it is at "
        "load time"
    ),
    "third-party-needs-resolution": "a third-party name, judged by what it is at load time",
    "unresolvable": "its package is not installed here",
    "not-curated-callable": (
        "the pickle calls it with its own arguments, and it is not a known-safe reconstructor "
        "or a class whose construction is known to be harmless"
    ),
    "stdlib-not-data": "it is a standard-library global outside the plain-data classes",
    "strict": "strict mode allows only the curated list and your admin's entries",
    "getattr-shape": "builtins.getattr is allowed only as getattr(zoneinfo.ZoneInfo, '_unpickle')",
    "builtin-not-allowed": "it is a builtin function that is not itself allowed",
    "function-not-allowed": "it is a function the pickle could call, and it is not allowed",
    "unsafe-origin": "a method the unpickler would run comes from code that is not a safe origin",
    "ml-not-curated": (
        "it is a class of an ML library that is not curated (by exact name or a documented "
        "family such as torch.nn modules and scikit-learn estimators)"
    ),
    "not-the-curated-object": "it resolves to something other than the curated object of that name",
    "not-in-scan": "the pre-load scan of this data did not clear it (fail closed)",
    "changed-during-load": (
        "the file was replaced while it was being loaded, so no scan can vouch for what is read"
    ),
    "unresolved": "it could not be resolved as the unpickler would",
    "not-imported": (
        "its third-party package is not imported yet, and importing it to judge it could run code"
    ),
    "needs-scan": (
        "this load was not pre-scanned, so the guard cannot tell the pickle only reads this "
        "shared object"
    ),
    "guard-internal": "it is part of Jupyter Warden itself, which data never needs",
    "state-altered": (
        "the guard's state was changed outside its policy channel, so it refuses everything"
    ),
    "mutates-global": "the pickle changes this global object in place (BUILD or SETITEM on it)",
    "unsafe-state": (
        "the pickle restores a numpy dtype state that numpy itself refuses to build (an object "
        "field overlapping other data), which forges object pointers and can crash the kernel"
    ),
}


def role_names(roles: int):
    return [name for bit, name in ROLE_NAMES if roles & bit]


def is_stdlib(module: str) -> bool:
    return module.partition(".")[0] in _STDLIB


def normalise(module: str, name: str):
    """(module, name) as the unpickler resolves it: Python 2 names mapped (fix_imports)."""
    mapped = NAME_MAPPING.get((module, name))
    if mapped is not None:
        return mapped
    if module in IMPORT_MAPPING:
        module = IMPORT_MAPPING[module]
    top, _, rest = module.partition(".")
    if top in _PY2_MODULES:
        module = _PY2_MODULES[top] + ("." + rest if rest else "")
    return module, name


def _valid(module: str, name: str) -> bool:
    if not module or not name or len(module) + len(name) > 500:
        return False
    return all(part.isidentifier() for part in module.split(".") + name.split("."))


def _is_dunder(part: str) -> bool:
    return len(part) > 4 and part.startswith("__") and part.endswith("__")


class Admin(Record):
    """The policy's own entries: exact names, and ``pkg.*`` = that package's CLASSES
    (frozensets)."""

    __slots__ = ()
    _fields = ("allow", "allow_packages", "deny", "deny_packages")

    def __new__(cls, allow=_EMPTY, allow_packages=_EMPTY, deny=_EMPTY, deny_packages=_EMPTY):
        return tuple.__new__(cls, (allow, allow_packages, deny, deny_packages))

    allow = _field(0)
    allow_packages = _field(1)
    deny = _field(2)
    deny_packages = _field(3)

    @classmethod
    def from_lists(cls, allow=(), deny=()) -> Admin:
        def split(entries):
            exact, packages = set(), set()
            for entry in entries:
                if not isinstance(entry, str):
                    raise TypeError(f"pickle allow/deny entries are strings, not {entry!r}")
                if entry.endswith(".*"):
                    packages.add(entry[:-2])
                else:
                    exact.add(entry)
            return frozenset(exact), frozenset(packages)

        allow_exact, allow_pkgs = split(allow)
        deny_exact, deny_pkgs = split(deny)
        return cls(allow_exact, allow_pkgs, deny_exact, deny_pkgs)


def _in_package(module: str, packages) -> Optional[str]:
    """The package of ``packages`` that ``module`` is (or is inside). Matches MODULES only, so
    ``pkg.*`` never matches a multi-part qualname reached through an attribute."""
    cut = len(module)
    while cut > 0:
        head = module[:cut]
        if head in packages:
            return head
        cut = module.rfind(".", 0, cut)
    return None


class OriginOracle:
    """Where does a top-level package live? user | third-party | stdlib | missing.

    By name only: asks the import system's finders where the top-level package would load
    from (``importlib.util.find_spec`` on a top-level name executes no package code), cached.
    """

    def __init__(self):
        self._cache = {}
        self._bindings = {}

    def of_module(self, module: str) -> str:
        top = module.partition(".")[0]
        if top == "__main__":
            return "user"
        if top in _STDLIB:
            return "stdlib"
        if top in _GUARD_PACKAGES:
            return "third-party"
        found = self._cache.get(top)
        if found is None:
            found = self._cache[top] = self._locate(top)
        return found

    def binding(self, module: str, name: str):
        """How ``name`` is bound at the top level of the user's module ``module``, read from its
        source with ``ast`` (nothing is imported): ('def', None), ('import', 'pkg.mod.attr'),
        ('module', None), or ('unknown', None)."""
        key = (module, name)
        if key not in self._bindings:
            self._bindings[key] = self._binding(module, name)
        return self._bindings[key]

    def _binding(self, module: str, name: str):
        import ast  # on first use: the guard imports this module at every interpreter start

        path = _source_of(module)
        if path is None:
            return ("unknown", None)
        try:
            with open(path, "rb") as fh:
                tree = ast.parse(fh.read(), path)
        except (OSError, SyntaxError, ValueError):
            return ("unknown", None)
        found = ("unknown", None)
        for node in _top_level(tree.body):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if node.name == name:
                    found = ("def", None)
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if (alias.asname or alias.name) == name:
                        base = _absolute(module, node.module, node.level, path)
                        found = ("import", f"{base}.{alias.name}") if base else ("unknown", None)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    bound = alias.asname or alias.name.partition(".")[0]
                    if bound == name:
                        found = ("module", None)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                    found = ("unknown", None)
        return found  # the last binding wins, as at run time

    @staticmethod
    def _locate(top: str) -> str:
        loaded = sys.modules.get(top)
        try:
            if loaded is not None:
                origin = getattr(loaded, "__file__", None)
                spec_paths = list(getattr(loaded, "__path__", None) or ())
            else:
                import importlib.util

                spec = importlib.util.find_spec(top)
                if spec is None:
                    return "missing"
                origin = spec.origin if spec.has_location else None
                spec_paths = list(spec.submodule_search_locations or ())
        except (ImportError, ValueError, AttributeError):
            return "missing"
        paths = [p for p in [origin] + spec_paths if isinstance(p, str)]
        if not paths:
            return "third-party"  # built into the interpreter or made at runtime: not the user's
        return path_origin(paths[0])


def _top_level(body):
    """Top-level statements, including those inside if/try/with blocks."""
    import ast

    for node in body:
        yield node
        for field in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(node, field, None)
            if isinstance(inner, list) and isinstance(node, (ast.If, ast.Try, ast.With)):
                yield from _top_level(inner)
            elif field == "handlers" and isinstance(inner, list):
                for handler in inner:
                    yield from _top_level(handler.body)


def _absolute(module: str, target: Optional[str], level: int, path: str) -> Optional[str]:
    if not level:
        return target
    package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
    for _ in range(level - 1):
        package = package.rpartition(".")[0]
    if not package:
        return None
    return package + ("." + target if target else "")


def _source_of(module: str) -> Optional[str]:
    """The .py file of a module, without importing it or its parents."""
    loaded = sys.modules.get(module)
    if loaded is not None:
        path = getattr(loaded, "__file__", None)
        return path if isinstance(path, str) and path.endswith(".py") else None
    parts = module.split(".")
    try:
        import importlib.util

        spec = importlib.util.find_spec(parts[0])  # a top-level name runs no package code
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if len(parts) == 1:
        origin = spec.origin
        return origin if isinstance(origin, str) and origin.endswith(".py") else None
    dirs = list(spec.submodule_search_locations or ())
    for index, part in enumerate(parts[1:], 1):
        last = index == len(parts) - 1
        nxt = []
        for folder in dirs:
            package_init = os.path.join(folder, part, "__init__.py")
            if last:
                for candidate in (os.path.join(folder, part + ".py"), package_init):
                    if os.path.isfile(candidate):
                        return candidate
            elif os.path.isdir(os.path.join(folder, part)):
                nxt.append(os.path.join(folder, part))
        dirs = nxt
    return None


def _stdlib_dirs():
    import sysconfig  # on first use, as ast above

    out = set()
    for key in ("stdlib", "platstdlib"):
        try:
            out.add(os.path.realpath(sysconfig.get_paths()[key]))
        except (KeyError, OSError):
            pass
    return tuple(out)


_STDLIB_DIRS = []  # filled on first use: sysconfig is not imported at every interpreter start


def path_origin(path: str) -> str:
    real = os.path.realpath(path)
    parts = real.replace("\\", "/").split("/")
    if "site-packages" in parts or "dist-packages" in parts:
        return "third-party"
    if not _STDLIB_DIRS:
        _STDLIB_DIRS.append(_stdlib_dirs())
    if any(real.startswith(d + os.sep) for d in _STDLIB_DIRS[0]):
        return "stdlib"
    return "user"


ORACLE = OriginOracle()


_NO_ADMIN = Admin()


def judge_name(
    module, name, roles: int, mode: str = "default", admin: Admin = _NO_ADMIN, depth: int = 0
):
    """Judge a global by its name and roles; allowed means 'the object may still be checked'."""
    if not isinstance(module, str) or not isinstance(name, str) or not _valid(module, name):
        return Decision(False, "invalid-name")
    module, name = normalise(module, name)
    full = module + "." + name
    parts = name.split(".")
    # 1. dunders and module paths run before any allow list
    if any(_is_dunder(p) for p in parts) and full not in _DUNDER_OK:
        return Decision(False, "dunder")
    if any(p in _STDLIB and p.islower() for p in parts[:-1]):
        return Decision(False, "module-path")
    if module.partition(".")[0] in _GUARD_PACKAGES:
        return Decision(False, "guard-internal")
    # 2. the admin's deny list
    if full in admin.deny or _in_package(module, admin.deny_packages):
        return Decision(False, "policy-deny", full)
    # 3. curated exact names
    if full == curated.ZONEINFO_GETATTR[0]:
        if roles & ~(ZGETATTR | VALUE) or not roles & ZGETATTR:
            return Decision(False, "getattr-shape")
        return Decision(True, "curated", full)
    if full in curated.CALLABLES or full in curated.CLASSES or full in curated.VALUES:
        return Decision(True, "curated", full)
    # 4. the admin's allow list: exact names, and package classes (never functions: the hook
    #    checks the object is a class)
    if full in admin.allow:
        return Decision(True, "policy-allow", full)
    pkg = _in_package(module, admin.allow_packages)
    if pkg and (not roles & CALL or parts[-1][:1].isupper()):
        # the entry allows classes only; a called name must at least look like one (the hook
        # checks it is one)
        return Decision(True, "policy-package-class", pkg + ".*")
    if mode == "strict":
        return Decision(False, "strict")
    # 5. by where it comes from
    top = module.partition(".")[0]
    if top in _STDLIB:
        if module in curated.SAFE_ORIGIN_MODULES and not roles & CALL:
            return Decision(True, "stdlib-data")
        return Decision(False, "not-curated-callable" if roles & CALL else "stdlib-not-data")
    if top in curated.ML_PACKAGES:
        if roles & CALL or (roles & NEWARGS and full not in curated.NEW_ARGS_CLASSES):
            return Decision(False, "not-curated-callable")
        if not _ml_name_may_be_made(module, full):
            return Decision(False, "ml-not-curated", full)
        return Decision(True, "ml-class")
    origin = ORACLE.of_module(module)
    if origin == "user":
        return _judge_user_name(module, name, parts, roles, mode, admin, depth)
    if origin == "missing":
        # not installed here: loading would fail anyway; a call of it is refused (fail closed -
        # scan a project's own pickles with the project on the path)
        if roles & (CALL | NEWARGS):
            return Decision(False, "not-curated-callable")
        return Decision(True, "unresolvable")
    if roles & (CALL | NEWARGS):
        return Decision(False, "not-curated-callable")
    return Decision(True, "third-party-needs-resolution")


# Family rules: a class of a curated ML package that is not curated by its exact name is a safe
# origin only inside one of these families, checked on the real class by the hook
# (``_mro_unvetted``); by name the scanner only checks the module prefix.
_FAMILIES = (
    # (module prefix of the class, a base every family member has)
    ("torch.nn.", "torch.nn.modules.module.Module"),
    ("sklearn.", "sklearn.base.BaseEstimator"),
    ("numpy", "numpy.generic"),  # numpy scalar types (numpy.float64...), module 'numpy'
    ("scipy.sparse.", "scipy.sparse._base._spbase"),
    ("scipy._lib._sparse", "scipy.sparse._base._spbase"),  # SparseABC, their abstract base
)


def _in_family(module: str, prefix: str) -> bool:
    return module == prefix or (prefix.endswith(".") and module.startswith(prefix))


def _made_by_short_name():
    out = set()
    for full in curated.MADE_CLASSES | curated.NEW_ARGS_CLASSES:
        out.add((full.partition(".")[0], full.rpartition(".")[2]))
    return frozenset(out)


_MADE_SHORT = _made_by_short_name()


def _ml_name_may_be_made(module: str, full: str) -> bool:
    """By name only (the scanner): a curated made class, maybe under its defining module
    (``pandas.core.frame.DataFrame`` for ``pandas.DataFrame``), or a family's module. The hook
    decides on the real class (``_mro_unvetted``)."""
    if full in curated.MADE_CLASSES or full in curated.NEW_ARGS_CLASSES:
        return True
    if (module.partition(".")[0], full.rpartition(".")[2]) in _MADE_SHORT:
        return True
    return any(_in_family(module, prefix) for prefix, _ in _FAMILIES)


def _mro_unvetted(cls) -> Optional[str]:
    """The first class in ``cls``'s MRO from a curated ML package that is neither curated nor
    in a family (None: all vetted). A curated ML package is not a safe origin wholesale: any of
    its classes' methods could be what a made object runs (``list(x)`` iterates x)."""
    mro = cls.__mro__
    names = [canonical(c) for c in mro]
    if names[0] in curated.CLASSES or names[0] in curated.MADE_CLASSES:
        return None
    for owner, name in zip(mro, names):
        if owner is object or name in curated.CLASSES or name in curated.MADE_CLASSES:
            continue
        module = getattr(owner, "__module__", None)
        if _module_origin(module) != "ml":
            continue  # other origins: judged method by method below
        if any(_in_family(module, p) and base in names for p, base in _FAMILIES):
            continue
        return name or repr(owner)
    return None


def _judge_user_name(module, name, parts, roles, mode, admin, depth) -> Decision:
    """A name in the user's own module, read statically: a def/class is the user's code; a
    name the module imported is judged as what it imports (``from subprocess import
    getoutput`` makes ``project.getoutput`` subprocess.getoutput)."""
    kind, target = ORACLE.binding(module, parts[0])
    if kind == "def":
        return Decision(True, "user-code")
    if kind == "module":
        return Decision(False, "module-path")
    if kind == "import" and depth < 8:
        target_module, _, target_name = target.rpartition(".")
        rest = ".".join([target_name] + parts[1:])
        return judge_name(target_module, rest, roles, mode, admin, depth + 1)
    return Decision(True, "user-code-needs-resolution")


# --- judging the resolved object (the hook) ------------------------------------------------

_NO_METHOD = object()
_BUILD_METHODS = (
    "__setstate__",
    "__setattr__",
    "__setitem__",
    "append",
    "extend",
    "add",
    "__getattr__",
    "__getattribute__",
)


def canonical(obj) -> Optional[str]:
    mod = getattr(obj, "__module__", None)
    qual = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if isinstance(mod, str) and isinstance(qual, str):
        return f"{mod}.{qual}"
    return None


def _module_origin(modname) -> str:
    """stdlib-data | ml | user | stdlib | third-party, for the module an object is defined in."""
    if not isinstance(modname, str):
        return "third-party"
    top = modname.partition(".")[0]
    if modname in curated.SAFE_ORIGIN_MODULES:
        return "stdlib-data"
    if top in curated.ML_PACKAGES:
        return "ml"
    if top in _GUARD_PACKAGES:
        return "third-party"
    if top == "__main__":
        return "user"
    if top in _STDLIB:
        return "stdlib"
    mod = sys.modules.get(modname)
    path = getattr(mod, "__file__", None) if mod is not None else None
    if isinstance(path, str):
        return path_origin(path)
    return ORACLE.of_module(modname) if mod is None else "third-party"


def _owner_safe(owner, call_path: bool) -> bool:
    """May a method defined on class ``owner`` run? call_path: reached by a constructor call."""
    if owner is object or owner is type:
        return True
    name = canonical(owner)
    if name in curated.CLASSES:
        return True
    origin = _module_origin(getattr(owner, "__module__", None))
    if origin in ("stdlib-data", "user"):
        return True
    return origin == "ml" and not call_path


def _function_safe(func, call_path: bool) -> bool:
    """A plain function stored as a method: judged by its own module too (a class attribute
    ``__setstate__ = os.system`` must not pass because the class is safe)."""
    if isinstance(func, (staticmethod, classmethod)):
        func = func.__func__
    if isinstance(func, (types.FunctionType, types.BuiltinFunctionType)):
        mod = getattr(func, "__module__", None)
        if isinstance(mod, str) and mod.startswith("namedtuple_"):
            return True  # collections.namedtuple's generated __new__
        if isinstance(func, types.BuiltinFunctionType):
            # a C type's slot (``ndarray.__new__`` is bound to ndarray): judged by that type;
            # any other builtin stored on a class (``__setstate__ = os.system``) never passes
            owner = getattr(func, "__self__", None)
            return isinstance(owner, type) and _owner_safe(owner, call_path)
        origin = _module_origin(mod)
        return origin in ("stdlib-data", "user") or (origin == "ml" and not call_path)
    return True  # slot wrappers and method descriptors: judged by their owner class


def _method_safe(cls, attr: str, call_path: bool) -> bool:
    for owner in cls.__mro__:
        value = owner.__dict__.get(attr, _NO_METHOD)
        if value is _NO_METHOD:
            continue
        return _owner_safe(owner, call_path) and _function_safe(value, call_path)
    return True  # absent: the default behaviour (dict update, AttributeError...)


def _descriptors_safe(cls) -> bool:
    """BUILD with slot state calls setattr: every data descriptor's setter is a method too."""
    for owner in cls.__mro__:
        for value in list(owner.__dict__.values()):
            kind = type(value)
            if kind in (types.MemberDescriptorType, types.GetSetDescriptorType):
                continue
            if isinstance(value, property):
                if value.fset is not None and not (
                    _owner_safe(owner, False) and _function_safe(value.fset, False)
                ):
                    return False
                continue
            setter = getattr(kind, "__set__", None)
            if setter is not None and not _owner_safe(kind, False):
                return False
    return True


# Special methods that curated constructors and library code call on objects given to them
# (list/dict/set/tuple iterate, int/str/Path convert, dict(x) calls keys/__getitem__...): a
# made object's class must have them from a safe origin too.
_USE_METHODS = (
    "__iter__",
    "__next__",
    "__getitem__",
    "keys",
    "__len__",
    "__index__",
    "__int__",
    "__float__",
    "__complex__",
    "__str__",
    "__repr__",
    "__format__",
    "__bytes__",
    "__fspath__",
    "__contains__",
    "__array__",
    "__reduce__",
    "__reduce_ex__",
    "__call__",
)


def _new_args_safe(cls) -> bool:
    """``cls.__new__(cls, *args)`` with the pickle's arguments: the ``__new__`` that runs must be
    object's, a curated class's, an admitted NEW_ARGS class's, or from stdlib data / user code."""
    for owner in cls.__mro__:
        value = owner.__dict__.get("__new__", _NO_METHOD)
        if value is _NO_METHOD:
            continue
        if owner is object:
            return True
        name = canonical(owner)
        if name in curated.CLASSES or name in curated.NEW_ARGS_CLASSES:
            return True
        return _owner_safe(owner, True) and _function_safe(value, True)
    return True


def judge_class(cls, roles: int) -> Decision:
    unvetted = _mro_unvetted(cls)
    if unvetted is not None:
        return Decision(False, "ml-not-curated", unvetted)
    if roles & NEWARGS and not _new_args_safe(cls):
        return Decision(False, "not-curated-callable", f"{canonical(cls)}.__new__ (with arguments)")
    if roles & CALL:
        meta = type(cls)
        if meta is not type and not _method_safe(meta, "__call__", True):
            return Decision(False, "unsafe-origin", canonical(meta) + ".__call__")
        for attr in ("__new__", "__init__"):
            if not _method_safe(cls, attr, True):
                return Decision(False, "not-curated-callable", f"{canonical(cls)}.{attr}")
    if roles & (NEW | NEWARGS | CALL | BUILD):
        for attr in ("__new__", "__del__", "__array_finalize__", "__hash__", "__eq__"):
            if not _method_safe(cls, attr, False):
                return Decision(False, "unsafe-origin", f"{canonical(cls)}.{attr}")
    if roles & (NEW | NEWARGS | CALL | BUILD):
        for attr in _USE_METHODS:
            if not _method_safe(cls, attr, False):
                return Decision(False, "unsafe-origin", f"{canonical(cls)}.{attr}")
    if roles & (BUILD | CALL):
        for attr in _BUILD_METHODS:
            if not _method_safe(cls, attr, False):
                return Decision(False, "unsafe-origin", f"{canonical(cls)}.{attr}")
        if not _descriptors_safe(cls):
            return Decision(False, "unsafe-origin", f"{canonical(cls)} (a data descriptor)")
    return Decision(True, "class-safe-origin", canonical(cls))


def judge_object(obj, roles: int, name_decision: Decision) -> Decision:
    """Judge what the unpickler resolved, given the name's decision (already allowed).

    Curated names are checked to be the curated object (identity by canonical name); every
    other name is judged by the object's kind and the origin of the methods the roles reach.
    """
    if isinstance(obj, types.ModuleType):
        return Decision(False, "module-object", "a module")
    for home in (getattr(obj, "__module__", None), type(obj).__module__):
        if isinstance(home, str) and home.partition(".")[0] in _GUARD_PACKAGES:
            return Decision(False, "guard-internal", home)
    if isinstance(obj, (dict, types.MappingProxyType)):
        return Decision(False, "module-object", "a dict")
    owner = getattr(obj, "__self__", None)
    if isinstance(owner, (types.ModuleType, dict)) and not isinstance(obj, type):
        # a C module's functions are bound to their module: judged below as builtins
        module_builtin = isinstance(owner, types.ModuleType) and isinstance(
            obj, types.BuiltinFunctionType
        )
        if not module_builtin and (name_decision.reason != "curated" or isinstance(owner, dict)):
            return Decision(False, "module-object", "a method bound to a module or dict")
    reason = name_decision.reason
    if reason == "curated":
        return _curated_identity(obj, name_decision.detail)
    if reason == "policy-allow":
        return name_decision  # the admin named this exact object
    if isinstance(obj, type):
        if reason == "policy-package-class":
            return Decision(True, reason, name_decision.detail)
        real = canonical(obj)
        if real in curated.CLASSES:
            return Decision(True, "curated", real)
        return judge_class(obj, roles)
    if reason == "policy-package-class":
        return Decision(False, "function-not-allowed", "package entries allow classes only")
    if callable(obj):
        real = canonical(obj)
        plain = isinstance(obj, (types.FunctionType, types.BuiltinFunctionType))
        if real in curated.CALLABLES and plain:
            return Decision(True, "curated", real)  # a re-export of a curated reconstructor
        if isinstance(obj, types.BuiltinFunctionType) or isinstance(obj, types.BuiltinMethodType):
            return Decision(False, "builtin-not-allowed", real)
        if isinstance(obj, types.FunctionType):
            if _module_origin(obj.__module__) == "user" and reason.startswith("user-code"):
                return Decision(True, "user-code", real)
            return Decision(False, "function-not-allowed", real)
        # a callable instance (partial, bound method, op overload...): a call is a call
        return Decision(False, "function-not-allowed", real or type(obj).__name__)
    return Decision(True, "data-value", type(obj).__name__)


def _curated_identity(obj, full: str) -> Decision:
    if full in curated.VALUES:
        if isinstance(obj, type) or not callable(obj):
            return Decision(True, "curated", full)
        return Decision(False, "not-the-curated-object", full)
    if full == curated.ZONEINFO_GETATTR[0]:
        import builtins

        ok = obj is builtins.getattr
        return Decision(ok, "curated" if ok else "not-the-curated-object", full)
    real = canonical(obj)
    if isinstance(obj, type):
        # a class named by a curated name: the class itself, or one whose construction is
        # plainly safe (torch.Storage aliases, numpy/pandas re-exports)
        if real in curated.CLASSES or full in curated.CLASSES:
            return Decision(True, "curated", full)
        return Decision(False, "not-the-curated-object", real)
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)) or callable(obj):
        if full in curated.CALLABLES:
            return Decision(True, "curated", full)
        return Decision(False, "not-the-curated-object", real)
    return Decision(True, "curated", full)
