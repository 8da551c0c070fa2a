"""Model formats other than pickle that can run code when loaded: one module per family.

``scan_format(path=..., data=..., by_name=...)`` returns a ``FormatScan`` for a file it
recognises, else ``None`` (the caller scans it as pickles). Formats are recognised by content
(Keras zip, HDF5, TorchScript zip, torch.package zip, skops zip, GGUF); by file name only when
the caller asks (``by_name``, the CLI): ONNX and TF SavedModel (protobuf has no magic), YAML,
``tokenizer_config.json`` chat templates, Hugging Face ``config.json`` ``auto_map``. A pickle
loader's pre-scan never passes ``by_name``: what ``pickle.load`` reads is a pickle whatever the
file is called.
"""

import io
import os
import zipfile
from typing import Callable, List, NamedTuple, Optional

from ..report import Finding
from . import (
    chattemplate,
    gguf,
    hfremote,
    hydratargets,
    keras,
    onnxmodel,
    savedmodel,
    skopsfile,
    torchpackage,
    torchscript,
    yamltags,
)

YAML_SUFFIXES = (".yaml", ".yml")
MAX_TEXT_BYTES = 64 * 1024 * 1024


class FormatScan(NamedTuple):
    fmt: str
    findings: List[Finding]
    notes: List[str]
    errors: List[str]
    # The file is scanned as pickles too: a pickle loader (torch.load of a zip that is also a
    # Keras file, bytes that are both GGUF and a pickle) reads what it reads, whatever else
    # the file is. Only files recognised by name alone (YAML, tokenizer config) skip it.
    with_pickles: bool
    regrade: Optional[Callable] = None  # re-judges pickle globals by the format's loader
    # whether the pickle scan's errors count: "not a pickle" is expected of a Keras zip's
    # config.json or an HDF5 file (what cannot be parsed at all still counts, see report)
    pickle_errors: bool = False


def scan_format(path: Optional[str] = None, data=None, by_name: bool = False):
    """``FormatScan`` of a code-carrying format, or None. Reads at most what it judges."""
    head = _head(path, data)
    if head.startswith(keras.HDF5_MAGIC):
        findings, errors, note = keras.scan_hdf5(path if path is not None else data)
        return FormatScan("keras-h5", findings, [note] if note else [], errors, True)
    if head.startswith(gguf.MAGIC):
        findings, errors = gguf.scan_gguf(path=path, data=data)
        return FormatScan("gguf", findings, [], errors, True)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_format(path, data)
    if by_name and path is not None and path.lower().endswith(onnxmodel.SUFFIXES):
        findings, errors = onnxmodel.scan_onnx(path=path)
        return FormatScan("onnx", findings, [], errors, False)
    if by_name and path is not None and os.path.basename(path) in savedmodel.NAMES:
        findings, errors = savedmodel.scan_file(path)
        return FormatScan("tf-savedmodel", findings, [], errors, False)
    if by_name and path is not None and path.lower().endswith(hydratargets.NEMO_SUFFIXES):
        findings, errors = hydratargets.scan_nemo(path=path)
        return FormatScan("nemo", findings, [], errors, False)
    if by_name and path is not None and path.lower().endswith(YAML_SUFFIXES):
        return scan_yaml(path=path)
    if by_name and path is not None and path.replace("\\", "/").endswith("tokenizer_config.json"):
        text, error = _read_text(path)
        if error:
            return FormatScan("tokenizer-config", [], [], [error], False)
        findings, errors = chattemplate.scan_tokenizer_config(text)
        return FormatScan("tokenizer-config", findings, [], errors, False)
    if by_name and path is not None and os.path.basename(path) in chattemplate.FILE_NAMES:
        text, error = _read_text(path)
        if error:
            return FormatScan("chat-template", [], [], [error], False)
        findings, errors = chattemplate.judge_template(text, os.path.basename(path))
        return FormatScan("chat-template", findings, [], errors, False)
    if by_name and path is not None and os.path.basename(path) == "config.json":
        text, error = _read_text(path)
        if error:
            return FormatScan("hf-config", [], [], [error], False)
        findings, errors = hfremote.scan_config(path, text)
        return FormatScan("hf-config", findings, [], errors, False)
    return None


def _read_text(path: str):
    with open(path, "rb") as fh:
        raw = fh.read(MAX_TEXT_BYTES + 1)
    if len(raw) > MAX_TEXT_BYTES:
        return "", f"larger than {MAX_TEXT_BYTES} bytes"
    return raw.decode("utf-8", "replace"), None


def scan_yaml(path: Optional[str] = None, text: Optional[str] = None) -> FormatScan:
    if text is None:
        text, error = _read_text(path)
        if error:
            return FormatScan("yaml", [], [], [error], False)
    findings, errors = yamltags.scan_text(text)
    targets, target_errors = hydratargets.scan_yaml_targets(text)
    return FormatScan("yaml", findings + targets, [], errors + target_errors, False)


def _head(path, data) -> bytes:
    if data is not None:
        return bytes(data[:8])
    with open(path, "rb") as fh:
        return fh.read(8)


def _zip_format(path, data) -> Optional[FormatScan]:
    try:
        zf = zipfile.ZipFile(path if path is not None else io.BytesIO(bytes(data)))
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return None  # the pickle scanner reports what an unreadable zip is
    with zf:
        names = zf.namelist()
        if keras.is_keras_zip(names):
            findings, errors = keras.scan_keras_zip(zf)
            return FormatScan("keras", findings, [], errors, True)
        if torchscript.is_torchscript(names):
            findings, errors = torchscript.scan_code(zf)
            return FormatScan("torchscript", findings, [], errors, True, torchscript.regrade_global)
        if skopsfile.is_skops_zip(names):
            findings, errors = skopsfile.scan_skops_zip(zf)
            return FormatScan("skops", findings, [], errors, True)
        if torchpackage.is_torch_package(names):
            findings, errors = torchpackage.scan_package(zf)
            return FormatScan("torch-package", findings, [], errors, True)
    return None
