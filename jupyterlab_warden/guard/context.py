"""The load in progress on this thread: which call, which file, whether it is trusted.

The wrappers around ``torch.load`` & co. push a ``LoadContext``; the audit hook reads it to say
which call and file a refused global came from, and to let a trusted artifact load unhindered.
"""

import threading
from typing import Optional

_local = threading.local()


class LoadContext:
    def __init__(self, call: str):
        self.call = call
        self.path: Optional[str] = None
        self.size: Optional[int] = None
        self.sha256: Optional[str] = None
        self.trusted_name: Optional[str] = None
        self.report = None  # the scanner's ScanReport, when the file was scanned
        self.hash_source = None  # how to hash the file later: path or bytes

    @property
    def trusted(self) -> bool:
        return self.trusted_name is not None

    def __enter__(self) -> "LoadContext":
        stack = getattr(_local, "stack", None)
        if stack is None:
            stack = _local.stack = []
        stack.append(self)
        return self

    def __exit__(self, *exc) -> None:
        _local.stack.pop()


def current() -> Optional[LoadContext]:
    stack = getattr(_local, "stack", None)
    return stack[-1] if stack else None
