"""The guard's state in this process: policy, decisions, confirmations, and the rule actions.

One ``GuardState`` exists per process. It is held only by the closures of the audit hook and
the loader wrappers (see ``guard/__init__.py``): no module attribute or ``sys.modules`` entry
leads to it, so no pickle global can. Its methods apply the policy - they never import torch,
numpy or pandas.
"""

from __future__ import annotations

import sys

from ..scan import curated, judge
from ..scan import pytypes as types  # the types module's types, without it
from ..scan.decide import REASONS, Decision, GlobalPolicy
from . import catalog, filesource
from .context import ContextStack, LoadContext
from .errors import WardenWarning, blocked_load
from .events import EventSink, fingerprint, kernel_location, make_event
from .provenance import Provenance
from .sha import sha256

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing is not imported at interpreter start
    from typing import Dict, Optional

# The audit event through which every copy of the guard's code reaches the active guard
# (guard/__init__.py); the state uses it to have the hook check the server's update file.
AUDIT_EVENT = "jupyterlab_warden.kernel.guard"

GUARD_VERSION = "2"
RULE_GLOBAL = "pickle-blocked-global"
RULE_FILE = "model-file-dangerous-globals"
RULE_WEIGHTS_ONLY_FALSE = "torch-weights-only-disabled"
RULE_TORCH_VULNERABLE = "torch-weights-only-bypassable"
TORCH_LAST_VULNERABLE = (2, 5, 1)  # CVE-2025-32434
SAFE, DANGEROUS = "safe", "dangerous"  # scanner verdicts (jupyterlab_warden.kernel.scan.report)
_IMMUTABLE_VALUES = (int, float, complex, str, bytes, bool, type(None), tuple, frozenset)
_VALUE_TYPES = frozenset(("torch.dtype", "torch.layout", "torch.memory_format", "torch.qscheme"))
# Plain pickle.load / pickle.loads of at least this many bytes take the fast path (open_fast):
# below it the pre-scan costs less than a millisecond or two and gives the file-level verdict
# up front. Not a security setting: both paths refuse the same data (tests/guard/corpus runs
# the corpora through both).
FAST_PATH_MIN_BYTES = 1 << 20
_HEAPTYPE, _IMMUTABLETYPE = 1 << 9, 1 << 8  # CPython type flags


class GuardState:
    def __init__(self, policy: Optional[dict] = None, spool_dir: Optional[str] = None, rules=None):
        self.version = GUARD_VERSION
        self.enabled = True
        self.sink = EventSink(spool_dir)
        self.hashes = filesource.HashCache()
        self.rules = catalog.Rules(rules)
        self.contexts = ContextStack()
        self.confirmations: Dict[str, str] = {}
        self.errors = []
        self.patched = []
        # "module.name" -> the validating wrapper the guard put there (format_loaders
        # VALIDATING_KINDS): the hook admits that name only when it resolves to this object
        self.validated: Dict[str, object] = {}
        self.torch_version: Optional[str] = None
        self.torch_vulnerable: Optional[bool] = None
        self.install_ms: Optional[float] = None
        self.counts = {
            "globals_checked": 0,
            "globals_refused": 0,
            "files_scanned": 0,
            "loads_blocked": 0,
        }
        self._seal = None
        self.fast_path_min_bytes = FAST_PATH_MIN_BYTES
        self.provenance = Provenance()  # signatures and hub sources (issue 19)
        self.set_policy(policy)

    # -- policy ----------------------------------------------------------------------------
    def set_policy(self, policy: Optional[dict]) -> None:
        """Adopt a policy document (launch-time file or the lab server's bootstrap: may loosen).

        A malformed pickle section falls back to the default mode."""
        policy = dict(policy or {})
        try:
            compiled = GlobalPolicy.from_policy(policy)
        except (ValueError, TypeError, AttributeError) as exc:
            self.errors.append(f"policy pickle section ignored: {exc}")
            compiled = GlobalPolicy()
        self.errors.extend(compiled.problems)
        # The lab validates first; a guard handed an invalid document anyway says so here
        # and decides its unreadable values fail closed (catalog.Rules).
        self.errors.extend(catalog.policy_faults(policy))
        self.errors.extend(self.provenance.set_policy(policy))
        self.policy = policy
        self.globals = compiled
        self.decisions: Dict = {}
        self.fast_admits: Dict = {}  # (module, name) -> safe in every role and unchangeable
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
                {},
                True,
                True,
                True,
                True,
            )
        self.trusted = trusted
        self.enabled = enabled
        self.weights_only_default = weights_only_default
        self.scan_before_load = scan_before_load
        self.include_paths = include_paths
        self.revision = policy.get("revision") if isinstance(policy.get("revision"), int) else None
        self._seal = self.seal()

    def use_rules(self, rules: Optional[dict]) -> None:
        """The runtime rules the lab server's bootstrap passes (the catalog it ships)."""
        if isinstance(rules, dict) and rules:
            self.rules = catalog.Rules(rules)
            self._seal = self.seal()  # the rule actions are part of the seal

    def seal(self):
        """What the hook compares on every global: a fingerprint of the security-relevant
        VALUES (not object identity, so an in-place edit such as ``state.globals.mode =
        'audit'`` or ``state.trusted[h] = ...`` is seen), changed only through set_policy."""
        admin = self.globals.admin
        try:
            rule_ids = sorted(catalog.EMBEDDED_RUNTIME_RULES)
            actions = tuple(zip(rule_ids, self.rules.actions_for(rule_ids, self.policy)))
            values = (
                self.enabled,
                self.globals.mode,
                tuple(sorted(admin.allow)),
                tuple(sorted(admin.allow_packages)),
                tuple(sorted(admin.deny)),
                tuple(sorted(admin.deny_packages)),
                tuple(sorted(self.trusted.items())),
                self.scan_before_load,
                self.weights_only_default,
                actions,
                repr(self.policy),
                self.provenance.sealed_values(),
            )
        except Exception as exc:  # noqa: BLE001 - an altered shape is itself an alteration
            return ("unreadable", type(exc).__name__)
        return sha256(repr(values).encode("utf-8", "backslashreplace")).hexdigest()

    def intact(self) -> bool:
        return self._seal is not None and self._seal == self.seal()

    def tighten(self, policy: Optional[dict]) -> bool:
        """In-kernel ``install(policy)``: adopt ``policy`` only if it is at least as tight as
        the one in force (mode, allow/deny lists, rule actions, guard switches, trusted
        artifacts); otherwise keep the current policy and record why."""
        why = self._looser(dict(policy or {}))
        if why:
            self.errors.append(f"in-kernel policy change ignored: it would loosen {why}")
            return False
        self.set_policy(policy)
        return True

    def _looser(self, new: dict) -> Optional[str]:
        try:
            candidate = GlobalPolicy.from_policy(new)
        except (ValueError, TypeError, AttributeError):
            return "the pickle section (malformed)"
        if not self.globals.tighter_or_equal(candidate):
            return "the pickle mode or allow/deny lists"
        old_guard, new_guard = self.policy.get("guard") or {}, new.get("guard") or {}
        if not isinstance(new_guard, dict):
            return "the guard settings (malformed)"
        for key in ("enabled", "torch_weights_only_default", "scan_before_load"):
            if old_guard.get(key, True) is not False and new_guard.get(key, True) is False:
                return f"guard.{key}"
        if not set(new.get("trusted_artifacts") or {}) <= set(self.trusted):
            return "trusted_artifacts"
        if (new.get("provenance") or {}) != (self.policy.get("provenance") or {}):
            return "the provenance section (it changes only through the lab server)"
        if (new.get("artifacts") or {}).get("accept_fleet_scans") is True and (
            self.policy.get("artifacts") or {}
        ).get("accept_fleet_scans") is not True:
            return "artifacts.accept_fleet_scans (other labs' scans instead of this kernel's)"
        from .installs.decide import looser as installs_looser

        install_why = installs_looser(self.policy, new)
        if install_why:
            return install_why
        for rule_id in catalog.EMBEDDED_RUNTIME_RULES:
            old = self.rules.action_for(rule_id, self.policy)
            now = self.rules.action_for(rule_id, new)
            if catalog.ACTIONS.index(now) < catalog.ACTIONS.index(old):
                return f"the action of rule {rule_id}"
        return None

    # -- the audit hook's question ------------------------------------------------------------
    def check_global(self, module, name) -> None:
        """Raise WardenBlockedLoad unless module.name may be resolved for this load."""
        if not self.intact():
            # someone changed the state outside the policy channel (e.g. state.enabled = False)
            self._refuse_global(module, name, Decision(False, "state-altered"), None)
            return
        if not self.enabled:
            return
        ctx = self.contexts.current()
        if ctx is not None and ctx.trusted:
            return
        self.counts["globals_checked"] += 1
        if ctx is not None and ctx.pending is not None:
            if self._fast_admit(module, name):
                return
            # role-aware (or refused) by the hook alone: scan the whole data now, then judge
            # this and every later global exactly as a pre-scanned load would
            source, ctx.pending = ctx.pending, None
            if not filesource.unchanged(source):
                # the scan would read another version than the one being unpickled
                self._refuse_global(module, name, Decision(False, "changed-during-load"), ctx)
                return
            self._scan_into(ctx, source)  # raises WardenBlockedLoad on a dangerous verdict
            if ctx.trusted:
                return
        scanned = ctx is not None and ctx.cleared is not None
        if scanned:
            roles = ctx.cleared.get((module, name))
            if roles is None:
                # the scan did not clear it: say why the judge refuses it, if it does by name
                by_name = self.globals.decide(module, name, judge.WORST)
                refusal = by_name if not by_name.allowed else Decision(False, "not-in-scan")
                self._refuse_global(module, name, refusal, ctx)
                return
        else:
            roles = judge.WORST
        decision = self._decide_cached(module, name, roles, scanned)
        if not decision.allowed:
            self._refuse_global(module, name, decision, ctx)

    def _fast_admit(self, module, name) -> bool:
        """May the fast path let this global through without a scan? Only if the hook alone
        allows it in EVERY role (called with any arguments, made, restored: judge.WORST), the
        pickle cannot change it in place (BUILD/SETITEM on the global itself, which only a
        scan sees: a builtin function of a module, an immutable (C or IMMUTABLETYPE) class, or
        an immutable value), and the scanner judges nothing about its restored state
        (curated.STATE_JUDGED: numpy.dtype)."""
        key = (module, name)
        hit = self.fast_admits.get(key)
        if hit is None:
            hit = False
            if self._decide_cached(module, name, judge.WORST, False).allowed:
                by_name = self.globals.decide(module, name, judge.WORST)
                obj, failure = _resolve(module, name, by_name)
                hit = (
                    failure is None
                    and _unchangeable(obj)
                    and judge.canonical(obj) not in curated.STATE_JUDGED
                )
            if len(self.fast_admits) < 50_000:
                self.fast_admits[key] = hit
        return hit

    def _decide_cached(self, module, name, roles: int, scanned: bool) -> Decision:
        key = (module, name, roles, scanned)
        decision = self.decisions.get(key)
        if decision is None:
            decision = self._decide(module, name, roles, scanned)
            # a validated admission holds for the object it resolved to: checked every time
            if len(self.decisions) < 50_000 and decision.reason != "validated":
                self.decisions[key] = decision
        return decision

    def _decide(self, module, name, roles: int, scanned: bool) -> Decision:
        by_name = self.globals.decide(module, name, roles)
        if not by_name.allowed:
            return by_name
        obj, failure = _resolve(module, name, by_name)
        if failure is not None:
            return failure
        wrapper = self.validated.get(f"{module}.{name}")
        if wrapper is not None and obj is wrapper:
            return Decision(True, "validated", f"{module}.{name}")
        decision = judge.judge_object(obj, roles, by_name)
        if (
            decision.allowed
            and not scanned
            and decision.reason == "data-value"
            and not isinstance(obj, _IMMUTABLE_VALUES)
            and judge.canonical(type(obj)) not in _VALUE_TYPES
        ):
            # Without a scan the hook cannot know the pickle only reads this object: a shared
            # instance could be changed in place (BUILD / SETITEM) - refuse.
            return Decision(False, "needs-scan", type(obj).__name__)
        return decision

    def _refuse_global(self, module, name, decision: Decision, ctx) -> None:
        full = f"{module}.{name}"
        evidence = {
            "call": ctx.call if ctx else "pickle",
            "global": full,
            "reason": decision.reason,
        }
        if decision.detail and decision.reason in _DETAIL_REASONS:
            evidence["resolves_to"] = decision.detail[:200]
        if ctx is not None:
            evidence.update(self.file_evidence(ctx, with_hash=True))
        self.counts["globals_refused"] += 1
        what = f"unpickling the global {full}"
        why = REASONS.get(decision.reason, decision.reason)
        if decision.reason == "state-altered":
            # fail closed whatever the mode or rule actions say: they are what was altered
            message = (
                f"Jupyter Warden blocked {what}: {why}. Nothing from it was run. How to "
                "proceed: restart the kernel; the guard's policy changes only through the lab "
                "server (or install() with a tighter policy)."
            )
            raise blocked_load(message, RULE_GLOBAL, {})
        if not self.globals.enforcing:  # audit mode: record, never refuse
            self._emit(RULE_GLOBAL, "allowed", f"Audit: {what} would be refused: {why}.", evidence)
            return
        self.apply_rule(RULE_GLOBAL, evidence, what, why)

    # -- rules -------------------------------------------------------------------------------
    def apply_rule(
        self,
        rule_id: str,
        evidence: dict,
        what: str,
        why: str,
        action: Optional[str] = None,
        artifact: Optional[dict] = None,
    ) -> str:
        """Apply the policy's action for a finding; raises WardenBlockedLoad to block.

        'confirm' cannot ask anyone from inside a kernel: it blocks, and the message names the
        finding's fingerprint; once the frontend (or the user) calls ``confirm(fingerprint)``
        the next identical load goes through, recorded as 'confirmed'. ``action``: the
        provenance section's own action for this finding (else the rule's); ``artifact``: the
        event's artifact field (what was loaded, its signature and hub source).
        """
        if action is None:
            action = self.rules.action_for(rule_id, self.policy)
        if action == "off":
            return "off"
        rule = self.rules.rule(rule_id)
        fp = fingerprint(rule_id, evidence)
        if action == "warn":
            message = "Jupyter Warden warning: {} - {}. {}".format(what, why, rule["remediation"])
            self._emit(rule_id, "warned", message, evidence)
            import warnings  # a warn action only: not at interpreter start

            warnings.warn(message, WardenWarning, stacklevel=4)
            return "warned"
        if action == "confirm" and fp in self.confirmations:
            justification = self.confirmations.pop(fp)
            self._emit(
                rule_id,
                "confirmed",
                f"Confirmed by the user: {what}.",
                evidence,
                justification=justification,
                artifact=artifact,
            )
            return "confirmed"
        proceed = rule["remediation"] or "Do not load this file."
        if action == "confirm":
            proceed += (
                f" To load it anyway, confirm finding {fp} in Jupyter Warden, or run "
                f"jupyterlab_warden.kernel.guard.confirm({fp!r}, 'reason') "
                "and run the cell again."
            )
        message = (
            f"Jupyter Warden blocked {what}: {why}. Nothing from it was run. "
            f"How to proceed: {proceed}"
        )
        event = self._emit(rule_id, "blocked", message, evidence, artifact=artifact)
        self.counts["loads_blocked"] += 1
        raise blocked_load(message, rule_id, event)

    def record(self, rule_id: str, message: str, evidence: dict, artifact=None) -> None:
        """An 'allowed' record (a hub download), unless the policy turns its rule off."""
        if self.rules.action_for(rule_id, self.policy) != "off":
            self._emit(rule_id, "allowed", message, evidence, artifact=artifact)

    def confirm(self, fp: str, justification: str = "") -> None:
        self.confirmations[str(fp)] = str(justification)[:2000]

    def _emit(self, rule_id, action, message, evidence, justification=None, artifact=None):
        event = make_event(
            rule_id,
            action,
            self.rules.severity_for(rule_id, self.policy),
            message,
            evidence,
            self._location(),
            self.revision,
        )
        if justification:
            event["justification"] = justification
        if artifact:
            event["artifact"] = artifact
        self.sink.deliver(event)
        return event

    def _location(self) -> dict:
        location = kernel_location()
        if not self.include_paths:
            location.pop("path", None)
        return location

    # -- scan before load --------------------------------------------------------------------
    def open_load(self, call: str, target, unpickles: bool = True) -> LoadContext:
        """Scan the data behind a load call; refuse a dangerous one unless trusted.

        Returns the context to enter around the real load. A load inside a load (a curated
        reconstructor such as torch.storage._load_from_bytes that loads bytes of its own,
        joblib's NDArrayWrapper calling numpy.load on a side file, torch -> pickle.Unpickler on
        data.pkl) gets its OWN scan and context: the outer scan's cleared set describes the
        outer stream only. Only the same file read again from its start reuses that scan.
        """
        self._require_intact(call)
        outer = self.contexts.current()
        if outer is None:
            self._poll_server()
        # events name the user's call (torch.load), not the loader's inner unpickler
        ctx = self.contexts.new(outer.call if outer is not None else call)
        if outer is not None and outer.trusted:
            ctx.trusted_name = outer.trusted_name  # a trusted artifact's own inner loads
            return ctx
        if outer is None and self.enabled:
            # the user's own load of a file: signature and hub source (issue 19)
            self.provenance.check_load(self, ctx, filesource.describe(target))
        if not self.enabled or not unpickles:
            return ctx
        source = filesource.describe(target)
        if source is None:
            return ctx  # nothing to scan (a non-seekable stream): the hook judges the worst
        if (
            outer is not None
            and outer.call == "joblib.load"
            and call in _JOBLIB_OWN_READS
            and outer.cleared is not None
        ):
            # joblib's NumpyUnpickler and its object arrays' pickle.load read joblib's own
            # stream (raw array bytes between pickles), which the joblib-aware outer scan read
            # whole; a different loader inside it (numpy.load of a side file) is scanned below
            ctx.path, ctx.size, ctx.hash_source = outer.path, outer.size, outer.hash_source
            ctx.report, ctx.cleared, ctx.sha256 = outer.report, outer.cleared, outer.sha256
            return ctx
        if (
            outer is not None
            and source.stat_key is not None
            and outer.hash_source is not None
            and outer.hash_source.stat_key == source.stat_key
            and outer.cleared is not None
        ):
            # the loader handing its own file to its unpickler: the outer scan read this file
            ctx.path, ctx.size, ctx.hash_source = source.path, source.size, source
            ctx.report, ctx.cleared, ctx.sha256 = outer.report, outer.cleared, outer.sha256
            return ctx
        ctx = self._scan_into(ctx, source)
        if outer is None:
            self.provenance.loaded(self, ctx)  # the fleet registry's load record (issue 19)
        return ctx

    def open_fast(self, call: str, target, is_bytes: bool = False) -> LoadContext:
        """``pickle.load(file)`` / ``pickle.loads(data)`` (the C unpickler with its own
        find_class, so the hook sees every global) of big data: no scan up front. The hook
        admits globals safe in every role (``_fast_admit``); the first other global makes it
        scan the whole data right then and judge from there on as a pre-scanned load does.
        What ran before that point was safe whatever the scan would have said. Small data,
        nested loads, audit mode and already-scanned files take the pre-scan path."""
        outer = self.contexts.current()
        if outer is None:
            self._poll_server()
        if (
            outer is not None
            or not self.enabled
            or not self.scan_before_load
            or not self.globals.enforcing
            or not self.intact()
        ):
            return self._open_slow(call, target, is_bytes)
        if is_bytes:
            try:
                view = memoryview(target)
            except TypeError:
                return self._open_slow(call, target, is_bytes)
            source = filesource.FileSource(None, view, view.nbytes, None)
        else:
            source = filesource.describe(target)
        if (
            source is None
            or source.size < self.fast_path_min_bytes
            or (source.stat_key is not None and source.stat_key in self.scans)
        ):
            return self._open_slow(call, target, is_bytes)
        ctx = self.contexts.new(call)
        self.provenance.check_load(self, ctx, source)
        ctx.path, ctx.size, ctx.hash_source = source.path, source.size, source
        if self.provenance.fleet_check(self, ctx, source):
            return ctx  # trusted by the fleet (a ban raised above): nothing left to scan
        ctx.pending = source
        return ctx

    def _open_slow(self, call, target, is_bytes: bool) -> LoadContext:
        return self.open_bytes(call, target) if is_bytes else self.open_load(call, target)

    def open_bytes(self, call: str, data) -> LoadContext:
        """``pickle.loads(data)``: always scanned on its own (it may run inside another load)."""
        self._require_intact(call)
        outer = self.contexts.current()
        if outer is None:
            self._poll_server()
        ctx = self.contexts.new(call)
        if outer is not None and outer.trusted:
            ctx.trusted_name = outer.trusted_name
            return ctx
        if not self.enabled:
            return ctx
        try:
            view = memoryview(data)
        except TypeError:
            return ctx  # not a buffer: the unpickler will refuse it itself
        source = filesource.FileSource(None, view, view.nbytes, None)
        if outer is None:
            self.provenance.check_load(self, ctx, source)  # required_for.unnamed_loads
        return self._scan_into(ctx, source)

    @staticmethod
    def _poll_server() -> None:
        """Before a user's load: the hook (which alone holds the update key) takes a newer
        signed update the lab server left in this kernel's update file, e.g. a fleet ban
        issued while the kernel runs. A stat when nothing changed."""
        sys.audit(AUDIT_EVENT, "poll_updates", None, [])

    def _require_intact(self, call: str) -> None:
        """Every load refuses while the state is altered (even one naming no global)."""
        if not self.intact():
            self._refuse_global("<load>", call, Decision(False, "state-altered"), None)

    def _scan_into(self, ctx: LoadContext, source) -> LoadContext:
        call = ctx.call
        ctx.path, ctx.size, ctx.hash_source = source.path, source.size, source
        if self.provenance.fleet_check(self, ctx, source):
            return ctx  # the fleet's word (issue 19): trusted, or scanned safe elsewhere
        if self.scan_before_load:
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
                    ctx.report = scan_bytes(source.data, "<data>", policy)
                if source.stat_key:
                    if len(self.scans) >= 256:
                        self.scans.clear()
                    self.scans[source.stat_key] = ctx.report
            ctx.cleared = ctx.report.cleared if ctx.report.cleared is not None else {}
        if ctx.report is not None and ctx.report.verdict != SAFE:
            self.check_trust(ctx)
        if ctx.report is not None and not ctx.trusted and _unparsable(ctx.report):
            # fail closed with a clear message (the library would die on the same input with
            # a bare RecursionError / MemoryError)
            evidence = {"call": call, "verdict": ctx.report.verdict, "reason": "unparsable"}
            evidence.update(self.file_evidence(ctx, with_hash=True))
            self.apply_rule(
                RULE_FILE,
                evidence,
                "loading this data",
                "the pre-load scan could not parse it (nested too deeply or too large)",
            )
        if ctx.report is not None and ctx.report.verdict == DANGEROUS and not ctx.trusted:
            evidence = {
                "call": call,
                "globals": ctx.report.dangerous_globals(),
                "verdict": ctx.report.verdict,
            }
            why = "its pickle data uses " + ", ".join(evidence["globals"][:5])
            found = ctx.report.dangerous_findings()  # a format's code (TorchScript, issue 18)
            if found:
                evidence["findings"] = found[:10]
                why = "it carries " + "; ".join(found[:3]) if not evidence["globals"] else why
            evidence.update(self.file_evidence(ctx, with_hash=True))
            if self.globals.enforcing:
                outcome = self.apply_rule(RULE_FILE, evidence, "loading this data", why)
                if outcome == "confirmed":
                    ctx.trusted_name = "confirmed by the user"
            else:
                self._emit(
                    RULE_FILE, "allowed", "Audit: this data imports dangerous globals.", evidence
                )
        return ctx

    def check_trust(self, ctx: LoadContext) -> bool:
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
        hub = self.provenance.hub_source(ctx.path)
        if hub is not None:  # where the file came from (issue 19): names and ids only
            out.update(hub_repo=hub.get("repo"), hub_commit=hub.get("commit"))
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
            action = self.rules.action_for(RULE_TORCH_VULNERABLE, self.policy)
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
            "catalog_missing": self.rules.missing,
            "intact": self.intact(),
        }


_JOBLIB_OWN_READS = frozenset(("pickle.load", "pickle.Unpickler", "pickle._Unpickler"))


def _unparsable(report) -> bool:
    from ..scan.formats import UNPARSABLE

    return any(
        UNPARSABLE in str(e) or "RecursionError" in str(e) or "MemoryError" in str(e)
        for e in report.errors or ()
    )


def _unchangeable(obj) -> bool:
    """Can a pickle not change this object in place (BUILD's setattr / __dict__ update)?"""
    if isinstance(obj, type):
        flags = obj.__flags__
        return not flags & _HEAPTYPE or bool(flags & _IMMUTABLETYPE)
    if isinstance(obj, types.BuiltinFunctionType):
        owner = getattr(obj, "__self__", None)
        return owner is None or isinstance(owner, types.ModuleType)
    return type(obj) in _IMMUTABLE_VALUES


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


# third-party packages are never imported by the guard to judge them (their import runs code)
_NO_IMPORT_REASONS = ("third-party-needs-resolution", "unresolvable")
_DETAIL_REASONS = frozenset(
    (
        "module-object",
        "builtin-not-allowed",
        "function-not-allowed",
        "unsafe-origin",
        "not-curated-callable",
        "not-the-curated-object",
    )
)


def _resolve(module: str, name: str, by_name: Decision):
    """(object, None) as the unpickler will resolve module.name, or (None, refusal).

    Imports only what the unpickler is about to import anyway, and never a third-party package
    that is not already imported: its import could run code before any judgment.
    """
    mod_name, qual = judge.normalise(module, name)
    mod = sys.modules.get(mod_name)
    if mod is None:
        top = mod_name.partition(".")[0]
        if by_name.reason in _NO_IMPORT_REASONS and top not in sys.modules:
            return None, Decision(False, "not-imported", mod_name)
        try:
            __import__(mod_name)  # importlib.import_module's job, without importlib
            mod = sys.modules[mod_name]
        except Exception as exc:  # noqa: BLE001 - any import failure: refuse, say why
            return None, Decision(False, "unresolved", f"{type(exc).__name__}: {exc}"[:200])
    obj = mod
    for part in qual.split("."):
        try:
            obj = getattr(obj, part)
        except Exception:  # noqa: BLE001
            return None, Decision(False, "unresolved", f"no attribute {part!r}")
        if isinstance(obj, types.ModuleType):
            return None, Decision(False, "module-object", "a module")
    return obj, None
