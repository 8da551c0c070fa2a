"""SHA-256 on the guard's start-up path without loading OpenSSL: ``hashlib`` loads ``_hashlib``
(libcrypto) on import, ~10% of what the guard adds to an interpreter's start
(bench/guard_startup.py). These digests are of small things (the policy file, the policy's
seal, an event's evidence); whole model files keep hashlib's faster OpenSSL (filesource.py).
"""


def sha256(data: bytes = b""):
    try:
        from _sha2 import sha256 as impl  # CPython >= 3.12
    except ImportError:
        try:
            from _sha256 import sha256 as impl  # CPython 3.8 - 3.11
        except ImportError:  # another interpreter: hashlib has it
            from hashlib import sha256 as impl
    return impl(data)


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
