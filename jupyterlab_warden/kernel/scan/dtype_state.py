"""numpy dtype states a pickle restores (BUILD on ``numpy.dtype``), judged before numpy sees them.

``numpy.dtype.__setstate__`` accepts a structured state whose object field overlaps another
field (or runs past the item), which numpy's constructor refuses ("overlapping object fields").
With only curated names (``numpy.dtype``, ``ndarray``, ``_reconstruct``) a pickle then forges a
``PyObject*`` from raw bytes and the kernel dies with SIGSEGV (red team finding 14). The
scanner describes the dtypes it can follow and asks ``unsafe_state``; anything it cannot
describe where an object could be is unsafe (fail closed). Pure: no numpy import.
"""

import struct
from typing import Callable, NamedTuple, Optional

POINTER_SIZE = struct.calcsize("P")


class DTypeInfo(NamedTuple):
    has_object: bool
    size: Optional[int]  # item size in bytes, None when unknown


def from_typestr(typestr: str, built_size: Optional[int] = None) -> DTypeInfo:
    """What ``numpy.dtype(typestr)`` (restored with item size ``built_size``) holds."""
    code = typestr.lstrip("<>|=")
    if code.startswith("O"):
        return DTypeInfo(True, POINTER_SIZE)
    if built_size is not None and built_size > 0:
        return DTypeInfo(False, built_size)
    digits = "".join(ch for ch in code.partition("[")[0] if ch.isdigit())
    if not digits:
        return DTypeInfo(False, None)
    return DTypeInfo(False, int(digits) * (4 if code.startswith("U") else 1))


def _fields_index(state) -> Optional[int]:
    for index, item in enumerate(state):
        if isinstance(item, dict):
            return index
    return None


def unsafe_state(state, describe: Callable[[object], Optional[DTypeInfo]]):
    """(unsafe, DTypeInfo of the restored dtype or None). ``describe`` maps a field's dtype
    object as the scanner holds it to a DTypeInfo (None: cannot tell)."""
    if not isinstance(state, tuple):
        return False, None
    index = _fields_index(state)
    elsize = None
    if len(state) >= 6 and type(state[0]) is int and type(state[5]) is int:
        elsize = state[5]  # (version, byteorder, subarray, names, fields, elsize, ...)
    elif index is not None and index + 1 < len(state) and type(state[index + 1]) is int:
        elsize = state[index + 1]
    if elsize is not None and elsize <= 0:
        elsize = None
    has_object = False
    spans = []  # (start, end or None, has_object) per field
    if index is not None:
        seen = set()
        for value in state[index].values():
            if id(value) in seen:
                continue  # a field's title is a second key to the same entry
            seen.add(id(value))
            if not isinstance(value, tuple) or len(value) < 2:
                return True, None
            info, offset = describe(value[0]), value[1]
            if info is None:
                info = DTypeInfo(True, None)  # an object could hide there
            if type(offset) is not int or offset < 0:
                return True, None
            end = offset + info.size if info.size is not None else None
            spans.append((offset, end, info.has_object))
            has_object = has_object or info.has_object
    for i, (start, end, obj) in enumerate(spans):
        if not obj:
            continue
        if end is None or (elsize is not None and end > elsize):
            return True, None
        for j, (o_start, o_end, _) in enumerate(spans):
            if j != i and (o_end is None or (o_start < end and start < o_end)):
                return True, None
    sub = _subarray(state, index)
    if sub is not None:
        base, shape = sub
        info = describe(base) or DTypeInfo(True, None)
        if info.has_object:
            count = 1
            for dim in shape:
                if type(dim) is not int or dim < 0:
                    return True, None
                count *= dim
            if info.size is None or elsize is None or info.size * count > elsize:
                return True, None
            has_object = True
    return False, DTypeInfo(has_object, elsize)


def _subarray(state, fields_index):
    """(base dtype, shape) of a subarray dtype: (version, byteorder, subarray, ...) in every
    version numpy writes; in a state without a version, the item before names and fields."""
    if type(state[0]) is int:
        candidates = state[2:3]
    elif fields_index is not None:
        candidates = state[:fields_index]
    else:
        candidates = state[1:2]  # version 0: (byteorder, subarray, fields, elsize, alignment)
    for item in candidates:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], tuple):
            return item
    return None
