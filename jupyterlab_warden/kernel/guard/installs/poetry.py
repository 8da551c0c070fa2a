"""A Poetry project's main dependencies, as poetry-core puts them in the metadata it builds
(red team 50c R50c-3).

``pip install .`` (and uv's) of a project whose backend is poetry-core installs what its
metadata lists, and poetry-core 2.x (``Factory._configure_package_dependencies``, checked with
poetry-core 2.5.0) takes ``[tool.poetry.dependencies]`` as the main dependencies when
``[project]`` declares none (no ``[project]`` table, ``dependencies`` left out, empty or
``dynamic``); when it declares them, Poetry's table only enriches the same names (a source, a
marker). Warden decides every entry of the table whatever ``[project]`` says (stricter: an
entry only enriching is decided too). Groups (``[tool.poetry.group.*]``,
``dev-dependencies``) are not in the metadata (the build backend builds with
``with_groups=False``), and ``[tool.poetry.extras]`` only names entries of the table (each
decided already); ``python`` is the interpreter's version, no package.

Each entry (a version string, a table, or a list of tables: multiple constraints) is decided
as the requirement it is: ``git`` and ``url`` as the direct reference (the direct-URL rule),
``path`` and ``file`` as a local project or archive in the project's folder (read by
``local_projects``, as poetry-core writes it: ``name @ file:///...``), ``source`` as the
``[[tool.poetry.source]]`` index it names (the allowed-index rule; a name the file does not
define, other than ``pypi``, is refused), and any version by name
only: Poetry's ``^`` / ``~`` ranges need no translation to deny or allow a name, and an
unpinned name is any version to the advisory check (stricter). A bare exact version
(``"1.2.3"``, ``"==1.2.3"``) is that pin. A key that is no project name is refused: Warden
would read a marker or URL into it that poetry-core does not. Kept in step with warden-scan's
reader (src/deps/poetry.ts) by the shared vectors (schema/vectors/install-decision.json).
"""

import re

from . import requirements
from .request import InstallRequest, Requirement, Source

_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
# poetry's bare version is an exact one (`1.2.3` means ==1.2.3); anything else is a range
_EXACT = re.compile(r"(==)?\s*(\d[A-Za-z0-9_.+!-]*)")


def poetry_table(doc: dict) -> dict:
    tool = doc.get("tool") if isinstance(doc.get("tool"), dict) else {}
    return tool.get("poetry") if isinstance(tool.get("poetry"), dict) else {}


def add_main(request: InstallRequest, doc: dict, label: str, base: str = "") -> None:
    """``[tool.poetry.dependencies]`` of ``doc`` decided as the metadata's requirements (see the
    module doc); ``base``: the project's folder, where its ``path`` entries lie."""
    poetry = poetry_table(doc)
    deps = poetry.get("dependencies")
    if deps is None:
        return
    origin = f"{label} [tool.poetry.dependencies]"
    if not isinstance(deps, dict):
        request.problems.append(f"{origin} is not a table")
        return
    sources = _sources(poetry)
    for name, spec in deps.items():
        if name.lower() == "python":
            continue  # the interpreter's version, not a package
        if not _NAME.fullmatch(name):
            request.problems.append(
                f"{origin}: {name[:100]!r} is not a project name Warden can decide"
            )
            continue
        for entry in spec if isinstance(spec, list) else [spec]:
            _add_entry(request, name, entry, f"{origin} {name}", base, sources)


def _sources(poetry: dict) -> dict:
    """``[[tool.poetry.source]]`` by name: its URL (None: a source with no URL, PyPI's)."""
    found = {}
    for source in poetry.get("source") if isinstance(poetry.get("source"), list) else []:
        if isinstance(source, dict) and isinstance(source.get("name"), str):
            found[source["name"].lower()] = source.get("url")
    return found


def _add_entry(request, name: str, entry, origin: str, base: str, sources: dict) -> None:
    table = entry if isinstance(entry, dict) else {}
    if isinstance(table.get("git"), str):
        text = f"{name} @ git+{table['git']}"
    elif isinstance(table.get("url"), str):
        text = f"{name} @ {table['url']}"
    elif isinstance(table.get("path"), str) or isinstance(table.get("file"), str):
        written = table["path"] if isinstance(table.get("path"), str) else table["file"]
        if not base:  # never decided as the bare name (as a uv path source: R40b-1)
            request.problems.append(
                f"{origin}: Warden cannot place the path {written[:200]!r} to read what it installs"
            )
            return
        local = Requirement(written, None, "path", origin)
        local.base = base  # poetry-core reads it from the project's folder
        request.requirements.append(local)
        return
    else:
        version = entry if isinstance(entry, str) else table.get("version")
        exact = _EXACT.fullmatch(version.strip()) if isinstance(version, str) else None
        text = f"{name}=={exact.group(2)}" if exact else name
    request.requirements.append(requirements.parse_requirement(text, origin))
    source = table.get("source")
    if isinstance(source, str):
        url = sources.get(source.lower())
        if isinstance(url, str):
            request.sources.append(Source(url, "extra-index", f"{origin} source {source}"))
        elif source.lower() not in sources and source.lower() != "pypi":  # Poetry's own name
            request.problems.append(
                f"{origin}: source {source[:100]!r} is not a [[tool.poetry.source]] of the file"
            )
