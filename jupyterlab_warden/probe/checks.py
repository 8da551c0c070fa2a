"""The sandbox checks: each reads facts and files and returns pass, fail or unknown.

A check only decides a status and gathers evidence; severity, title and remediation come
from the rule catalog (``scoring.enrich``). Evidence is flat (strings, numbers, booleans,
lists of strings) and never holds a secret's value or a file's contents.
"""

from __future__ import annotations

import json
import re
from typing import Callable, Dict, List, NamedTuple, Optional, Tuple

from . import capabilities, procfs
from .events import event_evidence
from .facts import K8S_SA_DIRS, Access, Facts
from .hostview import HostView

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


class Context(NamedTuple):
    view: HostView
    facts: Facts
    access: Access


class CheckResult(NamedTuple):
    rule_id: str
    status: str
    evidence: Dict[str, object]


Check = Callable[[Context], Tuple[str, Dict[str, object]]]
CHECKS: List[Tuple[str, Check]] = []


def check(rule_id: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS.append((rule_id, fn))
        return fn

    return register


NOT_IN_CONTAINER = {"applicable": False, "reason": "no container detected (sandbox-no-container)"}


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


@check("sandbox-no-container")
def no_container(ctx: Context):
    evidence = {"runtime": ctx.facts.runtime, "signs": ctx.facts.runtime_signs}
    return (FAIL if not ctx.facts.in_container else PASS), evidence


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


@check("sandbox-no-new-privs-unset")
def no_new_privs(ctx: Context):
    value = procfs.parse_int(ctx.facts.status.get("NoNewPrivs"))
    if value is None:
        return UNKNOWN, {"reason": "no NoNewPrivs line in /proc/self/status"}
    return (FAIL if value == 0 else PASS), {"no_new_privs": bool(value)}


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


@check("sandbox-k8s-service-account-token")
def k8s_service_account_token(ctx: Context):
    for directory in K8S_SA_DIRS:
        path = directory + "/token"
        if ctx.view.exists(path):
            readable = ctx.access.readable(path)
            evidence = {"path": path, "readable": readable}
            return (FAIL if readable else PASS), evidence
    return PASS, {"path": None}


SECRET_NAME = re.compile(
    r"(^|_)(SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|APIKEY|API_KEY|ACCESS_KEY|ACCESS_KEY_ID"
    r"|PRIVATE_KEY|CREDENTIALS?|CONNECTION_STRING|SAS|SESSION_KEY|AUTH_KEY|CLIENT_SECRET)(_|$)"
)
SECRET_NAMES_EXACT = frozenset({"KAGGLE_KEY", "DATABASE_URL", "MONGO_URL", "REDIS_URL"})
# Names that look like secrets but hold paths to CA bundles or switches.
NOT_SECRET = re.compile(r"(_CA_BUNDLE|_CERT|_CAINFO|_CA_CERTS?_FILE|TOKENIZERS_PARALLELISM)$")
# Jupyter's own credentials get their own rule: they open the server or hub to the kernel.
JUPYTER_TOKEN_NAMES = ("JUPYTER_TOKEN", "JUPYTERHUB_API_TOKEN", "JPY_API_TOKEN")
URL_WITH_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^/@:]*:[^/@]+@")


def secret_env_names(environ) -> List[str]:
    names = []
    for name, value in environ.items():
        upper = name.upper()
        if not value or upper in JUPYTER_TOKEN_NAMES or NOT_SECRET.search(upper):
            continue
        if SECRET_NAME.search(upper):
            names.append(name)
        elif upper in SECRET_NAMES_EXACT or (
            upper.endswith("_URL") and URL_WITH_PASSWORD.match(value)
        ):
            names.append(name)
    return sorted(names)


@check("sandbox-secrets-in-environment")
def secrets_in_environment(ctx: Context):
    names = secret_env_names(ctx.view.environ)
    return (FAIL if names else PASS), {"variables": names[:100]}


MAX_RUNTIME_FILES = 100
RUNTIME_FILE = re.compile(r"^(jpserver|nbserver)-\d+(-open\.html|\.json)$|^kernel-[\w.-]+\.json$")


def _runtime_dirs(view: HostView) -> List[str]:
    env = view.environ
    dirs = []
    if env.get("JUPYTER_RUNTIME_DIR"):
        dirs.append(env["JUPYTER_RUNTIME_DIR"])
    if env.get("JUPYTER_DATA_DIR"):
        dirs.append(env["JUPYTER_DATA_DIR"].rstrip("/") + "/runtime")
    if env.get("XDG_DATA_HOME"):
        dirs.append(env["XDG_DATA_HOME"].rstrip("/") + "/jupyter/runtime")
    if env.get("XDG_RUNTIME_DIR"):
        dirs.append(env["XDG_RUNTIME_DIR"].rstrip("/") + "/jupyter")
    homes = [env.get("HOME", ""), "/root"] + ["/home/" + n for n in view.listdir("/home", 100)]
    dirs += [h.rstrip("/") + "/.local/share/jupyter/runtime" for h in homes if h]
    unique = []
    for d in dirs:
        if d.startswith("/") and d not in unique:
            unique.append(d)
    return unique


def _own_connection_file(view: HostView) -> Optional[str]:
    args = procfs.parse_cmdline(view.read_text("/proc/self/cmdline", 65536) or "")
    for i, arg in enumerate(args):
        if arg == "-f" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--f="):
            return arg[4:]
    return None


def _holds_credential(name: str, text: str) -> bool:
    """Does a runtime file carry a token or key? Looks at it; never returns it."""
    if name.endswith(".html"):
        return "token=" in text
    try:
        data = json.loads(text)
    except ValueError:
        return False
    if not isinstance(data, dict):
        return False
    field = "key" if name.startswith("kernel-") else "token"
    value = data.get(field)
    return isinstance(value, str) and bool(value)


@check("sandbox-jupyter-token-readable")
def jupyter_token_readable(ctx: Context):
    env_names = sorted(n for n in JUPYTER_TOKEN_NAMES if ctx.view.environ.get(n))
    own = _own_connection_file(ctx.view)
    own_name = own.rsplit("/", 1)[-1] if own else None
    files = []
    budget = MAX_RUNTIME_FILES
    for directory in _runtime_dirs(ctx.view):
        for name in ctx.view.listdir(directory, 500):
            if budget <= 0:
                break
            if not RUNTIME_FILE.match(name):
                continue
            path = directory.rstrip("/") + "/" + name
            if path == own or (name == own_name and name.startswith("kernel-")):
                continue  # the kernel's own connection file is meant for it
            if not ctx.access.readable(path):
                continue
            budget -= 1
            text = ctx.view.read_text(path, 65536)
            if text is not None and _holds_credential(name, text):
                files.append(path)
    evidence = {"environment": env_names, "files": sorted(files)[:50]}
    return (FAIL if env_names or files else PASS), evidence


OLDEST_MAINTAINED = (5, 10)


@check("sandbox-old-linux-kernel")
def old_linux_kernel(ctx: Context):
    release = (ctx.view.read_text("/proc/sys/kernel/osrelease", 256) or "").strip()
    version = procfs.parse_kernel_release(release)
    if version is None:
        return UNKNOWN, {"release": release[:100], "reason": "kernel release unreadable"}
    evidence = {"release": release[:100], "oldest_maintained": "{}.{}".format(*OLDEST_MAINTAINED)}
    return (FAIL if version < OLDEST_MAINTAINED else PASS), evidence


def run_checks(view: HostView, facts: Facts) -> List[CheckResult]:
    """Every registered check, in catalog order of registration; a crash is ``unknown``."""
    ctx = Context(view, facts, Access(view, facts))
    results = []
    for rule_id, fn in CHECKS:
        try:
            status, evidence = fn(ctx)
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
            status, evidence = UNKNOWN, {"reason": f"check failed: {type(exc).__name__}"}
        # Bounded to the event and report schemas (paths from mountinfo can be long).
        results.append(CheckResult(rule_id, status, event_evidence(evidence)))
    return results
