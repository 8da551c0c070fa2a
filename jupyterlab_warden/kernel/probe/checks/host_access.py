"""Ways out to the host: runtime sockets, host mounts, cgroup v1 release_agent, writable /."""

from __future__ import annotations

import re
from typing import Dict, List, Optional

from .. import procfs
from .base import FAIL, NOT_IN_CONTAINER, PASS, UNKNOWN, Context, check

RUNTIME_SOCKETS = (
    "/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock",
    "/var/run/containerd/containerd.sock", "/run/k3s/containerd/containerd.sock",
    "/run/crio/crio.sock", "/var/run/crio/crio.sock", "/run/podman/podman.sock",
    "/var/run/podman/podman.sock", "/var/run/cri-dockerd.sock", "/run/buildkit/buildkitd.sock",
)  # fmt: skip


def _socket_candidates(ctx: Context) -> List[str]:
    paths = list(RUNTIME_SOCKETS)
    euid = ctx.facts.euid
    if euid is not None:
        paths += [f"/run/user/{euid}/docker.sock", f"/run/user/{euid}/podman/podman.sock"]
    docker_host = ctx.view.environ.get("DOCKER_HOST", "")
    if docker_host.startswith("unix://"):
        paths.append(docker_host[len("unix://") :])
    for m in ctx.facts.mounts:
        if m.mount_point.endswith(".sock"):
            paths.append(m.mount_point)
    seen = []
    for p in paths:
        if p.startswith("/") and p not in seen:
            seen.append(p)
    return seen


@check("sandbox-runtime-socket")
def runtime_socket(ctx: Context):
    present, writable = [], []
    for path in _socket_candidates(ctx):
        if ctx.access.is_socket(path):
            present.append(path)
            if ctx.access.connectable(path):
                writable.append(path)
    evidence: Dict[str, object] = {"present": present, "writable": writable}
    if ctx.view.environ.get("DOCKER_HOST", "").startswith(("tcp://", "ssh://")):
        evidence["docker_host_remote"] = True
    return (FAIL if writable else PASS), evidence


PSEUDO_FS = frozenset(
    {
        "proc", "sysfs", "cgroup", "cgroup2", "tmpfs", "devpts", "mqueue", "securityfs",
        "debugfs", "tracefs", "pstore", "bpf", "hugetlbfs", "fusectl", "configfs", "nsfs",
        "binfmt_misc", "autofs", "efivarfs", "rpc_pipefs", "shm", "ramfs", "overlay",
    }
)  # fmt: skip
SENSITIVE_ROOTS = (
    "/etc", "/root", "/home", "/var/lib/docker", "/var/lib/containerd", "/var/lib/kubelet",
    "/var/run", "/run", "/proc", "/sys", "/boot", "/var/log", "/lib/modules", "/usr", "/dev",
)  # fmt: skip
# Paths a runtime itself binds in (hostname, resolv.conf, volumes, secrets): not host leaks.
RUNTIME_BOOKKEEPING = re.compile(r"/(containers|pods|volumes|sandboxes|overlay-containers)/")
HOSTISH_MOUNT_POINT = re.compile(r"^/(host|rootfs|node)(fs|-root|root)?(/|$)")


def _sensitive_reason(m: procfs.Mount) -> Optional[str]:
    if m.mount_point == "/":
        return None
    if m.fstype == "proc" and m.mount_point != "/proc" and not m.mount_point.startswith("/proc/"):
        return "host procfs at " + m.mount_point
    if m.fstype == "sysfs" and m.mount_point != "/sys" and not m.mount_point.startswith("/sys/"):
        return "host sysfs at " + m.mount_point
    if m.fstype == "devtmpfs":
        return "host device nodes (devtmpfs) at " + m.mount_point
    if m.fstype in PSEUDO_FS:
        return None
    if HOSTISH_MOUNT_POINT.match(m.mount_point):
        return f"host path {m.root} at {m.mount_point}"
    if RUNTIME_BOOKKEEPING.search(m.root):
        return None
    for prefix in SENSITIVE_ROOTS:
        if m.root == prefix or m.root.startswith(prefix + "/"):
            return f"host {m.root} at {m.mount_point}"
    return None


@check("sandbox-sensitive-host-mount")
def sensitive_host_mount(ctx: Context):
    if not ctx.facts.mounts:
        return UNKNOWN, {"reason": "/proc/self/mountinfo unreadable or empty"}
    if not ctx.facts.in_container:
        return PASS, dict(NOT_IN_CONTAINER)
    found = []
    for m in ctx.facts.mounts:
        reason = _sensitive_reason(m)
        if reason:
            found.append(reason + (" (read-only)" if m.read_only else " (read-write)"))
    return (FAIL if found else PASS), {"mounts": sorted(set(found))[:50]}


@check("sandbox-cgroup-release-agent")
def cgroup_release_agent(ctx: Context):
    v1 = [m for m in ctx.facts.mounts if m.fstype == "cgroup"]
    writable = []
    for m in v1:
        path = m.mount_point.rstrip("/") + "/release_agent"
        if ctx.view.exists(path) and ctx.access.writable(path):
            writable.append(path)
    evidence: Dict[str, object] = {
        "cgroup_v1_mounts": len(v1),
        "writable_release_agent": sorted(writable),
    }
    if ctx.facts.has_effective("SYS_ADMIN"):
        evidence["can_mount_cgroup"] = True  # SYS_ADMIN may mount a fresh v1 hierarchy
    return (FAIL if writable else PASS), evidence


@check("sandbox-writable-rootfs")
def writable_rootfs(ctx: Context):
    root_mounts = [m for m in ctx.facts.mounts if m.mount_point == "/"]
    if not root_mounts:
        return UNKNOWN, {"reason": "no / entry in /proc/self/mountinfo"}
    root = root_mounts[-1]
    evidence: Dict[str, object] = {"root_fstype": root.fstype, "root_read_only": root.read_only}
    if root.read_only:
        return PASS, evidence
    writable = [p for p in ("/", "/usr", "/etc") if ctx.access.writable(p)]
    evidence["writable_system_paths"] = writable
    return (FAIL if writable else PASS), evidence
