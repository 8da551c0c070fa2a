"""TorchScript archives: what their code can reach, and their pickles by TorchScript's rules.

``torch.jit.load`` (and ``torch.load(weights_only=False)``, which hands TorchScript archives
to it) compiles the ``code/`` entries and runs the scripted ``__setstate__`` of every object
while loading, and ``forward`` when called. TorchScript has no ``import`` and no ``exec``;
what reaches files, the network or processes are operators. Every operator the code names
must be on an allow list generated from torch's own registered operators, less those that
reach files (``aten::from_file`` creates or extends any writable file with ``shared=True``),
the network (``prim::rpc_*``) or Python callbacks: anything else of torch's namespaces is
dangerous (a name the list does not know cannot be cleared). Operators of a namespace other
than torch's own need a custom library, which the archive cannot load by itself: suspicious.

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

# Every dotted name in the code (``torch . from_file`` is the same call as ``torch.from_file``)
_CHAIN = re.compile(r"(?<![\w.])([A-Za-z_]\w*)((?:\s*\.\s*[A-Za-z_]\w*)*)")
# a method call: TorchScript resolves ``t.op(...)`` to the operator aten::op(self=t, ...)
_METHOD = re.compile(r"\.\s*([A-Za-z_]\w*)\s*\(")
# names TorchScript's importer resolves to operator namespaces (torch/csrc/jit/serialization/
# import_source.cpp): torch.X and math.X are aten::X, ops.NS.X is NS::X
_OPERATOR_ROOTS = frozenset(("torch", "ops", "math"))
# builtins printed with a longer path than torch.X
_KNOWN_DOTTED = frozenset(
    ("torch.backends.mha.get_fastpath_enabled", "torch.backends.cudnn.is_acceptable")
)
# custom C++ classes (torch.classes.<ns>.<cls>) registered by a library the archive cannot load
_OWN_CLASSES_NAMESPACES = frozenset(("quantized", "xnnpack", "_nnapi", "rnn", "dist_c10d"))
_REASONS = {
    "aten::from_file": "reaches files",
    "aten::save": "reaches files",
    "debugprims::load_tensor": "reaches files",
}


def allowed_operators():
    """The allow list (generated from torch's registered operators by
    scripts/torchscript-ops.py): operator names, and the namespaces torch itself registers.
    Imported on first use: only a TorchScript scan pays for it."""
    from . import torchscript_ops

    return torchscript_ops.OPERATORS, torchscript_ops.NAMESPACES


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
    """Every operator the code names must be on the allow list: one outside it (or a torch
    namespace name used as a value, where the operator cannot be told) is dangerous; an
    operator of a custom library (which the archive cannot load by itself) is suspicious."""
    allowed, torch_namespaces = allowed_operators()
    out: List[Finding] = []
    judged = set()  # where a chain was judged: its own ".op(" is not a method call

    def at(pos: int) -> str:
        return f"{where}:{text.count(chr(10), 0, pos) + 1}"

    for match in _CHAIN.finditer(text):
        root = match.group(1)
        if root not in _OPERATOR_ROOTS:
            continue
        parts = [root] + [p.strip() for p in match.group(2).split(".")[1:]]
        judged.update(range(match.start(), match.end()))
        dotted = ".".join(parts)
        if dotted in _KNOWN_DOTTED:
            continue
        operator = _operator_of(parts)
        if operator is None:
            out.append(
                Finding(
                    "torchscript-op",
                    at(match.start()),
                    DANGEROUS,
                    f"{dotted}: a torch namespace used as a value (the operator cannot be told)",
                )
            )
            continue
        if operator.startswith("class:"):
            namespace, cls = operator[6:].split(".", 1)
            if namespace not in _OWN_CLASSES_NAMESPACES:
                detail = f"torch.classes.{namespace}.{cls}: custom class from a library"
                out.append(Finding("torchscript-class", at(match.start()), SUSPICIOUS, detail))
            continue
        finding = _judge_operator(operator, dotted, allowed, torch_namespaces)
        if finding is not None:
            out.append(Finding("torchscript-op", at(match.start()), *finding))
    for match in _METHOD.finditer(text):
        if match.start() in judged:
            continue
        operator = "aten::" + match.group(1)
        if operator in _REASONS:
            detail = f"{match.group(0).rstrip('( ')}: aten method {operator} {_REASONS[operator]}"
            out.append(Finding("torchscript-op", at(match.start()), DANGEROUS, detail))
    return out


def _operator_of(parts: List[str]):
    """``namespace::name`` a dotted name resolves to, ``class:ns.cls`` for a custom class,
    None for a bare namespace (``torch`` alone, ``ops.aten``) used as a value."""
    root, rest = parts[0], parts[1:]
    if root == "ops":
        return f"{rest[0]}::{rest[1]}" if len(rest) >= 2 else None
    if not rest:
        return None
    if root == "torch" and rest[0] == "ops":
        return f"{rest[1]}::{rest[2]}" if len(rest) >= 3 else None
    if root == "torch" and rest[0] == "classes":
        return f"class:{rest[1]}.{rest[2]}" if len(rest) >= 3 else None
    if root == "torch" and rest[0] == "autograd":  # torch.autograd.X is aten::X
        return f"aten::{rest[1]}" if len(rest) >= 2 else None
    return f"aten::{rest[0]}"


def _judge_operator(operator: str, dotted: str, allowed, torch_namespaces):
    if operator in allowed:
        return None
    namespace = operator.split("::", 1)[0]
    if operator in _REASONS:
        return DANGEROUS, f"{dotted}: {operator} {_REASONS[operator]}"
    if namespace in torch_namespaces:
        return DANGEROUS, f"{dotted}: {operator} is outside the TorchScript operator allow list"
    return SUSPICIOUS, f"{dotted}: {operator}: custom operator from a library outside torch"


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
