"""What this kernel downloaded from the Hugging Face hub: file -> where it came from.

Filled by the download wrappers (``hub.py``), read by the signature check (is this file from a
repository whose models must be signed?) and by events (which repository and commit a loaded
file came from). Keys are real paths, so a file reached through the cache's symlinks or a
renamed path is the same entry. Bounded; the newest record of a path wins.
"""

from __future__ import annotations

import _thread  # threading's own primitives: threading imports functools at start-up
import os
from _collections import OrderedDict  # = collections.OrderedDict

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing is not imported at interpreter start
    from typing import Dict, List, Optional
_MAX_RECORDS = 4096


class DownloadLedger:
    def __init__(self):
        self._by_path: Dict[str, dict] = OrderedDict()
        self._lock = _thread.allocate_lock()
        self.refused = set()  # real paths of downloads the policy refused: their loads refuse

    def record(self, path: str, source: dict) -> None:
        with self._lock:
            for key in {os.path.abspath(path), os.path.realpath(path)}:
                self._by_path.pop(key, None)
                self._by_path[key] = dict(source)
            while len(self._by_path) > _MAX_RECORDS:
                self._by_path.popitem(last=False)

    def refuse(self, path: str) -> None:
        with self._lock:
            self.refused.add(os.path.realpath(path))

    def is_refused(self, path: str) -> bool:
        return os.path.realpath(path) in self.refused

    def source_for(self, path: Optional[str]) -> Optional[dict]:
        if not path:
            return None
        with self._lock:
            return self._by_path.get(os.path.abspath(path)) or self._by_path.get(
                os.path.realpath(path)
            )

    def records(self) -> List[dict]:
        with self._lock:
            seen, out = set(), []
            for record in self._by_path.values():
                key = (record.get("repo"), record.get("commit"), record.get("filename"))
                if key not in seen:
                    seen.add(key)
                    out.append(dict(record))
            return out
