"""Read JSON on the guard's start-up path without importing ``json``.

``import json`` loads ``re`` and ``enum`` and compiles six patterns: measured, 40% of what the
guard added to every Python's start (bench/guard_startup.py), to read one small policy file
and the rule catalog. The parsing here is ``json``'s own C scanner (``_json``) with
``json.loads``' settings, so the result and what is refused are the same; ``json`` itself is
used where ``_json`` is missing. Writing JSON (events, status) imports ``json`` when it happens.
"""

_WHITESPACE = " \t\n\r"
_CONSTANTS = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}


class _Settings:
    """What ``json.JSONDecoder()`` passes its scanner (the defaults of ``json.loads``)."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = _CONSTANTS.__getitem__


def loads(text):
    """``json.loads(text)`` for UTF-8 bytes or str; a ValueError for anything it refuses,
    including input nested too deeply for the parser (where ``json.loads`` raises
    RecursionError)."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8")
    if not isinstance(text, str):
        raise TypeError(f"the JSON object must be str or bytes, not {type(text).__name__}")
    try:
        from _json import make_scanner
    except ImportError:  # an interpreter without the C accelerator
        import json

        try:
            return json.loads(text)
        except (RecursionError, MemoryError) as err:
            raise ValueError(f"nested too deeply or too large ({type(err).__name__})") from None
    start = len(text) - len(text.lstrip(_WHITESPACE))
    try:
        value, end = make_scanner(_Settings)(text, start)
    except StopIteration as err:
        raise ValueError(f"Expecting value: char {err.value}") from None
    except (RecursionError, MemoryError) as err:
        # json.loads would let these out; a reader's callers refuse a ValueError like any
        # other unreadable input (a deeply nested file must not make every later read raise)
        raise ValueError(f"nested too deeply or too large ({type(err).__name__})") from None
    if text[end:].strip(_WHITESPACE):
        raise ValueError(f"Extra data: char {end}")
    return value
