"""Local project folders an install builds, read as projects (red7 R7-8).

``uv pip install .``, ``-e ./proj``, ``/abs/proj``, ``file:///abs/proj``, a path line in a
requirements file, ``uv run --with ./proj``, ``uv tool install .``, ``uvx --from . x``, ``uv add
./sub``, ``pipx install DIR`` and a ``[tool.uv.sources]`` path: the installer builds the folder,
so it installs what the folder's pyproject.toml asks for. For uv (and pipx on uv) that is the
whole project as ``uv sync`` reads it (dependencies, extras, groups, ``[build-system]
requires``, ``[tool.uv]`` settings and sources, its own path sources in turn); for pip it is
the metadata pip builds from (dependencies, extras, a Poetry project's main dependencies:
``poetry``, red team 50c R50c-3; ``[build-system] requires``).

Each wheel and sdist it opens, whatever named it (the line, a path source, a uv.lock), and
each project folder (its ``[project]`` name and version) is also decided as the release it
is, as a file a local folder offers (``offered``, red team 44a R44a-1).

uv expands ``${NAME}`` in every path and URL of a requirement it parses (the command line, a
requirements file, a project's or script's dependencies, overrides, constraints, ``--with``,
``--from``: red team 45a R45a-2), pip only in a requirements file's lines (``requirements.
line_readings``; its ``install_req_from_line`` takes a command-line requirement as written). uv
parses the requirement as written first, then expands once inside the path it found (red team
47b R47b-2, R47b-4; checked with uv 0.13.9): with ``A='d ;'``, ``./${A}/p`` is the folder
``d ;/p``, and ``A='${B}'`` opens ``./${B}``. So for a request uv may run, a path requirement
holding ``${`` is read as written AND as uv expands it: uv's path in its unexpanded text
(``path_readings.uv``: ended where uv ends it, ``name @`` and extras cut) is expanded once
(``requirements.uv_expanded``) and added as a requirement of its own whose ``opened`` path is
read as it is (only a fragment ``#...`` cut, as uv cuts it; no ``;`` or ``[`` cut, no parse). A
value that makes the path a URL (``${A}/x.whl`` with ``A='https://h'``) makes it a URL
requirement, as uv takes it. A URL requirement is not expanded: a ``${`` in it places no host
Warden allows (``decide.plain_url``), so it stays refused, and its value may be a secret Warden
would otherwise show. A ``file:`` URL naming a host is refused: uv reads ``file://h/x`` as the
folder ``./h/x``, pip refuses it, a WHATWG reader takes another machine.

A folder with no pyproject.toml (``setup.py`` / ``setup.cfg`` only) or with ``dynamic``
dependencies gets them from its own build code: installing it runs that code, like running a
script from the folder, which Warden does not read (docs/threat-model.md). A pyproject.toml
Warden cannot read or parse is a problem (refused).
"""

import os
from typing import Dict, List

from . import installer_paths, local_wheels, offered, path_readings, requirements, toml_files
from .request import InstallRequest, Requirement, redact_url

MAX_PROJECTS = 200  # path sources and workspace members: at most this many folders a request


def add(request: InstallRequest, cwd: str, env: Dict[str, str]) -> None:
    """Read every local folder ``request`` installs (pip and uv; conda builds none)."""
    if request.tool not in ("pip", "uv") or request.child_reads:
        return  # conda builds none; a pip's own guard reads them when pip starts (R10-3)
    uv = request.tool == "uv" or request.also_uv
    seen = set()
    i = 0
    while i < len(request.requirements):  # grows: a project's path sources are appended
        req = request.requirements[i]
        i += 1
        if req.kind != "path":
            continue
        if uv and not req.expanded and "${" in (req.written or req.text):
            if _add_expanded(request, req, env) and request.tool == "uv":
                continue  # uv opens only the expanded text, read as its own requirement
        if _paths(req, cwd, env) is None:
            request.problems.append(
                f"local project {req.text[:200]} ({req.origin}): its file: URL names a host, "
                "which uv reads as a folder of that name, pip refuses and other readers take "
                "for another machine: Warden cannot place it; write the path"
            )
            continue
        unplaced = _unplaced_subdirectory(req)
        if unplaced:
            request.problems.append(
                f"local project {req.text[:200]} ({req.origin}): pip builds its file: URL's "
                f"subdirectory {unplaced[:100]!r}, outside the URL's folder (an absolute path "
                "or '..'), which Warden does not place: write the folder's own path"
            )
            continue
        named = next(
            filter(None, map(requirements.through_process, _paths(req, cwd, env, False))), ""
        )
        if named:  # `pip install /proc/self/cwd/proj`: Warden's folder is not pip's (R11-18)
            request.problems.append(
                f"local project {req.text}: " + requirements.PROCESS_PATH.format(named)
            )
            continue
        where = f"the path {req.text[:200]!r} ({req.origin})"
        for wheel in wheels(req, cwd, env):
            if os.path.realpath(wheel) not in seen:  # its Requires-Dist (red8 R8-16)
                seen.add(os.path.realpath(wheel))
                texts = local_wheels.add(request, wheel)
                # its project and version, whatever named it (a path source: R44a-1)
                offered.add_wheel(request, wheel, where, texts)
        for sdist in sdists(req, cwd, env):
            if os.path.realpath(sdist) not in seen:  # not opened: its build code runs
                seen.add(os.path.realpath(sdist))
                offered.add_sdist(request, sdist, where)
        for folder in folders(req, cwd, env):
            if os.path.realpath(folder) in seen:
                continue
            seen.add(os.path.realpath(folder))
            if len(seen) > MAX_PROJECTS:
                request.problems.append(
                    f"more than {MAX_PROJECTS} local projects to read (path sources and "
                    "workspace members): Warden stops reading"
                )
                return
            _read(request, folder, uv)


def folders(req: Requirement, cwd: str, env: Dict[str, str]) -> List[str]:
    """The existing folders a path requirement may name: relative to the working folder (pip)
    and to its requirements file's or project's folder (uv), both read when they differ; each
    as the installer opens it (``installer_paths``: its text-folded path and the file
    system's, both read when they differ, red team 42a R42a-5)."""
    return [path for path in _paths(req, cwd, env) or [] if os.path.isdir(path)]


def wheels(req: Requirement, cwd: str, env: Dict[str, str]) -> List[str]:
    """The existing wheel files a path requirement may name, found as ``folders`` are. A wheel
    by the name it is given (pip's ``is_archive_file`` tests the text): a link
    ``x-1.0-py3-none-any.whl`` to ``blob`` is one, read through the link (R42a-6)."""
    return _files(req, cwd, env, lambda named: named.lower().endswith(".whl"))


def sdists(req: Requirement, cwd: str, env: Dict[str, str]) -> List[str]:
    """The existing sdist files a path requirement may name, found as ``wheels`` are."""
    return _files(req, cwd, env, offered.is_sdist)


def _files(req: Requirement, cwd: str, env: Dict[str, str], named) -> List[str]:
    """The existing files of each reading whose path as given is ``named`` so."""
    found: List[str] = []
    for paths in _readings(req, cwd, env) or []:
        if paths and named(paths[0]):
            found += [p for p in paths if os.path.isfile(p) and p not in found]
    return found


def _add_expanded(request: InstallRequest, req: Requirement, env: Dict[str, str]) -> bool:
    """``req`` as uv expands its ``${NAME}`` (see the module doc), added after the others when
    it differs (True): decided and read as a requirement of its own. Its kind, name and marker
    are those of the text as written (uv parsed it before expanding): an editable or bare path
    stays a path whatever the value, unless the value gives it a URL scheme."""
    written = req.written or req.text
    path = path_readings.uv(written)
    opened = requirements.uv_expanded(request, path, env)
    if opened == path:
        return False
    if requirements.names_url(opened):  # uv takes the value's URL as a URL: decided as one
        new = requirements.url_reference(opened, req.origin)
        if any(c.isspace() for c in opened):  # uv escapes it: a URL Warden would misread
            request.problems.append(
                f"{req.text[:200]} ({req.origin}): uv reads its expanded value as a URL "
                "holding white space, which Warden cannot place; write the URL"
            )
    else:
        shown = written.replace(path, opened, 1)  # for messages only: redacted
        new = Requirement(redact_url(shown), req.name, "path", req.origin)
        new.opened = opened
        requirements.set_artifact(new, opened, opened[:5].lower() == "file:")
        new.name = new.name or new.artifact
    new.base, new.expanded = req.base, True
    request.requirements.append(new)
    return True


def _readings(req: Requirement, cwd: str, env: Dict[str, str], opened: bool = True):
    """The paths ``req`` names, one list a reading (``path_readings``: pip's and uv's, each
    installer's end of the path, its extras and fragment, red team 48b R48b-7): from each base,
    as the installer opens them (``opened``, ``installer_paths.requirement``: the text-folded
    one first, named as given, a ``file:`` URL as each installer reads it, ``~`` as written)
    or joined as written. None: a ``file:`` URL naming a host (the caller refuses it)."""
    if req.opened is not None:  # uv's expanded path (``_add_expanded``): uv cuts its `#` too
        texts = [("uv", req.opened.split("#", 1)[0])]
    else:
        texts = path_readings.readings(req.written or req.text)
    found = []
    for tool, text in texts:
        if not opened and text[:5].lower() != "file:":
            bases = [base for base in (cwd, req.base) if base]
            found.append(list(dict.fromkeys(os.path.join(base, text) for base in bases)))
            continue
        # a requirement does not carry which installer takes it, and a path only one of them
        # opens is read all the same (a refusal at worst). A host only pip's reading finds is
        # pip's own error (it installs no remote file: URL); uv's is refused
        paths = installer_paths.requirement(text, (tool,), cwd, req.base)
        if paths is None and tool == "uv":
            return None
        found.append(paths or [])
    return found


def _unplaced_subdirectory(req: Requirement) -> str:
    """A ``subdirectory`` pip joins to one of ``req``'s ``file:`` URLs that Warden does not
    place (``installer_paths.unplaced_subdirectory``, R50d-1): refused, never dropped."""
    if req.opened is not None:
        return ""  # uv's expanded path: uv builds no subdirectory of a local folder
    for tool, text in path_readings.readings(req.written or req.text):
        unplaced = installer_paths.unplaced_subdirectory(text) if tool == "pip" else ""
        if unplaced:
            return unplaced
    return ""


def _paths(req: Requirement, cwd: str, env: Dict[str, str], opened: bool = True):
    """Every path of every reading (``_readings``), without repeats; None as there."""
    found = _readings(req, cwd, env, opened)
    return None if found is None else list(dict.fromkeys(p for paths in found for p in paths))


def _read(request: InstallRequest, folder: str, uv: bool) -> None:
    pyproject = os.path.join(folder, "pyproject.toml")
    if not os.path.lexists(pyproject):
        return  # setup.py / setup.cfg only: the folder's own build code (see the module doc)
    label = f"{os.path.basename(folder) or folder}/pyproject.toml"
    doc = toml_files.load(request, pyproject, label)
    if doc is None:
        return
    offered.add_project(request, doc, label)  # the release it builds (R44a-1)
    if not uv:
        toml_files.add_metadata(request, doc, label, folder)
        return
    toml_files.add_project(request, doc, label, folder)
    toml_files.add_uv_settings(request, toml_files.uv_table(doc), f"{label} [tool.uv]", folder)
    # a workspace member: uv finds its `{ workspace = true }` sources from the root above
    for root in toml_files.find_workspace_roots(request, folder):
        member = Requirement(os.path.dirname(root), None, "path", f"{label} workspace root")
        request.requirements.append(member)
