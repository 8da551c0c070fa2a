"""Red-team findings P1/P2 (issue 19): the trust_remote_code allow list must decide on what
the code IS, not on the commit a server or a cache folder name claims.

P1: an attacker hub (``endpoint=``, ``HF_ENDPOINT``, changed ``huggingface_hub.constants``)
serves acme/custom-arch "at" the reviewed commit C (its X-Repo-Commit says C).
P2: no network: a file planted in the HF cache under ``snapshots/C/``.
Each cell then imports the file as trust_remote_code does; without Warden the payload writes
the marker (proved in the same test), under the real launch-time guard it must not."""

import hashlib
import json

import pytest
from fake_hub import FakeHub
from guarded_cell import run_cell

C = "0123456789abcdef0123456789abcdef01234567"  # the commit an admin reviewed
REVIEWED = b"X = 1  # the reviewed modeling code\n"

IMPORT = r"""
import importlib.util
spec = importlib.util.spec_from_file_location("modeling_custom", p)  # trust_remote_code
spec.loader.exec_module(importlib.util.module_from_spec(spec))
print("IMPORTED")
"""

DOWNLOAD = {
    "endpoint=": """
from huggingface_hub import hf_hub_download
p = hf_hub_download("acme/custom-arch", "modeling_custom.py", revision=%(C)r,
                    endpoint=%(endpoint)r, cache_dir=%(cache)r)
""",
    "HF_ENDPOINT": """
from huggingface_hub import hf_hub_download
p = hf_hub_download("acme/custom-arch", "modeling_custom.py", revision=%(C)r,
                    cache_dir=%(cache)r)
""",
    "constants": """
import huggingface_hub.constants as constants
constants.ENDPOINT = %(endpoint)r
constants.HUGGINGFACE_CO_URL_TEMPLATE = %(endpoint)r + "/{repo_id}/resolve/{revision}/{filename}"
from huggingface_hub import hf_hub_download
p = hf_hub_download("acme/custom-arch", "modeling_custom.py", revision=%(C)r,
                    cache_dir=%(cache)r)
""",
}

PLANT = """
import os
from huggingface_hub import hf_hub_download
repo = os.path.join(%(cache)r, "models--acme--custom-arch")
os.makedirs(os.path.join(repo, "snapshots", %(C)r))
os.makedirs(os.path.join(repo, "refs"))
open(os.path.join(repo, "refs", "main"), "w").write(%(C)r)
with open(os.path.join(repo, "snapshots", %(C)r, "modeling_custom.py"), "w") as fh:
    fh.write("open(%%r, 'w').write('pwned')\\n" %% %(mark)r)
p = hf_hub_download("acme/custom-arch", "modeling_custom.py", revision=%(C)r, cache_dir=%(cache)r)
"""


def _policy(entry: dict, **hub) -> dict:
    hub.update(allowed_repos=["acme/*"], trust_remote_code=[dict(entry, repo="acme/custom-arch")])
    return {"provenance": {"hub": hub}}


def _attacker_hub(mark):
    hub = FakeHub()
    repo = hub.repo("acme/custom-arch")
    repo.commits[C] = {"modeling_custom.py": f"open({str(mark)!r}, 'w').write('pwned')\n".encode()}
    repo.branches["main"] = C
    return hub


def _rules(result):
    return [(e["rule_id"], e["action"]) for e in result["events"]]


@pytest.mark.parametrize("how", sorted(DOWNLOAD))
def test_attacker_endpoint_claiming_the_reviewed_commit_is_refused(tmp_path, how):
    mark = tmp_path / "PWNED"
    with _attacker_hub(mark) as hub:
        values = {"C": C, "endpoint": hub.endpoint, "cache": str(tmp_path / "cache")}
        code = DOWNLOAD[how] % values + IMPORT
        env = {"HF_ENDPOINT": hub.endpoint} if how == "HF_ENDPOINT" else {}
        policy = _policy({"commits": [C]}, require_pinned_revision=True)
        plain = run_cell(code, tmp_path / "plain", policy, env, guarded=False)
        assert "IMPORTED" in plain["stdout"], plain["stderr"][-2000:]
        assert mark.exists()  # the payload proves itself without Warden
        mark.unlink()
        values["cache"] = str(tmp_path / "cache2")
        hub.requests.clear()
        result = run_cell(DOWNLOAD[how] % values + IMPORT, tmp_path / "warden", policy, env)
        assert not mark.exists(), _rules(result)
        assert "IMPORTED" not in result["stdout"]
        assert "WardenBlockedLoad" in result["stderr"]
        assert hub.requests == []  # refused before the attacker's server was asked
    (event,) = result["events"]
    assert event["action"] == "blocked"
    assert event["rule_id"] == "hub-revision-not-pinned"
    assert event["evidence"]["reason"] == "endpoint-not-allowed"
    assert event["evidence"]["hub_endpoint"] == hub.endpoint


def test_commit_entry_refuses_python_from_another_endpoint_without_pinning(tmp_path):
    """No require_pinned_revision: the trust_remote_code commit alone is still not believed."""
    mark = tmp_path / "PWNED"
    with _attacker_hub(mark) as hub:
        values = {"C": C, "endpoint": hub.endpoint, "cache": str(tmp_path / "cache")}
        result = run_cell(
            DOWNLOAD["endpoint="] % values + IMPORT, tmp_path, _policy({"commits": [C]})
        )
        assert hub.requests == []
    assert not mark.exists()
    (event,) = result["events"]
    assert (event["rule_id"], event["action"]) == ("hub-remote-code-not-allowed", "blocked")
    assert event["evidence"]["reason"] == "endpoint-not-allowed"


def test_file_planted_in_the_cache_under_the_reviewed_commit_is_refused(tmp_path):
    mark = tmp_path / "PWNED"
    values = {"C": C, "cache": str(tmp_path / "cache"), "mark": str(mark)}
    policy = _policy(
        {"commits": [C], "files": {"modeling_custom.py": hashlib.sha256(REVIEWED).hexdigest()}}
    )
    env = {"HF_HUB_OFFLINE": "1"}
    plain = run_cell(PLANT % values + IMPORT, tmp_path / "plain", policy, env, guarded=False)
    assert "IMPORTED" in plain["stdout"], plain["stderr"][-2000:]
    assert mark.exists()
    mark.unlink()
    values["cache"] = str(tmp_path / "cache2")
    result = run_cell(PLANT % values + IMPORT, tmp_path / "warden", policy, env)
    assert not mark.exists(), _rules(result)
    assert "WardenBlockedLoad" in result["stderr"]
    (event,) = result["events"]
    assert (event["rule_id"], event["action"]) == ("hub-remote-code-not-allowed", "blocked")
    assert "sha256" in event["message"]


def test_reviewed_content_loads_from_any_endpoint_and_its_record_says_where(tmp_path):
    """Content pins decide wherever the bytes came from; the commit an unbelieved endpoint
    claimed is not recorded as provenance (the artifact carries no commit)."""
    with FakeHub() as hub:
        repo = hub.repo("acme/custom-arch")
        repo.commits[C] = {"modeling_custom.py": REVIEWED}
        repo.branches["main"] = C
        values = {"C": C, "endpoint": hub.endpoint, "cache": str(tmp_path / "cache")}
        code = DOWNLOAD["endpoint="] % values + IMPORT
        files = {"modeling_custom.py": hashlib.sha256(REVIEWED).hexdigest()}
        result = run_cell(code, tmp_path, _policy({"files": files}))
    assert "IMPORTED" in result["stdout"], result["stderr"][-2000:]
    (event,) = result["events"]
    assert (event["rule_id"], event["action"]) == ("hub-download", "allowed")
    assert event["evidence"]["endpoint_allowed"] is False
    assert event["evidence"]["hub_endpoint"] == hub.endpoint
    assert event["artifact"]["source"]["hub"]["commit"] is None
    assert "not believed" in event["message"]
    assert json.dumps(event).count(hub.endpoint) >= 1


def test_content_pins_decide_even_for_an_allowed_endpoint(tmp_path):
    """commits + files: the reviewed bytes load from a mirror the policy does not list; other
    bytes at the reviewed commit are refused even from a listed endpoint."""
    mark = tmp_path / "PWNED"
    files = {"modeling_custom.py": hashlib.sha256(REVIEWED).hexdigest()}
    with FakeHub() as mirror:
        repo = mirror.repo("acme/custom-arch")
        repo.commits[C] = {"modeling_custom.py": REVIEWED}
        repo.branches["main"] = C
        values = {"C": C, "endpoint": mirror.endpoint, "cache": str(tmp_path / "c1")}
        code = DOWNLOAD["endpoint="] % values + IMPORT
        ok = run_cell(code, tmp_path / "mirror", _policy({"commits": [C], "files": files}))
    assert "IMPORTED" in ok["stdout"], ok["stderr"][-2000:]
    with _attacker_hub(mark) as listed:
        values = {"C": C, "endpoint": listed.endpoint, "cache": str(tmp_path / "c2")}
        code = DOWNLOAD["endpoint="] % values + IMPORT
        policy = _policy({"commits": [C], "files": files}, endpoints=[listed.endpoint])
        result = run_cell(code, tmp_path / "listed", policy)
    assert not mark.exists()
    (event,) = result["events"]
    assert (event["rule_id"], event["action"]) == ("hub-remote-code-not-allowed", "blocked")
    assert "content (sha256)" in event["message"]
