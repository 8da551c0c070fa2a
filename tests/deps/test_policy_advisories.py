"""The policy's own advisories (``dependencies.advisories``, issue 20): added to the shipped
snapshot by the install gate and the inventory, never removing or narrowing a shipped record;
a list the policy validator refuses is refused whole, with the reason."""

import json

from install_env import REPO

from jupyterlab_warden.kernel.guard.installs import decide
from jupyterlab_warden.kernel.guard.installs.data import DepsData
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest, Requirement
from jupyterlab_warden.lab import inventory
from jupyterlab_warden.lab.policy.validate import validate_policy

SNAPSHOT = json.loads((REPO / "jupyterlab_warden/kernel/deps/osv-snapshot.json").read_text())
VULN = {
    "id": "GHSA-wrdn-test-0001",
    "summary": "acme-ml before 2.0 runs code from a model file",
    "affected": [
        {
            "package": {"ecosystem": "PyPI", "name": "Acme_ML"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}],
        }
    ],
}
MALWARE = {
    "id": "MAL-2026-4242",
    "summary": "Malicious code in acme-internal-tools",
    "affected": [
        {"package": {"ecosystem": "PyPI", "name": "acme-internal-tools"}, "versions": ["1.0"]}
    ],
}


def policy(*records, **deps):
    return {
        "schema_version": 1,
        "revision": 2,
        "dependencies": dict({"advisories": list(records)}, **deps),
    }


def install(name, pin=""):
    request = InstallRequest("pip", f"pip install {name}")
    text = f"{name}=={pin}" if pin else name
    request.requirements.append(Requirement(text, name, "name", "command line", pin or None))
    return request


def test_the_shipped_snapshot_is_valid_as_policy_advisories():
    """One shape: every shipped record, cut to the fields Warden reads, passes the policy
    schema (an admin may copy a shipped record into a policy unchanged)."""
    keep = ("id", "summary", "aliases", "affected", "database_specific")
    records = [{k: r[k] for k in keep if k in r} for r in SNAPSHOT["advisories"]]
    assert validate_policy(policy(*records)) == []


def test_a_policy_record_adds_an_advisory_and_names_its_id():
    data = DepsData()
    assert decide.decide(install("acme-ml", "1.5"), {}, data) == []
    [finding] = decide.decide(install("acme-ml", "1.5"), policy(VULN), data)
    assert finding.rule_id == decide.RULE_VULNERABLE
    assert finding.advisories == ("GHSA-wrdn-test-0001",)
    assert "GHSA-wrdn-test-0001" in finding.message
    assert decide.decide(install("acme-ml", "2.0"), policy(VULN), data) == []
    # the shipped data itself is untouched by a decision with a policy
    assert data.snapshot.affecting("acme-ml", "1.5") == []


def test_a_policy_malicious_record_refuses_its_releases_even_when_allowed():
    """A record listing releases condemns those (R41b-1: not the whole project); a record
    listing none condemns every version."""
    doc = policy(MALWARE, allow_packages=["acme-internal-tools"])
    [finding] = decide.decide(install("acme-internal-tools", "1.0"), doc, DepsData())
    assert (finding.rule_id, finding.advisories) == (decide.RULE_MALICIOUS, ("MAL-2026-4242",))
    assert decide.decide(install("acme-internal-tools", "1.1"), doc, DepsData()) == []
    whole = {"id": "MAL-2026-4243", "summary": "all of it", "affected": [MALWARE["affected"][0]]}
    whole["affected"] = [{"package": MALWARE["affected"][0]["package"]}]
    doc = policy(whole, allow_packages=["acme-internal-tools"])
    [finding] = decide.decide(install("acme-internal-tools", "1.1"), doc, DepsData())
    assert (finding.rule_id, finding.advisories) == (decide.RULE_MALICIOUS, ("MAL-2026-4243",))


def test_a_policy_cannot_narrow_or_remove_a_shipped_record():
    """Same id as a shipped malware record and as the torch advisory, other packages and
    versions: the shipped entries still apply (a union)."""
    reuse_mal = dict(MALWARE, id="MAL-2023-1578")
    reuse_torch = dict(VULN, id="GHSA-53q9-r3pm-6pq6")
    doc = policy(reuse_mal, reuse_torch, allow_packages=["aiohtt"])
    rules = [f.rule_id for f in decide.decide(install("aiohtt"), doc, DepsData())]
    assert rules == [decide.RULE_MALICIOUS]
    [torch] = decide.decide(install("torch", "2.5.1"), doc, DepsData())
    assert torch.advisories == ("GHSA-53q9-r3pm-6pq6",)


def test_unreadable_policy_advisories_refuse_every_install():
    bad = {
        "schema_version": 1,
        "revision": 2,
        "dependencies": {
            "advisories": [
                {
                    "id": "X",
                    "affected": [
                        {
                            "package": {"ecosystem": "PyPI", "name": "numpy"},
                            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": 0}]}],
                        }
                    ],
                }
            ]
        },
    }
    [finding] = decide.decide(install("numpy"), bad, DepsData())
    assert finding.rule_id == decide.RULE_UNREADABLE
    assert "the policy's advisories cannot be read" in finding.message


def test_in_kernel_tightening_cannot_drop_an_advisory():
    old = policy(VULN, MALWARE)
    assert decide.looser(old, policy(MALWARE, VULN, dict(VULN, id="GHSA-more"))) is None
    assert decide.looser(old, policy(MALWARE)).startswith("dependencies.advisories")
    narrowed = dict(VULN, affected=[dict(VULN["affected"][0], versions=["0.1"])])
    assert decide.looser(old, policy(narrowed, MALWARE)).startswith("dependencies.advisories")


def test_the_inventory_flags_by_the_policy_advisories_too():
    kernels = [
        {
            "items": [
                {"name": "acme-ml", "version": "1.0", "imported": True},
                {"name": "torch", "version": "2.5.0", "imported": True},
            ]
        }
    ]
    shipped = inventory.load_snapshot()
    before = inventory.package_inventory(kernels, inventory.policy_advisories(shipped, {}))
    after = inventory.package_inventory(kernels, inventory.policy_advisories(shipped, policy(VULN)))
    flags = lambda inv: {i["name"]: i["advisories"] for i in inv["items"]}  # noqa: E731
    assert flags(before) == {"acme-ml": [], "torch": ["GHSA-53q9-r3pm-6pq6"]}
    assert flags(after) == {"acme-ml": ["GHSA-wrdn-test-0001"], "torch": ["GHSA-53q9-r3pm-6pq6"]}
    # no shipped snapshot (unreadable): the policy's records still flag
    alone = inventory.package_inventory(kernels, inventory.policy_advisories(None, policy(VULN)))
    assert flags(alone)["acme-ml"] == ["GHSA-wrdn-test-0001"]


def test_an_oversized_list_makes_the_policy_invalid_with_a_clear_reason():
    many = [dict(MALWARE, id=f"MAL-2026-{i:04d}") for i in range(401)]
    problems = validate_policy(policy(*many))
    assert len(problems) == 1 and problems[0].startswith("dependencies/advisories:")
    assert validate_policy(policy(*many[:400])) == []
