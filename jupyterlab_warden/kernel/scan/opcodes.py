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

from . import dtype_state
from .curated import ARG_ROLES, BUILD, CALL, CLASSES, NEW, NEWARGS, VALUE, ZGETATTR
from .judge import normalise

MUTATE = 32  # role bit: the pickle changes this global's object in place (always refused)
# role bit: the pickle restores a numpy dtype state numpy's constructor would refuse
# (overlapping object fields: a forged PyObject*, dtype_state.py) - always refused
UNSAFE_STATE = 128

_WRAPPER_CLASS = object()  # joblib's NumpyArrayWrapper: raw array bytes follow its BUILD
_DTYPE_CLASS = object()
_GETATTR = object()
_ZONEINFO = object()
_SPECIAL = {
    ("builtins", "getattr"): _GETATTR,
    ("__builtin__", "getattr"): _GETATTR,
    ("zoneinfo", "ZoneInfo"): _ZONEINFO,
}
_CURATED_CLASS_ARGS = ((), VALUE)
_EMPTY_OPS = frozenset(("EMPTY_TUPLE",))  # not EMPTY_DICT: SETITEMS fills it later
# Mutable containers: what is put in them stays reachable (``tuple(list)`` as a call's
# arguments hands the list's items to the callee), so each is tracked as a holder.
_CONTAINER_OPS = frozenset(("EMPTY_LIST", "EMPTY_DICT", "EMPTY_SET"))
_HOLDING_MARKOPS = frozenset(("LIST", "DICT", "FROZENSET"))
_ITEM_OPS = frozenset(("TUPLE", "OBJ", "APPENDS", "SETITEMS", "ADDITEMS"))

MAX_NAME = 512
MAX_STACK = 1_000_000
MAX_MEMO = 4_000_000
COMPUTED = "<computed>"

_ANY = object()
_EMPTY = object()  # () pushed by EMPTY_TUPLE (immutable): NEWOBJ without arguments


class PickleFormatError(ValueError):
    """The data is not a well-formed pickle (truncated, unknown opcode, stack misuse)."""


class Global:
    """One global the pickle names, and how the pickle uses it (role bits of scan.judge)."""

    __slots__ = ("module", "name", "opcode", "offset", "roles", "special", "full")

    def __init__(self, module: str, name: str, opcode: str, offset: int, roles: int = VALUE):
        self.module = module
        self.name = name
        self.opcode = opcode  # GLOBAL, STACK_GLOBAL, INST or EXT (NESTED:... inside bytes)
        self.offset = offset
        self.roles = roles
        self.special = _SPECIAL.get((module, name))
        mod, qual = normalise(module, name)
        self.full = mod + "." + qual

    def __repr__(self):
        return f"Global({self.module!r}, {self.name!r}, {self.opcode!r}, roles={self.roles})"


class _Inst:
    """An object made by REDUCE / NEWOBJ / OBJ / INST (which globals it may be an instance
    of), or a list / dict / set (no refs). ``held``: the tracked things it may hold - its
    call's arguments, what APPENDS / SETITEMS put in it - since a later call that receives it
    may reach them (``tuple(list)``, ``copyreg._reconstructor(tuple, tuple, list)``).
    ``given``: the roles already passed on to what it holds (items added later get them too).
    """

    __slots__ = ("refs", "zoneinfo_unpickle", "held", "given")

    def __init__(self, refs, zoneinfo_unpickle=False, held=None):
        self.refs = refs
        self.zoneinfo_unpickle = zoneinfo_unpickle
        self.held = held
        self.given = 0


class _Tup:
    """A tuple holding globals or made objects (only tracked when it does)."""

    __slots__ = ("items", "given")

    def __init__(self, items):
        self.items = items
        self.given = 0  # roles already passed on to the items (a tuple never changes)


_TRACKED = {Global, _Inst}  # extended below by _DType and _Wrapper


def _is_tracked(item) -> bool:
    kind = type(item)
    return kind in _TRACKED or kind is _Tup or (kind is _Dict and item.held is not None)


def _tuple_of(items):
    for item in items:
        if _is_tracked(item):
            return _Tup(items)
    return _ANY


def _tracked_in(items):
    """The tracked things among ``items`` (None when there are none)."""
    out = [item for item in items if _is_tracked(item)]
    return out or None


def _add_roles(item, roles: int) -> None:
    """Give ``roles`` to a global, to the globals an object may be an instance of, and to
    everything a tuple or holder may contain (iterative: holders can contain themselves)."""
    todo = [item]
    seen = set()
    while todo:
        item = todo.pop()
        kind = type(item)
        if kind is Global:
            item.roles |= roles
        elif kind in _TRACKED:
            if item.given & roles == roles:
                continue  # already passed on (and to anything added since: _hold)
            item.given |= roles
            for ref in item.refs:
                ref.roles |= roles
            if item.held:
                todo.extend(item.held)
        elif kind is _Tup:
            if item.given & roles != roles:
                item.given |= roles
                todo.extend(item.items)
        elif kind is _Dict:
            if id(item) not in seen:
                seen.add(id(item))
                todo.extend(item.held or ())


def _hold(target, items) -> None:
    """APPENDS / SETITEMS / BUILD put ``items`` into ``target``: it holds the tracked ones."""
    if type(target) is _Dict:  # the joblib walk's value-tracking dict
        tracked = _hiding(items)
        if tracked is not None:
            target.held = (target.held or []) + tracked
        return
    if type(target) not in _TRACKED or type(target) is Global:
        return
    tracked = _tracked_in(items)
    if tracked is None:
        return
    if target.held is None:
        target.held = []
    target.held.extend(tracked)
    if target.given:
        for item in tracked:
            _add_roles(item, target.given)


def _call(func, args, push):
    """REDUCE: ``func(*args)``. Marks roles and pushes what it makes."""
    kind = type(func)
    if kind is Global:
        special = func.special
        if special is _GETATTR:
            items = args.items if type(args) is _Tup else ()
            if (
                len(items) == 2
                and type(items[0]) is Global
                and items[0].special is _ZONEINFO
                and items[1] == "_unpickle"
            ):
                func.roles |= ZGETATTR
                push(_Inst((), zoneinfo_unpickle=True))
                return
        func.roles |= CALL
        if special is _DTYPE_CLASS and type(args) is _Tup and type(args.items[0]) is str:
            push(_DType(args.items[0], func))  # joblib arrays named later reuse it (memo)
            return
        spec = ARG_ROLES.get(func.full)
        if spec is None and func.full in CLASSES:
            spec = _CURATED_CLASS_ARGS  # curated constructors keep their arguments as data
        made = [func]
        held = [args] if _is_tracked(args) else None
        if type(args) is not _Tup and held is not None:
            # arguments made at load time (``tuple(list)``): which item lands in which
            # position is unknown, so each gets every role the callable gives any argument
            positional, rest = spec if spec is not None else ((), CALL | NEW | NEWARGS | BUILD)
            every = rest
            for role in positional:
                every |= role
            _add_roles(args, every)
        if type(args) is _Tup:
            items = args.items
            if type(items[0]) is Global and (
                (func.full == "copyreg.__newobj__" and len(items) > 1)
                or func.full == "copyreg.__newobj_ex__"
            ):
                items[0].roles |= NEWARGS  # cls.__new__(cls, *args, **kwargs)
            positional, rest = spec if spec is not None else ((), CALL | NEW | NEWARGS | BUILD)
            for index, item in enumerate(args.items):
                role = positional[index] if index < len(positional) else rest
                _add_roles(item, role)
                if role & NEW and type(item) is Global:
                    made.append(item)
        push(_Inst(made, held=held))
    elif kind in _TRACKED:
        if func.zoneinfo_unpickle:
            push(_Inst(()))
            return
        _add_roles(func, CALL)  # calling an instance runs its class's code with our arguments
        _add_roles(args, CALL | NEW | NEWARGS | BUILD)  # which may call them in turn
        held = [args] if _is_tracked(args) else None
        push(_Inst(func.refs, held=held))
    else:
        push(_ANY)


def _new(cls, push, with_args: bool):
    """NEWOBJ(_EX): ``cls.__new__(cls, *args, **kwargs)``; with arguments that is NEWARGS."""
    role = NEW | NEWARGS if with_args else NEW
    if type(cls) is Global:
        cls.roles |= role
        push(_Inst([cls]))
    else:
        _add_roles(cls, role)
        push(_ANY)


def _build_on(target):
    """BUILD / SETITEM(S) / APPEND(S) / ADDITEMS on ``target``."""
    kind = type(target)
    if kind is Global:
        target.roles |= MUTATE  # changing a class, module or shared object in place
    elif kind in _TRACKED:
        for ref in target.refs:
            ref.roles |= BUILD
            if ref.special is _DTYPE_CLASS:
                # a dtype made another way (copyreg, INST...) and restored: never in real
                # numpy pickles, and its state cannot be judged here
                ref.roles |= UNSAFE_STATE


class StreamResult(NamedTuple):
    globals: List[Global]
    end: int  # offset just after STOP
    protocol: Optional[int]
    error: Optional[str]  # set when the stream is malformed; globals found so far are kept
    nested: int  # bytes constants that are themselves pickles (scanned too)


# Opcode kinds of the stack machine; every pickletools opcode maps to one (see _build_table).
(
    K_PUSH,
    K_FIXED_PUSH,
    K_TEXT,
    K_DATA,
    K_MEMOIZE,
    K_PUT,
    K_GET,
    K_MARK,
    K_MARKOP,
    K_POPPUSH,
    K_STACK_GLOBAL,
    K_LINE,
    K_FRAME,
    K_PROTO,
    K_STOP,
    K_DUP,
    K_EXT,
    K_TUPLEN,
    K_REDUCE,
    K_NEWOBJ,
    K_BUILD,
    K_SETITEM,
) = range(22)

_LENGTH_PREFIX = {  # argument name: (prefix width, struct format, text encoding or None)
    "long1": (1, "<B", None),
    "long4": (4, "<i", None),
    "string1": (1, "<B", "latin-1"),
    "string4": (4, "<i", "latin-1"),
    "bytes1": (1, "<B", None),
    "bytes4": (4, "<I", None),
    "bytes8": (8, "<Q", None),
    "bytearray8": (8, "<Q", None),
    "unicodestring1": (1, "<B", "utf-8"),
    "unicodestring4": (4, "<I", "utf-8"),
    "unicodestring8": (8, "<Q", "utf-8"),
}
_FIXED = {"uint1": 1, "uint2": 2, "int4": 4, "uint4": 4, "uint8": 8, "float8": 8}
_MEMO_KEY = {"BINGET": "<B", "BINPUT": "<B", "LONG_BINGET": "<I", "LONG_BINPUT": "<I"}


def _build_table():
    """byte -> (kind, name, p1, p2, p3): the decoding each opcode needs, computed once."""
    table = [None] * 256
    for op in pickletools.opcodes:
        name = op.name
        arg = op.arg.name if op.arg else None
        before = [x.name for x in op.stack_before]
        mark = "mark" in before
        pops = before.index("mark") if mark else len(before)
        pushes = len(op.stack_after)
        if name == "STOP":
            entry = (K_STOP, name, 0, 0, 0)
        elif name == "PROTO":
            entry = (K_PROTO, name, 0, 0, 0)
        elif name == "FRAME":
            entry = (K_FRAME, name, 0, 0, 0)
        elif name == "MARK":
            entry = (K_MARK, name, 0, 0, 0)
        elif name == "DUP":
            entry = (K_DUP, name, 0, 0, 0)
        elif name in ("TUPLE1", "TUPLE2", "TUPLE3"):
            entry = (K_TUPLEN, name, int(name[-1]), 0, 0)
        elif name == "REDUCE":
            entry = (K_REDUCE, name, 0, 0, 0)
        elif name in ("NEWOBJ", "NEWOBJ_EX"):
            entry = (K_NEWOBJ, name, 2 if name == "NEWOBJ_EX" else 1, 0, 0)
        elif name == "BUILD":
            entry = (K_BUILD, name, 1, 0, 0)
        elif name in ("SETITEM", "APPEND"):
            entry = (K_SETITEM, name, 2 if name == "SETITEM" else 1, 0, 0)
        elif name == "MEMOIZE":
            entry = (K_MEMOIZE, name, 0, 0, 0)
        elif name == "STACK_GLOBAL":
            entry = (K_STACK_GLOBAL, name, 0, 0, 0)
        elif name in ("BINPUT", "LONG_BINPUT"):
            entry = (K_PUT, name, _FIXED[arg], struct.Struct(_MEMO_KEY[name]), 0)
        elif name in ("BINGET", "LONG_BINGET"):
            entry = (K_GET, name, _FIXED[arg], struct.Struct(_MEMO_KEY[name]), 0)
        elif name in ("EXT1", "EXT2", "EXT4"):
            entry = (K_EXT, name, _FIXED[arg], 0, 0)
        elif arg in _LENGTH_PREFIX:
            width, fmt, encoding = _LENGTH_PREFIX[arg]
            kind = K_TEXT if encoding else K_DATA
            entry = (kind, name, width, struct.Struct(fmt), encoding)
        elif arg in _FIXED:
            assert pops == 0 and pushes == 1 and not mark, name
            entry = (K_FIXED_PUSH, name, _FIXED[arg], 0, 0)
        elif arg is not None:  # newline-terminated arguments
            lines = 2 if arg == "stringnl_noescape_pair" else 1
            entry = (K_LINE, name, lines, (mark, pops, pushes), 0)
        elif mark:
            entry = (K_MARKOP, name, pops, pushes, 0)
        elif pops == 0 and pushes == 1:
            entry = (K_PUSH, name, 0, 0, 0)
        else:
            entry = (K_POPPUSH, name, pops, pushes, 0)
        table[ord(op.code)] = entry
    return table


_TABLE = _build_table()


def looks_like_pickle(buf, pos: int = 0) -> bool:
    """A PROTO opcode with a known protocol (how protocol 2+ pickles start)."""
    return pos + 1 < len(buf) and buf[pos] == 0x80 and buf[pos + 1] <= 5


class OverBudget(Exception):
    """The stream has more opcodes than the caller wanted to walk in Python."""


def scan_stream(buf, pos: int = 0, depth: int = 0, budget: Optional[int] = None) -> StreamResult:
    """Walk one pickle starting at ``pos`` in ``buf`` (bytes, bytearray, mmap or memoryview).

    Like the real unpickler, MARK saves the stack height (``marks``) instead of pushing an
    object, so every operation is O(1) whatever the input does.
    """
    view = memoryview(buf)
    size = len(view)
    stack: list = []
    marks: list = []
    memo: dict = {}
    found: List[Global] = []
    protocol = None
    nested = 0
    table = _TABLE
    append = stack.append
    floor = 0  # stack height at the innermost MARK: nothing below it may be popped
    ops = 0
    # a _JoblibArrays (value tracking) once joblib's array wrapper class or numpy.dtype is
    # named: the first to step over raw array bytes, the second to judge dtype states
    joblib = None
    wrapper_seen = False  # raw bytes between opcodes: only this Python walk can read on
    try:
        while True:
            if pos >= size:
                raise PickleFormatError("truncated: no STOP opcode before the end of the data")
            start = pos
            entry = table[view[pos]]
            pos += 1
            if entry is None:
                raise PickleFormatError(f"unknown opcode 0x{view[start]:02x} at offset {start}")
            kind = entry[0]
            ops += 1
            if joblib is not None and entry[1] in _JOBLIB_OPS:
                pos = joblib.step(entry, view, pos, start, stack, marks, found, depth)
                floor = marks[-1] if marks else 0
                continue
            if not ops & 0xFFF:
                if len(stack) > MAX_STACK or len(marks) > MAX_STACK:
                    raise PickleFormatError(f"stack deeper than {MAX_STACK} items")
                if budget is not None and ops > budget:
                    raise OverBudget(wrapper_seen)
            # Branches in order of how often real pickles use them.
            if kind == K_MEMOIZE:
                if len(stack) <= floor:
                    raise PickleFormatError("MEMOIZE with an empty stack")
                n = len(memo)
                if n >= MAX_MEMO:
                    raise PickleFormatError(f"memo larger than {MAX_MEMO} entries")
                memo[n] = stack[-1]
            elif kind == K_GET:
                if entry[2] == 1:
                    if pos >= size:
                        raise PickleFormatError("truncated argument of BINGET")
                    key = view[pos]
                    pos += 1
                else:
                    if pos + 4 > size:
                        raise PickleFormatError(f"truncated argument of {entry[1]}")
                    key = entry[3].unpack_from(view, pos)[0]
                    pos += 4
                try:
                    append(memo[key])
                except KeyError:
                    raise PickleFormatError(
                        f"{entry[1]} of memo key {key!r} that was never stored"
                    ) from None
            elif kind == K_MARK:
                marks.append(len(stack))
                floor = len(stack)
            elif kind == K_FIXED_PUSH:
                pos += entry[2]
                append(_ANY)
            elif kind == K_MARKOP:
                if not marks:
                    raise PickleFormatError(f"{entry[1]} without a MARK on the stack")
                mark_at = marks.pop()
                opname = entry[1]
                items = stack[mark_at:] if opname in _ITEM_OPS else None
                if opname in _HOLDING_MARKOPS:
                    held = _tracked_in(stack[mark_at:])
                    del stack[mark_at:]
                    floor = marks[-1] if marks else 0
                    append(_Inst((), held=held))  # a list / dict / frozenset holder
                    continue
                del stack[mark_at:]
                floor = marks[-1] if marks else 0
                if items is not None:
                    if opname == "TUPLE":
                        append(_tuple_of(items))
                        continue
                    if opname == "OBJ":
                        if not items:
                            raise PickleFormatError(f"OBJ without a class (offset {start})")
                        _call(items[0], _tuple_of(items[1:]), append)
                        continue
                    if len(stack) <= floor:
                        raise PickleFormatError(f"stack underflow at {opname} (offset {start})")
                    target = stack[-1]
                    if type(target) in _TRACKED:
                        _build_on(target)
                        _hold(target, items)
                    continue
                count = entry[2]
                if count:
                    if len(stack) - count < floor:
                        raise PickleFormatError(f"stack underflow at {entry[1]} (offset {start})")
                    del stack[-count:]
                if entry[3]:
                    append(_ANY)
            elif kind == K_TEXT or kind == K_DATA:
                width = entry[2]
                if width == 1:
                    if pos >= size:
                        raise PickleFormatError(f"truncated length of {entry[1]}")
                    length = view[pos]
                else:
                    if pos + width > size:
                        raise PickleFormatError(f"truncated length of {entry[1]}")
                    length = entry[3].unpack_from(view, pos)[0]
                pos += width
                if length < 0 or pos + length > size:
                    raise PickleFormatError(
                        f"{entry[1]} at offset {start} claims {length} bytes; "
                        f"only {size - pos} remain"
                    )
                value = _ANY
                if kind == K_TEXT:
                    if length <= MAX_NAME:
                        try:
                            value = str(view[pos : pos + length], entry[4])
                        except UnicodeDecodeError:
                            pass
                elif length > 16 and nested_kind(view, pos):
                    inner = nested_globals(view[pos : pos + length], depth)
                    if inner:
                        nested += 1
                        found.extend(inner)
                pos += length
                append(value)
            elif kind == K_TUPLEN:
                count = entry[2]
                if len(stack) - count < floor:
                    raise PickleFormatError(f"stack underflow at {entry[1]} (offset {start})")
                items = stack[-count:]
                del stack[-count:]
                if count == 3 and type(items[0]) is str:
                    append(_Tup(items))  # numpy.dtype('f8', False, True) arguments
                else:
                    append(_tuple_of(items))
            elif kind == K_PUSH:
                name = entry[1]
                if name in _CONTAINER_OPS:
                    append(_Inst(()))  # a holder: APPENDS / SETITEMS may fill it later
                else:
                    append(_EMPTY if name in _EMPTY_OPS else _ANY)
            elif kind == K_REDUCE:
                if len(stack) - 2 < floor:
                    raise PickleFormatError(f"stack underflow at REDUCE (offset {start})")
                args = stack.pop()
                _call(stack.pop(), args, append)
            elif kind == K_NEWOBJ:
                count = entry[2] + 1
                if len(stack) - count < floor:
                    raise PickleFormatError(f"stack underflow at {entry[1]} (offset {start})")
                cls = stack[-count]
                new_args = stack[-count + 1 :]
                with_args = any(item is not _EMPTY for item in new_args)
                del stack[-count:]
                _new(cls, append, with_args)
                _hold(stack[-1], new_args)
            elif kind == K_BUILD or kind == K_SETITEM:
                count = entry[2]
                if len(stack) - count - 1 < floor:
                    raise PickleFormatError(f"stack underflow at {entry[1]} (offset {start})")
                items = stack[-count:]
                del stack[-count:]
                target = stack[-1]
                if type(target) in _TRACKED:
                    _build_on(target)
                    _hold(target, items)
            elif kind == K_POPPUSH:
                count = entry[2]
                if count:
                    if len(stack) - count < floor:
                        raise PickleFormatError(f"stack underflow at {entry[1]} (offset {start})")
                    del stack[-count:]
                for _ in range(entry[3]):
                    append(_ANY)
            elif kind == K_PUT:
                width = entry[2]
                if pos + width > size:
                    raise PickleFormatError(f"truncated argument of {entry[1]}")
                key = view[pos] if width == 1 else entry[3].unpack_from(view, pos)[0]
                pos += width
                if len(stack) <= floor:
                    raise PickleFormatError(f"{entry[1]} with an empty stack")
                if len(memo) >= MAX_MEMO and key not in memo:
                    raise PickleFormatError(f"memo larger than {MAX_MEMO} entries")
                memo[key] = stack[-1]
            elif kind == K_STACK_GLOBAL:
                if len(stack) - 2 < floor:
                    raise PickleFormatError("STACK_GLOBAL with fewer than two items on the stack")
                qualname = stack.pop()
                module = stack.pop()
                ref = Global(
                    module if type(module) is str else COMPUTED,
                    qualname if type(qualname) is str else COMPUTED,
                    "STACK_GLOBAL",
                    start,
                )
                found.append(ref)
                if ref.special in _TRACKING and joblib is None:
                    joblib = _JoblibArrays()
                wrapper_seen = wrapper_seen or ref.special is _WRAPPER_CLASS
                append(ref)
            elif kind == K_LINE:
                lines = []
                for _ in range(entry[2]):
                    end = _find_newline(view, pos, size)
                    if end < 0:
                        raise PickleFormatError(f"truncated line argument of {entry[1]}")
                    lines.append(view[pos:end])
                    pos = end + 1
                value = _line_value(entry[1], lines)
                mark, count, pushes = entry[3]
                name = entry[1]
                if name in ("GLOBAL", "INST"):
                    ref = Global(value[0], value[1], name, start)
                    found.append(ref)
                    if name == "GLOBAL":
                        if ref.special in _TRACKING and joblib is None:
                            joblib = _JoblibArrays()
                        wrapper_seen = wrapper_seen or ref.special is _WRAPPER_CLASS
                        append(ref)
                        continue
                    # INST: MARK args INST module name -> module.name(*args)
                    if not marks:
                        raise PickleFormatError("INST without a MARK on the stack")
                    mark_at = marks.pop()
                    items = stack[mark_at:]
                    del stack[mark_at:]
                    floor = marks[-1] if marks else 0
                    _call(ref, _tuple_of(items), append)
                    continue
                if name == "PUT":
                    if len(stack) <= floor:
                        raise PickleFormatError("PUT with an empty stack")
                    memo[value] = stack[-1]
                    continue
                if name == "GET":
                    if value not in memo:
                        raise PickleFormatError(f"GET of memo key {value!r} that was never stored")
                    append(memo[value])
                    continue
                if mark:
                    if not marks:
                        raise PickleFormatError(f"{name} without a MARK on the stack")
                    del stack[marks.pop() :]
                    floor = marks[-1] if marks else 0
                if count:
                    if len(stack) - count < floor:
                        raise PickleFormatError(f"stack underflow at {name} (offset {start})")
                    del stack[-count:]
                if pushes:
                    append(value if isinstance(value, str) else _ANY)
            elif kind == K_FRAME:
                pos += 8
            elif kind == K_PROTO:
                if pos >= size:
                    raise PickleFormatError("truncated argument of PROTO")
                protocol = view[pos]
                pos += 1
            elif kind == K_STOP:
                if len(stack) <= floor:
                    raise PickleFormatError("STOP with nothing to return (empty stack or MARK)")
                return StreamResult(found, pos, protocol, None, nested)
            elif kind == K_DUP:
                if len(stack) <= floor:
                    raise PickleFormatError("DUP with an empty stack")
                append(stack[-1])
            elif kind == K_EXT:
                code = int.from_bytes(
                    view[pos : pos + entry[2]], "little", signed=entry[1] == "EXT4"
                )
                pos += entry[2]
                # The copyreg extension registry maps a code to any global chosen at runtime.
                ref = Global(COMPUTED, f"extension code {code}", "EXT", start)
                found.append(ref)
                append(ref)
    except PickleFormatError as exc:
        return StreamResult(found, pos, protocol, str(exc), nested)
    except (struct.error, ValueError, IndexError) as exc:
        return StreamResult(found, pos, protocol, f"malformed pickle: {exc}", nested)


# --- joblib: numpy buffers written raw between pickle opcodes -------------------------------
# joblib pickles a NumpyArrayWrapper(subclass, shape, order, dtype, allow_mmap...) and then
# writes the array right after the wrapper's BUILD: an alignment byte n and n 0xff bytes
# (joblib >= 1.2), then the raw buffer - or, for object arrays, a complete protocol-2 pickle.
# To step over the buffer the scanner needs the shape and dtype, so once the wrapper class is
# named it tracks small values (ints, strings, tuples, dicts) for the few opcodes below.
_JOBLIB_OPS = frozenset(
    {
        "EMPTY_DICT",
        "BININT1",
        "BININT2",
        "BININT",
        "TUPLE1",
        "TUPLE2",
        "TUPLE3",
        "TUPLE",
        "EMPTY_TUPLE",
        "REDUCE",
        "NEWOBJ",
        "BUILD",
        "SETITEM",
        "SETITEMS",
        "NONE",
        "NEWTRUE",
        "NEWFALSE",
    }
)
_SPECIAL.update(
    {
        ("joblib.numpy_pickle", "NumpyArrayWrapper"): _WRAPPER_CLASS,
        ("numpy", "dtype"): _DTYPE_CLASS,
    }
)
_TRACKING = (_WRAPPER_CLASS, _DTYPE_CLASS)
_MAX_ARRAY_BYTES = 1 << 50


class _Dict(dict):
    """A dict built by the pickle whose string-keyed items are tracked; ``held``: the tracked
    keys and values put in it (a later call handed the dict may reach them)."""

    held = None


class _DType(_Inst):
    """numpy.dtype(typestr, ...): enough to know the item size of a joblib array."""

    __slots__ = ("typestr", "elsize", "ref", "info")

    def __init__(self, typestr, ref):
        super().__init__((ref,))
        self.typestr = typestr
        self.elsize = -1
        self.ref = ref
        self.info = None  # dtype_state.DTypeInfo once restored by BUILD

    def itemsize(self):
        if self.elsize > 0:
            return self.elsize
        digits = "".join(ch for ch in self.typestr if ch.isdigit())
        if not digits:
            return None
        # 'U5' is five UCS-4 characters; every other kind gives its size in bytes
        return int(digits) * (4 if self.typestr.lstrip("<>|=").startswith("U") else 1)


class _Wrapper(_Inst):
    __slots__ = ("ref",)

    def __init__(self, ref):
        super().__init__((ref,))
        self.ref = ref


_TRACKED.update((_DType, _Wrapper))


def _hiding(items):
    """The joblib walk keeps plain values (shapes, dtype states) as real tuples and dicts;
    those holding a global or a made object other than a dtype are tracked instead (a dtype
    holds nothing: its BUILD state is judged where it is restored)."""
    out = [item for item in items if _is_tracked(item) and type(item) is not _DType]
    return out or None


class _JoblibArrays:
    def step(self, entry, view, pos, start, stack, marks, found, depth):
        name = entry[1]
        floor = marks[-1] if marks else 0

        def pop(count):
            if len(stack) - count < floor:
                raise PickleFormatError(f"stack underflow at {name} (offset {start})")
            items = stack[len(stack) - count :]
            del stack[len(stack) - count :]
            return items

        if name == "EMPTY_DICT":
            stack.append(_Dict())
        elif name in ("BININT1", "BININT2", "BININT"):
            width = entry[2]
            if pos + width > len(view):
                raise PickleFormatError(f"truncated argument of {name}")
            stack.append(int.from_bytes(view[pos : pos + width], "little", signed=width == 4))
            pos += width
        elif name == "EMPTY_TUPLE":
            stack.append(())
        elif name in ("NONE", "NEWTRUE", "NEWFALSE"):
            stack.append({"NONE": None, "NEWTRUE": True, "NEWFALSE": False}[name])
        elif name in ("TUPLE1", "TUPLE2", "TUPLE3"):
            items = pop(int(name[-1]))
            stack.append(_tuple_of(items) if _hiding(items) else tuple(items))
        elif name in ("TUPLE", "SETITEMS"):
            if not marks:
                raise PickleFormatError(f"{name} without a MARK on the stack")
            items = stack[marks[-1] :]
            del stack[marks.pop() :]
            if name == "TUPLE":
                stack.append(_tuple_of(items) if _hiding(items) else tuple(items))
            else:
                if len(stack) < (marks[-1] if marks else 0) + 1:
                    raise PickleFormatError(f"stack underflow at {name} (offset {start})")
                target = stack[-1]
                _hold(target, items)
                if isinstance(target, _Dict):
                    for key, value in zip(items[::2], items[1::2]):
                        if isinstance(key, str):
                            target[key] = value
                elif type(target) in _TRACKED:
                    _build_on(target)
        elif name == "SETITEM":
            key, value = pop(2)
            if len(stack) <= floor:
                raise PickleFormatError(f"stack underflow at {name} (offset {start})")
            _hold(stack[-1], (key, value))
            if isinstance(stack[-1], _Dict) and isinstance(key, str):
                stack[-1][key] = value
            elif type(stack[-1]) in _TRACKED:
                _build_on(stack[-1])
        elif name in ("REDUCE", "NEWOBJ"):
            func, args = pop(2)
            special = func.special if type(func) is Global else None
            if special is _DTYPE_CLASS:
                func.roles |= CALL if name == "REDUCE" else NEW
                first = args[0] if isinstance(args, tuple) and args else None
                # an unknown type string still gets its BUILD state judged
                stack.append(_DType(first if isinstance(first, str) else "", func))
            elif special is _WRAPPER_CLASS:
                func.roles |= CALL if name == "REDUCE" else NEW
                stack.append(_Wrapper(func))
            elif name == "REDUCE":
                _call(func, _tuple_of(args) if isinstance(args, tuple) else args, stack.append)
            else:
                _new(func, stack.append, not (type(args) is tuple and not args))
                _hold(stack[-1], (args,))
        elif name == "BUILD":
            (state,) = pop(1)
            if len(stack) <= floor:
                raise PickleFormatError(f"stack underflow at {name} (offset {start})")
            obj = stack[-1]
            if isinstance(obj, _DType):
                obj.ref.roles |= BUILD
                if isinstance(state, tuple) and len(state) > 5 and isinstance(state[5], int):
                    obj.elsize = state[5]
                unsafe, info = dtype_state.unsafe_state(state, _describe_dtype)
                if unsafe:
                    obj.ref.roles |= UNSAFE_STATE
                obj.info = info
            elif isinstance(obj, _Wrapper):
                obj.ref.roles |= BUILD
                if isinstance(state, _Dict):
                    pos = self._skip_array(state, view, pos, found, depth)
            elif type(obj) in _TRACKED:
                _build_on(obj)
                _hold(obj, (state,))
        return pos

    @staticmethod
    def _skip_array(state, view, pos, found, depth):
        dtype, shape = state.get("dtype"), state.get("shape")
        has_object = _joblib_has_object(dtype)
        if has_object is None or not isinstance(shape, tuple):
            raise PickleFormatError("joblib array wrapper without a readable shape and dtype")
        if "numpy_array_alignment_bytes" in state and not has_object:
            if pos >= len(view):
                raise PickleFormatError("truncated joblib array padding")
            pad = view[pos]
            if pad > 64 or bytes(view[pos + 1 : pos + 1 + pad]) != b"\xff" * pad:
                raise PickleFormatError("malformed joblib array padding")
            pos += 1 + pad
        if has_object:
            # object arrays are a complete pickle of their own: scan it, then go on after it
            inner = scan_stream(view, pos, depth + 1) if depth < 3 else None
            if inner is None or inner.error is not None:
                raise PickleFormatError(
                    "malformed joblib object array" + (f": {inner.error}" if inner else "")
                )
            found.extend(inner.globals)
            return inner.end
        count = 1
        for dim in shape:
            if not isinstance(dim, int) or dim < 0:
                raise PickleFormatError("joblib array with a malformed shape")
            count *= dim
        itemsize = dtype.itemsize()
        if itemsize is None or count * itemsize > _MAX_ARRAY_BYTES:
            raise PickleFormatError(f"joblib array of unknown size (dtype {dtype.typestr})")
        end = pos + count * itemsize
        if end > len(view):
            raise PickleFormatError("joblib array runs past the end of the data")
        return end


# numpy >= 2 pickles a StringDType as _convert_to_stringdtype_kwargs(coerce[, na_object])
_STRINGDTYPE = frozenset(
    m + "._internal._convert_to_stringdtype_kwargs" for m in ("numpy._core", "numpy.core")
)


def _joblib_has_object(dtype) -> Optional[bool]:
    """Does joblib write this array as a pickle (``dtype.hasobject``)? None: cannot tell."""
    if isinstance(dtype, _DType):
        built = dtype.info
        return "O" in dtype.typestr or (built is not None and built.has_object)
    if type(dtype) is _Inst and dtype.refs and all(r.full in _STRINGDTYPE for r in dtype.refs):
        return True  # StringDType holds references: joblib pickles the array
    return None


def _describe_dtype(item):
    if not isinstance(item, _DType):
        return None
    built = item.info
    if built is not None and built.has_object:
        return built
    return dtype_state.from_typestr(item.typestr, built.size if built is not None else None)


def _find_newline(view, pos: int, size: int) -> int:
    """Index of the next newline: lines of any length (a protocol-0 argument may be huge)."""
    step = 4096
    while pos < size:
        limit = min(size, pos + step)
        idx = bytes(view[pos:limit]).find(b"\n")
        if idx >= 0:
            return pos + idx
        pos = limit
        step = min(step * 4, 1 << 24)
    return -1


def _line_value(opname: str, lines) -> object:
    if opname in ("GLOBAL", "INST"):
        try:
            return tuple(bytes(line).decode("utf-8") for line in lines)
        except UnicodeDecodeError as exc:
            raise PickleFormatError(f"{opname} names are not UTF-8") from exc
    raw = bytes(lines[0])
    if opname in ("GET", "PUT"):
        try:
            return int(raw)
        except ValueError as exc:
            raise PickleFormatError(f"{opname} with a non-integer key") from exc
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


# Opcodes walked in Python before a stream is handed to the C dry run (dryrun.py), which costs
# about one plain load; array-heavy pickles have few opcodes (their payloads are skipped by
# offset, nearly free) and stay here.
PYTHON_OPS_BUDGET = 4096


def _scan_one(buf, pos: int, depth: int = 0) -> StreamResult:
    try:
        return scan_stream(buf, pos, depth, budget=PYTHON_OPS_BUDGET)
    except OverBudget as exc:
        if exc.args and exc.args[0]:
            # joblib writes raw array bytes between opcodes: only the Python walk steps over them
            return scan_stream(buf, pos, depth)
    from .dryrun import dry_scan

    result = dry_scan(buf, pos, depth)
    return result if result is not None else scan_stream(buf, pos, depth)


# Data in a bytes constant that a reconstructor loads (torch.storage._load_from_bytes ->
# torch.load(BytesIO), a nested pickle.loads): a pickle (also a legacy torch file) or a zip
# (a torch archive). Scanned as the file it is, up to MAX_NESTED levels; deeper fails closed.
MAX_NESTED = 4
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def nested_kind(view, pos: int) -> Optional[str]:
    if view[pos] == 0x80 and view[pos + 1] <= 5:
        return "pickle"
    if bytes(view[pos : pos + 4]) in _ZIP_MAGIC:
        return "zip"
    return None


def nested_globals(data, depth: int) -> List[Global]:
    """The globals of loadable data held in a bytes constant (its own errors ignored, as the
    loader would fail on them too; globals of a malformed zip member are kept)."""
    from .formats import MAX_NESTING, UNPARSABLE

    kind = nested_kind(data, 0)
    if depth + 1 >= (MAX_NESTED if kind == "pickle" else MAX_NESTING):
        raise PickleFormatError(f"{UNPARSABLE}: data in bytes constants nested too deeply")
    if kind == "pickle":
        inner = scan_pickles(data, 0, depth + 1)[0]
        streams = [s for s in inner if s.error is None]
    else:
        from .formats import parts_of_buffer

        streams = [s for part in parts_of_buffer(data, "", depth + 1) for s in part.streams]
    found = []
    for stream in streams:
        for g in stream.globals:
            g.opcode = "NESTED:" + g.opcode
            found.append(g)
    return found


# torch's legacy format: magic number, protocol version, sys info, the data, storage keys - five
# pickles, each read by its own pickle.load whatever its protocol (a protocol-0 second pickle
# must not end the scan); raw storage bytes follow.
_TORCH_MAGIC = (b"\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19", b"119547037146038801333356")
TORCH_LEGACY_PICKLES = 5


def is_torch_legacy(first: "StreamResult", buf, start: int) -> bool:
    head = bytes(memoryview(buf)[start : min(first.end, start + 64)])
    return first.error is None and any(magic in head for magic in _TORCH_MAGIC)


def scan_pickles(buf, pos: int = 0, depth: int = 0) -> Tuple[List[StreamResult], int]:
    """Consecutive pickles from ``pos``; stops at non-pickle. A legacy torch file is read as
    torch reads it: exactly five pickles, whatever their protocols."""
    results = []
    size = len(buf)
    start = pos
    legacy = False
    while pos < size:
        if legacy and len(results) >= TORCH_LEGACY_PICKLES:
            break
        result = _scan_one(buf, pos, depth)
        if result.error is not None and results:
            # After a good pickle, trailing bytes may be raw tensor data rather than a pickle;
            # keep any globals they seemed to name, but do not call the file malformed.
            if result.globals:
                results.append(result._replace(error=None))
            break
        results.append(result)
        if result.error is not None:
            break
        if len(results) == 1:
            legacy = is_torch_legacy(result, buf, start)
        pos = result.end
        if not legacy and not looks_like_pickle(buf, pos):
            break
    return results, pos
