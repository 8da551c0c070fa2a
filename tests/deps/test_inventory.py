"""The package inventory: written by a real guarded kernel, merged by the lab for central."""

import json
import time
import uuid

import jsonschema
import pytest
from install_env import REPO, child_env
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

from jupyterlab_warden.kernel.guard import kernelspec
from jupyterlab_warden.lab import inventory


@pytest.fixture(scope="module")
def schema():
    return json.loads((REPO / "schema" / "package-inventory.schema.json").read_text())


def test_kernels_are_merged_and_vulnerable_versions_flagged(schema):
    kernels = [
        {"items": [
            {"name": "torch", "version": "2.5.1", "imported": True},
            {"name": "numpy", "version": "2.1.0", "imported": False},
            {"name": "Keras", "version": "3.8.0", "imported": True},
        ]},
        {"items": [
            {"name": "torch", "version": "2.5.1", "imported": True},
            {"name": "torch", "version": "2.13.0", "imported": False},
            {"name": "numpy", "version": "2.1.0", "imported": True},
            {"name": "bad name!", "version": "1 0"},
        ]},
    ]  # fmt: skip
    body = inventory.package_inventory(kernels, inventory.load_snapshot())
    jsonschema.validate(body, schema)
    rows = {(i["name"], i["version"]): i for i in body["items"]}
    assert rows[("torch", "2.5.1")] == {
        "name": "torch", "version": "2.5.1", "imported": True, "kernels": 2,
        "advisories": ["GHSA-53q9-r3pm-6pq6"],
    }  # fmt: skip
    assert rows[("keras", "3.8.0")]["advisories"] == ["GHSA-48g7-3x6r-xfhp", "GHSA-c9rc-mg46-23w3"]
    assert rows[("torch", "2.13.0")]["advisories"] == []
    assert rows[("numpy", "2.1.0")]["kernels"] == 1
    assert body["items"][0]["advisories"]  # flagged first
    assert body["truncated"] is False
    cut = inventory.package_inventory(kernels, inventory.load_snapshot(), limit=2)
    assert cut["truncated"] is True and all(i["advisories"] for i in cut["items"])


def test_a_guarded_kernel_writes_its_inventory_and_the_lab_reads_it(tmp_path, schema):
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"schema_version": 1, "revision": 1}))
    spool = tmp_path / "spool"
    prefix = tmp_path / "prefix"
    kernelspec.install(name="warden-inv", prefix=str(prefix), policy_file=str(policy),
                       spool_dir=str(spool))  # fmt: skip
    home = tmp_path / "home"
    home.mkdir()
    ksm = KernelSpecManager(kernel_dirs=[str(prefix / "share" / "jupyter" / "kernels")])
    km = KernelManager(
        kernel_spec_manager=ksm, kernel_name="warden-inv", kernel_id=str(uuid.uuid4())
    )
    km.connection_file = str(tmp_path / f"kernel-{km.kernel_id}.json")
    km.start_kernel(env=child_env(spool, home), cwd=str(tmp_path))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        kc.execute_interactive("import jsonschema", timeout=120)
        deadline = time.monotonic() + 90
        row = None
        while time.monotonic() < deadline:
            body = inventory.package_inventory(
                inventory.read_kernel_inventories(str(spool)), inventory.load_snapshot()
            )
            rows = {i["name"]: i for i in body["items"]}
            row = rows.get("jsonschema")
            if row and row["imported"]:
                break
            time.sleep(0.5)
        assert row and row["imported"] and row["kernels"] == 1, row
        jsonschema.validate(body, schema)
        import importlib.metadata as md

        assert row["version"] == md.version("jsonschema")
        assert rows["ipykernel"]["imported"] is True
        files = list(spool.glob("packages-*.json"))
        assert len(files) == 1 and files[0].stat().st_mode & 0o777 == 0o600
        assert km.kernel_id in files[0].read_text()
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    # a dead kernel's file is dropped
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and inventory.read_kernel_inventories(str(spool)):
        time.sleep(0.2)
    assert inventory.read_kernel_inventories(str(spool)) == []


def test_hostile_inventory_files_are_not_followed_and_reported(tmp_path, caplog):
    """Kernels write these files: a FIFO (open would block the server), a symlink to an
    endless device or another file, an oversized file and one that is no inventory are not
    read, each standing as an empty, truncated kernel list with its problem (logged), so
    central is told its list is not whole (R45c-2); a good one is read."""
    import logging
    import os

    spool = tmp_path / "spool"
    spool.mkdir()
    pid = os.getpid()  # alive: the reader only reads files of running processes
    good = {"items": [{"name": "torch", "version": "2.13.0", "imported": True}]}
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps(good))
    log = logging.getLogger("test-inventory")
    path = spool / f"packages-{pid}.json"

    def unread(problem):
        found = inventory.read_kernel_inventories(str(spool), log)
        assert found == [{"pid": pid, "truncated": True, "problem": problem, "items": []}]
        assert inventory.package_inventory(found, None) == {"truncated": True, "items": []}
        assert f"packages-{pid}.json not read: {problem}" in caplog.text  # the admin's log
        caplog.clear()
        os.unlink(path)

    os.mkfifo(path)
    unread("not a regular file")  # returns: did not block on the FIFO
    for target in ("/dev/zero", str(secret)):
        os.symlink(target, path)
        unread("Too many levels of symbolic links")
    path.write_text(" " * (inventory.MAX_FILE_BYTES + 1))
    unread("too large")
    path.write_bytes(b"\xff{}")
    unread("not JSON")
    path.write_text('{"items": {}}')
    unread("not a package inventory")
    path.write_text(json.dumps(good))
    assert inventory.read_kernel_inventories(str(spool)) == [good]


def test_items_central_would_refuse_are_cut_or_dropped_not_the_whole_post(schema):
    """Central (JavaScript regexes) refuses the whole status post for one bad item: a name cut
    to 200 characters that ends in "-", a version holding U+FEFF (white space to JavaScript's
    \\s, not to Python's, so plain jsonschema in Python would pass it)."""
    long_name = "a" * 199 + "-tail"
    kernels = [
        {"items": [
            {"name": long_name, "version": "1.0", "imported": True},
            {"name": "torch", "version": "2.13.0\ufeff", "imported": True},
            {"name": "numpy", "version": "2.1.0\u3000", "imported": False},
            {"name": "keras", "version": "3.8.0", "imported": True},
        ]},
    ]  # fmt: skip
    body = inventory.package_inventory(kernels, None)
    jsonschema.validate(body, schema)
    rows = {(i["name"], i["version"]) for i in body["items"]}
    assert rows == {("a" * 199, "1.0"), ("keras", "3.8.0"), ("numpy", "2.1.0")}
    assert "\ufeff" not in json.dumps(body, ensure_ascii=False)
