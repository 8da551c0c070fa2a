"""Find the pickle streams inside a model file, whatever container holds them.

Handles plain pickles (protocols 0-5, several in a row as in legacy torch files), torch zip
archives (every ``*.pkl`` member and any member that starts like a pickle, including entries
that Python's zipfile refuses because of odd flags, bad CRCs or unusual compression), zips
nested in zips, ``.npy`` / ``.npz`` object arrays, and gzip/bz2/xz/zlib-compressed pickles.
Nothing is unpickled; decompression is capped.
"""

import ast
import bz2
import gzip
import io
import lzma
import mmap
import os
import struct
import tarfile
import zipfile
import zlib
from typing import Iterator, List, NamedTuple, Optional

from .opcodes import StreamResult, looks_like_pickle, scan_pickles

MAX_MEMBER_BYTES = 512 * 1024 * 1024  # decompressed pickle data read from one container entry
MAX_NESTING = 3


class Part(NamedTuple):
    where: str  # "" for the file itself, else the member path ("archive/data.pkl")
    fmt: str  # pickle, torch-zip, npy, ...
    streams: List[StreamResult]
    note: Optional[str] = None  # a fact worth reporting (TorchScript archive, ...)
    error: Optional[str] = None


class ScanLimitError(Exception):
    """Input exceeds a safety limit of the scanner."""


# errors that mean "too deeply nested or too large to parse": the guard refuses such a load
UNPARSABLE = "nested too deeply or too large to parse"


def parts_of_file(path: str) -> Iterator[Part]:
    shelf = _shelve_index(path)
    if shelf is not None:
        yield from _shelve_parts(path, shelf)
        return
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size == 0:
            yield Part("", "empty", [], error="empty file")
            return
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as buf:
            yield from parts_of_buffer(buf, "", 0, zip_source=path)


def parts_of_buffer(buf, where: str, depth: int, zip_source=None) -> Iterator[Part]:
    head = bytes(buf[:8])
    if head.startswith(b"\x93NUMPY"):
        yield _npy_part(buf, where)
    elif head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if depth >= MAX_NESTING:
            yield Part(where, "zip", [], error=f"zip nested deeper than {MAX_NESTING} levels")
            return
        source = zip_source if zip_source is not None else io.BytesIO(buf)
        yield from _zip_parts(source, buf, where, depth)
    elif head.startswith(b"ZF") and len(buf) > _ZF_HEADER:
        yield from _joblib_zfile(buf, where, depth)
    elif head[:1] in (b"\x1f",) and head[1:2] == b"\x8b":
        yield from _decompressed(buf, where, depth, "gzip", lambda f: gzip.GzipFile(fileobj=f))
    elif head.startswith(b"BZh"):
        yield from _decompressed(buf, where, depth, "bz2", bz2.BZ2File)
    elif head.startswith(b"\xfd7zXZ\x00") or head[:1] == b"\x5d":
        yield from _decompressed(buf, where, depth, "xz", lzma.LZMAFile)
    elif head[:1] == b"\x78" and head[1:2] in (b"\x01", b"\x5e", b"\x9c", b"\xda"):
        yield from _zlib(buf, where, depth)
    elif head.startswith(b"\x28\xb5\x2f\xfd"):
        yield from _zstd(buf, where, depth)
    elif len(buf) >= 512 and bytes(buf[257:262]) == b"ustar":
        yield from _tar_parts(buf, where, depth)
    else:
        streams, _ = scan_pickles(buf, 0, depth)
        fmt = "pickle" if len(streams) <= 1 else "legacy-torch"
        yield Part(where, fmt, streams)


def _npy_part(buf, where: str) -> Part:
    """``.npy``: a pickle follows the header only when the dtype holds Python objects."""
    try:
        major = buf[6]
        if major == 1:
            (hlen,), start = struct.unpack("<H", bytes(buf[8:10])), 10
        elif major in (2, 3):
            (hlen,), start = struct.unpack("<I", bytes(buf[8:12])), 12
        else:
            return Part(where, "npy", [], error=f"unknown .npy format version {major}")
        if hlen > 1_000_000:
            return Part(where, "npy", [], error=".npy header too large")
        header = bytes(buf[start : start + hlen]).decode("latin-1")
        meta = ast.literal_eval(header)  # literals only: never runs code
        descr = meta["descr"] if isinstance(meta, dict) else None
    except (ValueError, SyntaxError, KeyError, struct.error, IndexError) as exc:
        return Part(where, "npy", [], error=f"malformed .npy header: {exc}")
    except (MemoryError, RecursionError) as exc:  # a nesting bomb in the header
        return Part(where, "npy", [], error=f"{UNPARSABLE}: .npy header ({type(exc).__name__})")
    if not _has_object_dtype(descr):
        return Part(where, "npy", [])
    streams, _ = scan_pickles(buf, start + hlen)
    return Part(where, "npy", streams, note="object array: loading it unpickles")


def _has_object_dtype(descr) -> bool:
    if isinstance(descr, str):
        return "O" in descr
    if isinstance(descr, (list, tuple)):
        return any(_has_object_dtype(item) for item in descr)
    return False


def _zip_parts(source, buf, where: str, depth: int) -> Iterator[Part]:
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        # torch sniffs the first bytes too; a "zip" we cannot open may still be a pickle.
        streams, _ = scan_pickles(buf, 0)
        yield Part(
            where,
            "pickle",
            streams,
            error=None if streams and not streams[0].error else f"unreadable zip: {exc}",
        )
        return
    with zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        note = None
        if any(n.endswith("constants.pkl") or "/code/" in n for n in names):
            note = (
                "TorchScript archive: torch.load runs its code on torch <= 2.5.1 (CVE-2025-32434)"
            )
        fmt = "torch-zip" if any(n.endswith("data.pkl") for n in names) else "zip"
        if all(n.endswith(".npy") for n in names) and names:
            fmt = "npz"
        yield Part(where, fmt, [], note=note)
        for info in infos:
            inner_where = (where + "!" if where else "") + info.filename
            if info.is_dir() or _is_tensor_data(info.filename):
                continue
            try:
                data = _read_member(zf, info, buf)
            except ScanLimitError as exc:
                yield Part(inner_where, "member", [], error=str(exc))
                continue
            except (zipfile.BadZipFile, OSError, ValueError, zlib.error, EOFError) as exc:
                yield Part(inner_where, "member", [], error=f"unreadable entry: {exc}")
                continue
            if fmt == "torch-zip" and not (
                info.filename.endswith((".pkl", ".pickle", ".npy", ".zip", ".pt", ".pth", ".bin"))
                or looks_like_pickle(data)
                or data[:4] == b"PK\x03\x04"
                or data[:6] == b"\x93NUMPY"
            ):
                continue  # torch reads only its pickles; other members are data it never unpickles
            if data:
                # any other zip: every member, whatever its name (pandas compression='zip'
                # unpickles the archive's only member, named anything)
                yield from parts_of_buffer(data, inner_where, depth + 1)


def _is_tensor_data(name: str) -> bool:
    """Raw storage bytes of a torch zip (``archive/data/0``), never unpickled."""
    head, _, tail = name.rpartition("/")
    return tail.isdigit() and head.endswith("data")


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, buf) -> bytes:
    try:
        with zf.open(info) as fh:
            data = fh.read(MAX_MEMBER_BYTES + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, ValueError, zlib.error):
        # Odd flags (encrypted bit), bad CRC or unknown compression: torch's own reader may
        # still load it, so read the raw bytes from the local header ourselves.
        data = _raw_member(info, buf)
    if len(data) > MAX_MEMBER_BYTES:
        raise ScanLimitError(f"entry larger than {MAX_MEMBER_BYTES} bytes")
    return data


def _raw_member(info: zipfile.ZipInfo, buf) -> bytes:
    off = info.header_offset
    header = bytes(buf[off : off + 30])
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"no local header for {info.filename}")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = off + 30 + name_len + extra_len
    raw = bytes(buf[start : start + min(info.compress_size, MAX_MEMBER_BYTES + 1)])
    if info.compress_type == zipfile.ZIP_DEFLATED:
        out = zlib.decompressobj(-15)
        return out.decompress(raw, MAX_MEMBER_BYTES + 1)
    return raw


def _decompressed(buf, where, depth, fmt, opener) -> Iterator[Part]:
    try:
        with opener(io.BytesIO(buf)) as fh:
            data = fh.read(MAX_MEMBER_BYTES + 1)
    except (OSError, EOFError, lzma.LZMAError, ValueError) as exc:
        # a magic number is also a pickle's first opcodes (0x5d EMPTY_LIST, 'B' BINBYTES whose
        # length spells 'Zh..'): what the unpickler would read is a pickle, so scan it as one
        streams, _ = scan_pickles(buf, 0)
        if streams and streams[0].error is None:
            yield Part(where, "pickle", streams)
            return
        yield Part(where, fmt, [], error=f"cannot decompress {fmt} data: {exc}")
        return
    if len(data) > MAX_MEMBER_BYTES:
        yield Part(where, fmt, [], error=f"decompressed data larger than {MAX_MEMBER_BYTES} bytes")
        return
    yield from parts_of_buffer(data, where, depth + 1)


# joblib < 0.10's compressed "ZF" file (still read by joblib.load's load_compatibility): b"ZF",
# the hex length padded to 18 bytes, then zlib data
_ZF_HEADER = 2 + len(hex(2**64))


def _joblib_zfile(buf, where, depth) -> Iterator[Part]:
    try:
        data = zlib.decompressobj().decompress(bytes(buf[_ZF_HEADER:]), MAX_MEMBER_BYTES + 1)
    except zlib.error:
        streams, _ = scan_pickles(buf, 0)  # not a zfile after all: what a pickle reader reads
        yield Part(where, "pickle", streams)
        return
    yield from parts_of_buffer(data, where, depth + 1)


def _zlib(buf, where, depth) -> Iterator[Part]:
    try:
        data = zlib.decompressobj().decompress(bytes(buf), MAX_MEMBER_BYTES + 1)
    except zlib.error as exc:
        yield Part(where, "zlib", [], error=f"cannot decompress zlib data: {exc}")
        return
    yield from parts_of_buffer(data, where, depth + 1)


def _zstd(buf, where, depth) -> Iterator[Part]:
    try:
        import zstandard  # optional: pandas reads zstd only with it installed too
    except ImportError:
        yield Part(where, "zstd", [], error="zstd data, and the zstandard module is not installed")
        return
    try:
        reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(bytes(buf)))
        data = reader.read(MAX_MEMBER_BYTES + 1)
    except zstandard.ZstdError as exc:
        yield Part(where, "zstd", [], error=f"cannot decompress zstd data: {exc}")
        return
    if len(data) > MAX_MEMBER_BYTES:
        yield Part(
            where, "zstd", [], error=f"decompressed data larger than {MAX_MEMBER_BYTES} bytes"
        )
        return
    yield from parts_of_buffer(data, where, depth + 1)


def _tar_parts(buf, where, depth) -> Iterator[Part]:
    """Every regular member of a tar (pandas compression='tar', torch's legacy tar layout)."""
    if depth >= MAX_NESTING:
        yield Part(where, "tar", [], error=f"archives nested deeper than {MAX_NESTING} levels")
        return
    try:
        archive = tarfile.open(fileobj=io.BytesIO(bytes(buf)), mode="r:")
    except (tarfile.TarError, OSError, ValueError) as exc:
        streams, _ = scan_pickles(buf, 0)  # 'ustar' at 257 by chance: maybe a pickle after all
        yield Part(where, "pickle", streams, error=None if streams else f"unreadable tar: {exc}")
        return
    with archive:
        members = archive.getmembers()
        torch_layout = {m.name for m in members} >= {"storages", "tensors", "pickle"}
        yield Part(where, "torch-legacy-tar" if torch_layout else "tar", [])
        for member in members:
            if not member.isfile():
                continue
            inner_where = (where + "!" if where else "") + member.name
            if member.size > MAX_MEMBER_BYTES:
                yield Part(inner_where, "member", [], error="entry larger than the scan limit")
                continue
            fh = archive.extractfile(member)
            data = fh.read() if fh is not None else b""
            if torch_layout and member.name in ("storages", "tensors"):
                yield _torch_tar_member(member.name, data, inner_where)
            elif data:
                yield from parts_of_buffer(data, inner_where, depth + 1)


def _shelve_index(path: str):
    """A shelve (dbm.dumb) data file: its '.dir' index lists where each value's pickle is."""
    if not path.endswith(".dat"):
        return None
    index = path[:-4] + ".dir"
    try:
        with open(index, encoding="latin-1") as fh:
            lines = fh.read().split("\n")  # as dbm.dumb reads it: str.splitlines() also
            # breaks at U+0085, \x0b, \x1c... which a key may hold
    except OSError:
        return None
    spans = []
    for line in lines:
        if not line.strip():
            continue
        try:
            _key, (pos, size) = ast.literal_eval(line)  # literals only: never runs code
        except (ValueError, SyntaxError, TypeError):
            return None
        except (MemoryError, RecursionError) as exc:  # a nesting bomb: fail closed, not "plain"
            raise ValueError(f"{UNPARSABLE}: shelve index ({type(exc).__name__})") from None
        if isinstance(pos, int) and isinstance(size, int) and pos >= 0 and size >= 0:
            spans.append((pos, size))
    return spans


def _shelve_parts(path: str, spans) -> Iterator[Part]:
    with open(path, "rb") as fh:
        data = fh.read()
    yield Part("", "shelve", [])
    for pos, size in spans:
        chunk = data[pos : pos + size]
        streams, _ = scan_pickles(chunk, 0)
        yield Part(f"@{pos}", "pickle", streams)


# torch's legacy tar layout: 'storages' = count, then per storage a pickle (key, location,
# storage class) followed by an int64 element count and the raw elements, then a pickle of
# views; 'tensors' = count, then per tensor a pickle (key, storage id, tensor class) followed by
# ndim (int32), 4 bytes, ndim int64 sizes, ndim int64 strides, an int64 offset. Every pickle is
# scanned; the raw parts are stepped over as torch steps over them.
_ELEMENT_SIZES = {
    "Double": 8, "Float": 4, "Half": 2, "BFloat16": 2, "Long": 8, "Int": 4, "Short": 2,
    "Char": 1, "Byte": 1, "Bool": 1, "ComplexFloat": 8, "ComplexDouble": 16, "QInt8": 1,
    "QUInt8": 1, "QInt32": 4, "QUInt4x2": 1, "QUInt2x4": 1,
}  # fmt: skip


def _torch_tar_member(name: str, data: bytes, where: str) -> Part:
    from .dryrun import small_int
    from .opcodes import scan_stream

    streams = []
    try:
        first = scan_stream(data, 0)
        streams.append(first)
        count = small_int(data, 0, first)
        if count is None:
            return Part(where, "torch-legacy-" + name, streams, error="unreadable record count")
        pos = first.end
        for _ in range(count):
            record = scan_stream(data, pos)
            streams.append(record)
            if record.error is not None:
                return Part(where, "torch-legacy-" + name, streams)
            pos = record.end
            if name == "storages":
                kinds = [g.name for g in record.globals if g.name.endswith("Storage")]
                size = _ELEMENT_SIZES.get(kinds[-1][: -len("Storage")]) if kinds else None
                if size is None:
                    return Part(where, "torch-legacy-storages", streams, error="unknown storage")
                (elements,) = struct.unpack_from("<q", data, pos)
                pos += 8 + elements * size
            else:
                (ndim,) = struct.unpack_from("<i", data, pos)
                pos += 8 + 16 * ndim + 8
            if pos > len(data) or pos < 0:
                return Part(where, "torch-legacy-" + name, streams, error="truncated record")
        if name == "storages":
            streams.append(scan_stream(data, pos))  # the storage views
    except struct.error as exc:
        return Part(where, "torch-legacy-" + name, streams, error=f"truncated record: {exc}")
    return Part(where, "torch-legacy-" + name, streams)
