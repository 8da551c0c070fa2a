"""GGUF files: the metadata key/values before the tensors, read with the standard library.

Only the chat templates matter here (``tokenizer.chat_template`` and the named
``tokenizer.chat_template.<name>``): llama-cpp-python renders them with Jinja2
(CVE-2024-34359 when unsandboxed). Every other value is stepped over without being kept.
"""

import mmap
import struct
from typing import List, Tuple

from ..report import Finding
from .chattemplate import judge_template

MAGIC = b"GGUF"
MAX_STRING = 64 * 1024 * 1024
MAX_KV = 1_000_000
# value type -> struct format of a fixed-size scalar
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
            10: "<Q", 11: "<q", 12: "<d"}  # fmt: skip
_STRING, _ARRAY = 8, 9


class _Reader:
    def __init__(self, buf):
        self.buf = buf
        self.pos = 0

    def take(self, fmt: str):
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.buf):
            raise ValueError("truncated GGUF metadata")
        (value,) = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += size
        return value

    def string(self, keep: bool):
        length = self.take("<Q")
        if length > MAX_STRING or self.pos + length > len(self.buf):
            raise ValueError("GGUF string longer than the file or the scan limit")
        start, self.pos = self.pos, self.pos + length
        return bytes(self.buf[start : self.pos]).decode("utf-8", "replace") if keep else None

    def skip_value(self, vtype: int, depth: int = 0) -> None:
        if vtype in _SCALARS:
            self.take(_SCALARS[vtype])
        elif vtype == _STRING:
            self.string(keep=False)
        elif vtype == _ARRAY and depth < 4:
            item_type, count = self.take("<I"), self.take("<Q")
            if item_type in _SCALARS:
                size = struct.calcsize(_SCALARS[item_type]) * count
                if self.pos + size > len(self.buf):
                    raise ValueError("truncated GGUF array")
                self.pos += size
            else:
                for _ in range(count):
                    self.skip_value(item_type, depth + 1)
        else:
            raise ValueError(f"unknown GGUF value type {vtype}")


def scan_gguf(path=None, data=None) -> Tuple[List[Finding], List[str]]:
    if data is not None:
        return _scan(memoryview(data))
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        return _scan(buf)


def _scan(buf) -> Tuple[List[Finding], List[str]]:
    reader = _Reader(buf)
    findings: List[Finding] = []
    errors: List[str] = []
    try:
        reader.pos = 4
        version = reader.take("<I")
        if version < 2:
            return [], [f"GGUF version {version} is not read by the scanner"]
        reader.take("<Q")  # tensor count
        kv_count = reader.take("<Q")
        if kv_count > MAX_KV:
            return [], [f"GGUF claims {kv_count} metadata entries"]
        for _ in range(kv_count):
            key = reader.string(keep=True)
            vtype = reader.take("<I")
            if key.startswith("tokenizer.chat_template") and vtype == _STRING:
                found, errs = judge_template(reader.string(keep=True), key)
                findings.extend(found)
                errors.extend(errs)
            else:
                reader.skip_value(vtype)
    except (ValueError, struct.error) as exc:
        errors.append(f"GGUF metadata unreadable: {exc}")
    return findings, errors
