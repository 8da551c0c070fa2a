"""How ``site.addpackage`` reads a ``.pth`` file's lines: the one contract for the kernel's
line reading (``start_files.pth_path_folders``, ``startup_modules.pth_imports``) and the guard's
write rule in every Python the kernel starts (``start_writes``: the folders path lines add, red
team 34 R34-6b, and the modules import lines import).

Loaded with the guard at every Python's boot, so no imports but ``frozen_os`` (the boot's
``os``) and the built-in ``_ast``: the rule reads site folders with the functions the boot
had, never with a ``os.listdir`` or ``builtins.open`` a guarded Python rebound before its first
write (red team 37a R37a-3), and imports nothing while it reads (R37a-1: an import runs the
process's own finders, ``__import__`` and the modules beside its script).
"""

import _ast

from ..frozen_builtins import FROZEN
from .frozen_os import FROZEN_OS as os  # the boot's os and os.path (red team 37a R37a-3)

# the builtins of the boot for this module's functions (red team 38a R38a-1, R38a-5)
__builtins__ = FROZEN

# a line that starts so is code site runs; any other line but a blank one or a comment is a path
IMPORT_LINE = ("import ", "import\t")
# the boot's ``compile`` (a guarded Python's ``builtins.compile = ...`` is not read)
_COMPILE = compile
_READ = 1 << 16  # bytes per read of a .pth file
_BOM = "\ufeff"

# The built-in ``_ast`` as the boot found it (red team 39a R39a-5): its node classes are
# ordinary mutable classes, so a guarded Python may set ``_ast.Module._fields = ()``, rebind
# ``_ast.Import``, or plant a data descriptor (``names = property(...)``) that ``compile``'s
# own attribute setting goes through. The reading takes the classes, each one's ``_fields``,
# its MRO and a copy of its class dict now (some 60 us at boot), reads a node's fields from
# its own ``__dict__`` with the boot's descriptor, and before and after a parse checks no
# class changed since (``_ast_intact``); when one did, it reads the compiled code instead
# (``_code_names``: every name and string the line holds, a superset). The standard library's
# ``ast`` adds properties to two classes when imported (``Constant.n``/``.s``, ``Tuple.dims``,
# 3.8-3.13), which every kernel does (IPython): a name added to a class dict that neither
# ``compile`` sets nor the reading reads is no change (``_inert_added``, fix44pth).
_ONLY_AST = _ast.PyCF_ONLY_AST
_TYPE_DICT = type.__dict__["__dict__"].__get__
_TYPE_MRO = type.__dict__["__mro__"].__get__
_NODE_DICT = _TYPE_DICT(_ast.AST)["__dict__"].__get__
_NODE = _ast.AST
_IMPORT, _IMPORT_FROM, _CALL, _CONSTANT = _ast.Import, _ast.ImportFrom, _ast.Call, _ast.Constant
# node class -> (its _fields, its MRO, a copy of its class dict), as at boot
_AST_CLASSES = {
    cls: (cls._fields, cls.__mro__, dict(_TYPE_DICT(cls)))
    for cls in _ast.__dict__.values()
    if type(cls) is type and issubclass(cls, _NODE)
}
_CODE = type(_COMPILE("", "<pth>", "exec"))
# the names ``compile`` sets on a node (every class's fields and position attributes): a
# descriptor added under one of these (or a ``__setattr__``) goes between compile and the node
_SET_NAMES = frozenset(
    name
    for cls in _AST_CLASSES
    for name in (*cls._fields, *getattr(cls, "_attributes", ()))
    if type(name) is str
)


def path_line(site: str, line: str) -> str:
    """The folder a ``.pth`` line of ``site`` adds to ``sys.path`` ('' for a blank line, a
    comment, an import line), as ``site.addpackage`` joins it (it adds it when it exists)."""
    if not line.strip() or line.startswith("#") or line.startswith(IMPORT_LINE):
        return ""
    return os.path.join(site, line.rstrip())


def pth_names(entries) -> list:
    """The ``.pth`` files among a site folder's entries, in the order ``site`` reads them
    (every name that ends in ``.pth``, dotfiles included: 3.13 skips those, 3.11 and 3.12 do
    not)."""
    return sorted(name for name in entries if name.endswith(".pth"))


def lines(path: str) -> list:
    """A ``.pth`` file's lines ([] when it cannot be read), read with the boot's ``os``."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except (OSError, ValueError):
        return []
    chunks = []
    try:
        while True:
            chunk = os.read(fd, _READ)
            if not chunk:
                break
            chunks.append(chunk)
    except OSError:
        return []
    finally:
        os.close(fd)
    return text_lines(b"".join(chunks).decode("utf-8", "replace"))


def text_lines(text: str) -> list:
    """The lines some Python's ``site`` may read in a ``.pth`` file's text, in order, each
    once (red team 39c R39c-4): 3.11 and 3.12 read the file as text with universal newlines
    (only ``\\n``, ``\\r``, ``\\r\\n`` end a line: a form feed or ``\\x1c`` inside an
    import line is whitespace to its ``exec``) and keep a leading BOM (a path line), 3.13 drops
    a BOM (``utf-8-sig``) and splits with ``str.splitlines`` (also at ``\\x0b``, ``\\x0c``,
    ``\\x1c``-``\\x1e``, ``\\x85``, ``\\u2028``, ``\\u2029``). Every reading's lines count:
    for an ordinary file they are the same lines; for one written to be read two ways, each
    way's code is read (a line's code is never hidden as another reading's path)."""
    found = {}
    for body in dict.fromkeys((text, text[1:] if text.startswith(_BOM) else text)):
        universal = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if universal and not universal[-1]:
            universal.pop()  # the end of the last line, not a line
        for line in universal + body.splitlines():
            found[line] = None
    return list(found)


def _site_lines(sites):
    """Each ``(site, line)`` of the ``.pth`` files of ``sites``, in ``site``'s order."""
    for site in sites:
        try:
            entries = os.listdir(site)
        except (OSError, ValueError):
            continue
        for name in pth_names(entries):
            for line in lines(os.path.join(site, name)):
                yield site, line


def added_folders(sites) -> list:
    """The folders the ``.pth`` path lines of ``sites`` name, whether they exist now or not
    (a folder made later is added by the next start), as absolute paths."""
    found = []
    for site, line in _site_lines(sites):
        folder = path_line(site, line)
        if folder:
            folder = os.path.abspath(folder)
            if folder not in found:
                found.append(folder)
    return found


def pth_imports(sites) -> set:
    """The top-level modules the ``.pth`` import lines of ``sites`` import by name."""
    names = set()
    for _, line in _site_lines(sites):
        if line.startswith(IMPORT_LINE):
            names |= imported_names(line)
    return names


def imported_names(line: str) -> set:
    """The top-level modules the code of one ``.pth`` import line imports by name:
    ``import x``, ``from x import y`` (not a relative one), and a call whose first argument is
    a string (``__import__('x')``, ``import_module('x')``). Parsed with the built-in ``_ast``
    as the boot found it (no standard-library file: the guard's boot loads this module); when
    this Python changed a node class, every name and string of its compiled code instead."""
    if not _ast_intact():
        return _code_names(line)
    try:
        tree = _COMPILE(line, "<pth>", "exec", _ONLY_AST)
    except (SyntaxError, ValueError):
        return set()  # site's exec fails the same way: nothing imported
    try:
        names = _tree_names(tree)
    except KeyError:  # a node without a field compile sets: made through a changed class
        return _code_names(line)
    return names if _ast_intact() else _code_names(line)


def _tree_names(tree) -> set:
    names = set()
    for node in _walk(tree):
        kind, fields = type(node), _NODE_DICT(node)
        if kind is _IMPORT:
            names |= {_NODE_DICT(alias)["name"].split(".")[0] for alias in fields["names"]}
        elif kind is _IMPORT_FROM and fields["module"] and not fields["level"]:
            names.add(fields["module"].split(".")[0])
        elif kind is _CALL and fields["args"]:
            first = fields["args"][0]
            value = _NODE_DICT(first).get("value") if type(first) is _CONSTANT else None
            if type(value) is str:
                names.add(value.split(".")[0])
    return names


def _walk(tree):
    """Every node of ``tree`` (``ast.walk``'s, without the ``ast`` module), each read by its
    class's boot ``_fields`` from its own ``__dict__`` (KeyError: a field compile did not
    set there)."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        fields = _NODE_DICT(node)
        for field in _AST_CLASSES[type(node)][0]:
            value = fields[field]
            if type(value) in _AST_CLASSES:
                todo.append(value)
            elif type(value) is list:
                todo.extend(v for v in value if type(v) in _AST_CLASSES)


def _ast_intact() -> bool:
    """Whether every ``_ast`` node class has the MRO and class dict (the same objects) it had
    at boot: a descriptor or ``__setattr__`` planted on one changes what ``compile`` puts in
    its nodes, a ``_fields`` what a walk reads. Names added since that are inert
    (``_inert_added``: the standard library's ``ast`` adds some) are no change."""
    for cls, (_fields, mro, boot) in _AST_CLASSES.items():
        live = _TYPE_DICT(cls)
        if _TYPE_MRO(cls) != mro:
            return False
        for key, value in boot.items():
            if live.get(key) is not value:
                return False
        if len(live) != len(boot) and not all(_inert_added(key) for key in live if key not in boot):
            return False
    return True


def _inert_added(key) -> bool:
    """Whether a name added to an ``_ast`` class dict after boot leaves what ``compile`` puts
    in a node and what the walk reads as they were: a plain ``str`` name that is no field or
    attribute compile sets (``_SET_NAMES``) and does not start with ``_`` (no dunder such as
    ``__setattr__``, no ``_fields``): ``ast``'s ``n``, ``s``, ``dims``."""
    return type(key) is str and key[:1] != "_" and key not in _SET_NAMES


def _code_names(line: str) -> set:
    """The first parts of every name and string constant in the compiled code of ``line``
    (nested code too): a superset of what it imports by name, read from code objects, which
    no Python-level class takes part in making (the reading of a Python that changed an
    ``_ast`` class, red team 39a R39a-5)."""
    try:
        todo = [_COMPILE(line, "<pth>", "exec")]
    except (SyntaxError, ValueError):
        return set()
    names = set()
    while todo:
        code = todo.pop()
        for word in code.co_names:
            names.add(word.split(".")[0])
        for const in code.co_consts:
            if type(const) is str:
                names.add(const.split(".")[0])
            elif type(const) is _CODE:
                todo.append(const)
    return names
