"""Which functions of the standard modules a ``.pth`` import line calls, and what those
functions import when they run (red team 57b R57b-4).

``site`` runs a ``.pth`` import line before the guard's ``sitecustomize``; a standard module
whose function the line calls imports, inside that function, modules its module level does
not. Counting every import of the called module's file (function bodies included) refused
ordinary projects: setuptools' ``distutils-precedence.pth`` calls ``os.environ.get``, and
``os.py``'s ``popen`` imports ``subprocess``, which imports ``signal`` and ``select``: a
project's ``signal.py`` on PYTHONPATH was refused though no start imports it.

So the call is placed: ``mod.f()`` runs the functions named ``f`` in ``mod``'s file,
``mod.obj.m()`` (a method of something ``mod`` holds) those named ``m`` and every dunder
method of the file (the protocol calls behind ``obj[k]``, ``len(obj)``...), each followed
through the calls it makes to functions of the same file. What cannot be placed counts the
module's whole file, function bodies included (the earlier rule): a call through a name the
line did not import (``f()`` of a local), a name the module binds by an import or does not
define itself (a star import's, ``os.path``), a file that does not parse.
"""

import ast
import functools
from typing import Dict, FrozenSet, List, Set, Tuple

WHOLE = ("*",)  # a call Warden does not place: the module's every import counts

Call = Tuple[str, Tuple[str, ...]]  # (the dotted module, the attribute chain called on it)


def line_calls(tree: ast.AST, imported: Set[str]) -> FrozenSet[Call]:
    """The calls a ``.pth`` line's syntax ``tree`` makes into the modules it imports
    (``imported``): (module, chain) with ``chain`` the attributes from the module to the
    called function (``("environ", "get")``), ``WHOLE`` for a call not placed."""
    from .start_imports import _PLAIN_BUILTINS, _literal_import

    bound: Dict[str, Tuple[str, Tuple[str, ...]]] = {}  # a name the line imports -> its origin
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound[alias.asname] = (alias.name, ())
                else:
                    top = alias.name.split(".")[0]
                    bound[top] = (top, ())
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                bound[alias.asname or alias.name] = (node.module, (alias.name,))
    found: Set[Call] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _literal_import(node):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in _PLAIN_BUILTINS:
            continue
        chain: List[str] = []
        while isinstance(func, ast.Attribute):
            chain.insert(0, func.attr)
            func = func.value
        if isinstance(func, ast.Call) and _literal_import(func):
            module, first = _literal_import(func), ()
        elif isinstance(func, ast.Name) and func.id in bound:
            module, first = bound[func.id]
        elif isinstance(func, ast.Name):
            # a local's call (``m.__dict__.setdefault``): not placed, every module counts
            found |= {(name, WHOLE) for name in imported}
            continue
        else:
            continue  # a subscript's, a lambda's: the line is unread (``_pth_line_roots``)
        found.add((module, tuple(first) + tuple(chain)))
    return frozenset(found)


def called_imports(stdlib: str, module: str, chain: Tuple[str, ...]) -> FrozenSet[str]:
    """The dotted modules calling ``chain`` on the standard ``module`` imports inside the
    functions that run (with their module level: a submodule the chain goes through)."""
    from .start_imports import _module_file

    found: Set[str] = set()
    while chain and chain != WHOLE and _module_file(stdlib, f"{module}.{chain[0]}")[0]:
        module, chain = f"{module}.{chain[0]}", chain[1:]  # ``importlib.util.f``
        found.add(module)
    if not chain or chain == WHOLE:
        return _whole(stdlib, module) if chain == WHOLE or not found else frozenset(found)
    path, is_package = _module_file(stdlib, module)
    if not path:
        return frozenset(found)  # built in, frozen only or an extension: nothing read here
    read = _functions(path)
    if read is None:
        return _whole(stdlib, module)
    defs, defined, by_import = read
    first = chain[0]
    if first in by_import or first not in defined:
        return _whole(stdlib, module)
    wanted = [first] if len(chain) == 1 else [chain[-1]]
    if len(chain) > 1 or first not in defs:  # a method of an object it holds, a class called
        wanted += [name for name in defs if name.startswith("__") and name.endswith("__")]
    package = module if is_package else module.rpartition(".")[0]
    return frozenset(found | _follow(path, package, tuple(sorted(set(wanted)))))


def _whole(stdlib: str, module: str) -> FrozenSet[str]:
    from .start_imports import _expand, _module_imports

    found: Set[str] = set()
    for part in _expand(module):
        found |= _module_imports(stdlib, part, True)
    return frozenset(found)


@functools.lru_cache(maxsize=64)
def _functions(path: str):
    """A module file's functions by name (methods and nested ones too), the names it defines
    (def, class, assignment) and those it binds by an import; None when it does not parse."""
    try:
        with open(path, "rb") as handle:
            tree = ast.parse(handle.read(), path)
    except (OSError, SyntaxError, ValueError):
        return None
    defs: Dict[str, List[ast.AST]] = {}
    defined: Set[str] = set()
    by_import: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            defs.setdefault(node.name, []).append(node)
            defined.add(node.name)
        elif isinstance(node, ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                defined |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            by_import |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return defs, defined, by_import


@functools.lru_cache(maxsize=256)
def _follow(path: str, package: str, names: Tuple[str, ...]) -> FrozenSet[str]:
    """What the functions ``names`` of the file ``path`` import (their whole bodies), and
    the functions of the same file they call, transitively."""
    from .start_imports import module_level

    defs = _functions(path)[0]
    found: Set[str] = set()
    todo, seen = list(names), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for node in defs.get(name, ()):
            found |= module_level(node, package, True)
            for call in ast.walk(node):
                if isinstance(call, ast.Call):
                    func = call.func
                    called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                    if called in defs and called not in seen:
                        todo.append(called)
    return frozenset(found)
