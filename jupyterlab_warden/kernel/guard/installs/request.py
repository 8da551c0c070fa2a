"""What an install asks for, once its command line, files, environment and config are read."""

import re
from typing import List, NamedTuple, Optional

from ..frozen_builtins import FROZEN

# the builtins of the boot for this module's functions (red team 38a R38a-1, R38a-5)
__builtins__ = FROZEN


class Requirement:
    """One thing to install: a package name, or a direct reference (URL, VCS, local path)."""

    def __init__(self, text: str, name: Optional[str], kind: str, origin: str, pin=None):
        # as written, a URL's credentials removed (redact_url): what every message, event,
        # fingerprint and log shows; a URL is checked against the policy as ``written``
        self.text = text
        self.name = name  # PEP 503 normalized, when known
        # "name" | "conda" (a conda package name) | "url" | "vcs" | "path" | "offered" (a file
        # a local folder offers, which the install may take: ``offered``)
        self.kind = kind
        self.origin = origin  # "command line", "requirements.txt line 3", ...
        self.pin = pin  # the version of an exact "==" pin, else None
        self.specifier = ""  # a name's whole version specifier (``>=1.0,<2``), R41b-3
        self.base = None  # a relative path's other folder (its requirements file's, project's)
        # the project its wheel or sdist file names (a direct reference), when it names one
        self.artifact: Optional[str] = None
        self.artifact_version: Optional[str] = None  # and the version it names (R11-19)
        # an "offered" project folder the user builds (``offered.add_locked``, R45a-8): its
        # name is the folder's own, fetched from no index, so no imitation of one
        self.own = False
        # a direct reference's text as written (a URL, a VCS or file: URL), for the decision
        # and for reading the path only, never shown: ``text`` is the redacted one, whose
        # host is lower-cased, ``${D}`` too (R45a-2), and whose token is masked, so a URL
        # under a trusted index written with its token (``/t/<token>``, a Cloudsmith or
        # Gemfury first segment) would be decided as from an unknown place (fix54spell)
        self.written: Optional[str] = None
        # what a direct reference (a URL, a VCS URL) names, as written, marker not cut: the
        # text after its ``name @`` where the parser split it (PEP 508: the first ``@`` after
        # the name and extras), or a bare URL's whole text. Never found again by searching the
        # text for an ``@``: a bare URL's fragment, user info or path may hold one (red team
        # 48b R48b-6). For the decision only, never shown (``text`` is the redacted spelling)
        self.reference: Optional[str] = None
        # its ``${NAME}`` already expanded by its installer's rule (pip's reading of a file
        # line, uv's expansion of a path): never expanded again (red team 47b R47b-2)
        self.expanded = False
        # the path uv opens, expanded once from the path part of ``written`` (or ``text``):
        # read as it is, never parsed or cut at ``;``, ``[`` again (``local_projects``, R47b-4)
        self.opened: Optional[str] = None

    def identity(self) -> tuple:
        """Everything a decision reads of it: two requirements equal in all of it decide alike,
        so one may stand for the other. Never the text alone: the same text is a pin, a local
        path (``warden-demo-pkg==0.9`` as a folder name) or an offered file, each decided
        differently (red team 45a R45a-1)."""
        return (
            self.text, self.name, self.kind, self.pin, self.specifier, self.base,
            self.artifact, self.artifact_version, self.own, self.written, self.expanded,
            self.opened, self.reference,
        )  # fmt: skip

    def __repr__(self) -> str:
        return f"Requirement({self.text!r}, {self.kind})"


class Source:
    """A place packages come from: an index, a find-links location or a conda channel."""

    def __init__(self, url: str, role: str, origin: str, base: Optional[str] = None):
        self.url = url
        self.role = role  # "index" | "extra-index" | "find-links" | "channel" | "default-index"
        self.origin = origin
        # a relative path's other folder: its requirements file's (pip and uv take a file's
        # find-links from there: ``installer_paths``), besides the working folder
        self.base = base

    def __repr__(self) -> str:
        return f"Source({self.url!r}, {self.role}, {self.origin})"


class InstallRequest:
    def __init__(self, tool: str, command: str):
        self.tool = tool  # "pip" | "uv" | "conda" | "mamba"
        self.command = command  # "pip install", "uv pip sync", "conda create", ...
        self.requirements: List[Requirement] = []
        self.sources: List[Source] = []
        self.problems: List[str] = []  # what Warden could not read: the install is refused
        self.no_index = False
        self.override_channels = False
        self.conda_pip = False  # a conda environment file's `pip:` list: conda runs pip on it
        # micromamba/mamba 2 read the config files of the target and root prefixes: -p DIR,
        # -n NAME, -r ROOT (absolute paths)
        self.conda_prefixes: List[str] = []
        self.conda_env_names: List[str] = []
        self.conda_roots: List[str] = []
        self.uv_no_config = False  # uv --no-config: its config files are not discovered
        self.uv_config_file = None  # uv --config-file PATH
        self.also_uv = False  # pip's install that may run on uv (pipx): uv's config read too
        self.pip_config_extra: List[str] = []  # pip.conf files of the venvs pipx's pip runs in
        self.uv_config_dirs: List[str] = []  # other folders uv runs in (pipx's venvs): walked up
        # TLS settings that weaken the index's certificate check: (kind, value, origin), kind
        # "insecure-host" (a host reached without checking its certificate) or "ca" (a CA
        # bundle file or folder trusted instead of the system's, as an absolute path)
        self.tls: List[tuple] = []
        # a pip after a command on its shell line that may write its files (red team 10 R10-3):
        # its requirements files, local projects and local index pages are read by the guard
        # the pip inherits when it starts, not before the line runs (commands.Invocation)
        self.child_reads = False
        # settings that change which release is taken (preference.py, red team 43b R43b-1):
        # "what (where)"; with any, every specifier set counts as bounded (``reaches``)
        self.order: List[str] = []
        # settings that let pre-releases be taken where a final release fits (R43b-5)
        self.pre: List[str] = []
        # why this uv start would use uv's persistent cache (``uv_cache.problem``; "" when it
        # would not): refused unless the policy allows the cache (``decide``)
        self.uv_cache = ""

    def names(self) -> List[str]:
        """The packages it asks for (not the files a local folder offers)."""
        return [r.name for r in self.requirements if r.name and r.kind != "offered"]


# A URL is matched against the policy only in one plain spelling that every installer reads
# alike: pip (urllib.parse, urllib3), uv (the WHATWG ``url`` crate), conda (requests). The
# grammar below accepts (after C0 controls and spaces are trimmed from both ends, which all of
# them trim) nothing else, so no reader can find another host in it:
#   url    = ("http" | "https") "://" [userinfo "@"] host [":" port] path ["?" query] ["#" frag]
#   userinfo: unreserved, sub-delims, ":", "%XX"    (no "@", "/", "\\", "?", "#")
#   host   = label *("." label), label = 1*[A-Za-z0-9_-]; no trailing dot, no "%" (WHATWG
#            decodes it), no IPv6; a last label that is a number (WHATWG reads "127.1",
#            "0x7f.1", "2130706433" as IPv4) only in the canonical a.b.c.d form
#   port   = 1*5DIGIT (at most 65535)
#   path   = *("/" segment); a segment is unreserved, sub-delims, ":", "@", "%XX", not empty
#            (but for a final "/"), not "." or "..", and no %XX of ".", "/", "\\" or a control
#   query, frag: the path's characters plus "/" and "?"
# Lower-case schemes only: uv reads ``HTTPS://`` as a relative path, pip as a URL.
_SCHEME_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # one letter: a drive (``c:\x``)
URL_TRIM = "".join(chr(c) for c in range(0x21))  # C0 controls and space (WHATWG, urllib)
_PCHAR = r"(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})"
_PLAIN_URL = re.compile(
    r"(?P<scheme>https?)://"
    r"(?:(?P<userinfo>(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*)@)?"
    r"(?P<host>[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)"
    r"(?::(?P<port>[0-9]{1,5}))?"
    rf"(?P<path>(?:/{_PCHAR}+)*/?)"
    rf"(?:\?(?P<query>(?:{_PCHAR}|[/?])*))?"
    rf"(?:#(?P<fragment>(?:{_PCHAR}|[/?])*))?"
)
_NUMERIC_LABEL = re.compile(r"[0-9]+|0[xX][0-9A-Fa-f]*")
_IPV4 = re.compile(r"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}"
                   r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])")  # fmt: skip
_BAD_ESCAPE = re.compile(r"%(?:2[eEfF]|5[cC]|[01][0-9A-Fa-f]|7[fF])")


class PlainUrl(NamedTuple):
    scheme: str
    host: str  # lower case
    port: Optional[int]  # None: the scheme's default
    path: str
    query: Optional[str]
    fragment: Optional[str]


_INDEX_NAME = re.compile(r"[A-Za-z0-9._-]+=")


def named_index_url(value: str) -> str:
    """The URL of uv's ``[name=]url`` (``--index``, ``--default-index``, ``UV_INDEX``): uv splits
    at the first ``=`` when the part before has no ``:``, and a valid name is only these
    characters; otherwise the whole value is the URL (``https://evil/x=https://pypi.org/simple``
    is evil's)."""
    text = value.strip()
    m = _INDEX_NAME.match(text)
    return text[m.end() :] if m else text


def has_scheme(value: str) -> bool:
    """``value`` names a URL scheme (``http:``, ``git+https:``), not a path."""
    return bool(_SCHEME_PREFIX.match(value.strip(URL_TRIM)))


def plain_url(value: str) -> Optional[PlainUrl]:
    """``value`` read by the grammar above, or None when it is not in the plain form."""
    m = _PLAIN_URL.fullmatch(value.strip(URL_TRIM))
    if m is None:
        return None
    host = m.group("host").lower()
    if _NUMERIC_LABEL.fullmatch(host.rsplit(".", 1)[-1]) and not _IPV4.fullmatch(host):
        return None
    path = m.group("path")
    if any(s in (".", "..") for s in path.split("/")) or _BAD_ESCAPE.search(path):
        return None
    port = int(m.group("port")) if m.group("port") else None
    if port is not None and port > 65535:
        return None
    if port == {"https": 443, "http": 80}[m.group("scheme")]:
        port = None
    return PlainUrl(m.group("scheme"), host, port, path, m.group("query"), m.group("fragment"))


# anaconda.org's token form (conda's and mamba's): the credential is a path segment,
# ``https://conda.anaconda.org/t/<token>/channel`` (conda masks it the same way:
# ``conda.common.url.split_anaconda_token``)
_PATH_TOKEN = re.compile(r"(?<=/t/)[^/]+")

# Hosts whose index URLs carry the credential as the first path segment (red team 46b
# R46b-3): Cloudsmith ``https://dl.cloudsmith.io/<token>/org/repo/python/simple/`` and
# Gemfury ``https://pypi.fury.io/<token>/user/``. The one table on this side; request.ts has
# its twin and schema/vectors/redact-url.json holds both to the same cases.
TOKEN_PATH_HOSTS = ("dl.cloudsmith.io", "pypi.fury.io")

_UNPARSED = "<a URL Warden cannot parse>"
# ``scheme://...``: each is shown by ``_redact_one``
_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S*")
# What is left after that: a scheme-like prefix not followed by ``//`` and an ``@`` later in
# the same word (``https:\\u:TOKEN@host``, ``https:/u:TOKEN@host``, ``https:u:TOKEN@host``:
# a WHATWG reader such as uv's takes each for ``https://u:TOKEN@host``). Not a plain URL, so
# never shown raw; the rest of the word becomes the marker (red team 46b R46b-2). Two letters
# at least: ``c:`` is a drive. Matched anywhere in a word (``-ihttps:u:TOKEN@host``).
_HIDDEN_USERINFO = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:(?!//)\S*@\S*")


def redact_url(text: str) -> str:
    """``text`` (a URL, or a requirement such as ``pkg @ git+https://...``) with each URL in it
    reduced by ``_redact_one``, and any other scheme-prefixed word holding an ``@`` (a URL not
    in the plain form, maybe with credentials) replaced by a marker."""
    if ":" not in text:
        return text
    text = _URL_IN_TEXT.sub(lambda m: _redact_one(m.group(0)), text)
    return _HIDDEN_USERINFO.sub(_UNPARSED, text)


def _redact_one(url: str) -> str:
    """A URL fit for a message or event: scheme, host, port and path only.

    Split as pip splits it (``urllib.parse.urlsplit``); credentials (``user:token@``, even with
    a ``/`` in the password, a ``/t/<token>`` path segment or the first path segment on a
    ``TOKEN_PATH_HOSTS`` host), the query (``?private_token=``)
    and the fragment are dropped, each replaced by a marker so the user still sees that one was
    there. Findings use this spelling as their reason (fingerprint, confirmation key) too.
    """
    from urllib.parse import urlsplit

    body = url.strip(URL_TRIM)
    scheme = body.split(":", 1)[0].lower()
    if "+" in scheme:  # git+https://
        scheme, body = scheme.split("+", 1)[1], body.split("+", 1)[1]
    if scheme in ("http", "https") and plain_url(body) is None:
        return _UNPARSED  # and must not read as a plain, allowed one
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return _UNPARSED
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal
    shown = f"{parts.scheme}://{'***@' if '@' in parts.netloc else ''}{host}"
    shown += f":{port}" if port is not None else ""
    # "user:pw/with/slash@host"
    path = parts.path
    if host.lower() in TOKEN_PATH_HOSTS:
        path = re.sub(r"^/[^/]+", "/***", path)
    shown += "/***" if "@" in path else _PATH_TOKEN.sub("***", path)
    shown += "?***" if parts.query else ""
    shown += "#***" if parts.fragment else ""
    return shown
