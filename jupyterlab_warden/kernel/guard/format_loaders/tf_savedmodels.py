"""TensorFlow SavedModel: the graph TensorFlow parsed is judged before it is used, whichever
way the load was reached.

``tensorflow.python.saved_model.loader_impl.parse_saved_model`` is the one function that reads
``saved_model.pb`` (or ``.pbtxt``) for every loader: TF2's ``load``/``load_partial`` (what
``tf.saved_model.load``, ``keras.layers.TFSMLayer`` and tf-keras' ``load_model`` reach, also a
``tf.saved_model.load`` bound before the guard), TF1's ``tf.compat.v1.saved_model.load`` /
``SavedModelLoader`` (which runs the init op while loading) and ``is_tf2_saved_model``; they call
it by module attribute. The wrapper lets TensorFlow parse, then scans the message it parsed
(re-serialised: what TF will run, not the file as it may be by then) with
``scan/codeformats/savedmodel.py``, plus ``keras_metadata.pb`` beside it (a tf-keras Lambda).
A dangerous finding, or a model the scan cannot read, is refused by ``tf-savedmodel-code``
before TensorFlow builds anything; ``trusted_artifacts`` match the sha256 of ``saved_model.pb``.
"""

import os

from .judging import judge, live, report_of

RULE_TF = "tf-savedmodel-code"


def _folder(export_dir):
    try:
        return os.fsdecode(os.fspath(export_dir))
    except TypeError:
        return None


def _scan(parsed, folder):
    from ...scan.codeformats import savedmodel

    try:
        data = parsed.SerializeToString()
    except Exception as exc:  # noqa: BLE001 - anything TF's message does: cannot judge it
        return report_of(
            folder or "<SavedModel>",
            "tf-savedmodel",
            [],
            [f"cannot serialise the parsed SavedModel: {type(exc).__name__}"],
        )
    findings, errors = savedmodel.scan_saved_model(data, folder)
    meta = os.path.join(folder, savedmodel.KERAS_METADATA) if folder else None
    if meta and os.path.isfile(meta):
        more, more_errors = savedmodel.scan_file(meta)
        findings, errors = findings + more, errors + more_errors
    return report_of(folder or "<SavedModel>", "tf-savedmodel", findings, errors)


def _model_file(folder):
    from ...scan.codeformats.savedmodel import PB_NAMES

    for name in PB_NAMES:
        path = os.path.join(folder, name) if folder else None
        if path and os.path.isfile(path):
            return path
    return None


def _parse_wrapper(original, label, state):
    def parse_saved_model(export_dir, *args, **kwargs):
        if not live(state):
            return original(export_dir, *args, **kwargs)
        parsed = original(export_dir, *args, **kwargs)  # reads the file; builds nothing
        folder = _folder(export_dir)
        report = _scan(parsed, folder)
        target = _model_file(folder) or folder or ""  # a folder or "": nothing to hash
        with judge(state, label, target, report, RULE_TF, "loading this TensorFlow SavedModel"):
            return parsed

    return parse_saved_model


MAKERS = {"tf-savedmodel": _parse_wrapper}
