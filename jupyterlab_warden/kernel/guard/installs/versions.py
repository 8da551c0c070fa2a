"""PEP 440 version ordering, enough to place a version inside an OSV range (stdlib only).

Not a full PEP 440 implementation: local versions (``+cpu``) are ignored for ordering, as OSV
ranges for PyPI ignore them. A version this module cannot read is ``None``; callers treat it
as affected (fail closed), never as safe.
"""

import re
from typing import Optional, Tuple

_VERSION = re.compile(
    r"^v?(?:(\d+)!)?(\d+(?:\.\d+)*)"
    r"(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d*))?"
    r"(?:(?:-(\d+))|(?:[-_.]?(post|rev|r)[-_.]?(\d*)))?"
    r"(?:[-_.]?(dev)[-_.]?(\d*))?"
    r"(?:\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?$"
)
_PRE = {"a": 0, "alpha": 0, "b": 1, "beta": 1, "c": 2, "rc": 2, "pre": 2, "preview": 2}
_INF = float("inf")


def _number(digits: str) -> Tuple[int, str]:
    """A numeric component as (length, digits) without leading zeros: ordered like the number,
    with no ``int()`` (CPython refuses to convert more than 4300 digits, and the TS port would
    lose precision above 2**53; the two sides order every length alike)."""
    digits = digits.lstrip("0")
    return (len(digits), digits)


_ZERO = _number("0")
_NONE = (-1, "")  # no post release: before post 0
_LAST = (_INF, "")  # no dev release: after every dev release


def version_key(text: str) -> Optional[Tuple]:
    """A sort key for ``text``, or None when it is not a PEP 440 version."""
    m = _VERSION.match(str(text).strip().lower())
    if not m:
        return None
    epoch, release, pre_l, pre_n, post_implicit, post_l, post_n, dev_l, dev_n = m.groups()
    parts = [_number(p) for p in release.split(".")]
    while len(parts) > 1 and parts[-1] == _ZERO:
        parts.pop()  # 2.6 == 2.6.0
    if pre_l:
        pre = (_PRE[pre_l], _number(pre_n or "0"))
    elif dev_l and not (post_implicit or post_l):
        pre = (-1, _ZERO)  # 1.0.dev1 sorts before 1.0a1
    else:
        pre = (_INF, _ZERO)
    if post_implicit:
        post = _number(post_implicit)
    elif post_l:
        post = _number(post_n or "0")
    else:
        post = _NONE
    dev = _number(dev_n or "0") if dev_l else _LAST
    return (_number(epoch or "0"), tuple(parts), pre, post, dev)


# The keys ``specifiers`` bounds PEP 440's exclusive comparisons with (``<V``, ``>V``): built
# here, beside the key's layout. ``_LAST`` as a post number sorts after every post release.
_FINAL = (_INF, _ZERO)  # the pre part of a release that is no pre-release


def is_pre(key: Tuple) -> bool:
    """A pre-release in PEP 440's sense: a pre or a dev part (``1.0a1``, ``1.0.post1.dev0``)."""
    return key[2] != _FINAL or key[4] != _LAST


def is_post(key: Tuple) -> bool:
    return key[3] != _NONE


def is_dev(key: Tuple) -> bool:
    return key[4] != _LAST


def first_of_release(key: Tuple) -> Tuple:
    """``key``'s release's ``.dev0``: nothing of that release sorts before it."""
    return (key[0], key[1], (-1, _ZERO), _NONE, _ZERO)


def final_of_release(key: Tuple) -> Tuple:
    """``key``'s release itself (``1.0`` for ``1.0rc1`` and ``1.0.post2``)."""
    return (key[0], key[1], _FINAL, _NONE, _LAST)


def dev0(key: Tuple) -> Tuple:
    """``key`` with a ``.dev0`` part (``1.0.post1.dev0`` for ``1.0.post1``)."""
    return key[:4] + (_ZERO,)


def past_posts(key: Tuple, same_pre: bool) -> Tuple:
    """A bound after every post release of ``key``'s release (``same_pre``: of ``key``'s own
    pre-release, ``1.0a1.post*``): no version is equal to it."""
    return (key[0], key[1], key[2] if same_pre else _FINAL, _LAST, _LAST)
