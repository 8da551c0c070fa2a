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
    return b"".join(chunks).decode("utf-8", "replace").splitlines()


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
    (no standard-library file: the guard's boot loads this module)."""
    try:
        tree = _COMPILE(line, "<pth>", "exec", _ast.PyCF_ONLY_AST)
    except (SyntaxError, ValueError):
        return set()  # site's exec fails the same way: nothing imported
    names = set()
    for node in _walk(tree):
        if isinstance(node, _ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, _ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
        elif isinstance(node, _ast.Call) and node.args:
            first = node.args[0]
            if isinstance(first, _ast.Constant) and isinstance(first.value, str):
                names.add(first.value.split(".")[0])
    return names


def _walk(tree):
    """Every node of ``tree`` (``ast.walk``'s, without the ``ast`` module)."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, _ast.AST):
                todo.append(value)
            elif isinstance(value, list):
                todo.extend(v for v in value if isinstance(v, _ast.AST))
