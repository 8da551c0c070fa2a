"""TorchScript archives: what their code can reach, and their pickles by TorchScript's rules.

``torch.jit.load`` (and ``torch.load(weights_only=False)``, which hands TorchScript archives
to it) compiles the ``code/`` entries and runs the scripted ``__setstate__`` of every object
while loading, and ``forward`` when called. TorchScript has no ``import`` and no ``exec``;
what reaches files or processes are operators. Those found in real archives that touch the
file system (``aten::from_file`` creates or extends any writable file with ``shared=True``;
storage ``from_file``) are dangerous; operators of a namespace other than torch's own need
a custom library, which the archive cannot load by itself: suspicious.

TorchScript's own unpickler (C++, not Python's) resolves only its own globals: the
``torch.jit._pickle`` helpers, tensor/storage rebuilders, ``collections.OrderedDict`` and
``__torch__`` classes compiled from ``code/``. Those are judged by that rule, not as names a
Python unpickler would import.
"""

import re
import zipfile
import zlib
from typing import List, Tuple

from ..report import DANGEROUS, SAFE, SUSPICIOUS, Finding

MAX_CODE_BYTES = 64 * 1024 * 1024

# operator spellings in serialized TorchScript code that reach files
_FILE_OPS = re.compile(
    r"\b(?:torch\.from_file|ops\.aten\.from_file|aten::from_file|from_file)\s*\("
    r"|\b(?:torch\.ops\.aten\._?save\w*|torch\.ops\.aten\.load\w*)\s*\("
)
# ops.<namespace>.<op>: namespaces that ship with torch
_OPS_CALL = re.compile(r"\bops\.(\w+)\.(\w+)")
_TORCH_NAMESPACES = frozenset(("aten", "prim", "quantized", "_quantized", "_caffe2", "profiler"))
# custom C++ classes (torch.classes.<ns>.<cls>) registered by a library the archive cannot load
_CLASSES = re.compile(r"\b__torch__\.torch\.classes\.(\w+)\.(\w+)|\btorch\.classes\.(\w+)\.(\w+)")
_OWN_CLASSES_NAMESPACES = frozenset(("quantized", "xnnpack", "_nnapi", "rnn", "dist_c10d"))

# globals TorchScript's C++ unpickler knows (torch/csrc/jit/serialization/unpickler.cpp)
_OWN_MODULES = frozenset(("torch.jit._pickle", "torch._utils"))
_OWN_EXACT = frozenset(
    (
        ("collections", "OrderedDict"),
        ("builtins", "set"),
        ("torch", "device"),
        ("torch", "Tensor"),
        ("torch", "_utils._rebuild_tensor_v2"),
        ("torch", "_utils._rebuild_qtensor"),
        ("torch", "_utils._rebuild_sparse_tensor"),
    )
)


def is_torchscript(names: List[str]) -> bool:
    return any(n == "constants.pkl" or n.endswith("/constants.pkl") for n in names)


def scan_code(zf: zipfile.ZipFile) -> Tuple[List[Finding], List[str]]:
    findings: List[Finding] = []
    errors: List[str] = []
    for info in zf.infolist():
        name = info.filename
        if "/code/" not in "/" + name or not name.endswith(".py"):
            continue
        if info.file_size > MAX_CODE_BYTES:
            errors.append(f"{name}: code entry larger than {MAX_CODE_BYTES} bytes")
            continue
        try:
            text = zf.read(info).decode("utf-8", "replace")
        except (
            zipfile.BadZipFile,
            OSError,
            ValueError,
            RuntimeError,
            zlib.error,
            NotImplementedError,
        ) as exc:
            errors.append(f"{name}: unreadable code entry: {exc}")
            continue
        findings.extend(judge_code(text, name))
    return findings, errors


def judge_code(text: str, where: str) -> List[Finding]:
    out: List[Finding] = []
    for line_no, line in enumerate(text.splitlines(), 1):
        at = f"{where}:{line_no}"
        match = _FILE_OPS.search(line)
        if match:
            op = match.group(0).rstrip("( ")
            out.append(Finding("torchscript-op", at, DANGEROUS, f"{op}: reaches files"))
        for namespace, op in _OPS_CALL.findall(line):
            if namespace not in _TORCH_NAMESPACES:
                out.append(
                    Finding(
                        "torchscript-op",
                        at,
                        SUSPICIOUS,
                        f"ops.{namespace}.{op}: custom operator from a library outside torch",
                    )
                )
        for groups in _CLASSES.findall(line):
            namespace = groups[0] or groups[2]
            cls = groups[1] or groups[3]
            if namespace not in _OWN_CLASSES_NAMESPACES:
                out.append(
                    Finding(
                        "torchscript-class",
                        at,
                        SUSPICIOUS,
                        f"torch.classes.{namespace}.{cls}: custom class from a library",
                    )
                )
    return out


def regrade_global(g):
    """A pickle global of a TorchScript archive, judged as TorchScript's unpickler resolves it."""
    if _is_own(g.module, g.name):
        return g._replace(verdict=SAFE, reason="torchscript-own")
    return g


def _is_own(module: str, name: str) -> bool:
    if module in _OWN_MODULES or module == "__torch__" or module.startswith("__torch__."):
        return True
    if (module, name) in _OWN_EXACT:
        return True
    return module == "torch" and name.endswith("Storage")
