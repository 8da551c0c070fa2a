"""What a child Python runs at START-UP, before any code Warden reads (red team 13).

A Python imports some modules by name from ``sys.path`` while it starts, before ``site``
runs the guard's ``sitecustomize`` and before the script or ``-c`` code: ``encodings``
(init), the warning categories of ``-W``/PYTHONWARNINGS (``action::module.Category``
imports ``module``, R13-6), then, through ``site``, ``sitecustomize``, ``usercustomize`` and
what the site folders' ``.pth`` lines import (R13-10). At that point ``sys.path`` is the
PYTHONPATH folders, then the standard library (checked under 3.11: no script folder, no
site-packages yet). A folder of the cell's on PYTHONPATH holding one of these names runs
code no reading sees; this module finds such folders.

``-X`` options and a pycache prefix (R13-7) change what a child runs too: ``HARMLESS_X``
lists the options that only tune or report.
"""

import glob
import os
import re
import stat
import time
from contextvars import ContextVar
from typing import Dict, Iterable, Iterator, List, Optional, Set, Tuple

from ..boot_sys import BOOT_SYS  # sys as at the boot (red team 49a)
from . import kernel_age
from .kernel_age import _changed, changed_since_start  # noqa: F401 (its readers)
from .pth_lines import IMPORT_LINE, imported_names, text_lines
from .start_names import STDLIB_START

# The environment the start being read is given (Popen's ``env=``; os.environ for a shell
# line), set by ``commands.shell_environment``: what a child has where the reading's own env
# (the line's assignments, ``guard_env``'s losses) does not say. None: this process's.
START_ENVIRON: ContextVar[Optional[Dict[str, str]]] = ContextVar(
    "warden_start_environ", default=None
)


def inherited(name: str, default: str = "") -> str:
    """The value of ``name`` the start inherits (``START_ENVIRON``, else this process's)."""
    given = START_ENVIRON.get()
    return (os.environ if given is None else given).get(name, default)


# Modules a Python 3.8-3.13 imports while it starts, by name through sys.path, when they are
# not built in (`python -S -c "import sys; print(sorted(sys.modules))"` and `-X importtime`,
# 3.11; `site` adds os, stat, posixpath, genericpath, _collections_abc, _sitebuiltins).
# 3.11+ freezes most of them, but 3.10 and older, debug builds and `-X frozen_modules=off`
# take them from the folders: all count. `warnings` starts with any -W/PYTHONWARNINGS or -X
# dev; `runpy`, `types` and `importlib` run every `-m`; 3.8 and 3.9 import `_bootlocale`.
INIT_MODULES = frozenset(
    (
        "encodings", "codecs", "io", "abc", "site", "os", "stat", "posixpath", "genericpath",
        "_collections_abc", "_sitebuiltins", "warnings", "zipimport", "sitecustomize",
        "usercustomize", "runpy", "types", "importlib", "_distutils_hack", "_bootlocale",
    )
)  # fmt: skip

# `-X` options that tune or report and never change which code runs or where it comes from
# (CPython's -X list, 3.11 to 3.13). Not here: pycache_prefix (compiled modules from a folder
# of the cell's: R13-7), presite (imports a module before site), and any option Warden does
# not know. frozen_modules=off takes the frozen start-up modules from the standard library's
# files, and from PYTHONPATH folders first: INIT_MODULES counts those names always.
HARMLESS_X = frozenset(
    (
        "utf8", "dev", "importtime", "faulthandler", "tracemalloc", "showrefcount",
        "warn_default_encoding", "no_debug_ranges", "int_max_str_digits", "frozen_modules",
        "perf", "perf_jit", "cpu_count", "gil", "context_aware_warnings",
        "thread_inherit_context", "disable_remote_debug",
    )
)  # fmt: skip

# how an importable module named N may look in a folder (source, compiled, extension)
_MODULE_FILES = ("{}.py", "{}.pyc", "{}.pyw", "{}.so", "{}.*.so")


def option_values(options: List[str], letter: str) -> List[str]:
    """The values of one valued interpreter option (``-W ignore``, ``-Wignore``,
    ``-bX utf8``) among a Python's own options (as ``commands.python_start`` split them)."""
    values, i = [], 0
    while i < len(options):
        word = options[i]
        if word.startswith("-") and not word.startswith("--"):
            at = word.find(letter, 1)
            # the letters before it must be flags: a valued letter earlier takes the rest
            if at > 0 and not any(c in "WXQcm" for c in word[1:at]):
                if word[at + 1 :]:
                    values.append(word[at + 1 :])
                elif i + 1 < len(options):
                    values.append(options[i + 1])
                    i += 1
        i += 1
    return values


def unknown_x_option(options: List[str]) -> str:
    """The first ``-X`` option of a Python's options that is not ``HARMLESS_X`` ('' if none):
    a child given it may not run the guard or the code Warden reads (R13-7)."""
    for value in option_values(options, "X"):
        name = value.split("=", 1)[0]
        if name not in HARMLESS_X:
            return value
    return ""


# Python's variables that choose where its STANDARD LIBRARY (encodings, site, os...) comes
# from: set to anything but this installation's own, every module it starts with may be the
# cell's (R14-12), as with a pycache prefix.
def stdlib_location(flags: Set[str], env: Dict[str, str]) -> str:
    """The variable (PYTHONHOME, PYTHONPLATLIBDIR) that moves the standard library of a
    Python started this way away from this installation's ('' when none does; ``-I``/``-E``
    ignore both)."""
    from .own_python import OWN

    if flags & {"I", "E"}:
        return ""
    own = {"PYTHONHOME": os.path.realpath(OWN.base_prefix), "PYTHONPLATLIBDIR": OWN.platlibdir}
    for name, mine in own.items():
        values = {env.get(name, ""), inherited(name)} - {""}  # the line's, or the given one
        for value in values:
            if (os.path.realpath(value) if name == "PYTHONHOME" else value) != mine:
                return name
    return ""


def warning_filters(options: List[str], flags: Set[str], env: Dict[str, str]) -> List[str]:
    """The warning filters a Python started this way applies while it starts, before ``site``:
    its ``-W`` options, then PYTHONWARNINGS (the line's, else the one the start inherits:
    ``inherited``; not with ``-I``/``-E``), one filter a comma."""
    filters = option_values(options, "W")
    if not flags & {"I", "E"}:
        filters += env.get("PYTHONWARNINGS", inherited("PYTHONWARNINGS")).split(",")
    return filters


def warning_modules(options: List[str], flags: Set[str], env: Dict[str, str]) -> Set[str]:
    """The top-level modules a Python imports at start to apply its warning filters (R13-6):
    the ``module`` of each ``action:message:module.Category:...`` among its
    ``warning_filters``. A category without a dot is a builtin: nothing imported."""
    names = set()
    for item in warning_filters(options, flags, env):
        parts = item.split(":")
        category = parts[2].strip() if len(parts) > 2 else ""
        if "." in category:
            module = category.rpartition(".")[0]
            names.add(module.split(".")[0].strip())
    names.discard("builtins")
    return names


def warning_imports(options: List[str], flags: Set[str], env: Dict[str, str]) -> bool:
    """Whether applying a start's warning filters imports modules by name from ``sys.path``
    (the PYTHONPATH folders, then the standard library) before ``site`` runs the guard (red
    team 38c R38c-1): a dotted category imports its module, and that module whatever it
    imports (``json`` pulls in ``re``, ``enum``, ``collections``...); a filter with a message
    or module field imports ``re`` (``warnings._setoption``, 3.8-3.13). Any standard module
    may so run before the guard: ``commands`` then asks the whole standard library."""
    for item in warning_filters(options, flags, env):
        parts = [part.strip() for part in item.split(":")]
        category = parts[2] if len(parts) > 2 else ""
        if ("." in category and not category.startswith("builtins.")) or any(
            parts[k] for k in (1, 3) if len(parts) > k
        ):
            return True
    return False


def stdlib_named(folders: Iterable[str]) -> Optional[str]:
    """The first entry of the PYTHONPATH ``folders`` named like a standard module
    (``OWN.stdlib_module_names``, any top-level module or package: a warning category's module
    imports from these folders first, R38c-1), or a word Warden cannot list (``archive_part``,
    a folder it cannot read); None when none."""
    from .own_python import OWN

    names = OWN.stdlib_module_names
    for folder in folders:
        if archive_part(folder):
            return folder
        if os.path.isdir(folder):
            try:
                entries = os.listdir(folder)
            except OSError:
                return f"{folder} (a folder Warden cannot list)"
            for entry in sorted(entries):
                if entry.partition(".")[0] in names:
                    return os.path.join(folder, entry)
    return None


def pythonpath_folders(flags: Set[str], env: Dict[str, str], folder) -> List[str]:
    """The PYTHONPATH folders a Python started this way searches at start, before its
    standard library (none with ``-I``/``-E``): the line's PYTHONPATH, the real one where the
    reading marked the start guardless (``commands.GuardLost``), else the inherited one; an
    empty or relative word names a folder under the working folder ``folder()``, asked only
    then (it may be one Warden cannot follow)."""
    if flags & {"I", "E"}:
        return []
    pythonpath = env.get("PYTHONPATH")
    pythonpath = getattr(pythonpath, "real", pythonpath)
    if pythonpath is None:
        # the environment the start is given (Popen's env=: red team 56a R56a-3's
        # ``guarded_start_holder`` reads it) AND this process's os.environ, which the line's
        # own writers were weighed against (R31-6b: ``os.environ['PYTHONPATH'] += d`` before a
        # shell line writing d/_distutils_hack.py): both, the stricter reading
        given, own = inherited("PYTHONPATH"), os.environ.get("PYTHONPATH", "")
        pythonpath = os.pathsep.join(p for p in dict.fromkeys((given, own)) if p)
    if not pythonpath:
        return []
    words = pythonpath.split(os.pathsep)
    if all(os.path.isabs(word) for word in words):
        return words
    where = folder()
    return [os.path.join(where, word) for word in words]


def archive_part(word: str) -> str:
    """The part of a path word (a PYTHONPATH or ``sys.path`` entry) that makes it one Warden
    cannot list: walked up to its first part that exists, as zipimport walks it, that part
    when it is no folder ('' when it is one, or nothing exists). zipimport opens a file there
    as an archive and imports from the folder the rest of the word names inside it (red team
    28a R28a-2: ``/w/a.zip/inner``, the relative ``a.zip/inner``), so such a word holds
    anything; the archive itself (``a.zip``) is its own first part. The word is walked as
    written and normalised (``a.zip/x/..``): zipimport takes it as written, ``site`` makes
    ``sys.path`` absolute."""
    for path in dict.fromkeys((word, os.path.abspath(word))):
        while True:
            try:
                mode = os.stat(path).st_mode
            except (OSError, ValueError):
                parent = os.path.dirname(path)
                if parent == path:
                    break
                path = parent
                continue
            if not stat.S_ISDIR(mode):
                return path
            break
    return ""


def holder(folders: Iterable[str], names: Iterable[str]) -> Optional[str]:
    """The first of ``folders`` that holds a module or package named one of ``names`` (a
    namespace folder too, unless the name is one of ``INIT_MODULES``: ``_package``), as
    'folder/name', or a PYTHONPATH word inside a file (``archive_part``: a zip archive Python
    imports from), as the word; None when none does."""
    from ...boot.launch_env import SITE_DIR

    own = os.path.abspath(SITE_DIR)
    names = sorted(set(names))
    for folder in folders:
        if os.path.abspath(folder) == own:
            continue  # Warden's guard folder: its sitecustomize is the guard
        if archive_part(folder):
            return folder  # an archive, or a folder inside one: its modules are not listed
        for name in names:
            package = os.path.join(folder, name)
            if os.path.isdir(package) and (_package(package) or _namespace_counts(name)):
                return package
            for pattern in _MODULE_FILES:
                hits = glob.glob(os.path.join(glob.escape(folder), pattern.format(name)))
                if hits:
                    return hits[0]
    return None


def guarded_start_holder(folders: List[str], sites: Iterable[str]) -> Optional[str]:
    """Red team 56a R56a-3: the module a Python that keeps Warden's guard imports from one of
    its PYTHONPATH ``folders`` (as they are NOW) before the guard's ``sitecustomize`` runs
    (None when none): Python imports ``encodings`` at init, and on 3.10 and older, debug
    builds and ``-X frozen_modules=off`` the rest of its start (``os``, ``site``...:
    ``STDLIB_START``), by name from ``sys.path``, where PYTHONPATH's folders come first;
    ``site`` then runs its ``sites``' ``.pth`` import lines (``_distutils_hack``, an editable
    finder, and the standard modules those import: the finder's ``pathlib``, then ``re``,
    ``fnmatch``...) before ``sitecustomize``. Only what those run counts (``start_names``:
    module-level imports, red team 56d R56d-2: a project's ``secrets.py`` or ``statistics.py``
    no start imports stays allowed). The guard's ``sitecustomize`` is found first (its folder
    leads a guarded start's PYTHONPATH, after the standard library's at most) and boots the
    guard with the PYTHONPATH folders off ``sys.path``: another ``sitecustomize`` (chained by
    the guard) and ``usercustomize`` run guarded, and are left out. Every folder counts, those
    the kernel was started with too (a project's ``src``: the cell writes there), and the
    guard's own (the kernel may write Warden's package). A folder that exists but cannot be
    listed, or a word inside a file (an archive), counts. One ``stat`` a folder while it is
    unchanged (``listing``); the names are kept by the site folders' ``.pth`` files."""
    sites = list(sites)
    names = set(start_names(sites))
    names -= {"sitecustomize", "usercustomize"}
    names -= set(BOOT_SYS.builtin_module_names)  # R57b-5: never looked up on sys.path
    own = {os.path.realpath(f) for f in sites} & _own_sites()
    for folder, held in placed_names(folders, names, own):
        found = _listed_holder(folder, held) if held else None
        if found:
            return found
    return None


def _own_sites() -> Set[str]:
    """The kernel's own site folders, as its start found them (``OWN``'s), by their real
    paths (a venv's ``lib64`` is a link to its ``lib``)."""
    from .own_python import OWN

    return {os.path.realpath(f) for f in [*OWN.site_packages, OWN.user_site] if f}


def placed_names(
    places: Iterable[str], early: Set[str], own_sites: Set[str]
) -> Iterator[Tuple[str, Set[str]]]:
    """Each of a start's PYTHONPATH ``places`` (absolute, in order) with the names of
    ``early`` (what the start imports by name before its guard) a module there may stand in
    for, as Python finds them: none in the standard library's own folders (they hold the
    library's modules, whose changes ``start_files`` checks); past the library, only names no
    standard module has (one cannot be reached past it), and none in the ``own_sites`` (they
    hold what ``site`` finds there anyway, its ``.pth`` files checked as the start's; real
    paths, ``_own_sites``). Shared
    by ``guard_shadowed`` (a change of the kernel's PYTHONPATH) and ``guarded_start_holder``
    (red team 57b R57b-3: a cell handing ``sys.path`` on as PYTHONPATH was refused for the
    library's own ``__future__.py``)."""
    from .own_python import OWN

    stdlib = {os.path.abspath(f) for f in stdlib_folders()}
    # past the library once every library folder there is was passed: an extension module
    # (lib-dynload's ``select``) is found only in its own folder
    unpassed = {f for f in stdlib if os.path.exists(f)}
    late = {name for name in early if name not in OWN.stdlib_module_names}
    past_library = False
    for place in places:
        at = os.path.abspath(place)
        if at in stdlib:
            unpassed.discard(at)
            past_library = past_library or not unpassed
            yield place, set()
        elif past_library and os.path.realpath(at) in own_sites:
            yield place, set()
        else:
            yield place, late if past_library else early


# (the site folders, their .pth files' identities) -> ``start_names``
_START_NAMES: Dict[tuple, frozenset] = {}


def start_names(sites: List[str]) -> frozenset:
    """The top-level names a guarded start with the site folders ``sites`` imports by name
    before its guard (``start_imports.names_for``; every standard name when a ``.pth`` line
    runs code Warden cannot read), and every name the ``.pth`` lines import. Kept while the
    ``.pth`` files keep their times, inode and size (``_pth_file_imports``' rule)."""
    from . import start_files, start_imports, stdlib_reach

    files = [pth for site in sites for pth in pth_files(site)]
    key_parts = []
    for pth in files:
        try:
            info = os.stat(pth)
        except (OSError, ValueError):
            continue
        key_parts.append((pth, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_size))
    key = (tuple(sites), tuple(key_parts))
    kept = _START_NAMES.get(key)
    if kept is not None:
        return kept
    lines = []
    for pth in files:
        try:
            with open(pth, encoding="utf-8", errors="replace") as handle:
                lines += [ln for ln in text_lines(handle.read()) if ln.startswith(IMPORT_LINE)]
        except OSError:
            continue

    where = sites + start_files.pth_path_entries(sites)  # path lines add before later lines

    def site_module(name: str) -> Optional[str]:
        # a module in an archive, compiled or an extension: not read (None: fail closed)
        found = start_files._first_module(where, (name,))
        if found and os.path.isdir(found):
            found = os.path.join(found, "__init__.py")
        if not found:
            return ""
        return found if found.endswith(".py") and os.path.isfile(found) else None

    computed = start_imports.names_for(lines, site_module)
    if computed is None:
        computed = stdlib_reach.SHADOWABLE
    names = frozenset(STDLIB_START) | computed | pth_imports(sites)
    now = time.time_ns()
    if all(now - part[2] >= _SETTLED * 1e9 for part in key_parts):  # not within a tick
        if len(_START_NAMES) >= 64:
            _START_NAMES.clear()
        _START_NAMES[key] = names
    return names


def _listed_holder(folder: str, names: Set[str]) -> Optional[str]:
    """``holder`` for one folder by its kept listing (``listing``: one ``stat`` while it is
    unchanged): a module file (source, bytecode, extension: any ``NAME.*.so``; a bytecode
    only in ``__pycache__`` is never imported without its source), a regular package (a
    namespace folder named like a standard start-up module loses to the library's own, one
    named like a ``.pth`` import does not: ``holder``'s rule), a link to either; an archive
    word or a folder Warden cannot list counts whole."""
    if archive_part(folder):
        return folder
    entries = listing(folder)
    if not entries and os.path.isdir(folder):
        try:
            entries = os.listdir(folder)
        except OSError:
            return f"{folder} (a folder Warden cannot list)"
    for entry in sorted(entries):
        stem, dot, suffix = entry.partition(".")
        if stem not in names:
            continue
        path = os.path.join(folder, entry)
        if not dot:
            if os.path.isdir(path) and (_package(path) or _namespace_counts(stem)):
                return path
        elif suffix in ("py", "pyc", "pyw") or suffix == "so" or suffix.endswith(".so"):
            return path
    return None


def stdlib_folders() -> Tuple[str, str, str]:
    """This Python's own standard-library entries of ``sys.path``, as its start computes them
    after the PYTHONPATH folders: its zip, its library, its lib-dynload (``OWN``'s)."""
    from .own_python import OWN

    return OWN.stdlib_folders()


def guard_shadowed(words: List[str], site: str, folder) -> Optional[str]:
    """What keeps a Python started with PYTHONPATH ``words`` from running the guard in
    ``site`` before any code Warden has not read, in its folders as they are now (the
    settled rule for a change of the kernel's own PYTHONPATH, ``commands._guard_loads``; a
    start is not decided on its folders' content: red team 28a R28a-1); None when nothing does.
    As Python itself finds them (checked 3.11): while it starts, ``sys.path`` is the
    PYTHONPATH folders (an empty or relative word from the start's folder, ``folder()``, None
    when Warden cannot follow it), then the standard library, then the site folders; the
    script's folder comes after ``site`` has run. So:

    - ``site`` must be a word, and no folder ahead of it may hold a ``sitecustomize`` (module,
      bytecode, extension, package; Debian's standard library holds one: R9-15);
    - no other folder may hold a module Python imports while it starts, before the guard
      (R10-6: ``encodings``, a ``.pth`` line's import), unless the module found there is the
      one the child finds anyway: this
      Python's standard-library folders hold their own modules, and after them its site
      folders hold only what ``site`` would find there (a standard module's name cannot be
      reached past the standard library). A folder the kernel was started with is read too:
      a guarded child's PYTHONPATH is its parent's choosing (``sys.path`` a cell extended).

    A word that is a file or names a folder inside one (an archive: ``archive_part``), or a
    folder Warden cannot list, holds anything."""
    from .own_python import OWN

    if site not in words:
        return "it does not hold Warden's guard folder"
    sites = [*OWN.site_packages, OWN.user_site]
    early = (INIT_MODULES - {"sitecustomize", "usercustomize"}) | pth_imports(sites)
    early -= set(BOOT_SYS.builtin_module_names)  # never looked up on sys.path (R57b-5)
    ahead = True
    places: List[str] = []
    for word in words:
        if word == site:
            ahead = False
            continue
        if os.path.isabs(word):
            place = os.path.abspath(word)
        else:
            where = folder()
            if where is None:
                shown = word or repr("")
                return f"its PYTHONPATH word {shown} is read from a folder Warden cannot tell"
            place = os.path.abspath(os.path.join(where, word))
        places.append(place)
        if ahead:  # no sitecustomize ahead of the guard's, the library's own neither (R9-15)
            found = _holder_or_unlisted(place, {"sitecustomize"})
            if found:
                return found
    for place, names in placed_names(places, early, _own_sites()):
        found = _holder_or_unlisted(place, names) if names else None
        if found:
            return found
    return None


def _holder_or_unlisted(folder: str, names: Set[str]) -> Optional[str]:
    """``holder`` for one folder, and a folder that exists but cannot be listed counts."""
    if os.path.isdir(folder):
        try:
            os.listdir(folder)
        except OSError:
            return f"{folder} (a folder Warden cannot list)"
    return holder([folder], names)


def _namespace_counts(name: str) -> bool:
    """Whether a namespace folder (no ``__init__``) named ``name`` on a start's PYTHONPATH
    may be what the start imports: not when the standard library has a module of that name
    (red team 57b R57b-2: a project's ``src/locale/``). The path finder keeps a namespace
    portion only until a later entry of ``sys.path`` holds a module or a regular package of
    the name, and the standard library's folders come after PYTHONPATH's; a start-up module's
    name (``INIT_MODULES``) is the library's own too. Any other name (a ``.pth`` line's
    import, a warning category's module) may be imported from it, or lead to a submodule
    (``-W ignore::quiet.sub.W``): it counts."""
    if name in INIT_MODULES or name in BOOT_SYS.builtin_module_names:
        return False
    if name not in getattr(BOOT_SYS, "stdlib_module_names", ()):
        return True
    zipped, library, dynload = stdlib_folders()
    if os.path.isfile(os.path.join(library, name + ".py")) or os.path.isfile(
        os.path.join(library, name, "__init__.py")
    ):
        return False
    return not glob.glob(os.path.join(glob.escape(dynload), glob.escape(name) + ".*so"))


def _package(folder: str) -> bool:
    """Whether a folder is a regular package (its ``__init__`` runs). A namespace folder named
    like a start-up module runs nothing and loses to the standard library's module; one named
    like a warning category's module or a .pth import may lead to a submodule
    (``-W ignore::quiet.sub.W``), so ``holder`` counts those folders whatever they hold."""
    return bool(glob.glob(os.path.join(glob.escape(folder), "__init__.*")))


def pth_imports(site_folders: Iterable[str]) -> Set[str]:
    """The top-level modules the ``.pth`` files of these site folders import by name
    (``import _virtualenv``, ``__import__('_distutils_hack')``): ``site`` runs those lines
    with the PYTHONPATH folders first on sys.path."""
    names: Set[str] = set()
    for site in site_folders:
        for pth in pth_files(site):
            names |= _pth_file_imports(pth)
    return names


# (a .pth file, its times, inode and size) -> the names its lines import: ``pth_imports``
_PTH_IMPORTS: Dict[Tuple[str, tuple], frozenset] = {}


def _pth_file_imports(pth: str) -> frozenset:
    """The top-level modules one ``.pth`` file's lines import, kept while its times, inode
    and size stay (a rewrite changes its ctime, which a cell cannot set back), as ``listing``
    keeps a folder's: every guarded start reads its site folders' (fix 70startpath: twice)."""
    try:
        info = os.stat(pth)
    except (OSError, ValueError):
        return frozenset()
    key = (pth, (info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_size))
    kept = _PTH_IMPORTS.get(key)
    if kept is not None:
        return kept
    try:
        with open(pth, encoding="utf-8", errors="replace") as handle:
            lines = text_lines(handle.read())  # every way a site reads it (R39c-4)
    except OSError:
        return frozenset()
    found = frozenset(name for line in lines for name in pth_line_imports(line))
    if time.time() - info.st_ctime >= _SETTLED:
        if len(_PTH_IMPORTS) >= _LISTINGS_KEPT:
            _PTH_IMPORTS.clear()
        _PTH_IMPORTS[key] = found
    return found


def pth_line_imports(line: str) -> Set[str]:
    """The top-level modules one ``.pth`` line imports by name: ``site`` runs a line that
    starts with ``import`` (a space or a tab after it) as code, and adds any other as a path."""
    return _imported(line) if line.startswith(IMPORT_LINE) else set()


def pth_files(site: str) -> List[str]:
    """The ``.pth`` files of a site folder as ``site.addsitedir`` lists them: every name
    ``os.listdir`` gives that ends in ``.pth``, dotfiles included (3.13 skips those, 3.11
    and 3.12 do not; a glob skips them: R14-40). Kept with the folder's kept listing (the
    same list while the folder is unchanged: a site folder has hundreds of entries)."""
    names = listing(site)
    kept = _PTH_FILES.get(site)
    if kept is not None and kept[0] is names:
        return kept[1]
    found = sorted(os.path.join(site, name) for name in names if name.endswith(".pth"))
    if len(_PTH_FILES) >= _LISTINGS_KEPT:
        _PTH_FILES.clear()
    _PTH_FILES[site] = (names, found)
    return found


# site folder -> (the ``listing`` list it was read from, its .pth files): ``pth_files``
_PTH_FILES: Dict[str, Tuple[List[str], List[str]]] = {}


# folder -> ((st_mtime_ns, st_ctime_ns, st_ino, st_dev), its entries): ``listing``
_LISTINGS: Dict[str, Tuple[tuple, List[str]]] = {}
_LISTINGS_KEPT = 512
_SETTLED = 2.0  # seconds: a listing made this soon after the folder changed is not kept


def listing(folder: str) -> List[str]:
    """``os.listdir(folder)`` ([] when it cannot be listed), kept while the folder's identity
    and times stay (adding, removing or renaming an entry changes its mtime and ctime; a cell
    cannot set a ctime back): every Python start reads its site folders (hundreds of entries)
    and standard library's folders (R29a: ``start_files``). A listing made within ``_SETTLED``
    seconds of the folder's last change is not kept (a second change in the same clock tick
    would keep its times), as ``path_programs`` does. The caller must not change the list."""
    try:
        info = os.stat(folder)
    except (OSError, ValueError):
        return []
    key = (info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)
    kept = _LISTINGS.get(folder)
    if kept is not None and kept[0] == key:
        return kept[1]
    try:
        names = os.listdir(folder)
    except (OSError, ValueError):
        return []
    if time.time() - info.st_ctime >= _SETTLED:
        if len(_LISTINGS) >= _LISTINGS_KEPT:
            _LISTINGS.clear()
        _LISTINGS[folder] = (key, names)
    return names


def _imported(line: str) -> Set[str]:
    return imported_names(line)  # one parse for the kernel's reading and the guard's rule


def user_sites(flags: Set[str], env: Dict[str, str], folder) -> List[str]:
    """The user site folders a Python started this way may import ``usercustomize`` from
    (all versions: the child's is not known here); none with ``-s``/``-I``/``-S`` or
    PYTHONNOUSERSITE. A venv's Python has none either, but which Python runs is not always
    known here: counting them is the safe side. A relative PYTHONUSERBASE (or HOME) names a
    folder under the one the child starts in, ``folder()`` (R14-25), asked only then."""
    if flags & {"s", "I", "S"}:
        return []
    ignore_env = "E" in flags
    if not ignore_env and env.get("PYTHONNOUSERSITE", inherited("PYTHONNOUSERSITE")):
        return []
    home = env.get("HOME", inherited("HOME")) or os.path.expanduser("~")
    bases = {os.path.join(home, ".local")}
    if not ignore_env:
        # the line's value, or where the reading's env lost it ('' from guard_env), the one
        # the start is given: both read (the safe side)
        bases |= {env.get("PYTHONUSERBASE", ""), inherited("PYTHONUSERBASE")} - {""}
    sites = set()
    for base in bases:
        if not os.path.isabs(base):
            base = os.path.join(folder(), base)
        sites.update(glob.glob(os.path.join(glob.escape(base), "lib", "python*", "site-packages")))
    return sorted(sites)


# -- R13-14: a .pth file's code runs before the guard's sitecustomize ----------------------

# The old namespace-package line setuptools wrote (``-nspkg.pth``, setuptools/namespaces.py:
# with or without the older `has_mfs` parts, or the oldest `ie` form), matched in full with
# only the package names and the site root free (R14-39: a prefix let any code follow).
_NAME = r"'[\w.]+'"  # a package name, as repr() writes it
_ROOT = r"(?:sys\._getframe\(1\)\.f_locals\['sitedir'\]|'[\w./ +-]*')"  # or a develop path
_PARTS = r"\((?:'\w+', )*'\w+',?\)"  # ('google', 'cloud')
_MFS = "(?:has_mfs and )?"


def _literal(*parts: str) -> str:
    """A regex of setuptools' text: ``parts`` alternate literal text and regex pieces."""
    return "".join(re.escape(part) if k % 2 == 0 else part for k, part in enumerate(parts))


_NSPKG_PATTERN = (
    _literal("import sys, types, os;", r"(?:has_mfs = sys\.version_info > \(3, 5\);)?",
             "p = os.path.join(", _ROOT, ", *", _PARTS, ");")
    + "(?:"
    + _literal("ie = os.path.exists(os.path.join(p,'__init__.py'));"
               "m = not ie and sys.modules.setdefault(", _NAME, ", types.ModuleType(", _NAME,
               "));")
    + "|"
    + _literal("importlib = ", _MFS, "__import__('importlib.util');", _MFS,
               "__import__('importlib.machinery');m = ", _MFS, "sys.modules.setdefault(", _NAME,
               ", importlib.util.module_from_spec(importlib.machinery.PathFinder.find_spec(",
               _NAME, ", [os.path.dirname(p)])));m = m or sys.modules.setdefault(", _NAME,
               ", types.ModuleType(", _NAME, "));")
    + ")"
    + _literal("mp = (m or []) and m.__dict__.setdefault('__path__',[]);"
               "(p not in mp) and mp.append(p)")
    + "(?:" + _literal(";m and setattr(sys.modules[", _NAME, "], ", _NAME, ", m)") + ")?"
)  # fmt: skip

# `.pth` lines that installers write and that run only what they name: setuptools'
# distutils shim, virtualenv's, an editable install's finder, the old namespace-package lines
_BENIGN_PTH = re.compile(
    r"import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os\.environ\.get\(var, "
    r"'(local|stdlib)'\) == 'local'; enabled and __import__\('_distutils_hack'\)\.add_shim\(\); ?"
    r"|import _virtualenv"
    r"|import (__editable___[\w.]+_finder); \2\.install\(\)"
    r"|" + _NSPKG_PATTERN
)


def pth_code(site_folders: Iterable[str]) -> str:
    """A ``.pth`` file of these site folders, changed since the kernel started, that holds an
    executable line (``import ...``: ``site`` runs it before ``sitecustomize``, so before
    Warden's guard) other than an installer's known ones ('' when none). Its status-change
    time is what counts: a cell cannot set it back (``os.utime`` changes it too)."""
    for site in site_folders:
        for pth in pth_files(site):
            try:
                if os.stat(pth).st_ctime < kernel_age._STARTED - 1:
                    continue  # there before this kernel's first cell
                with open(pth, encoding="utf-8", errors="replace") as handle:
                    lines = text_lines(handle.read())  # every way a site reads it (R39c-4)
            except OSError:
                return pth
            if any(map(pth_line_runs_code, lines)):
                return pth
    return ""


def pth_line_runs_modules(line: str) -> Set[str]:
    """The top-level modules whose code one ``.pth`` line runs: what it imports, none for
    setuptools' namespace-package lines (they make a module object and run none of its code:
    the names they pass are no imports). Compiled on first use (a local wheel's reading)."""
    return set() if re.fullmatch(_NSPKG_PATTERN, line.rstrip()) else pth_line_imports(line)


def pth_line_runs_code(line: str) -> bool:
    """Whether ``site`` runs this ``.pth`` line as code other than an installer's known lines
    (``_BENIGN_PTH``, which run only the module they name)."""
    return line.startswith(IMPORT_LINE) and not _BENIGN_PTH.fullmatch(line.rstrip())


def foreign_home(interpreter: Optional[str]) -> str:
    """R14-19: the ``pyvenv.cfg`` of a venv whose ``home`` is not the folder its Python
    really lives in ('' when none): a venv's Python takes its standard library, ``encodings``
    and ``site`` first, from the installation ``home`` names, so a hand-made venv linking the
    kernel's own interpreter with a ``home`` of the cell's runs the cell's standard library.
    Python reads the file beside its program or one folder up (getpath.py); one without a
    ``home`` places the prefix by landmarks from the venv itself: counted too. The kernel's
    base installation is a venv's own too (a ``--copies`` venv's Python is a file of its own)."""
    from .own_python import OWN

    if not interpreter:
        return ""
    program = os.path.abspath(interpreter)
    real_bin = os.path.dirname(os.path.realpath(program))
    kernel_bin = OWN.base_bin
    for folder in (os.path.dirname(program), os.path.dirname(os.path.dirname(program))):
        cfg = os.path.join(folder, "pyvenv.cfg")
        if not os.path.isfile(cfg):
            continue
        # the installation its program links to, unless that is inside the venv itself (a
        # copied program's own folder: the venv's files would be its standard library), or
        # the kernel's base installation (a `--copies` venv's home)
        homes = {kernel_bin}
        venv = os.path.realpath(folder)
        if os.path.commonpath([real_bin, venv]) != venv:
            homes.add(real_bin)
        try:
            named = _homes_named(cfg)
        except OSError:
            return cfg
        # every `home` line, not only the one getpath takes: the answer cannot hang on which
        if not named or any(os.path.realpath(home) not in homes for home in named):
            return cfg
        return ""
    return ""


def _homes_named(cfg: str) -> List[str]:
    """The ``home`` values of a ``pyvenv.cfg`` (keys as getpath reads them: any case, blanks
    around); OSError when it cannot be read."""
    with open(cfg, encoding="utf-8", errors="replace") as handle:
        lines = handle.read().splitlines()
    return [
        value.strip()
        for key, sep, value in (line.partition("=") for line in lines)
        if sep and key.strip().lower() == "home"
    ]


# What Python's getpath looks for, from the folder of its real program up to /, to place its
# prefix (the standard library's os.py, its zip) and exec prefix (lib-dynload): 3.11's
# STDLIB_LANDMARKS, ZIP_LANDMARK and PLATSTDLIB_LANDMARK, any platlibdir and version.
_LANDMARKS = ("lib*/python3.*/os.py", "lib*/python3.*/os.pyc", "lib*/python3*.zip",
              "lib*/python3.*/lib-dynload")  # fmt: skip


def _start_folder(interpreter: str) -> str:
    """Where a Python starts looking for its prefix: a venv's ``home`` (``foreign_home`` has
    checked it names the venv's base installation), else its real program's folder."""
    program = os.path.abspath(interpreter)
    for folder in (os.path.dirname(program), os.path.dirname(os.path.dirname(program))):
        cfg = os.path.join(folder, "pyvenv.cfg")
        if os.path.isfile(cfg):
            try:
                named = _homes_named(cfg)
            except OSError:  # foreign_home refuses an unreadable one before this is asked
                named = []
            if named:
                return os.path.realpath(named[-1])
            break
    return os.path.dirname(os.path.realpath(program))


def _prefixes(interpreter: str) -> Optional[List[str]]:
    """The folders, from where ``interpreter`` starts up to the kernel's own installation (or
    /), that hold a landmark of a standard library: the prefixes it may take its standard
    library and site folders from; None when it finds none (a build tree, or the prefix
    compiled into the program: Warden cannot read either)."""
    from .own_python import OWN

    known = {os.path.realpath(p) for p in (OWN.base_prefix, OWN.base_exec_prefix)}
    current = _start_folder(interpreter)
    if os.path.isfile(os.path.join(current, "pybuilddir.txt")):
        return None
    found = []
    while True:
        if os.path.realpath(current) in known:
            return found + [current]
        if any(glob.glob(os.path.join(glob.escape(current), mark)) for mark in _LANDMARKS):
            found.append(current)
        parent = os.path.dirname(current)
        if parent == current:
            return found or None
        current = parent


# folders of a standard library that are no part of it: what they hold is read by the site
# rules (``pth_code``, ``start_files.site_folders``), not loaded before the guard's hook
_NOT_STDLIB = ("site-packages", "dist-packages")


class _Unlisted(OSError):
    """A standard-library folder ``_stdlib_files`` cannot list (its one argument)."""


def _stdlib_files(stdlib: str) -> Iterator[str]:
    """Every file and folder of a standard library (red team 16 R16-15): what a Python loads
    before Warden's guard installs its hook is not only ``INIT_MODULES`` and the compiled
    caches (R15-10) but every module the guard itself imports (``__future__``,
    ``_compat_pickle``...: its import closure changes with its code), and a source rewritten in
    place changes only its own ctime, not its folder's nor its old ``.pyc``'s (Python finds
    that stale and recompiles after Warden's check). So no list: the whole tree, its
    ``__pycache__`` folders and ``lib-dynload`` included (~1,200 files, a few ms)."""
    yield stdlib
    folders = [stdlib]
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            # a folder Warden cannot list holds modules it cannot check: unverified, as a
            # changed one is (the Python may still import from it)
            raise _Unlisted(folder) from None
        for entry in entries:
            if folder == stdlib and entry.name in _NOT_STDLIB:
                continue
            yield entry.path
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
            except OSError:
                continue


def unverified_stdlib(interpreter: Optional[str]) -> str:
    """R14-13: where a Python other than the kernel's takes its standard library from, when
    Warden cannot verify it ('' when it can). Python places its prefix by landmarks from its
    REAL program's folder (a copy of the kernel's binary in the cell's ``py/bin`` with
    ``py/lib/python3.11/os.py`` beside takes ``py/lib`` as its standard library, and runs
    its ``encodings`` and its site-packages' ``.pth`` before the guard). The kernel's own
    installation is trusted as before; any other must be the machine's by PLACE (red team 28c
    R28c-8: age alone trusted an old clone's ``py/lib/python3.11`` whose ``encodings``
    installs): every standard-library folder root's, in root-owned system folders
    (``_machine_stdlib``), and every file of it root's and unchanged since the kernel started.
    A Python installation the kernel's user may write (pyenv under ~, a conda env or a
    uv-managed Python of the user's, a vendored python-build-standalone) is refused whatever
    its age; one Warden cannot place at all is refused."""
    from .own_python import OWN

    if not interpreter:
        return ""
    real = os.path.realpath(interpreter)
    if real in OWN.interpreters():
        return ""
    prefixes = _prefixes(interpreter)
    if prefixes is None:
        return f"the prefix compiled into {real} or a build tree (no standard library found)"
    known = {os.path.realpath(p) for p in (OWN.base_prefix, OWN.base_exec_prefix)}
    for prefix in prefixes:
        if os.path.realpath(prefix) in known:
            continue
        for stdlib in glob.glob(os.path.join(glob.escape(prefix), "lib*", "python3*")):
            if not _machine_stdlib(stdlib):
                return (
                    f"{stdlib}: not the machine's, root's in a system folder, so the kernel's "
                    "user may have written it in an earlier session; use the kernel's Python "
                    "or a system one"
                )
            try:
                for path in _stdlib_files(stdlib):
                    if _changed(path) or not _roots(path):
                        return f"{path}: changed since the kernel started, not root's, or gone"
            except _Unlisted as exc:
                return f"{exc.args[0]}: a folder Warden cannot list"
    return ""


def _machine_stdlib(stdlib: str) -> bool:
    """Whether a standard-library folder is the machine's by place: root's, in root-owned
    system folders, /usr/local's and /opt's included (``commands._root_folder``), and settled
    there (``commands._settled_place``), as ``_machine_program`` places a program file."""
    from . import commands

    real = os.path.realpath(stdlib)
    return (
        _roots(real)
        and commands._root_folder(real, commands.MACHINE_FOLDERS)
        # not moved there (nor mounted there) since the kernel started (red team 29a R29a-6)
        and commands._settled_place(real)
    )


def _roots(path: str) -> bool:
    """Whether ``path`` itself (not a link's target) is root's: a file of the kernel's user
    inside a root folder is still the user's to rewrite."""
    try:
        return os.lstat(path).st_uid == 0
    except OSError:
        return False
