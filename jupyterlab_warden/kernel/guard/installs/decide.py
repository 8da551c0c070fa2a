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
"""

from typing import List, NamedTuple, Optional
from urllib.parse import urlsplit

from .advisories import policy_records
from .names import normalize
from .request import InstallRequest, Requirement, redact_url

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


def allowed_channels(policy: dict) -> List[str]:
    channels = _section(policy).get("conda_channels")
    return [str(c) for c in channels] if isinstance(channels, list) else list(DEFAULT_CHANNELS)


def _url_key(url: str) -> str:
    """What pip connects to: scheme, host, port and path as ``urllib.parse.urlsplit`` reads them
    (the user info never counts; ``#@host`` or ``?@host`` cannot pose as ``host``)."""
    text = url.strip()
    if "://" not in text:
        return text.rstrip("/")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return "<unparseable>"
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    default = {"https": 443, "http": 80}.get(parts.scheme.lower())
    netloc = host if port is None or port == default else f"{host}:{port}"
    return f"{parts.scheme.lower()}://{netloc}{parts.path}".rstrip("/")


def _has_extras(url: str) -> bool:
    """A query or fragment on an index URL: pip sends them (or strips them) as it likes, and
    they are where ``?@host`` spellings hide; only a trusted entry written exactly so passes."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return True
    return bool(parts.query or parts.fragment) or url.count("@") > 1


def url_allowed(url: str, allowed: List[str]) -> bool:
    key = _url_key(url)
    if key == "<unparseable>":
        return False
    if _has_extras(url):
        return any(url.strip() == str(entry).strip() for entry in allowed)
    for prefix in allowed:
        base = _url_key(prefix)
        if base == "<unparseable>" or _has_extras(prefix):
            continue
        if key == base or key.startswith(base + "/"):
            return True
    return False


def is_local(location: str) -> bool:
    return "://" not in location or location.lower().startswith("file:")


def channel_allowed(channel: str, allowed: List[str]) -> bool:
    if "://" in channel:
        return url_allowed(channel, [c for c in allowed if "://" in c])
    return channel.strip("/").lower() in {c.strip("/").lower() for c in allowed if "://" not in c}


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
                f"Warden cannot check this install: {problem}",
                "Write the install as a plain command (no shell expansions) with local files "
                "Warden can read, or ask your admin.",
                request.command,
            )
        )
    findings += _sources(request, policy)
    deny, allow = _names(policy, "deny_packages"), _names(policy, "allow_packages")
    for req in request.requirements:
        findings += _requirement(req, policy, data, deny, allow)
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
        return out
    allowed = allowed_indexes(policy)
    for source in request.sources:
        if request.no_index and source.role in ("index", "extra-index", "default-index"):
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


def _requirement(req: Requirement, policy, data, deny, allow) -> List[Finding]:
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
        direct_ok = req.kind == "url" and url_allowed(_ref_url(req.text), allowed_indexes(policy))
        if not direct_ok:
            what = "a version-control reference" if req.kind == "vcs" else "a direct URL"
            out.append(
                Finding(
                    RULE_DIRECT,
                    f"direct:{req.kind}:{_url_key(_ref_url(req.text))}",
                    f"'{req.text[:200]}' ({req.origin}) installs {what}, bypassing the trusted "
                    "indexes and their checks",
                    "Install the package by name from a trusted index, or ask your admin to "
                    "publish it to one.",
                    req.text[:200],
                )
            )
    if not name:
        return out
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
    if req.kind != "conda" and name not in allow and not data.malicious(name):
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
    if req.pin:
        malware = {e["id"] for e in data.malicious(name)}  # reported above, as malicious
        ids = [i for i in data.advisories(name, req.pin) if i not in malware]
        if ids:
            out.append(
                Finding(
                    RULE_VULNERABLE,
                    f"vulnerable:{name}=={req.pin}",
                    f"{name} {req.pin}{where} is affected by {', '.join(ids)}",
                    f"Install a version of {name} that is not affected (see the advisories).",
                    f"{name}=={req.pin}",
                    tuple(ids),
                )
            )
    return out


def _ref_url(text: str) -> str:
    ref = text.split("@", 1)[1].strip() if " @ " in text or "@ " in text else text
    for prefix in ("git+", "hg+", "svn+", "bzr+"):
        if ref.startswith(prefix):
            ref = ref[len(prefix) :]
    return ref.split("#", 1)[0].split(";", 1)[0].strip()


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
    try:
        kept = policy_records(new)
        if not all(record in kept for record in policy_records(old)):
            return "dependencies.advisories (a record would be dropped or changed)"
    except ValueError:
        return "dependencies.advisories (malformed)"
    return None
