"""What a Python runs at start from its own INSTALLATION, before any code Warden reads, and
whether any of it changed since the kernel started (red team 29a R29a-3/4/5/9/10).

A Python started without Warden's guard (``-I``/``-E``/``-S``, a venv's or a foreign Python,
uv's interpreter query ``python -I -B -c ...``) and one started with it alike run, before the
guard's ``sitecustomize`` or the code Warden reads:

- its standard library's start-up modules (``encodings`` and the codec it picks, ``site``,
  ``os``...: ``STDLIB_START``), from its ``pythonXY.zip`` first when there is one, then its
  library folder (the kernel's own installation too: pyenv or a uv-managed Python under ~,
  docker-stacks' /opt/conda are the notebook user's to write);
- through ``site``, in each SITE folder as ``site.py`` finds them (``site_folders``): the
  ``.pth`` files' import lines and the top-level modules they import
  (``_distutils_hack``), then ``sitecustomize``/``usercustomize`` from the site folders and
  the folders ``.pth`` path lines add (a guarded start finds the guard's first).

``start_problem`` answers for one start; ``startup_modules`` keeps the PYTHONPATH side
(R13-10) and the foreign installation's whole-tree check (``unverified_stdlib``). A file
changed since the kernel started is accepted only when it is a copy Warden can vouch for:
the same bytes as the setuptools/pip wheel the kernel's own ``ensurepip`` carries (what
``python -m venv`` installs), or as the kernel's own unchanged copy; a compiled file when it
is its unchanged source, compiled. An unchanged installation costs stats only (some 600,
a few ms a start).
"""

import glob
import hashlib
import os
import stat
import time
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from . import editable_finder, kernel_age, pth_lines, startup_modules
from .kernel_age import _changed
from .start_names import GUARD_BOOT, STDLIB_START
from .startup_modules import pth_files

# STDLIB_START and GUARD_BOOT live in ``start_names`` (no imports: the guard of every Python
# the kernel starts reads them at its first file write, ``start_writes``)
# the standard library's modules a Python may run from their files before the guard decides
_CHECKED = STDLIB_START + GUARD_BOOT

_CUSTOMIZE = ("sitecustomize", "usercustomize")


def venv_config(interpreter: str) -> str:
    """The ``pyvenv.cfg`` Python takes for the program ``interpreter`` ('' when none): beside
    the program, else one folder up (getpath.py and ``site.venv``), the program's own path,
    links not followed."""
    program = os.path.abspath(interpreter)
    for folder in (os.path.dirname(program), os.path.dirname(os.path.dirname(program))):
        cfg = os.path.join(folder, "pyvenv.cfg")
        if os.path.isfile(cfg):
            return cfg
    return ""


def program_files(interpreter: str) -> List[str]:
    """The files a start of the program word ``interpreter`` runs or passes through: the
    program's path, each link on its way, the real file it ends at (red team 33 R33-6:
    replacing any of them replaces the start)."""
    from . import link_walk

    program = os.path.abspath(interpreter)
    walk = link_walk.walk(program)
    return list(dict.fromkeys([program, *walk.links, walk.end]))


def _libraries(interpreter: str) -> List[str]:
    """The shared libpython files a Python of ``interpreter`` may load (its real prefix's
    ``lib``), whose ``._pth`` getpath reads too."""
    real = os.path.realpath(interpreter)
    lib = os.path.join(os.path.dirname(os.path.dirname(real)), "lib")
    return sorted(glob.glob(os.path.join(glob.escape(lib), "libpython3*.so*")))


def pth_config_files(interpreter: str) -> List[str]:
    """The ``._pth`` files getpath reads for a start of ``interpreter`` (red team 33 R33-4):
    ``<file>._pth`` (and its name without its last suffix) beside the program, each link
    on its way, its real file and its libpython. One there makes the Python start isolated
    with no ``site``: no guard loads."""
    found: List[str] = []
    for path in program_files(interpreter) + _libraries(interpreter):
        found += [path + "._pth", os.path.splitext(path)[0] + "._pth"]
    return list(dict.fromkeys(found))


def pth_config_folders(interpreter: str) -> List[str]:
    """The folders whose ``*._pth`` names count as start-up names of a start of
    ``interpreter`` (``pth_config_files``' folders, real paths)."""
    folders = (os.path.realpath(os.path.dirname(p)) for p in pth_config_files(interpreter))
    return list(dict.fromkeys(folders))


def program_places(interpreter: str) -> List[str]:
    """The files of a start of ``interpreter`` a writer on its line may change before it runs
    (red team 33 R33-6, R33-3, R33-4): its program files, the ``pyvenv.cfg`` beside its
    program and one folder up (getpath's ``home``: another standard library), the ``._pth``
    files getpath reads."""
    program = os.path.abspath(interpreter)
    configs = [
        os.path.join(os.path.dirname(program), "pyvenv.cfg"),
        os.path.join(os.path.dirname(os.path.dirname(program)), "pyvenv.cfg"),
    ]
    return list(dict.fromkeys(program_files(program) + configs + pth_config_files(program)))


def _config_value(cfg: str, key: str) -> str:
    """The last ``key = value`` of a ``pyvenv.cfg`` (keys as site.py reads them), '' when none."""
    try:
        with open(cfg, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return ""
    found = ""
    for line in lines:
        name, sep, value = line.partition("=")
        if sep and name.strip().lower() == key:
            found = value.strip()
    return found


def _prefix_sites(prefix: str) -> List[str]:
    """A prefix's site folders as site.getsitepackages lays them out (CPython's, Debian's)."""
    root = glob.escape(prefix)
    found: List[str] = []
    for pattern in ("lib*/python3*/site-packages", "lib*/python3*/dist-packages",
                    "local/lib*/python3*/dist-packages"):  # fmt: skip
        found += glob.glob(os.path.join(root, pattern))
    return sorted(set(found))


def site_folders(interpreter: Optional[str]) -> List[str]:
    """The site folders whose ``.pth`` files and customize modules a Python runs, found as
    ``site.py`` finds them: a venv (``pyvenv.cfg`` beside its program or one folder up,
    R29a-3) has its prefix's, the program's parent folder's (wherever the cfg is), and, with
    ``include-system-site-packages = true``, its base's too (R29a-4b); any other program
    those of the prefixes getpath places by landmarks from its real program, the kernel's base
    interpreter's own included (R29a-4a: not the kernel venv's)."""
    if not interpreter:
        return []
    cfg = venv_config(interpreter)
    found: List[str] = []
    if cfg:
        found += _prefix_sites(os.path.dirname(os.path.dirname(os.path.abspath(interpreter))))
        if _config_value(cfg, "include-system-site-packages").lower() != "true":
            return found
    for prefix in startup_modules._prefixes(interpreter) or ():
        found += [f for f in _prefix_sites(prefix) if f not in found]
    return found


def pth_path_entries(sites: List[str]) -> List[str]:
    """The entries the ``.pth`` files of ``sites`` add to ``sys.path`` (path lines: not a
    comment, not ``import``), as ``site.addpackage`` does: relative to the site folder, only
    when they exist: folders, and files (or links to one), which zipimport imports from as
    archives (red team 39c R39c-3: ``aa.pth`` naming a new ``rt39.zip``)."""
    found: List[str] = []
    for site in sites:
        for pth in pth_files(site):
            for line in pth_lines.lines(pth):
                entry = pth_lines.path_line(site, line)
                if entry and os.path.exists(entry) and entry not in found:
                    found.append(entry)
    return found


def pth_path_folders(sites: List[str]) -> List[str]:
    """The folders among ``pth_path_entries`` (what a writer on the line may write in)."""
    return [entry for entry in pth_path_entries(sites) if os.path.isdir(entry)]


def start_problem(interpreter: Optional[str], sites: List[str], guarded: bool) -> Tuple[str, str]:
    """What a Python started this way runs from its installation before any code Warden
    reads that may be the cell's: (the file, why), ('', '') when nothing. ``sites``: its site
    folders and user sites (none with ``-S``); ``guarded``: it starts with the guard's folder
    first on its path (its ``sitecustomize`` is the guard)."""
    if interpreter:
        # red team 33 R33-4: getpath reads it before anything else, and starts the Python
        # isolated with no site: Warden's guard never loads, whatever Warden reads of the start
        pth = next((p for p in pth_config_files(interpreter) if os.path.lexists(p)), "")
        if pth:
            return pth, (
                "a ._pth file, which makes the Python start isolated without site, so Warden's "
                "guard never loads"
            )
    own = _own_stdlib(interpreter)
    path = _stdlib_changed(sites) if own else ""
    if path:
        return path, (
            "a module of its standard library that it may import while it starts (its "
            "start-up modules, what they import, what its .pth lines import), changed since "
            "the kernel started"
        )
    if not sites:
        return "", ""
    pth = startup_modules.pth_code(sites)
    if pth:
        return pth, "a .pth file changed since the kernel started, whose code site runs"
    added = pth_path_entries(sites)  # archives too: site imports from them as from folders
    # a .pth line's import finds the kernel's own standard library's modules (its library,
    # lib-dynload) before the site folders' (R31-8; a changed zip was refused above)
    path = _pth_module_changed(sites, added, startup_modules.stdlib_folders()[1:] if own else ())
    if path:
        return path, "a module its .pth files import, changed since the kernel started"
    if not guarded:
        found = _first_module(sites + added, _CUSTOMIZE)
        if found:
            return found, "a module site imports from its site folders while it starts"
    return "", ""


# -- the standard library ----------------------------------------------------------------


def _own_stdlib(interpreter: Optional[str]) -> bool:
    """Whether ``interpreter`` takes its standard library from the kernel's own installation
    (the kernel's Python, its base, a venv of it): any other's is checked whole by
    ``startup_modules.unverified_stdlib``."""
    from .own_python import OWN

    if not interpreter:
        return False
    if os.path.realpath(interpreter) in OWN.interpreters():
        return True
    cfg = venv_config(interpreter)
    home = _config_value(cfg, "home") if cfg else ""
    if home and os.path.realpath(home) == OWN.base_bin:
        return True  # a `--copies` venv of the kernel's Python (foreign_home checks the rest)
    known = os.path.realpath(OWN.base_prefix)
    return any(os.path.realpath(p) == known for p in startup_modules._prefixes(interpreter) or ())


def _stdlib_changed(sites: Sequence[str] = ()) -> str:
    """A file of the kernel's own standard library that a Python of it (``_own_stdlib``) with
    the site folders ``sites`` may run before its guard (``start_reach``: the start-up modules,
    the guard's boot, what its .pth lines import, and all they import), changed since the
    kernel started ('' when none: R29a-10, R31-9, red team 39c R39c-1/1b/2)."""
    archive, library, dynload = startup_modules.stdlib_folders()
    if _changed(archive):
        return archive  # a new pythonXY.zip comes before the library folder
    names = start_reach(sites)
    for path in _stdlib_start_files(library, names):
        if _new(path) and not _vouched(path, ()):
            return path
    for entry in _listing(dynload):
        if entry.partition(".")[0] in names and _changed(os.path.join(dynload, entry)):
            return os.path.join(dynload, entry)
    return ""


def start_reach(sites: Sequence[str]) -> frozenset:
    """The standard-library modules a Python start may import before its guard (red team 39c):
    ``_CHECKED`` and the standard modules the site folders' ``.pth`` lines import, or the
    site-folder modules they name import (``_distutils_hack``, an editable finder: pathlib),
    then everything those import, function-level imports included (``stdlib_reach``: site's
    ``import traceback`` when a line raises, R39c-1b; every codec of ``encodings``, so what
    PYTHONIOENCODING or the locale picks, R39c-2). Kept by its roots (``stdlib_reach.closure``)."""
    from . import stdlib_reach

    roots = set(_CHECKED)
    names = startup_modules.pth_imports(sites) if sites else set()
    roots |= names & stdlib_reach.SHADOWABLE
    for name in sorted(names - stdlib_reach.SHADOWABLE):
        for folder, module in _modules(list(sites), (name,)):
            if module == folder:
                continue  # in an archive (``_first_module``): no source Warden lists
            for path in _module_files(folder, name):
                roots |= _source_imports(path)
    return stdlib_reach.closure(frozenset(roots & stdlib_reach.SHADOWABLE))


# (path, its times and size) -> the top-level names its import lines name
_SOURCE_IMPORTS: Dict[Tuple[str, tuple], frozenset] = {}


def _source_imports(path: str) -> frozenset:
    """The top-level names a site-folder module's source imports (any import line: the
    standard library's reader, ``stdlib_reach.imported_names``), kept by the file's times."""
    from . import stdlib_reach

    if not path.endswith(".py"):
        return frozenset()
    try:
        info = os.stat(path)
    except OSError:
        return frozenset()
    key = (path, (info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_size))
    if key not in _SOURCE_IMPORTS:
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read()
        except OSError:
            return frozenset()
        if len(_SOURCE_IMPORTS) >= 256:
            _SOURCE_IMPORTS.clear()
        _SOURCE_IMPORTS[key] = frozenset(stdlib_reach.imported_names(text))
    return _SOURCE_IMPORTS[key]


def stdlib_tree_changed() -> str:
    """Any file of the kernel's own standard library (its zip, every module of its library
    folder, ``lib-dynload`` and the ``__pycache__`` folders included: ``_stdlib_files``)
    changed since the kernel started and not a copy Warden vouches for ('' when none). For a
    start that may import any standard module before the guard (a warning category's module
    and what it imports: red team 38c R38c-1), not only ``_CHECKED``'s. Some 1,200 stats."""
    archive, library, dynload = startup_modules.stdlib_folders()
    if _changed(archive):
        return archive
    try:
        for path in startup_modules._stdlib_files(library):
            if _new(path) and not _vouched(path, ()):
                return path
    except startup_modules._Unlisted as exc:
        return f"{exc.args[0]} (a folder Warden cannot list)"
    if not dynload.startswith(os.path.join(library, "")):
        for entry in _listing(dynload):  # a layout with lib-dynload outside the library
            if _changed(os.path.join(dynload, entry)):
                return os.path.join(dynload, entry)
    return ""


# (library folder, the modules' names) -> (the folders listed, their identities and times,
# the files of those modules found in them)
_START_FILES: Dict[Tuple[str, frozenset], Tuple[List[str], tuple, List[str]]] = {}


def _stdlib_start_files(library: str, names: frozenset) -> List[str]:
    """The files of the modules ``names`` in ``library``: a module's source, compiled,
    extension and cached files, a package's whole tree (its subpackages' imports are in the
    reach too). Found again only when a folder they are listed from changed (an entry added,
    removed or renamed); each file's own change is looked at by every start (``_new``)."""
    kept = _START_FILES.get((library, names))
    if kept is not None and tuple(_identity(f) for f in kept[0]) == kept[1]:
        return kept[2]
    folders = [library, os.path.join(library, "__pycache__")]
    listed: Dict[str, Dict[str, List[str]]] = {}
    found: List[str] = []
    for name in sorted(names):
        found += _module_files(library, name, listed)
        folders += _package_folders(os.path.join(library, name))
    found += [path for folder in folders[2:] for path in _folder_files(folder)]
    key = tuple(_identity(folder) for folder in folders)
    settled = (time.time() - startup_modules._SETTLED) * 1e9
    if all(not k or k[1] <= settled for k in key):  # not kept within a clock tick of a change
        if len(_START_FILES) >= 16:
            _START_FILES.clear()
        _START_FILES[(library, names)] = (folders, key, list(dict.fromkeys(found)))
    return list(dict.fromkeys(found))


def _package_folders(package: str) -> List[str]:
    """A package's folder and every folder below it, ``__pycache__`` ones included (none for
    a module that is no package)."""
    found: List[str] = []
    todo = [package] if os.path.isdir(package) else []
    while todo:
        folder = todo.pop()
        found.append(folder)
        todo += [p for p in (os.path.join(folder, e) for e in _listing(folder)) if _real_dir(p)]
    return found


def _real_dir(path: str) -> bool:
    return os.path.isdir(path) and not os.path.islink(path)


def _folder_files(folder: str) -> List[str]:
    return [os.path.join(folder, entry) for entry in _listing(folder)]


def _identity(folder: str):
    try:
        info = os.stat(folder)
    except (OSError, ValueError):
        return ()  # no such folder: kept as absent (a folder made there changes the key)
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def _module_files(
    folder: str, name: str, listed: Optional[Dict[str, Dict[str, List[str]]]] = None
) -> Iterator[str]:
    """Every file that may be the module or package ``name`` in ``folder``: the package's
    whole tree, the module's source, compiled, extension and cached compiled files (``listed``
    keeps each folder's listing by module name across names: a glob a name costs ~1 ms in a
    standard library's folder)."""
    listed = {} if listed is None else listed
    package = os.path.join(folder, name)
    if os.path.isdir(package):
        # the package's own files and their caches: its subpackages are imported later, if
        # at all (importlib.metadata), and a new one would change the package's folder
        yield package
        for where in (package, os.path.join(package, "__pycache__")):
            for entry in _listing(where):
                yield os.path.join(where, entry)
    for entry in _by_name(folder, listed).get(name, ()):
        suffix = entry.partition(".")[2]
        if suffix in ("py", "pyc", "pyw") or entry.endswith("so"):
            yield os.path.join(folder, entry)
    cache = os.path.join(folder, "__pycache__")
    for entry in _by_name(cache, listed).get(name, ()):
        if entry.endswith(".pyc"):
            yield os.path.join(cache, entry)


def _by_name(folder: str, listed: Dict[str, Dict[str, List[str]]]) -> Dict[str, List[str]]:
    """``folder``'s entries with a dot, by the name before it (listed once into ``listed``)."""
    if folder not in listed:
        index: Dict[str, List[str]] = {}
        for entry in _listing(folder):
            stem, dot, _rest = entry.partition(".")
            if dot:
                index.setdefault(stem, []).append(entry)
        listed[folder] = index
    return listed[folder]


def _new(path: str) -> bool:
    """``startup_modules._changed`` with one ``lstat`` for a file that is no link (a start
    checks some 600 files: each system call counts)."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if stat.S_ISLNK(st.st_mode):
        return _changed(path)
    return st.st_ctime >= kernel_age._STARTED - 1


def _listing(folder: str) -> List[str]:
    return startup_modules.listing(folder)


# -- what the .pth lines import -----------------------------------------------------------


def _pth_module_changed(sites: List[str], added: List[str], stdlib: Sequence[str] = ()) -> str:
    """A file of a module that a site folder's ``.pth`` import line imports (setuptools'
    ``_distutils_hack``: R29a-9), as Python finds it: in the standard library's ``stdlib``
    folders first (R31-8), then the site folders and the folders their path lines add;
    changed since the kernel started and not a copy Warden vouches for. Every copy counts,
    not only the first: a guarded Python on the line may remove or rename the first away
    (its guard reads no removal but of Warden's own package), and the import finds the next
    (red team 34 R34-6b: one the cell wrote in a project folder a path line adds)."""
    names = startup_modules.pth_imports(sites)
    if not names:
        return ""
    folders = [*stdlib, *sites, *added]
    missing, finders = set(), []
    for name in sorted(names):
        found = _modules(folders, (name,))
        if not found:
            missing.add(name)  # the standard library's, or none: site's import fails
            continue
        for folder, module in found:
            if module == folder:  # in an archive (``_first_module``): its members are not
                part = startup_modules.archive_part(folder)  # stat'ed one by one (R39c-3)
                if _new(part):
                    return part
                continue
            for path in _module_files(folder, name):
                if _new(path) and not _vouched(path, sites):
                    return path
        folder, module = found[0]
        if name.startswith("__editable__") and module != folder and module.endswith(".py"):
            finders.append(module)
    # an editable finder imports what it maps when nothing on the path has it: a name another
    # .pth line imports, found nowhere, would be the project's file, run before the guard
    for finder in finders:
        if (editable_finder.mapped_names(finder) or frozenset()) & missing:
            return finder
    return ""


def _modules(folders: List[str], names) -> List[Tuple[str, str]]:
    """Every module or package named one of ``names`` in ``folders`` (``_first_module`` of
    each folder, in their order), as (the folder, the module): the first is the one Python
    imports now. The module is the folder itself when the folder is an archive or lies in one
    (a module file is a file too: only this tells them apart, fix44pth). A folder counts
    once, by its first spelling (a venv's ``lib64`` is a link to its ``lib``: a compiled file
    names its source as the import found it)."""
    found, seen = [], set()
    for folder in folders:
        try:
            info = os.stat(folder)
            key: object = (info.st_dev, info.st_ino)
        except (OSError, ValueError):
            key = folder  # none there, or a folder inside an archive (``_first_module``)
        if key in seen:
            continue
        seen.add(key)
        module = _first_module([folder], names)
        if module:
            found.append((folder, module))
    return found


def _first_module(folders: List[str], names) -> str:
    """The module or package named one of ``names`` that Python imports from ``folders``, as
    'folder/entry' ('' when none): ``startup_modules.holder`` without a glob a name (a site
    folder lists hundreds of entries), or an archive the folder lies in. As importlib's
    FileFinder: in each folder a package (a folder holding ``__init__`` with a module suffix),
    else a module file; a folder without ``__init__`` is only a namespace portion, and a
    regular module or package later on the path wins over it (red team 32 R32-10: an empty
    ``<stdlib>/_distutils_hack/`` hid site-packages' package from the check). A namespace
    package runs no code: '' when only portions are found."""
    for folder in folders:
        if startup_modules.archive_part(folder):
            if _archive_holds(folder, names):
                return folder  # an archive, or a folder inside one, holding one (or unread)
            continue
        index = _stems(folder)
        entries = sorted(e for name in names for e in index.get(name, ()))
        for entry in entries:
            path = os.path.join(folder, entry)
            if "." not in entry and os.path.isdir(path) and _package_init(path):
                return path
        for entry in entries:
            _stem, dot, suffix = entry.partition(".")
            if suffix in ("py", "pyc", "pyw") or (dot and entry.endswith("so")):
                return os.path.join(folder, entry)
    return ""


def _archive_holds(word: str, names) -> bool:
    """Whether a ``sys.path`` entry that is an archive or a folder inside one
    (``startup_modules.archive_part``) holds a module, package or namespace portion named one
    of ``names`` at its top, as zipimport reads the archive's directory (red team 39c R39c-3: a
    ``.pth`` path line's ``rt39.zip`` holding ``sitecustomize.py``). One Warden cannot read
    (not a zip archive it can list: zipimport may still read it otherwise) holds anything."""
    import zipimport

    part = startup_modules.archive_part(word)
    inner = os.path.relpath(os.path.abspath(word), os.path.abspath(part))
    prefix = "" if inner == "." else inner.strip("/") + "/"
    try:
        members = zipimport._read_directory(part)  # no cache: the archive as it is now
    except Exception:  # noqa: BLE001 - zipimport's own error types vary by version
        return True
    wanted = set(names)
    for member in members:
        member = member.replace(os.sep, "/")
        if member.startswith(prefix):
            top = member[len(prefix) :].split("/")[0]
            if top.partition(".")[0] in wanted:
                return True
    return False


def _package_init(folder: str) -> bool:
    """Whether ``folder`` holds the ``__init__`` that makes it a regular package: a source,
    compiled or extension file (any ABI tag: one Warden stops at wrongly is itself checked)."""
    for entry in _listing(folder):
        stem, dot, suffix = entry.partition(".")
        if stem == "__init__" and (suffix in ("py", "pyc") or (dot and entry.endswith(".so"))):
            if os.path.isfile(os.path.join(folder, entry)):
                return True
    return False


# folder -> (its listing as ``_listing`` keeps it, its entries by the name before their first
# dot): a standard library's folder and a site folder list hundreds of entries, looked at by
# every start (R31-8)
_STEMS: Dict[str, Tuple[List[str], Dict[str, List[str]]]] = {}


def _stems(folder: str) -> Dict[str, List[str]]:
    names = _listing(folder)
    kept = _STEMS.get(folder)
    if kept is not None and kept[0] is names:  # the same listing, kept unchanged
        return kept[1]
    index: Dict[str, List[str]] = {}
    for entry in names:
        index.setdefault(entry.partition(".")[0], []).append(entry)
    if len(_STEMS) >= 256:
        _STEMS.clear()
    _STEMS[folder] = (names, index)
    return index


# -- copies Warden vouches for ------------------------------------------------------------

_VOUCHED: Dict[Tuple[str, bytes, bytes], bool] = {}


def _vouched(path: str, sites) -> bool:
    """Whether a file changed since the kernel started is one Warden vouches for: a folder
    (its files are checked one by one), a compiled file that is its unchanged (or vouched)
    source compiled, a file with the same bytes as the one its own ensurepip wheels or the
    kernel's unchanged site folders hold at the same place, or setuptools' editable-install
    finder (``editable_finder``). Remembered by the digest of the bytes read (and of a compiled
    file's source), not by the file's times: writes through a shared map whose pages are dirty
    change a file and leave its ctime (red team 31 R31-2)."""
    if os.path.isdir(path):
        return True
    cached = path.endswith(".pyc") and os.path.basename(os.path.dirname(path)) == "__pycache__"
    source = _cache_source(path) if cached else ""
    key = (path, _digest(path), _digest(source) if source else b"")
    if not key[1]:
        return False  # unreadable
    if key not in _VOUCHED:
        if cached:
            _VOUCHED[key] = _cache_matches(path, sites)
        else:
            # setuptools' editable finder, which `pip install -e .` writes beside its .pth
            _VOUCHED[key] = _known_copy(path, sites) or editable_finder.vouched(path)
    return _VOUCHED[key]


def _digest(path: str) -> bytes:
    """The SHA-256 of the file's bytes (b'' when it cannot be read)."""
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).digest()
    except OSError:
        return b""


def _cache_source(pyc: str) -> str:
    """The source file ``__pycache__/NAME.TAG[.opt-N].pyc`` is compiled from."""
    folder = os.path.dirname(os.path.dirname(pyc))
    return os.path.join(folder, os.path.basename(pyc).split(".")[0] + ".py")


def _cache_matches(pyc: str, sites) -> bool:
    """Whether ``__pycache__/NAME.TAG[.opt-N].pyc`` holds what its source compiles to (the
    source itself unchanged, or vouched): the bytes ``py_compile`` writes after the header."""
    import marshal

    parts = os.path.basename(pyc).split(".")
    source = _cache_source(pyc)
    if not os.path.isfile(source) or (_changed(source) and not _vouched(source, sites)):
        return False
    optimize = int(parts[2][-1]) if len(parts) == 4 and parts[2].startswith("opt-") else 0
    try:
        with open(pyc, "rb") as handle:
            data = handle.read()
        with open(source, "rb") as handle:
            text = handle.read()
        code = compile(text, source, "exec", dont_inherit=True, optimize=optimize)
        # the bytes, not the loaded file: marshal does not load untrusted data safely
        return data[16:] == marshal.dumps(code)
    except (OSError, ValueError, EOFError, TypeError, SyntaxError):
        return False


def _known_copy(path: str, sites) -> bool:
    """Whether ``path`` has the bytes of the file at its place (relative to its site folder)
    in one of the kernel's ensurepip wheels, unchanged, or in the kernel's own site folders,
    unchanged."""
    site = next((s for s in sites if path.startswith(os.path.join(s, ""))), "")
    if not site:
        return False
    relative = os.path.relpath(path, site)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return False
    return known_bytes(relative, data, path)


def known_bytes(relative: str, data: bytes, path: str = "") -> bool:
    """Whether ``data`` are the bytes of the file at ``relative`` (to a site folder) in one of
    the kernel's ensurepip wheels, unchanged, or in the kernel's own site folders, unchanged
    (not ``path`` itself): a copy of what the kernel already runs (``_known_copy``, and a
    local wheel's start-up module: ``local_wheels``)."""
    from .own_python import OWN

    for own in OWN.site_packages:
        copy = os.path.join(own, relative)
        if path and os.path.realpath(copy) == os.path.realpath(path):
            continue
        if not _changed(copy, True):
            try:
                with open(copy, "rb") as handle:
                    if handle.read() == data:
                        return True
            except OSError:
                pass
    return _wheel_holds(relative.replace(os.sep, "/"), data)


def _wheel_holds(member: str, data: bytes) -> bool:
    import zipfile

    from .own_python import OWN

    bundled = os.path.join(OWN.stdlib(), "ensurepip", "_bundled")
    for wheel in glob.glob(os.path.join(glob.escape(bundled), "*.whl")):
        if _changed(wheel, True):
            continue
        try:
            with zipfile.ZipFile(wheel) as archive:
                if member in archive.namelist() and archive.read(member) == data:
                    return True
        except (OSError, zipfile.BadZipFile, KeyError):
            continue
    return False
