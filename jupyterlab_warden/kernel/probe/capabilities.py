"""Linux capability numbers and the default set a container runtime grants.

Names from linux/include/uapi/linux/capability.h; the default set is Docker's
(moby ``oci/caps/defaults.go``), which containerd and CRI-O also use.
"""

from __future__ import annotations

from typing import List, Optional

CAPABILITY_NAMES = (
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID",
    "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN",
    "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE",
    "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME",
    "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
    "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ",
    "PERFMON", "BPF", "CHECKPOINT_RESTORE",
)  # fmt: skip

DOCKER_DEFAULT = frozenset(
    {
        "CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID",
        "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE",
    }
)  # fmt: skip

# Capabilities that alone are a known path out of a container or into other processes.
ESCAPE_CAPABLE = frozenset(
    {
        "SYS_ADMIN", "SYS_PTRACE", "SYS_MODULE", "DAC_READ_SEARCH", "SYS_RAWIO", "BPF",
        "NET_ADMIN", "SYS_BOOT", "MAC_ADMIN", "MAC_OVERRIDE", "PERFMON", "SYSLOG",
    }
)  # fmt: skip

# Kernels before cap_last_cap existed (< 3.2) had at most 37 capabilities.
FALLBACK_LAST_CAP = 40


def capability_name(bit: int) -> str:
    return CAPABILITY_NAMES[bit] if bit < len(CAPABILITY_NAMES) else f"CAP_{bit}"


def decode(mask: int) -> List[str]:
    """Names of the bits set in ``mask``, in bit order."""
    names = []
    bit = 0
    while mask >> bit and bit < 64:
        if (mask >> bit) & 1:
            names.append(capability_name(bit))
        bit += 1
    return names


def full_mask(last_cap: Optional[int]) -> int:
    """Every capability the running kernel knows, from /proc/sys/kernel/cap_last_cap."""
    last = FALLBACK_LAST_CAP if last_cap is None else max(0, min(last_cap, 63))
    return (1 << (last + 1)) - 1
