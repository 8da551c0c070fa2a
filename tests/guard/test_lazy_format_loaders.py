"""The format loaders load lazily (issue 15: guard start-up) and still catch what they caught.

A Python started with the launch site dir holds only the format loaders' target table; the
family module of a format loads when its library is first imported, and patches it then. If it
cannot load, every call of that loader is refused with the reason (fail closed), never run
unchecked. Each case runs in a fresh interpreter, with and without the guard: the payload (a
PyYAML python tag that writes a marker file) proves itself without Warden.
"""

import json
import os
import subprocess
import sys

from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR
from jupyterlab_warden.kernel.guard.format_loaders import targets

FAMILY = "jupyterlab_warden.kernel.guard.format_loaders.yaml_documents"

CELL = f"""
import json, os, sys
marker = sys.argv[1]
family = {FAMILY!r}
if sys.argv[2] == "break":  # the lazy part cannot load (an import of it raises ImportError)
    sys.modules[family] = None
loaded_before = family in sys.modules and sys.modules[family] is not None
import yaml
text = "!!python/object/apply:os.system [" + json.dumps("touch " + marker) + "]"
outcome = {{"loaded_before": loaded_before}}
try:
    yaml.load(text, Loader=yaml.UnsafeLoader)
    outcome["result"] = "ran"
except Exception as err:
    outcome["result"] = type(err).__name__
    outcome["message"] = str(err)
outcome["loaded_after"] = sys.modules.get(family) is not None
box = []
sys.audit("jupyterlab_warden.kernel.guard", "ping", None, box)
outcome["errors"] = box[0]["errors"] if box else None
print(json.dumps(outcome))
"""


def run_cell(tmp_path, guarded: bool, mode: str = "normal"):
    marker = tmp_path / f"marker-{guarded}-{mode}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
    env.pop("PYTHONPATH", None)
    if guarded:
        env["PYTHONPATH"] = SITE_DIR
    out = subprocess.run(
        [sys.executable, "-c", CELL, str(marker), mode],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1]), marker.exists()


def test_without_warden_the_yaml_payload_runs(tmp_path):
    outcome, marker = run_cell(tmp_path, guarded=False)
    assert outcome["result"] == "ran" and marker


def test_the_yaml_check_loads_on_the_first_import_of_yaml_and_refuses_the_payload(tmp_path):
    outcome, marker = run_cell(tmp_path, guarded=True)
    assert outcome["loaded_before"] is False  # not at start-up
    assert outcome["loaded_after"] is True  # with yaml
    assert outcome["result"] == "WardenBlockedLoad" and "yaml" in outcome["message"]
    assert not marker


def test_a_format_check_that_cannot_load_refuses_its_loader_and_says_why(tmp_path):
    outcome, marker = run_cell(tmp_path, guarded=True, mode="break")
    assert outcome["result"] == "WardenBlockedLoad"
    assert "could not load" in outcome["message"] and "yaml_documents" in outcome["message"]
    assert "yaml.load" in outcome["message"]
    assert not marker
    assert any("yaml_documents could not load" in e for e in outcome["errors"])


def test_every_kind_has_one_family_module_with_its_wrapper_factory():
    import importlib

    for kind, family in targets.FAMILY_OF_KIND.items():
        module = importlib.import_module(f"jupyterlab_warden.kernel.guard.format_loaders.{family}")
        assert callable(module.MAKERS[kind]), kind
    kinds = {t[3] for t in targets.LOAD_TARGETS}
    assert kinds == set(targets.FAMILY_OF_KIND)
