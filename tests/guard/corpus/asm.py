"""A tiny pickle assembler: write the opcodes an attacker would, from a small expression tree.

``dumps(expr)`` never imports or calls anything it names: globals are just (module, qualname)
strings, so any gadget can be spelled, including dotted paths a real object could not pickle to.
"""

import struct


class G:
    """A global as the unpickler resolves it (STACK_GLOBAL; GLOBAL in protocol 0)."""

    def __init__(self, module, qualname):
        self.module, self.qualname = module, qualname


class Call:
    """``func(*args)`` through REDUCE."""

    def __init__(self, func, *args):
        self.func, self.args = func, args


class Build:
    """``obj`` restored from ``state`` through BUILD (``__setstate__`` or ``__dict__`` update)."""

    def __init__(self, obj, state):
        self.obj, self.state = obj, state


class SetItem:
    """``target[key] = value`` through SETITEM; leaves ``target`` on the stack."""

    def __init__(self, target, key, value):
        self.target, self.key, self.value = target, key, value


class Seq:
    """Evaluate each expression in turn (POP between them); the value is the last one."""

    def __init__(self, *exprs):
        self.exprs = exprs


class Raw:
    """Opcodes written as they are (no PROTO, no STOP)."""

    def __init__(self, ops):
        self.ops = ops


def _str4(s):
    raw = s.encode("utf-8")
    if len(raw) < 256:
        return b"\x8c" + bytes([len(raw)]) + raw
    return b"X" + struct.pack("<I", len(raw)) + raw


def _str0(s):
    # protocol 0 UNICODE: raw-unicode-escape, with the two characters that would end the line
    # or start an escape written as \u escapes (as CPython's own pickler does)
    text = s.replace("\\", "\\u005c").replace("\n", "\\u000a").replace("\r", "\\u000d")
    return b"V" + text.encode("raw-unicode-escape") + b"\n"


def body(expr, proto=4):
    """The opcodes that push ``expr`` (protocol 4 unless ``proto == 0``)."""
    zero = proto == 0
    if isinstance(expr, Raw):
        return expr.ops
    if expr is None:
        return b"N"
    if expr is True or expr is False:
        if zero:
            return b"I01\n" if expr else b"I00\n"
        return b"\x88" if expr else b"\x89"
    if isinstance(expr, int):
        if zero or not -(2**31) <= expr < 2**31:
            return b"I%d\n" % expr
        return b"J" + struct.pack("<i", expr)
    if isinstance(expr, float):
        return b"F%r\n" % expr if zero else b"G" + struct.pack(">d", expr)
    if isinstance(expr, str):
        return _str0(expr) if zero else _str4(expr)
    if isinstance(expr, bytes):
        if zero:
            raise ValueError("bytes need protocol >= 3")
        if len(expr) < 256:
            return b"C" + bytes([len(expr)]) + expr
        return b"B" + struct.pack("<I", len(expr)) + expr
    if isinstance(expr, tuple):
        return b"(" + b"".join(body(e, proto) for e in expr) + b"t"
    if isinstance(expr, list):
        return b"(" + b"".join(body(e, proto) for e in expr) + b"l"
    if isinstance(expr, dict):
        items = b"".join(body(k, proto) + body(v, proto) for k, v in expr.items())
        return b"(" + items + b"d"
    if isinstance(expr, G):
        if zero:
            return b"c" + expr.module.encode() + b"\n" + expr.qualname.encode() + b"\n"
        return _str4(expr.module) + _str4(expr.qualname) + b"\x93"
    if isinstance(expr, Call):
        return body(expr.func, proto) + body(tuple(expr.args), proto) + b"R"
    if isinstance(expr, Build):
        return body(expr.obj, proto) + body(expr.state, proto) + b"b"
    if isinstance(expr, SetItem):
        return body(expr.target, proto) + body(expr.key, proto) + body(expr.value, proto) + b"s"
    if isinstance(expr, Seq):
        parts = [body(e, proto) for e in expr.exprs]
        return b"0".join(parts)
    raise TypeError(f"cannot assemble {type(expr).__name__}")


def dumps(expr, proto=4):
    """A whole pickle: PROTO header (protocol 2+), the expression, STOP."""
    head = b"" if proto == 0 else b"\x80" + bytes([proto])
    return head + body(expr, proto) + b"."
