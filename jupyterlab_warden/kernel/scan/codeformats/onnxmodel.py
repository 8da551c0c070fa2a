"""ONNX models: where their external data lives, and which operator domains they use, read
from the protobuf wire format with the standard library (onnx is not imported).

A tensor stored outside the model (``data_location = EXTERNAL``) names a ``location`` that
onnx and onnxruntime open relative to the model's folder. A location that is absolute, climbs
out with ``..``, or resolves outside the folder through a symlink reads any file the kernel
can read (CVE-2022-25882, CVE-2024-27318; onnx 1.15 still follows symlinks): dangerous,
whatever the installed onnx would do with it - the file itself is hostile. Nodes of a domain
outside ONNX's and onnxruntime's own need a custom-op library the user registers: suspicious.
"""

import mmap
import os
import re
import stat
from typing import List, Optional, Tuple

from ..report import DANGEROUS, SUSPICIOUS, Finding

SUFFIXES = (".onnx",)
STANDARD_DOMAINS = frozenset(
    (
        "",
        "ai.onnx",
        "ai.onnx.ml",
        "ai.onnx.training",
        "ai.onnx.preview.training",
        "com.microsoft",
        "com.microsoft.nchwc",
        "com.microsoft.experimental",
        "com.ms.internal.nhwc",
    )
)
MAX_DEPTH = 64
MAX_FINDINGS = 200
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")

# field numbers (onnx/onnx.proto)
_MODEL_GRAPH, _MODEL_FUNCTIONS, _MODEL_TRAINING = 7, 25, 20
_GRAPH_NODE, _GRAPH_INIT, _GRAPH_SPARSE_INIT = 1, 5, 15
_NODE_OP, _NODE_DOMAIN, _NODE_ATTR = 4, 7, 5
_ATTR_T, _ATTR_G, _ATTR_TENSORS, _ATTR_GRAPHS, _ATTR_SPARSE, _ATTR_SPARSES = 5, 6, 10, 11, 22, 23
_SPARSE_VALUES, _SPARSE_INDICES = 1, 2
_TENSOR_NAME, _TENSOR_EXTERNAL, _TENSOR_LOCATION = 8, 13, 14
_FUNCTION_NODE = 7
_TRAINING_GRAPHS = (1, 2)


class _Wire:
    """Fields of one protobuf message: (number, wire type, value or (start, end) of bytes)."""

    def __init__(self, buf, start: int, end: int):
        self.buf, self.pos, self.end = buf, start, end

    def varint(self) -> int:
        shift = result = 0
        while True:
            if self.pos >= self.end or shift > 63:
                raise ValueError("truncated or malformed protobuf varint")
            byte = self.buf[self.pos]
            self.pos += 1
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
            shift += 7

    def fields(self):
        while self.pos < self.end:
            key = self.varint()
            number, wire = key >> 3, key & 7
            if wire == 0:
                yield number, wire, self.varint()
            elif wire == 1:
                self.pos += 8
            elif wire == 2:
                length = self.varint()
                start = self.pos
                self.pos += length
                if self.pos > self.end:
                    raise ValueError("protobuf field longer than its message")
                yield number, wire, (start, self.pos)
            elif wire == 5:
                self.pos += 4
            else:
                raise ValueError(f"unsupported protobuf wire type {wire}")
            if self.pos > self.end:
                raise ValueError("truncated protobuf message")


class _Model:
    def __init__(self, buf, folder: Optional[str]):
        self.buf = buf
        self.folder = folder
        self.findings: List[Finding] = []
        self.locations: List[str] = []

    def text(self, span) -> str:
        return bytes(self.buf[span[0] : span[1]]).decode("utf-8", "replace")

    def sub(self, span) -> _Wire:
        return _Wire(self.buf, span[0], span[1])

    def model(self, span) -> None:
        for number, wire, value in self.sub(span).fields():
            if wire != 2:
                continue
            if number == _MODEL_GRAPH:
                self.graph(value, "graph", 0)
            elif number == _MODEL_FUNCTIONS:
                self.function(value, 0)
            elif number == _MODEL_TRAINING:
                for n, w, v in self.sub(value).fields():
                    if w == 2 and n in _TRAINING_GRAPHS:
                        self.graph(v, "training_info", 0)

    def graph(self, span, where: str, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise ValueError("ONNX subgraphs nested deeper than the scan limit")
        for number, wire, value in self.sub(span).fields():
            if wire != 2:
                continue
            if number == _GRAPH_NODE:
                self.node(value, where, depth)
            elif number == _GRAPH_INIT:
                self.tensor(value, where)
            elif number == _GRAPH_SPARSE_INIT:
                self.sparse(value, where)

    def function(self, span, depth: int) -> None:
        for number, wire, value in self.sub(span).fields():
            if wire == 2 and number == _FUNCTION_NODE:
                self.node(value, "function", depth)

    def node(self, span, where: str, depth: int) -> None:
        op, domain, attributes = "", "", []
        for number, wire, value in self.sub(span).fields():
            if wire != 2:
                continue
            if number == _NODE_OP:
                op = self.text(value)
            elif number == _NODE_DOMAIN:
                domain = self.text(value)
            elif number == _NODE_ATTR:
                attributes.append(value)
        if domain not in STANDARD_DOMAINS:
            self.add(
                Finding(
                    "onnx-custom-op",
                    f"{where}/{op[:100]}",
                    SUSPICIOUS,
                    f"operator {domain[:100]}::{op[:100]} needs a custom-op library",
                )
            )
        for attribute in attributes:
            for number, wire, value in self.sub(attribute).fields():
                if wire != 2:
                    continue
                if number in (_ATTR_T, _ATTR_TENSORS):
                    self.tensor(value, f"{where}/{op[:100]}")
                elif number in (_ATTR_G, _ATTR_GRAPHS):
                    self.graph(value, f"{where}/{op[:100]}", depth + 1)
                elif number in (_ATTR_SPARSE, _ATTR_SPARSES):
                    self.sparse(value, f"{where}/{op[:100]}")

    def sparse(self, span, where: str) -> None:
        for number, wire, value in self.sub(span).fields():
            if wire == 2 and number in (_SPARSE_VALUES, _SPARSE_INDICES):
                self.tensor(value, where)

    def tensor(self, span, where: str) -> None:
        name, location, external = "", None, False
        for number, wire, value in self.sub(span).fields():
            if number == _TENSOR_NAME and wire == 2:
                name = self.text(value)
            elif number == _TENSOR_LOCATION and wire == 0:
                external = value == 1
            elif number == _TENSOR_EXTERNAL and wire == 2:
                key, text = None, None
                for n, w, v in self.sub(value).fields():
                    if w == 2 and n == 1:
                        key = self.text(v)
                    elif w == 2 and n == 2:
                        text = self.text(v)
                if key == "location":
                    location = text
        if location is None:
            if external:  # EXTERNAL without a location: onnx cannot say what it reads
                self.add(Finding("onnx-external-data", f"{where}/{name[:100]}", DANGEROUS,
                                 "external data without a location"))  # fmt: skip
            return
        self.locations.append(location)
        why = escapes(location, self.folder)
        if why:
            self.add(
                Finding(
                    "onnx-external-data",
                    f"{where}/{name[:100]}",
                    DANGEROUS,
                    f"external data {why}",
                )
            )

    def add(self, finding: Finding) -> None:
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(finding)


def escapes(location: str, folder: Optional[str]) -> Optional[str]:
    """Why ``location`` reads outside the model's ``folder`` (None if it does not)."""
    if not location or "\x00" in location:
        return "location is empty or holds a NUL byte"
    if location.startswith(("/", "\\")) or _WINDOWS_DRIVE.match(location):
        return "location is an absolute path"
    if ".." in re.split(r"[\\/]+", location):
        return "location climbs out of the model folder with '..'"
    if folder is None:
        return None  # bytes without a folder: onnx reads no external data for them
    root = os.path.realpath(folder)
    target = os.path.realpath(os.path.join(root, location))
    if os.path.commonpath([root, target]) != root:
        return "location resolves outside the model folder (a symlink)"
    return _linked_elsewhere(root, target)


def _linked_elsewhere(root: str, target: str) -> Optional[str]:
    """Why the file at ``target`` (inside ``root`` by name) may be another file's bytes: a
    HARD link has no path to resolve (tar archives create them, ``protected_hardlinks`` lets a
    user link any file they own), so its link count says it; a file on another device is a
    mount. A missing file reads nothing (the loader fails)."""
    try:
        info = os.stat(target)
        folder = os.stat(root)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"location cannot be checked ({type(exc).__name__})"
    if not stat.S_ISREG(info.st_mode):
        return "location is not a regular file"
    if info.st_nlink > 1:
        return "location is a hard link (the same file may live outside the model folder)"
    if info.st_dev != folder.st_dev:
        return "location is on another device than the model folder (a mount)"
    return None


def scan_onnx(
    path: Optional[str] = None, data=None, folder: Optional[str] = None
) -> Tuple[List[Finding], List[str]]:
    """(findings, errors) for an ONNX model file (its folder judges symlinks), or bytes whose
    external data a loader would resolve in ``folder``."""
    if data is not None:
        return _scan(memoryview(bytes(data)), folder)
    folder = os.path.dirname(os.path.abspath(path))
    with open(path, "rb") as fh:
        if os.fstat(fh.fileno()).st_size == 0:
            return [], ["empty ONNX file"]
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            return _scan(buf, folder)


def _scan(buf, folder) -> Tuple[List[Finding], List[str]]:
    model = _Model(buf, folder)
    try:
        model.model((0, len(buf)))
    except (ValueError, IndexError, RecursionError) as exc:
        return model.findings, [f"ONNX model unreadable: {exc}"]
    return model.findings, []
