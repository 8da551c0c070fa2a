"""Two labs and the registry (issue 19): lab A's kernel downloads a model from the hub and loads
it (scanned safe); lab A reports it; lab B's kernel downloads the same file, lab B looks it up,
pushes the fleet's verdict to its kernel in the signed update, and the kernel's first load skips
the scan. Central's artifact routes are not on this branch yet: ``registry_stub`` stands in for
them (the real-central round trip is still to do). Each "kernel" is this process's guard, reset
between labs, fed exactly what ``_server_update`` applies."""

import asyncio
import io
import pickle

from fake_hub import FakeHub
from registry_stub import RegistryStub, Signer

from jupyterlab_warden.lab.artifacts.registry import ArtifactRegistry
from jupyterlab_warden.lab.central.client import CentralClient


def _sync(registry, stub):
    async def one():
        client = CentralClient(f"http://127.0.0.1:{stub.port}", "wdl_lab", timeout=5)
        try:
            return await registry.sync_once(client)
        finally:
            client.close()

    return asyncio.run(one())


def _kernel_round(guard, hub, cache, registry):
    """One lab's kernel: download and load; the lab then ingests its events."""
    from huggingface_hub import hf_hub_download

    guard.events.clear()
    path = hf_hub_download("acme/tabular", "model.pkl", cache_dir=cache, endpoint=hub.endpoint)
    before = guard.counts["files_scanned"]
    with open(path, "rb") as fh:
        assert pickle.load(fh)["coef"][:3] == [0.0, 1.0, 2.0]
    scanned = guard.counts["files_scanned"] - before
    registry.observe(list(guard.events))
    return scanned


def test_second_lab_first_load_skips_the_scan(guard, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_DISABLE_XET", "1")
    buffer = io.BytesIO()
    pickle.dump({"coef": [float(i) for i in range(5000)]}, buffer, protocol=4)
    signer = Signer()
    stub = RegistryStub(signer)
    stub.start()
    lab_a = ArtifactRegistry(str(tmp_path / "lab-a"), signer.keys)
    lab_b = ArtifactRegistry(str(tmp_path / "lab-b"), signer.keys)
    try:
        with FakeHub() as hub:
            hub.repo("acme/tabular").commit({"model.pkl": buffer.getvalue()})
            policy = {"artifacts": {"report_loads": True, "accept_fleet_scans": True}}

            guard.provenance.use_fleet(lab_a.for_kernels())
            guard.set_policy(policy)
            assert _kernel_round(guard, hub, str(tmp_path / "cache-a"), lab_a) == 1
            assert _sync(lab_a, stub)["reported"] == 2  # the download and the load
            loaded = [r for r in stub.reports if "load" in r]
            assert loaded[0]["scan"]["verdict"] == "safe"
            assert loaded[0]["source"]["hub"]["repo"] == "acme/tabular"

            # lab B: its kernel downloads the file (the record names its sha256) ...
            guard.provenance.use_fleet(lab_b.for_kernels())
            guard.set_policy(policy)
            from huggingface_hub import hf_hub_download

            guard.events.clear()
            hf_hub_download(
                "acme/tabular",
                "model.pkl",
                cache_dir=str(tmp_path / "cache-b"),
                endpoint=hub.endpoint,
            )
            lab_b.observe(list(guard.events))
            assert _sync(lab_b, stub)["looked_up"] == 1
            # ... lab B pushes the fleet's word in the next signed update; the first load
            guard.provenance.use_fleet(lab_b.for_kernels())
            guard.set_policy(policy)
            assert _kernel_round(guard, hub, str(tmp_path / "cache-b"), lab_b) == 0
            skipped = [e for e in guard.events if e["rule_id"] == "artifact-loaded"][-1]
            assert "same version" in skipped["evidence"]["scan_skipped"]
    finally:
        stub.stop()
