"""Requirement specifiers and pip requirements files, read the way pip reads them.

A requirements file is read before pip runs: each line is decided like a command-line
argument, ``-r``/``-c`` files are followed (relative to the file that names them), index
options inside the file count as sources, and ``${VAR}`` is expanded from the environment pip
will see, as pip does. A constraints file's lines (pip ``-c``, uv's constraints, overrides and
build constraints) are decided as requirements are (red team 42b R42b-1): a constraint forces
the release it pins whenever its package is installed, an override replaces the requirement
itself; a name nothing installs is decided too (Warden does not resolve, so it cannot tell
which names are reached). What Warden cannot read (a file fetched from a URL, an option it
does not know, an unreadable file) is a problem: the install is refused, saying why.
"""

import codecs
import os
import re
import shlex
from typing import Dict, List, Optional, Tuple

from . import files_read
from .fastpath import through_process
from .names import normalize
from .request import InstallRequest, Requirement, Source, redact_url

_NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$")
# PEP 508's ``name [extras] @``: a whole name and extras before the ``@``, nothing else
_NAME_AT = re.compile(
    r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[A-Za-z0-9_\s.,-]*\])?\s*@"
)
_PIN = re.compile(r"^===?\s*([A-Za-z0-9._+!-]+)\s*$")
_VCS = ("git+", "hg+", "svn+", "bzr+")
_ARCHIVES = (".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz", ".tar")
MAX_DEPTH = 10

# Options a requirements file may hold (pip's "requirement file format"): name -> takes a value
_FILE_OPTIONS = {
    "-r": True, "--requirement": True, "-c": True, "--constraint": True,
    "-e": True, "--editable": True, "-i": True, "--index-url": True,
    "--extra-index-url": True, "--no-index": False, "-f": True, "--find-links": True,
    "--trusted-host": True, "--pre": False, "--prefer-binary": False,
    "--require-hashes": False, "--only-binary": True, "--no-binary": True,
    "--use-feature": True,
}  # fmt: skip
# Per-requirement options after a specifier on the same line
_LINE_OPTIONS = ("--hash", "--config-settings", "--global-option", "--install-option")


def parse_requirement(text: str, origin: str) -> Requirement:
    """One specifier: ``name[extras] op version ; marker``, ``name @ url``, a URL, a VCS
    reference or a local path (``name @ file:...`` is one: a local folder is read as a
    project)."""
    text = text.strip()
    spec = text.split(";", 1)[0].strip() if not _is_reference(text) else text
    named = _NAME_AT.match(spec)
    if " @ " in spec or named:
        if named:
            ref = spec[named.end() :].strip()
            kind = _named_kind(ref)
            req = Requirement(redact_url(text), normalize(named.group(1)), kind, origin)
            req.written, req.reference = text, ref
            # pip and uv build the file (running an sdist's setup.py) before they compare its
            # metadata name with NAME: the file's own project name is decided too (R11-19)
            if kind != "vcs":
                set_artifact(req, ref, bool(_URL_SCHEME.match(ref)))
            return req
        if not _URL_SCHEME.match(spec):  # an `@` after what is neither a name nor a URL
            return Requirement(redact_url(text), None, "invalid", origin)
        # a bare URL whose fragment, user info or path holds ` @ `: pip and uv take the whole
        # text for the URL (pip's `is_url`), read below (red team 48b R48b-6)
    if spec.startswith(_VCS):
        req = Requirement(redact_url(text), _egg_name(spec), "vcs", origin)
        req.written = req.reference = text
        return req
    if "://" in spec or _URL_SCHEME.match(spec):  # `ftp:/x`, `data:,x`: a URL, not a path
        kind = "path" if spec.startswith("file:") else "url"
        req = Requirement(redact_url(text), None, kind, origin)
        req.written = req.reference = text
        return _artifact(req, spec, True)
    if _looks_like_path(spec):
        return _artifact(Requirement(text, None, "path", origin), spec, False)
    m = _NAME.match(spec)
    if not m or (m.group(3) and not re.match(r"^(\(|[<>=!~]|$)", m.group(3).strip())):
        return Requirement(text, None, "invalid", origin)
    specifier = m.group(3).strip().strip("()")
    pin = _PIN.match(specifier)
    req = Requirement(text, normalize(m.group(1)), "name", origin, pin.group(1) if pin else None)
    req.specifier = specifier  # decided whole against the advisories (R41b-3)
    return req


def _named_kind(ref: str) -> str:
    """What the installers make of a ``name @ REF`` (red team 50d R50d-2): ``vcs`` for a
    version-control URL, ``path`` for a ``file:`` URL and for a REF with no scheme (uv takes
    ``name @ ./x``, ``name@x`` for the folder ``./x``, from the working folder or the
    requirements file's: checked with uv 0.13.9; pip refuses it, its own error, and a folder
    named by the whole text is pip's reading, ``path_readings``), ``url`` for any other
    scheme. A REF is never a URL for being nothing else: a scheme-less one is read as a path.
    uv also takes a scheme it does not know (``foo:x``, ``FILE:``, ``HTTPS:``) for a path; it
    stays a URL here (pip fetches it as one): refused, as no such URL is a plain one."""
    if ref.startswith(_VCS):
        return "vcs"
    return "path" if ref.startswith("file:") or not _URL_SCHEME.match(ref) else "url"


def names_url(text: str) -> bool:
    """``text`` (a whole reference, no name or marker) names a URL other than ``file:``."""
    return text.startswith(_VCS) or bool(_URL_SCHEME.match(text)) and text[:5].lower() != "file:"


def url_reference(url: str, origin: str) -> Requirement:
    """``url`` taken whole as a bare URL or VCS reference, as uv takes a path's expanded
    value that names a scheme (``local_projects``): no name, marker or extras read in it."""
    if url.startswith(_VCS):
        req = Requirement(redact_url(url), _egg_name(url), "vcs", origin)
    else:
        req = _artifact(Requirement(redact_url(url), None, "url", origin), url, True)
    req.reference = url
    return req


def editable(req: Requirement) -> Requirement:
    """``req`` given as an editable (``-e X``, ``--with-editable X``, ``pipx install -e X``): an
    editable is a local folder or a VCS URL, never a name from an index, so pip and uv take a
    bare word (``-e proj``) for the folder ``proj`` (read by ``local_projects``). The name is
    kept and decided too: where a tool takes ``-e`` for a flag (``uv tool install -e NAME``)
    the word is a package from the index."""
    if req.kind == "name" or req.kind == "invalid" and _ENV_VAR.search(req.text):
        # `-e ${P}`: no name either, a path uv expands (checked with uv 0.13.9)
        req.kind, req.pin, req.specifier = "path", None, ""
    return req


# A URL scheme; one letter is a Windows drive (`C:/x`), a path
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")


def _is_reference(text: str) -> bool:
    return "://" in text or text.startswith(_VCS)


def _looks_like_path(spec: str) -> bool:
    return spec.startswith((".", "/", "~")) or os.sep in spec or spec.lower().endswith(_ARCHIVES)


def _egg_name(spec: str) -> Optional[str]:
    m = re.search(r"[#&]egg=([A-Za-z0-9._-]+)", spec)
    return normalize(m.group(1)) if m else None


def _artifact(req: Requirement, spec: str, url: bool) -> Requirement:
    """A bare URL or path: named by its artifact file (``#egg=`` when the file has no name)."""
    set_artifact(req, spec, url)
    req.name = req.artifact or _egg_name(spec)
    return req


def set_artifact(req: Requirement, ref: str, url: bool) -> None:
    """The project and version a direct reference's file names (R11-19): decided as that
    project, and its version checked against the advisories as a pin is."""
    found = artifact_file(ref, url)
    req.artifact, req.artifact_version = found if found else (None, None)


# The file name rules of the packaging specifications ("Binary distribution format",
# "Source distribution format"), as ``packaging.utils.parse_wheel_filename`` /
# ``parse_sdist_filename`` apply them (the kernel imports the standard library only), with
# the legacy sdist archives pip still builds. src/deps/requirements.ts ports it.
_WHEEL_PART = re.compile(r"[A-Za-z0-9._]+")
_SDIST_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_VERSION_START = re.compile(r"[vV]?[0-9]")


def artifact_name(ref: str, url: bool) -> Optional[str]:
    """The project a wheel or sdist file names (``torch-2.6.0-cp311-...whl`` -> ``torch``,
    ``torcj-1.0.tar.gz`` -> ``torcj``), PEP 503 normalized; None when the last segment of
    ``ref`` (a URL, read with its %-escapes decoded as pip and uv decode them, or a path) is
    no such file name."""
    found = artifact_file(ref, url)
    return found[0] if found else None


# a URL's scheme and ``//host`` (up to a slash or backslash), before its path (one letter
# is a Windows drive: ``C:/x``)
_URL_START = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:(?://[^/\\]*)?")


def artifact_file(ref: str, url: bool) -> Optional[Tuple[str, str]]:
    """(project, version) of the wheel or sdist file ``ref`` names (``artifact_name``): the
    version as written in the file name (``2.5.0+cpu``), None when it is no such file."""
    from urllib.parse import unquote

    base = ref.strip().split("#", 1)[0].split("?", 1)[0]
    # a URL's file is the last segment of its path: ``file:torcj-1.0.tar.gz`` names
    # torcj-1.0.tar.gz in the working folder, ``https://torch-1.0.tar.gz`` no file (R47c-8)
    base = _URL_START.sub("", base, count=1) if url else base
    base = base.rstrip("/").replace("\\", "/").rsplit("/", 1)[-1]
    base = unquote(base) if url else base
    low = base.lower()
    if low.endswith(".whl"):
        parts = base[:-4].split("-")
        if len(parts) not in (5, 6) or not all(parts) or not _WHEEL_PART.fullmatch(parts[0]):
            return None
        if len(parts) == 6 and not re.match(r"[0-9]", parts[2]):
            return None  # a build tag starts with a digit
        ok = _VERSION_START.match(parts[1])
        return (normalize(parts[0]), parts[1]) if ok else None
    for suffix in _ARCHIVES[1:]:
        if low.endswith(suffix):
            name, dash, version = base[: -len(suffix)].rpartition("-")
            ok = dash and _SDIST_NAME.fullmatch(name) and _VERSION_START.match(version)
            return (normalize(name), version) if ok else None
    return None


def read_file(
    request: InstallRequest,
    path: str,
    cwd: str,
    env: Dict[str, str],
    constraint: bool = False,
    depth: int = 0,
) -> None:
    """Add what a requirements (or constraints) file asks for to ``request``."""
    from . import installer_paths

    label = os.path.basename(path)
    is_file_url = path[:5].lower() == "file:"
    if "://" in path and not is_file_url or _PIP_URL.match(path):
        request.problems.append(
            f"requirements file {redact_url(path)} is fetched by pip from the network; Warden "
            "cannot read it before pip does: download it, review it and pass the local file"
        )
        return
    if request.child_reads:
        return  # the pip's own guard reads it when pip does (R10-3): it may not exist yet
    if depth > MAX_DEPTH:
        request.problems.append(f"requirements files nest deeper than {MAX_DEPTH} levels")
        return
    # pip and uv open a `file:` name as a URL (red team 43a R43a-4): every file either may
    # open is read; one Warden cannot place (another host) is refused
    fulls = installer_paths.requirements_file(path, installer_paths.tools_of(request), cwd)
    if not fulls:
        request.problems.append(f"requirements file {label} names another host")
        return
    texts, failure = [], ""
    for full in fulls:
        try:
            decode = _DECODES.get(request.tool)
            texts.append((full, read_regular_file(full, decode=decode)))
        except FileNotFoundError as exc:
            failure = failure or exc.__class__.__name__
        except (OSError, UnicodeError, ValueError, LookupError) as exc:
            why = str(exc) if type(exc) is ValueError else exc.__class__.__name__
            request.problems.append(f"cannot read requirements file {label}: {why}")
            return
    if not texts:
        request.problems.append(f"cannot read requirements file {label}: {failure}")
    for full, text in texts:
        read_text(request, text, label, os.path.dirname(full), env, constraint, depth)


# pip fetches a requirements file named by these schemes (``req_file.get_file_content``)
_PIP_URL = re.compile(r"^https?:", re.I)


def read_text(
    request: InstallRequest,
    text: str,
    label: str,
    base: str,
    env: Dict[str, str],
    constraint: bool = False,
    depth: int = 0,
    follow: bool = True,
    names: bool = True,
) -> None:
    """Add what a requirements file's ``text`` asks for; ``constraint``: the file is given as
    constraints (its lines decided all the same, placed as "constraints file" lines so a user
    sees why a package they did not ask for is decided); ``follow=False`` leaves ``-r``/``-c``
    includes to whoever reads them (pip, decided when it reads each file); ``names=False``
    keeps the direct references only (pip's own read, ``gate.decide_file_content``: the names
    were decided on the earlier read)."""
    for number, written in _logical_lines(text):
        origin = f"{'constraints file ' if constraint else ''}{label} line {number}"
        for line, uv in line_readings(request, written, env):
            _read_line(request, line, origin, base, env, depth, follow, names, uv)


def _read_line(request, line, origin, base, env, depth, follow, names, uv=False) -> None:
    """One reading of a line (``line_readings``); ``uv``: uv's, the line as written, whose
    option values uv expands here and whose requirement's path ``local_projects`` expands."""
    spec, options = split_line(line)
    try:
        words = shlex.split(options, comments=False)
    except ValueError:
        request.problems.append(f"{origin}: cannot parse the line")
        return
    if not spec:
        if words:
            _file_option(request, words, origin, base, env, depth, follow, uv)
        return
    _requirement_options(request, words, origin)
    req = parse_requirement(spec, origin)
    req.base = base  # a local path: pip takes it from the working folder, uv from here
    req.expanded = not uv  # pip's reading: its line already expanded, never again
    if names or req.kind in ("url", "vcs", "path"):
        # a direct reference is decided on every read (a local folder: read)
        request.requirements.append(req)


# pip's req_file.ENV_VAR_RE; uv reads the same ``${NAME}`` form
_ENV_VAR = re.compile(r"(?P<var>\$\{(?P<name>[A-Z0-9_]+)\})")


def line_readings(
    request: InstallRequest, line: str, env: Dict[str, str]
) -> List[Tuple[str, bool]]:
    """Each installer's reading of ``line`` (red team 43a R43a-3), each distinct one once, as
    (text, uv). pip expands the whole line before it parses it (``pip_expanded``); uv parses
    the line AS WRITTEN and expands ``${NAME}`` once, only inside what it parsed: an option's
    value (``-r``, ``-c``, ``-e``, ``-i``, ``--extra-index-url``, ``-f``: checked with uv
    0.13.9; ``_apply_file_option``) and a requirement's path or URL (``local_projects``).
    Expanding uv's line whole would read a value twice (``./${A}`` with ``A='${B}'``: uv opens
    ``./${B}``, red team 47b R47b-2) and read a value's ``;``, ``#`` or spaces as grammar
    (``A='d ;'``: uv opens ``./d ;/x``, R47b-4); a ``${N}`` name is an error for uv."""
    from .installer_paths import tools_of

    if not _ENV_VAR.search(line):
        return [(line, False)]
    found = []
    for tool in tools_of(request):
        reading = (pip_expanded(line, env), False) if tool == "pip" else (line, True)
        if reading not in found:
            found.append(reading)
    return found


def pip_expanded(line: str, env: Dict[str, str]) -> str:
    """``line`` as pip 23.2 expands a requirements file's line (``expand_env_variables``):
    each variable found in the ORIGINAL line, in order, replaced (``str.replace``) in the line
    as it stands, unless its value is unset or EMPTY (kept as written)."""
    for var, name in _ENV_VAR.findall(line):
        if env.get(name):
            line = line.replace(var, env[name])
    return line


def uv_expanded(request: InstallRequest, text: str, env: Dict[str, str]) -> str:
    """``text`` with its ``${VAR}`` expanded as uv 0.13.9 expands a requirements file's option
    value and every PEP 508 path or URL it parses (uv-pep508 ``expand_env_vars``, red team 45a
    R45a-2), once: each variable that is set, even to "" (checked with uv: ``./w${E}`` is
    ``./w`` with ``E=''``), replaced in one pass (a value naming ``${B}`` stays so); an unset
    one kept, except ``${PROJECT_ROOT}`` (uv's working folder, which Warden does not place:
    refused). Never a whole line: uv expands after parsing (``line_readings``)."""
    text = _ENV_VAR.sub(lambda m: env.get(m.group("name"), m.group("var")), text)
    if "${PROJECT_ROOT}" in text:
        request.problems.append(
            "uv replaces an unset ${PROJECT_ROOT} with its working folder, which "
            "Warden does not place: set PROJECT_ROOT or write the path"
        )
    return text


def split_line(line: str) -> Tuple[str, str]:
    """(requirement, options) as pip's ``req_file.break_args_options`` splits a line: the words
    (split at single spaces, not shell words: markers hold quotes) up to the first that starts
    with ``-`` are the requirement, the rest its options. ``aiohtt==1.0 -i URL`` names aiohtt;
    read whole, the URL would hide the name (red-team finding F10)."""
    tokens = line.split(" ")
    for i, token in enumerate(tokens):
        if token.startswith("-"):
            return " ".join(tokens[:i]), " ".join(tokens[i:])
    return line, ""


def _requirement_options(request: InstallRequest, words: List[str], origin: str) -> None:
    """The options after a requirement: pip applies only the per-requirement ones (``--hash``,
    ``--config-settings``, ``--global-option``) and silently ignores any other it knows
    (``-i``, ``-r``...), which then does not do what the line seems to say: refused, saying
    so. Stray words are ignored, as pip's option parser leaves them."""
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if not word.startswith("-") or word == "-":
            continue
        option = word.split("=", 1)[0]
        if option in _LINE_OPTIONS:
            skip = "=" not in word
            continue
        request.problems.append(
            f"{origin}: {option} after a requirement is not applied by pip (only "
            f"{', '.join(_LINE_OPTIONS[:3])} are); put it on a line of its own"
        )
        return


MAX_FILE_BYTES = 1 << 20


def read_regular_file(path: str, limit: int = 0, errors: str = "strict", decode=None) -> str:
    """A regular file's text; never a FIFO, device or /dev/stdin (reading one would block the
    kernel), never more than ``limit`` bytes (``MAX_FILE_BYTES`` by default: a larger file
    raises, it is never cut), never one named through the reading process
    (``through_process``); ``errors``: how bytes that are no UTF-8 are decoded; ``decode``:
    another decoding of the bytes (``pip_decode``)."""
    limit = limit or MAX_FILE_BYTES
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file")
        named = through_process(path)
        if named:
            raise ValueError(PROCESS_PATH.format(named))
        files_read.note(path, info)  # what an install's own redirection must not write
        if info.st_size > limit:
            raise ValueError(f"larger than {limit >> 20} MB")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:  # grown since fstat
            raise ValueError(f"larger than {limit >> 20} MB")
        return decode(data) if decode else data.decode("utf-8", errors)
    finally:
        os.close(fd)


# pip's ``auto_decode`` (pip._internal.utils.encoding), in its order: a byte-order mark, then
# a PEP 263 coding line among the first two lines (red team 37c R37c-3: `# -*- coding: utf-7
# -*-` made `+AAo-` a line break pip reads and UTF-8 a comment)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF32, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
)
_CODING = re.compile(rb"coding[:=]\s*([-\w.]+)")


def pip_decode(data: bytes) -> str:
    """A requirements file's bytes decoded as pip decodes them (``_BOMS``, a coding line);
    without either, strict UTF-8 (pip takes the locale's encoding, UTF-8 on the machines
    Warden runs on; bytes that are no UTF-8 raise, so a locale that differs fails closed).
    A codec Python does not have raises LookupError, as it does in pip."""
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            return data[len(mark) :].decode(encoding)
    for line in data.split(b"\n")[:2]:
        declared = _CODING.search(line) if line[:1] == b"#" else None
        if declared:
            return data.decode(declared.group(1).decode("ascii"))
    return data.decode("utf-8")


# uv's uv-fs ``read_to_string_transcode`` (encoding_rs_io's BOM sniffing): a UTF-8, UTF-16LE or
# UTF-16BE byte-order mark is dropped and the rest decoded as it says; no coding line, no
# UTF-32 (its little-endian mark starts with UTF-16LE's, read as uv reads it); without a mark,
# UTF-8. Red team 50a R50a-2: PowerShell's `pip freeze > requirements.txt` writes UTF-16 with a
# mark, which uv installs from. uv replaces a malformed sequence after a mark; Python's strict
# decoding raises instead, so such a file is refused (fail closed), never read otherwise.
_UV_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def uv_decode(data: bytes) -> str:
    """A requirements file's bytes decoded as uv decodes them (``_UV_BOMS``, else UTF-8)."""
    for mark, encoding in _UV_BOMS:
        if data.startswith(mark):
            return data[len(mark) :].decode(encoding)
    return data.decode("utf-8")


# how each installer decodes a requirements file (another tool's: strict UTF-8)
_DECODES = {"pip": pip_decode, "uv": uv_decode}


# PROCESS_PATH names a path ``through_process`` finds (fastpath holds the walk: the first look
# every start pays needs it without this module).
PROCESS_PATH = (
    "named through {} (a path that names the process reading it: Warden's and the installer's "
    "differ); name the file by its own path"
)


# pip's req_file.COMMENT_RE: a comment starts a line or follows white space
_COMMENT = re.compile(r"(^|\s+)#.*$")


def _logical_lines(text: str) -> List[Tuple[int, str]]:
    """The lines pip reads, as its ``req_file.preprocess`` makes them: a line ending in a
    backslash joins the next (backslashes stripped, no space added) unless the whole line is
    a comment; comments are cut after joining. Any other order lets a line be read
    differently from pip (``--trusted-host x\\ #c`` continues nothing for pip)."""
    joined, parts, start = [], [], 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.endswith("\\") or _COMMENT.match(line):
            if _COMMENT.match(line):
                line = " " + line
            if parts:
                parts.append(line)
                joined.append((start, "".join(parts)))
                parts = []
            else:
                joined.append((number, line))
        else:
            if not parts:
                start = number
            parts.append(line.strip("\\"))
    if parts:
        joined.append((start, "".join(parts)))
    return [(number, _COMMENT.sub("", line).strip()) for number, line in joined]


def _file_option(request, words, origin, base, env, depth, follow=True, uv=False) -> None:
    """An option line: EVERY option on it counts, as pip's optparse reads the whole line
    (``--pre --index-url EVIL`` sets the index); ``uv``: uv's reading, each value expanded as
    uv expands it."""
    i = 0
    while i < len(words):
        word, value = words[i], None
        i += 1
        if not word.startswith("-") or word == "-":
            continue  # pip ignores a stray word on an option line
        option = word
        if word.startswith("--") and "=" in word:
            option, value = word.split("=", 1)
        elif len(word) > 2 and not word.startswith("--"):
            option, value = word[:2], word[2:]  # -rfile.txt
        takes_value = _FILE_OPTIONS.get(option, True if option in _LINE_OPTIONS else None)
        if takes_value is None:
            request.problems.append(f"{origin}: unknown option {option}")
            return
        if takes_value and value is None:
            if i >= len(words):
                request.problems.append(f"{origin}: {option} needs a value")
                return
            value, i = words[i], i + 1
        elif not takes_value and value is not None:
            request.problems.append(f"{origin}: {option} takes no value")
            return
        if uv and value is not None and option not in ("-e", "--editable"):
            # every value, also those uv may take as written (--trusted-host): a host then
            # counts as trusted, the stricter reading; an editable's path: local_projects
            value = uv_expanded(request, value, env)
        if follow or option not in ("-r", "--requirement", "-c", "--constraint"):
            _apply_file_option(request, option, value, origin, base, env, depth, uv)


# the options whose value names where packages come from (an index, a find-links page, a host
# spared TLS checks)
_SOURCE_OPTIONS = (
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--trusted-host",
)


def _apply_file_option(request, option, value, origin, base, env, depth, uv=False) -> None:
    from . import preference

    # a file's --pre, --prefer-binary, --only-binary apply to the whole install (R43b-1)
    preference.note(request, "pip", option, value, origin)
    unset = _ENV_VAR.search(value or "") if option in _SOURCE_OPTIONS else None
    if unset:
        # left as written, unset or empty here: the source is a word no one chose; and
        # warden-scan, which reads without the kernel's environment, cannot tell it (R50c-2)
        request.problems.append(
            f"{origin}: {option} names {unset.group('var')}, which is not set here: Warden "
            "cannot tell the source pip uses; write it out"
        )
        return
    if option in ("-r", "--requirement"):
        read_file(request, value, base, env, depth=depth + 1)
    elif option in ("-c", "--constraint"):
        read_file(request, value, base, env, constraint=True, depth=depth + 1)
    elif option in ("-e", "--editable"):
        request.requirements.append(editable(parse_requirement(value, origin)))
        request.requirements[-1].base = base
        request.requirements[-1].expanded = not uv
    elif option in ("-i", "--index-url"):
        # the file's folder too: uv may test a file's location values there first (R44a-3)
        request.sources.append(Source(value, "index", origin, base))
    elif option == "--extra-index-url":
        request.sources.append(Source(value, "extra-index", origin, base))
    elif option in ("-f", "--find-links"):
        # taken from the file's folder (uv; pip when the path exists there), else the working
        # folder's (pip): both read (red team 42a R42a-4)
        request.sources.append(Source(value, "find-links", origin, base))
    elif option == "--trusted-host":
        request.tls.append(("insecure-host", value, origin))
    elif option == "--no-index":
        request.no_index = True
