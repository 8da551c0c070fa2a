"""Whether a pip command imports a module of a folder the cell may write (red team 57a R57a-9).

pip imports more top-level names than its own: optional ones its vendored code tries when
they are there (requests' ``socks``, ``keyring``, ``truststore``, ``OpenSSL``...), and the
standard library's. Its Python looks for each on its path in order: the script's folder (the
working one for ``-m pip``) and PYTHONPATH's words come before the standard library and
pip's site folder, the user site before the site folder of a Python that is no venv, and
the folders the site's ``.pth`` files add after it, for the names it does not hold. A module
there named like one pip imports runs in pip (in the user site and the added folders, which
hold installed packages, one changed since the kernel started, as every start reads them):
``PYTHONPATH=sub pip list`` with the cell's ``sub/socks.py`` runs that file in a pip the line
took Warden's guard from, though ``list`` only reads.

The names are read from the files of the pip that runs (every ``import``, ``from`` and
literal ``__import__``/``import_module`` of its package, function bodies included: the
optional imports sit in ``try`` blocks and functions), by their import lines and, for a
file whose lines may hide one (``try: import x``), by its syntax tree too
(``_read_names``), kept per pip installation while its folder and ``__init__.py`` keep their
identity and times. A standard module counts with the standard modules it reaches in turn
(``stdlib_reach.closure``), in the folders searched before the standard library only.
pip's files are read only when a searched folder holds an entry that may be a module, once
per pip installation; then a pip command costs the listings of its folders (kept while they
are unchanged: ``startup_modules.listing``).

Left out (not followed): names pip imports through a computed name (pkg_resources' namespace
packages, entry points a plugin lookup loads), the modules of pip's own site folder.
"""

import ast
import os
import re
from typing import Callable, Dict, FrozenSet, Iterable, List, Optional, Tuple

from . import guardless, pip_program, start_files, start_imports, startup_modules, stdlib_reach
from .start_names import STDLIB_START

# pip installation's real folder -> (its identity and times, the top-level names it imports)
_KEPT: Dict[str, Tuple[tuple, FrozenSet[str]]] = {}
_KEPT_MAX = 16

# where a folder stands on pip's path: before the standard library, after it and before the
# site folders, after the site folders
_EARLY, _USER, _ADDED = "early", "user", "added"

# what refusing tells the user to do
_FIX = "rename or move that file, or run pip without that folder on its path"


def problem(
    python: str,
    first: List[str],
    flags: set,
    env: Dict[str, str],
    here: Optional[str],
    makers: tuple = (),
) -> str:
    """Why pip run by the Python ``python`` (its path; '' when Warden cannot tell) imports a
    module Warden does not read ('' when it does not): ``first``, the folder its path starts
    with (the script's; the working one for ``-m``, where ``flags`` allow); ``env``, the
    line's variables; ``here``, the folder it starts in (None: one Warden cannot tell);
    ``makers``, where the commands before it on the line may write or make a name
    (``commands._MAKERS``: (writer, place) pairs, as ``dangling.maker`` reads them)."""
    early, problem_text = _early_folders(first, flags, env, here)
    if problem_text:
        return problem_text
    sites = start_files.site_folders(python) if python else []
    user, added = _late_folders(python, sites, flags, env, here) if python else ([], [])
    for folder in early + user + added:
        problem_text = _unsure_folder(folder, makers)
        if problem_text:
            return problem_text
    written = _line_written(early, user + added, makers)
    if written:
        names = _pip_names(python, sites, env, here) if python else None
        problem_text = _written_problem(written, names)
        if problem_text:
            return problem_text
    entries = [(folder, _modules(folder), _EARLY) for folder in early]
    entries += [(folder, _modules(folder), _USER) for folder in user]
    entries += [(folder, _modules(folder), _ADDED) for folder in added]
    for folder, found, _ in entries:
        if found is None:
            return (
                f"pip's Python searches {folder} for the modules it imports, a path Warden "
                f"cannot list (an archive, or a folder it cannot read): {_FIX}"
            )
    if not any(found for _, found, _ in entries):
        return ""  # nothing there can be imported: pip's files need not be read
    names = _pip_names(python, sites, env, here) if python else None
    if names is None and any(
        _module_path(folder, stem, paths)
        for folder, found, _ in entries
        for stem, paths in (found or {}).items()
    ):
        which = f"the pip {python} runs" if python else "which Python this pip runs"
        return (
            f"Warden cannot find {which}, to tell which modules it imports from the folders "
            f"on its path: {_FIX}"
        )
    if names is None:
        return ""  # no folder holds a module (a program's own file, a data folder's files)
    stdlib = _early_stdlib(names)
    for folder, found, place in entries:
        for stem in sorted(found or ()):
            if stem in names and (place == _EARLY or stem not in stdlib_reach.SHADOWABLE):
                what = f"{stem} is a module pip's own files import"
            elif place == _EARLY and stem in stdlib:
                what = f"{stem} stands for a standard module pip's start reaches"
            else:
                continue
            if place == _ADDED and guardless._find(stem, sites)[0] in ("package", "module"):
                continue  # the site folders, searched first, hold it (pip itself)
            path = _module_path(folder, stem, found[stem])
            if path and place != _EARLY and not _changed(folder, stem, sites):
                continue  # an installed module, as the other starts read these folders
            if path:
                return (
                    f"pip imports {path} ({what}) from a folder its Python searches before "
                    f"pip's own files, code Warden does not read in a pip that may run without "
                    f"Warden's guard: {_FIX}"
                )
    return ""


def _unsure_folder(folder: str, makers: tuple) -> str:
    """Why a folder pip's Python searches may be another when pip runs ('' none): a link
    leading nowhere now (``PYTHONPATH=L`` with ``L -> m/../real``: no folder to list), which a
    command before pip on the line may make resolve (``mkdir m``: red team 81 R81-2)."""
    if not makers or (os.path.isdir(folder) and not os.path.islink(folder)):
        return ""  # a plain folder: what the line writes in it is ``_line_written``'s
    from . import dangling

    reason = dangling.unsure(folder)
    writer = dangling.maker(reason, makers) if reason is not None else ""
    if not writer:
        return ""
    what = f"a folder pip's Python searches for modules ({folder})"
    return dangling.refusal(reason, writer, what)


# a written entry: (writer, its place, the searched folder it lands in, the module name it may
# be there ('' any name), whether that folder comes before the standard library)
Written = Tuple[str, str, str, str, bool]


def _line_written(early: List[str], late: List[str], makers: tuple) -> List[Written]:
    """Where the commands before pip on the line (``makers``) may write a module in a folder
    pip's Python searches (red team 81 R81-3: ``cp x.py sub/socks.py && PYTHONPATH=sub pip
    list``; Warden lists the folders before the line runs). A place Warden cannot tell, a
    tree over a folder, a folder a writer may fill with any name: any name; a named place: the
    module its first name under the folder is. ``mkdir`` makes empty folders only (a namespace
    portion runs nothing)."""
    found: List[Written] = []
    folders = [(f, True) for f in early] + [(f, False) for f in late]
    for writer, place in makers:
        name = str(writer).rstrip("/")
        if name == "mkdir":
            continue
        if not place:
            found.append((name or "a writer", "", "", "", True))
            continue
        tree = str(writer).endswith("/")
        any_name = tree or type(place).__name__ == "AnyName"
        for folder, is_early in folders:
            if place == folder and not os.path.isdir(folder):
                # the searched name itself, no folder now: it may become one, or an archive
                # (``cp evil.zip sub.zip && PYTHONPATH=sub.zip pip list``)
                found.append((name, place, folder, "", is_early))
                continue
            for at in {place, os.path.realpath(place)}:
                for where in {folder, os.path.realpath(folder)}:
                    if any_name and (at == where or _under(where, at)):
                        found.append((name, at, folder, "", is_early))
                    elif _under(at, where):
                        top = os.path.relpath(at, where).split(os.sep)[0]
                        found.append((name, at, folder, top.partition(".")[0], is_early))
    return found


def _written_problem(written: List[Written], names: Optional[FrozenSet[str]]) -> str:
    """Why a module the line writes may run in pip ('' none): a name pip's files import, or
    (before the standard library) a standard module pip reaches; any name when the writer's
    place or the names are unknown."""
    stdlib = _early_stdlib(names)
    for writer, place, folder, stem, is_early in written:
        if not place:
            why = "writes where Warden cannot tell (a folder pip's Python searches, maybe)"
        elif not stem:
            why = f"may write a module of any name in {folder}, a folder pip's Python searches"
        elif names is None or stem in names or (is_early and stem in stdlib):
            why = f"may write {place}, the module {stem} pip may import from {folder}"
        else:
            continue
        return (
            f"an earlier command on the line ({writer}) {why}: code Warden does not read in a "
            f"pip that may run without Warden's guard; {_FIX}, or run pip as its own line"
        )
    return ""


def _under(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip("/") + "/")


def _early_stdlib(names: Optional[FrozenSet[str]]) -> FrozenSet[str]:
    """The standard modules pip's start reaches, which a folder before the standard library
    may stand for."""
    return stdlib_reach.closure(frozenset((names or set()) | set(STDLIB_START) | {"runpy"}))


def _changed(folder: str, stem: str, sites: List[str]) -> bool:
    """Whether a file of the module ``stem`` in ``folder`` (a user site, a folder a ``.pth``
    line adds) changed since the kernel started and is no copy Warden vouches for: those
    folders hold installed packages (a path line to another environment's site folder), read
    as ``start_files`` reads them for every start (R29a-9, R34-6b)."""
    return any(
        start_files._new(path) and not start_files._vouched(path, sites)
        for path in start_files._module_files(folder, stem)
    )


def _early_folders(
    first: List[str], flags: set, env: Dict[str, str], here: Optional[str]
) -> Tuple[List[str], str]:
    """The folders searched before the standard library: ``first``, then PYTHONPATH's words
    (``startup_modules.pythonpath_folders``: the line's, else the inherited and this
    process's), and the problem when a relative one is read from a folder Warden cannot tell."""
    unknown: List[str] = []

    def folder() -> str:
        if here is None:
            unknown.append("")
            return "."
        return here

    found = list(first) + startup_modules.pythonpath_folders(flags, env, folder)
    if unknown:
        return [], (
            "pip's PYTHONPATH names a folder relative to one Warden cannot tell (a cd it "
            "cannot follow), where a module pip imports may be: write the path in full"
        )
    return found, ""


def _late_folders(
    python: str, sites: List[str], flags: set, env: Dict[str, str], here: Optional[str]
) -> Tuple[List[str], List[str]]:
    """The folders searched after the standard library: before pip's site folders ``sites``
    (the user site of a Python that is no venv, and what its ``.pth`` files add), and after
    them (what their ``.pth`` files add)."""
    folder: Callable[[], str] = lambda: here or "."  # noqa: E731 - a relative PYTHONUSERBASE
    if "S" in flags:
        return [], []
    user = startup_modules.user_sites(flags, env, folder) if _user_site(python, flags) else []
    user += start_files.pth_path_folders(user)
    added = [f for f in start_files.pth_path_folders(sites) if f not in user]
    return list(dict.fromkeys(user)), added


def _user_site(python: str, flags: set) -> bool:
    """Whether the Python's path may hold a user site: not for a venv that does not include
    the system site folders (``site.venv`` turns it off), nor with ``-s``/``-I``/``-S``."""
    if flags & {"s", "I", "S"}:
        return False
    cfg = start_files.venv_config(python)
    if not cfg:
        return True
    return start_files._config_value(cfg, "include-system-site-packages").lower() == "true"


def _modules(folder: str) -> Optional[Dict[str, List[str]]]:
    """The entries of ``folder`` that may be a top-level module by their name (a module file:
    source, bytecode, extension; a name without a dot: a folder, a package or a namespace
    portion), by that module's name; None when the path is one Warden cannot list (a word
    inside an archive, a folder it cannot read); {} when it is no folder. Names only: one
    ``stat`` of the folder while it is unchanged (``startup_modules.listing``)."""
    if startup_modules.archive_part(folder):
        return None
    if not os.path.isdir(folder):
        return {}
    entries = startup_modules.listing(folder)
    if not entries:
        try:
            entries = os.listdir(folder)
        except OSError:
            return None
    found: Dict[str, List[str]] = {}
    for entry in entries:
        stem, dot, suffix = entry.partition(".")
        if stem.isidentifier() and (
            not dot or suffix in ("py", "pyc", "pyw", "so") or suffix.endswith(".so")
        ):
            found.setdefault(stem, []).append(entry)
    return found


def _module_path(folder: str, stem: str, entries: List[str]) -> str:
    """The entry of ``folder`` the import system takes for the module ``stem`` ('' none): a
    module file, or a folder (a namespace portion too: ``import OpenSSL.SSL`` runs its
    ``SSL.py``), but a namespace ``pip/``, which yields to the installed pip."""
    for entry in sorted(entries):
        path = os.path.join(folder, entry)
        if "." in entry:
            return path
        if os.path.isdir(path) and (
            stem != "pip" or guardless._find(stem, [folder])[0] == "package"
        ):
            return path
    return ""


def _pip_names(
    python: str, sites: List[str], env: Dict[str, str], here: Optional[str]
) -> Optional[FrozenSet[str]]:
    """The top-level names the pip installations the Python may run import (a pyenv shim may
    run any of its versions'); None when its site folders hold no pip Warden can read. Its
    site folders as ``guardless`` places them (the kernel's own path, a venv's, pyenv's) and
    as ``site`` finds them from its installation (``sites``: a distribution's
    ``dist-packages``)."""
    places = (guardless._site_path(python, here or ".", env) or []) + sites
    packages = [p for p in (_pip_package(site) for site in dict.fromkeys(places)) if p]
    if not packages:
        return None
    names: FrozenSet[str] = frozenset()
    for package in dict.fromkeys(packages):
        names |= names_of(package)
    return names


def _pip_package(site: str) -> str:
    package = os.path.join(site, "pip")
    if not os.path.isfile(os.path.join(package, "__init__.py")):
        return ""
    return os.path.realpath(package)


def names_of(package: str) -> FrozenSet[str]:
    """The top-level names the files of the pip package folder ``package`` import, kept while
    its folder and ``__init__.py`` keep their identity and times (an upgrade replaces both)."""
    stamp = _stamp(package)
    kept = _KEPT.get(package)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    names = frozenset(_read_names(package))
    if len(_KEPT) >= _KEPT_MAX:
        _KEPT.clear()
    _KEPT[package] = (stamp, names)
    return names


def _stamp(package: str) -> tuple:
    parts = []
    for path in (package, os.path.join(package, "__init__.py")):
        try:
            info = os.stat(path)
        except OSError:
            parts.append(None)
            continue
        parts.append((info.st_dev, info.st_ino, info.st_mtime_ns, info.st_ctime_ns))
    return tuple(parts)


# a source line where an import may stand that the import lines' reading does not see: after a
# `:` or `;` (`try: import socks`), a name given to a call (`__import__("x")`), an import
# line continued with a backslash (`import a, \\` then `b`)
_HIDDEN_IMPORT = re.compile(
    rb"[:;][ \t]*(?:import|from)[ \t]|__import__|import_module|^[ \t]*import[^\n#]*\\\r?\n",
    re.M,
)


def _read_names(package: str) -> Iterable[str]:
    """Every top-level name an import of the package's sources names (relative imports are
    pip's own). Each source by its import lines (``stdlib_reach.imported_names``: a docstring's
    line counts too, reading too many is the safe side), and a source holding an import those
    do not show (``_HIDDEN_IMPORT``) by its syntax tree as well (``start_imports.module_level``,
    function bodies included, literal ``__import__``/``import_module`` names): the trees of
    all of pip's 6 MB cost seconds, these a fraction of one. A source that does not parse
    counts by its import lines alone."""
    root = os.path.dirname(package)
    names = set()
    for folder, subs, files in os.walk(package):
        subs[:] = sorted(s for s in subs if s != "__pycache__")
        dotted = os.path.relpath(folder, root).replace(os.sep, ".")
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            try:
                with open(os.path.join(folder, name), "rb") as fh:
                    source = fh.read()
            except OSError:
                continue
            names |= stdlib_reach.imported_names(source.decode("utf-8", "replace"))
            if not _HIDDEN_IMPORT.search(source):
                continue
            try:
                tree = ast.parse(source)
            except (SyntaxError, ValueError):
                continue
            found = start_imports.module_level(tree, dotted, functions=True)
            names |= {module.split(".")[0] for module in found}
    names.discard("")
    names.discard("__main__")  # the running script, already imported
    return names


def python_of(program: str, find: Callable[[str], Optional[str]]) -> str:
    """The Python a pip program file runs ('' when Warden cannot tell: ``pip_program``)."""
    return pip_program.interpreter_of(program, find)
