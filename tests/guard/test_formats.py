"""Code-carrying formats other than pickle (issue 18, first slice): Keras .keras/.h5 Lambda
layers, TorchScript archives reaching files, PyYAML python tags.

Every malicious file is made by the real library in a plain interpreter that loads it
WITHOUT Warden and shows its payload ran (a marker file); here, under the guard, the same
load is refused and no marker appears. Benign files of each format load untouched, and the
scanner flags every malicious file and no benign one.
"""

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from format_runs import run_script

from jupyterlab_warden.kernel.guard import WardenBlockedLoad
from jupyterlab_warden.kernel.scan import DANGEROUS, scan_file
from jupyterlab_warden.kernel.scan.__main__ import main as scan_cli

os.environ.setdefault("KERAS_BACKEND", "torch")
HERE = Path(__file__).resolve().parent
MALICIOUS = (
    "lambda.keras",
    "lambda.h5",
    "from_file_ts.pt",
    "from_file_ts_via_torch_load.pt",
    "save_ts.pt",
    "save_spaced_ts.pt",
    "save_ops_ts.pt",
    "save_paren_ts.pt",
    "apply.yaml",
    "tag_directive.yaml",
)
BENIGN_TORCHSCRIPT = (
    "linear_ts.pt",
    "conv_scripted_ts.pt",
    "conv_traced_ts.pt",
    "lstm_scripted_ts.pt",
    "lstm_traced_ts.pt",
    "flow_scripted_ts.pt",
    "transformer_scripted_ts.pt",
)
BENIGN = ("dense.keras", "dense.h5", "config.yaml") + BENIGN_TORCHSCRIPT


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    out = tmp_path_factory.mktemp("formats")
    env = dict(os.environ, KERAS_BACKEND="torch", PYTHONPATH="")  # no Warden in the child
    proc = subprocess.run(
        [sys.executable, str(HERE / "format_files.py"), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    ran = json.loads(proc.stdout.strip().splitlines()[-1])
    return out, ran


def markers(out: Path):
    return sorted(p.name for p in out.glob("*.marker*"))


def test_every_malicious_file_runs_its_payload_without_warden(files):
    out, ran = files
    assert {Path(p).name: v for p, v in ran.items()} == {name: True for name in MALICIOUS}
    assert markers(out) == []  # the builder removed them: what appears later is ours


@pytest.mark.parametrize("name", MALICIOUS)
def test_scanner_flags_malicious(files, name):
    report = scan_file(str(files[0] / name), by_name=True)
    assert report.verdict == DANGEROUS, report
    assert report.findings and all(
        f.verdict in ("dangerous", "safe", "suspicious") for f in report.findings
    )
    assert report.dangerous_findings()


@pytest.mark.parametrize("name", BENIGN)
def test_scanner_does_not_call_benign_dangerous(files, name):
    report = scan_file(str(files[0] / name), by_name=True)
    assert report.verdict in ("safe", "suspicious"), report
    assert not report.dangerous_findings() and not report.dangerous_globals()


def test_benign_torchscript_pickles_are_judged_by_torchscript_rules(files):
    report = scan_file(str(files[0] / "linear_ts.pt"))
    build_intlist = [g for g in report.globals if g.qualified == "torch.jit._pickle.build_intlist"]
    assert build_intlist and all(g.verdict == "safe" for g in build_intlist)
    assert report.format == "torchscript"


def test_json_report_carries_findings(files, capsys):
    assert scan_cli(["--format", "json", str(files[0] / "lambda.keras")]) == 1
    (entry,) = json.loads(capsys.readouterr().out)
    kinds = {f["kind"] for f in entry["findings"]}
    assert entry["verdict"] == "dangerous" and kinds == {"keras-lambda"}
    where = [f["where"] for f in entry["findings"]]
    assert any(w.endswith("output_shape") for w in where)  # the marshalled output_shape too


def test_text_that_begins_with_i_is_yaml_not_a_pickle(files, tmp_path):
    path = tmp_path / "train.yaml"
    path.write_text("import_path: data/\nin_features: 3\n")
    report = scan_file(str(path), by_name=True)
    assert (report.verdict, report.format, report.globals) == ("safe", "yaml", [])


def test_h5_without_h5py_is_an_error_never_a_pass(files, monkeypatch):
    monkeypatch.setitem(sys.modules, "h5py", None)  # import h5py -> ImportError
    report = scan_file(str(files[0] / "dense.h5"))
    assert report.verdict == "error" and "h5py is not installed" in report.errors[0]


# --- the guard ------------------------------------------------------------------------------


def _keras():
    import keras

    return keras


@pytest.mark.parametrize("name", ["lambda.keras", "lambda.h5"])
@pytest.mark.parametrize("entry", ["keras.saving.load_model", "keras.models.load_model"])
def test_keras_lambda_refused_even_with_safe_mode_false(guard, files, name, entry):
    out = files[0]
    keras = _keras()
    load = keras.saving.load_model if entry.startswith("keras.saving") else keras.models.load_model
    with pytest.raises(WardenBlockedLoad, match="Keras model"):
        load(str(out / name), safe_mode=False)
    assert markers(out) == []
    event = guard.events[-1]
    assert event["rule_id"] == "keras-model-code" and event["action"] == "blocked"
    assert any("keras-lambda" in f for f in event["evidence"]["findings"])


@pytest.mark.parametrize("name", ["dense.keras", "dense.h5"])
def test_keras_benign_loads_and_runs(guard, files, name):
    import numpy as np

    keras = _keras()
    model = keras.saving.load_model(str(files[0] / name), safe_mode=False)
    assert tuple(model(np.zeros((1, 3), dtype="float32")).shape) == (1, 2)
    assert [e for e in guard.events if e["action"] == "blocked"] == []


def test_keras_safe_mode_enforced_on_files_the_scan_cleared(guard, files, monkeypatch):
    """A cleared file is loaded with safe_mode=True whatever the caller asked: Keras' own
    check then backs the scan up. Seen where Keras applies it (its SafeModeScope)."""
    from keras.src.saving import serialization_lib

    seen = []
    original_init = serialization_lib.SafeModeScope.__init__

    def record(self, safe_mode=True):
        seen.append(safe_mode)
        original_init(self, safe_mode)

    monkeypatch.setattr(serialization_lib.SafeModeScope, "__init__", record)
    _keras().saving.load_model(str(files[0] / "dense.keras"), safe_mode=False)
    assert seen and set(seen) == {True}


def test_keras_confirm_lets_one_load_through(guard, files):
    out = files[0]
    keras = _keras()
    guard.set_policy({"rules": {"keras-model-code": {"action": "confirm"}}})
    with pytest.raises(WardenBlockedLoad) as info:
        keras.saving.load_model(str(out / "lambda.keras"), safe_mode=True)
    fingerprint = guard.events[-1]["fingerprint"]
    assert fingerprint in str(info.value)
    assert markers(out) == []


def test_torchscript_from_file_refused(guard, files):
    import torch

    out = files[0]
    with pytest.raises(WardenBlockedLoad, match="TorchScript"):
        torch.jit.load(str(out / "from_file_ts.pt"))
    assert markers(out) == []
    event = guard.events[-1]
    assert event["rule_id"] == "torchscript-file-access"
    assert any("from_file" in f for f in event["evidence"]["findings"])


def test_torch_load_weights_only_false_hands_archive_to_jit_load_refused(guard, files):
    import torch

    out = files[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(WardenBlockedLoad):
            torch.load(str(out / "from_file_ts_via_torch_load.pt"), weights_only=False)
    assert markers(out) == []
    # torch.load's own pre-scan reads the archive first and refuses it
    event = guard.events[-1]
    assert event["rule_id"] == "model-file-dangerous-globals" and event["action"] == "blocked"
    assert event["evidence"]["globals"] == []
    assert any("from_file" in f for f in event["evidence"]["findings"])


def test_torch_load_to_jit_load_refused_by_jit_wrapper_when_outer_scan_is_off(guard, files):
    """With scan_before_load off (torch.load's pickle pre-scan skipped), the torch.jit.load
    that torch.load hands the archive to still scans it."""
    import torch

    out = files[0]
    guard.set_policy({"guard": {"scan_before_load": False}})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(WardenBlockedLoad, match="TorchScript"):
            torch.load(str(out / "from_file_ts_via_torch_load.pt"), weights_only=False)
    assert markers(out) == []
    assert guard.events[-1]["rule_id"] == "torchscript-file-access"


def test_torchscript_benign_loads_through_jit_and_torch_load(guard, files):
    import torch

    path = str(files[0] / "linear_ts.pt")
    model = torch.jit.load(path)
    assert tuple(model(torch.zeros(1, 2)).shape) == (1, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        again = torch.load(path, weights_only=False)
    assert tuple(again(torch.zeros(1, 2)).shape) == (1, 2)
    assert [e for e in guard.events if e["action"] == "blocked"] == []


@pytest.mark.parametrize(
    "name", ["save_ts.pt", "save_spaced_ts.pt", "save_ops_ts.pt", "save_paren_ts.pt"]
)
def test_torchscript_operator_outside_the_allow_list_refused(guard, files, name):
    """aten::save writes a file at load time; however the archive's code spells it."""
    import torch

    out = files[0]
    with pytest.raises(WardenBlockedLoad, match="TorchScript"):
        torch.jit.load(str(out / name))
    assert markers(out) == []
    assert any("aten::save" in f for f in guard.events[-1]["evidence"]["findings"])


@pytest.mark.parametrize("name", BENIGN_TORCHSCRIPT)
def test_torchscript_benign_real_models_load_and_run(guard, files, name):
    import torch

    inputs = {
        "linear": torch.zeros(1, 2),
        "conv": torch.zeros(1, 3, 8, 8),
        "lstm": torch.zeros(1, 5, 4),
        "flow": torch.ones(1, 4),
        "transformer": torch.zeros(1, 5, dtype=torch.long),
    }
    model = torch.jit.load(str(files[0] / name)).eval()
    result = model(inputs[name.split("_")[0]])
    assert torch.isfinite(result).all()
    assert [e for e in guard.events if e["action"] == "blocked"] == []


def test_torchscript_allow_list_judgements():
    """What the allow list decides, on code an attacker could write by hand."""
    from jupyterlab_warden.kernel.scan.codeformats.torchscript import judge_code

    def verdicts(code):
        return [(f.verdict, f.detail.split(":")[0]) for f in judge_code(code, "code")]

    assert verdicts("y = torch.linear(x, w, b)\nz = ops.prim.NumToTensor(y)") == []
    assert verdicts("y = math.sqrt(2.)\nt = torch.autograd.grad([y], [x])") == []
    assert verdicts("y = torch.not_an_operator(x)") == [("dangerous", "torch.not_an_operator")]
    # torch's own namespaces that reach the network or are not listed
    assert verdicts("ops.c10d.broadcast_(x)") == [("dangerous", "ops.c10d.broadcast_")]
    assert verdicts("torch.ops.prim.rpc_sync(x)") == [("dangerous", "torch.ops.prim.rpc_sync")]
    # a custom library's operator needs that library loaded by the user: suspicious
    assert verdicts("ops.torchvision.nms(b, s, 0.5)") == [("suspicious", "ops.torchvision.nms")]
    assert verdicts("f = torch\nf.from_file(p)")[0] == ("dangerous", "torch")
    assert verdicts("y = __torch__.torch.nn.functional.relu(x)") == []


def test_torchscript_from_open_file_object_is_scanned(guard, files):
    import torch

    with open(files[0] / "from_file_ts.pt", "rb") as fh:
        with pytest.raises(WardenBlockedLoad):
            torch.jit.load(fh)
    assert markers(files[0]) == []


@pytest.mark.parametrize("name", ["apply.yaml", "tag_directive.yaml"])
@pytest.mark.parametrize(
    "how", ["unsafe_load", "load_unsafe_loader", "load_loader", "full_load", "unsafe_load_all"]
)
def test_yaml_python_tags_refused(guard, files, name, how):
    import yaml

    out = files[0]
    text = (out / name).read_text()
    calls = {
        "unsafe_load": lambda: yaml.unsafe_load(text),
        "load_unsafe_loader": lambda: yaml.load(text, Loader=yaml.UnsafeLoader),
        "load_loader": lambda: yaml.load(text, yaml.Loader),
        "full_load": lambda: yaml.full_load(text),
        "unsafe_load_all": lambda: list(yaml.unsafe_load_all(text)),
    }
    with pytest.raises(WardenBlockedLoad, match="yaml"):
        calls[how]()
    assert markers(out) == []
    assert guard.events[-1]["rule_id"] == "yaml-python-tag"


def test_yaml_from_a_file_object_is_scanned(guard, files):
    import yaml

    with open(files[0] / "apply.yaml") as fh:
        with pytest.raises(WardenBlockedLoad):
            yaml.load(fh, Loader=yaml.UnsafeLoader)
    assert markers(files[0]) == []


def test_yaml_benign_and_safe_loaders_untouched(guard, files):
    import yaml

    text = (files[0] / "config.yaml").read_text()
    expected = {"import": ["a", "b"], "model": {"layers": 2, "shape": (1, 2)}}
    assert yaml.unsafe_load(text) == expected
    assert yaml.full_load(text) == expected
    # a python tag handed to the safe loader is refused by PyYAML itself, not by Warden
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.safe_load((files[0] / "apply.yaml").read_text())
    assert guard.events == []


def test_yaml_subclass_of_safe_loader_with_a_python_constructor_is_judged(guard, files):
    import yaml

    class Sneaky(yaml.SafeLoader):
        pass

    Sneaky.add_multi_constructor(
        "tag:yaml.org,2002:python/object/apply:", yaml.UnsafeLoader.construct_python_object_apply
    )
    with pytest.raises(WardenBlockedLoad):
        yaml.load((files[0] / "apply.yaml").read_text(), Loader=Sneaky)
    assert markers(files[0]) == []


def _prebound(out, mode):
    # the script installs the guard itself in its "guard" mode
    env = {"KERAS_BACKEND": "torch"}
    return run_script("prebound_loaders.py", out, mode, with_warden=True, env=env, timeout=240)


def test_loader_references_taken_before_the_guard_and_loaders_used_directly(files):
    """``from keras.saving import load_model`` (or saving_lib's, or the legacy .h5 loader)
    bound before the guard, ``deserialize_keras_object``, ``yaml.UnsafeLoader(...)`` used
    directly, a Loader subclass with its own python-tag constructor, the C loader: without the
    guard each runs its payload; with the guard installed after the references were taken,
    each is refused where the code would be made (func_load, construct_document)."""
    out = files[0]
    plain, guarded = _prebound(out, "plain"), _prebound(out, "guard")
    calls = [k for k in plain if not k.endswith(" markers")]
    assert len(calls) >= 10
    for call in calls:
        assert plain[call] == "loaded" and plain[call + " markers"], (call, plain)
        rule = "yaml-python-tag" if "oader" in call or "yaml" in call else "keras-model-code"
        assert guarded[call] == "blocked:" + rule, (call, guarded[call])
        assert guarded[call + " markers"] == [], call
    assert markers(out) == []


def test_yaml_direct_loader_benign_and_custom_tags_load(guard, files):
    import yaml

    text = (files[0] / "config.yaml").read_text()
    expected = {"import": ["a", "b"], "model": {"layers": 2, "shape": (1, 2)}}
    assert yaml.UnsafeLoader(text).get_single_data() == expected

    class WithInclude(yaml.SafeLoader):
        pass

    WithInclude.add_constructor("!include", lambda loader, node: "included:" + node.value)
    assert yaml.load("a: !include x.yaml\n", Loader=WithInclude) == {"a": "included:x.yaml"}
    assert guard.events == []


def test_yaml_direct_loader_honours_a_trusted_artifact(guard, files):
    import hashlib

    import yaml

    path = files[0] / "apply.yaml"
    with pytest.raises(WardenBlockedLoad):
        yaml.UnsafeLoader(path.read_text()).get_single_data()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    guard.set_policy({"trusted_artifacts": {digest: "our own config"}})
    yaml.load(path.read_bytes(), Loader=yaml.UnsafeLoader)  # the hash is matched by yaml.load
    made = files[0] / "yaml.marker"
    assert made.exists()
    made.unlink()


def test_keras_lambda_code_under_confirm_names_its_fingerprint(guard, files):
    """confirm at func_load: the finding names the code's hash (never the code)."""
    import zipfile

    from keras.src.saving.serialization_lib import deserialize_keras_object

    with zipfile.ZipFile(files[0] / "lambda.keras") as zf:
        config = json.loads(zf.read("config.json"))
    guard.set_policy({"rules": {"keras-model-code": {"action": "confirm"}}})
    with pytest.raises(WardenBlockedLoad) as info:
        deserialize_keras_object(config, safe_mode=False)
    event = guard.events[-1]
    assert "code_sha256" in event["evidence"] and event["fingerprint"] in str(info.value)
    assert markers(files[0]) == []


def test_trusted_artifact_loads_unchanged(guard, files):
    import hashlib

    import yaml

    path = files[0] / "apply.yaml"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    guard.set_policy({"trusted_artifacts": {digest: "our own config"}})
    yaml.unsafe_load(path.read_bytes())
    made = files[0] / "yaml.marker"
    assert made.exists()
    made.unlink()


# chat templates (GGUF, tokenizer_config.json, the jinja2 guard): test_formats_chattemplate.py


def test_a_zip_that_is_keras_and_torch_still_has_its_pickles_scanned(tmp_path):
    """A pickle loader reads what it reads: Keras' config.json does not hide a data.pkl."""
    import pickle
    import zipfile

    class Payload:
        def __reduce__(self):
            return (os.system, ("true",))

    path = tmp_path / "both.keras"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("config.json", json.dumps({"class_name": "Sequential", "config": {}}))
        zf.writestr("metadata.json", "{}")
        zf.writestr("archive/data.pkl", pickle.dumps(Payload()))
    report = scan_file(str(path))
    assert report.verdict == "dangerous" and report.format == "keras"
    assert "posix.system" in report.dangerous_globals()


def test_hf_auto_map_code_is_flagged_by_what_it_imports(tmp_path):
    evil, benign = tmp_path / "evil", tmp_path / "benign"
    for folder, body in (
        (evil, "import os\nos.system('true')\nclass M: pass\n"),
        (benign, "import math\nclass M:\n    scale = math.sqrt(2)\n"),
    ):
        folder.mkdir()
        (folder / "modeling_m.py").write_text(body)
        (folder / "config.json").write_text(
            json.dumps({"model_type": "m", "auto_map": {"AutoModel": "modeling_m.M"}})
        )
    bad = scan_file(str(evil / "config.json"), by_name=True)
    assert bad.verdict == "dangerous" and "uses os" in bad.findings[0].detail
    custom = scan_file(str(benign / "config.json"), by_name=True)
    assert custom.verdict == "suspicious" and not custom.dangerous_findings()
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "config.json").write_text(json.dumps({"model_type": "bert", "hidden_size": 8}))
    assert scan_file(str(plain / "config.json"), by_name=True).verdict == "safe"


def test_unreadable_keras_config_fails_closed(guard, tmp_path):
    import zipfile

    path = tmp_path / "broken.keras"
    config = json.dumps({"class_name": "Sequential", "config": {"layers": []}}) * 50
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("config.json", config)
        zf.writestr("metadata.json", "{}")
    data = bytearray(path.read_bytes())
    start = data.index(b"config.json") + len("config.json")
    data[start + 5 : start + 25] = b"\xff" * 20  # garble the deflated config
    path.write_bytes(bytes(data))
    report = scan_file(str(path))
    assert report.verdict == "error" and "config.json unreadable" in report.errors[0]
    with pytest.raises(WardenBlockedLoad, match="could not read"):
        _keras().saving.load_model(str(path))
    assert guard.events[-1]["evidence"]["reason"] == "unreadable"
