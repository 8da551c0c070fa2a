"""Turn the globals found in a file into a verdict: safe | suspicious | dangerous | error."""

from typing import Dict, List, NamedTuple, Optional

from .curated import NEWARGS
from .decide import GlobalPolicy
from .judge import CALL, NEEDS_RESOLUTION, role_names
from .opcodes import COMPUTED, MUTATE, UNSAFE_STATE

SAFE, SUSPICIOUS, DANGEROUS, ERROR = "safe", "suspicious", "dangerous", "error"
VERDICTS = (SAFE, SUSPICIOUS, DANGEROUS, ERROR)

# Refusal reasons that mean "can run code"; the others mean "the guard would refuse it". Any
# refused global the pickle CALLS is dangerous too: that is how every code-execution chain ends.
_DANGEROUS_REASONS = {
    "policy-deny",
    "ml-not-curated",
    "dunder",
    "invalid-name",
    "computed",
    "module-path",
    "module-object",
    "getattr-shape",
    "not-curated-callable",
    "mutates-global",
    "unsafe-state",
}


class GlobalFinding(NamedTuple):
    module: str
    name: str
    where: str  # container member, "" for the file itself
    verdict: str  # safe | suspicious | dangerous
    reason: str
    roles: List[str] = []  # how the pickle uses it: call, new, build, value, zgetattr, mutate

    @property
    def qualified(self) -> str:
        return f"{self.module}.{self.name}"


class ScanReport(NamedTuple):
    path: str
    verdict: str
    format: str
    globals: List[GlobalFinding]
    notes: List[str]
    errors: List[str]
    # (module, name) -> role bits, for globals the judge let through by name: the audit hook
    # refuses any global the unpickler resolves that is not here (see guard.state)
    cleared: Optional[Dict] = None

    def dangerous_globals(self) -> List[str]:
        return sorted({g.qualified for g in self.globals if g.verdict == DANGEROUS})

    def refused_globals(self) -> List[str]:
        return sorted({g.qualified for g in self.globals if g.verdict != SAFE})

    def to_dict(self) -> Dict:
        return {
            "path": self.path,
            "verdict": self.verdict,
            "format": self.format,
            "globals": [g._asdict() for g in self.globals],
            "notes": list(self.notes),
            "errors": list(self.errors),
        }


def classify(module: str, name: str, roles: int, policy: GlobalPolicy):
    """(verdict, reason, allowed by name) of one global used in ``roles``."""
    if module == COMPUTED or name == COMPUTED:
        return DANGEROUS, "computed", False
    if roles & MUTATE:
        return DANGEROUS, "mutates-global", False
    if roles & UNSAFE_STATE:
        return DANGEROUS, "unsafe-state", False
    decision = policy.decide(module, name, roles)
    if decision.allowed:
        verdict = SUSPICIOUS if decision.reason in NEEDS_RESOLUTION else SAFE
        return verdict, decision.reason, True
    dangerous = decision.reason in _DANGEROUS_REASONS or roles & (CALL | NEWARGS)
    return (DANGEROUS if dangerous else SUSPICIOUS), decision.reason, False


def _roles_list(roles: int) -> List[str]:
    out = role_names(roles)
    if roles & MUTATE:
        out.append("mutate")
    if roles & UNSAFE_STATE:
        out.append("unsafe-state")
    return out


_default_policy: Optional[GlobalPolicy] = None


def default_policy() -> GlobalPolicy:
    """Built once: compiling the lists costs more than scanning a small pickle."""
    global _default_policy
    if _default_policy is None:
        _default_policy = GlobalPolicy()
    return _default_policy


def build_report(path: str, parts, policy: Optional[GlobalPolicy] = None) -> ScanReport:
    policy = policy or default_policy()
    findings: List[GlobalFinding] = []
    roles_by_key: Dict = {}
    notes: List[str] = []
    errors: List[str] = []
    fmt = None
    streams_ok = 0
    for part in parts:
        fmt = fmt or part.fmt
        if part.note:
            notes.append((f"{part.where}: {part.note}") if part.where else part.note)
        if part.error:
            errors.append((f"{part.where}: {part.error}") if part.where else part.error)
        for stream in part.streams:
            if stream.error:
                errors.append((f"{part.where}: {stream.error}") if part.where else stream.error)
            else:
                streams_ok += 1
            for g in stream.globals:
                key = (g.module, g.name, part.where)
                roles_by_key[key] = roles_by_key.get(key, 0) | g.roles
    cleared: Dict = {}
    for (module, name, where), roles in roles_by_key.items():
        verdict, reason, allowed = classify(module, name, roles, policy)
        findings.append(GlobalFinding(module, name, where, verdict, reason, _roles_list(roles)))
        if allowed:
            cleared[(module, name)] = cleared.get((module, name), 0) | roles
    verdicts = {f.verdict for f in findings}
    if DANGEROUS in verdicts:
        verdict = DANGEROUS
    elif SUSPICIOUS in verdicts or any("TorchScript" in n for n in notes):
        verdict = SUSPICIOUS
    elif errors:
        verdict = ERROR
    else:
        verdict = SAFE
    return ScanReport(path, verdict, fmt or "unknown", findings, notes, errors, cleared)
