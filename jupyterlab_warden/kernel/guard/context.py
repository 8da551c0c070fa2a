"""The loads in progress on each thread: which call, which file, what its scan cleared.

The loader wrappers push a ``LoadContext``; the audit hook reads the innermost one to refuse
any global the scan did not clear (``cleared``: (module, name) -> role bits), to say which call
and file a refused global came from, and to let a trusted artifact load unhindered. The stack
lives in the guard's state (``ContextStack``), not in a module global data could reach.
"""

from __future__ import annotations

import _thread  # threading's own primitives: threading imports functools at start-up

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing is not imported at interpreter start
    from typing import Dict, Optional


class LoadContext:
    def __init__(self, call: str):
        self.call = call
        self.path: Optional[str] = None
        self.size: Optional[int] = None
        self.sha256: Optional[str] = None
        self.trusted_name: Optional[str] = None
        # another lab's same-version "safe" scan stood in for the pre-scan (issue 19): the
        # hook still judges each global (cleared stays None)
        self.fleet_vouched = False
        self.report = None  # the scanner's ScanReport, when the data was scanned
        self.signature = None  # provenance.signatures.Verdict, when the policy required one
        self.cleared: Optional[Dict] = None  # None: not scanned, the hook assumes the worst
        self.hash_source = None  # how to hash the file later: path or bytes
        # Fast path (state.open_fast): the data not yet scanned; the hook admits only globals
        # safe in every role and scans this source the moment one is not (then judges as usual)
        self.pending = None
        self._stack = None

    @property
    def trusted(self) -> bool:
        return self.trusted_name is not None

    def __enter__(self) -> LoadContext:
        self._stack.push(self)
        return self

    def __exit__(self, *exc) -> None:
        self._stack.pop(self)


class ContextStack(_thread._local):  # = threading.local
    """Per-thread stack of loads in progress."""

    def __init__(self):
        self.items = []

    def new(self, call: str) -> LoadContext:
        ctx = LoadContext(call)
        ctx._stack = self
        return ctx

    def push(self, ctx: LoadContext) -> None:
        self.items.append(ctx)

    def pop(self, ctx: LoadContext) -> None:
        if self.items and self.items[-1] is ctx:
            self.items.pop()

    def current(self) -> Optional[LoadContext]:
        return self.items[-1] if self.items else None
