"""The top-level module names a Python that keeps Warden's guard imports by name from
``sys.path`` (its PYTHONPATH folders first) before the guard's ``sitecustomize`` runs (red
team 56d R56d-2): what ``startup_modules.guarded_start_holder`` refuses a PYTHONPATH folder to
hold.

``start_files.start_reach`` (the standard-library files checked for a change) follows every
import line, function bodies included: reading too much there costs a few stats. Here it
would refuse a project's ``src`` holding ``secrets.py`` or ``statistics.py``, which no start
imports. So this follows what runs: the start-up modules (``STDLIB_START``, ``GUARD_BOOT``,
every codec of ``encodings``: the locale or PYTHONIOENCODING picks one), the imports at
MODULE level of each (``import``/``from`` statements outside function bodies: in ``if``,
``try``, ``with``, loops and class bodies, which run at import; ``__import__('x')`` and
``importlib.import_module('x')`` with a literal name), submodules by their own files; plus
what ``site`` calls itself before ``sitecustomize`` (``SITE_RUNS``, read as a line's called
module is), and what the ``.pth`` import lines run (each line is code: read by its syntax
tree, ``pth_line_roots``): a
standard module whose function the line calls counts by the imports of the functions that
run (``pth_calls``: setuptools' ``os.environ.get`` is not ``os.popen``, red team 57b R57b-4),
those by their module level; a site module the line imports (``_distutils_hack``, an
editable finder) by its name and every import line of it (its functions may run), its non-standard
module-level imports followed the same way. What cannot be read fails closed: a
standard source that does not parse counts by all its import lines (``stdlib_reach``); a
``.pth`` line that does not parse, runs code it builds (``exec``), imports a computed name,
reaches a name by a string (``getattr``) or runs a module by path, and a site module found
only as bytecode or in an archive, or that imports a computed name, count every standard
name.

Checked against ``-X importtime`` for the kernel's Python, bare and in venvs made from it
(tests/deps/test_fix72_start_names.py). Kept by interpreter and roots (``closure``), a site
module's and a ``.pth`` line's reading by their bytes.
"""

import ast
import functools
import os
from typing import FrozenSet, Iterable, List, Optional, Set, Tuple

from . import pth_calls, stdlib_reach
from .start_names import GUARD_BOOT, STDLIB_START

# the standard modules whose FUNCTIONS ``site`` calls before ``sitecustomize`` (3.8-3.13;
# read from the kernel's own site.py these would be missed for a child of another version):
# traceback when a .pth line raises (``addpackage`` prints ``format_exception``), and what
# that formatting calls (``linecache.getline``, which reads the frame's source with
# ``tokenize.open``); 3.13's locale for a .pth file that is no UTF-8 (``addpackage``'s
# fallback). Called, not only imported: every import of their files counts, function bodies
# included, as a ``.pth`` line's called module does (red team 56e R56e-1: 3.11+'s
# ``_extract_caret_anchors_from_line_segment`` runs ``import ast`` for a frame whose source
# is found: site's ``exec(line)`` under ``-X frozen_modules=off``, a site module that raises
# with no option). Options add
# nothing read here: ``-X dev``/``-W``/``-b`` import warnings (STDLIB_START), faulthandler
# and tracemalloc are built in, ``-v`` only prints; the REPL's readline hook runs after.
SITE_RUNS = ("traceback", "linecache", "tokenize", "locale")

# names whose call runs code the reading cannot follow
_CODE_CALLS = ("exec", "eval", "compile")

ALL = frozenset({"*"})  # a reading that could not be followed: every standard name counts


def _stdlib() -> str:
    return stdlib_reach._stdlib()


def _module_file(stdlib: str, dotted: str) -> Tuple[str, bool]:
    """The source file of the standard module ``dotted`` in ``stdlib`` and whether it is a
    package's ``__init__`` ('' when none: built in, frozen only, or an extension)."""
    base = os.path.join(stdlib, *dotted.split("."))
    init = os.path.join(base, "__init__.py")
    if os.path.isfile(init):
        return init, True
    if os.path.isfile(base + ".py"):
        return base + ".py", False
    return "", False


def module_level(tree: ast.AST, package: str, functions: bool = False) -> Set[str]:
    """The dotted modules the statements of ``tree`` that run at import (not in a function
    body or a lambda, unless ``functions``) import, relative imports resolved against
    ``package``; a ``from X import y`` counts ``X.y`` too (a submodule when there is one)."""
    found: Set[str] = set()
    todo: List[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        if not functions and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            # its decorators and defaults run at import, its body does not
            if not isinstance(node, ast.Lambda):
                todo += node.decorator_list
            todo += node.args.defaults + [d for d in node.args.kw_defaults if d]
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            if base:
                found.add(base)
                found |= {f"{base}.{a.name}" for a in node.names if a.name != "*"}
        elif isinstance(node, ast.Call):
            name = _literal_import(node)
            if name:
                found.add(name)
        todo += list(ast.iter_child_nodes(node))
    return found


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".") if package else []
    if node.level - 1 > len(parts):
        return ""
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


def _literal_import(call: ast.Call) -> str:
    """``__import__('x')`` / ``importlib.import_module('x')`` / ``import_module('x')``'s
    literal name ('' for any other call)."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    if name not in ("__import__", "import_module") or not call.args:
        return ""
    first = call.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    return ""


@functools.lru_cache(maxsize=None)
def _module_imports(stdlib: str, dotted: str, functions: bool = False) -> FrozenSet[str]:
    """The dotted standard modules importing ``dotted`` runs at module level (its own file;
    its parent packages are nodes of their own); with ``functions``, those its functions
    import too (a function of it that runs)."""
    path, is_package = _module_file(stdlib, dotted)
    if not path:
        return frozenset()
    try:
        with open(path, "rb") as handle:
            tree = ast.parse(handle.read(), path)
    except (OSError, SyntaxError, ValueError):
        # fail closed: every import line of it, function bodies included
        return frozenset(stdlib_reach._direct(dotted.split(".")[0]))
    package = dotted if is_package else dotted.rpartition(".")[0]
    return frozenset(module_level(tree, package, functions))


def _expand(dotted: str) -> List[str]:
    """``a.b.c`` imports ``a``, ``a.b``, ``a.b.c``."""
    parts = dotted.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _codecs(stdlib: str) -> List[str]:
    """Every module of ``encodings`` (the locale or PYTHONIOENCODING picks the codec)."""
    folder = os.path.join(stdlib, "encodings")
    try:
        entries = os.listdir(folder)
    except OSError:
        return []
    return [f"encodings.{e[:-3]}" for e in entries if e.endswith(".py") and e != "__init__.py"]


@functools.lru_cache(maxsize=64)
def closure(roots: FrozenSet[str], stdlib: str = "") -> FrozenSet[str]:
    """The top-level standard names importing the dotted modules ``roots`` imports at module
    level, transitively (``module_level``)."""
    stdlib = stdlib or _stdlib()
    seen: Set[str] = set()
    todo = [part for root in roots for part in _expand(root)]
    while todo:
        dotted = todo.pop()
        if dotted in seen or dotted.split(".")[0] not in stdlib_reach.SHADOWABLE:
            continue
        seen.add(dotted)
        for name in _module_imports(stdlib, dotted):
            todo += [part for part in _expand(name) if part not in seen]
    return frozenset(name.split(".")[0] for name in seen)


def start_roots() -> FrozenSet[str]:
    """The dotted standard modules every guarded start may import before its guard: the
    start's modules, every codec, and every import of the files whose functions ``site``
    calls (``SITE_RUNS``, function bodies included)."""
    stdlib = _stdlib()
    roots = set(STDLIB_START + GUARD_BOOT + SITE_RUNS) | set(_codecs(stdlib))
    for dotted in SITE_RUNS:
        for part in _expand(dotted):
            roots |= _module_imports(stdlib, part, True)
    return frozenset(roots)


def pth_line_roots(line: str) -> Tuple[FrozenSet[str], FrozenSet[pth_calls.Call], bool]:
    """What a ``.pth`` import line (run by ``site`` as code) runs: (the modules it imports,
    the calls it makes into them as ``pth_calls.line_calls`` places them, whether it runs
    code Warden cannot read)."""
    return _pth_line_roots(line)


@functools.lru_cache(maxsize=256)
def _pth_line_roots(line: str) -> Tuple[FrozenSet[str], FrozenSet[pth_calls.Call], bool]:
    try:
        tree = ast.parse(line)
    except (SyntaxError, ValueError):
        return frozenset(), frozenset(), True  # site runs it as it reads it: fail closed
    imported: Set[str] = set()
    calls = False
    unread = _computed(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
        elif isinstance(node, ast.Attribute) and node.attr in _LINE_CODE:
            unread = True
        elif isinstance(node, ast.Name) and node.id in _LINE_CODE:
            unread = True  # ``getattr(builtins, 'exec')``, ``vars()``: code not read here
        elif isinstance(node, ast.Call):
            name = _literal_import(node)
            if name:
                imported.add(name)
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in _PLAIN_BUILTINS:
                continue
            while isinstance(func, ast.Attribute):
                func = func.value
            if isinstance(func, ast.Call) and _literal_import(func):
                calls = True  # ``__import__('x').f()``
            elif isinstance(func, ast.Name):
                calls = True  # ``x.f()``, ``os.environ.get()``, ``f()`` from ``from x import f``
            else:
                unread = True  # a subscript's, a lambda's, a call result's: not followed
    imported.discard("")
    # a call runs some module's function: which one, placed by ``pth_calls`` (R57b-4)
    called = pth_calls.line_calls(tree, imported) if calls else frozenset()
    return frozenset(imported), called, unread


# what a .pth line may call without running a module's code (built-in, no import)
_PLAIN_BUILTINS = frozenset(
    {"len", "str", "int", "bool", "tuple", "list", "dict", "set", "frozenset", "isinstance",
     "any", "all", "repr", "sorted", "min", "max", "print", "hasattr"}
)  # fmt: skip

# names in a .pth line that run or reach code Warden does not read from the line: the
# built-ins that run a string, find a name by a string or hand out namespaces, and the
# loaders' methods that run a module found some other way than by name on sys.path
_LINE_CODE = frozenset(_CODE_CALLS) | {
    "getattr", "setattr", "vars", "globals", "locals", "breakpoint", "__builtins__",
    "exec_module", "load_module", "run_path", "run_module", "_call_with_frames_removed",
}  # fmt: skip


def _computed(tree: ast.AST) -> bool:
    """Whether ``tree`` imports a computed name (``__import__(x)``, ``import_module(x)``) or
    runs code it builds (``exec``/``eval``/``compile``, as a name or an attribute)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in ("__import__", "import_module") and not _literal_import(node):
                return True
        if isinstance(node, ast.Name) and node.id in _CODE_CALLS:
            return True
        if isinstance(node, ast.Attribute) and node.attr in _CODE_CALLS:
            return True
    return False


def site_module_names(path: str, dotted: str) -> Tuple[FrozenSet[str], FrozenSet[str], bool]:
    """A site folder's module ``dotted`` (what a ``.pth`` line imports) at ``path``, as (the
    dotted names it imports at module level, every name its import lines name, function
    bodies included, whether it imports a computed name or runs code it builds: its
    imports are then not all read)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return frozenset(), frozenset(), True
    package = dotted if path.endswith("__init__.py") else dotted.rpartition(".")[0]
    return _site_module_names(data, path, package)


@functools.lru_cache(maxsize=64)
def _site_module_names(
    data: bytes, path: str, package: str
) -> Tuple[FrozenSet[str], FrozenSet[str], bool]:
    text = data.decode("utf-8", "replace")
    every = frozenset(stdlib_reach.imported_names(text))
    try:
        tree = ast.parse(data, path)
    except (SyntaxError, ValueError):
        return every, every, True
    return frozenset(module_level(tree, package)), every, _computed(tree)


def names_for(pth_lines: Iterable[str], site_module) -> Optional[FrozenSet[str]]:
    """The top-level names a guarded start with these ``.pth`` import lines imports before its
    guard: ``closure`` of the start's roots and what the lines run; ``site_module(name)`` is
    the file a line's non-standard top-level module is imported from ('' when none, None when
    found but not as a source Warden reads). A non-standard module's own module-level imports
    are followed the same way (its submodules, another site module). None when something
    runs code Warden cannot read (every standard name counts)."""
    roots: Set[str] = set(start_roots())
    named: Set[str] = set()
    todo: List[str] = []  # the non-standard dotted modules the start imports
    for line in pth_lines:
        imported, called, unread = pth_line_roots(line)
        if unread:
            return None
        for dotted in imported:
            top = dotted.split(".")[0]
            if top in stdlib_reach.SHADOWABLE:
                roots.add(dotted)
            else:
                todo.append(dotted)
        for module, chain in called:  # the functions that run: what they import counts
            if module.split(".")[0] in stdlib_reach.SHADOWABLE:
                roots |= pth_calls.called_imports(_stdlib(), module, chain)
    seen: Set[str] = set()
    while todo:
        dotted = todo.pop()
        for part in _expand(dotted):
            named.add(part.split(".")[0])
            if part in seen:
                continue
            seen.add(part)
            path = _site_file(site_module, part)
            if path is None:
                return None  # found where Warden does not read it (an archive, bytecode)
            if not path:
                continue  # none found: the line raises (``SITE_RUNS``)
            level, every, unread = site_module_names(path, part)
            if unread:
                return None
            # its functions may run at the start (a call of the line's, one of its own at
            # module level): every import line of it counts, by module level; a non-standard
            # module its functions import counts by its name (not followed)
            for name in level | every:
                if name.split(".")[0] in stdlib_reach.SHADOWABLE:
                    roots.add(name)
                elif name in level:
                    todo.append(name)
                else:
                    named.add(name)
    return closure(frozenset(roots)) | named


def _site_file(site_module, dotted: str) -> Optional[str]:
    """The source of the non-standard module ``dotted`` (``site_module`` finds its top)."""
    top, _, rest = dotted.partition(".")
    path = site_module(top)
    if not path or not rest:
        return path
    if not path.endswith("__init__.py"):
        return ""  # a module is no package: the submodule import fails
    base = os.path.join(os.path.dirname(path), *rest.split("."))
    for candidate in (os.path.join(base, "__init__.py"), base + ".py"):
        if os.path.isfile(candidate):
            return candidate
    if os.path.isdir(base) or any(
        e.startswith(os.path.basename(base) + ".") for e in _entries(os.path.dirname(base))
    ):
        return None  # a namespace portion, bytecode or extension: not read
    return ""


def _entries(folder: str) -> List[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []
