"""The shipped data the install decision reads, loaded once on the first install.

If a file is missing or unreadable the guard cannot decide on names: every install is then
refused with that reason (``problems``), never waved through. The name check needs two files,
the ranking and the imitation rules' tables: either one unreadable is its one problem.
``with_policy`` adds the policy's own advisories to the shipped snapshot for one decision (same
rule: advisories it cannot read refuse every install).
"""

from typing import List, Optional

from .advisories import AdvisorySnapshot, policy_records
from .names import RULES_FILE, ImitationRules, PopularNames, data_path, read_ranking

SNAPSHOT_FILE = "osv-snapshot.json"
TOP_FILE = "top-packages.txt"


class DepsData:
    def __init__(
        self,
        snapshot_path: Optional[str] = None,
        top_path: Optional[str] = None,
        rules_path: Optional[str] = None,
    ):
        self.problems: List[str] = []
        self.snapshot: Optional[AdvisorySnapshot] = None
        self.popular: Optional[PopularNames] = None
        try:
            self.snapshot = AdvisorySnapshot.load(snapshot_path or data_path(SNAPSHOT_FILE))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self.problems.append(f"the advisory snapshot cannot be read ({exc.__class__.__name__})")
        self.popular = self._popular(top_path or data_path(TOP_FILE), rules_path)

    def _popular(self, top_path: str, rules_path: Optional[str]) -> Optional[PopularNames]:
        """The ranking under the imitation rules; None, with the problem, when either cannot be
        read (the ranking first: a missing data folder says what it always said)."""
        try:
            ranked = read_ranking(top_path)
        except (OSError, ValueError) as exc:
            return self._unreadable("the popular package list", exc)
        try:
            return PopularNames(ranked, ImitationRules.load(rules_path))
        except (OSError, ValueError) as exc:
            return self._unreadable(f"the imitation-name rules ({RULES_FILE})", exc)

    def _unreadable(self, what: str, exc: Exception) -> None:
        self.problems.append(f"{what} cannot be read ({exc.__class__.__name__})")

    def with_policy(self, policy) -> "DepsData":
        """This data with ``policy``'s ``dependencies.advisories`` added to the snapshot (itself
        when the policy has none)."""
        try:
            records = policy_records(policy)
            if not records:
                return self
            snapshot = self.snapshot.with_records(records) if self.snapshot else None
            problems = list(self.problems)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            snapshot = self.snapshot
            problems = self.problems + [
                f"the policy's advisories cannot be read ({exc.__class__.__name__})"
            ]
        view = DepsData.__new__(DepsData)
        view.problems, view.snapshot, view.popular = problems, snapshot, self.popular
        return view

    def malicious(self, name: str) -> list:
        return self.snapshot.malicious(name) if self.snapshot else []

    def advisories(self, name: str, version: str) -> List[str]:
        return self.snapshot.affecting(name, version) if self.snapshot else []

    def affected(self, name: str, version: str) -> List[dict]:
        return self.snapshot.affected(name, version) if self.snapshot else []

    def covering(self, name: str, allowed) -> List[dict]:
        return self.snapshot.covering(name, allowed) if self.snapshot else []

    def reached(self, name: str, allowed, newest: bool = True, pre: bool = False) -> List[dict]:
        return self.snapshot.reached(name, allowed, newest, pre) if self.snapshot else []

    def imitated(self, name: str) -> Optional[str]:
        return self.popular.imitated(name) if self.popular else None
