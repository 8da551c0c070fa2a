"""Build fixture /proc trees (and the few other files the probe reads) for probe tests.

Two baselines: ``hardened`` (non-root in a locked-down Docker container) where every sandbox
check passes, and ``insecure`` (privileged root container with host mounts and secrets)
where every one fails. Tests start from one and change a single fact.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from jupyterlab_warden.kernel.probe import run_probe
from jupyterlab_warden.kernel.probe.capabilities import CAPABILITY_NAMES, DOCKER_DEFAULT

FULL_CAPS = "000001ffffffffff"  # 41 capabilities, cap_last_cap = 40
DOCKER_CAPS = format(sum(1 << CAPABILITY_NAMES.index(n) for n in DOCKER_DEFAULT), "016x")

HARDENED_MOUNTS = [
    "1 0 0:50 / / ro,relatime - overlay overlay ro,lowerdir=/x,upperdir=/y,workdir=/z",
    "2 1 0:51 / /proc rw,nosuid,nodev,noexec - proc proc rw",
    "3 1 0:52 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755",
    "4 1 0:53 / /sys ro,nosuid,nodev,noexec - sysfs sysfs ro",
    "5 4 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec - cgroup2 cgroup rw",
    "6 1 254:1 /var/lib/docker/containers/abc/resolv.conf /etc/resolv.conf rw - ext4 /dev/vda1 rw",
    "7 1 254:1 /var/lib/docker/containers/abc/hostname /etc/hostname rw - ext4 /dev/vda1 rw",
    "8 1 254:1 /var/lib/docker/volumes/work/_data /home/jovyan/work rw - ext4 /dev/vda1 rw",
    "9 1 0:54 / /tmp rw,nosuid,nodev - tmpfs tmpfs rw",
]

INSECURE_MOUNTS = [
    "1 0 0:50 / / rw,relatime - overlay overlay rw,lowerdir=/x,upperdir=/y,workdir=/z",
    "2 1 0:51 / /proc rw,nosuid,nodev,noexec - proc proc rw",
    "3 1 0:6 / /dev rw,nosuid - devtmpfs udev rw,size=1024k",
    "4 1 0:53 / /sys rw,nosuid,nodev,noexec - sysfs sysfs rw",
    "5 4 0:27 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755",
    "6 5 0:28 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory",
    "7 5 0:29 / /sys/fs/cgroup/pids rw,nosuid - cgroup cgroup rw,pids",
    "8 1 254:1 /run/docker.sock /var/run/docker.sock rw - ext4 /dev/vda1 rw",
    "9 1 254:1 / /host rw - ext4 /dev/vda1 rw",
    "10 1 254:1 /etc /host-etc rw - ext4 /dev/vda1 rw",
]


class ProcTree:
    def __init__(self, root: Path):
        self.root = root
        self.environ: dict = {}
        self.sockets: list = []

    def path(self, logical: str) -> Path:
        return self.root / logical.lstrip("/")

    def write(self, logical: str, text: str = "", mode: int = 0o644) -> Path:
        p = self.path(logical)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        os.chmod(p, mode)
        return p

    def remove(self, logical: str) -> None:
        p = self.path(logical)
        if p.is_dir():
            for child in sorted(p.rglob("*"), reverse=True):
                child.unlink() if not child.is_dir() else child.rmdir()
            p.rmdir()
        elif p.exists() or p.is_symlink():
            p.unlink()

    def mkdir(self, logical: str) -> Path:
        p = self.path(logical)
        p.mkdir(parents=True, exist_ok=True)
        return p

    def socket(self, logical: str, mode: int = 0o660) -> Path:
        p = self.path(logical)
        p.parent.mkdir(parents=True, exist_ok=True)
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(str(p))  # a real socket inode; nothing ever listens or connects
        s.close()
        os.chmod(p, mode)
        return p

    def status(self, **fields: str) -> None:
        current = getattr(self, "_status", {})
        current.update(fields)
        self._status = current
        self.write("/proc/self/status", "".join(f"{k}:\t{v}\n" for k, v in current.items()))

    def mountinfo(self, lines) -> None:
        self.write("/proc/self/mountinfo", "\n".join(lines) + "\n")

    def net_dev(self, names) -> None:
        head = "Inter-|   Receive\n face |bytes    packets\n"
        self.write("/proc/net/dev", head + "".join(f"  {n}: 0 0 0 0\n" for n in names))

    def run(self) -> dict:
        report = run_probe(str(self.root), self.environ)
        return {c["rule_id"]: c for c in report["checks"]}

    def report(self) -> dict:
        return run_probe(str(self.root), self.environ)


def hardened(root: Path) -> ProcTree:
    t = ProcTree(root)
    t.status(
        Name="python",
        Uid="1000\t1000\t1000\t1000",
        Gid="100\t100\t100\t100",
        Groups="100",
        CapInh="0000000000000000",
        CapPrm="0000000000000000",
        CapEff="0000000000000000",
        CapBnd=DOCKER_CAPS,
        CapAmb="0000000000000000",
        NoNewPrivs="1",
        Seccomp="2",
        Seccomp_filters="1",
    )
    t.mountinfo(HARDENED_MOUNTS)
    t.write("/proc/self/cgroup", "0::/\n")
    t.write("/proc/self/uid_map", "         0     100000      65536\n")
    t.write("/proc/self/attr/apparmor/current", "docker-default (enforce)\n")
    t.write(
        "/proc/self/cmdline",
        "python\0-m\0ipykernel_launcher\0-f\0/home/jovyan/.local/share/jupyter/runtime/kernel-own.json\0",
    )
    t.write("/proc/sys/kernel/cap_last_cap", "40\n")
    t.write("/proc/sys/kernel/osrelease", "6.8.0-45-generic\n")
    t.write("/proc/meminfo", "MemTotal:       16384000 kB\nMemFree: 1 kB\n")
    t.write("/proc/1/comm", "tini\n")
    t.net_dev(["lo", "eth0"])
    t.write("/.dockerenv", "", 0o755)
    t.mkdir("/sys/fs/cgroup")
    t.write("/sys/fs/cgroup/memory.max", "536870912\n")
    t.write("/sys/fs/cgroup/pids.max", "256\n")
    t.mkdir("/usr")
    t.mkdir("/etc")
    os.chmod(t.path("/usr"), 0o755)
    os.chmod(t.path("/etc"), 0o755)
    os.chmod(t.root, 0o755)
    runtime = "/home/jovyan/.local/share/jupyter/runtime"
    t.write(runtime + "/kernel-own.json", '{"key": "own-kernel-key"}', 0o600)
    t.environ = {
        "HOME": "/home/jovyan",
        "PATH": "/usr/bin",
        "AWS_CA_BUNDLE": "/etc/ssl/ca.pem",
        "TOKENIZERS_PARALLELISM": "false",
        "JUPYTER_TOKEN": "",
        "PWD": "/home/jovyan",
    }
    return t


def insecure(root: Path) -> ProcTree:
    t = hardened(root)
    t.status(
        Uid="0\t0\t0\t0",
        Gid="0\t0\t0\t0",
        Groups="0",
        CapPrm=FULL_CAPS,
        CapEff=FULL_CAPS,
        CapBnd=FULL_CAPS,
        NoNewPrivs="0",
        Seccomp="0",
        Seccomp_filters="0",
    )
    t.mountinfo(INSECURE_MOUNTS)
    t.write("/proc/self/cgroup", "7:pids:/docker/abc\n6:memory:/docker/abc\n0::/\n")
    t.write("/proc/self/uid_map", "         0          0 4294967295\n")
    t.write("/proc/self/attr/apparmor/current", "unconfined\n")
    t.write("/proc/sys/kernel/osrelease", "4.15.0-213-generic\n")
    t.write("/proc/2/comm", "kthreadd\n")
    t.net_dev(["lo", "eth0", "docker0", "veth1a2b3c"])
    t.remove("/sys/fs/cgroup/memory.max")
    t.remove("/sys/fs/cgroup/pids.max")
    t.write("/sys/fs/cgroup/memory/release_agent", "", 0o644)
    t.write("/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n")
    t.write("/sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes", "9223372036854771712\n")
    t.mkdir("/sys/fs/cgroup/pids/docker/abc")
    t.write("/sys/fs/cgroup/pids/docker/abc/pids.max", "max\n")
    t.socket("/var/run/docker.sock")
    t.write("/var/run/secrets/kubernetes.io/serviceaccount/token", "not-read", 0o644)
    runtime = "/home/jovyan/.local/share/jupyter/runtime"
    t.write(runtime + "/jpserver-4242.json", '{"token": "server-token", "port": 8888}', 0o600)
    t.write(runtime + "/kernel-0c3f.json", '{"key": "other-kernel-key"}', 0o600)
    t.environ.update(
        {
            "AWS_SECRET_ACCESS_KEY": "AKIA-not-a-real-secret",
            "HF_TOKEN": "hf_not_real",
            "DATABASE_URL": "postgres://u:p@db/x",
            "JUPYTER_TOKEN": "the-server-token",
            "KUBERNETES_SERVICE_HOST": "10.0.0.1",
        }
    )
    return t
