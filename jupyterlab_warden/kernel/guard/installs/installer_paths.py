"""The files pip or uv opens for a local path they are given (red team 42a).

Warden reads a local index, find-links location, project folder or wheel before the installer
opens it, so it must read what the INSTALLER opens, and installers do not resolve a path the
way the file system does. pip (23.2) tests a path through the file system (``os.path.exists``,
``isdir``: a link's ``..`` is the link target's parent) but opens ``path_to_url(path)``, whose
``normpath(abspath(...))`` folds ``..`` by its text: ``./lnk/../simple`` with ``lnk`` a link to
``./a/b`` is ``./simple`` to pip and ``./a/simple`` to the file system. uv folds paths by their
text too. pip's find-links folder, though, is listed at its ``realpath``
(``_FlatDirectorySource``). Which one is opened thus depends on the file system at the
installer's own time: ``opened`` gives both, and every caller reads each that exists.

The name stays as given: pip and uv take ``./x-1.0-py3-none-any.whl`` for a wheel by that name
even when it is a link to ``./blob``, so the text-folded path (the given name) comes first.
"""

import os
import re
from typing import List, Optional


def opened(path: str) -> List[str]:
    """The paths an installer may open for ``path`` (absolute: joined to the base folder the
    installer uses): its text-folded form (pip's ``path_to_url``, uv's ``normalize_path``),
    then the file system's resolution when that is another file."""
    folded = os.path.normpath(path)
    real = os.path.realpath(path)
    return [folded] if real == os.path.realpath(folded) else [folded, real]


def joined(text: str, bases: List[Optional[str]]) -> List[str]:
    """``opened`` for a relative (or absolute) ``text`` taken from each of ``bases`` (the
    working folder, a requirements file's folder: both when the installer's choice between
    them depends on what exists), in order, without repeats."""
    found: List[str] = []
    for base in bases:
        if base:
            for path in opened(os.path.join(base, text)):
                if path not in found:
                    found.append(path)
    return found


# Red team 43a: the installers read the TEXT of a path or ``file:`` value differently from each
# other and from ``os.path``, so each kind of value has one function here that gives, per
# installer (``tools``: "pip", "uv"), every path it may open; callers read each that exists.
# pip 23.2: ``~`` is expanded only in a find-links value, only when the expanded path exists
# (``SearchScope.create``); a path is tested as written before its ``file:`` scheme is looked
# at (``build_source``); a ``file:`` URL is ``url_to_path``'s (relative stays relative), and
# one fetched through pip's session (a page, a requirements file) is first rebuilt by
# ``urlunsplit``, which roots it (``file:tmp/x`` is ``file:///tmp/x``). uv 0.13.9: never
# expands ``~``; a ``file:`` value is a WHATWG URL (``file:tmp/x`` is ``/tmp/x``,
# backslashes are slashes, dot segments folded).
#
# Red team 44a R44a-3: the scheme's SPELLING is read per installer and per kind of value.
# pip 23.2 takes any spelling (``get_url_scheme`` lowers it: ``is_url``, ``get_file_content``),
# after testing a find-links or index value as a path (``build_source``: only lower-case
# ``file:`` is ``url_to_path``'s, ``FILE:`` is a remote-source URL); an upper-case requirement
# URL fails in ``url_to_path``'s assert. uv 0.13.9 (checked): a find-links, index or
# requirement value (also ``name @ FILE:...``, ``-e``) given on the command line is a URL only
# when spelled ``file:``; ``FILE:///N/x`` is the relative path ``./FILE:/N/x``. A find-links
# value in a requirements file is tested as a path from the file's folder first, in ANY
# spelling, then read as a URL in any spelling; ``-r``/``-c`` names are URLs in any spelling.
# Where a reading is not pinned (a uv config file's values), every reading is taken.


def tools_of(request) -> tuple:
    """The installers whose reading of a value applies to ``request``."""
    if request.tool == "uv":
        return ("uv",)
    return ("pip", "uv") if getattr(request, "also_uv", False) else ("pip",)


def location(text: str, tools: tuple, cwd: str, base: Optional[str], home: str):
    """A local find-links or index location (a folder or page; ``base``: the folder of the
    requirements file that named it). None: a ``file:`` URL naming another host."""
    found: List[str] = []
    for tool in tools:
        if tool == "pip":
            paths = _pip_location(text, cwd, base, home)
        elif base:
            paths = _uv_listed_location(text, cwd, base)
        else:
            paths = _uv_value(text, cwd, base)
        if paths is None:
            return None
        found += [p for p in paths if p not in found]
    return found


def requirement(text: str, tools: tuple, cwd: str, base: Optional[str]):
    """A path requirement (``./proj``, ``x.whl``, ``file:...``, ``name @ file:...``; ``base``:
    its requirements file's folder): neither installer expands ``~`` (pip 23.2's
    ``parse_req_from_line`` takes ``normpath(abspath(name))``). None: another host."""
    found: List[str] = []
    for tool in tools:
        if tool == "pip" and _is_file_url(text):
            paths = _pip_file_url(text, cwd)
            sub = pip_subdirectory(text)
            if paths is not None and sub:  # the folder pip builds is below the URL's (R50d-1)
                paths = [] if unplaced_subdirectory(text) else joined(sub, paths)
        elif tool == "pip":
            paths = joined(text, [cwd, base])
        else:
            paths = _uv_requirement(text, cwd, base)
        if paths is None:
            return None
        found += [p for p in paths if p not in found]
    return found


# Red team 50d R50d-1: pip (23.2) builds a direct reference's ``subdirectory`` below the
# folder its ``file:`` URL names (``InstallRequirement.unpacked_source_directory``: the URL's
# path joined with ``Link.subdirectory_fragment``), for a bare URL, ``name @``, ``-e`` and a
# requirements-file line alike. pip finds the value with ``[#&]subdirectory=([^&]*)`` searched
# in the WHOLE URL (its path and query too, case as written), the first one, not %-decoded, and
# joins it as ``os.path.join`` does (an absolute value replaces the folder, ``..`` climbs out
# of it). A bare path has none: pip makes it a URL with ``#`` and ``&`` escaped. uv (0.13.9,
# checked) ignores the fragment of a local folder: it builds the URL's folder, read as before.
_PIP_SUBDIRECTORY = re.compile(r"[#&]subdirectory=([^&]*)")


def pip_subdirectory(text: str) -> str:
    """The ``subdirectory`` pip joins to the folder of the ``file:`` URL ``text`` ("": none)."""
    found = _PIP_SUBDIRECTORY.search(text) if _is_file_url(text) else None
    return found.group(1) if found else ""


def unplaced_subdirectory(text: str) -> str:
    """``pip_subdirectory(text)`` when Warden does not place it (an absolute value, a ``..``
    segment: a folder outside the URL's), for the caller to refuse; else ""."""
    sub = pip_subdirectory(text)
    if sub.startswith("/") or ".." in sub.split("/"):
        return sub
    return ""


def requirements_file(text: str, tools: tuple, base: str):
    """A ``-r``/``-c`` file name (``base``: the working folder, or the naming file's folder).
    pip (``get_file_content``) fetches any ``file:`` name through its session; uv takes
    ``file:`` names as URLs too, in any spelling (checked with uv 0.13.9: ``-r file:tmp/x``
    opens ``/tmp/x``, ``-r FILE:///W/r.txt`` opens ``/W/r.txt``). None: another host."""
    if not _is_file_url(text):
        return joined(text, [base])
    found: List[str] = []
    for tool in tools:
        paths = _pip_file_url(text, base) if tool == "pip" else _uv_url(text)
        if paths is None:
            return None
        found += [p for p in paths if p not in found]
    return found


def _is_file_url(text: str) -> bool:
    """A ``file:`` scheme in any spelling: pip's reading (``get_url_scheme`` lowers it)."""
    return text[:5].lower() == "file:"


def _uv_file_url(text: str) -> bool:
    """uv's reading of a value given on its command line (R44a-3): only ``file:`` as spelled
    here is a URL; ``FILE:``, ``File:``... begin a relative path."""
    return text.startswith("file:")


def _pip_location(text: str, cwd: str, base: Optional[str], home: str):
    found = joined(text, [base, cwd])  # tested as a path first, from the file's folder first
    if text.startswith("~"):
        found += [p for p in opened(os.path.join(cwd, _tilde(text, home))) if p not in found]
    if _is_file_url(text):
        urls = _pip_file_url(text, cwd)
        if urls is None:
            return None
        found += [p for p in urls if p not in found]
    return found


def _tilde(text: str, home: str) -> str:
    """``os.path.expanduser`` with the installer's HOME (``~user`` from the account data)."""
    cut = text.find("/") if "/" in text else len(text)
    return (home.rstrip("/") + text[cut:] or "/") if cut == 1 else os.path.expanduser(text)


def _pip_file_url(text: str, cwd: str):
    """pip's ``url_to_path`` of a ``file:`` URL as given (a folder it lists: relative from the
    working folder) and as its session rebuilds it before opening (rooted)."""
    from urllib.parse import unquote, urlsplit, urlunsplit

    found: List[str] = []
    try:
        forms = (urlsplit(text), urlsplit(urlunsplit(urlsplit(text))))
    except ValueError:
        return None
    for parts in forms:
        if parts.netloc not in ("", "localhost"):
            return None
        found += [p for p in opened(os.path.join(cwd, unquote(parts.path))) if p not in found]
    return found


def _uv_value(text: str, cwd: str, base: Optional[str]):
    """uv's path of a value: a lower-case ``file:`` URL by WHATWG rules, anything else (an
    upper-case ``FILE:`` too, R44a-3) a path taken from the requirements file's folder or the
    working folder, ``~`` as written."""
    return _uv_url(text) if _uv_file_url(text) else joined(text, [base, cwd])


def _uv_requirement(text: str, cwd: str, base: Optional[str]):
    """uv's path of a requirement: ``_uv_value``'s, and for a ``file:`` URL also its own
    reading (uv-pep508 ``VerbatimUrl::parse_url``, checked with uv 0.13.9, red team 45a
    R45a-2): ``//localhost`` before a ``/``, else ``//``, is cut and the rest, %-decoded, is a
    path from the working folder: ``file://h/x`` is ``./h/x``, ``file:x`` is ``./x``. None:
    the WHATWG reading names a host (refused by the caller: the readings disagree on it)."""
    from urllib.parse import unquote

    found = _uv_value(text, cwd, base)
    if found is None or not _uv_file_url(text):
        return found
    rest = text[5:].split("#", 1)[0]
    rest = rest[11:] if rest.startswith("//localhost/") else rest[2:] if rest[:2] == "//" else rest
    return found + [p for p in joined(unquote(rest), [cwd, base]) if p not in found]


def _uv_listed_location(text: str, cwd: str, base: str):
    """A find-links or index value a file named (``base``: its folder): uv tests it as a path
    from that folder before reading a ``file:`` URL in any spelling (checked with uv 0.13.9,
    R44a-3: ``--find-links file:///W/clean`` in ``/W/r.txt`` lists ``/W/file:/W/clean`` when
    that exists), so both readings are read (every path, and the URL's)."""
    found = joined(text, [base, cwd])
    if _is_file_url(text):
        urls = _uv_url(text)
        if urls is None:
            return None
        found += [p for p in urls if p not in found]
    return found


def _uv_url(text: str):
    path = whatwg_file_path(text)
    return None if path is None else opened(path)


_C0_AND_SPACE = "".join(map(chr, range(33)))


def whatwg_file_path(text: str) -> Optional[str]:
    """The file a WHATWG parser (uv's ``url`` crate) gives for the ``file:`` URL ``text``:
    tabs and newlines dropped, ``\\`` read as ``/``, a path with no ``//`` rooted, ``.`` and
    ``..`` segments (also ``%2e``) folded, then %-decoded. None: a host other than localhost
    (uv cannot make it a path)."""
    from urllib.parse import unquote

    rest = text.strip(_C0_AND_SPACE)[5:]
    rest = "".join(c for c in rest if c not in "\t\n\r")
    rest = rest.replace("\\", "/").split("#", 1)[0].split("?", 1)[0]
    if rest.startswith("//"):
        host, _, rest = rest[2:].partition("/")
        if host.lower() not in ("", "localhost"):
            return None
    segments: List[str] = []
    for segment in rest.lstrip("/").split("/") if rest.strip("/") else []:
        dots = segment.lower().replace("%2e", ".")
        if dots == "..":
            segments = segments[:-1]
        elif dots != ".":
            segments.append(segment)
    return unquote("/" + "/".join(segments))
