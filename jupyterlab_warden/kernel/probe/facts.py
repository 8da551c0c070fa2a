"""Facts about the kernel process read once from /proc, shared by every check.

Also the two models every check needs: which container runtime (if any) surrounds the
kernel, and whether the kernel's credentials may read or write a given path.
"""

from __future__ import annotations

import stat
from typing import Dict, List, NamedTuple, Optional, Tuple

from . import capabilities, procfs
from .hostview import HostView

RUNTIMES = ("kubernetes", "podman", "lxc", "docker", "other", "none")

K8S_SA_DIRS = (
    "/var/run/secrets/kubernetes.io/serviceaccount",
    "/run/secrets/kubernetes.io/serviceaccount",
)


class Facts(NamedTuple):
    # A NamedTuple rather than a dataclass: dataclasses imports inspect, which costs the
    # probe several milliseconds of its budget in a fresh interpreter.
    status: Dict[str, str]
    mounts: List[procfs.Mount]
    cgroups: List[procfs.CgroupEntry]
    uid_map: List[procfs.IdRange]
    uid_map_readable: bool
    cap_last_cap: Optional[int]
    runtime: str
    runtime_signs: List[str]
    uids: Optional[Tuple[int, int, int, int]]
    gids: Optional[Tuple[int, int, int, int]]
    groups: List[int]

    @property
    def euid(self) -> Optional[int]:
        return self.uids[1] if self.uids else None

    @property
    def in_container(self) -> bool:
        return self.runtime != "none"

    def cap_mask(self, name: str) -> Optional[int]:
        return procfs.parse_hex_mask(self.status.get(name))

    def has_effective(self, capability: str) -> bool:
        mask = self.cap_mask("CapEff") or 0
        bit = capabilities.CAPABILITY_NAMES.index(capability)
        return bool((mask >> bit) & 1)

    def mount_for(self, logical_path: str) -> Optional[procfs.Mount]:
        """The mount a path lives on: the last mounted of the longest matching mount points."""
        best = None
        best_len = -1
        for m in self.mounts:
            mp = m.mount_point.rstrip("/") or "/"
            if logical_path == mp or mp == "/" or logical_path.startswith(mp + "/"):
                if len(mp) >= best_len:
                    best, best_len = m, len(mp)
        return best


def gather(view: HostView) -> Facts:
    status = procfs.parse_status(view.read_text("/proc/self/status") or "")
    mounts = procfs.parse_mountinfo(view.read_text("/proc/self/mountinfo") or "")
    cgroups = procfs.parse_cgroup(view.read_text("/proc/self/cgroup") or "")
    uid_map_text = view.read_text("/proc/self/uid_map")
    runtime, signs = detect_runtime(view, mounts, cgroups)
    return Facts(
        status=status,
        mounts=mounts,
        cgroups=cgroups,
        uid_map=procfs.parse_id_map(uid_map_text or ""),
        uid_map_readable=uid_map_text is not None,
        cap_last_cap=procfs.parse_int(view.read_text("/proc/sys/kernel/cap_last_cap")),
        runtime=runtime,
        runtime_signs=signs,
        uids=procfs.parse_uid_field(status.get("Uid")),
        gids=procfs.parse_uid_field(status.get("Gid")),
        groups=procfs.parse_groups(status.get("Groups")),
    )


def detect_runtime(
    view: HostView, mounts: List[procfs.Mount], cgroups: List[procfs.CgroupEntry]
) -> Tuple[str, List[str]]:
    """Which runtime runs the kernel, and the signs that say so.

    On cgroup v2 ``/proc/self/cgroup`` is ``0::/`` and names nothing, so marker files,
    environment variables and mountinfo carry most of the weight.
    """
    found: Dict[str, List[str]] = {}

    def sign(runtime: str, what: str) -> None:
        found.setdefault(runtime, []).append(what)

    env = view.environ
    if env.get("KUBERNETES_SERVICE_HOST"):
        sign("kubernetes", "env KUBERNETES_SERVICE_HOST")
    for sa_dir in K8S_SA_DIRS:
        if view.exists(sa_dir):
            sign("kubernetes", sa_dir + " exists")
            break
    if view.exists("/run/.containerenv"):
        sign("podman", "/run/.containerenv exists")
    if view.exists("/.dockerenv"):
        sign("docker", "/.dockerenv exists")
    container_env = env.get("container", "")
    if container_env:
        runtime = container_env if container_env in ("podman", "lxc", "docker") else "other"
        sign(runtime, "env container=" + container_env[:40])
    for entry in cgroups:
        path = entry.path
        if "kubepods" in path:
            sign("kubernetes", "cgroup path names kubepods")
        elif "/docker/" in path or "/docker-" in path:
            sign("docker", "cgroup path names docker")
        elif "libpod" in path:
            sign("podman", "cgroup path names libpod")
        elif "/lxc/" in path or "lxc.payload" in path:
            sign("lxc", "cgroup path names lxc")
    for m in mounts:
        if "/docker/containers/" in m.root:
            sign("docker", "mountinfo shows /var/lib/docker/containers")
        elif "/kubelet/pods/" in m.root:
            sign("kubernetes", "mountinfo shows /var/lib/kubelet/pods")
        elif "/containers/storage/" in m.root or "overlay-containers" in m.root:
            sign("podman", "mountinfo shows containers/storage")
        if m.mount_point == "/" and m.fstype == "overlay":
            sign("other", "root filesystem is overlay")
    for runtime in RUNTIMES:
        if runtime in found:
            signs = sorted({s for signs in found.values() for s in signs})
            return runtime, signs
    return "none", []


class Access:
    """Whether the kernel's credentials (from /proc/self/status) may read or write a path.

    Modelled from the file mode, the owner, the fs uid/gids, CAP_DAC_OVERRIDE /
    CAP_DAC_READ_SEARCH and the mount's ro flag rather than asked with os.access, so fixture
    trees give the same answers as the live system. ACLs and LSM denials are not modelled.
    """

    def __init__(self, view: HostView, facts: Facts):
        self.view = view
        self.facts = facts
        self.fsuid = facts.uids[3] if facts.uids else None
        self.fsgids = set(facts.groups)
        if facts.gids:
            self.fsgids.add(facts.gids[3])

    def _mode_allows(self, st, bits: int) -> bool:
        # bits: 4 = read, 2 = write; shifted into owner/group/other positions.
        if self.fsuid is not None and st.st_uid == self.fsuid:
            return bool(st.st_mode & (bits << 6))
        if st.st_gid in self.fsgids:
            return bool(st.st_mode & (bits << 3))
        return bool(st.st_mode & bits)

    def writable(self, logical: str) -> bool:
        st = self.view.stat(logical)
        if st is None:
            return False
        mount = self.facts.mount_for(self.view.realpath(logical))
        if mount is not None and mount.read_only:
            return False
        if self.facts.has_effective("DAC_OVERRIDE"):
            return True
        return self._mode_allows(st, 2)

    def connectable(self, logical: str) -> bool:
        """May the kernel connect to a Unix socket? Needs write permission on the inode only:
        a read-only mount does not stop connect()."""
        st = self.view.stat(logical)
        if st is None or not stat.S_ISSOCK(st.st_mode):
            return False
        return self.facts.has_effective("DAC_OVERRIDE") or self._mode_allows(st, 2)

    def readable(self, logical: str) -> bool:
        st = self.view.stat(logical)
        if st is None:
            return False
        if self.facts.has_effective("DAC_OVERRIDE") or self.facts.has_effective("DAC_READ_SEARCH"):
            return True
        return self._mode_allows(st, 4)

    def is_socket(self, logical: str) -> bool:
        st = self.view.stat(logical)
        return st is not None and stat.S_ISSOCK(st.st_mode)
