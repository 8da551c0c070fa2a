"""The project and version of each file a local folder offers, decided as a file named on the
line is (red team 43b R43b-4).

``pip install ./x-0.9-py3-none-any.whl`` is decided as project ``x`` at version 0.9 (its file
name: ``requirements.set_artifact``, R11-19). ``pip install --no-index -f wheels x`` may take
the same file from the folder, and Warden cannot know which file the resolver picks: the
newest for a bare name, but a pin, a bound, ``--resolution lowest`` or another package's
dependency may take an older one. So every wheel and sdist a local find-links or index folder
offers (a page's ``file:`` links, pip's wheel cache hits) is decided as a requirement of kind
``offered``: its project against the malicious list, the deny list and the imitation names,
its version against the advisories. The machine's own files (``local_wheels.machines``) are
not read, as an allowed index's are not.

A wheel's project and version are its file name's AND its ``METADATA``'s ``Name``/``Version``
(pip and uv install by the metadata); they must agree, or the file is refused. An sdist is not
opened (its build code runs when it is installed: the threat model's local sdists): it is
placed by its file name, ``name-version.tar.gz`` (PEP 625) or a legacy archive, each split of
its name at a ``-`` before a version taken (``a-b-1.0-2.tar.gz``: ``a-b`` 1.0-2 and ``a-b-1.0``
2; pip and uv split at the project they look for). A file Warden cannot place is refused:
the message says to rename or remove it.
"""

import os
from email.parser import HeaderParser
from typing import List, Optional, Tuple

from .names import normalize
from .request import InstallRequest, Requirement
from .requirements import _SDIST_NAME as PROJECT_NAME  # a name as PEP 508 writes it
from .requirements import artifact_file
from .versions import version_key

# what pip (``SUPPORTED_EXTENSIONS``) and uv (``SourceDistExtension``) take as an sdist
SDIST_SUFFIXES = (
    ".tar.gz", ".tgz", ".zip", ".tar", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tar.lz",
    ".tlz", ".tar.lzma", ".tar.zst",
)  # fmt: skip


def is_sdist(filename: str) -> bool:
    return filename.lower().endswith(SDIST_SUFFIXES)


def add_wheel(request: InstallRequest, path: str, where: str, texts: Optional[list]) -> None:
    """The wheel at ``path`` that ``where`` offers, decided by its project and version;
    ``texts``: its ``(entry, METADATA text)`` list (``local_wheels._read``), None when it could
    not be read (already a problem: only its file name is decided then)."""
    base = os.path.basename(path)
    found = artifact_file(base, False)
    if found is None:
        request.problems.append(
            f"{where} offers {base}, which is not a wheel file name Warden can read (name-"
            "version-tags.whl): it cannot tell which project and version it installs; rename "
            "or remove the file"
        )
        return
    _add(request, base, where, *found)
    for entry, text in texts or []:
        headers = HeaderParser().parsestr(text)
        name, version = (headers.get("Name") or "").strip(), (headers.get("Version") or "").strip()
        if not name or not version:
            disagree = "names no project or no version"
        elif normalize(name) != found[0]:
            disagree = f"names the project {name[:100]!r}"
        elif not _same_version(version, found[1]):
            disagree = f"names the version {version[:100]!r}"
        else:
            continue
        request.problems.append(
            f"{where} offers {base}, whose {entry} {disagree}, not what its file name says "
            f"({found[0]} {found[1]}): pip and uv install by the metadata; remove the file"
        )


def add_sdist(request: InstallRequest, path: str, where: str) -> None:
    """The sdist at ``path`` that ``where`` offers, decided by each project and version its
    file name may give (``releases``); refused when it gives none."""
    base = os.path.basename(path)
    found = releases(base)
    if not found:
        request.problems.append(
            f"{where} offers {base}, an archive whose name Warden cannot read as a source "
            "distribution's (name-version.tar.gz): it cannot tell which project and version "
            "pip or uv would take it for; rename or remove the file"
        )
    for name, version in found:
        _add(request, base, where, name, version)


def releases(filename: str) -> List[Tuple[str, str]]:
    """Every (project, version) the sdist file name may give: each split at a ``-`` whose
    right part is a PEP 440 version and left part a project name."""
    low = filename.lower()
    suffix = next((s for s in SDIST_SUFFIXES if low.endswith(s)), None)
    if suffix is None:
        return []
    stem = filename[: -len(suffix)]
    out = []
    for i, char in enumerate(stem):
        name, version = stem[:i], stem[i + 1 :]
        if char == "-" and PROJECT_NAME.fullmatch(name) and version_key(version) is not None:
            out.append((normalize(name), version))
    return out


def add_named(request: InstallRequest, filename: str, where: str) -> None:
    """A wheel or sdist ``where`` names by its file name only (a uv.lock entry's ``filename``
    or ``path``: uv installs that file), decided by the project and version the name gives."""
    if is_sdist(filename):
        add_sdist(request, filename, where)
    else:
        add_wheel(request, filename, where, None)


def add_project(request: InstallRequest, doc: dict, where: str) -> None:
    """A local project folder (its parsed pyproject.toml ``doc``) decided as the release it
    builds, as a file is (red team 44a R44a-1): its ``[project]`` name and version; by its name
    alone when the version is ``dynamic`` (its build code gives it). A folder whose pyproject
    names no project is placed by nothing here: its build code names it (the module doc of
    ``local_projects``)."""
    project = doc.get("project") if isinstance(doc.get("project"), dict) else {}
    name, version = project.get("name"), project.get("version")
    if not isinstance(name, str) or not PROJECT_NAME.fullmatch(name):
        return
    add_locked(request, name, version if isinstance(version, str) else None, where, True)


def add_locked(
    request: InstallRequest, name: str, version: Optional[str], where: str, own: bool
) -> None:
    """Project ``name`` at ``version`` (None: unknown) that ``where`` installs from a local
    source (a project folder, a uv.lock package not fetched from an index). ``own``: a folder
    the user builds (a project folder; uv.lock's ``directory``, ``editable``, ``virtual``), not
    a file (uv.lock's ``path``: a wheel or sdist). Red team 45a R45a-8: a notebook project is
    named after its folder (``notebooks``, ``model``), a name fetched from no index, so the
    imitation names do not apply to it; the malicious list, the advisories and the deny list
    (an admin's "not this project", wherever its code comes from) still do."""
    # its text names the release for a message (requirements are kept once per whole
    # identity, ``Requirement.identity``, not per text: R45a-1)
    text = f"{name} {version}" if version else f"{name} (local)"
    _add(request, text, where, normalize(name), version).own = own


def _add(
    request: InstallRequest, base: str, where: str, name: str, version: Optional[str]
) -> Requirement:
    # without a version only the name is decided (malicious, deny list, imitation): an index's
    # newest release says nothing of a local file's
    req = Requirement(base, name if version else None, "offered", f"{where} offers {base}")
    req.artifact, req.artifact_version = name, version
    request.requirements.append(req)
    return req


def _same_version(a: str, b: str) -> bool:
    """PEP 440 equal (``1.0`` and ``1.0.0``), local labels (``+cpu``) too."""
    key = version_key(a)
    return key is not None and key == version_key(b) and _local(a) == _local(b)


def _local(version: str) -> str:
    return version.strip().lower().partition("+")[2].replace("-", ".").replace("_", ".")
