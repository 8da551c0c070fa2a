"""Advisories decided by version (red team 41b R41b-1..3) and affixed popular names (R41b-4):
the neighbours of the red team's cases, and the ordinary installs that must stay quiet."""

import pytest

from jupyterlab_warden.kernel.guard.installs import decide
from jupyterlab_warden.kernel.guard.installs.data import DepsData
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest
from jupyterlab_warden.kernel.guard.installs.requirements import parse_requirement

PKG = "acme-ml"


def _policy(*affected, rid="GHSA-wrdn-4146-0001"):
    record = {
        "id": rid,
        "summary": "test",
        "affected": [dict({"package": {"ecosystem": "PyPI", "name": PKG}}, **a) for a in affected],
    }
    return {"dependencies": {"advisories": [record]}}


def _findings(spec: str, policy: dict):
    request = InstallRequest("pip", f"pip install '{spec}'")
    request.requirements.append(parse_requirement(spec, "command line"))
    return [(f.rule_id, f.advisories) for f in decide.decide(request, policy, DepsData())]


BEFORE_2 = {"ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}
VULNERABLE = [(decide.RULE_VULNERABLE, ("GHSA-wrdn-4146-0001",))]


@pytest.mark.parametrize("pin", ["1.0", "1.0.0", "v1.0", "V1.0", "1.00", "1.0+cpu", "01.0"])
def test_every_spelling_of_a_listed_version_is_that_version(pin):
    assert _findings(f"{PKG}=={pin}", _policy({"versions": ["1.0"]})) == VULNERABLE


@pytest.mark.parametrize(
    "spec", ["==1.0,<3", "==1.*", "==1.0.*", "<2", "<=1.9", "~=1.0", "~=1.5.0", ">0.5,<2", "<2.0"]
)
def test_a_specifier_set_inside_the_range_is_flagged(spec):
    assert _findings(PKG + spec, _policy(BEFORE_2)) == VULNERABLE


@pytest.mark.parametrize("spec", ["", ">=1.0", "<3", "!=1.5", ">=1.5,<=2.0", ">=1.9,<2.1", "==2.0"])
def test_a_specifier_that_reaches_a_fixed_release_is_not_flagged(spec):
    assert _findings(PKG + spec, _policy(BEFORE_2)) == []


PARTIAL = {"versions": ["0.5.15", "0.5.16"]}
MALWARE = [(decide.RULE_MALICIOUS, ("MAL-2099-4146",))]


@pytest.mark.parametrize("spec", ["==0.5.15", "==0.5.16.0", "<0.5.17", "~=0.5.10", "==0.5.*"])
def test_a_specifier_that_may_install_a_listed_malicious_release_is_refused(spec):
    assert _findings(PKG + spec, _policy(PARTIAL, rid="MAL-2099-4146")) == MALWARE


@pytest.mark.parametrize("spec", ["", "==0.5.14", "==0.6.0", ">=0.5", "<0.5.15", ">0.5.16"])
def test_other_releases_of_a_project_with_malicious_releases_install(spec):
    assert _findings(PKG + spec, _policy(PARTIAL, rid="MAL-2099-4146")) == []


@pytest.mark.parametrize(
    "affected",
    [
        {},  # nothing listed: the whole project
        {"ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]},
        {"ranges": [{"type": "GIT", "repo": "x", "events": [{"introduced": "abc"}]}]},
    ],
)
def test_a_malicious_record_of_every_version_refuses_the_name(affected):
    assert _findings(f"{PKG}==9.9", _policy(affected, rid="MAL-2099-4147")) == [
        (decide.RULE_MALICIOUS, ("MAL-2099-4147",))
    ]


def test_a_malicious_range_still_open_refuses_an_unpinned_install():
    """A hijacked project still publishing (introduced 0.9, never fixed): the newest is bad."""
    still = {"ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0.9"}]}]}
    policy = _policy(still, rid="MAL-2099-4148")
    assert _findings(PKG, policy) == [(decide.RULE_MALICIOUS, ("MAL-2099-4148",))]
    assert _findings(f"{PKG}==0.8", policy) == []


@pytest.mark.parametrize("spec", ["requests", "numpy>=1.26", "torch==2.6.0", "pandas~=2.2"])
def test_ordinary_installs_stay_quiet(spec):
    assert _findings(spec, {}) == []


@pytest.mark.parametrize(
    "name",
    ["torch_gpu", "TORCH-GPU", "numpy-py3", "torchcuda", "t0rch-gpu", "pandas-python3-sdk"]
    + ["torch-cu121", "torchcuda12", "python3-requests", "gpu-torch", "torch-gpu-nightly"],
)
def test_neighbours_of_affixed_names_are_imitations(name):
    assert DepsData().imitated(name)


@pytest.mark.parametrize("name", ["onnxruntime-gpu", "jupyter-client", "tensorflow-cpu", "gpu"])
def test_listed_or_bare_affix_names_pass(name):
    assert DepsData().imitated(name) is None
