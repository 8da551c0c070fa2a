"""SHA-256 on the guard's start-up path without loading OpenSSL: ``hashlib`` loads ``_hashlib``
(libcrypto) on import, ~10% of what the guard adds to an interpreter's start
(bench/guard_startup.py). These digests are of small things (the policy file, the policy's
seal, an event's evidence); whole model files keep hashlib's faster OpenSSL (filesource.py).
"""

_impl = None  # found on the first digest, not at import (nothing loaded at start-up)


def sha256(data: bytes = b""):
    return (_impl or _find())(data)


def _find():
    """The C SHA-256, looked up once: a failed import is not cached by Python, so trying
    ``_sha2`` on every call walked every ``sys.path`` folder on CPython < 3.12 (half of each
    ``GuardState.intact()``, which the hook asks on every pickle global). Only the module this
    version has is asked for: a name missing from the standard library is looked up along the
    whole path, site-packages and a cell's editable finder included, where a ``_sha2.py`` ran
    in every guard's boot (red team 32 R32-7, R32-8)."""
    global _impl
    import sys

    try:
        if sys.version_info >= (3, 12):
            from _sha2 import sha256 as impl
        else:
            from _sha256 import sha256 as impl  # CPython 3.8 - 3.11
    except ImportError:  # another interpreter: hashlib has it
        from hashlib import sha256 as impl
    _impl = impl
    return impl


def is_hex(value, length: int) -> bool:
    """``value`` is ``length`` lower-case hex digits, nothing else (no regex at start-up)."""
    return isinstance(value, str) and len(value) == length and not value.strip("0123456789abcdef")


def equal_digests(a: str, b: str) -> bool:
    """Constant-time comparison (what ``hmac.compare_digest`` is, without its OpenSSL import)."""
    try:
        from _operator import _compare_digest
    except ImportError:
        from hmac import compare_digest as _compare_digest
    return _compare_digest(a, b)
