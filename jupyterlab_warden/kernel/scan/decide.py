"""The policy's pickle section, compiled: mode and the admin's entries, applied by the judge.

``GlobalPolicy.from_policy(policy)`` reads ``pickle.mode``, ``pickle.allow_globals`` and
``pickle.deny_globals``; ``decide(module, name, roles)`` asks the judge (``judge.py``) on the
name alone. Entries are exact ``module.qualname`` names, or ``pkg.*`` = the CLASSES of that
package (never its functions; never a standard-library package), judged as curated.
"""

from __future__ import annotations

from . import judge
from .judge import REASONS, WORST, Decision  # noqa: F401 - re-exported for callers

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing is not imported at interpreter start
    from typing import Optional

MODES = ("default", "strict", "audit")


class GlobalPolicy:
    """The decision table for one policy; immutable once built."""

    def __init__(self, mode="default", allow=(), deny=()):
        if mode not in MODES:
            raise ValueError(f"pickle mode must be one of {', '.join(MODES)}, not {mode!r}")
        self.mode = mode
        admin = judge.Admin.from_lists(allow, deny)
        stdlib_pkgs = {p for p in admin.allow_packages if judge.is_stdlib(p)}
        self.problems = []
        if stdlib_pkgs:
            # dropped, the rest of the policy kept (failing the whole section would also drop
            # the admin's deny entries and strict mode)
            self.problems.append(
                "pickle.allow_globals: 'pkg.*' entries cannot cover standard-library modules "
                f"({', '.join(sorted(stdlib_pkgs))}); ignored - name the classes exactly"
            )
            admin = admin._replace(allow_packages=admin.allow_packages - stdlib_pkgs)
        self.admin = admin
        self._cache = {}

    @classmethod
    def from_policy(cls, policy: Optional[dict]) -> GlobalPolicy:
        section = (policy or {}).get("pickle") or {}
        return cls(
            mode=section.get("mode", "default"),
            allow=section.get("allow_globals", ()),
            deny=section.get("deny_globals", ()),
        )

    @property
    def enforcing(self) -> bool:
        return self.mode != "audit"

    def decide(self, module, name, roles: int = WORST) -> Decision:
        """The judge's decision on the name (cached); ``roles`` default to the worst use."""
        key = (module, name, roles)
        hit = self._cache.get(key)
        if hit is None:
            hit = judge.judge_name(module, name, roles, self.mode, self.admin)
            if len(self._cache) < 100_000:
                self._cache[key] = hit
        return hit

    def tighter_or_equal(self, other: GlobalPolicy) -> bool:
        """Is ``other`` at least as tight as this policy (for in-kernel install())?"""
        rank = {"audit": 0, "default": 1, "strict": 2}
        return (
            rank[other.mode] >= rank[self.mode]
            and other.admin.allow <= self.admin.allow
            and other.admin.allow_packages <= self.admin.allow_packages
            and other.admin.deny >= self.admin.deny
            and other.admin.deny_packages >= self.admin.deny_packages
        )
