"""The policy's ``provenance`` section, compiled once per policy (pure logic, no I/O).

``signatures``: where a valid OpenSSF model signature is required (path globs, hub
repositories, loader kinds), which identities are trusted, and what happens to an unsigned,
altered or wrongly signed model. ``hub``: which Hugging Face repositories may be downloaded
from, whether revisions must be pinned to a commit, and which repositories (at which commits)
may ship Python code (``trust_remote_code``). An empty section changes nothing.

Matching is on what a load resolves to: both the absolute path as given and its real path
(symlinks resolved) are matched, and the hub repository is the one the download was recorded
for (or the Hugging Face cache folder the file sits in), compared case-insensitively as the
hub resolves names.
"""

from __future__ import annotations

import os

from ...scan.records import Record, field
from ..sha import is_hex

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing is not imported at interpreter start
    from typing import Dict, List, Optional, Tuple
ACTIONS = ("block", "confirm")
# loader label (patches.LOAD_TARGETS) -> file kind the policy names
_KIND_BY_CALL = (
    ("torch.jit.load", "torchscript"),
    ("torch.load", "torch"),
    ("numpy.load", "numpy"),
    ("keras.", "keras"),
    ("yaml.", "yaml"),
    ("joblib.", "joblib"),
    ("safetensors.", "safetensors"),
)
OFFICIAL_ENDPOINT = "https://huggingface.co"


def glob_match(name: str, pattern: str) -> bool:
    """``fnmatch.fnmatchcase``, imported on the first match: fnmatch loads ``re``, which
    nothing else needs at an interpreter's start."""
    import fnmatch

    return fnmatch.fnmatchcase(name, pattern)


def kind_of_call(call: str) -> str:
    for prefix, kind in _KIND_BY_CALL:
        if call.startswith(prefix):
            return kind
    return "pickle"  # pickle, dill, cloudpickle, pandas.read_pickle, shelve


def is_commit(revision) -> bool:
    return is_hex(revision, 40)


def _strings(value) -> List[str]:
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, str) and v]


def _action(value, problems: List[str], name: str) -> str:
    if value is None:
        return "block"
    if value not in ACTIONS:
        problems.append(f"provenance {name} is not block/confirm: block")
        return "block"
    return value


class TrustedIdentities:
    """Who may sign: public keys (PEM), certificate chain roots (PEM), keyless identities."""

    def __init__(self, section: dict, problems: List[str]):
        self.public_keys: List[Tuple[str, str]] = []  # (name, PEM)
        for i, entry in enumerate(section.get("public_keys") or []):
            pem = entry.get("pem") if isinstance(entry, dict) else None
            if not isinstance(pem, str) or "BEGIN PUBLIC KEY" not in pem:
                problems.append(f"provenance public_keys[{i}] is not a PEM public key: ignored")
                continue
            self.public_keys.append((str(entry.get("name") or f"public key {i + 1}"), pem))
        self.certificate_roots: List[Tuple[str, str]] = []
        for i, entry in enumerate(section.get("certificate_roots") or []):
            pem = entry.get("pem") if isinstance(entry, dict) else None
            if not isinstance(pem, str) or "BEGIN CERTIFICATE" not in pem:
                problems.append(f"provenance certificate_roots[{i}] is not a PEM certificate")
                continue
            self.certificate_roots.append((str(entry.get("name") or f"root {i + 1}"), pem))
        self.keyless: List[Tuple[str, str]] = []  # (identity, issuer)
        for i, entry in enumerate(section.get("keyless") or []):
            if not isinstance(entry, dict) or not entry.get("identity") or not entry.get("issuer"):
                problems.append(f"provenance keyless[{i}] needs identity and issuer: ignored")
                continue
            self.keyless.append((str(entry["identity"]), str(entry["issuer"])))

    @property
    def empty(self) -> bool:
        return not (self.public_keys or self.certificate_roots or self.keyless)

    def key(self) -> tuple:
        return (tuple(self.public_keys), tuple(self.certificate_roots), tuple(self.keyless))


class SignaturePolicy:
    def __init__(self, section: dict, problems: List[str]):
        required = section.get("required_for") or {}
        if not isinstance(required, dict):
            problems.append("provenance signatures.required_for is not an object: ignored")
            required = {}
        self.paths = _strings(required.get("paths"))
        self.hub_repos = [r.lower() for r in _strings(required.get("hub_repos"))]
        self.kinds = frozenset(_strings(required.get("kinds")))
        # loads that name no file (bytes, BytesIO, a pipe): refused when True (opt-in)
        self.unnamed_loads = required.get("unnamed_loads") is True
        trusted = section.get("trusted") or {}
        self.trusted = TrustedIdentities(trusted if isinstance(trusted, dict) else {}, problems)
        self.on_unsigned = _action(section.get("on_unsigned"), problems, "on_unsigned")
        self.on_invalid = _action(section.get("on_invalid"), problems, "on_invalid")
        self.on_untrusted = _action(section.get("on_untrusted"), problems, "on_untrusted")

    @property
    def active(self) -> bool:
        return bool(self.paths or self.hub_repos or self.kinds or self.unnamed_loads)

    def required(self, path: str, kind: str, hub_repo: Optional[str]) -> Optional[str]:
        """Why a signature is required for this load ('path <glob>' ...), or None."""
        if kind in self.kinds:
            return f"kind {kind}"
        candidates = {os.path.abspath(path), os.path.realpath(path)}
        for pattern in self.paths:
            if any(glob_match(c, pattern) for c in candidates):
                return f"path {pattern}"
        if hub_repo:
            for pattern in self.hub_repos:
                if glob_match(hub_repo.lower(), pattern):
                    return f"hub repository {pattern}"
        return None


def endpoint_origin(url) -> Optional[str]:
    """``scheme://host[:port]`` of a hub endpoint URL, lower-cased, without user info or path
    (never a token); None when it is not an http(s) URL with a host."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(str(url).strip())
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host:
        return None
    default = {"http": 80, "https": 443}[scheme]
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")


class RemoteCode(Record):
    """One reviewed repository: ``commits`` reviewed (frozenset), and/or ``files``: the sha256
    of each reviewed file, name in the repository -> sha256, None when not pinned (content: a
    forged commit claim or a file planted in the cache cannot match it)."""

    __slots__ = ()
    _fields = ("commits", "files")

    def __new__(cls, commits, files):
        return tuple.__new__(cls, (commits, files))

    commits = field(0)
    files = field(1)


class HubPolicy:
    def __init__(self, section: dict, problems: List[str]):
        listed_endpoints = section.get("endpoints")
        # the hub servers whose word (X-Repo-Commit, the files) the hub policy believes; the
        # default is already an origin: parsing it would load urllib.parse and ipaddress at
        # every interpreter's start (tests/provenance checks it parses to itself)
        if listed_endpoints is None:
            self.endpoints = frozenset((OFFICIAL_ENDPOINT,))
        else:
            self.endpoints = frozenset(
                filter(None, (endpoint_origin(e) for e in _strings(listed_endpoints)))
            )
        if isinstance(listed_endpoints, list) and len(self.endpoints) < len(listed_endpoints):
            problems.append("provenance hub.endpoints has entries that are not http(s) URLs")
        allowed = section.get("allowed_repos")
        # None: any repository (the default); a list: only these (org/* globs)
        self.allowed = None if allowed is None else [r.lower() for r in _strings(allowed)]
        self.require_pinned = section.get("require_pinned_revision") is True
        # None (the default): Python files download as before; a list: only from these
        self.remote_code: Optional[Dict[str, RemoteCode]] = None
        listed = section.get("trust_remote_code")
        if listed is not None:
            self.remote_code = {}
        for i, entry in enumerate(listed if isinstance(listed, list) else []):
            if not isinstance(entry, dict) or not isinstance(entry.get("repo"), str):
                problems.append(f"provenance hub.trust_remote_code[{i}] needs a repo: ignored")
                continue
            commits = frozenset(c for c in _strings(entry.get("commits")) if is_commit(c))
            files = entry.get("files")
            if files is not None:
                files = {
                    str(k): v.lower()
                    for k, v in (files.items() if isinstance(files, dict) else ())
                    if isinstance(v, str) and is_hex(v.lower(), 64)
                }
                if len(files) < len(entry.get("files") or ()) or not isinstance(
                    entry.get("files"), dict
                ):
                    problems.append(
                        f"provenance hub.trust_remote_code[{i}].files has entries that are "
                        "not sha256 hex digests: those files are not allowed"
                    )
            self.remote_code[entry["repo"].lower()] = RemoteCode(commits, files)

    def repo_allowed(self, repo: str) -> bool:
        if self.allowed is None:
            return True
        return any(glob_match(repo.lower(), p) for p in self.allowed)

    def endpoint_allowed(self, origin: Optional[str]) -> bool:
        return origin is not None and origin in self.endpoints

    def remote_code_refusal(
        self,
        repo: str,
        commit: Optional[str],
        filename: str,
        sha256: Optional[str],
        endpoint_ok: bool,
    ) -> Optional[str]:
        """Why this Python file may not be used (None: allowed). A reviewed file's content
        (sha256) decides wherever it came from; a commit alone only when the server that
        claimed it is one the policy believes (``endpoints``)."""
        if self.remote_code is None:
            return None
        entry = self.remote_code.get(repo.lower())
        if entry is None:
            return "the repository is not listed"
        if entry.commits and (commit is None or commit not in entry.commits):
            return "the commit it resolved to is not a reviewed commit"
        if entry.files is not None:
            if sha256 is None or entry.files.get(filename) != sha256:
                return "its content (sha256) is not the reviewed content of " + filename[:200]
            return None
        if not entry.commits:
            return "the entry lists neither commits nor file hashes"
        if not endpoint_ok:
            return "the commit was claimed by a hub endpoint the policy does not allow"
        return None


class ProvenancePolicy:
    """The compiled ``provenance`` section; ``problems`` lists what was ignored and why."""

    def __init__(self, policy: Optional[dict]):
        self.problems: List[str] = []
        section = (policy or {}).get("provenance") or {}
        if not isinstance(section, dict):
            self.problems.append("provenance is not an object: ignored")
            section = {}
        signatures = section.get("signatures") or {}
        hub = section.get("hub") or {}
        self.signatures = SignaturePolicy(
            signatures if isinstance(signatures, dict) else {}, self.problems
        )
        self.hub = HubPolicy(hub if isinstance(hub, dict) else {}, self.problems)
        self.record_downloads = section.get("record_downloads", True) is not False


HF_CACHE_REPO = r"(?:^|/)(models|datasets|spaces)--([^/]+?)--([^/]+)/snapshots/([0-9a-f]{40})/"


def hub_repo_from_cache_path(path: str) -> Optional[Tuple[str, str]]:
    """(org/name, commit) when ``path`` lies in a Hugging Face cache snapshot folder."""
    import re  # on use (re's cache): not at every interpreter's start

    found = re.search(HF_CACHE_REPO, os.path.abspath(path).replace(os.sep, "/"))
    if not found:
        return None
    return f"{found.group(2)}/{found.group(3)}", found.group(4)
