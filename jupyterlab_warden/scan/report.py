"""Turn the globals found in a file into a verdict: safe | suspicious | dangerous | error."""

from typing import Dict, List, NamedTuple, Optional

from ..guard.decide import GlobalPolicy
from .opcodes import COMPUTED

SAFE, SUSPICIOUS, DANGEROUS, ERROR = "safe", "suspicious", "dangerous", "error"
VERDICTS = (SAFE, SUSPICIOUS, DANGEROUS, ERROR)

# Refusal reasons that mean "known to run code"; the others mean "the guard would refuse it".
_DANGEROUS_REASONS = {
    "deny-list",
    "policy-deny",
    "dunder",
    "invalid-name",
    "computed",
    "module-object",
}


class GlobalFinding(NamedTuple):
    module: str
    name: str
    where: str  # container member, "" for the file itself
    verdict: str  # safe | suspicious | dangerous
    reason: str

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


def classify(module: str, name: str, policy: GlobalPolicy):
    if module == COMPUTED or name == COMPUTED:
        return DANGEROUS, "computed"
    decision = policy.decide(module, name)
    if decision.allowed:
        return SAFE, decision.reason
    return (DANGEROUS if decision.reason in _DANGEROUS_REASONS else SUSPICIOUS), decision.reason


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
    seen = set()
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
                if key in seen:
                    continue
                seen.add(key)
                verdict, reason = classify(g.module, g.name, policy)
                findings.append(GlobalFinding(g.module, g.name, part.where, verdict, reason))
    verdicts = {f.verdict for f in findings}
    if DANGEROUS in verdicts:
        verdict = DANGEROUS
    elif SUSPICIOUS in verdicts or any("TorchScript" in n for n in notes):
        verdict = SUSPICIOUS
    elif errors:
        verdict = ERROR
    else:
        verdict = SAFE
    return ScanReport(path, verdict, fmt or "unknown", findings, notes, errors)
