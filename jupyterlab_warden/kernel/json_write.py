"""Write plain JSON data without importing ``json`` (the kernel's start-up report).

``import json`` loads ``re`` and ``enum``: measured, as much as the rest of the guard's
start-up (bench/guard_startup.py), to write one small flat report. This writes what
``json.dumps(value)`` writes with its defaults for dicts with str keys, lists, tuples, str,
int, float, bool and None (strings through json's own C encoder, ``_json``); anything else is
a TypeError, as ``json.dumps`` gives for types it does not know. ``json`` itself is used where
``_json`` is missing.
"""

_CONSTANTS = {float("inf"): "Infinity", float("-inf"): "-Infinity"}


def dumps(value) -> str:
    """``json.dumps(value)`` for plain data (see the module doc)."""
    try:
        from _json import encode_basestring_ascii
    except ImportError:  # an interpreter without the C accelerator
        import json

        return json.dumps(value)
    out = []
    _write(value, out, encode_basestring_ascii, 0)
    return "".join(out)


def _write(value, out, encode, depth) -> None:
    if depth > 100:
        raise ValueError("too deeply nested for the start-up report")
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(encode(value))
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        if value != value:
            out.append("NaN")
        else:
            out.append(_CONSTANTS.get(value) or float.__repr__(value))
    elif isinstance(value, dict):
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            if not isinstance(key, str):
                raise TypeError(f"keys must be str here, not {type(key).__name__}")
            out.append(", " if i else "")
            out.append(encode(key))
            out.append(": ")
            _write(item, out, encode, depth + 1)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            out.append(", " if i else "")
            _write(item, out, encode, depth + 1)
        out.append("]")
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
