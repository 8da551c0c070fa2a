"""The shipped data the install decision reads, loaded once on the first install.

If a file is missing or unreadable the guard cannot decide on names: every install is then
refused with that reason (``problems``), never waved through.
"""

from typing import List, Optional

from .advisories import AdvisorySnapshot
from .names import PopularNames, data_path

SNAPSHOT_FILE = "osv-snapshot.json"
TOP_FILE = "top-packages.txt"


class DepsData:
    def __init__(self, snapshot_path: Optional[str] = None, top_path: Optional[str] = None):
        self.problems: List[str] = []
        self.snapshot: Optional[AdvisorySnapshot] = None
        self.popular: Optional[PopularNames] = None
        try:
            self.snapshot = AdvisorySnapshot.load(snapshot_path or data_path(SNAPSHOT_FILE))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self.problems.append(f"the advisory snapshot cannot be read ({exc.__class__.__name__})")
        try:
            self.popular = PopularNames.load(top_path or data_path(TOP_FILE))
        except (OSError, ValueError) as exc:
            self.problems.append(
                f"the popular package list cannot be read ({exc.__class__.__name__})"
            )

    def malicious(self, name: str) -> list:
        return self.snapshot.malicious(name) if self.snapshot else []

    def advisories(self, name: str, version: str) -> List[str]:
        return self.snapshot.affecting(name, version) if self.snapshot else []

    def imitated(self, name: str) -> Optional[str]:
        return self.popular.imitated(name) if self.popular else None
