"""Who the kernel runs as and what it may do: uid, capabilities, no_new_privs, user namespace."""

from __future__ import annotations

from typing import Dict

from .. import capabilities, procfs
from .base import FAIL, NOT_IN_CONTAINER, PASS, UNKNOWN, Context, check


@check("kernel-runs-as-root")
def runs_as_root(ctx: Context):
    euid = ctx.facts.euid
    if euid is None:
        return UNKNOWN, {"reason": "Uid line of /proc/self/status unreadable"}
    evidence: Dict[str, object] = {"euid": euid}
    if ctx.facts.uid_map and euid == 0:
        host_uid = procfs.map_to_outside(ctx.facts.uid_map, 0)
        evidence["host_uid"] = -1 if host_uid is None else host_uid
    return (FAIL if euid == 0 else PASS), evidence


@check("sandbox-dangerous-capabilities")
def dangerous_capabilities(ctx: Context):
    masks = [ctx.facts.cap_mask(n) for n in ("CapEff", "CapPrm", "CapAmb")]
    if masks[0] is None:
        return UNKNOWN, {"reason": "CapEff of /proc/self/status unreadable"}
    held = 0
    for mask in masks:
        held |= mask or 0
    names = capabilities.decode(held)
    extra = sorted(n for n in names if n not in capabilities.DOCKER_DEFAULT)
    evidence = {
        "effective": capabilities.decode(masks[0]),
        "beyond_container_default": extra,
        "escape_capable": sorted(n for n in extra if n in capabilities.ESCAPE_CAPABLE),
    }
    return (FAIL if extra else PASS), evidence


@check("sandbox-privileged-container")
def privileged_container(ctx: Context):
    bounding = ctx.facts.cap_mask("CapBnd")
    if bounding is None:
        return UNKNOWN, {"reason": "CapBnd of /proc/self/status unreadable"}
    if ctx.facts.cap_last_cap is None:
        return UNKNOWN, {"reason": "/proc/sys/kernel/cap_last_cap unreadable"}
    full = capabilities.full_mask(ctx.facts.cap_last_cap)
    missing = capabilities.decode(full & ~bounding)
    evidence: Dict[str, object] = {
        "cap_last_cap": ctx.facts.cap_last_cap,
        "bounding_set_full": not missing,
        "missing_from_bounding_set": missing,
    }
    if not ctx.facts.in_container:
        # A host process always has the full bounding set; that says nothing here.
        evidence.update(NOT_IN_CONTAINER)
        return PASS, evidence
    return (FAIL if not missing else PASS), evidence


@check("sandbox-no-new-privs-unset")
def no_new_privs(ctx: Context):
    value = procfs.parse_int(ctx.facts.status.get("NoNewPrivs"))
    if value is None:
        return UNKNOWN, {"reason": "no NoNewPrivs line in /proc/self/status"}
    return (FAIL if value == 0 else PASS), {"no_new_privs": bool(value)}


@check("sandbox-no-user-namespace")
def user_namespace(ctx: Context):
    facts = ctx.facts
    if not facts.uid_map_readable:
        return UNKNOWN, {"reason": "/proc/self/uid_map unreadable"}
    identity = procfs.is_identity_map(facts.uid_map)
    evidence: Dict[str, object] = {
        "initial_user_namespace": identity,
        "uid_map": [f"{r.inside} {r.outside} {r.count}" for r in facts.uid_map[:10]],
    }
    if facts.euid != 0:
        evidence["reason"] = "kernel does not run as uid 0"
        return PASS, evidence
    return (FAIL if identity else PASS), evidence
