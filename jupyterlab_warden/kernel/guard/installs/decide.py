"""The policy's decision on an install request: pure, no I/O beyond the shipped data.

Inputs: an ``InstallRequest`` (arguments, files, environment and config already read), the
policy document and the shipped data (``DepsData``). Output: ``Finding`` s, one per reason to
stop or warn, each naming its rule (schema/rules.json). The guard turns each rule into the
policy's action (catalog.Rules.action_for) and every decision into an event.

Policy (schema/policy.schema.json):
* ``trusted_sources.package_indexes``: the indexes (and find-links URLs) pip and uv may use,
  matched as URL prefixes on path boundaries; credentials in a URL are ignored for matching.
* ``dependencies.conda_channels``: the conda channels (names or URLs) installs may use.
* ``dependencies.deny_packages`` / ``allow_packages``: names refused / names exempt from the
  imitation check (not from the malicious list: a known-malicious name is refused always).
* ``dependencies.advisories``: OSV records added to the shipped snapshot (never removing one).
* ``dependencies.tls_unverified_hosts``: hosts an install may reach without checking their TLS
  certificate (pip ``--trusted-host``, uv ``--allow-insecure-host``); ``*`` any. Absent: none.
* ``dependencies.ca_bundles``: CA bundle files or folders an install may trust instead of the
  system's (pip ``--cert``, ``REQUESTS_CA_BUNDLE``, ``SSL_CERT_FILE``...); the system's own
  (``SYSTEM_CA_PATHS``) always may. Absent: no other.
* ``dependencies.uv_cache``: ``"allowed"`` lets uv use its persistent cache (``uv_cache``);
  absent or ``"off"``: a uv start that would is refused.
"""

import re
from typing import List, NamedTuple, Optional

from ..frozen_builtins import FROZEN
from . import specifiers
from .advisories import policy_records
from .names import normalize
from .request import URL_TRIM, InstallRequest, Requirement, has_scheme, plain_url, redact_url
from .uv_cache import cache_allowed as uv_cache_allowed

# the builtins of the boot for this module's functions (red team 38a R38a-1, R38a-5)
__builtins__ = FROZEN

RULE_UNREADABLE = "install-unreadable"
RULE_INDEX = "install-index-not-allowed"
RULE_MALICIOUS = "install-known-malicious"
RULE_IMITATION = "install-imitation-name"
RULE_DIRECT = "install-direct-reference"
RULE_DENIED = "install-package-denied"
RULE_VULNERABLE = "install-vulnerable-version"
RULE_ALLOWED = "install-allowed"
RULES = (
    RULE_UNREADABLE,
    RULE_INDEX,
    RULE_MALICIOUS,
    RULE_IMITATION,
    RULE_DIRECT,
    RULE_DENIED,
    RULE_VULNERABLE,
    RULE_ALLOWED,
)
DEFAULT_INDEXES = (
    "https://pypi.org/simple",
    "https://files.pythonhosted.org",
    "https://download.pytorch.org/whl",
    "https://download-r2.pytorch.org/whl",  # where PyTorch's index pages link its wheels
)
DEFAULT_CHANNELS = ("defaults", "conda-forge", "pytorch", "nvidia")
# The distributions' own trust stores (root-owned): naming one of them changes nothing
SYSTEM_CA_PATHS = (
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/ssl/certs",
    "/etc/ssl/cert.pem",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/pki/tls/cert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
)


class Finding(NamedTuple):
    rule_id: str
    reason: str  # stable short code (in the fingerprint): "imitation:torcj~torch"
    message: str  # what is wrong, for the user
    remedy: str  # what to do
    subject: str  # the package or source it is about
    advisories: tuple = ()  # the OSV ids behind it (install-known-malicious, -vulnerable-version)


def allowed_indexes(policy: dict) -> List[str]:
    sources = policy.get("trusted_sources")
    if isinstance(sources, dict) and isinstance(sources.get("package_indexes"), list):
        return [str(u) for u in sources["package_indexes"]]
    return list(DEFAULT_INDEXES)


def _section(policy: dict) -> dict:
    section = policy.get("dependencies")
    return section if isinstance(section, dict) else {}


def _names(policy: dict, key: str) -> frozenset:
    values = _section(policy).get(key)
    return frozenset(normalize(str(v)) for v in values) if isinstance(values, list) else frozenset()


def _strings(policy: dict, key: str) -> List[str]:
    values = _section(policy).get(key)
    return [str(v) for v in values] if isinstance(values, list) else []


def _tls_host(value: str) -> str:
    """A host as pip's --trusted-host / uv's --allow-insecure-host name it (``host``,
    ``host:port``, uv also a URL), lower case, without scheme, path or final slash."""
    text = value.strip().lower()
    text = text.split("://", 1)[1] if "://" in text else text
    return text.split("/", 1)[0]


def tls_host_allowed(host: str, policy: dict) -> bool:
    allowed = {_tls_host(h) for h in _strings(policy, "tls_unverified_hosts")}
    return "*" in allowed or _tls_host(host) in allowed


def ca_allowed(path: str, policy: dict) -> bool:
    listed = SYSTEM_CA_PATHS + tuple(_strings(policy, "ca_bundles"))
    return path.rstrip("/") in {p.rstrip("/") for p in listed if p.startswith("/")}


def allowed_channels(policy: dict) -> List[str]:
    channels = _section(policy).get("conda_channels")
    return [str(c) for c in channels] if isinstance(channels, list) else list(DEFAULT_CHANNELS)


def _url_key(url: str) -> str:
    """What every installer connects to: scheme, host, port and path of the plain form (the
    user info never counts); a value with no scheme is a local path, kept as written."""
    if not has_scheme(url):
        return url.strip().rstrip("/")
    parts = plain_url(url)
    return "<unparseable>" if parts is None else _parts_key(parts)


def _parts_key(parts) -> str:
    netloc = parts.host if parts.port is None else f"{parts.host}:{parts.port}"
    return f"{parts.scheme}://{netloc}{parts.path}".rstrip("/")


def _has_extras(url: str) -> bool:
    """A query or fragment on an index URL: pip sends them (or strips them) as it likes, and
    they are where ``?@host`` spellings hide; only a trusted entry written exactly so passes."""
    parts = plain_url(url)
    return parts is None or parts.query is not None or parts.fragment is not None


def url_allowed(url: str, allowed: List[str]) -> bool:
    return IndexPrefixes(allowed).allows(url)


class IndexPrefixes:
    """``url_allowed``'s test, with the list's entries read once (pip's pages hold thousands
    of links: ``pip_links``)."""

    def __init__(self, allowed: List[str]):
        self.allowed = [str(entry) for entry in allowed]
        self.bases = [
            _url_key(entry)
            for entry in self.allowed
            if plain_url(entry) is not None and not _has_extras(entry)
        ]

    def allows(self, url: str, parts=None) -> bool:
        """``parts``: ``plain_url(url)`` when the caller has it."""
        parts = plain_url(url) if parts is None else parts
        if parts is None:
            return False
        if parts.query is not None or parts.fragment is not None:
            return any(url.strip(URL_TRIM) == entry.strip(URL_TRIM) for entry in self.allowed)
        key = _parts_key(parts)
        return any(key == base or key.startswith(base + "/") for base in self.bases)


def is_local(location: str) -> bool:
    """A path on this machine (no URL scheme and no ``://``), or a ``file:`` URL."""
    text = location.strip(URL_TRIM)
    return (not has_scheme(text) and "://" not in text) or text.lower().startswith("file:")


def unplain_path(location: str) -> bool:
    """A source with no scheme that is not a plain path (red8 R8-1): ``@host/simple``,
    ``//host/x``, a ``,`` or blank in it are what a URL split wrongly leaves behind, and the
    tool may read them as a host; deny by default."""
    text = location.strip()
    if has_scheme(text) or "://" in text:
        return False
    return text.startswith(("//", "\\\\")) or re.search(r"[@,\s]", text) is not None


def ambiguous_url(location: str) -> bool:
    """A URL (not local) that is not in the plain form: installers may read another host in it."""
    return not is_local(location) and plain_url(location) is None


_DOT_SEGMENT = re.compile(r"/(?:\.|%2e){1,2}(?:[/?#\\]|$)", re.IGNORECASE)
# conda's platform folders: ``conda-forge/linux-64`` is the channel conda-forge, read for one
# platform (conda's ``context.known_subdirs``)
CONDA_SUBDIRS = (
    "noarch", "linux-32", "linux-64", "linux-aarch64", "linux-armv6l", "linux-armv7l",
    "linux-ppc64", "linux-ppc64le", "linux-riscv64", "linux-s390x", "osx-64", "osx-arm64",
    "win-32", "win-64", "win-arm64", "zos-z", "freebsd-64", "emscripten-wasm32", "wasi-wasm32",
)  # fmt: skip


def _channel_urls(allowed: List[str]) -> List[str]:
    """Where conda's default configuration serves the allowed channel names, so a package URL
    there (``conda list --explicit`` output) is the allowed channel: ``NAME`` on
    ``conda.anaconda.org``, ``defaults`` as ``repo.anaconda.com/pkgs/{main,r,msys2}``."""
    out = []
    for name in (c.strip("/").lower() for c in allowed if "://" not in c):
        if name == "defaults":
            out += [f"https://repo.anaconda.com/pkgs/{part}" for part in ("main", "r", "msys2")]
        elif name and name != "local":
            out.append(f"https://conda.anaconda.org/{name}")
    return out


def channel_allowed(channel: str, allowed: List[str]) -> bool:
    if has_scheme(channel):
        if "://" in channel and _DOT_SEGMENT.search(channel.split("://", 1)[1]):
            return False  # `ALLOWED/../other`: the HTTP client removes it, the prefix test does not
        if "@" in channel.split("://", 1)[-1].split("/", 1)[0]:
            return False  # user info (`https://$X@host`): conda may expand it into another host
        return url_allowed(channel, [c for c in allowed if has_scheme(c)] + _channel_urls(allowed))
    name = channel.strip("/")
    head, _slash, tail = name.rpartition("/")
    if head and tail in CONDA_SUBDIRS:
        name = head
    return name.lower() in {c.strip("/").lower() for c in allowed if "://" not in c}


# A reason often names its own way out (`give the full path`, `add a folder with sys.path`,
# `remove it from the environment`): the remedy defers to it rather than contradict it.
_UNREADABLE_REMEDY = (
    "Do what the reason above says where it names a way; otherwise write the command plainly "
    "(no shell expansions) with local files Warden can read, or ask your admin."
)


def decide(request: InstallRequest, policy: Optional[dict], data) -> List[Finding]:
    """Everything wrong with ``request`` under ``policy``; empty when it may run."""
    policy = policy if isinstance(policy, dict) else {}
    data = data.with_policy(policy)  # the shipped advisories plus the organisation's own
    findings = []
    for problem in request.problems + list(data.problems):
        findings.append(
            Finding(
                RULE_UNREADABLE,
                "unreadable",
                f"Warden cannot check this command: {problem}",
                _UNREADABLE_REMEDY,
                request.command,
            )
        )
    if request.uv_cache and not uv_cache_allowed(policy):
        findings.append(
            Finding(
                RULE_UNREADABLE,
                "uv-cache",
                f"Warden cannot check this command: {request.uv_cache}",
                _UNREADABLE_REMEDY,
                request.command,
            )
        )
    findings += _sources(request, policy)
    findings += _tls(request, policy)
    deny, allow = _names(policy, "deny_packages"), _names(policy, "allow_packages")
    for req in request.requirements:
        findings += _requirement(req, policy, data, deny, allow, request)
    return findings


def _sources(request: InstallRequest, policy: dict) -> List[Finding]:
    out = []
    if request.tool in ("conda", "mamba", "micromamba"):
        allowed = allowed_channels(policy)
        for source in request.sources:
            if source.role == "channel" and not channel_allowed(source.url, allowed):
                out.append(
                    Finding(
                        RULE_INDEX,
                        f"channel:{redact_url(source.url)}",
                        f"conda channel '{redact_url(source.url)}' ({source.origin}) is not one "
                        "of the channels your organisation allows",
                        "Install from an allowed channel (dependencies.conda_channels in the "
                        "policy) or ask your admin to add this one.",
                        redact_url(source.url),
                    )
                )
    allowed = allowed_indexes(policy)
    for source in request.sources:
        if source.role == "channel":
            continue  # a conda channel, decided above
        if request.no_index and source.role in ("index", "extra-index", "default-index"):
            continue
        if ambiguous_url(source.url) or unplain_path(source.url):
            out.append(_ambiguous(source.url, f"{source.role} ({source.origin})", request))
            continue
        if is_local(source.url):
            continue  # a directory on this machine (find-links, file:// index): not a download
        if url_allowed(source.url, allowed):
            continue
        shown = redact_url(source.url)
        confusion = (
            ". With an extra index pip takes the highest version of a name from ANY index, so "
            "a public package can replace a private one (dependency confusion), or the reverse"
            if source.role == "extra-index"
            else ""
        )
        out.append(
            Finding(
                RULE_INDEX,
                f"index:{_url_key(shown)}",
                f"package index {shown} ({source.origin}) is not one of the indexes your "
                f"organisation trusts{confusion}",
                "Install from a trusted index (trusted_sources.package_indexes: "
                + ", ".join(allowed[:4])
                + ") or ask your admin to add this one.",
                shown,
            )
        )
    return out


def _tls(request: InstallRequest, policy: dict) -> List[Finding]:
    """TLS settings that let whoever sits on the network path (a proxy, a hostile Wi-Fi) or
    wrote a CA file serve any package as if from a trusted index."""
    out = []
    for kind, value, origin in request.tls:
        if kind == "insecure-host" and not tls_host_allowed(value, policy):
            host = _tls_host(value) if value != "*" else "every host"
            out.append(
                Finding(
                    RULE_INDEX,
                    f"tls-unverified:{host}",
                    f"the install reaches '{host}' ({origin}) without checking its TLS "
                    "certificate: a proxy or anyone on the network path can then serve any "
                    "package as if it came from a trusted index",
                    "Remove the setting (pip --trusted-host, PIP_TRUSTED_HOST, pip.conf "
                    "trusted-host; uv --allow-insecure-host, UV_INSECURE_HOST, "
                    "allow-insecure-host; conda ssl_verify), or ask your admin to list the host "
                    "in dependencies.tls_unverified_hosts.",
                    host,
                )
            )
        elif kind == "ca" and not ca_allowed(value, policy):
            out.append(
                Finding(
                    RULE_INDEX,
                    f"tls-ca:{value}",
                    f"the install trusts the certificates in '{value}' ({origin}) instead of "
                    "the system's: whoever wrote that file can pose as any index",
                    "Unset it (pip --cert, PIP_CERT, pip.conf cert, REQUESTS_CA_BUNDLE, "
                    "CURL_CA_BUNDLE, SSL_CERT_FILE, SSL_CERT_DIR, conda ssl_verify), or ask "
                    "your admin to list the bundle in dependencies.ca_bundles.",
                    value,
                )
            )
    return out


def _ambiguous(url: str, where: str, request: InstallRequest) -> Finding:
    return Finding(
        RULE_UNREADABLE,
        "unreadable-url",
        f"Warden cannot tell which host the URL '{redact_url(url)[:200]}' ({where}) reaches: "
        "pip and uv may read it differently (a backslash, a scheme without '//', a space or "
        "control character, a '%' or a trailing dot in the host, a '.' or '..' segment...)",
        "Write the URL plainly as https://host[:port]/path, or ask your admin.",
        request.command,
    )


def _requirement(req: Requirement, policy, data, deny, allow, request) -> List[Finding]:
    out = []
    name = req.name
    if req.kind == "invalid":
        return [
            Finding(
                RULE_UNREADABLE,
                "unreadable-requirement",
                f"Warden cannot read the requirement '{req.text[:100]}' ({req.origin})",
                "Write it as a plain requirement (name, version specifier) Warden can check.",
                req.text[:100],
            )
        ]
    if req.kind in ("url", "vcs"):
        # decided on the URL pip and uv fetch, as written (its token is part of a trusted
        # index's path); shown and keyed by its redacted spelling. A direct reference not read
        # by ``parse_requirement`` (a uv.lock's url) is a bare URL, taken whole.
        reference = req.reference if req.reference is not None else req.written or req.text
        fetched = _fetched_url(reference)
        direct_ok = req.kind == "url" and url_allowed(fetched, allowed_indexes(policy))
        if not direct_ok:
            what = "a version-control reference" if req.kind == "vcs" else "a direct URL"
            out.append(
                Finding(
                    RULE_DIRECT,
                    f"direct:{req.kind}:{_url_key(redact_url(fetched))}",
                    f"'{req.text[:200]}' ({req.origin}) installs {what}, bypassing the trusted "
                    "indexes and their checks",
                    "Install the package by name from a trusted index, or ask your admin to "
                    "publish it to one.",
                    req.text[:200],
                )
            )
    if name and req.artifact and req.artifact != name:
        out.append(
            Finding(
                RULE_DIRECT,
                f"direct:artifact:{req.artifact}~{name}",
                f"'{req.text[:200]}' ({req.origin}) names '{name}', but its file is the project "
                f"'{req.artifact}', not '{name}': pip and uv build that file (running its setup "
                "code) before they compare the names",
                f"Install '{name}' by name from a trusted index, or use the file of '{name}'.",
                req.text[:200],
            )
        )
    # a direct reference's file is decided under its own project name too (red team 11 R11-19)
    names = [n for n in (name, req.artifact) if n]
    for i, checked in enumerate(names):
        if checked not in names[:i]:
            out += _named(req, checked, data, deny, allow, request)
    if req.kind == "offered" and req.own:  # a project folder the user builds (R45a-8)
        remedy = (
            f"Do not install that project ({req.text[:200]}): its folder builds this release; "
            "if it is your own code, rename the project in its pyproject.toml, or ask your admin."
        )
        out = [finding._replace(remedy=remedy) for finding in out]
    elif req.kind == "offered":  # a file a local folder offers (R43b-4): the file is to go
        remedy = (
            f"Remove {req.text[:200]} from that folder: pip and uv may take any file it offers "
            "(the newest, or an older one for a pin, a bound or a dependency)."
        )
        out = [finding._replace(remedy=remedy) for finding in out]
    return out


def _named(req: Requirement, name: str, data, deny, allow, request) -> List[Finding]:
    """The name checks (malicious, deny list, imitation, advisories) of one project name."""
    out = []
    where = "" if req.origin == "command line" else f" ({req.origin})"
    for entry in data.malicious(name):
        out.append(
            Finding(
                RULE_MALICIOUS,
                f"malicious:{name}",
                f"'{name}'{where} is a known-malicious package ({entry['id']}: {entry['summary']})",
                "Do not install it. If you meant another package, check its exact name on "
                "the index; tell your security team if you found this name in instructions.",
                name,
                (entry["id"],),
            )
        )
    if name in deny:
        out.append(
            Finding(
                RULE_DENIED,
                f"denied:{name}",
                f"'{name}'{where} is on your organisation's deny list (dependencies.deny_packages)",
                "Use an approved alternative, or ask your admin.",
                name,
            )
        )
    # the popular names are PyPI's ranking: conda's own names (python, cudatoolkit) are not
    # imitations of PyPI packages (ipython, cuda-toolkit)
    # nor is a project folder the user builds (R45a-8): its name is fetched from no index
    own = req.kind == "offered" and req.own
    if req.kind != "conda" and not own and name not in allow and not data.malicious(name):
        target = data.imitated(name)
        if target:
            out.append(
                Finding(
                    RULE_IMITATION,
                    f"imitation:{name}~{target}",
                    f"'{name}'{where} looks like an imitation of the popular package '{target}' "
                    "(typosquatting)",
                    f"Check the spelling: did you mean '{target}'? If '{name}' is really what "
                    "you need, ask your admin to add it to dependencies.allow_packages.",
                    name,
                )
            )
    return out + _versions(req, name, data, where, request)


def _versions(req: Requirement, name: str, data, where: str, request) -> List[Finding]:
    """The advisories of the versions the requirement may install: the version a pin names
    and the one a direct reference's file names (R11-19 gap: torch-2.5.0-...whl is a torch
    2.5.0 whatever the line pins), else the whole specifier set (R41b-3), read with the
    ``request``'s settings that change which release is taken (R43b-1, R43b-5)."""
    malware = {e["id"] for e in data.malicious(name)}  # reported by _named, as malicious
    allowed = specifiers.allowed(req.specifier) if name == req.name else specifiers.ANY
    single = specifiers.exact(allowed)
    versions = [req.pin if name == req.name else None]
    versions.append(req.artifact_version if name == req.artifact else None)
    if single is not None and not any(versions):
        versions.append(specifiers.pinned(req.specifier))  # ``==1.0,<3``: decided as a pin
    out = []
    for i, version in enumerate(versions):
        if version and version not in versions[:i]:
            entries = [e for e in data.affected(name, version) if e["id"] not in malware]
            out += _affected(name, version, entries, where)
    if any(versions) or name != req.name:
        return out
    spec = req.specifier or "(any version)"
    entries = [e for e in data.covering(name, allowed) if e["id"] not in malware]
    out += _affected(name, spec, [e for e in entries if not e["malicious"]], where)
    pre = bool(request.pre) or specifiers.names_pre(req.specifier)
    reached = data.reached(name, allowed, not request.order, pre)
    reached = [e for e in reached if e["id"] not in malware]
    if reached:
        ids = tuple(e["id"] for e in reached)
        why = (
            f": {request.order[0]} makes the installer take a release other than the newest"
            if request.order
            else ""
        )
        out.append(
            Finding(
                RULE_MALICIOUS,
                f"malicious-release:{name}{req.specifier}",
                f"'{name}{req.specifier}'{where} may install a known-malicious release of {name} "
                f"({'; '.join(e['id'] + ': ' + e['summary'] for e in reached)}){why}",
                f"Pin a release of {name} that {', '.join(ids)} does not list "
                f"(pip install '{name}==VERSION'), after checking the advisory.",
                name,
                ids,
            )
        )
    return out


def _affected(name: str, version: str, entries: List[dict], where: str) -> List[Finding]:
    """The findings for the advisory ``entries`` holding ``version`` of ``name`` (a version,
    or a specifier every version of which they hold): the malicious ones refuse it as
    malware, the others as vulnerable."""
    out = []
    shown = version if version[:1] in "<>=!~(" else f"=={version}"
    bad = [e for e in entries if e["malicious"]]
    if bad:
        out.append(
            Finding(
                RULE_MALICIOUS,
                f"malicious-release:{name}{shown}",
                f"{name} {version}{where} is a known-malicious release "
                f"({'; '.join(e['id'] + ': ' + e['summary'] for e in bad)})",
                f"Do not install it: pin a release of {name} that "
                f"{', '.join(e['id'] for e in bad)} does not list, after checking the advisory.",
                f"{name}{shown}",
                tuple(e["id"] for e in bad),
            )
        )
    ids = [e["id"] for e in entries if not e["malicious"]]
    if ids:
        out.append(
            Finding(
                RULE_VULNERABLE,
                f"vulnerable:{name}{shown}",
                f"{name} {version}{where} is affected by {', '.join(ids)}",
                f"Install a version of {name} that is not affected (see the advisories).",
                f"{name}{shown}",
                tuple(ids),
            )
        )
    return out


def _fetched_url(reference: str) -> str:
    """The URL pip and uv fetch for a direct reference (``Requirement.reference``, the text
    after its ``name @`` or a bare URL's whole text): its VCS prefix dropped, cut at its
    fragment (the first ``#``: never sent, so whatever it holds, ``@ URL`` included, is not
    where the file comes from: red team 48b R48b-6) and at its marker, where pip splits a bare
    URL's (the first ``; ``). Each installer's own reading ends there or sooner (pip cuts a
    ``name @`` URL at its first ``;``, uv at white space before a ``;``), or it is the same:
    pip's bare URL and uv's URLs run on through a ``;`` without a blank after it and through
    white space (``x.whl;/../../evil/y.whl`` is ``/evil/y.whl`` to uv). So this is the longest
    reading, and where the installers differ it holds a blank or a ``..`` segment: not plain,
    refused."""
    ref = reference.strip()
    for prefix in ("git+", "hg+", "svn+", "bzr+"):
        if ref.startswith(prefix):
            ref = ref[len(prefix) :]
    return ref.split("#", 1)[0].split("; ", 1)[0].strip()


def looser(old: dict, new: dict) -> Optional[str]:
    """What in ``new`` would let more installs through than ``old`` (None: nothing)."""
    if not set(allowed_indexes(new)) <= set(allowed_indexes(old)):
        return "trusted_sources.package_indexes"
    if not set(allowed_channels(new)) <= set(allowed_channels(old)):
        return "dependencies.conda_channels"
    if not _names(new, "allow_packages") <= _names(old, "allow_packages"):
        return "dependencies.allow_packages"
    if not _names(old, "deny_packages") <= _names(new, "deny_packages"):
        return "dependencies.deny_packages"
    for key in ("tls_unverified_hosts", "ca_bundles"):
        if not set(_strings(new, key)) <= set(_strings(old, key)):
            return f"dependencies.{key}"
    if uv_cache_allowed(new) and not uv_cache_allowed(old):
        return "dependencies.uv_cache"
    try:
        kept = policy_records(new)
        if not all(record in kept for record in policy_records(old)):
            return "dependencies.advisories (a record would be dropped or changed)"
    except ValueError:
        return "dependencies.advisories (malformed)"
    return None
