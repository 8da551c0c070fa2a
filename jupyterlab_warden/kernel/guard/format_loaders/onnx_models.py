"""ONNX: a model's external data may not leave its folder; custom operator domains follow the
policy. Checked by the file before onnx or onnxruntime read it, and again where onnx reads
external data, whichever way the load was reached.

* ``onnx.load`` / ``onnx.load_model`` (one function) and ``onnxruntime.InferenceSession``:
  the model is scanned (``scan/codeformats/onnxmodel.py``) before it is read; its sha256 can
  match ``trusted_artifacts``. A file whose external data escapes is refused whatever the
  installed library would do: current onnx/onnxruntime refuse it too, older ones (onnx 1.15
  follows symlinks; before 1.13 ``..``) read the file named - the evidence names the version.
* ``load_external_data_for_model`` / ``load_external_data_for_tensor``: where onnx opens each
  tensor's data file, judged on the tensor's location and the folder onnx resolves it in (a
  reference to ``onnx.load`` bound before the guard, ``onnx.load_model_from_string`` followed
  by an explicit external-data load, a file object).
"""

import os
import sys

from .. import filesource
from .judging import apply_rule_in, inner_context, judge, live, report_of

RULE_EXTERNAL = "onnx-external-data"
RULE_CUSTOM_OP = "onnx-custom-op"


def _versions() -> dict:
    out = {}
    for name in ("onnx", "onnxruntime"):
        module = sys.modules.get(name)
        version = getattr(module, "__version__", None)
        if isinstance(version, str):
            out[f"{name}_version"] = version[:40]
    return out


def _scan(target):
    """ScanReport of the model a loader is handed: a path, a file object, or model bytes."""
    from ...scan.codeformats.onnxmodel import scan_onnx

    if isinstance(target, (bytes, bytearray, memoryview)) and not _is_path(target):
        findings, errors = scan_onnx(data=target, folder=os.getcwd())
        return report_of("<bytes>", "onnx", findings, errors)
    source = filesource.describe(target)
    if source is None:
        return report_of("<unknown>", "onnx", [], ["cannot read what is loaded"])
    if source.path is not None:
        findings, errors = scan_onnx(path=source.path)
        return report_of(source.path, "onnx", findings, errors)
    # a file object: onnx resolves external data next to its .name
    name = getattr(target, "name", None)
    folder = os.path.dirname(os.path.abspath(name)) if isinstance(name, str) else os.getcwd()
    findings, errors = scan_onnx(data=source.data, folder=folder)
    return report_of("<file>", "onnx", findings, errors)


def _is_path(data) -> bool:
    """ORT takes a path as str or bytes, and model content as bytes: a protobuf is no path."""
    if not isinstance(data, bytes) or len(data) > 4096 or b"\x00" in data:
        return False
    try:
        return os.path.isfile(os.fsdecode(data))
    except (ValueError, OSError):
        return False


def _check(state, label, target, what):
    """Scan and judge the model; then the policy's action for custom operator domains."""
    report = _scan(target)
    hash_target = target
    if isinstance(target, (bytearray, memoryview)) or (
        isinstance(target, bytes) and not _is_path(target)
    ):
        import io

        hash_target = io.BytesIO(bytes(target))
    ctx = judge(state, label, hash_target, report, RULE_EXTERNAL, what)
    if ctx.trusted or not state.enabled:
        return ctx
    custom = [f.detail for f in report.findings if f.kind == "onnx-custom-op"]
    if custom:
        evidence = {"call": ctx.call, "findings": sorted(set(custom))[:10]}
        evidence.update(state.file_evidence(ctx, with_hash=True))
        apply_rule_in(
            state, ctx, RULE_CUSTOM_OP, evidence, what, "its operators need a custom-op library"
        )
    return ctx


def _file_wrapper(original, label, state):
    def load_model(f, *args, **kwargs):
        if not live(state):
            return original(f, *args, **kwargs)
        with _check(state, label, f, "loading this ONNX model"):
            return original(f, *args, **kwargs)

    return load_model


def _session_wrapper(original, label, state):
    def __init__(session, path_or_bytes, *args, **kwargs):  # noqa: N807 - the method it wraps
        if not live(state):
            return original(session, path_or_bytes, *args, **kwargs)
        with _check(state, label, path_or_bytes, "opening this ONNX model in onnxruntime"):
            return original(session, path_or_bytes, *args, **kwargs)

    return __init__


def _judge_locations(state, label, tensors, base_dir):
    from ...scan.codeformats.onnxmodel import escapes

    ctx = inner_context(state, label)
    if ctx.trusted or not state.enabled:
        return ctx
    folder = base_dir if base_dir else os.getcwd()
    found = []
    for tensor in tensors:
        location = _location_of(tensor)
        if location is None:
            continue
        why = escapes(location, folder)
        if why:
            found.append(f"onnx-external-data: {getattr(tensor, 'name', '')[:100]}: {why}")
    if found:
        evidence = {"call": ctx.call, "verdict": "dangerous", "findings": found[:10]}
        evidence.update(_versions())
        state.apply_rule(
            RULE_EXTERNAL,
            evidence,
            "reading this ONNX model's external data",
            "; ".join(found[:2]),
        )
    return ctx


def _location_of(tensor):
    if getattr(tensor, "data_location", 0) != 1:  # TensorProto.EXTERNAL
        return None
    for entry in getattr(tensor, "external_data", ()):
        if entry.key == "location":
            return entry.value
    return ""  # external without a location: escapes() refuses it


def _model_data_wrapper(original, label, state):
    def load_external_data_for_model(model, base_dir, *args, **kwargs):
        if not live(state):
            return original(model, base_dir, *args, **kwargs)
        from onnx.external_data_helper import _get_all_tensors

        with _judge_locations(state, label, list(_get_all_tensors(model)), base_dir):
            return original(model, base_dir, *args, **kwargs)

    return load_external_data_for_model


def _tensor_data_wrapper(original, label, state):
    def load_external_data_for_tensor(tensor, base_dir, *args, **kwargs):
        if not live(state):
            return original(tensor, base_dir, *args, **kwargs)
        with _judge_locations(state, label, [tensor], base_dir):
            return original(tensor, base_dir, *args, **kwargs)

    return load_external_data_for_tensor


MAKERS = {
    "onnx-file": _file_wrapper,
    "ort-session": _session_wrapper,
    "onnx-data": _model_data_wrapper,
    "onnx-tensor": _tensor_data_wrapper,
}
