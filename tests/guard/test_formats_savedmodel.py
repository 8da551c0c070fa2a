"""TF SavedModel under the guard (issue 18), without TensorFlow: CI cannot afford it (minutes to
install, and it conflicts with the pinned h5py). The proof with real TensorFlow 2.21 - each
malicious fixture runs its payload without Warden, and under the launch-time guard the load is
refused and no marker appears - is ``bench/savedmodel_proof.py`` (output in
docs/kernel-guard.md).

Here a stand-in ``tensorflow.python.saved_model.loader_impl`` (the module and function the
guard patches; it reads ``saved_model.pb`` as TensorFlow's does and returns an object whose
``SerializeToString`` gives the bytes parsed) is imported in a fresh interpreter started with
the launch site dir: the guard patches it on import, lazily, and judges the real fixtures.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR

FIXTURES = Path(__file__).resolve().parent.parent / "scan" / "savedmodels"
FAMILY = "jupyterlab_warden.kernel.guard.format_loaders.tf_savedmodels"

STAND_IN = """
import os

class Parsed:
    def __init__(self, data):
        self.data = data

    def SerializeToString(self):
        return self.data

def parse_saved_model(export_dir):
    with open(os.path.join(os.fspath(export_dir), "saved_model.pb"), "rb") as fh:
        return Parsed(fh.read())
"""

CELL = f"""
import json, sys
family = {FAMILY!r}
out = {{"family_before": family in sys.modules}}
from tensorflow.python.saved_model import loader_impl
for name in sys.argv[1:]:
    try:
        parsed = loader_impl.parse_saved_model(name)
        out[name] = "parsed %d bytes" % len(parsed.SerializeToString())
    except Exception as err:
        out[name] = "%s:%s" % (type(err).__name__, getattr(err, "rule_id", ""))
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory):
    root = tmp_path_factory.mktemp("tf-stand-in")
    package = root / "tensorflow" / "python" / "saved_model"
    package.mkdir(parents=True)
    for folder in (root / "tensorflow", root / "tensorflow" / "python", package):
        (folder / "__init__.py").write_text("")
    (package / "loader_impl.py").write_text(STAND_IN)
    return root


def _run(stand_in, guarded, names):
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
    env["PYTHONPATH"] = os.pathsep.join(([SITE_DIR] if guarded else []) + [str(stand_in)])
    proc = subprocess.run(
        [sys.executable, "-c", CELL, *[str(FIXTURES / n) for n in names]],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return out, {n: out[str(FIXTURES / n)] for n in names}


def test_guard_refuses_malicious_savedmodels_and_parses_benign_ones(stand_in):
    names = ["write_on_load", "write_on_call", "read_on_call", "py_function", "keras_lambda"]
    names += ["save_on_call", "tf1_init_op"]
    bad = len(names)
    names += ["benign", "benign_keras", "benign_lookup", "tf1_benign"]
    plain, plain_results = _run(stand_in, False, names)
    assert all(v.startswith("parsed") for v in plain_results.values()), plain_results
    guarded, results = _run(stand_in, True, names)
    assert guarded["family_before"] is False  # loaded lazily, when the module was imported
    for name in names[:bad]:
        assert results[name] == "WardenBlockedLoad:tf-savedmodel-code", (name, results)
    for name in names[bad:]:
        assert results[name] == plain_results[name], (name, results)


class _Parsed:
    def __init__(self, data):
        self.data = data

    def SerializeToString(self):  # noqa: N802 - protobuf's name
        return self.data


def _parse(export_dir):
    return _Parsed((Path(export_dir) / "saved_model.pb").read_bytes())


def test_event_names_findings_and_a_trusted_artifact_loads(guard):
    import hashlib

    from jupyterlab_warden.kernel.guard import WardenBlockedLoad
    from jupyterlab_warden.kernel.guard.format_loaders.tf_savedmodels import MAKERS

    wrapped = MAKERS["tf-savedmodel"](_parse, "tf.saved_model.load", guard)
    folder = FIXTURES / "write_on_load"
    with pytest.raises(WardenBlockedLoad):
        wrapped(str(folder))
    event = guard.events[-1]
    assert (event["rule_id"], event["action"]) == ("tf-savedmodel-code", "blocked")
    assert event["evidence"]["findings"] == ["tf-op: WriteFile: writes any file"]
    assert event["evidence"]["format"] == "tf-savedmodel"
    digest = hashlib.sha256((folder / "saved_model.pb").read_bytes()).hexdigest()
    assert event["evidence"]["sha256"] == digest
    guard.set_policy({"trusted_artifacts": {digest: "our own model"}})
    assert wrapped(str(folder)).data == (folder / "saved_model.pb").read_bytes()
