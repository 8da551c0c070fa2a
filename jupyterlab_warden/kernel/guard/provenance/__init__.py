"""Provenance at load time (issue 19): signatures required by policy, and where files came from.

* ``signatures.py`` - verify OpenSSF model signatures (``model_signing``, imported lazily);
* ``hub.py`` - record every Hugging Face hub download and apply the hub policy;
* ``ledger.py`` - the record: file -> repository, requested revision, resolved commit, sha256;
* ``policy.py`` - the policy's ``provenance`` section, compiled (pure logic).

``Provenance`` is the one object the guard's state holds; ``check_load`` is called by
``GuardState.open_load``/``open_fast`` for the outermost load of a file (a loader's own inner
reads of the same file are not checked twice).
"""

from __future__ import annotations

from .fleet import FleetVerdicts
from .ledger import DownloadLedger
from .links import required_by_link
from .policy import ProvenancePolicy, hub_repo_from_cache_path, kind_of_call
from .signatures import SignatureVerifier

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing is not imported at interpreter start
    from typing import Optional

RULE_UNSIGNED = "model-signature-missing"
RULE_INVALID = "model-signature-invalid"
RULE_UNTRUSTED = "model-signature-untrusted"
RULE_UNVERIFIABLE = "model-signature-unverifiable"
RULE_HUB_REPO = "hub-repository-not-allowed"
RULE_HUB_UNPINNED = "hub-revision-not-pinned"
RULE_HUB_REMOTE_CODE = "hub-remote-code-not-allowed"
RULE_HUB_DOWNLOAD = "hub-download"
RULE_HUB_REFUSED_FILE = "hub-download-refused-file"
RULE_FLEET_BANNED = "artifact-fleet-banned"
RULE_LOADED = "artifact-loaded"

# status -> (rule, the policy's action attribute)
_BY_STATUS = {
    "unsigned": (RULE_UNSIGNED, "on_unsigned"),
    "invalid": (RULE_INVALID, "on_invalid"),
    "untrusted": (RULE_UNTRUSTED, "on_untrusted"),
    "unverifiable": (RULE_UNVERIFIABLE, None),  # cannot decide: always block (fail closed)
}


class Provenance:
    def __init__(self):
        self.policy = ProvenancePolicy(None)
        self.ledger = DownloadLedger()
        self.verifier = SignatureVerifier()
        self.fleet = FleetVerdicts()
        self.accept_fleet_scans = False

    def set_policy(self, policy: Optional[dict]) -> list:
        self.policy = ProvenancePolicy(policy)
        artifacts = (policy or {}).get("artifacts")
        # Off unless the admin turns it on: a "safe" fleet verdict stands in for the local scan,
        # and reports come from kernels (docs/threat-model.md: who can vouch for a file).
        self.accept_fleet_scans = (
            isinstance(artifacts, dict) and artifacts.get("accept_fleet_scans") is True
        )
        self.report_loads = isinstance(artifacts, dict) and artifacts.get("report_loads") is True
        return list(self.policy.problems)

    def sealed_values(self) -> tuple:
        """What the state's seal covers: the fleet's word changes only through a signed update."""
        fleet = self.fleet
        return (
            tuple(sorted(fleet.decisions.items())),
            tuple(sorted((k, tuple(sorted(v.items()))) for k, v in fleet.scans.items())),
            self.accept_fleet_scans,
        )

    def use_fleet(self, pushed: Optional[dict]) -> None:
        """The fleet decisions and scan verdicts the lab server pushed (signed update only)."""
        self.fleet = FleetVerdicts(pushed)

    def loaded(self, state, ctx) -> None:
        """A record of a file the guard let a load read (``artifacts.report_loads``): its
        sha256 and this scanner's verdict, which the lab reports to the fleet registry."""
        if not self.report_loads or ctx.path is None or ctx.hash_source is None:
            return
        from .fleet import scanner_version

        evidence = {"call": ctx.call}
        if ctx.report is not None:
            evidence.update(verdict=ctx.report.verdict, scanner_version=scanner_version())
        elif ctx.trusted_name:
            evidence["scan_skipped"] = ctx.trusted_name
        elif ctx.fleet_vouched:
            evidence["scan_skipped"] = "found safe by the fleet's scanner (same version)"
        evidence.update(state.file_evidence(ctx, with_hash=True))
        state.record(
            RULE_LOADED,
            f"Loaded {_basename(ctx.path)} ({evidence.get('verdict', 'not scanned here')}).",
            evidence,
            self.artifact(ctx),
        )

    def fleet_check(self, state, ctx, source) -> bool:
        """Before scanning ``source``: refuse a fleet-banned file; True when the fleet's word
        (trusted, or another lab's safe scan by this same scanner) makes the pre-scan unneeded.
        Only an admin's "trusted" trusts the load; a fleet "safe" skips the pre-scan alone."""
        if not self.fleet or source is None:
            return False
        if ctx.sha256 is None:
            ctx.sha256 = state.hashes.sha256(source)
        if ctx.sha256 is None:
            return False
        word = self.fleet.consult(ctx.sha256, self.accept_fleet_scans)
        if word == "banned":
            evidence = {"call": ctx.call, "reason": "fleet-banned"}
            evidence.update(state.file_evidence(ctx, with_hash=True))
            state.apply_rule(
                RULE_FLEET_BANNED,
                evidence,
                "loading this file",
                "an admin banned this exact file for the whole fleet",
                action="block",  # a fleet ban always refuses (contract-registry.md)
                artifact=self.artifact(ctx),
            )
        if word == "trusted":
            ctx.trusted_name = "trusted for the fleet by an admin"
            return True
        if word == "fleet-safe":
            # Another lab's scan stands in for this one's pre-scan only: the load is NOT
            # trusted, so the unpickler's hook still judges every global it resolves, as for
            # data it could not scan (the worst roles). A false "safe" at central cannot run
            # code here; at worst a benign file needs its local scan (a restart, the policy).
            ctx.fleet_vouched = True
            return True
        return False

    def hub_source(self, path: Optional[str]) -> Optional[dict]:
        """Where ``path`` came from: the recorded download, else the hub cache folder it is in."""
        if not path:
            return None
        recorded = self.ledger.source_for(path)
        if recorded is not None:
            return recorded
        found = hub_repo_from_cache_path(path)
        if found is None:
            return None
        return {"repo": found[0], "commit": found[1], "revision": None, "filename": None}

    def artifact(self, ctx) -> Optional[dict]:
        """The event's ``artifact`` field for a load (schema/event.schema.json)."""
        if ctx is None or ctx.path is None:
            return None
        out = {"name": _basename(ctx.path), "kind": kind_of_call(ctx.call)}
        if ctx.sha256:
            out["sha256"] = ctx.sha256
        verdict = getattr(ctx, "signature", None)
        if verdict is not None:
            out["signature"] = {"status": verdict.status, "signer": verdict.signer}
        hub = self.hub_source(ctx.path)
        if hub is not None:
            out["source"] = {"hub": _hub_fields(hub)}
        return out

    def check_load(self, state, ctx, source) -> None:
        """Refuse (or ask to confirm) the load of a file the policy says must be signed and
        is not validly signed by a trusted identity; a download the hub policy refused."""
        if source is None or source.path is None:
            self._check_unnamed(state, ctx, source)
            return
        ctx.path, ctx.size, ctx.hash_source = source.path, source.size, source
        if self.ledger.is_refused(source.path):
            evidence = {"call": ctx.call, "reason": "download-refused"}
            evidence.update(state.file_evidence(ctx, with_hash=True))
            state.apply_rule(
                RULE_HUB_REFUSED_FILE,
                evidence,
                "loading this file",
                "Jupyter Warden refused its download from the hub (see the earlier event)",
                artifact=self.artifact(ctx),
            )
            return
        rules = self.policy.signatures
        if not rules.active:
            return
        hub = self.hub_source(source.path)
        why = rules.required(source.path, kind_of_call(ctx.call), hub and hub.get("repo"))
        if why is None:
            why = required_by_link(source.path, rules.paths)
        if why is None:
            return
        verdict = self.verifier.verify(source.path, rules.trusted)
        ctx.signature = verdict
        if verdict.status == "valid":
            return
        if state.check_trust(ctx):
            return  # the admin listed this exact file's sha256 as trusted
        self._refuse(state, ctx, verdict, why)

    def _check_unnamed(self, state, ctx, source) -> None:
        """A load with no file name (bytes, a stream): no signature can be looked up, and no
        path requirement can match it. ``required_for.unnamed_loads`` refuses it (unless the
        admin trusts its sha256); without it the load is not a signature matter."""
        rules = self.policy.signatures
        if not rules.unnamed_loads or not state.enabled:
            return
        if source is not None:
            ctx.size, ctx.hash_source = source.size, source
            if state.check_trust(ctx):
                return
        from .signatures import Verdict

        verdict = Verdict("unsigned", None, None, "a load that names no file has no signature")
        ctx.signature = verdict
        self._refuse(state, ctx, verdict, "loads that name no file (unnamed_loads)")

    def _refuse(self, state, ctx, verdict, why: str) -> None:
        rules = self.policy.signatures
        rule, attr = _BY_STATUS[verdict.status]
        action = getattr(rules, attr) if attr else "block"
        evidence = {
            "call": ctx.call,
            "reason": verdict.status,
            "requirement": why,
            "detail": verdict.detail,
        }
        if verdict.signer:
            evidence["signer"] = verdict.signer
        if ctx.path is None:
            evidence["reason"] = "no-file-name"
        evidence.update(state.file_evidence(ctx, with_hash=True))
        outcome = state.apply_rule(
            rule,
            evidence,
            "loading this model",
            f"the policy requires a valid signature here ({why}) and {verdict.detail}",
            action=action,
            artifact=self.artifact(ctx),
        )
        if outcome == "confirmed":
            ctx.signature = verdict  # loads on; the scan still runs


def _basename(path: str) -> str:
    import os

    return os.path.basename(path)[:300]


def _hub_fields(hub: dict) -> dict:
    return {k: hub.get(k) for k in ("repo", "revision", "commit", "filename")}
