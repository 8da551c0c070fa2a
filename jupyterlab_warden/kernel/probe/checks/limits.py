"""Resource limits on the kernel's cgroup: memory and number of processes (cgroup v1 and v2)."""

from __future__ import annotations

from typing import Dict, Optional, Tuple

from .. import procfs
from ..facts import Facts
from .base import FAIL, PASS, UNKNOWN, Context, check

UNLIMITED_V1 = 1 << 60  # cgroup v1 reports "no limit" as a page-rounded LONG_MAX


def _cgroup_location(facts: Facts, controller: str) -> Optional[Tuple[procfs.Mount, str, bool]]:
    """(mount, cgroup path relative to it, is_v1) of the hierarchy holding ``controller``."""
    for entry in facts.cgroups:
        if controller in entry.controllers:
            for m in facts.mounts:
                if m.fstype == "cgroup" and controller in m.super_options:
                    return m, _relative(entry.path, m.root), True
    for entry in facts.cgroups:
        if entry.hierarchy == 0 and not entry.controllers:
            v2 = [m for m in facts.mounts if m.fstype == "cgroup2"]
            v2.sort(key=lambda m: m.mount_point != "/sys/fs/cgroup")
            if v2:
                return v2[0], _relative(entry.path, v2[0].root), False
    return None


def _relative(path: str, mount_root: str) -> str:
    if mount_root == "/":
        return path
    if path == mount_root or path.startswith(mount_root.rstrip("/") + "/"):
        return path[len(mount_root.rstrip("/")) :] or "/"
    return "/"  # inside a cgroup namespace the mount root is our own cgroup


def cgroup_limit(ctx: Context, controller: str, v1_file: str, v2_file: str):
    """The tightest limit on the kernel's cgroup and its ancestors.

    Returns (limit or None for unlimited, evidence) or None when the hierarchy is not
    visible at all.
    """
    location = _cgroup_location(ctx.facts, controller)
    if location is None:
        return None
    mount, rel, is_v1 = location
    filename = v1_file if is_v1 else v2_file
    base = mount.mount_point.rstrip("/")
    parts = [p for p in rel.split("/") if p and p != ".."]
    limit = None
    seen_dir = False
    where = None
    for depth in range(len(parts), -1, -1):
        directory = base + "/" + "/".join(parts[:depth]) if depth else (base or "/")
        if ctx.view.stat(directory) is None:
            continue
        seen_dir = True
        text = ctx.view.read_text(directory.rstrip("/") + "/" + filename, 64)
        if text is None:
            continue
        value = procfs.parse_int(text)
        if value is None or (is_v1 and value >= UNLIMITED_V1):
            continue  # "max" or the v1 sentinel: no limit at this level
        if limit is None or value < limit:
            limit, where = value, directory
    if not seen_dir:
        return None
    evidence: Dict[str, object] = {
        "cgroup_version": 1 if is_v1 else 2,
        "cgroup": rel,
        "limit": -1 if limit is None else limit,
    }
    if where:
        evidence["limited_at"] = where
    return limit, evidence


@check("sandbox-no-memory-limit")
def memory_limit(ctx: Context):
    result = cgroup_limit(ctx, "memory", "memory.limit_in_bytes", "memory.max")
    if result is None:
        return UNKNOWN, {"reason": "memory cgroup not visible"}
    limit, evidence = result
    total = procfs.parse_meminfo_total(ctx.view.read_text("/proc/meminfo") or "")
    if total is not None:
        evidence["host_memory"] = total
    if limit is None:
        return FAIL, evidence
    # A limit at or above the machine's memory bounds nothing.
    return (FAIL if total is not None and limit >= total else PASS), evidence


@check("sandbox-no-pids-limit")
def pids_limit(ctx: Context):
    result = cgroup_limit(ctx, "pids", "pids.max", "pids.max")
    if result is None:
        return UNKNOWN, {"reason": "pids cgroup not visible"}
    limit, evidence = result
    return (FAIL if limit is None else PASS), evidence
