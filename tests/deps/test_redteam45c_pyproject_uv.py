"""Red team 45c R45c-6 (static MISS, proof in src/deps/pyprojectuv.redteam45c.spec.ts): the
kernel's side of the same pyproject.toml files.

Controls only (they pass today): the kernel refuses ``uv pip install --no-cache -r
pyproject.toml`` for a project whose ``[tool.uv.pip]`` names an index or find-links
location it does not trust, whose ``[tool.uv]`` allows an insecure host, or whose
``extra-build-dependencies`` / ``dependency-metadata`` name an imitation; warden-scan's
manifest scan calls each file clean (the jest proof)."""

import os

import pytest
from launched import real_uv

from jupyterlab_warden.kernel.guard.installs import decide, gate
from jupyterlab_warden.kernel.guard.installs.data import DepsData

PROJECT = "[project]\nname = 'demo'\nversion = '1.0'\ndependencies = ['requests']\n"
CASES = [
    "[tool.uv.pip]\nindex-url = 'https://evil.example/simple'\n",
    "[tool.uv.pip]\nextra-index-url = ['https://evil.example/simple']\n",
    "[tool.uv.pip]\nfind-links = ['https://evil.example/wheels/']\n",
    "[tool.uv]\nallow-insecure-host = ['evil.example']\n",
    "[tool.uv.extra-build-dependencies]\nrequests = ['torcj']\n",
    "[[tool.uv.dependency-metadata]]\nname = 'requests'\nversion = '2.32.3'\n"
    "requires-dist = ['torcj']\n",
]


@pytest.mark.parametrize("text", CASES)
def test_r45c_6_the_kernel_refuses(tmp_path, text):
    (tmp_path / "pyproject.toml").write_text(PROJECT + text)
    env = {"PATH": f"{os.path.dirname(real_uv())}:/usr/bin:/bin", "HOME": str(tmp_path)}
    argv = ["uv", "pip", "install", "--no-cache", "-r", "pyproject.toml"]
    rules = set()
    for request in gate.read_requests(argv, None, env, str(tmp_path)):
        rules |= {f.rule_id for f in decide.decide(request, {"schema_version": 1}, DepsData())}
    assert rules - {"install-unreadable"}, rules
