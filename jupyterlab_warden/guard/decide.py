"""Decide whether one pickle global may be resolved: pure logic, no imports of the target.

``GlobalPolicy.from_policy(policy)`` builds the decision table from the policy document's
``pickle`` section; ``decide(module, name)`` answers with a ``Decision``.

Order (first match wins):
 1. malformed names are refused;
 2. the policy's ``deny_globals``;
 3. the policy's ``allow_globals`` - an exact entry may lift a built-in deny (an admin's
    deliberate choice), a ``module.*`` entry never does;
 4. the built-in deny list (``globallists.DENY``);
 5. built-in allow lists (plain stdlib data; ML-safe globals in strict mode);
 6. a dunder attribute anywhere in the name is refused (``x.__class__.__subclasses__``);
 7. the mode: strict refuses the rest; default refuses other stdlib and allows third-party.
"""

import sys
from _compat_pickle import IMPORT_MAPPING, NAME_MAPPING
from typing import Iterable, NamedTuple, Optional

from . import globallists

MODES = ("default", "strict", "audit")

try:
    _STDLIB = frozenset(sys.stdlib_module_names) | globallists.STDLIB_TOP_LEVEL_FALLBACK
except AttributeError:  # Python < 3.10
    _STDLIB = globallists.STDLIB_TOP_LEVEL_FALLBACK


class Decision(NamedTuple):
    allowed: bool
    reason: str  # short code, see REASONS
    pattern: Optional[str] = None  # the list entry that decided, if any


REASONS = {
    "invalid-name": "the name is not a valid Python dotted name",
    "policy-deny": "your admin's policy denies it",
    "policy-allow": "your admin's policy allows it",
    "deny-list": "it can run commands, execute code, touch files or reach the network",
    "plain-data": "it only rebuilds plain data",
    "ml-safe": "it only rebuilds tensors or arrays",
    "dunder": "it reaches into Python internals through a dunder attribute",
    "stdlib-not-plain-data": (
        "it is a standard-library function that is not on the plain-data allow list "
        "(scanner bypasses chain through such functions)"
    ),
    "not-in-allow-list": "strict mode allows only listed ML-safe globals",
    "third-party": "third-party globals are allowed unless denied",
    "module-object": "it names a module, or a path through one, which no legitimate pickle needs",
    "reexported": "it is a re-export of a refused global",
}


class PatternSet:
    """Glob patterns ``a.b.c`` (exact) and ``a.b.*`` (prefix) over full dotted names."""

    def __init__(self, patterns: Iterable[str] = ()):
        self.exact = set()
        self.prefixes = set()
        for pattern in patterns:
            if pattern.endswith(".*"):
                self.prefixes.add(pattern[:-2])
            else:
                self.exact.add(pattern)

    def match(self, full: str, attributes_too: bool = False) -> Optional[str]:
        """The matching pattern, or None. ``attributes_too``: ``a.b`` also matches ``a.b.c``."""
        if full in self.exact:
            return full
        cut = full.rfind(".")
        while cut > 0:
            head = full[:cut]
            if head in self.prefixes:
                return head + ".*"
            if attributes_too and head in self.exact:
                return head
            cut = full.rfind(".", 0, cut)
        return None

    def match_exact(self, full: str) -> Optional[str]:
        return full if full in self.exact else None


def normalise(module: str, name: str) -> str:
    """Full dotted name with Python 2 module names mapped as the unpickler maps them."""
    top, _, rest = module.partition(".")
    top = globallists.PY2_MODULES.get(top, top)
    module = top + ("." + rest if rest else "")
    return module + "." + name


def _valid(module: str, name: str) -> bool:
    if not module or not name or len(module) + len(name) > 500:
        return False
    return all(part.isidentifier() for part in module.split(".") + name.split("."))


def _has_dunder(name: str) -> bool:
    return any(p.startswith("__") and p.endswith("__") and len(p) > 4 for p in name.split("."))


def _through_stdlib_module(name: str) -> bool:
    """``payloads.os.system``: a qualname that walks through a module such as ``os``. Legitimate
    pickles name nested classes (``Outer.Inner``), never a path through an imported module."""
    parts = name.split(".")[:-1]
    return any(p in _STDLIB and p.islower() for p in parts)


def is_stdlib(full: str) -> bool:
    return full.partition(".")[0] in _STDLIB


class GlobalPolicy:
    """The decision table for one policy; immutable once built."""

    def __init__(self, mode="default", allow=(), deny=()):
        if mode not in MODES:
            raise ValueError(f"pickle mode must be one of {', '.join(MODES)}, not {mode!r}")
        self.mode = mode
        self.policy_allow = PatternSet(allow)
        self.policy_deny = PatternSet(deny)
        self.builtin_deny = PatternSet(globallists.DENY)
        self.plain_data = PatternSet(globallists.STDLIB_PLAIN_DATA)
        self.ml_safe = PatternSet(globallists.ML_SAFE)

    @classmethod
    def from_policy(cls, policy: Optional[dict]) -> "GlobalPolicy":
        section = (policy or {}).get("pickle") or {}
        return cls(
            mode=section.get("mode", "default"),
            allow=section.get("allow_globals", ()),
            deny=section.get("deny_globals", ()),
        )

    @property
    def enforcing(self) -> bool:
        return self.mode != "audit"

    def decide(self, module: str, name: str) -> Decision:
        """Decide on the name as written and as Python 2 compatibility maps it; both must pass."""
        if not isinstance(module, str) or not isinstance(name, str):
            return Decision(False, "invalid-name")
        renamed = NAME_MAPPING.get((module, name))
        if renamed is not None:
            # Only Python 2 names are keys here; Python 3 has no such attribute to resolve.
            return self._decide(*renamed)
        first = self._decide(module, name)
        if not first.allowed or module not in IMPORT_MAPPING:
            return first
        second = self._decide(IMPORT_MAPPING[module], name)
        return first if second.allowed else second

    def _decide(self, module: str, name: str) -> Decision:
        if not isinstance(module, str) or not isinstance(name, str) or not _valid(module, name):
            return Decision(False, "invalid-name")
        full = normalise(module, name)
        hit = self.policy_deny.match(full, attributes_too=True)
        if hit:
            return Decision(False, "policy-deny", hit)
        exact_allow = self.policy_allow.match_exact(full)
        if exact_allow:
            return Decision(True, "policy-allow", exact_allow)
        hit = self.builtin_deny.match(full, attributes_too=True)
        if hit:
            return Decision(False, "deny-list", hit)
        hit = self.policy_allow.match(full)
        if hit:
            return Decision(True, "policy-allow", hit)
        hit = self.plain_data.match(full)
        if hit:
            return Decision(True, "plain-data", hit)
        if self.mode == "strict":
            hit = self.ml_safe.match(full)
            if hit:
                return Decision(True, "ml-safe", hit)
        if _has_dunder(name):
            return Decision(False, "dunder")
        if _through_stdlib_module(name):
            return Decision(False, "module-object")
        if self.mode == "strict":
            return Decision(False, "not-in-allow-list")
        if is_stdlib(full):
            return Decision(False, "stdlib-not-plain-data")
        return Decision(True, "third-party")
