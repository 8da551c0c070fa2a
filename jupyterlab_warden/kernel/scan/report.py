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


class Finding(NamedTuple):
    """What a non-pickle format can do when loaded (a Keras Lambda, a TorchScript file op, a
    YAML python tag): the generic finding list beside ``globals``."""

    kind: str  # keras-lambda, keras-callable, torchscript-op, yaml-python-tag, ...
    where: str  # member or config path inside the file, "" for the file itself
    verdict: str  # safe | suspicious | dangerous
    detail: str  # what was found, never file contents beyond the construct's name


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
    findings: List[Finding] = []

    def dangerous_globals(self) -> List[str]:
        return sorted({g.qualified for g in self.globals if g.verdict == DANGEROUS})

    def dangerous_findings(self) -> List[str]:
        return sorted({f"{f.kind}: {f.detail}" for f in self.findings if f.verdict == DANGEROUS})

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
            "findings": [f._asdict() for f in self.findings],
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
    verdict = overall_verdict(findings, [], notes, errors)
    return ScanReport(path, verdict, fmt or "unknown", findings, notes, errors, cleared)


def overall_verdict(global_findings, format_findings, notes, errors) -> str:
    """The worst of what was found; errors only when nothing worse was."""
    verdicts = {f.verdict for f in global_findings} | {f.verdict for f in format_findings}
    if DANGEROUS in verdicts:
        return DANGEROUS
    if SUSPICIOUS in verdicts or any("TorchScript" in n for n in notes):
        return SUSPICIOUS
    if errors:
        return ERROR
    return SAFE


def with_format_findings(report: ScanReport, fmt: str, findings, notes, errors, regrade=None):
    """``report`` (its pickles) plus what a format scanner found; ``regrade`` may re-judge the
    pickle globals by the format's own loader rules (TorchScript's unpickler)."""
    globals_ = [regrade(g) for g in report.globals] if regrade else list(report.globals)
    all_notes = list(report.notes) + list(notes)
    all_errors = list(report.errors) + list(errors)
    verdict = overall_verdict(globals_, findings, all_notes, all_errors)
    return report._replace(
        verdict=verdict,
        format=fmt,
        globals=globals_,
        notes=all_notes,
        errors=all_errors,
        findings=list(findings),
    )
