"""Parsers of /proc files: known inputs, and random bytes that must never raise."""

from __future__ import annotations

import json

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jupyterlab_warden.kernel.contracts import load_contract
from jupyterlab_warden.kernel.probe import capabilities, procfs, run_probe

from .proctree import insecure

REAL_MOUNTINFO = (
    "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n"
    "50 27 0:40 /a\\040b /mnt/with\\040space ro shared:1 master:2 - tmpfs tmpfs ro\n"
    "garbage line\n"
)


def test_parse_mountinfo_fields_optional_tags_and_escapes():
    mounts = procfs.parse_mountinfo(REAL_MOUNTINFO)
    assert [m.mount_point for m in mounts] == [
        "/",
        "/sys/fs/cgroup/memory",
        "/sys/fs/cgroup/unified",
        "/mnt/with space",
    ]
    assert mounts[1].super_options == ("rw", "memory")
    assert mounts[3].root == "/a b" and mounts[3].read_only
    assert not mounts[0].read_only


def test_parse_status_and_masks():
    fields = procfs.parse_status("Name:\tpython\nCapEff:\t000001fffeffffff\nSeccomp:\t2\n")
    assert procfs.parse_hex_mask(fields["CapEff"]) == 0x1FFFEFFFFFF
    assert procfs.parse_int(fields["Seccomp"]) == 2
    assert procfs.parse_hex_mask("zz") is None
    assert procfs.parse_uid_field("0\t0\t0\t0") == (0, 0, 0, 0)
    assert procfs.parse_uid_field("0 0") is None


def test_capabilities_decode_and_full_mask():
    assert capabilities.decode(0x1FFFEFFFFFF).count("SYS_RESOURCE") == 0
    assert len(capabilities.decode(capabilities.full_mask(40))) == 41
    assert capabilities.decode(1 << 21) == ["SYS_ADMIN"]
    assert capabilities.decode(1 << 45) == ["CAP_45"]


def test_parse_cgroup_v1_and_v2():
    entries = procfs.parse_cgroup("4:memory:/process_api/x\n6:cpu,cpuacct:/\n0::/\nbad\n")
    assert entries[0] == procfs.CgroupEntry(4, ("memory",), "/process_api/x")
    assert entries[1].controllers == ("cpu", "cpuacct")
    assert entries[2] == procfs.CgroupEntry(0, (), "/")
    assert len(entries) == 3


def test_id_maps():
    identity = procfs.parse_id_map("         0          0 4294967295\n")
    assert procfs.is_identity_map(identity)
    remapped = procfs.parse_id_map("0 100000 65536\n")
    assert not procfs.is_identity_map(remapped)
    assert procfs.map_to_outside(remapped, 0) == 100000
    assert procfs.map_to_outside(remapped, 70000) is None


def test_kernel_release():
    assert procfs.parse_kernel_release("6.18.44-fc-v657") == (6, 18)
    assert procfs.parse_kernel_release("5.15.0+") == (5, 15)
    assert procfs.parse_kernel_release("4.19rc1") == (4, 19)
    assert procfs.parse_kernel_release("x") is None


TEXT_PARSERS = [
    procfs.parse_status, procfs.parse_mountinfo, procfs.parse_cgroup, procfs.parse_id_map,
    procfs.parse_net_dev, procfs.parse_meminfo_total, procfs.parse_cmdline,
    procfs.parse_kernel_release, procfs.parse_lsm_label, procfs.parse_hex_mask, procfs.parse_int,
    procfs.parse_uid_field, procfs.parse_groups,
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048))
def test_parsers_never_raise_on_random_bytes(data):
    text = data.decode("utf-8", "replace")
    for parser in TEXT_PARSERS:
        parser(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789abcdef :-/\n\t,\\x")), max_size=600))
def test_parsers_never_raise_on_near_valid_text(text):
    for parser in TEXT_PARSERS:
        parser(text)
    for mask in (procfs.parse_hex_mask(line) for line in text.splitlines()):
        if mask is not None:
            capabilities.decode(mask)


PROC_FILES = [
    "/proc/self/status", "/proc/self/mountinfo", "/proc/self/cgroup", "/proc/self/uid_map",
    "/proc/self/attr/apparmor/current", "/proc/sys/kernel/cap_last_cap",
    "/proc/sys/kernel/osrelease", "/proc/meminfo", "/proc/net/dev", "/proc/2/comm",
    "/proc/self/cmdline", "/sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes",
    "/home/jovyan/.local/share/jupyter/runtime/jpserver-4242.json",
]  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.sampled_from(PROC_FILES), st.binary(max_size=1024)), max_size=6))
def test_whole_probe_survives_corrupted_proc_files(tmp_path_factory, corruptions):
    tree = insecure(tmp_path_factory.mktemp("fuzz"))
    for logical, data in corruptions:
        tree.path(logical).write_bytes(data)
    report = run_probe(str(tree.root), tree.environ)
    jsonschema.validate(report, load_contract("posture-report.schema.json"))
    assert not any("check failed" in json.dumps(c["evidence"]) for c in report["checks"])
