"""Every sandbox check against fixture /proc trees, in its passing and its failing state."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from jupyterlab_warden.kernel.contracts import load_contract, rule_catalog
from jupyterlab_warden.kernel.probe.checks import CHECKS

from .proctree import (
    DOCKER_CAPS,
    FULL_CAPS,
    HARDENED_MOUNTS,
    INSECURE_MOUNTS,
    ProcTree,
    hardened,
    insecure,
)

SANDBOX_RULES = sorted(r for r, rule in rule_catalog().items() if rule["layer"] == "sandbox")


def test_every_sandbox_rule_has_a_check_and_back():
    assert sorted(rule_id for rule_id, _ in CHECKS) == SANDBOX_RULES


@pytest.mark.parametrize("rule_id", [r for r in SANDBOX_RULES if r != "sandbox-no-container"])
def test_hardened_container_passes(tmp_path, rule_id):
    check = hardened(tmp_path).run()[rule_id]
    assert check["status"] == "pass", check


@pytest.mark.parametrize("rule_id", [r for r in SANDBOX_RULES if r != "sandbox-no-container"])
def test_insecure_container_fails(tmp_path, rule_id):
    check = insecure(tmp_path).run()[rule_id]
    assert check["status"] == "fail", check


def bare_host(tmp_path) -> ProcTree:
    """A process straight on a host: no container signs at all."""
    t = hardened(tmp_path)
    t.remove("/.dockerenv")
    t.mountinfo(
        ["1 0 254:1 / / rw,relatime - ext4 /dev/vda1 rw", "2 1 0:5 / /proc rw - proc proc rw"]
    )
    return t


def test_runtime_none_fails_no_container_and_skips_container_only_checks(tmp_path):
    t = bare_host(tmp_path)
    t.status(CapBnd=FULL_CAPS)
    t.write("/proc/2/comm", "kthreadd\n")
    t.net_dev(["lo", "enp3s0", "docker0"])
    checks = t.run()
    assert checks["sandbox-no-container"]["status"] == "fail"
    assert checks["sandbox-no-container"]["evidence"]["runtime"] == "none"
    for rule in (
        "sandbox-privileged-container",
        "sandbox-host-pid-namespace",
        "sandbox-host-network-namespace",
        "sandbox-sensitive-host-mount",
    ):
        assert checks[rule]["status"] == "pass"
        assert checks[rule]["evidence"]["applicable"] is False


@pytest.mark.parametrize(
    "setup, runtime",
    [
        (lambda t: None, "docker"),
        (lambda t: (t.remove("/.dockerenv"), t.write("/run/.containerenv", "")), "podman"),
        (lambda t: t.environ.update(KUBERNETES_SERVICE_HOST="10.0.0.1"), "kubernetes"),
        (lambda t: (t.remove("/.dockerenv"), t.environ.update(container="lxc")), "lxc"),
        (
            lambda t: (
                t.remove("/.dockerenv"),
                t.write("/proc/self/cgroup", "4:memory:/lxc/box\n"),
            ),
            "lxc",
        ),
        (
            lambda t: (
                t.remove("/.dockerenv"),
                t.write("/proc/self/cgroup", "4:memory:/kubepods/burstable/pod1/x\n"),
            ),
            "kubernetes",
        ),
        (lambda t: (t.remove("/.dockerenv"), t.mountinfo(HARDENED_MOUNTS[:1])), "other"),
    ],
)
def test_runtime_detection(tmp_path, setup, runtime):
    t = hardened(tmp_path)
    setup(t)
    report = t.report()
    assert report["summary"]["runtime"] == runtime
    assert report["checks"][1]["evidence"]["signs"]


def test_docker_detected_on_cgroup_v2_from_mountinfo_alone(tmp_path):
    t = hardened(tmp_path)
    t.remove("/.dockerenv")
    t.mountinfo([m.replace("overlay overlay", "ext4 /dev/vda") for m in HARDENED_MOUNTS])
    assert t.report()["summary"]["runtime"] == "docker"


def test_root_in_user_namespace_reports_host_uid(tmp_path):
    t = hardened(tmp_path)
    t.status(Uid="0\t0\t0\t0")
    checks = t.run()
    assert checks["kernel-runs-as-root"]["status"] == "fail"
    assert checks["kernel-runs-as-root"]["evidence"]["host_uid"] == 100000
    assert checks["sandbox-no-user-namespace"]["status"] == "pass"


def test_capabilities_within_docker_default_pass_and_extra_ones_are_named(tmp_path):
    t = hardened(tmp_path)
    t.status(CapEff=DOCKER_CAPS, CapPrm=DOCKER_CAPS)
    assert t.run()["sandbox-dangerous-capabilities"]["status"] == "pass"
    sys_admin = 1 << 21
    t.status(CapEff=format(int(DOCKER_CAPS, 16) | sys_admin, "016x"))
    check = t.run()["sandbox-dangerous-capabilities"]
    assert check["status"] == "fail"
    assert check["evidence"]["beyond_container_default"] == ["SYS_ADMIN"]
    assert check["evidence"]["escape_capable"] == ["SYS_ADMIN"]


def test_privileged_uses_cap_last_cap(tmp_path):
    t = hardened(tmp_path)
    t.status(CapBnd="0000003fffffffff")  # 38 capabilities: full on an older kernel
    t.write("/proc/sys/kernel/cap_last_cap", "37\n")
    assert t.run()["sandbox-privileged-container"]["status"] == "fail"
    t.write("/proc/sys/kernel/cap_last_cap", "40\n")  # same mask, newer kernel: not full
    check = t.run()["sandbox-privileged-container"]
    assert check["status"] == "pass"
    assert check["evidence"]["missing_from_bounding_set"] == [
        "PERFMON",
        "BPF",
        "CHECKPOINT_RESTORE",
    ]
    t.remove("/proc/sys/kernel/cap_last_cap")
    assert t.run()["sandbox-privileged-container"]["status"] == "unknown"


def test_seccomp_strict_passes_and_missing_line_is_unknown(tmp_path):
    t = hardened(tmp_path)
    t.status(Seccomp="1")
    assert t.run()["sandbox-seccomp-disabled"]["evidence"]["seccomp_mode"] == "strict"
    t._status.pop("Seccomp")
    t.status()
    assert t.run()["sandbox-seccomp-disabled"]["status"] == "unknown"


def test_no_new_privs_missing_is_unknown(tmp_path):
    t = hardened(tmp_path)
    t._status.pop("NoNewPrivs")
    t.status()
    assert t.run()["sandbox-no-new-privs-unset"]["status"] == "unknown"


@pytest.mark.parametrize(
    "label, status",
    [
        ("docker-default (enforce)", "pass"),
        ("cri-containerd.apparmor.d (enforce)", "pass"),
        ("unconfined", "fail"),
        ("docker-default (complain)", "fail"),
    ],
)
def test_apparmor_labels(tmp_path, label, status):
    t = hardened(tmp_path)
    t.write("/proc/self/attr/apparmor/current", label + "\n")
    assert t.run()["sandbox-no-lsm-profile"]["status"] == status


@pytest.mark.parametrize(
    "context, enforce, status",
    [
        ("system_u:system_r:container_t:s0:c1,c2", "1", "pass"),
        ("system_u:system_r:spc_t:s0", "1", "fail"),
        ("system_u:system_r:container_t:s0:c1,c2", "0", "fail"),
        ("unconfined_u:unconfined_r:unconfined_t:s0", "1", "fail"),
    ],
)
def test_selinux_contexts(tmp_path, context, enforce, status):
    t = hardened(tmp_path)
    t.remove("/proc/self/attr/apparmor/current")
    t.write("/proc/self/attr/current", context + "\0")
    t.write("/sys/fs/selinux/enforce", enforce)
    check = t.run()["sandbox-no-lsm-profile"]
    assert check["status"] == status
    assert check["evidence"]["lsm"] == "selinux"


def test_no_lsm_label_fails(tmp_path):
    t = hardened(tmp_path)
    t.remove("/proc/self/attr/apparmor/current")
    assert t.run()["sandbox-no-lsm-profile"]["evidence"]["lsm"] == "none"


def test_host_network_interfaces_named(tmp_path):
    t = hardened(tmp_path)
    t.net_dev(["lo", "eth0", "cni0", "flannel.1"])
    check = t.run()["sandbox-host-network-namespace"]
    assert check["status"] == "fail"
    assert check["evidence"]["host_interfaces"] == ["cni0", "flannel.1"]
    t.remove("/proc/net/dev")
    assert t.run()["sandbox-host-network-namespace"]["status"] == "unknown"


def test_runtime_socket_present_but_not_writable_passes(tmp_path):
    t = hardened(tmp_path)  # uid 1000, no capabilities
    t.socket("/run/containerd/containerd.sock", 0o660)  # owned by root:root
    check = t.run()["sandbox-runtime-socket"]
    assert check["status"] == "pass"
    assert check["evidence"]["present"] == ["/run/containerd/containerd.sock"]
    t.status(Groups="100 0")  # member of the socket's group
    assert t.run()["sandbox-runtime-socket"]["status"] == "fail"


def test_runtime_socket_from_docker_host_and_mountinfo(tmp_path):
    t = hardened(tmp_path)
    t.socket("/srv/d.sock", 0o666)
    t.environ["DOCKER_HOST"] = "unix:///srv/d.sock"
    assert t.run()["sandbox-runtime-socket"]["evidence"]["writable"] == ["/srv/d.sock"]
    t.environ.pop("DOCKER_HOST")
    t.socket("/x/podman.sock", 0o666)
    t.mountinfo(
        HARDENED_MOUNTS
        + ["20 1 254:1 /run/podman/podman.sock /x/podman.sock rw - ext4 /dev/vda1 rw"]
    )
    assert t.run()["sandbox-runtime-socket"]["evidence"]["writable"] == ["/x/podman.sock"]


def test_runtime_socket_is_never_connected(tmp_path):
    # A bound but not listening socket: connecting would fail with ECONNREFUSED. The
    # check passes without error, which shows it only looks at the inode.
    t = hardened(tmp_path)
    t.socket("/var/run/docker.sock", 0o666)
    assert t.run()["sandbox-runtime-socket"]["status"] == "fail"


def test_sensitive_mounts_reasons(tmp_path):
    checks = insecure(tmp_path).run()
    mounts = checks["sandbox-sensitive-host-mount"]["evidence"]["mounts"]
    assert "host path / at /host (read-write)" in mounts
    assert "host /etc at /host-etc (read-write)" in mounts
    assert "host device nodes (devtmpfs) at /dev (read-write)" in mounts


def test_kubernetes_volume_mounts_are_not_host_leaks(tmp_path):
    t = hardened(tmp_path)
    t.mountinfo(
        HARDENED_MOUNTS
        + [
            "30 1 254:1 /var/lib/kubelet/pods/u1/etc-hosts /etc/hosts rw - ext4 /dev/vda1 rw",
            "31 1 0:60 / /var/run/secrets/kubernetes.io/serviceaccount ro - tmpfs tmpfs ro",
            "32 1 0:61 /home/data /data ro - nfs4 server:/export ro",
            "33 1 0:62 / /host/proc ro - proc proc ro",
        ]
    )
    check = t.run()["sandbox-sensitive-host-mount"]
    assert check["evidence"]["mounts"] == [
        "host /home/data at /data (read-only)",
        "host procfs at /host/proc (read-only)",
    ]


def test_release_agent_on_read_only_cgroup_mount_passes(tmp_path):
    t = insecure(tmp_path)
    lines = [
        m.replace("/sys/fs/cgroup/memory rw,", "/sys/fs/cgroup/memory ro,") for m in INSECURE_MOUNTS
    ]
    t.mountinfo(lines)
    check = t.run()["sandbox-cgroup-release-agent"]
    assert check["status"] == "pass"
    assert check["evidence"]["cgroup_v1_mounts"] == 2


def test_writable_rootfs_needs_write_access_not_just_rw_mount(tmp_path):
    t = hardened(tmp_path)
    t.mountinfo(["1 0 0:50 / / rw - overlay overlay rw"])
    check = t.run()["sandbox-writable-rootfs"]
    assert check["status"] == "pass"  # rw mount, but uid 1000 cannot write /, /usr, /etc
    assert check["evidence"]["root_read_only"] is False
    os.chmod(t.path("/usr"), 0o777)
    assert t.run()["sandbox-writable-rootfs"]["evidence"]["writable_system_paths"] == ["/usr"]


def test_memory_limit_v2_walks_ancestors_and_compares_with_host_memory(tmp_path):
    t = hardened(tmp_path)
    t.write("/proc/self/cgroup", "0::/user.slice/jupyter/kernel\n")
    t.mountinfo(
        [
            "1 0 0:50 / / ro - overlay overlay ro",
            "5 1 0:26 / /sys/fs/cgroup ro - cgroup2 cgroup2 rw",
        ]
    )
    t.write("/sys/fs/cgroup/user.slice/jupyter/kernel/memory.max", "max\n")
    t.write("/sys/fs/cgroup/user.slice/jupyter/memory.max", "1073741824\n")
    t.write("/sys/fs/cgroup/user.slice/memory.max", "max\n")
    t.remove("/sys/fs/cgroup/memory.max")  # the baseline's namespace-root limit
    check = t.run()["sandbox-no-memory-limit"]
    assert check["status"] == "pass"
    assert check["evidence"]["limit"] == 1073741824
    t.write("/sys/fs/cgroup/user.slice/jupyter/memory.max", str(64 * 1024**3))  # > MemTotal
    assert t.run()["sandbox-no-memory-limit"]["status"] == "fail"


def test_memory_limit_v1_finite(tmp_path):
    t = insecure(tmp_path)
    t.write("/sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes", "2147483648\n")
    check = t.run()["sandbox-no-memory-limit"]
    assert check["status"] == "pass"
    assert check["evidence"]["cgroup_version"] == 1


def test_cgroup_not_visible_is_unknown(tmp_path):
    t = hardened(tmp_path)
    t.remove("/proc/self/cgroup")
    checks = t.run()
    assert checks["sandbox-no-memory-limit"]["status"] == "unknown"
    assert checks["sandbox-no-pids-limit"]["status"] == "unknown"


def test_pids_limit_fails_when_max(tmp_path):
    t = hardened(tmp_path)
    t.write("/sys/fs/cgroup/pids.max", "max\n")
    assert t.run()["sandbox-no-pids-limit"]["status"] == "fail"


def test_service_account_token_unreadable_passes(tmp_path):
    t = hardened(tmp_path)
    t.write("/run/secrets/kubernetes.io/serviceaccount/token", "x", 0o600)  # root-owned
    check = t.run()["sandbox-k8s-service-account-token"]
    assert check["status"] == "pass"
    assert check["evidence"]["readable"] is False
    t.write("/run/secrets/kubernetes.io/serviceaccount/token", "x", 0o644)
    assert t.run()["sandbox-k8s-service-account-token"]["status"] == "fail"


def test_secret_env_names_only(tmp_path):
    t = insecure(tmp_path)
    check = t.run()["sandbox-secrets-in-environment"]
    assert check["evidence"]["variables"] == ["AWS_SECRET_ACCESS_KEY", "DATABASE_URL", "HF_TOKEN"]
    flat = repr(check)
    for secret in ("AKIA-not-a-real-secret", "hf_not_real", "postgres://u:p@db/x"):
        assert secret not in flat


@pytest.mark.parametrize(
    "name, value, secret",
    [
        ("OPENAI_API_KEY", "x", True),
        ("GOOGLE_APPLICATION_CREDENTIALS", "/k.json", True),
        ("AZURE_CLIENT_SECRET", "x", True),
        ("MY_SERVICE_PASSWORD", "x", True),
        ("AWS_SESSION_TOKEN", "x", True),
        ("REDIS_URL", "redis://localhost:6379", True),
        ("ANALYTICS_URL", "https://user:pw@host/x", True),
        ("ANALYTICS_URL", "https://host/x", False),
        ("AWS_CA_BUNDLE", "/ca", False),
        ("TOKENIZERS_PARALLELISM", "false", False),
        ("OLDPWD", "/x", False),
        ("HF_TOKEN", "", False),
        ("PASSWORD_POLICY_URL", "", False),
    ],
)
def test_secret_env_name_patterns(tmp_path, name, value, secret):
    t = hardened(tmp_path)
    t.environ[name] = value
    assert (name in t.run()["sandbox-secrets-in-environment"]["evidence"]["variables"]) is secret


def test_jupyter_tokens_report_paths_not_values(tmp_path):
    t = insecure(tmp_path)
    check = t.run()["sandbox-jupyter-token-readable"]
    runtime = "/home/jovyan/.local/share/jupyter/runtime"
    assert check["evidence"]["environment"] == ["JUPYTER_TOKEN"]
    assert check["evidence"]["files"] == [
        runtime + "/jpserver-4242.json",
        runtime + "/kernel-0c3f.json",
    ]
    text = repr(check)
    for secret in ("server-token", "other-kernel-key", "the-server-token", "own-kernel-key"):
        assert secret not in text


def test_jupyter_runtime_files_of_other_users_and_unreadable_ones(tmp_path):
    t = hardened(tmp_path)
    other = "/home/alice/.local/share/jupyter/runtime"
    t.write(other + "/jpserver-77.json", '{"token": "t"}', 0o600)  # root-owned, private
    t.write(other + "/jpserver-77-open.html", "<a href='http://x/?token=abc'>", 0o644)
    t.write(other + "/jpserver-78.json", '{"token": ""}', 0o644)  # no token set
    check = t.run()["sandbox-jupyter-token-readable"]
    assert check["evidence"]["files"] == [other + "/jpserver-77-open.html"]


def test_own_kernel_connection_file_is_not_a_finding(tmp_path):
    t = hardened(tmp_path)
    t.status(Uid="0\t0\t0\t0", CapEff=FULL_CAPS)  # can read everything
    check = t.run()["sandbox-jupyter-token-readable"]
    assert check["status"] == "pass", check


@pytest.mark.parametrize(
    "release, status",
    [
        ("5.10.0-28-amd64", "pass"),
        ("6.18.44-fc-v657", "pass"),
        ("5.4.0-1-generic", "fail"),
        ("3.10.0-1160.el7.x86_64", "fail"),
        ("garbage", "unknown"),
    ],
)
def test_kernel_release(tmp_path, release, status):
    t = hardened(tmp_path)
    t.write("/proc/sys/kernel/osrelease", release + "\n")
    check = t.run()["sandbox-old-linux-kernel"]
    assert check["status"] == status
    assert check["evidence"]["release"] == release


def test_empty_root_gives_unknowns_not_errors(tmp_path):
    report = ProcTree(tmp_path).report()
    statuses = {c["rule_id"]: c["status"] for c in report["checks"]}
    assert statuses["kernel-runs-as-root"] == "unknown"
    assert statuses["sandbox-dangerous-capabilities"] == "unknown"
    assert all(s in ("pass", "fail", "unknown") for s in statuses.values())
    assert not any("check failed" in str(c["evidence"]) for c in report["checks"])


def test_long_mount_paths_are_bounded_in_evidence(tmp_path):
    t = hardened(tmp_path)
    long_root = "/etc/" + "x" * 3000
    t.mountinfo(HARDENED_MOUNTS + [f"40 1 254:1 {long_root} /data rw - ext4 /dev/vda1 rw"])
    report = t.report()
    check = next(c for c in report["checks"] if c["rule_id"] == "sandbox-sensitive-host-mount")
    assert check["status"] == "fail"
    assert len(check["evidence"]["mounts"][0]) == 1000
    jsonschema.validate(report, load_contract("posture-report.schema.json"))


def test_fifo_in_place_of_a_proc_file_does_not_block(tmp_path):
    t = hardened(tmp_path)
    t.remove("/proc/self/status")
    os.mkfifo(t.path("/proc/self/status"))  # opening it for reading would block forever
    checks = t.run()
    assert checks["kernel-runs-as-root"]["status"] == "unknown"


def test_command_line_prints_the_report_for_a_root(tmp_path):
    t = insecure(tmp_path)
    out = subprocess.run(
        [sys.executable, "-m", "jupyterlab_warden.kernel.probe", "--root", str(t.root)],
        check=True, capture_output=True, text=True, timeout=60,
        env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2])),
    )  # fmt: skip
    report = json.loads(out.stdout)
    assert report["summary"]["euid"] == 0
    assert report["worst_severity"] == "critical"
