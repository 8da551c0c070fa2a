"""Red team 47c R47c-8 (HIGH for the static side, false clean): ``!pip install
file:torcj-1.0-py3-none-any.whl`` (a relative ``file:`` URL with no slash) installs the wheel
from the working folder; the kernel refuses it (it opens the wheel: torcj, an imitation
name), warden-scan reports it clean: ``artifactFile`` (src/deps/requirements.ts:197-199)
takes the text after the last ``/``, here ``file:torcj-...whl``, whose project part
``file:torcj`` is no wheel name, so the requirement has no project to decide (the kernel's
``requirements.artifact_file`` has the same parse, hidden by its reading of the file).
``./torcj-1.0-py3-none-any.whl`` and ``file:./torcj-...`` are flagged on both sides.

The control (real pip 23.2 would install torcj from the relative file: URL) and the kernel's
refusal pass today; the static half is src/deps/redteam47c-filewheel.spec.ts.
"""

import json
import os
import subprocess
import sys

from local_index import build_wheel
from test_install_vectors import outcome


def test_control_pip_takes_the_relative_file_url_wheel(tmp_path):
    build_wheel(tmp_path, "torcj")
    report = tmp_path / "report.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--no-deps",
         "--ignore-installed", "--report", str(report), "file:torcj-1.0-py3-none-any.whl"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    names = [i["metadata"]["name"] for i in json.loads(report.read_text())["install"]]
    assert names == ["torcj"]


def test_the_kernel_refuses_it(tmp_path):
    vector = {
        "policy": {},
        "files": {"torcj-1.0-py3-none-any.whl": "<wheel>"},
        "command": "pip install file:torcj-1.0-py3-none-any.whl",
    }
    assert outcome(vector, tmp_path) == {"rules": ["install-imitation-name"], "runs": False}
