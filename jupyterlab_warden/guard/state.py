"""The guard's state in this process: policy, decisions, confirmations, and the rule actions.

One ``GuardState`` exists per process (see ``registry``); the audit hook and the load wrappers
call into it. Its methods apply the policy - they never import torch, numpy or pandas.
"""

import importlib
import sys
import types
import warnings
from typing import Dict, Optional

from . import catalog, context, filesource
from .decide import REASONS, Decision, GlobalPolicy
from .errors import WardenBlockedLoad, WardenWarning
from .events import EventSink, fingerprint, kernel_location, make_event

GUARD_VERSION = "1"
RULE_GLOBAL = "pickle-blocked-global"
RULE_FILE = "model-file-dangerous-globals"
RULE_WEIGHTS_ONLY_FALSE = "torch-weights-only-disabled"
RULE_TORCH_VULNERABLE = "torch-weights-only-bypassable"
TORCH_LAST_VULNERABLE = (2, 5, 1)  # CVE-2025-32434
SAFE, DANGEROUS = "safe", "dangerous"  # scanner verdicts (jupyterlab_warden.scan.report)
_RESOLVE_REASONS = ("third-party", "policy-allow")
_FUNCTION_TYPES = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, type)


class GuardState:
    def __init__(self, policy: Optional[dict] = None, spool_dir: Optional[str] = None):
        self.version = GUARD_VERSION
        self.enabled = True
        self.sink = EventSink(spool_dir)
        self.hashes = filesource.HashCache()
        self.confirmations: Dict[str, str] = {}
        self.errors = []
        self.patched = []
        self.torch_version: Optional[str] = None
        self.torch_vulnerable: Optional[bool] = None
        self.install_ms: Optional[float] = None
        self.counts = {"globals_checked": 0, "globals_refused": 0, "files_scanned": 0,
                       "loads_blocked": 0}
        self.set_policy(policy)

    # -- policy ----------------------------------------------------------------------------
    def set_policy(self, policy: Optional[dict]) -> None:
        """Adopt a policy document; a malformed pickle section falls back to the default mode."""
        policy = dict(policy or {})
        try:
            compiled = GlobalPolicy.from_policy(policy)
        except (ValueError, TypeError, AttributeError) as exc:
            self.errors.append(f"policy pickle section ignored: {exc}")
            compiled = GlobalPolicy()
        self.policy = policy
        self.globals = compiled
        self.decisions: Dict = {}
        self.scans: Dict = {}  # stat key -> ScanReport under this policy
        try:
            guard = policy.get("guard") or {}
            telemetry = policy.get("telemetry") or {}
            trusted = {k.lower(): v for k, v in (policy.get("trusted_artifacts") or {}).items()}
            enabled = guard.get("enabled", True) is not False
            weights_only_default = guard.get("torch_weights_only_default", True) is not False
            scan_before_load = guard.get("scan_before_load", True) is not False
            include_paths = telemetry.get("include_paths", True) is not False
        except (AttributeError, TypeError) as exc:  # not the schema's shape: protect anyway
            self.errors.append(f"policy guard/telemetry/trusted settings ignored: {exc}")
            trusted, enabled, weights_only_default, scan_before_load, include_paths = (
                {}, True, True, True, True)
        self.trusted = trusted
        self.enabled = enabled
        self.weights_only_default = weights_only_default
        self.scan_before_load = scan_before_load
        self.include_paths = include_paths
        self.revision = policy.get("revision") if isinstance(policy.get("revision"), int) else None

    # -- the audit hook's question ------------------------------------------------------------
    def check_global(self, module, name) -> None:
        """Raise WardenBlockedLoad unless the policy lets the unpickler resolve module.name."""
        if not self.enabled:
            return
        ctx = context.current()
        if ctx is not None and ctx.trusted:
            return
        self.counts["globals_checked"] += 1
        key = (module, name)
        decision = self.decisions.get(key)
        if decision is None:
            decision = self._decide(module, name)
            if len(self.decisions) < 50_000:
                self.decisions[key] = decision
        if not decision.allowed:
            self._refuse_global(module, name, decision, ctx)

    def _decide(self, module, name) -> Decision:
        decision = self.globals.decide(module, name)
        if not decision.allowed or decision.reason not in _RESOLVE_REASONS:
            return decision
        if decision.reason == "policy-allow" and not (decision.pattern or "").endswith(".*"):
            return decision  # an admin named this exact global
        identity = _identity(module, name)
        if identity is None or identity == f"{module}.{name}":
            return decision
        if identity == "<module>":
            return Decision(False, "module-object")
        mod, _, qual = identity.rpartition(".")
        real = self.globals.decide(mod, qual) if mod else decision
        # Re-exports (``somelib.system`` is ``os.system``) are judged by what they really are.
        if not real.allowed:
            return Decision(False, "reexported", identity)
        return decision

    def _refuse_global(self, module, name, decision: Decision, ctx) -> None:
        full = f"{module}.{name}"
        evidence = {"call": ctx.call if ctx else "pickle", "global": full,
                    "reason": decision.reason}
        if decision.reason == "reexported" and decision.pattern:
            evidence["resolves_to"] = decision.pattern
        if ctx is not None:
            evidence.update(self.file_evidence(ctx, with_hash=True))
        self.counts["globals_refused"] += 1
        what = f"unpickling the global {full}"
        why = REASONS.get(decision.reason, decision.reason)
        if not self.globals.enforcing:  # audit mode: record, never refuse
            self._emit(RULE_GLOBAL, "allowed", f"Audit: {what} would be refused: {why}.",
                       evidence)
            return
        self.apply_rule(RULE_GLOBAL, evidence, what, why)

    # -- rules -------------------------------------------------------------------------------
    def apply_rule(self, rule_id: str, evidence: dict, what: str, why: str) -> str:
        """Apply the policy's action for a finding; raises WardenBlockedLoad to block.

        'confirm' cannot ask anyone from inside a kernel: it blocks, and the message names the
        finding's fingerprint; once the frontend (or the user) calls ``confirm(fingerprint)``
        the next identical load goes through, recorded as 'confirmed'.
        """
        action = catalog.action_for(rule_id, self.policy)
        if action == "off":
            return "off"
        rule = catalog.rule(rule_id)
        fp = fingerprint(rule_id, evidence)
        if action == "warn":
            message = "Jupyter Warden warning: {} - {}. {}".format(what, why, rule["remediation"])
            self._emit(rule_id, "warned", message, evidence)
            warnings.warn(message, WardenWarning, stacklevel=4)
            return "warned"
        if action == "confirm" and fp in self.confirmations:
            justification = self.confirmations.pop(fp)
            self._emit(rule_id, "confirmed", f"Confirmed by the user: {what}.", evidence,
                       justification=justification)
            return "confirmed"
        proceed = rule["remediation"] or "Do not load this file."
        if action == "confirm":
            proceed += (f" To load it anyway, confirm finding {fp} in Jupyter Warden, or run "
                        f"jupyterlab_warden.guard.confirm({fp!r}, 'reason') "
                        "and run the cell again.")
        message = (f"Jupyter Warden blocked {what}: {why}. Nothing from it was run. "
                   f"How to proceed: {proceed}")
        event = self._emit(rule_id, "blocked", message, evidence)
        self.counts["loads_blocked"] += 1
        raise WardenBlockedLoad(message, rule_id, event)

    def confirm(self, fp: str, justification: str = "") -> None:
        self.confirmations[str(fp)] = str(justification)[:2000]

    def _emit(self, rule_id, action, message, evidence, justification=None) -> dict:
        event = make_event(rule_id, action, catalog.severity_for(rule_id, self.policy), message,
                           evidence, self._location(), self.revision)
        if justification:
            event["justification"] = justification
        self.sink.deliver(event)
        return event

    def _location(self) -> dict:
        location = kernel_location()
        if not self.include_paths:
            location.pop("path", None)
        return location

    # -- scan before load --------------------------------------------------------------------
    def open_load(self, call: str, target, unpickles: bool = True) -> context.LoadContext:
        """Scan the file behind a load call; refuse a dangerous one unless trusted."""
        outer = context.current()
        if outer is not None:
            return outer  # a loader inside a loader (torch -> pickle.load): scanned already
        ctx = context.LoadContext(call)
        if not self.enabled or not unpickles:
            return ctx
        source = filesource.describe(target)
        if source is None:
            return ctx
        ctx.path, ctx.size, ctx.hash_source = source.path, source.size, source
        if self.scan_before_load and _worth_prescanning(source):
            from ..scan import scan_bytes, scan_file  # imported on first load: keeps install fast

            cached = self.scans.get(source.stat_key) if source.stat_key else None
            if cached is not None:
                ctx.report = cached
            else:
                self.counts["files_scanned"] += 1
                policy = self.globals if self.globals.mode != "audit" else GlobalPolicy()
                if source.path is not None:
                    ctx.report = scan_file(source.path, policy)
                else:
                    ctx.report = scan_bytes(source.data, "<open file>", policy)
                if source.stat_key:
                    if len(self.scans) >= 256:
                        self.scans.clear()
                    self.scans[source.stat_key] = ctx.report
        if ctx.report is not None and ctx.report.verdict != SAFE:
            self.check_trust(ctx)
        if ctx.report is not None and ctx.report.verdict == DANGEROUS and not ctx.trusted:
            evidence = {"call": call, "globals": ctx.report.dangerous_globals(),
                        "verdict": ctx.report.verdict}
            evidence.update(self.file_evidence(ctx, with_hash=True))
            if self.globals.enforcing:
                self.apply_rule(RULE_FILE, evidence, "loading this file",
                                "its pickle data imports " + ", ".join(evidence["globals"][:5]))
            else:
                self._emit(RULE_FILE, "allowed", "Audit: this file imports dangerous globals.",
                           evidence)
        return ctx

    def check_trust(self, ctx: context.LoadContext) -> bool:
        """Hash the file (cached) if the policy lists trusted artifacts; mark ctx trusted."""
        if self.trusted and ctx.hash_source is not None and ctx.sha256 is None:
            ctx.sha256 = self.hashes.sha256(ctx.hash_source)
            if ctx.sha256 in self.trusted:
                ctx.trusted_name = self.trusted[ctx.sha256]
        return ctx.trusted

    def file_evidence(self, ctx, with_hash: bool) -> dict:
        if ctx.hash_source is None:
            return {}
        if with_hash and ctx.sha256 is None:
            ctx.sha256 = self.hashes.sha256(ctx.hash_source)
        out = {"size": ctx.size}
        if ctx.sha256:
            out["sha256"] = ctx.sha256
        if self.include_paths and ctx.path:
            out["path"] = ctx.path
        return out

    # -- torch -------------------------------------------------------------------------------
    def note_torch(self, version: str) -> None:
        """Record torch's version; flag versions whose weights_only is bypassable, once."""
        self.torch_version = str(version)
        self.torch_vulnerable = parse_version(version) <= TORCH_LAST_VULNERABLE
        if self.torch_vulnerable:
            evidence = {"torch_version": self.torch_version, "call": "import torch"}
            what = f"torch {self.torch_version}"
            why = "torch.load(weights_only=True) is bypassable on torch <= 2.5.1 (CVE-2025-32434)"
            action = catalog.action_for(RULE_TORCH_VULNERABLE, self.policy)
            if action != "off":
                self._emit(RULE_TORCH_VULNERABLE, "warned", f"{what}: {why}.", evidence)

    def status(self) -> dict:
        return {
            "installed": True,
            "enabled": self.enabled,
            "version": self.version,
            "mode": self.globals.mode,
            "policy_revision": self.revision,
            "torch_version": self.torch_version,
            "torch_vulnerable": self.torch_vulnerable,
            "patched": sorted(self.patched),
            "trusted_artifacts": len(self.trusted),
            "events": self.sink.delivered,
            "events_dropped": self.sink.dropped,
            "spool_file": self.sink.spool_path,
            "install_ms": self.install_ms,
            "counts": dict(self.counts),
            "errors": list(self.errors[-10:]),
        }


# A plain pickle stream is scanned op by op in Python, several times slower than the C
# unpickler; past this size the pre-scan would dominate the load, so such files are left to the
# audit hook (which sees every global anyway, it just stops at the first refused one). Zip
# archives (torch) are always scanned: only their small *.pkl members are read.
PRESCAN_MAX_PLAIN_BYTES = 1024 * 1024


def _worth_prescanning(source) -> bool:
    if source.size <= PRESCAN_MAX_PLAIN_BYTES:
        return True
    try:
        if source.path is not None:
            with open(source.path, "rb") as fh:
                head = fh.read(4)
        else:
            head = bytes(source.data[:4])
    except OSError:
        return False
    return head == b"PK\x03\x04"


def parse_version(version: str):
    parts = []
    for piece in str(version).split("+")[0].split(".")[:3]:
        digits = ""
        for ch in piece:
            if not ch.isdigit():
                break
            digits += ch
        parts.append(int(digits or 0))
    while len(parts) < 3:
        parts.append(0)
    return tuple(parts)


def _identity(module: str, name: str) -> Optional[str]:
    """What module.name really is: ``<module>`` for a module, else its defining module and
    qualified name. Imports the module as the unpickler is about to; None if unresolvable."""
    try:
        obj = sys.modules.get(module) or importlib.import_module(module)
    except Exception:  # noqa: BLE001 - the unpickler will report the failed import itself
        return None
    parts = name.split(".")
    for part in parts:
        try:
            obj = getattr(obj, part)
        except Exception:  # noqa: BLE001
            return None
        if isinstance(obj, types.ModuleType):
            # Pickles name classes by qualname; a path through a module (pkg.os.system) or a
            # module itself is never needed by legitimate data.
            return "<module>"
    if not isinstance(obj, _FUNCTION_TYPES):
        return None  # an instance: data, judged by the globals that built it
    owner = getattr(obj, "__self__", None)
    if owner is not None and not isinstance(owner, (types.ModuleType, type)):
        kind = type(owner)
        return "{}.{}.{}".format(kind.__module__, kind.__qualname__, getattr(obj, "__name__", "?"))
    mod = getattr(obj, "__module__", None)
    qual = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if not isinstance(mod, str) or not isinstance(qual, str):
        return None
    return f"{mod}.{qual}"


