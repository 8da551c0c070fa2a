"""Parsers for the /proc files the probe reads. Pure functions over text, never raising.

Each parser takes whatever the file held (possibly truncated, binary or empty) and returns
the best structured value it can, or an empty value. The probe treats every file as
untrusted input: a container can ship a doctored /proc view, and a fuzz test feeds these
functions random bytes.
"""

from __future__ import annotations

import re
from typing import Dict, List, NamedTuple, Optional, Tuple


def parse_status(text: str) -> Dict[str, str]:
    """``/proc/self/status`` as ``{"CapEff": "000001ff...", "Seccomp": "2", ...}``."""
    fields: Dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key and " " not in key:
            fields[key] = value.strip()
    return fields


def parse_hex_mask(value: Optional[str]) -> Optional[int]:
    """A capability mask like ``000001fffeffffff``; None when absent or malformed."""
    if not value:
        return None
    value = value.strip()
    if not value or len(value) > 32:
        return None
    try:
        return int(value, 16)
    except ValueError:
        return None


def parse_int(value: Optional[str]) -> Optional[int]:
    """A decimal field (``Seccomp: 2``, ``cap_last_cap``); None when absent or malformed."""
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > 32:
        return None
    try:
        return int(value, 10)
    except ValueError:
        return None


def parse_uid_field(value: Optional[str]) -> Optional[Tuple[int, int, int, int]]:
    """``Uid:`` / ``Gid:`` of status: real, effective, saved, filesystem ids."""
    if not value:
        return None
    parts = value.split()
    if len(parts) != 4:
        return None
    ids = [parse_int(p) for p in parts]
    if any(i is None for i in ids):
        return None
    return (ids[0], ids[1], ids[2], ids[3])  # type: ignore[return-value]


def parse_groups(value: Optional[str]) -> List[int]:
    """``Groups:`` of status: supplementary group ids."""
    groups = []
    for part in (value or "").split():
        gid = parse_int(part)
        if gid is not None:
            groups.append(gid)
    return groups


class Mount(NamedTuple):
    """One line of /proc/self/mountinfo (see proc(5))."""

    mount_id: int
    root: str  # the path inside the mounted filesystem that is mounted here
    mount_point: str
    options: Tuple[str, ...]  # per-mount options (rw/ro, nosuid, ...)
    fstype: str
    source: str
    super_options: Tuple[str, ...]  # per-superblock options (cgroup controllers live here)

    @property
    def read_only(self) -> bool:
        return "ro" in self.options or "ro" in self.super_options


def _unescape_octal(field: str) -> str:
    # mountinfo escapes space, tab, newline and backslash as \040 \011 \012 \134.
    if "\\" not in field:
        return field
    out = []
    i = 0
    while i < len(field):
        chunk = field[i + 1 : i + 4]
        if field[i] == "\\" and len(chunk) == 3 and all(c in "01234567" for c in chunk):
            out.append(chr(int(chunk, 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def parse_mountinfo(text: str) -> List[Mount]:
    """``/proc/self/mountinfo``; malformed lines are skipped."""
    mounts = []
    for line in text.splitlines():
        left, sep, right = line.partition(" - ")
        if not sep:
            continue
        lparts = left.split()
        rparts = right.split()
        if len(lparts) < 6 or len(rparts) < 2:
            continue
        mount_id = parse_int(lparts[0])
        if mount_id is None:
            continue
        mounts.append(
            Mount(
                mount_id=mount_id,
                root=_unescape_octal(lparts[3]),
                mount_point=_unescape_octal(lparts[4]),
                options=tuple(lparts[5].split(",")),
                fstype=rparts[0],
                source=_unescape_octal(rparts[1]),
                super_options=tuple(rparts[2].split(",")) if len(rparts) > 2 else (),
            )
        )
    return mounts


class CgroupEntry(NamedTuple):
    """One line of /proc/self/cgroup: hierarchy id, controllers (empty for v2), path."""

    hierarchy: int
    controllers: Tuple[str, ...]
    path: str


def parse_cgroup(text: str) -> List[CgroupEntry]:
    """``/proc/self/cgroup``. On cgroup v2 it is the single line ``0::/path``."""
    entries = []
    for line in text.splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        hierarchy = parse_int(parts[0])
        if hierarchy is None or not parts[2].startswith("/"):
            continue
        controllers = tuple(c for c in parts[1].split(",") if c)
        entries.append(CgroupEntry(hierarchy, controllers, parts[2]))
    return entries


class IdRange(NamedTuple):
    """One line of /proc/self/uid_map: ids inside, ids outside, how many."""

    inside: int
    outside: int
    count: int


def parse_id_map(text: str) -> List[IdRange]:
    """``/proc/self/uid_map`` or ``gid_map``."""
    ranges = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        values = [parse_int(p) for p in parts]
        if any(v is None or v < 0 for v in values):
            continue
        ranges.append(IdRange(values[0], values[1], values[2]))  # type: ignore[arg-type]
    return ranges


def is_identity_map(ranges: List[IdRange]) -> bool:
    """The initial user namespace maps every id to itself: ``0 0 4294967295``."""
    return len(ranges) == 1 and ranges[0] == IdRange(0, 0, 4294967295)


def map_to_outside(ranges: List[IdRange], inside_id: int) -> Optional[int]:
    """The host id behind ``inside_id``, or None when it is not mapped."""
    for r in ranges:
        if r.inside <= inside_id < r.inside + r.count:
            return r.outside + (inside_id - r.inside)
    return None


def parse_net_dev(text: str) -> List[str]:
    """Interface names from ``/proc/net/dev`` (two header lines, then ``name: counters``)."""
    names = []
    for line in text.splitlines()[2:]:
        name, sep, _ = line.partition(":")
        name = name.strip()
        if sep and name and " " not in name:
            names.append(name)
    return names


def parse_meminfo_total(text: str) -> Optional[int]:
    """MemTotal of ``/proc/meminfo`` in bytes."""
    for line in text.splitlines():
        if line.startswith("MemTotal:"):
            parts = line.split()
            if len(parts) >= 2:
                kib = parse_int(parts[1])
                if kib is not None:
                    return kib * 1024
    return None


def parse_cmdline(data: str) -> List[str]:
    """``/proc/self/cmdline``: NUL-separated arguments."""
    return [arg for arg in data.split("\0") if arg]


def parse_kernel_release(text: str) -> Optional[Tuple[int, int]]:
    """(major, minor) of a release string like ``6.8.0-45-generic``."""
    head = text.strip().split("-", 1)[0].split("+", 1)[0]
    parts = head.split(".")
    if len(parts) < 2:
        return None
    leading = re.match(r"\d+", parts[1])
    major, minor = parse_int(parts[0]), parse_int(leading.group(0) if leading else None)
    if major is None or minor is None:
        return None
    return (major, minor)


def parse_lsm_label(text: str) -> str:
    """The label in ``/proc/self/attr/current``: NULs and trailing newline stripped."""
    return text.replace("\0", "").strip()
