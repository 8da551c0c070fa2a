"""Red team 45c R45c-5 (static MISS, proof in src/deps/envmerge.redteam45c.spec.ts): the
kernel's side of the same environment.yml files, and what conda reads from them.

Controls only (they pass today): the kernel refuses ``conda env create -f environment.yml``
for a file whose channels or ``pip:`` list come through a YAML merge key (its reader does not
follow merges: install-unreadable), and a YAML safe loader (PyYAML here; conda's ruamel.yaml
safe loader merges alike) reads the merged channels and ``pip:`` list, so conda installs
them. warden-scan calls the same files clean (the jest proof)."""

import os

import yaml

from jupyterlab_warden.kernel.guard.installs import decide, gate
from jupyterlab_warden.kernel.guard.installs.data import DepsData

MERGED_PIP = "base: &b\n  dependencies:\n    - pip\n    - pip:\n      - torcj\n<<: *b\n"
MERGED_CHANNEL = "<<: {channels: [https://evil.example/chan]}\ndependencies:\n  - numpy\n"


def _kernel_rules(tmp_path, text):
    (tmp_path / "environment.yml").write_text(text)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    argv = ["conda", "env", "create", "-f", "environment.yml"]
    rules = set()
    for request in gate.read_requests(argv, None, env, str(tmp_path)):
        rules |= {f.rule_id for f in decide.decide(request, {"schema_version": 1}, DepsData())}
    return rules


def test_r45c_5_conda_reads_the_merged_lists():
    assert yaml.safe_load(MERGED_PIP)["dependencies"][1] == {"pip": ["torcj"]}
    assert yaml.safe_load(MERGED_CHANNEL)["channels"] == ["https://evil.example/chan"]


def test_r45c_5_the_kernel_refuses_them(tmp_path):
    for text in (MERGED_PIP, MERGED_CHANNEL):
        assert "install-unreadable" in _kernel_rules(tmp_path, text)
