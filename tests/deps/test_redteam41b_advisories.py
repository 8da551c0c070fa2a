"""Red team 41b: the issue-20 data outside the process gate (advisories, popular names).

Each proof runs a real kernel of the lab's launch environment (``kernel`` fixture) whose
policy trusts the local test index, so only the name and advisory checks decide:

- R41b-1 (MED, false refusal): an OpenSSF ``MAL-`` record that lists the compromised releases
  of a real project (MAL-2025-6794: num2words 0.5.15 and 0.5.16 only) refuses EVERY version of
  that project as malware, and the lab's inventory flags every version of it;
- R41b-2 (MED): an advisory's ``versions`` list is matched as strings: ``==1.0.0`` (or
  ``==v1.0``) installs the listed release ``1.0`` unflagged;
- R41b-3 (MED): only a lone ``==``/``===`` pin is checked against the advisories: a specifier
  set every version of which is affected (``==1.0,<3``, ``==1.*``, ``<2``, ``~=1.0``) installs
  an affected release unflagged, even where the admin blocks vulnerable versions;
- R41b-4 (MED): a popular name with an affix (``torch-gpu``, ``requests-python``,
  ``numpy-cuda``), the usual "combosquat", is no imitation to the distance rule.

Each ``proves``/``installs`` assertion FAILS today (the gap) and passes once it is fixed; the
controls beside them pass today and must keep passing.
"""

import json
import sys

import pytest
from local_index import LocalIndex, build_wheel

from jupyterlab_warden.kernel.guard.installs import decide
from jupyterlab_warden.kernel.guard.installs.data import DepsData
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest
from jupyterlab_warden.kernel.guard.installs.requirements import parse_requirement
from jupyterlab_warden.lab import inventory

DEMO = "warden-demo-pkg"  # the index serves version 1.0
COMBO = "torch-gpu"  # torch, the 334th most downloaded name, with an affix


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """The test index with one more project: a popular name with an affix."""
    root = tmp_path_factory.mktemp("index41b")
    server = LocalIndex(root, [build_wheel(root, DEMO), build_wheel(root, COMBO)])
    yield server
    server.close()


def _policy(kernel, *records, block_vulnerable=False) -> None:
    policy = {
        "schema_version": 1,
        "revision": 3,
        "trusted_sources": {"package_indexes": [kernel.index.simple]},
        "dependencies": {"advisories": list(records)},
    }
    if block_vulnerable:  # an admin who refuses known-vulnerable versions outright
        policy["rules"] = {"install-vulnerable-version": {"action": "block"}}
    kernel.policy.write_text(json.dumps(policy))


def _pip_cell(spec: str) -> str:
    """A cell running pip from the kernel: the gate decides ``spec`` before pip starts."""
    argv = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", "{target}"]
    argv += ["--index-url", "{index}", spec]
    return f"import subprocess\nsubprocess.run({argv!r}, check=True)\n"


def _installs_guarded(kernel, spec: str, module: str = "warden_demo_pkg") -> None:
    kernel.reset()
    result = kernel.cell(_pip_cell(spec), launched=True)
    assert result["refused"] is None and kernel.installed(module), result


def _record(rid: str, **affected) -> dict:
    return {
        "id": rid,
        "summary": f"test record {rid}",
        "affected": [dict({"package": {"ecosystem": "PyPI", "name": DEMO}}, **affected)],
    }


# -- R41b-1: a MAL record of compromised releases condemns the whole project ---------------

# MAL-2025-6794 as osv.dev publishes it (ossf/malicious-packages), cut to the policy's fields
NUM2WORDS = {
    "id": "MAL-2025-6794",
    "summary": "Malicious code in num2words (PyPI)",
    "aliases": ["PYSEC-2025-72", "GHSA-jxr6-qrxx-2ph2"],
    "affected": [
        {"package": {"ecosystem": "PyPI", "name": "num2words"}, "versions": ["0.5.15", "0.5.16"]}
    ],
}
COMPROMISED = _record("MAL-2099-41", versions=["0.9"])  # an old release of the demo project


def test_r41b_1_a_release_the_record_does_not_list_installs(kernel):
    _policy(kernel, COMPROMISED)
    _installs_guarded(kernel, f"{DEMO}==1.0")  # FAILS today: refused as known-malicious
    _installs_guarded(kernel, DEMO)


def test_r41b_1_control_the_listed_release_stays_refused(kernel):
    _policy(kernel, COMPROMISED)
    kernel.reset()
    result = kernel.cell(_pip_cell(f"{DEMO}==0.9"), launched=True)
    assert result["refused"] and "MAL-2099-41" in result["refused"], result


def test_r41b_1_num2words_decided_and_inventoried_by_version():
    doc = {"dependencies": {"advisories": [NUM2WORDS]}}
    rules = {}
    for pin in ("0.5.14", "0.5.15", "0.6.0"):
        request = InstallRequest("pip", f"pip install num2words=={pin}")
        request.requirements.append(parse_requirement(f"num2words=={pin}", "command line"))
        rules[pin] = [f.rule_id for f in decide.decide(request, doc, DepsData())]
    assert decide.RULE_MALICIOUS in rules["0.5.15"]
    assert rules["0.5.14"] == rules["0.6.0"] == []  # FAILS today: install-known-malicious
    snapshot = inventory.policy_advisories(inventory.load_snapshot(), doc)
    kernels = [{"items": [{"name": "num2words", "version": "0.5.14", "imported": True}]}]
    [item] = inventory.package_inventory(kernels, snapshot)["items"]
    assert item["advisories"] == []  # FAILS today: the dashboard flags a clean release


# -- R41b-2: listed versions compared as strings -----------------------------------------

LISTED = _record("PYSEC-2099-41", versions=["1.0"])


@pytest.mark.parametrize("pin", ["1.0.0", "v1.0"])
def test_r41b_2_another_spelling_of_a_listed_version_is_refused(kernel, pin):
    _policy(kernel, LISTED, block_vulnerable=True)
    refused = kernel.proves(_pip_cell(f"{DEMO}=={pin}"))  # FAILS today: installs 1.0
    assert "PYSEC-2099-41" in refused, refused


def test_r41b_2_control_the_listed_spelling_is_refused(kernel):
    _policy(kernel, LISTED, block_vulnerable=True)
    assert "PYSEC-2099-41" in kernel.proves(_pip_cell(f"{DEMO}==1.0"))


# -- R41b-3: specifier sets that admit only affected versions ---------------------------

BEFORE_2 = _record(
    "GHSA-wrdn-4141-0001",
    ranges=[{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}],
)


@pytest.mark.parametrize("spec", [f"{DEMO}==1.0,<3", f"{DEMO}==1.*", f"{DEMO}<2"])
def test_r41b_3_a_specifier_set_inside_the_range_is_refused(kernel, spec):
    _policy(kernel, BEFORE_2, block_vulnerable=True)
    refused = kernel.proves(_pip_cell(spec))  # FAILS today: installs 1.0 unflagged
    assert "GHSA-wrdn-4141-0001" in refused, refused


def test_r41b_3_control_a_range_reaching_a_fixed_version_installs(kernel):
    """``>=1.0`` may resolve to a fixed release: not refused (the version is not known)."""
    _policy(kernel, BEFORE_2, block_vulnerable=True)
    _installs_guarded(kernel, f"{DEMO}>=1.0")


# -- R41b-4: a popular name with an affix -----------------------------------------------


def test_r41b_4_a_popular_name_with_an_affix_is_an_imitation(kernel):
    _policy(kernel)
    refused = kernel.proves(_pip_cell(COMBO), name="torch_gpu")  # FAILS today: installs
    assert "torch" in refused, refused


@pytest.mark.parametrize("name", ["requests-python", "python-requests", "numpy-cuda"])
def test_r41b_4_more_affixed_names_are_imitations(name):
    assert DepsData().imitated(name)  # FAILS today: None


@pytest.mark.parametrize("name", ["requests-oauthlib", "torch-geometric", "openai-whisper"])
def test_r41b_4_control_listed_affixed_names_pass(name):
    assert DepsData().imitated(name) is None
