"""TOML files installers read: pyproject.toml (dependencies, groups, ``[tool.uv]``), uv.toml,
uv.lock and PEP 723 inline script metadata (``# /// script``).

The kernel is stdlib-only and supports Python 3.8: ``tomllib`` exists from 3.11. Where there is
no TOML reader, or a file cannot be read or parsed, the request gets a problem (refused as
unreadable, fail closed): it is never decided as if the file said nothing. Loaded only when an
install is being decided, never at kernel start.
"""

import os
import re
from typing import List, Optional

from . import folders, offered, poetry, preference, requirements
from .own_python import OWN
from .request import InstallRequest, Requirement, Source, redact_url

MAX_INCLUDE_DEPTH = 10
# PEP 723's reference regex (uv reads the same way: the block ends at its last `# ///` line)
# and pipx's `script._INLINE_METADATA` (the block ends at its first); both want exact marker
# lines, no trailing blanks.
_SCRIPT_BLOCK = re.compile(
    r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$"
)
_SCRIPT_BLOCK_FIRST_END = re.compile(
    r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+?)^# ///$"
)
# Any line a reader could take for a block marker, however spaced
_LOOSE_MARKER = re.compile(r"[ \t]*#[ \t]*///")
# Whether a file holds a script block for ANY of its readers, decided on the loosest reading:
# uv takes `# /// script` after a lone CR, pipx after a BOM (red7 R7-1, R7-11), so `///` and
# `script` anywhere, spaced by any character JavaScript or Python calls a blank, in any case.
# A file this finds is read by `script_metadata` or refused, never run as a plain script.
_LOOSE_SCRIPT_START = re.compile(
    "///[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f"
    "\u3000\ufeff]*script",
    re.IGNORECASE,
)
_STRICT_MARKER = re.compile(r"# ///( [a-zA-Z0-9-]+)?")
_OTHER_LINE_BREAK = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85]")


MAX_LOCK_BYTES = 32 << 20  # a uv.lock of a large ML project (hashes of every wheel) exceeds 1 MB


def load(request: InstallRequest, path: str, label: str = "", limit: int = 0) -> Optional[dict]:
    """The parsed document, or None with a problem on ``request``."""
    label = label or os.path.basename(path)
    try:
        text = requirements.read_regular_file(path, limit)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        request.problems.append(f"cannot read {label}: {exc.__class__.__name__}")
        return None
    return loads(request, text, label)


def loads(request: InstallRequest, text: str, label: str) -> Optional[dict]:
    # chosen by this Python's version as the guard installed (a cell can assign
    # ``sys.version_info``), never by an ImportError: the guard's refusal to load its own copy
    # of ``tomllib`` is no reason to read pip's ``tomli``, a module the process controls (red
    # team 48a R48a-4); that refusal (``GuardLoadError``) goes through to the gate
    if OWN.version >= (3, 11):
        import tomllib
    else:  # Python < 3.11: no TOML reader in the standard library
        tomllib = _pip_tomli()
    if tomllib is None:
        request.problems.append(
            f"{label} is TOML and this Python has no TOML reader (3.11+ has one): Warden "
            "cannot read what it configures"
        )
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        request.problems.append(f"{label} is not valid TOML ({exc}): Warden cannot read it")
        return None


def _pip_tomli():
    """pip's vendored ``tomli`` (the parser the standard library adopted as ``tomllib``), which
    pip itself reads pyproject.toml with: a local project stays readable on Python < 3.11."""
    try:
        from pip._vendor import tomli
    except ImportError:
        return None
    return tomli


def find_project(cwd: str) -> Optional[str]:
    """The nearest pyproject.toml from ``cwd`` up (the project uv syncs), or None."""
    for here in folders.upward(cwd):  # from the physical folder, as uv (red team 11 R11-2)
        candidate = os.path.join(here, "pyproject.toml")
        if os.path.isfile(candidate):
            return candidate
    return None


def find_workspace_roots(request: InstallRequest, folder: str) -> List[str]:
    """The pyproject.toml of the uv workspace root above project ``folder`` (a member's
    project: uv locks and syncs the whole workspace from there, red team F6), on each chain
    uv may walk (``folders.chains``: the physical one, the path as written); [] when none. A
    pyproject.toml on the way up that cannot be parsed is a problem: uv reads them too."""
    roots = []
    for chain in folders.chains(folder):
        for here in chain[1:]:
            candidate = os.path.join(here, "pyproject.toml")
            if os.path.isfile(candidate):
                doc = load(request, candidate, f"{os.path.basename(here) or here}/pyproject.toml")
                if doc is not None and "workspace" in uv_table(doc):
                    roots.append(candidate)
                    break
    return list(dict.fromkeys(roots))


def _strings(request, values, origin: str, what: str) -> list:
    if values is None:
        return []
    if not isinstance(values, list):
        request.problems.append(f"{origin}: {what} is not a list")
        return []
    return values


def add_list(request: InstallRequest, values, origin: str, what: str) -> None:
    for value in _strings(request, values, origin, what):
        if isinstance(value, str):
            request.requirements.append(requirements.parse_requirement(value, origin))
        elif not (isinstance(value, dict) and "include-group" in value):
            request.problems.append(f"{origin}: an entry of {what} is not a requirement string")


def add_group(request: InstallRequest, doc: dict, name: str, label: str, depth: int = 0) -> None:
    """PEP 735 ``[dependency-groups]``: group ``name`` with its ``include-group`` entries."""
    from .names import normalize

    groups = doc.get("dependency-groups")
    groups = groups if isinstance(groups, dict) else {}
    by_name = {normalize(str(k)): v for k, v in groups.items()}
    if depth > MAX_INCLUDE_DEPTH:
        request.problems.append(f"{label}: dependency groups include each other too deeply")
        return
    if normalize(name) not in by_name:
        request.problems.append(f"{label} has no dependency group '{name}'")
        return
    origin = f"{label} [dependency-groups] {name}"
    values = by_name[normalize(name)]
    add_list(request, values, origin, f"dependency group {name}")
    for value in values if isinstance(values, list) else []:
        if isinstance(value, dict) and isinstance(value.get("include-group"), str):
            add_group(request, doc, value["include-group"], label, depth + 1)


def add_metadata(request: InstallRequest, doc: dict, label: str, base: str = "") -> None:
    """What any installer that builds a project installs from its pyproject.toml: its
    dependencies, every extra (the options choosing them are not followed: stricter), the
    main dependencies poetry-core writes into the metadata from ``[tool.poetry]``
    (``poetry.add_main``, red team 50c R50c-3; its path entries relative to the project's
    folder ``base``) and its ``[build-system] requires`` (pip and uv install them into the
    build environment before the backend runs: red7 R7-17)."""
    project = doc.get("project") if isinstance(doc.get("project"), dict) else {}
    add_list(request, project.get("dependencies"), f"{label} [project]", "dependencies")
    poetry.add_main(request, doc, label, base)
    extras = project.get("optional-dependencies")
    for extra, values in (extras if isinstance(extras, dict) else {}).items():
        add_list(request, values, f"{label} optional-dependencies.{extra}", "an extra")
    build = doc.get("build-system")
    if build is not None and not isinstance(build, dict):
        request.problems.append(f"{label}: [build-system] is not a table")
    build = build if isinstance(build, dict) else {}
    add_list(request, build.get("requires"), f"{label} [build-system]", "requires")


def add_project(request: InstallRequest, doc: dict, label: str, base: str = "") -> None:
    """Everything ``uv sync`` may install from a project: its metadata (``add_metadata``),
    every dependency group, uv's dev-dependencies and its ``[tool.uv.sources]`` (the path ones
    relative to the project's folder ``base``)."""
    add_metadata(request, doc, label, base)
    groups = doc.get("dependency-groups")
    for group, values in (groups if isinstance(groups, dict) else {}).items():
        add_list(request, values, f"{label} [dependency-groups] {group}", "a group")
    add_uv_project(request, doc, label, base)


def add_uv_project(request: InstallRequest, doc: dict, label: str, base: str = "") -> None:
    """What uv's project reader takes from ``[tool.uv]`` beside the project's own metadata:
    workspace members, dev-dependencies, overrides and constraints, and the sources that
    lower its requirements (``add_uv_sources``)."""
    uv = uv_table(doc)
    if "workspace" in uv:
        add_workspace(request, uv["workspace"], label, base)
    # overrides replace a dependency (even by `name @ URL`) and constraints pin it: each is
    # decided as something uv installs (stricter for constraints)
    for key in ("dev-dependencies",) + _UV_REQUIREMENT_KEYS:
        add_list(request, uv.get(key), f"{label} [tool.uv]", key)
    add_uv_sources(request, uv, label, base)


def add_requirements_project(
    request: InstallRequest, path: str, group: Optional[str] = None
) -> None:
    """A pyproject.toml given to uv's ``-r``/``--with-requirements``: what it installs
    (``add_project``), the indexes its ``[tool.uv.sources]`` name (``[[tool.uv.index]]``, read
    with its other settings from the file's folder: ``add_uv_settings``) and, in a workspace
    member, the workspace root above it, whose members its ``{ workspace = true }`` sources
    build (read by ``local_projects`` as path projects are: red team 45a R45a-4, R45a-7).

    ``group``: ``uv pip install --group [PATH:]NAME`` instead, which installs only that group
    (and its include-groups) but lowers it as ``-r`` does, with the file's sources, indexes and
    workspace root (red team 46a R46a-1). uv's ``--no-sources`` is not followed: stricter."""
    doc = load(request, path)
    if doc is None:
        return
    label, folder = os.path.basename(path), os.path.dirname(path)
    if group is None:
        add_project(request, doc, label, folder)
    else:
        add_group(request, doc, group, label)
        add_uv_project(request, doc, label, folder)
    no_index = request.no_index  # uv takes no setting of the install from this file: stricter
    add_uv_settings(request, uv_table(doc), f"{label} [tool.uv]", folder)
    request.no_index = no_index
    for root in find_workspace_roots(request, folder):
        member = Requirement(os.path.dirname(root), None, "path", f"{label} workspace root")
        request.requirements.append(member)


# glob characters (uv expands members with the `glob` crate, whose `*` also matches a leading
# dot: a pattern Warden would have to expand exactly as uv does)
_GLOB = re.compile(r"[*?\[\]{}]")


def add_workspace(request: InstallRequest, workspace, label: str, base: str) -> None:
    """``[tool.uv.workspace] members``: uv locks and syncs every member, so each is a local
    project (read by ``local_projects``). A member given as a glob pattern is refused: both
    sides must see the same folders, and the static side cannot list folders (red team F6)."""
    members = workspace.get("members") if isinstance(workspace, dict) else None
    if not base or not isinstance(workspace, dict):
        request.problems.append(f"{label}: uv workspace members are not read by Warden here")
        return
    for member in _strings(request, members, label, "[tool.uv.workspace] members"):
        if not isinstance(member, str) or _GLOB.search(member):
            request.problems.append(
                f"{label}: uv workspace member {member!r} is a pattern Warden does not expand; "
                "list the member folders by name"
            )
            continue
        path = Requirement(member, None, "path", f"{label} workspace member {member}")
        path.base = base
        request.requirements.append(path)


def add_uv_sources(request: InstallRequest, uv: dict, label: str, base: str = "") -> None:
    """``[tool.uv.sources]`` direct references (``git``, ``url``) of a project or a PEP 723
    script, and (given the project's folder ``base``) its ``path`` sources as local paths, which
    ``local_projects`` reads as projects: uv builds them with their own sources (a workspace
    member or a named index is no direct reference; the index itself is decided from
    ``[[tool.uv.index]]``)."""
    sources = uv.get("sources")
    for name, spec in (sources if isinstance(sources, dict) else {}).items():
        for entry in spec if isinstance(spec, list) else [spec]:
            entry = entry if isinstance(entry, dict) else {}
            if isinstance(entry.get("git"), str):
                text = f"{name} @ git+{entry['git']}"
            elif isinstance(entry.get("url"), str):
                text = f"{name} @ {entry['url']}"
            elif isinstance(entry.get("path"), str):
                _add_path_source(request, entry["path"], f"{label} {name}", base)
                continue
            else:
                continue  # a workspace member or named index (decided as a source)
            request.requirements.append(
                requirements.parse_requirement(text, f"{label} [tool.uv.sources]")
            )


def _add_path_source(request: InstallRequest, path: str, origin: str, base: str) -> None:
    """A ``path`` source, placed in the folder of the file naming it (uv reads it from there),
    for ``local_projects`` to open (a project's metadata, a wheel's Requires-Dist and start-up
    code). Without that folder Warden cannot tell what uv installs: refused, never decided as
    the bare name (red team 40b R40b-1)."""
    if not base:
        request.problems.append(
            f"{origin}: Warden cannot place the path source {path!r} to read what it installs; "
            "install the local project or wheel by its path on the command line"
        )
        return
    source = Requirement(path, None, "path", origin)
    source.base = base
    request.requirements.append(source)


def uv_table(doc: dict) -> dict:
    tool = doc.get("tool") if isinstance(doc.get("tool"), dict) else {}
    return tool.get("uv") if isinstance(tool.get("uv"), dict) else {}


_UV_REQUIREMENT_KEYS = (
    "override-dependencies",
    "constraint-dependencies",
    "build-constraint-dependencies",
)
# uv settings (uv's "Settings" reference) that change neither what is installed nor where it
# comes from, and the project keys the project reader decides where uv installs the project
# (`uv sync|run|add`); any other key refuses the install (deny by default), as pip's do.
UV_INERT_SETTINGS = frozenset(
    (
        # project layout (decided by the project reader when the project is installed)
        "sources", "dev-dependencies", "workspace", "managed", "package", "default-groups",
        "dependency-groups", "conflicts", "environments", "required-environments",
        "build-backend", "exclude-dependencies",
        # caches, output, network tuning, publishing
        "cache-dir", "cache-keys", "no-cache", "compile-bytecode", "concurrent-builds",
        "concurrent-downloads", "concurrent-installs", "link-mode", "native-tls",
        "system-certs", "offline", "keyring-provider", "preview",
        "required-version", "publish-url", "check-url", "trusted-publishing", "add-bounds",
        # resolution choices among sources that are all decided (those that change which
        # release is taken also read by preference.py: R43b-1)
        "index-strategy", "resolution", "prerelease", "fork-strategy", "exclude-newer",
        "exclude-newer-package", "no-binary", "no-binary-package", "no-build",
        "no-build-package", "no-build-isolation", "no-build-isolation-package", "no-sources",
        "upgrade", "upgrade-package", "reinstall", "reinstall-package", "python-downloads",
        "python-preference",
        # [pip]: the target, the interpreter, what a compile writes
        "python", "system", "break-system-packages", "target", "prefix", "extra", "all-extras",
        "no-extra", "no-deps", "allow-empty-requirements", "only-binary", "output-file",
        "no-strip-extras", "no-strip-markers", "no-annotate", "no-header",
        "custom-compile-command", "generate-hashes", "python-version", "python-platform",
        "universal", "no-emit-package", "emit-index-url", "emit-find-links",
        "emit-build-options", "emit-marker-expression", "emit-index-annotation",
        "annotation-style", "require-hashes", "verify-hashes", "strict", "group",
    )
)  # fmt: skip
# python-preference and [pip] python / system change which Python uv RUNS to query it, not what
# it installs: uv_config.DiscoverySettings reads them for uv's discovery (uv_inputs, R31-7).
# Not inert on purpose: config-settings(-package) (build backend options, as for pip),
# extra-build-variables (a build's environment), torch-backend (PyTorch's indexes),
# python-install-mirror, pypy-install-mirror, python-downloads-json-url (where an interpreter
# comes from).
_UV_READ_SETTINGS = (
    "index-url", "extra-index-url", "find-links", "index", "no-index", "pip",
    "extra-build-dependencies", "dependency-metadata", "allow-insecure-host",
) + _UV_REQUIREMENT_KEYS  # fmt: skip


def add_uv_settings(
    request: InstallRequest, table: dict, origin: str, base: Optional[str] = None
) -> None:
    """uv's settings in a settings table (uv.toml's top level or ``[pip]``, ``[tool.uv]``):
    each index URL decided like one on the command line, override / constraint /
    build-constraint dependencies like requirements (uv follows them in every install, not
    only a project's), any other key not known to be inert refused. ``base``: the folder of
    the file holding the table, which uv takes a relative find-links or index path from
    (uv 0.13: ``find-links = ["./w"]`` in ``sub/uv.toml`` is ``sub/w``)."""
    for key, role in (
        ("index-url", "index"),
        ("extra-index-url", "extra-index"),
        ("find-links", "find-links"),
    ):
        value = table.get(key)
        for url in [value] if isinstance(value, str) else _strings(request, value, origin, key):
            if isinstance(url, str):
                request.sources.append(Source(url, role, origin, base))
            else:
                request.problems.append(f"{origin}: an entry of {key} is not a URL")
    indexes = table.get("index")
    for index in _strings(request, indexes, origin, "[[index]]"):
        url = index.get("url") if isinstance(index, dict) else None
        if not isinstance(url, str):
            request.problems.append(f"{origin}: an [[index]] entry without a url")
            continue
        role = "index" if index.get("default") is True else "extra-index"
        request.sources.append(Source(url, role, origin, base))
    if table.get("no-index") is True:
        request.no_index = True
    insecure = table.get("allow-insecure-host")
    for host in (
        [insecure]
        if isinstance(insecure, str)
        else _strings(request, insecure, origin, "allow-insecure-host")
    ):
        request.tls.append(("insecure-host", str(host), origin))
    for key in _UV_REQUIREMENT_KEYS:
        add_list(request, table.get(key), origin, key)
    _add_build_requirements(request, table, origin)
    for key, value in table.items():  # resolution, exclude-newer, prerelease (R43b-1)
        if key != "pip":
            preference.note(request, "uv", key, value, origin)
    for key in table:
        if key not in _UV_READ_SETTINGS and key not in UV_INERT_SETTINGS:
            request.problems.append(
                f"{origin}: uv setting '{key}' is one Warden does not read; remove it or pass "
                "the option on the command line"
            )
    if isinstance(table.get("pip"), dict):
        add_uv_settings(request, table["pip"], f"{origin} [pip]", base)


def _add_build_requirements(request: InstallRequest, table: dict, origin: str) -> None:
    """``extra-build-dependencies`` (package -> requirements uv adds to its build, a string or
    ``{requirement = ...}``) and ``dependency-metadata`` (``requires-dist`` uv takes as a
    package's dependencies): each decided like a requirement."""
    extra = table.get("extra-build-dependencies")
    if extra is not None and not isinstance(extra, dict):
        request.problems.append(f"{origin}: extra-build-dependencies is not a table")
    for package, values in (extra if isinstance(extra, dict) else {}).items():
        what = f"extra-build-dependencies.{package}"
        for value in _strings(request, values, origin, what):
            text = value.get("requirement") if isinstance(value, dict) else value
            if isinstance(text, str):
                request.requirements.append(
                    requirements.parse_requirement(text, f"{origin} {what}")
                )
            else:
                request.problems.append(f"{origin}: an entry of {what} is not a requirement")
    for entry in _strings(request, table.get("dependency-metadata"), origin, "dependency-metadata"):
        if not isinstance(entry, dict):
            request.problems.append(f"{origin}: an entry of dependency-metadata is not a table")
            continue
        requires = entry.get("requires-dist")
        add_list(request, requires, f"{origin} dependency-metadata", "requires-dist")


# uv.lock's keys (uv's lock format, version 1): any other key of a package, its sdist or a
# wheel may be one more place uv fetches from, so it refuses the install (deny by default).
_LOCK_PACKAGE_KEYS = frozenset(
    (
        "name", "version", "source", "sdist", "wheels", "dependencies",
        "optional-dependencies", "dev-dependencies", "metadata", "resolution-markers",
    )
)  # fmt: skip
_LOCK_KEYS = frozenset(
    (
        "version", "revision", "requires-python", "resolution-markers", "supported-markers",
        "required-markers", "environment-markers", "conflicts", "options", "manifest",
        "package", "distribution",
    )
)  # fmt: skip
_LOCK_FILE_KEYS = frozenset(("url", "path", "filename", "hash", "size", "upload-time"))
_LOCK_SOURCE_KEYS = frozenset(
    ("registry", "url", "git", "path", "directory", "editable", "virtual", "subdirectory")
)


def add_lock(request: InstallRequest, path: str) -> None:
    """uv.lock: each locked package's name and where it is fetched from: its source
    (registry, URL, git) and every file URL uv downloads (``sdist.url``, ``wheels[].url``:
    what uv actually fetches, checked only against the hash beside it; red7 R7-18), each a
    direct reference unless it lies under a trusted index (PyPI's files host,
    https://files.pythonhosted.org, is one by default). A registry package is decided as a
    pin of its locked version; a local one (``path``, ``directory``, ``editable``,
    ``virtual``) as the release it is locked as, and read from the lock's folder as a local
    project or wheel; every file an entry names by ``filename`` or ``path`` by its file name's
    project and version (red team 44a R44a-2)."""
    label = os.path.basename(path)
    doc = load(request, path, label, MAX_LOCK_BYTES) or {}
    unknown = sorted(set(doc) - _LOCK_KEYS)
    if unknown:
        request.problems.append(
            f"{label}: {', '.join(unknown)} is not something Warden reads in a uv.lock"
        )
    # uv takes `[[distribution]]` (the format's older name) as `[[package]]`
    packages = []
    for key in ("package", "distribution"):
        packages += _strings(request, doc.get(key), label, f"[[{key}]]")
    for package in packages:
        if not isinstance(package, dict):
            request.problems.append(f"{label}: a [[package]] entry is not a table")
            continue
        name, source = package.get("name"), package.get("source")
        origin = f"{label} package {name}"
        unknown = sorted(set(package) - _LOCK_PACKAGE_KEYS)
        unknown += sorted(set(source or {}) - _LOCK_SOURCE_KEYS) if isinstance(source, dict) else []
        if unknown or not isinstance(source, dict) or not isinstance(name, str):
            request.problems.append(
                f"{origin}: {', '.join(unknown) or 'its name or source'} is not something "
                "Warden reads in a uv.lock"
            )
        source = source if isinstance(source, dict) else {}
        if isinstance(source.get("registry"), str):
            # a local registry (a flat index locked as `registry = "wheels"`) lies in the
            # lock's folder, wherever uv runs from (red team 45a R45a-3)
            request.sources.append(
                Source(source["registry"], "extra-index", origin, os.path.dirname(path))
            )
        version = package.get("version")
        version = version if isinstance(version, str) else None
        if isinstance(source.get("url"), str):
            text = f"{name} @ {source['url']}"
        elif isinstance(source.get("git"), str):
            text = f"{name} @ git+{source['git']}"
        elif isinstance(name, str) and not any(k in source for k in _LOCAL_SOURCES):
            # the locked release is what uv installs: a pin, not the index's newest (R44a-2)
            text = f"{name}=={version}" if version else name
        else:
            text = ""
        if text:
            request.requirements.append(requirements.parse_requirement(text, origin))
        elif isinstance(name, str):  # a local source: the release it is locked as (R44a-2)
            offered.add_locked(request, name, version, origin, "path" not in source)
        _add_lock_source(request, source, origin, os.path.dirname(path))
        _lock_files(request, package, origin, _registry_folders(source, os.path.dirname(path)))


# a uv.lock source uv builds or unpacks from the lock's own folder (uv's `Source::Path`,
# `Directory`, `Editable`, `Virtual`): read as a local project or wheel (R44a-2)
_LOCAL_SOURCES = ("path", "directory", "editable", "virtual")


def _add_lock_source(request: InstallRequest, source: dict, origin: str, base: str) -> None:
    """A locked package's local source, placed in the lock's folder as a ``path`` requirement
    ``local_projects`` reads: a wheel's start-up code and Requires-Dist, a project's build
    requirements and metadata (red team 44a R44a-2)."""
    for key in _LOCAL_SOURCES:
        value = source.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            request.problems.append(f"{origin}: its {key} source is not a path")
            continue
        local = Requirement(value, None, "path", f"{origin} {key} source")
        local.base = base
        request.requirements.append(local)


def add_script_lock(request: InstallRequest, script: str, cwd: str) -> None:
    """A PEP 723 script's own lock (``uv lock --script s.py`` writes ``s.py.lock``), which
    ``uv run s.py`` / ``--script`` commands install from when it is current: read as a
    uv.lock (its wheel and sdist URLs decided)."""
    lock = os.path.join(cwd, script) + ".lock"
    if os.path.lexists(lock):
        add_lock(request, lock)


def _registry_folders(source: dict, base: str) -> List[str]:
    """The folders a locked package's local registry (``registry = "wheels"``, a path or a
    ``file:`` URL) may be, taken from the lock's folder ``base`` as uv takes it (and from no
    other: ``installer_paths``' reading of a value a file names); [] for a remote index."""
    from . import installer_paths
    from .request import has_scheme

    registry = source.get("registry")
    if not isinstance(registry, str) or (
        has_scheme(registry) and not registry.strip().lower().startswith("file:")
    ):
        return []
    return installer_paths.location(registry.strip(), ("uv",), base, base, "") or []


def _lock_files(request: InstallRequest, package: dict, origin: str, registry: List[str]) -> None:
    """A locked package's ``sdist`` and ``wheels``: each URL decided as a direct reference
    (nameless: the package's name is decided once, above); each ``filename`` / ``path`` by
    the project and version its file name gives; a ``path`` in a local ``registry`` (its
    folders) opened as uv opens it (``_add_registry_file``)."""
    sdist = package.get("sdist")
    wheels = package.get("wheels")
    entries = [("sdist", sdist)] if sdist is not None else []
    if wheels is not None and not isinstance(wheels, list):
        request.problems.append(f"{origin}: wheels is not a list")
    entries += [("wheels", w) for w in (wheels if isinstance(wheels, list) else [])]
    for what, entry in entries:
        if not isinstance(entry, dict) or set(entry) - _LOCK_FILE_KEYS:
            extra = sorted(set(entry) - _LOCK_FILE_KEYS) if isinstance(entry, dict) else []
            request.problems.append(
                f"{origin}: {what} {', '.join(extra) or 'entry'} is not something Warden "
                "reads in a uv.lock"
            )
            continue
        url = entry.get("url")
        if url is not None and not isinstance(url, str):
            request.problems.append(f"{origin}: a {what} url is not a string")
        elif isinstance(url, str):
            locked = Requirement(redact_url(url), None, "url", f"{origin} {what}")
            locked.written = url  # decided as written (a trusted index's token path)
            requirements.set_artifact(locked, url, True)  # its file's project (R11-19)
            request.requirements.append(locked)
        # the file a local source installs: decided by its name's project and version (its
        # content by ``local_projects``, from the package's source; R44a-2)
        for key in ("filename", "path"):
            named = entry.get(key)
            if named is not None and not isinstance(named, str):
                request.problems.append(f"{origin}: a {what} {key} is not a string")
            elif isinstance(named, str) and key == "path" and registry:
                _add_registry_file(request, named, registry, f"{origin} {what}")
            elif isinstance(named, str):
                offered.add_named(request, named, f"{origin} {what}")


def _add_registry_file(request: InstallRequest, named: str, registry: List[str], where: str):
    """The file a local registry's entry names (``path``, relative to the registry folder: uv
    joins the two, so ``../hidden/x.whl`` leads out of it), read as a file an index folder
    offers (``local_wheels.add_offered``: METADATA, Requires-Dist, start-up code), not by its
    name alone (red team 45a R45a-3). A file Warden cannot find is refused: uv installs it."""
    from . import installer_paths, local_wheels

    found = [
        path
        for folder in registry
        for path in installer_paths.joined(named, [folder])
        if os.path.isfile(path)
    ]
    if not found:
        request.problems.append(
            f"{where}: the file {named[:200]!r} of its local registry cannot be found to read; "
            "uv installs it from there"
        )
    for path in dict.fromkeys(found):
        local_wheels.add_offered(request, path, where)


def script_metadata(text: str) -> Optional[str]:
    """The TOML of a PEP 723 ``# /// script`` block, or None when the consuming tools could read
    the file differently: pipx (first `# ///` ends the block, two blocks are an error) and uv
    (the last one ends it) must see the same one block, and no marker line may be spelled
    loosely (`# /// script  ` is no block for pipx: a decoy for a reader that accepts it).
    Newlines are normalised as both tools do (BOM dropped, CRLF read as LF); a lone CR (and
    U+2028/U+2029, line ends for a JavaScript regex) is refused, as is a block holding another
    character `str.splitlines` breaks at."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if any(c in text for c in "\r\u2028\u2029"):
        return None
    markers = [line for line in text.split("\n") if _LOOSE_MARKER.match(line)]
    if any(not _STRICT_MARKER.fullmatch(line) for line in markers):
        return None
    if markers.count("# /// script") != 1:
        return None
    blocks = [m for m in _SCRIPT_BLOCK.finditer(text) if m.group("type") == "script"]
    first_end = [m for m in _SCRIPT_BLOCK_FIRST_END.finditer(text) if m.group("type") == "script"]
    if len(blocks) != 1 or len(first_end) != 1:
        return None
    if blocks[0].group("content") != first_end[0].group("content"):
        return None
    content = blocks[0].group("content")
    if _OTHER_LINE_BREAK.search(content):
        return None
    lines = content.splitlines(keepends=True)
    return "".join(line[2:] if line.startswith("# ") else line[1:] for line in lines)


def add_script(request: InstallRequest, path: str, cwd: str) -> bool:
    """A script's inline dependencies and ``[tool.uv]`` (settings, sources); False when the file
    has no ``# /// script`` block (or is no readable file: uv runs it as a command)."""
    full = os.path.join(cwd, path)
    label = os.path.basename(path)
    if not os.path.isfile(full):
        return False
    try:
        text = requirements.read_regular_file(full)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        request.problems.append(f"cannot read script {label}: {exc.__class__.__name__}")
        return True
    if not _LOOSE_SCRIPT_START.search(text):
        return False
    metadata = script_metadata(text)
    if metadata is None:
        request.problems.append(f"{label}: its `# /// script` block is not one Warden can read")
        return True
    doc = loads(request, metadata, f"{label} (inline script metadata)")
    if doc is not None:
        add_list(request, doc.get("dependencies"), f"{label} script metadata", "dependencies")
        # the script's [tool.uv] is read as a project's is: settings and sources (red6 F7)
        add_uv_settings(
            request, uv_table(doc), f"{label} script metadata [tool.uv]", os.path.dirname(full)
        )
        # its path sources lie beside the script: uv reads them from the script's folder
        add_uv_sources(request, uv_table(doc), f"{label} script metadata", os.path.dirname(full))
    return True
