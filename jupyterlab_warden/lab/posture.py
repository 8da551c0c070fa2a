"""Server posture checks: how safely this jupyter_server is configured (issue 7).

``check_server(snapshot)`` is pure: it decides every server rule from a
:class:`ServerSettings` snapshot. ``snapshot_from_server_app`` reads that snapshot from the
running ``ServerApp`` (effective values, i.e. what its web application actually uses) and
the installed versions of the packages named in ``advisories.json``. Evidence names
settings and whether secrets are set, never their values.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from ..kernel.probe import scoring

ADVISORIES_FILE = Path(__file__).with_name("advisories.json")
ALL_INTERFACES = ("", "*", "0.0.0.0", "::")  # noqa: S104 - names we look for, not bind to
# Origins a broad allow_origin_pat would let in; a pattern anchored to real hosts rejects both.
FOREIGN_ORIGINS = ("https://attacker.invalid", "null")


@dataclass(frozen=True)
class ServerSettings:
    """The effective security settings of one server. Holds no secret values."""

    ip: str = "localhost"
    port: int = 8888
    certfile_set: bool = False
    token_set: bool = True
    password_set: bool = False
    identity_provider: str = "PasswordIdentityProvider"
    auth_enabled: bool = True
    allow_unauthenticated_access: bool = True
    allow_remote_access: bool = False
    allow_origin: str = ""
    allow_origin_pat: str = ""
    allow_credentials: bool = False
    allow_origin_header: str = ""  # Access-Control-Allow-Origin set through tornado headers
    disable_check_xsrf: bool = False
    xsrf_cookies: bool = True
    allow_root: bool = False
    euid: int | None = None
    packages: dict[str, str] = field(default_factory=dict)  # distribution -> version


@lru_cache(maxsize=1)
def load_advisories() -> tuple[dict, ...]:
    with open(ADVISORIES_FILE, encoding="utf-8") as fh:
        return tuple(json.load(fh)["advisories"])


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def is_affected(installed: str, advisory: dict) -> bool:
    """Is ``installed`` older than the fix, and not on a fixed backport line?"""
    try:
        version = Version(installed)
        fixed = Version(advisory["fixed"])
    except InvalidVersion:
        return False
    if version >= fixed:
        return False
    for backport in advisory.get("also_fixed", []):
        try:
            other = Version(backport)
        except InvalidVersion:
            continue
        if version.release[:2] == other.release[:2] and version >= other:
            return False
    return True


def listens_beyond_loopback(ip: str) -> bool:
    """Does ``ServerApp.ip`` expose the server on a non-loopback interface?

    jupyter_server itself only warns for an empty ip; 0.0.0.0 and :: are just as open.
    A host name other than localhost is taken as exposed (no DNS lookup here).
    """
    if ip in ALL_INTERFACES:
        return True
    if ip == "localhost":
        return False
    try:
        return not ipaddress.ip_address(ip.strip("[]")).is_loopback
    except ValueError:
        return True


def _pattern_is_broad(pattern: str) -> bool:
    if not pattern:
        return False
    try:
        compiled = re.compile(pattern)
    except re.error:
        return False
    return any(compiled.match(origin) for origin in FOREIGN_ORIGINS)


def _check_no_auth(s: ServerSettings):
    evidence = {
        "token_set": s.token_set,
        "password_set": s.password_set,
        "identity_provider": s.identity_provider,
        "auth_enabled": s.auth_enabled,
    }
    return ("fail" if not s.auth_enabled else "pass"), evidence


def _check_unauthenticated_access(s: ServerSettings):
    exposed = s.allow_remote_access or listens_beyond_loopback(s.ip)
    evidence = {
        "allow_unauthenticated_access": s.allow_unauthenticated_access,
        "reachable_from_network": exposed,
    }
    return ("fail" if s.allow_unauthenticated_access and exposed else "pass"), evidence


def _check_public_without_tls(s: ServerSettings):
    public = listens_beyond_loopback(s.ip)
    evidence = {"ip": s.ip, "all_interfaces": s.ip in ALL_INTERFACES, "tls": s.certfile_set}
    return ("fail" if public and not s.certfile_set else "pass"), evidence


def _check_remote_access(s: ServerSettings):
    return ("fail" if s.allow_remote_access else "pass"), {
        "allow_remote_access": s.allow_remote_access,
        "ip": s.ip,
    }


def _check_cors(s: ServerSettings):
    wildcard = s.allow_origin == "*" or s.allow_origin_header == "*"
    # allow_origin takes precedence over the pattern in jupyter_server.
    broad = not s.allow_origin and _pattern_is_broad(s.allow_origin_pat)
    evidence = {
        "allow_origin": s.allow_origin[:200],
        "allow_origin_pat": s.allow_origin_pat[:200],
        "allow_origin_pat_matches_any_origin": broad,
        "access_control_allow_origin_header": s.allow_origin_header[:200],
        "allow_credentials": s.allow_credentials,
    }
    return ("fail" if wildcard or broad else "pass"), evidence


def _check_xsrf(s: ServerSettings):
    disabled = s.disable_check_xsrf or not s.xsrf_cookies
    evidence = {"disable_check_xsrf": s.disable_check_xsrf, "xsrf_cookies": s.xsrf_cookies}
    return ("fail" if disabled else "pass"), evidence


def _check_root(s: ServerSettings):
    if s.euid is None:
        return "unknown", {"allow_root": s.allow_root, "reason": "no POSIX user ids"}
    return ("fail" if s.euid == 0 else "pass"), {"euid": s.euid, "allow_root": s.allow_root}


def _check_advisories(s: ServerSettings):
    installed = {_canonical(k): v for k, v in s.packages.items()}
    hits = []
    for adv in load_advisories():
        version = installed.get(_canonical(adv["package"]))
        if version and is_affected(version, adv):
            hits.append(f"{adv['ghsa']} {adv['package']} {version} < {adv['fixed']}")
    evidence = {
        "advisories": hits,
        "installed": sorted(f"{k} {v}" for k, v in installed.items()),
        "advisories_checked": len(load_advisories()),
    }
    return ("fail" if hits else "pass"), evidence


SERVER_CHECKS = (
    ("server-no-auth", _check_no_auth),
    ("server-unauthenticated-access", _check_unauthenticated_access),
    ("server-public-without-tls", _check_public_without_tls),
    ("server-remote-access-allowed", _check_remote_access),
    ("server-cors-wildcard", _check_cors),
    ("server-xsrf-disabled", _check_xsrf),
    ("server-runs-as-root", _check_root),
    ("server-vulnerable-jupyter-package", _check_advisories),
)


def check_server(settings: ServerSettings) -> dict:
    """Run every server rule on a snapshot; a scored report (kind ``server``)."""
    results = [(rule_id, *fn(settings)) for rule_id, fn in SERVER_CHECKS]
    return scoring.scored_report("server", scoring.enrich(results, "server"))


@lru_cache(maxsize=8)
def installed_versions(names: tuple[str, ...]) -> dict[str, str]:
    """Installed versions, looked up once per process: upgrades need a restart anyway."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def _pattern_text(value: Any) -> str:
    # The web app holds a compiled pattern; the trait holds its text.
    return value if isinstance(value, str) else getattr(value, "pattern", "")


def snapshot_from_server_app(server_app) -> ServerSettings:
    """The running server's effective settings (web app settings win over traits)."""
    ws = server_app.web_app.settings
    idp = server_app.identity_provider
    headers = ws.get("headers") or {}
    acao = next((v for k, v in headers.items() if k.lower() == "access-control-allow-origin"), "")
    packages = installed_versions(tuple(sorted({a["package"] for a in load_advisories()})))
    origin_pat = ws.get("allow_origin_pat", server_app.allow_origin_pat)
    return ServerSettings(
        ip=str(server_app.ip),
        port=int(server_app.port),
        certfile_set=bool(server_app.certfile),
        token_set=bool(getattr(idp, "token", "")),
        password_set=bool(getattr(idp, "hashed_password", "")),
        identity_provider=type(idp).__name__,
        auth_enabled=bool(getattr(idp, "auth_enabled", True)),
        allow_unauthenticated_access=bool(
            ws.get("allow_unauthenticated_access", server_app.allow_unauthenticated_access)
        ),
        allow_remote_access=bool(ws.get("allow_remote_access", server_app.allow_remote_access)),
        allow_origin=str(ws.get("allow_origin", server_app.allow_origin) or ""),
        allow_origin_pat=_pattern_text(origin_pat),
        allow_credentials=bool(ws.get("allow_credentials", server_app.allow_credentials)),
        allow_origin_header=str(acao or ""),
        disable_check_xsrf=bool(ws.get("disable_check_xsrf", server_app.disable_check_xsrf)),
        xsrf_cookies=bool(ws.get("xsrf_cookies", True)),
        allow_root=bool(server_app.allow_root),
        euid=os.geteuid() if hasattr(os, "geteuid") else None,
        packages=packages,
    )


def settings_evidence(settings: ServerSettings) -> dict:
    """The snapshot as JSON-ready data (for the GET response; holds no secrets)."""
    return asdict(settings)
