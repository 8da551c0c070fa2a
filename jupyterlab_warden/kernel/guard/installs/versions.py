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


def version_key(text: str) -> Optional[Tuple]:
    """A sort key for ``text``, or None when it is not a PEP 440 version."""
    m = _VERSION.match(str(text).strip().lower())
    if not m:
        return None
    epoch, release, pre_l, pre_n, post_implicit, post_l, post_n, dev_l, dev_n = m.groups()
    parts = [int(p) for p in release.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()  # 2.6 == 2.6.0
    if pre_l:
        pre = (_PRE[pre_l], int(pre_n or 0))
    elif dev_l and not (post_implicit or post_l):
        pre = (-1, 0)  # 1.0.dev1 sorts before 1.0a1
    else:
        pre = (_INF, 0)
    if post_implicit:
        post = int(post_implicit)
    elif post_l:
        post = int(post_n or 0)
    else:
        post = -1
    dev = int(dev_n or 0) if dev_l else _INF
    return (int(epoch or 0), tuple(parts), pre, post, dev)
