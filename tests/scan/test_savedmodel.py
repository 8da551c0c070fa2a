"""TF SavedModel in the scanner (issue 18): the fixtures were made by real TensorFlow 2.21.0
(savedmodels/make_savedmodels.py; bench/savedmodel_proof.py shows, with TensorFlow, that each
malicious one runs its payload without Warden and is refused under the guard). Variants of them
are built here with the scanner's own protobuf messages (TF's field numbers), so each rule is
exercised on an otherwise real graph.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jupyterlab_warden.kernel.scan import scan_file
from jupyterlab_warden.kernel.scan.codeformats import savedmodel, savedmodel_proto

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "savedmodels"
REPO = HERE.parent.parent
MALICIOUS = {
    "write_on_call": "WriteFile",
    "write_on_load": "WriteFile",
    "read_on_call": "ReadFile",
    "py_function": "EagerPyFunc",
    "save_on_call": "SaveV2",  # a checkpoint op outside the model's saver functions
    "tf1_init_op": "WriteFile",  # a TF1 graph node, run by the loader as the init op
    # red-team findings: a WriteFile hidden in a string tensor, run while a resource restores
    "graph_in_string": "DatasetFromGraph",
    "cache_on_call": "CacheDatasetV2",  # dataset.cache(path) at a path the model names
}


def _scan(folder):
    return scan_file(str(folder / "saved_model.pb"), by_name=True)


def _model(name):
    return savedmodel_proto.parse("SavedModel", (FIXTURES / name / "saved_model.pb").read_bytes())


def _write(tmp_path, model, name="m"):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "saved_model.pb").write_bytes(model.SerializeToString())
    return folder


def _function(model, prefix):
    library = model.meta_graphs[0].graph_def.library.function
    return next(f for f in library if f.signature.name.startswith(prefix))


@pytest.mark.parametrize("name", sorted(MALICIOUS))
def test_malicious_fixtures_are_dangerous(name):
    report = _scan(FIXTURES / name)
    assert report.verdict == "dangerous", report
    assert report.format == "tf-savedmodel"
    details = [f.detail for f in report.findings if f.kind == "tf-op"]
    assert any(
        d.startswith(MALICIOUS[name] + " ") or d.startswith(MALICIOUS[name] + ":") for d in details
    ), details


def test_write_on_load_names_the_initializer_it_runs_in():
    report = _scan(FIXTURES / "write_on_load")
    (finding,) = [f for f in report.findings if f.verdict == "dangerous"]
    assert "__inference__initializer_" in finding.where and finding.where.endswith("/WriteFile")


@pytest.mark.parametrize(
    "name", ["benign", "benign_keras", "benign_lookup", "keras_lambda", "tf1_benign"]
)
def test_benign_graphs_are_safe(name):
    # every SavedModel has SaveV2/RestoreV2/MergeV2Checkpoints in its SaverDef's functions (TF1:
    # graph nodes); benign_lookup reads its vocabulary asset with InitializeTableFromTextFileV2
    report = _scan(FIXTURES / name)
    assert report.verdict == "safe", report.findings
    assert report.findings == [] and report.errors == []


def test_keras_metadata_lambda_is_dangerous():
    report = scan_file(str(FIXTURES / "keras_lambda" / "keras_metadata.pb"), by_name=True)
    assert report.verdict == "dangerous"
    assert any(f.kind == "keras-lambda" and "lambda" in f.where for f in report.findings)


def test_checkpoint_op_outside_the_saver_is_dangerous(tmp_path):
    model = _model("benign")
    serve = _function(model, "__inference_serve_")
    node = serve.node_def.add(name="evil_save", op="SaveV2")
    node.input.extend(["x", "x", "x"])
    report = _scan(_write(tmp_path, model))
    assert report.verdict == "dangerous"
    (finding,) = report.findings
    assert "SaveV2 outside the model's own checkpoint functions" in finding.detail
    assert "__inference_serve_" in finding.where


def test_saver_function_also_called_elsewhere_loses_its_pass(tmp_path):
    model = _model("benign")
    save = _function(model, "__inference__traced_save_")
    graph = model.meta_graphs[0].graph_def
    caller = graph.node.add(name="calls_the_saver", op="StatefulPartitionedCall")
    caller.attr["f"].func.name = save.signature.name
    report = _scan(_write(tmp_path, model))
    ops = {f.detail.split()[0] for f in report.findings}
    assert report.verdict == "dangerous" and {"SaveV2", "MergeV2Checkpoints"} <= ops


def test_saver_function_the_object_graph_exposes_loses_its_pass(tmp_path):
    # a resource's _initialize (run while loading) or a method pointing at the save function
    model = _model("benign")
    save = _function(model, "__inference__traced_save_")
    node = model.meta_graphs[0].object_graph_def.nodes.add()
    node.function.concrete_functions.append(save.signature.name)
    report = _scan(_write(tmp_path, model))
    assert report.verdict == "dangerous"
    assert {"SaveV2", "MergeV2Checkpoints"} <= {f.detail.split()[0] for f in report.findings}


def test_signature_reaching_into_the_saver_graph_loses_its_pass(tmp_path):
    # TF1: a signature (or an init op, run at load) that runs the save tensor itself
    model = _model("benign")
    meta_graph = model.meta_graphs[0]
    meta_graph.signature_def["evil"].outputs["out"].name = meta_graph.saver_def.save_tensor_name
    report = _scan(_write(tmp_path, model))
    assert report.verdict == "dangerous"
    assert {"SaveV2", "RestoreV2"} <= {f.detail.split()[0] for f in report.findings}


def test_a_function_name_given_twice_is_judged_in_both_bodies(tmp_path):
    model = _model("benign")
    library = model.meta_graphs[0].graph_def.library
    save = _function(model, "__inference__traced_save_")
    serve = _function(model, "__inference_serve_")
    evil = library.function.add()
    evil.CopyFrom(serve)
    evil.node_def.add(name="w", op="WriteFile")
    library.function.add().CopyFrom(save)  # the saver's body twice: no pass for either
    report = _scan(_write(tmp_path, model))
    ops = {f.detail.split()[0].rstrip(":") for f in report.findings}
    assert {"WriteFile", "SaveV2", "MergeV2Checkpoints"} <= ops


def test_merge_checkpoints_in_the_restore_function_is_dangerous(tmp_path):
    # MergeV2Checkpoints deletes the folders it merges: never part of a restore
    model = _model("benign")
    restore = _function(model, "__inference__traced_restore_")
    restore.node_def.add(name="merge", op="MergeV2Checkpoints")
    report = _scan(_write(tmp_path, model))
    assert [f.detail.split()[0] for f in report.findings] == ["MergeV2Checkpoints"]


def test_text_file_table_reading_a_constant_path_is_dangerous(tmp_path):
    model = _model("benign_lookup")
    init = _function(model, "__inference__initializer_")
    table_op = next(n for n in init.node_def if n.op == "InitializeTableFromTextFileV2")
    init.node_def.add(name="path", op="Const")
    init.node_def.add(name="alias", op="Identity").input.append("path:output:0")
    table_op.input[1] = "alias:output:0"
    report = _scan(_write(tmp_path, model))
    assert report.verdict == "dangerous"
    assert "reads a file the model names itself" in report.findings[0].detail


def test_asset_leaving_the_assets_folder_is_dangerous(tmp_path):
    model = _model("benign_lookup")
    model.meta_graphs[0].asset_file_def[0].filename = "../../../home/user/.ssh/id_rsa"
    report = _scan(_write(tmp_path, model))
    assert [f.kind for f in report.findings] == ["tf-asset"]
    assert "climbs out" in report.findings[0].detail


def test_unknown_op_is_suspicious_and_a_library_function_call_is_not(tmp_path):
    model = _model("benign")
    serve = _function(model, "__inference_serve_")
    serve.node_def.add(name="custom", op="MyVendorOp")
    serve.node_def.add(name="by_name", op=_function(model, "__inference_signature_").signature.name)
    report = _scan(_write(tmp_path, model))
    assert report.verdict == "suspicious"
    assert [(f.kind, f.verdict) for f in report.findings] == [("tf-custom-op", "suspicious")]


def test_print_to_a_file_is_dangerous_and_to_stderr_is_not(tmp_path):
    model = _model("benign")
    serve = _function(model, "__inference_serve_")
    serve.node_def.add(name="log", op="PrintV2").attr["output_stream"].s = b"stderr"
    assert _scan(_write(tmp_path, model, "stderr")).verdict == "safe"
    serve.node_def.add(name="dump", op="PrintV2").attr["output_stream"].s = b"file:///tmp/x"
    report = _scan(_write(tmp_path, model, "file"))
    assert [f.detail for f in report.findings] == ["PrintV2 prints to a file (file://)"]


def test_op_field_given_twice_is_read_as_tensorflow_reads_it(tmp_path):
    # protobuf keeps the LAST value of a singular field: TF runs WriteFile, not Identity
    model = _model("benign")
    serve = _function(model, "__inference_serve_")
    node = serve.node_def.add(name="twice", op="Identity")
    node.ParseFromString(node.SerializeToString() + b"\x12\x09WriteFile")
    assert node.op == "WriteFile"
    assert _scan(_write(tmp_path, model)).verdict == "dangerous"


def test_pbtxt_is_read(tmp_path):
    from google.protobuf import text_format

    folder = tmp_path / "text"
    folder.mkdir()
    text = text_format.MessageToString(_model("write_on_call"))
    (folder / "saved_model.pbtxt").write_text(text)
    report = scan_file(str(folder / "saved_model.pbtxt"), by_name=True)
    assert report.verdict == "dangerous"


def test_unreadable_and_protobuf_missing_fail_closed(tmp_path, monkeypatch):
    folder = tmp_path / "cut"
    folder.mkdir()
    (folder / "saved_model.pb").write_bytes(b"\x12\xff\xff\xff\x0f")  # longer than the file
    report = _scan(folder)
    assert report.verdict == "error" and "SavedModel unreadable" in report.errors[0]
    monkeypatch.setattr(savedmodel_proto, "_MESSAGES", None)
    monkeypatch.setitem(sys.modules, "google.protobuf", None)
    report = _scan(FIXTURES / "write_on_call")
    assert report.verdict == "error" and report.errors == [savedmodel.NO_PROTOBUF]


def test_cli_walks_a_savedmodel_folder_and_writes_sarif(tmp_path):
    shutil.copytree(FIXTURES / "keras_lambda", tmp_path / "keras_lambda")
    shutil.copytree(FIXTURES / "write_on_call", tmp_path / "write_on_call")
    proc = subprocess.run(
        [sys.executable, "-m", "jupyterlab_warden.kernel.scan", "--format", "sarif", "."],
        cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    results = json.loads(proc.stdout)["runs"][0]["results"]
    by_file = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"])
               for r in results}  # fmt: skip
    assert by_file == {
        ("keras_lambda/keras_metadata.pb", "keras-model-code"),
        ("write_on_call/saved_model.pb", "tf-savedmodel-code"),
    }
