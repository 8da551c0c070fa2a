"""The server gate's decision for one request: analyse, apply the policy, honour confirmations,
record events. No websocket or ZMQ here (``connection.py`` does the wire), so it is tested
directly and the same object serves both wire protocols.
"""

import hashlib
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List

from .confirmations import ConfirmationStore, code_sha256
from .engine import AnalyzerEngine, EngineUnavailable

CONFIRM_PATH = "/warden/gate/confirm"


@dataclass
class Verdict:
    forward: bool
    action: str  # the policy's strictest action over the findings ("off" when none)
    findings: List[Dict[str, Any]] = field(default_factory=list)
    reason: str = ""  # for a refusal: what, why and what to do
    taken: str = "allowed"  # allowed | warned | confirmed | blocked
    # findings an ignore comment lifted, as the policy allows (recorded with action "allowed")
    ignored: List[Dict[str, Any]] = field(default_factory=list)


class ServerGate:
    def __init__(
        self,
        engine: AnalyzerEngine,
        policy: Callable[[], Dict[str, Any]],
        confirmations: ConfirmationStore,
        record: Callable[[dict], None],
        base_url: str = "/",
    ) -> None:
        self.engine = engine
        self.policy = policy
        self.confirmations = confirmations
        self.record = record
        self.confirm_url = base_url.rstrip("/") + CONFIRM_PATH
        self._scopes: Dict[str, list] = {}
        self._lock = threading.Lock()
        self.counts = {"allowed": 0, "warned": 0, "confirmed": 0, "blocked": 0}

    def check(self, *, kernel_id: str, user: str, code: str, request: str) -> Verdict:
        """Decide for ``code`` sent to ``kernel_id`` by ``user``; ``request`` names the message
        (``execute_request``, ``debug_request evaluate``) for the reply and the events."""
        policy = self.policy()
        with self._lock:
            scope = self._scopes.get(kernel_id, [])
        try:
            result = self.engine.decide(code, scope, policy)
        except EngineUnavailable as err:
            verdict = Verdict(
                False,
                "block",
                reason=(
                    "Jupyter Warden's server gate cannot analyse code, so it refuses to run it "
                    f"(fail closed): {err}. Ask the lab's admin to fix the installation; "
                    "GET /warden/status shows the gate's state."
                ),
                taken="blocked",
            )
            self.counts["blocked"] += 1
            return verdict
        action = result["action"]
        findings = result["findings"]
        verdict = Verdict(True, action, findings, ignored=result.get("ignored", []))
        justification = None
        if action == "block":
            verdict = Verdict(
                False, action, findings, _blocked_text(findings), "blocked", verdict.ignored
            )
        elif action == "confirm":
            used = self.confirmations.consume(code_sha256(code), kernel_id, user)
            if used is None:
                reason = _confirm_text(findings, code_sha256(code), kernel_id, self.confirm_url)
                verdict = Verdict(False, action, findings, reason, "blocked", verdict.ignored)
            else:
                justification = used.get("justification")
                verdict.taken = "confirmed"
        elif action == "warn":
            verdict.taken = "warned"
        if verdict.forward:
            with self._lock:
                self._scopes[kernel_id] = result["scope"]
        self.counts[verdict.taken] += 1
        self._record(verdict, kernel_id, code, request, policy, justification)
        return verdict

    def forget(self, kernel_id: str) -> None:
        """The kernel is gone (``lab/kernel_lifecycle.py``): drop its scope and confirmations."""
        with self._lock:
            self._scopes.pop(kernel_id, None)
        self.confirmations.forget_kernel(kernel_id)

    def tracked_kernels(self) -> List[str]:
        """Kernels the gate holds state for (their analysis scope or pending confirmations)."""
        with self._lock:
            kernels = set(self._scopes)
        return sorted(kernels | self.confirmations.kernels())

    def _record(self, verdict, kernel_id, code, request, policy, justification) -> None:
        now = datetime.now(timezone.utc).isoformat()
        sha = code_sha256(code)
        revision = int(policy.get("revision", 0) or 0)

        def event(finding, action: str) -> dict:
            return {
                "event_id": secrets.token_hex(16),
                "time": now,
                "kind": "static",
                "rule_id": finding["ruleId"],
                "severity": finding["severity"],
                "action": action,
                "fingerprint": hashlib.sha256(
                    f"{finding['ruleId']}|server-gate|{sha}|{finding['line']}".encode()
                ).hexdigest()[:32],
                "message": finding["message"][:2000],
                "location": {
                    "kernel_id": kernel_id,
                    "line": finding["line"],
                    "column": finding["column"],
                },
                # The code's hash, never the code itself.
                "evidence": {
                    "gate": "server",
                    "request": request,
                    "policy_action": finding["action"],
                    "code_sha256": sha,
                },
                "policy_revision": revision,
            }

        for finding in verdict.findings:
            taken = event(finding, verdict.taken)
            if justification:
                taken["justification"] = str(justification)[:2000]
            self.record(taken)
        # Findings an ignore comment lifted (the policy's ignore.allowed_actions allowed it).
        for finding in verdict.ignored:
            lifted = event(finding, "allowed")
            lifted["suppression"] = {
                "scope": finding["scope"],
                "reason": str(finding["reason"])[:500],
            }
            self.record(lifted)


def _finding_lines(findings) -> List[str]:
    return [
        f"Line {f['line']}: {f['message']} [{f['ruleId']}, {f['action']}]"
        + (f"\n  Safer: {f['fix']}" if f.get("fix") else "")
        for f in findings
    ]


def _blocked_text(findings) -> str:
    return "\n".join(
        ["Jupyter Warden blocked this code: it was not sent to the kernel.", ""]
        + _finding_lines(findings)
        + ["", "Your admin set this policy; GET /warden/policy shows every rule."]
    )


def _confirm_text(findings, sha: str, kernel_id: str, url: str) -> str:
    return "\n".join(
        ["Jupyter Warden needs a confirmation before this code runs: it was not sent.", ""]
        + _finding_lines(findings)
        + [
            "",
            "JupyterLab with Warden asks you in a dialog. From another client, record the",
            "confirmation with the lab server, then run the same code again (once, within",
            "two minutes):",
            f"  POST {url}",
            f'  {{"kernel_id": "{kernel_id}", "code_sha256": "{sha}", "justification": "..."}}',
            "(authenticated like any Jupyter API call, e.g. Authorization: token <token>)",
        ]
    )
