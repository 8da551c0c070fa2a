"""Red team 47c: environment.yml files conda reads one way and a Warden reader another.

R47c-6 (HIGH for the static side, false clean): an environment file whose line breaks are
NEL (U+0085), LINE SEPARATOR (U+2028) or PARAGRAPH SEPARATOR (U+2029). conda's loader
(ruamel.yaml's safe loader, a PyYAML descendant; PyYAML shown here) breaks lines there and
reads ``dependencies: [pip, {pip: [torcj]}]``; js-yaml (YAML 1.2) does not, so warden-scan
reads one ``name`` scalar and no dependency: clean. The kernel (``str.splitlines``) refuses.
The kernel half passes here; the static half is src/deps/redteam47c-envyaml.spec.ts.

R47c-7 (HIGH, kernel twin; warden-scan already refuses these): the kernel's line reader
(installs/environment_file.py:49-51) takes a top-level key only at column 0 and strips
quotes without YAML's unescaping, so a document indented as a whole, a double-quoted key
with an escape (``"depend\\x65ncies":``) or an explicit key (``? dependencies``) hides the
dependencies and channels from it, while conda reads them: ``conda env create -f e.yml``
runs, pip installs ``torcj``. The control (PyYAML reads the dependencies) passes; the
refusal fails today.
"""

import pytest
import yaml
from test_install_vectors import outcome

PIP_TORCJ = ["pip", {"pip": ["torcj"]}]
LINES = "name: x\ndependencies:\n  - pip\n  - pip:\n    - torcj\n"


def _decide(text, tmp_path):
    vector = {"policy": {}, "files": {"e.yml": text}, "command": "conda env create -f e.yml"}
    return outcome(vector, tmp_path)


@pytest.mark.parametrize("brk", ["\x85", "\u2028", "\u2029"], ids=["NEL", "LS", "PS"])
def test_r47c_6_control_yaml_breaks_lines_and_the_kernel_refuses(brk, tmp_path):
    text = LINES.replace("\n", brk)
    assert yaml.safe_load(text)["dependencies"] == PIP_TORCJ
    found = _decide(text, tmp_path)
    assert "install-imitation-name" in found["rules"] and not found["runs"]


HIDDEN = {
    "indented-document": "  name: x\n  dependencies:\n    - pip\n    - pip:\n      - torcj\n",
    "escaped-key": 'name: x\n"depend\\x65ncies":\n  - pip\n  - pip:\n    - torcj\n',
    "explicit-key": "name: x\n? dependencies\n:\n  - pip\n  - pip:\n    - torcj\n",
}


@pytest.mark.parametrize("name", sorted(HIDDEN))
def test_r47c_7_control_conda_yaml_reads_the_pip_list(name):
    assert yaml.safe_load(HIDDEN[name])["dependencies"] == PIP_TORCJ


@pytest.mark.parametrize("name", sorted(HIDDEN))
def test_r47c_7_the_kernel_refuses_the_hidden_pip_list(name, tmp_path):
    found = _decide(HIDDEN[name], tmp_path)
    assert not found["runs"], found


def test_r47c_7_indented_channels_are_decided(tmp_path):
    text = "  name: x\n  channels:\n    - https://evil.example/c\n  dependencies:\n    - numpy\n"
    assert yaml.safe_load(text)["channels"] == ["https://evil.example/c"]
    assert "install-index-not-allowed" in _decide(text, tmp_path)["rules"]


# forms next to the red team's: each read by YAML as conda reads it, so the pip list is
# decided (refused: imitation name) or the file is refused as unread; never run
AROUND = {
    "marker-then-indented": "---\n  name: x\n  dependencies:\n    - pip:\n      - torcj\n",
    "directive": "%YAML 1.1\n---\nname: x\ndependencies:\n  - pip\n  - pip:\n    - torcj\n",
    "tagged-key": "name: x\n!!str dependencies:\n  - pip\n  - pip:\n    - torcj\n",
    "single-quoted-key": "name: x\n'dependencies':\n  - pip\n  - pip:\n    - torcj\n",
    "comment-first-indented": "# env\n    dependencies:\n      - pip:\n        - torcj\n",
}


@pytest.mark.parametrize("name", sorted(AROUND))
def test_forms_around_r47c_7_are_never_run(name, tmp_path):
    assert yaml.safe_load(AROUND[name])["dependencies"][-1] == {"pip": ["torcj"]}
    found = _decide(AROUND[name], tmp_path)
    assert not found["runs"] and found["rules"], found


def test_an_ordinary_file_still_runs(tmp_path):
    text = "name: x\nchannels:\n  - conda-forge\ndependencies:\n  - numpy\n  - pip\n"
    assert _decide(text, tmp_path)["runs"]
