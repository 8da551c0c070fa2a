"""Keras model configs: the layers and callables a ``.keras`` / ``.h5`` file makes Keras build.

Keras 3 ``.keras`` is a zip whose ``config.json`` describes every object as
``{"module", "class_name", "config", "registered_name"}``; legacy ``.h5`` keeps the same tree
(without ``module``) in the HDF5 attribute ``model_config``. Code comes in three ways:
a ``Lambda`` layer (its function, and its ``output_shape``, marshalled Python bytecode under
``class_name: "__lambda__"`` or a function named by module), and any object whose ``module``
names a module outside Keras (CVE-2025-1550: Keras imports it and calls the name).
Nothing is deserialised; h5py is imported only to read an ``.h5`` attribute.
"""

import io
import json
import zipfile
import zlib
from typing import Iterator, List, Optional, Tuple

from ..report import DANGEROUS, SUSPICIOUS, Finding

HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
MAX_CONFIG_BYTES = 64 * 1024 * 1024
# modules Keras' own objects come from (a Keras config names them in "module")
_KERAS_MODULES = ("keras", "tf_keras", "tensorflow.keras", "tensorflow.python.keras")
_MAX_DEPTH = 200


def is_keras_zip(names: List[str]) -> bool:
    return "config.json" in names and ("metadata.json" in names or "model.weights.h5" in names)


def scan_keras_zip(zf: zipfile.ZipFile) -> Tuple[List[Finding], List[str]]:
    info = zf.getinfo("config.json")
    if info.file_size > MAX_CONFIG_BYTES:
        return [], [f"config.json larger than {MAX_CONFIG_BYTES} bytes"]
    try:
        config = json.loads(zf.read(info).decode("utf-8"))
    except (
        ValueError,
        zipfile.BadZipFile,
        OSError,
        zlib.error,
        RuntimeError,
        NotImplementedError,
    ) as exc:
        return [], [f"config.json unreadable: {exc}"]
    return list(judge_config(config, "config.json")), []


def scan_hdf5(source) -> Tuple[List[Finding], List[str], Optional[str]]:
    """(findings, errors, note) of a legacy Keras HDF5 file (path, bytes or an h5py.File)."""
    try:
        import h5py  # lazy: only an .h5 file needs it, and the kernel guard is stdlib at import
    except ImportError:
        return [], ["HDF5 file, and h5py is not installed: cannot read its model config"], None
    try:
        if isinstance(source, (bytes, bytearray, memoryview)):
            handle = h5py.File(io.BytesIO(bytes(source)), "r")
        elif hasattr(source, "attrs"):
            handle = None
            attrs = source.attrs
        else:
            handle = h5py.File(source, "r")
        if handle is not None:
            with handle:
                raw = handle.attrs.get("model_config")
                raw = raw if raw is not None else _nested_model_config(handle)
        else:
            raw = attrs.get("model_config")
    except Exception as exc:  # noqa: BLE001 - h5py raises many types; any of them: cannot read
        return [], [f"HDF5 file unreadable: {type(exc).__name__}: {exc}"], None
    if raw is None:
        return [], [], "HDF5 file without a Keras model config (weights only)"
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    try:
        config = json.loads(str(raw))
    except ValueError as exc:
        return [], [f"model_config unreadable: {exc}"], None
    return list(judge_config(config, "model_config")), [], None


def _nested_model_config(handle):
    # keras.src.legacy.saving also reads the config of a model saved inside a group
    group = handle.get("model_weights") if hasattr(handle, "get") else None
    return None if group is None else group.attrs.get("model_config")


def judge_config(node, where: str, depth: int = 0) -> Iterator[Finding]:
    """Every Lambda and every callable named outside Keras in a config tree."""
    if depth > _MAX_DEPTH:
        yield Finding("keras-config", where, DANGEROUS, "config nested too deeply to judge")
        return
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from judge_config(item, f"{where}[{i}]", depth + 1)
        return
    if not isinstance(node, dict):
        return
    class_name = node.get("class_name")
    module = node.get("module")
    registered = node.get("registered_name")
    here = f"{where}/{node.get('config', {}).get('name')}" if _named(node) else where
    if class_name == "__lambda__":
        yield Finding("keras-lambda", here, DANGEROUS, "marshalled Python bytecode (__lambda__)")
    elif class_name == "Lambda":
        yield Finding("keras-lambda", here, DANGEROUS, "Lambda layer: runs Python code")
    if isinstance(module, str) and module and not _is_keras_module(module):
        # Keras imports this module and looks the name up: any callable of any module
        name = f"{module}.{class_name}"
        verdict = DANGEROUS if module != "builtins" or class_name != "function" else SUSPICIOUS
        detail = f"names {name}" if verdict == DANGEROUS else "a function named by the user"
        if class_name == "function" and module == "builtins":
            detail = f"function {node.get('config')!r} (resolved from custom objects)"
        yield Finding("keras-callable", here, verdict, detail)
    if isinstance(registered, str) and registered and ">" in registered:
        yield Finding(
            "keras-custom-object",
            here,
            SUSPICIOUS,
            f"custom object {registered[:200]} (needs the user's registered class)",
        )
    for key, value in node.items():
        if isinstance(value, (dict, list)):
            yield from judge_config(value, f"{here}.{key}", depth + 1)


def _named(node: dict) -> bool:
    config = node.get("config")
    return isinstance(config, dict) and isinstance(config.get("name"), str)


def _is_keras_module(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in _KERAS_MODULES)
