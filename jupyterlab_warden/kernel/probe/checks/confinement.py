"""What confines the kernel: a container, seccomp, an LSM profile, its own namespaces."""

from __future__ import annotations

from typing import Dict

from .. import procfs
from .base import FAIL, NOT_IN_CONTAINER, PASS, UNKNOWN, Context, check


@check("sandbox-no-container")
def no_container(ctx: Context):
    evidence = {"runtime": ctx.facts.runtime, "signs": ctx.facts.runtime_signs}
    return (FAIL if not ctx.facts.in_container else PASS), evidence


@check("sandbox-seccomp-disabled")
def seccomp_disabled(ctx: Context):
    mode = procfs.parse_int(ctx.facts.status.get("Seccomp"))
    if mode is None:
        return UNKNOWN, {"reason": "no Seccomp line in /proc/self/status"}
    names = {0: "disabled", 1: "strict", 2: "filter"}
    evidence = {"seccomp_mode": names.get(mode, str(mode))}
    filters = procfs.parse_int(ctx.facts.status.get("Seccomp_filters"))
    if filters is not None:
        evidence["filters"] = filters  # type: ignore[assignment]
    return (FAIL if mode == 0 else PASS), evidence


SELINUX_UNCONFINED = ("unconfined_t", "spc_t", "kernel_t", "initrc_t", "unconfined_service_t")


@check("sandbox-no-lsm-profile")
def lsm_profile(ctx: Context):
    view = ctx.view
    label, err = view.read("/proc/self/attr/apparmor/current", 4096)
    source = "apparmor"
    if label is None:
        label, err = view.read("/proc/self/attr/current", 4096)
        source = "attr/current"
    if label is None:
        if err in (1, 13):  # EPERM, EACCES: a label may exist that we may not read
            return UNKNOWN, {"reason": "LSM label unreadable (permission denied)"}
        return FAIL, {"lsm": "none", "reason": "no AppArmor or SELinux label for this process"}
    label = procfs.parse_lsm_label(label)[:200]
    if not label:
        return FAIL, {"lsm": "none", "reason": "empty LSM label"}
    if label.count(":") >= 2 and source == "attr/current":
        # SELinux context user:role:type:level
        selinux_type = label.split(":")[2]
        enforce = procfs.parse_int(view.read_text("/sys/fs/selinux/enforce", 16))
        evidence = {"lsm": "selinux", "label": label, "type": selinux_type}
        if enforce is not None:
            evidence["enforcing"] = bool(enforce)  # type: ignore[assignment]
        confined = selinux_type not in SELINUX_UNCONFINED and enforce != 0
        return (PASS if confined else FAIL), evidence
    evidence = {"lsm": "apparmor", "label": label}
    if label == "unconfined" or label.endswith("(complain)") or label.endswith("(unconfined)"):
        return FAIL, evidence
    return PASS, evidence


@check("sandbox-host-pid-namespace")
def host_pid_namespace(ctx: Context):
    view = ctx.view
    pid2 = (view.read_text("/proc/2/comm", 256) or "").strip()
    pid1 = (view.read_text("/proc/1/comm", 256) or "").strip()
    evidence: Dict[str, object] = {"pid1": pid1[:64], "pid2": pid2[:64]}
    if not ctx.facts.in_container:
        evidence.update(NOT_IN_CONTAINER)
        return PASS, evidence
    # Kernel threads (kthreadd is PID 2) are only visible from the host's PID namespace.
    return (FAIL if pid2 == "kthreadd" else PASS), evidence


HOST_INTERFACE_PREFIXES = (
    "docker", "cni", "cbr", "flannel", "cali", "vxlan", "virbr", "br-", "veth", "wlan", "wlp",
    "enp", "ens", "eno", "weave", "kube-", "cilium", "lxcbr", "lxdbr", "podman", "tunl",
)  # fmt: skip


@check("sandbox-host-network-namespace")
def host_network_namespace(ctx: Context):
    text = ctx.view.read_text("/proc/net/dev")
    if text is None:
        return UNKNOWN, {"reason": "/proc/net/dev unreadable"}
    names = procfs.parse_net_dev(text)
    hostish = sorted(n for n in names if n.startswith(HOST_INTERFACE_PREFIXES))
    evidence: Dict[str, object] = {"interfaces": names[:50], "host_interfaces": hostish[:50]}
    if not ctx.facts.in_container:
        evidence.update(NOT_IN_CONTAINER)
        return PASS, evidence
    return (FAIL if hostish else PASS), evidence
