"""Read the globals a pickle would import, without executing or constructing anything.

A small stack machine over the opcode table of ``pickletools``: it tracks only what decides
which globals are imported - string constants, the memo, and the MARK structure - so that
``STACK_GLOBAL`` with names built from memoised or duplicated strings is resolved, and a name
it cannot know (computed at load time) is reported as ``<computed>``.

Memory stays bounded: large payloads are skipped by offset (the input is a buffer, typically
an mmap), strings longer than ``MAX_NAME`` are not kept, and the stack and memo sizes are
capped.
"""

import codecs
import pickletools
import struct
from typing import List, NamedTuple, Optional, Tuple

MAX_NAME = 512
MAX_STACK = 1_000_000
MAX_MEMO = 4_000_000
COMPUTED = "<computed>"

_MARK = object()
_ANY = object()


class PickleFormatError(ValueError):
    """The data is not a well-formed pickle (truncated, unknown opcode, stack misuse)."""


class Global(NamedTuple):
    module: str
    name: str
    opcode: str  # GLOBAL, STACK_GLOBAL, INST or EXT
    offset: int


class StreamResult(NamedTuple):
    globals: List[Global]
    end: int  # offset just after STOP
    protocol: Optional[int]
    error: Optional[str]  # set when the stream is malformed; globals found so far are kept
    nested: int  # bytes constants that are themselves pickles (scanned too)


# Argument readers, by pickletools argument name: (kind, fixed size or length-prefix size).
_FIXED = {"uint1": 1, "uint2": 2, "int4": 4, "uint4": 4, "uint8": 8, "float8": 8}
_PREFIXED = {  # name: (prefix struct, is text)
    "long1": ("<B", None), "long4": ("<i", None),
    "string1": ("<B", "latin-1"), "string4": ("<i", "latin-1"),
    "bytes1": ("<B", None), "bytes4": ("<I", None), "bytes8": ("<Q", None),
    "bytearray8": ("<Q", None),
    "unicodestring1": ("<B", "utf-8"), "unicodestring4": ("<I", "utf-8"),
    "unicodestring8": ("<Q", "utf-8"),
}
_LINES = {"decimalnl_short": 1, "decimalnl_long": 1, "floatnl": 1, "stringnl": 1,
          "stringnl_noescape": 1, "unicodestringnl": 1, "stringnl_noescape_pair": 2}


class _Op(NamedTuple):
    name: str
    arg: Optional[str]
    pops: int  # plain pops (after the mark part, if any)
    mark: bool  # pops down to a MARK first
    pushes: int


def _build_table():
    table = [None] * 256
    for op in pickletools.opcodes:
        before = [s.name for s in op.stack_before]
        mark = "mark" in before
        pops = before.index("mark") if mark else len(before)
        table[ord(op.code)] = _Op(op.name, op.arg.name if op.arg else None, pops, mark,
                                  len(op.stack_after))
    return table


_TABLE = _build_table()
_U1 = struct.Struct("<B")


def _text(raw, encoding):
    if len(raw) > MAX_NAME:
        return _ANY
    try:
        return bytes(raw).decode(encoding)
    except UnicodeDecodeError:
        return _ANY


def looks_like_pickle(buf, pos: int = 0) -> bool:
    """A PROTO opcode with a known protocol, or a protocol-0/1 opening opcode."""
    if pos >= len(buf):
        return False
    first = buf[pos]
    if first == 0x80:
        return pos + 1 < len(buf) and buf[pos + 1] <= 5
    return False


def scan_stream(buf, pos: int = 0, depth: int = 0) -> StreamResult:
    """Walk one pickle starting at ``pos`` in ``buf`` (bytes, bytearray, mmap or memoryview)."""
    view = memoryview(buf)
    size = len(view)
    stack: list = []
    memo: dict = {}
    found: List[Global] = []
    protocol = None
    nested = 0
    try:
        while True:
            if pos >= size:
                raise PickleFormatError("truncated: no STOP opcode before the end of the data")
            start = pos
            op = _TABLE[view[pos]]
            pos += 1
            if op is None:
                raise PickleFormatError("unknown opcode 0x%02x at offset %d" % (view[start], start))
            value = _ANY
            arg = op.arg
            if arg is not None:
                if arg in _FIXED:
                    n = _FIXED[arg]
                    if pos + n > size:
                        raise PickleFormatError("truncated argument of %s" % op.name)
                    raw = view[pos:pos + n]
                    pos += n
                    if op.name in ("BINGET", "BINPUT", "PROTO", "EXT1"):
                        value = raw[0]
                    elif op.name in ("LONG_BINGET", "LONG_BINPUT"):
                        value = struct.unpack("<I", raw)[0]
                    elif op.name == "EXT2":
                        value = struct.unpack("<H", raw)[0]
                    elif op.name == "EXT4":
                        value = struct.unpack("<i", raw)[0]
                elif arg in _PREFIXED:
                    fmt, encoding = _PREFIXED[arg]
                    width = struct.calcsize(fmt)
                    if pos + width > size:
                        raise PickleFormatError("truncated length of %s" % op.name)
                    length = struct.unpack(fmt, view[pos:pos + width])[0]
                    pos += width
                    if length < 0:
                        raise PickleFormatError("negative length in %s" % op.name)
                    if pos + length > size:
                        raise PickleFormatError(
                            "%s at offset %d claims %d bytes; only %d remain"
                            % (op.name, start, length, size - pos))
                    raw = view[pos:pos + length]
                    pos += length
                    if encoding is not None:
                        value = _text(raw, encoding)
                    elif depth < 3 and length > 16 and looks_like_pickle(raw):
                        # A pickle inside a bytes constant feeds a nested pickle.loads.
                        inner = scan_stream(raw, 0, depth + 1)
                        if inner.globals:
                            nested += 1
                            found.extend(Global(g.module, g.name, "NESTED:" + g.opcode,
                                                start) for g in inner.globals)
                else:  # newline-terminated
                    lines = []
                    for _ in range(_LINES[arg]):
                        end = _find_newline(view, pos, size)
                        if end < 0:
                            raise PickleFormatError("truncated line argument of %s" % op.name)
                        lines.append(view[pos:end])
                        pos = end + 1
                    value = _line_value(op.name, lines)
            name = op.name
            # --- semantics that matter for globals ---------------------------------------
            if name == "STOP":
                if not stack or stack[-1] is _MARK:
                    raise PickleFormatError("STOP with nothing to return (empty stack or MARK)")
                return StreamResult(found, pos, protocol, None, nested)
            if name == "PROTO":
                protocol = value
                continue
            if name in ("FRAME",):
                continue
            if name == "MARK":
                stack.append(_MARK)
            elif name in ("BINPUT", "LONG_BINPUT", "PUT"):
                if not stack:
                    raise PickleFormatError("%s with an empty stack" % name)
                _memo_put(memo, value, stack[-1])
            elif name == "MEMOIZE":
                if not stack:
                    raise PickleFormatError("MEMOIZE with an empty stack")
                _memo_put(memo, len(memo), stack[-1])
            elif name in ("BINGET", "LONG_BINGET", "GET"):
                if value not in memo:
                    raise PickleFormatError("%s of memo key %r that was never stored" % (name, value))
                stack.append(memo[value])
            elif name == "DUP":
                if not stack:
                    raise PickleFormatError("DUP with an empty stack")
                stack.append(stack[-1])
            elif name in ("GLOBAL", "INST"):
                module, qualname = value
                found.append(Global(module, qualname, name, start))
                if op.mark:
                    _pop_mark(stack)
                stack.append(_ANY)
            elif name == "STACK_GLOBAL":
                if len(stack) < 2:
                    raise PickleFormatError("STACK_GLOBAL with fewer than two items on the stack")
                qualname, module = stack.pop(), stack.pop()
                if not isinstance(module, str) or not isinstance(qualname, str):
                    module = module if isinstance(module, str) else COMPUTED
                    qualname = qualname if isinstance(qualname, str) else COMPUTED
                found.append(Global(module, qualname, name, start))
                stack.append(_ANY)
            elif name in ("EXT1", "EXT2", "EXT4"):
                # The copyreg extension registry maps a code to any global chosen at runtime.
                found.append(Global(COMPUTED, "extension code %s" % value, "EXT", start))
                stack.append(_ANY)
            else:
                if op.mark:
                    _pop_mark(stack)
                if op.pops:
                    if len(stack) < op.pops or _MARK in stack[-op.pops:]:
                        raise PickleFormatError("stack underflow at %s (offset %d)" % (name, start))
                    del stack[-op.pops:]
                if op.pushes:
                    stack.append(value if isinstance(value, str) else _ANY)
            if len(stack) > MAX_STACK:
                raise PickleFormatError("stack deeper than %d items" % MAX_STACK)
    except PickleFormatError as exc:
        return StreamResult(found, pos, protocol, str(exc), nested)
    except (struct.error, ValueError, IndexError) as exc:
        return StreamResult(found, pos, protocol, "malformed pickle: %s" % exc, nested)


def _find_newline(view, pos: int, size: int) -> int:
    limit = min(size, pos + 65536)  # text arguments are short; bound the search
    chunk = bytes(view[pos:limit])
    idx = chunk.find(b"\n")
    return -1 if idx < 0 else pos + idx


def _line_value(opname: str, lines) -> object:
    if opname in ("GLOBAL", "INST"):
        try:
            return tuple(bytes(line).decode("utf-8") for line in lines)
        except UnicodeDecodeError as exc:
            raise PickleFormatError("%s names are not UTF-8" % opname) from exc
    raw = bytes(lines[0])
    if opname in ("GET", "PUT"):
        try:
            return int(raw)
        except ValueError as exc:
            raise PickleFormatError("%s with a non-integer key" % opname) from exc
    if opname == "STRING" and len(raw) <= MAX_NAME + 2 and len(raw) >= 2 and raw[:1] in b"'\"":
        try:
            return codecs.escape_decode(raw[1:-1])[0].decode("latin-1")
        except ValueError:
            return _ANY
    if opname == "UNICODE" and len(raw) <= MAX_NAME:
        try:
            return raw.decode("raw-unicode-escape")
        except UnicodeDecodeError:
            return _ANY
    return _ANY


def _memo_put(memo: dict, key, value) -> None:
    if len(memo) >= MAX_MEMO and key not in memo:
        raise PickleFormatError("memo larger than %d entries" % MAX_MEMO)
    memo[key] = value


def _pop_mark(stack: list) -> None:
    for idx in range(len(stack) - 1, -1, -1):
        if stack[idx] is _MARK:
            del stack[idx:]
            return
    raise PickleFormatError("no MARK on the stack")


def scan_pickles(buf, pos: int = 0) -> Tuple[List[StreamResult], int]:
    """Consecutive pickles from ``pos`` (legacy torch files hold several); stops at non-pickle."""
    results = []
    size = len(buf)
    while pos < size:
        result = scan_stream(buf, pos)
        if result.error is not None and results:
            # After a good pickle, trailing bytes may be raw tensor data rather than a pickle;
            # keep any globals they seemed to name, but do not call the file malformed.
            if result.globals:
                results.append(result._replace(error=None))
            break
        results.append(result)
        if result.error is not None:
            break
        pos = result.end
        if not looks_like_pickle(buf, pos):
            break
    return results, pos
