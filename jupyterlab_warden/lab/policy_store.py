"""The lab's policy authority: compose built-in < admin file < central (< a user's stricter
settings for that user) and keep the last good version of each source.

A broken source never loosens protection: its last good document stays in force (or nothing,
which leaves the sources below it), and the problem is reported in ``errors`` so the status bar
and /warden/status show it.
"""

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Protocol

from ..kernel.contracts import load_contract
from .policy import (
    ACTIONS,
    SEVERITIES,
    PolicyError,
    PolicyLayer,
    compose,
    tighten,
    validate_policy,
)
from .policy.validate import check_policy

log = logging.getLogger("jupyterlab_warden.lab.policy")


class RemotePolicySource(Protocol):
    """A source above the admin file (central). ``document`` is its last verified policy."""

    document: Optional[Dict[str, Any]]

    def status(self) -> Dict[str, Any]: ...


@dataclass
class SourceState:
    name: str
    location: str
    document: Optional[Dict[str, Any]] = None
    error: Optional[str] = None
    raw: Optional[bytes] = None  # the file's bytes when last read

    def describe(self) -> Dict[str, Any]:
        return {
            "name": self.name,
            "location": self.location,
            "active": self.document is not None,
            "revision": (self.document or {}).get("revision"),
            "error": self.error,
        }


@dataclass
class EffectivePolicy:
    document: Dict[str, Any]
    provenance: Dict[str, str]
    source: str  # the highest source in force
    errors: List[str] = field(default_factory=list)


@dataclass(frozen=True)
class KernelPolicy:
    """The kernel policy as this server wrote it: the file kernels are launched with (never
    rewritten), the SHA-256 of its bytes and those bytes as text (signed into updates)."""

    path: str
    sha256: str
    text: str


class PolicyStore:
    """Holds every source and the composed effective policy; ``refresh()`` re-reads the file."""

    def __init__(
        self,
        admin_path: str,
        kernel_policy_path: Optional[str] = None,
        remote: Optional[RemotePolicySource] = None,
        last_good_path: Optional[str] = None,
        user_settings_path: Optional[str] = None,
    ):
        self.builtin = SourceState("built-in", "schema/default-policy.json")
        self.builtin.document = check_policy("built-in", load_contract("default-policy.json"))
        self.admin = SourceState("admin", admin_path)
        # The admin file's last good version survives restarts: a server that starts while the
        # file is broken keeps the admin's protection instead of dropping to the built-in.
        self.last_good_path = Path(last_good_path) if last_good_path else None
        self._load_last_good()
        self.remote = remote
        self.kernel_policy_path = kernel_policy_path
        self.kernel_policy: Optional[KernelPolicy] = None  # what was last written, and its digest
        # The user's own stricter settings survive restarts (they only ever tighten).
        self.user_settings_path = Path(user_settings_path) if user_settings_path else None
        self.user_stricter: Dict[str, Dict[str, str]] = self._load_user_settings()
        self._listeners: List[Callable[[EffectivePolicy], None]] = []
        self.effective = self._compose()
        self.refresh()

    # -- sources -------------------------------------------------------------------------
    def refresh(self) -> bool:
        """Re-read the admin file if it changed; recompose. True when the policy changed."""
        self._read_admin_file()
        return self.recompose()

    def recompose(self) -> bool:
        before = self.effective.document
        self.effective = self._compose()
        changed = self.effective.document != before
        missing = self.kernel_policy is None or not os.path.exists(self.kernel_policy.path)
        if changed or (self.kernel_policy_path and missing):
            self._write_kernel_policy()
        if changed:
            for listener in list(self._listeners):
                listener(self.effective)
        return changed

    def on_change(self, listener: Callable[[EffectivePolicy], None]) -> None:
        self._listeners.append(listener)

    def _read_admin_file(self) -> None:
        # The file is small and read every few seconds: comparing its bytes is cheaper to get
        # right than mtimes, which miss two same-size writes within one timestamp tick.
        state = self.admin
        path = Path(state.location)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            if state.raw is not None or state.document is not None:
                log.warning("Warden admin policy %s was removed; lower sources apply", path)
            state.raw, state.document, state.error = None, None, None
            if self.last_good_path:
                self.last_good_path.unlink(missing_ok=True)
            return
        except OSError as err:
            if state.raw is not None or state.error is None:
                self._reject(state, f"cannot read: {err.strerror}")
            state.raw = None
            return
        if raw == state.raw:
            self._flag_expiry(state)
            return
        state.raw = raw
        try:
            doc = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as err:
            self._reject(state, f"not valid JSON: {err}")
            return
        try:
            state.document = check_policy(str(path), doc)
        except PolicyError as err:
            self._reject(state, "; ".join(err.problems))
            return
        state.error = None
        self._save_last_good(raw)
        log.info("Warden admin policy %s revision %s in force", path, doc.get("revision"))

    def _load_last_good(self) -> None:
        if not self.last_good_path or not self.last_good_path.is_file():
            return
        try:
            doc = json.loads(self.last_good_path.read_text(encoding="utf-8"))
            # Expiry is not a reason to drop it here: _flag_expiry reports it while in force.
            problems = [p for p in validate_policy(doc) if not p.startswith("expired")]
        except (OSError, ValueError) as err:
            problems = [str(err)]
        if problems:
            log.error("Warden ignores its saved admin policy %s: %s", self.last_good_path, problems)
            return
        self.admin.document = doc

    def _save_last_good(self, raw: bytes) -> None:
        if not self.last_good_path:
            return
        try:
            self.last_good_path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.last_good_path.parent, prefix=".admin-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
            os.replace(tmp, self.last_good_path)
        except OSError as err:
            log.error("Warden could not save the admin policy's last good copy: %s", err)

    def _flag_expiry(self, state: SourceState) -> None:
        """A policy that expires while in force stays in force (dropping it would silently
        loosen protection) and is reported until the admin replaces it."""
        expires = (state.document or {}).get("expires_at")
        if expires and state.error is None and validate_policy(state.document):
            state.error = f"{state.location}: expired at {expires}; still enforced until replaced"
            log.error("Warden %s policy %s", state.name, state.error)

    def _reject(self, state: SourceState, problem: str) -> None:
        kept = "keeping its last good version" if state.document else "lower sources apply"
        state.error = f"{state.location}: {problem}"
        log.error("Warden rejected the %s policy %s (%s)", state.name, state.error, kept)

    # -- composition ---------------------------------------------------------------------
    def sources(self) -> List[SourceState]:
        states = [self.builtin, self.admin]
        if self.remote is not None:
            status = self.remote.status()
            states.append(
                SourceState(
                    "central",
                    status.get("url", ""),
                    document=self.remote.document,
                    error=status.get("error"),
                )
            )
        return states

    def _compose(self) -> EffectivePolicy:
        states = self.sources()
        layers = [PolicyLayer(s.name, s.document) for s in states if s.document is not None]
        document, provenance = compose(layers)
        return EffectivePolicy(
            document=document,
            provenance=provenance,
            source=layers[-1].source,
            errors=[s.error for s in states if s.error],
        )

    def set_user_stricter(self, stricter: Dict[str, Dict[str, str]]) -> Dict[str, Any]:
        """Record the lab user's own rule settings (a Jupyter server serves one user). They
        reach the kernel guard too, but ``tighten`` only lets them raise an action."""
        self.user_stricter = stricter
        self._save_user_settings()
        self._write_kernel_policy()
        return self.for_user()

    def _load_user_settings(self) -> Dict[str, Dict[str, str]]:
        if not self.user_settings_path or not self.user_settings_path.is_file():
            return {}
        try:
            saved = json.loads(self.user_settings_path.read_text(encoding="utf-8"))
            rules = saved["rules"]
            if not isinstance(rules, dict) or not all(isinstance(v, dict) for v in rules.values()):
                raise ValueError("rules is not an object of objects")
        except (OSError, ValueError, TypeError, KeyError) as err:
            log.error("Warden ignores the saved user settings %s: %s", self.user_settings_path, err)
            return {}
        # tighten() ignores anything that is not a stricter known value, so the file cannot
        # loosen the policy whatever it holds.
        allowed = {"action": ACTIONS, "severity": SEVERITIES}
        return {
            str(k): {f: v[f] for f in allowed if v.get(f) in allowed[f]} for k, v in rules.items()
        }

    def _save_user_settings(self) -> None:
        if not self.user_settings_path:
            return
        try:
            self.user_settings_path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.user_settings_path.parent, prefix=".user-")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"rules": self.user_stricter}, fh)
            os.replace(tmp, self.user_settings_path)
        except OSError as err:
            log.error("Warden could not save the user's settings: %s", err)

    def for_user(self) -> Dict[str, Any]:
        """The effective policy with the user's own settings applied (only ever stricter)."""
        return tighten(self.effective.document, self.user_stricter)

    # -- kernels -------------------------------------------------------------------------
    def _write_kernel_policy(self) -> None:
        """Write the effective policy where kernels' guards read it (WARDEN_POLICY_FILE).

        Written atomically, twice: ``policy.json`` (rewritten on every change, for launchers
        that name a fixed path) and ``policy-<sha256>.json`` (never rewritten), which the launch
        guard names together with that digest, from this server's memory. Kernels run as the
        same user and can rewrite either file; a kernel launched with the digest refuses a file
        that does not match it (kernel/guard/authority.py, docs/threat-model.md).
        """
        if not self.kernel_policy_path:
            return
        target = Path(self.kernel_policy_path)
        text = json.dumps(self.for_user(), sort_keys=True)
        data = text.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        pinned = target.with_name(f"policy-{digest}.json")
        target.parent.mkdir(parents=True, exist_ok=True)
        for path in (target, pinned):
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".policy-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.chmod(tmp, 0o644)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        self.kernel_policy = KernelPolicy(str(pinned), digest, text)

    def pinned_kernel_policy(self) -> KernelPolicy:
        """The kernel policy for a launch: the file on disk checked against this server's
        memory and rewritten if a kernel altered or removed it (a kernel launched with the
        digest would refuse it and fall back to the built-in default)."""
        written = self.kernel_policy
        if written is not None:
            try:
                on_disk = hashlib.sha256(Path(written.path).read_bytes()).hexdigest()
            except OSError:
                on_disk = None
            if on_disk == written.sha256:
                return written
            log.warning("Warden: the kernel policy file %s was altered; rewriting it", written.path)
        self._write_kernel_policy()
        return self.kernel_policy

    def describe(self) -> Dict[str, Any]:
        eff = self.effective
        return {
            "source": eff.source,
            "revision": eff.document.get("revision", 0),
            "errors": eff.errors,
            "sources": [s.describe() for s in self.sources()],
        }
