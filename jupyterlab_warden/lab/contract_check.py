"""Check a part of a contract (schema/*.json) the way central (ajv, JavaScript regexes) will,
so the lab drops what central would refuse instead of having a whole post refused.

Python's ``\\s`` is not JavaScript's: JS counts U+FEFF as white space, Python does not (and
Python counts U+001C-U+001F and U+0085, JS does not). Schema patterns are rewritten so ``\\s``
means JavaScript's set before ``re`` sees them."""

import re
from functools import lru_cache

import jsonschema
from jsonschema import Draft202012Validator

from ..kernel.contracts import load_contract

# ECMAScript WhiteSpace + LineTerminator (what \s matches in a JavaScript regex)
_JS_SPACE = (
    "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
)


def ecma_pattern(pattern: str) -> str:
    """``pattern`` with each ``\\s`` / ``\\S`` given JavaScript's meaning."""
    out, in_class, i = [], False, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt == "s":
                out.append(_JS_SPACE if in_class else f"[{_JS_SPACE}]")
            elif nxt == "S" and not in_class:
                out.append(f"[^{_JS_SPACE}]")
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not re.search(ecma_pattern(pattern), instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


_EcmaValidator = jsonschema.validators.extend(Draft202012Validator, {"pattern": _pattern})


@lru_cache(maxsize=None)
def definition_validator(contract: str, definition: str):
    """A validator for ``$defs/<definition>`` of ``schema/<contract>`` (its refs resolved in
    that file), with JavaScript regex semantics."""
    schema = load_contract(contract)
    return _EcmaValidator(
        {"$ref": f"#/$defs/{definition}", "$defs": schema["$defs"]},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )
