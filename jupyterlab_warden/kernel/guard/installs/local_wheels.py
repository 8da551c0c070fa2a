"""Local wheel files an install takes: their ``Requires-Dist`` (red8 R8-16) and the code they
would make a later Python start run (red team 34 R34-4).

``pip install ./x-1.0-py3-none-any.whl`` and ``uv pip install ./x.whl`` install the wheel's
dependencies from its ``*.dist-info/METADATA``, and a ``Requires-Dist: y @ URL`` there is
fetched from that URL. No build code runs for a wheel, so its metadata is all there is: it is
read (the zip's central directory and the METADATA entry only, bounded) and each dependency
decided like one on the command line. So is every wheel a local find-links or index folder
offers (``add_offered``, red team 40b R40b-2): the install may take any of them; its own
project and version, and an offered sdist's, are decided too (``offered``, R43b-4). A wheel
Warden cannot open, or with no METADATA, is a problem (refused).

What a wheel unpacks is no build code, but some of it is code every later Python start runs
before Warden's guard (``start_code``): a ``.pth`` line ``site`` executes, a module named like
one a Python imports while it starts (``sitecustomize``, ``_distutils_hack``, what the wheel's
own ``.pth`` lines import, Warden's own package), a script in the environment's ``bin`` named
like a Python, an installer or a shell, an interpreter configuration (``pyvenv.cfg``,
``._pth``) or a file in the standard library's folder. The installer's own writes are allowed
and uv is no guarded Python, so a Python started after it on the same shell line
(``uv pip install ./x.whl && python -c pass``) would run it unread: such a wheel is refused
before the install runs, from a path or ``file:`` URL the install names or a local find-links
or index folder it reads (``sources.read_local_pages``). Reads names and the small ``.pth``
members only. A wheel from a remote index is decided by its name and index, not read.
"""

import os
import posixpath
import stat
import zipfile
from email.parser import HeaderParser
from typing import List, Optional, Set, Tuple

from . import files_read, offered, requirements
from .request import InstallRequest

MAX_METADATA_BYTES = 1 << 20
MAX_ENTRIES = 100_000
MAX_PTH_BYTES = 64 << 10  # a .pth larger than this is not read: refused
_WARDEN_PACKAGE = __name__.split(".")[0]  # Warden's own package: its files are the guard
_ERRORS = (OSError, ValueError, zipfile.BadZipFile, UnicodeDecodeError, RuntimeError)


def add(request: InstallRequest, path: str, where: str = "") -> Optional[List[tuple]]:
    """Append the dependencies of the wheel at ``path`` (absolute) to ``request``, and refuse
    it when it carries start-up code (``start_code``) and is not the machine's. ``where``
    names the local find-links or index folder that offers it, if any. Returns its
    ``(entry, METADATA text)`` list; None when it cannot be read (a problem)."""
    label = os.path.basename(path) + (f" ({where})" if where else "")
    try:
        texts, found = _read(path, metadata=True)
    except _ERRORS as exc:
        request.problems.append(
            f"cannot read the wheel {label}'s metadata: {exc}; Warden reads what a local "
            "wheel installs"
        )
        return None
    if not machines(path):
        _refuse_start_code(request, label, found)
    for name, text in texts:
        origin = f"{label} {name}"
        for value in HeaderParser().parsestr(text).get_all("Requires-Dist") or []:
            request.requirements.append(
                requirements.parse_requirement(" ".join(value.split()), origin)
            )
    return texts


def add_offered(request: InstallRequest, path: str, where: str) -> None:
    """A wheel or sdist a local find-links or index folder (``where``) offers: the install may
    take it, and Warden cannot know whether it will. Its project and version are decided as a
    named file's are (``offered``, red team 43b R43b-4); a wheel is read as a named wheel is
    (``add``: its start-up code, R34-4, and every ``Requires-Dist`` decided, red team 40b
    R40b-2). The machine's own files (``machines``) are like an allowed index's: not read. A
    dependency on a local file (``y @ file:...``) is refused: ``local_projects`` has already
    run and would not open it."""
    if machines(path):
        return
    if offered.is_sdist(path):
        offered.add_sdist(request, path, where)  # not opened: its build code runs on install
        return
    before = len(request.requirements)
    texts = add(request, path, where)
    _add_sidecar(request, path, where)
    for dependency in request.requirements[before:]:
        if dependency.kind == "path":
            request.problems.append(
                f"{dependency.origin}: {dependency.text[:200]!r} is a local file dependency of "
                f"a wheel offered by {where}, which Warden does not read; install that file "
                "by its path, or use an index the policy allows"
            )
    offered.add_wheel(request, path, where, texts)


def _add_sidecar(request: InstallRequest, path: str, where: str) -> None:
    """``WHEEL.metadata`` beside an offered wheel (PEP 658, red team 41a R41a-2's neighbour):
    pip resolves a page link carrying ``data-core-metadata`` (``data-dist-info-metadata``)
    with that file's ``Requires-Dist``, not the wheel's, so its dependencies are decided too
    (whether or not the link carries the attribute: the stricter reading)."""
    sidecar = path + ".metadata"
    if not os.path.lexists(sidecar):
        return
    label = os.path.basename(sidecar) + (f" ({where})" if where else "")
    try:
        info = os.stat(sidecar)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file")
        files_read.note(sidecar, info)
        with open(sidecar, "rb") as handle:
            data = handle.read(MAX_METADATA_BYTES + 1)
        if len(data) > MAX_METADATA_BYTES:
            raise ValueError(f"larger than {MAX_METADATA_BYTES} bytes")
        text = data.decode("utf-8")
    except _ERRORS as exc:
        request.problems.append(
            f"cannot read {label}: {exc}; pip resolves the wheel's dependencies from it"
        )
        return
    for value in HeaderParser().parsestr(text).get_all("Requires-Dist") or []:
        request.requirements.append(requirements.parse_requirement(" ".join(value.split()), label))


def machines(path: str) -> bool:
    """A wheel in a root-owned system folder (``commands._system_folder``: /opt, /usr..., not
    /usr/local; the folders up to it root's too): the machine's, like a package of an index
    the policy allows, not the cell's (a local mirror an admin configured, Debian's
    python-wheels). A root kernel may write there: the open class of the threat model."""
    from .commands import _system_folder

    try:
        return os.stat(path).st_uid == 0 and _system_folder(os.path.dirname(path))
    except OSError:
        return False  # read, and refused as unreadable there


def _refuse_start_code(request: InstallRequest, label: str, found: List[str]) -> None:
    for what in found:
        request.problems.append(
            f"the local wheel {label} carries {what}: a Python started after the install (a "
            "later command on the same line too) runs it before Warden's guard. Install the "
            "package from an index the policy allows, or a wheel without it, or ask your admin"
        )


def _read(path: str, metadata: bool) -> Tuple[List[tuple], List[str]]:
    """(``(entry name, text)`` of every top-level ``*.dist-info/METADATA`` when ``metadata``,
    what the wheel carries that a later start runs: ``start_code``)."""
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise ValueError("not a regular file")
    files_read.note(path, info)  # what an install's own redirection must not write
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise ValueError(f"more than {MAX_ENTRIES} entries")
        found = start_code(archive, infos)
        texts = _metadata(archive, infos) if metadata else []
    return texts, found


def _metadata(archive: zipfile.ZipFile, infos: list) -> List[tuple]:
    out = []
    for info in infos:
        parts = info.filename.split("/")
        if len(parts) == 2 and parts[0].endswith(".dist-info") and parts[1] == "METADATA":
            out.append((info.filename, _member(archive, info, MAX_METADATA_BYTES, "METADATA")))
    if not out:
        raise ValueError("no *.dist-info/METADATA")
    return out


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, what: str) -> str:
    return _member_bytes(archive, info, limit, what).decode("utf-8")


def _member_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, what: str):
    if info.file_size > limit:
        raise ValueError(f"{what} larger than {limit} bytes")
    with archive.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"{what} larger than {limit} bytes")
    return data


# -- R34-4: what a later Python start runs ---------------------------------------------------


def start_code(archive: zipfile.ZipFile, infos: list) -> List[str]:
    """What the wheel installs that a Python started later runs before Warden's guard, each
    said as ``'<entry> (why)'`` ([] when nothing). ``site`` entries are those installed into
    a site folder (``placed``); ``.pth`` members are read (bounded)."""
    from .fastpath import is_installer_name
    from .start_writes import start_names

    found: List[str] = []
    site: List[Tuple[str, str]] = []  # (entry, its path in the site folder)
    for info in infos:
        if info.is_dir():
            continue
        where, rel = placed(info.filename)
        if where == "site":
            site.append((info.filename, rel))
        elif where == "outside":
            found.append(f"{info.filename} (a file it would write outside its install)")
        elif where == "scripts" and is_installer_name(posixpath.basename(rel)):
            found.append(f"{info.filename} (a program for the environment's bin named like "
                         "a Python, an installer or a shell)")  # fmt: skip
        elif where == "data":
            why = _data_start_file(rel, is_installer_name)
            if why:
                found.append(f"{info.filename} ({why})")
    imported, folders = _pth_lines(archive, infos, site, found)
    names = start_names() | imported
    for entry, rel in site:
        if rel.endswith(".pth"):
            continue  # read by its lines
        for folder in [""] + folders:  # the site folder, and the folders its .pth lines add
            if folder and not rel.startswith(folder + "/"):
                continue
            inner = rel[len(folder) + 1 :] if folder else rel
            stem = inner.split("/")[0].split(".")[0]
            if stem in names and not _kernels_own_copy(archive, entry, inner):
                found.append(f"{entry} (a module a Python imports while it starts)")
            elif stem == _WARDEN_PACKAGE and not folder:
                found.append(f"{entry} (a file of Warden's own package, its guard)")
    return found


def _kernels_own_copy(archive: zipfile.ZipFile, entry: str, rel: str) -> bool:
    """Whether a start-up module's file holds the bytes the kernel already runs at that
    place (``start_files.known_bytes``: its unchanged site folders, its ensurepip wheels):
    setuptools' ``_distutils_hack``, which a local find-links folder for an offline build
    carries."""
    from .start_files import known_bytes

    try:
        data = _member_bytes(archive, archive.getinfo(entry), MAX_METADATA_BYTES, entry)
    except (KeyError, ValueError, OSError, zipfile.BadZipFile, RuntimeError):
        return False
    return known_bytes(rel, data)


def placed(name: str) -> Tuple[str, str]:
    """Where a wheel entry is installed: ``("site", path in the site folder)`` (a root entry,
    ``<name>.data/purelib|platlib/...``, a ``<name>.data/data/`` path through a
    ``*-packages`` folder), ``("data", path under the environment's prefix)``, ``("scripts",
    path in bin)``, ``("outside", name)`` for a path leaving its place, ``("other", name)``
    (headers). Every ``*.data`` folder counts as the data folder (pip takes only its own
    dist's: stricter)."""
    parts = name.split("/")
    where, rel = "site", name
    if len(parts) >= 3 and parts[0].endswith(".data"):
        kinds = {"purelib": "site", "platlib": "site", "scripts": "scripts", "data": "data"}
        where, rel = kinds.get(parts[1], "other"), "/".join(parts[2:])
    rel = posixpath.normpath(rel)
    if rel.startswith(("/", "../")) or rel == "..":
        return "outside", name
    if where == "data":
        pieces = rel.split("/")
        through = [k for k, piece in enumerate(pieces[:-1]) if piece.endswith("-packages")]
        if through:  # `lib/python3.11/site-packages/x.pth`
            return "site", "/".join(pieces[through[0] + 1 :])
    return where, rel


def _data_start_file(rel: str, is_installer_name) -> str:
    """Why a file the wheel puts under the environment's prefix (not in a site folder) is run
    by a later start ('' when it is not): an interpreter configuration, a program of bin
    named like one a line starts, a file of the standard library's folder."""
    parts = rel.split("/")
    base = parts[-1]
    if base == "pyvenv.cfg" or base.endswith("._pth"):
        return "a configuration the Python reads as it starts"
    if len(parts) == 2 and parts[0] in ("bin", "Scripts") and is_installer_name(base):
        return "a program for the environment's bin named like a Python, an installer or a shell"
    if len(parts) >= 3 and parts[0].startswith("lib") and parts[1].startswith("python"):
        return "a file in the standard library's folder"
    return ""


def _pth_lines(
    archive: zipfile.ZipFile, infos: list, site: List[Tuple[str, str]], found: List[str]
) -> Tuple[Set[str], List[str]]:
    """Read the wheel's ``.pth`` files at a site folder's top: a line ``site`` runs as code
    (``startup_modules.pth_line_runs_code``) or a path line leading out of the wheel's own
    install (absolute, ``..``) is appended to ``found``. Returns the modules their known
    installer lines import and the site-relative folders their path lines add."""
    from .pth_lines import text_lines
    from .startup_modules import pth_line_runs_code, pth_line_runs_modules

    by_name = {info.filename: info for info in infos}
    imported: Set[str] = set()
    folders: List[str] = []
    for entry, rel in site:
        if "/" in rel or not rel.endswith(".pth"):
            continue
        try:
            text = _member(archive, by_name[entry], MAX_PTH_BYTES, "a .pth")
        except (ValueError, UnicodeDecodeError) as exc:
            found.append(f"{entry} (a .pth file Warden cannot read: {exc})")
            continue
        for line in text_lines(text):  # every way a site reads it (red team 39c R39c-4)
            if pth_line_runs_code(line):
                found.append(f"{entry} (a .pth file whose line {line[:120]!r} site runs as code)")
            elif line.startswith(("import ", "import\t")):
                imported |= pth_line_runs_modules(line)
            elif line.strip() and not line.startswith("#"):
                folder = posixpath.normpath(line.rstrip())
                if folder.startswith("/") or folder == ".." or folder.startswith("../"):
                    found.append(
                        f"{entry} (a .pth file whose line {line[:120]!r} adds a folder outside "
                        "its install to every Python's path)"
                    )
                elif folder != ".":
                    folders.append(folder)
    return imported, folders
