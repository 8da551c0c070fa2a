"""The registry round trip between two labs and the REAL central (Node, SQLite, branch central
merged) over real HTTP: lab A's kernel downloads and loads a model (scanned safe) and lab A
reports it; lab B's kernel downloads the same file, lab B looks it up, pushes the fleet's
verdict to its kernel, whose first load skips the scan; an admin bans the file, central signs
new decisions, lab B verifies them with central's keys and its kernel refuses the file.
Each "kernel" is this process's guard, reset between labs, fed what ``_server_update`` applies
(the signed push itself is tested in test_fleet.py)."""

import asyncio
import io
import pickle

import pytest
from fake_hub import FakeHub

from jupyterlab_warden.kernel.guard import WardenBlockedLoad
from jupyterlab_warden.lab.artifacts.registry import ArtifactRegistry
from jupyterlab_warden.lab.central.client import CentralClient
from jupyterlab_warden.lab.central.signing import load_public_keys


@pytest.fixture
def central(real_central):
    real_central.lab_b_token = real_central._cli("lab", "create-token", "--name", "lab-b")
    return real_central


def _sync(registry, url, token):
    async def one():
        client = CentralClient(url, token, timeout=5)
        try:
            return await registry.sync_once(client)
        finally:
            client.close()

    return asyncio.run(one())


def _download(hub, cache):
    from huggingface_hub import hf_hub_download

    return hf_hub_download("acme/tabular", "model.pkl", cache_dir=cache, endpoint=hub.endpoint)


def _load(guard, path):
    before = guard.counts["files_scanned"]
    with open(path, "rb") as fh:
        assert pickle.load(fh)["coef"][:2] == [0.0, 1.0]
    return guard.counts["files_scanned"] - before


def _kernel(guard, registry):
    """(Re)start this lab's kernel view: the fleet's word and the policy, as pushed."""
    guard.events.clear()
    guard.provenance.use_fleet(registry.for_kernels())
    guard.set_policy({"artifacts": {"report_loads": True, "accept_fleet_scans": True}})


def test_two_labs_and_real_central(guard, central, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_DISABLE_XET", "1")
    buffer = io.BytesIO()
    pickle.dump({"coef": [float(i) for i in range(5000)]}, buffer, protocol=4)
    keys = load_public_keys(central.public_keys())
    lab_a = ArtifactRegistry(str(tmp_path / "lab-a"), keys)
    lab_b = ArtifactRegistry(str(tmp_path / "lab-b"), keys)
    with FakeHub() as hub:
        hub.repo("acme/tabular").commit({"model.pkl": buffer.getvalue()})

        _kernel(guard, lab_a)
        assert _load(guard, _download(hub, str(tmp_path / "cache-a"))) == 1
        lab_a.observe(list(guard.events))
        done = _sync(lab_a, central.url, central.lab_token)
        assert done["errors"] == [] and done["reported"] == 2, done

        _kernel(guard, lab_b)
        path_b = _download(hub, str(tmp_path / "cache-b"))
        lab_b.observe(list(guard.events))
        sha = guard.events[-1]["evidence"]["sha256"]
        done = _sync(lab_b, central.url, central.lab_b_token)
        assert done["errors"] == [] and done["looked_up"] == 1, done
        _kernel(guard, lab_b)
        assert _load(guard, path_b) == 0  # the first load in lab B: no scan

        status, body = central.request(
            "PUT",
            f"/api/v1/admin/artifacts/{sha}/decision",
            {"decision": "banned", "note": "pulled by security review"},
        )
        assert status == 200, body
        done = _sync(lab_b, central.url, central.lab_b_token)
        assert done["decisions"] is True, done
        _kernel(guard, lab_b)
        with pytest.raises(WardenBlockedLoad):
            _load(guard, path_b)
        assert guard.events[-1]["rule_id"] == "artifact-fleet-banned"
