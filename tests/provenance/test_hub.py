"""Hub provenance (issue 19) against a fake hub on 127.0.0.1: every download through
huggingface_hub is recorded (repository, revision asked for, commit it resolved to, sha256),
and the hub policy decides on the resolved repository and commit."""

import hashlib
import io
import os

import pytest
import torch
from fake_hub import FakeHub
from signing_helpers import KeyPair, signature_policy

from jupyterlab_warden.kernel.guard import WardenBlockedLoad


def _weights(value: float) -> bytes:
    buffer = io.BytesIO()
    torch.save({"w": torch.full((8,), value)}, buffer)
    return buffer.getvalue()


@pytest.fixture()
def hub(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    monkeypatch.setenv("HF_HUB_DISABLE_XET", "1")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    with FakeHub() as fake:  # every call names it: endpoint=hub.endpoint
        fake.cache = str(tmp_path / "hf-cache")
        yield fake


def _download(hub, repo_id, filename, **kwargs):
    from huggingface_hub import hf_hub_download

    return hf_hub_download(repo_id, filename, cache_dir=hub.cache, endpoint=hub.endpoint, **kwargs)


def _records(guard):
    return [e for e in guard.events if e["rule_id"] == "hub-download"]


def _believe(guard, hub, **hub_policy):
    """A policy that believes the fake hub's word (it stands in for the official hub)."""
    guard.set_policy({"provenance": {"hub": dict(hub_policy, endpoints=[hub.endpoint])}})


def test_moving_branch_is_recorded_at_each_commit(guard, hub):
    _believe(guard, hub)
    repo = hub.repo("acme/resnet")
    first = repo.commit({"model.pt": _weights(1.0), "config.json": b"{}"})
    path_a = _download(hub, "acme/resnet", "model.pt")
    second = repo.commit({"model.pt": _weights(2.0), "config.json": b"{}"})  # main moves
    path_b = _download(hub, "acme/resnet", "model.pt")
    assert path_a != path_b
    assert torch.load(path_b)["w"][0].item() == 2.0
    a, b = _records(guard)
    for event, commit, path in ((a, first, path_a), (b, second, path_b)):
        digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
        assert event["evidence"]["hub_commit"] == commit
        assert event["evidence"]["revision"] == "main"
        assert event["evidence"]["sha256"] == digest
        assert event["artifact"]["source"]["hub"] == {
            "repo": "acme/resnet",
            "revision": None,
            "commit": commit,
            "filename": "model.pt",
        }
        assert event["action"] == "allowed"
    ledger = guard.provenance.ledger
    assert ledger.source_for(path_b)["commit"] == second
    assert ledger.source_for(os.path.realpath(path_a))["commit"] == first


def test_snapshot_download_records_every_file_with_the_asked_revision(guard, hub):
    from huggingface_hub import snapshot_download

    _believe(guard, hub)
    repo = hub.repo("acme/bert")
    commit = repo.commit({"model.pt": _weights(3.0), "tokenizer.json": b"{}"}, branch="v1")
    folder = snapshot_download(
        "acme/bert", revision="v1", cache_dir=hub.cache, endpoint=hub.endpoint
    )
    assert os.path.basename(folder) == commit
    recorded = {e["evidence"]["filename"]: e["evidence"] for e in _records(guard)}
    assert set(recorded) == {"model.pt", "tokenizer.json"}
    assert {r["revision"] for r in recorded.values()} == {"v1"}  # what the user asked for
    assert {r["hub_commit"] for r in recorded.values()} == {commit}


def test_pinned_revisions_required(guard, hub):
    repo = hub.repo("acme/resnet")
    commit = repo.commit({"model.pt": _weights(1.0)})
    guard.set_policy(
        {"provenance": {"hub": {"require_pinned_revision": True, "endpoints": [hub.endpoint]}}}
    )
    hub.requests.clear()
    with pytest.raises(WardenBlockedLoad) as refused:
        _download(hub, "acme/resnet", "model.pt")  # main: a branch
    assert "pinned" in str(refused.value)
    assert hub.requests == []  # refused before any request
    path = _download(hub, "acme/resnet", "model.pt", revision=commit)
    assert torch.load(path)["w"][0].item() == 1.0
    assert [e["rule_id"] for e in guard.events] == ["hub-revision-not-pinned", "hub-download"]


def test_allowed_repositories_decided_on_the_repository_not_its_spelling(guard, hub):
    hub.repo("acme/resnet").commit({"model.pt": _weights(1.0)})
    hub.repo("mallory/resnet").commit({"model.pt": _weights(6.0)})
    guard.set_policy({"provenance": {"hub": {"allowed_repos": ["acme/*"]}}})
    assert _download(hub, "ACME/ResNet", "model.pt")  # the hub resolves names case-insensitively
    hub.requests.clear()
    with pytest.raises(WardenBlockedLoad):
        _download(hub, "mallory/resnet", "model.pt")
    assert hub.requests == []
    event = guard.events[-1]
    assert event["rule_id"] == "hub-repository-not-allowed"
    assert event["evidence"]["hub_repo"] == "mallory/resnet"


def test_remote_code_only_from_listed_repository_at_listed_commit(guard, hub):
    repo = hub.repo("acme/custom")
    reviewed = repo.commit({"modeling_custom.py": b"X = 1\n", "config.json": b"{}"})
    guard.set_policy(
        {
            "provenance": {
                "hub": {
                    "endpoints": [hub.endpoint],
                    "trust_remote_code": [{"repo": "acme/custom", "commits": [reviewed]}],
                }
            }
        }
    )
    assert _download(hub, "acme/custom", "modeling_custom.py")  # main -> the reviewed commit
    moved = repo.commit({"modeling_custom.py": b"import os; X = 2\n", "config.json": b"{}"})
    with pytest.raises(WardenBlockedLoad):
        _download(hub, "acme/custom", "modeling_custom.py")  # same spelling, new commit
    event = guard.events[-1]
    assert event["rule_id"] == "hub-remote-code-not-allowed"
    assert event["evidence"]["hub_commit"] == moved
    assert _download(hub, "acme/custom", "config.json")  # data files are not code
    hub.repo("other/custom").commit({"modeling_custom.py": b"X = 3\n"})
    with pytest.raises(WardenBlockedLoad):
        _download(hub, "other/custom", "modeling_custom.py")


def test_refused_download_stays_refused_in_the_cache(guard, hub):
    repo = hub.repo("acme/resnet")
    repo.commit({"model.pt": _weights(1.0)})
    guard.set_policy(
        {"provenance": {"hub": {"trust_remote_code": [], "endpoints": [hub.endpoint]}}}
    )
    repo.commit({"model.pt": _weights(1.0), "evil.py": b"pass\n"})
    with pytest.raises(WardenBlockedLoad):
        _download(hub, "acme/resnet", "evil.py")
    cached = [
        os.path.join(root, name)
        for root, _, names in os.walk(hub.cache)
        for name in names
        if name == "evil.py"
    ]
    assert cached  # huggingface_hub wrote it before the guard saw the commit
    with pytest.raises(WardenBlockedLoad), open(cached[0], "rb") as fh:
        torch.load(fh, weights_only=False)
    assert guard.events[-1]["rule_id"] == "hub-download-refused-file"


def test_signature_required_for_a_hub_repository(guard, hub, tmp_path):
    key = KeyPair(tmp_path, "acme-release")
    staging = tmp_path / "release"
    staging.mkdir()
    (staging / "model.pt").write_bytes(_weights(4.0))
    (staging / "config.json").write_bytes(b"{}")
    key.sign(staging, staging / "model.sig")
    files = {p.name: p.read_bytes() for p in staging.iterdir()}
    hub.repo("acme/signed").commit(files)
    hub.repo("acme/unsigned").commit({"model.pt": _weights(5.0)})
    guard.set_policy(signature_policy({"hub_repos": ["acme/*"]}, keys=[key]))
    from huggingface_hub import snapshot_download

    for local in (False, True):
        kwargs = {"local_dir": str(tmp_path / "local")} if local else {"cache_dir": hub.cache}
        folder = snapshot_download("acme/signed", endpoint=hub.endpoint, **kwargs)
        assert torch.load(os.path.join(folder, "model.pt"))["w"][0].item() == 4.0
    path = _download(hub, "acme/unsigned", "model.pt")
    with pytest.raises(WardenBlockedLoad) as refused:
        torch.load(path)
    assert "hub repository acme/*" in str(refused.value)
    event = guard.events[-1]
    assert event["rule_id"] == "model-signature-missing"
    assert event["artifact"]["source"]["hub"]["repo"] == "acme/unsigned"
