"""Signed guard updates for the kernels this server runs (issue 19).

One place seals what a kernel's guard is told (the user's effective policy, the runtime rule
catalog and the fleet's artifact decisions and scan verdicts) with that kernel's key
(``kernel/boot/launch_keys.py``, ``kernel/guard/authority.py``): the frontend's bootstrap
sends it (``guard_handlers.py``), and for the kernels this server launched it is also left in
each kernel's update file, which their guard checks before every load. The file is rewritten
when the fleet's word changes (after each artifact sync round) and when a kernel starts, so a
fleet ban reaches kernels that are already running, not only new ones."""

import hashlib
import json
from typing import Optional

from ..kernel.boot.launch_keys import KernelKeys
from .bootstrap import runtime_rules
from .policy_store import PolicyStore


class KernelUpdates:
    def __init__(self, store: PolicyStore, keys: KernelKeys, artifacts=None, log=None):
        self.store = store
        self.keys = keys
        self.artifacts = artifacts  # lab/artifacts/registry.py, when linked
        self.log = log
        self._pushed: Optional[str] = None  # digest of what running kernels were last given

    def seal(self, kernel_id: str) -> Optional[dict]:
        """The signed update for ``kernel_id`` (None if this server holds no key for it)."""
        policy = self.store.for_user()
        text = json.dumps(policy, sort_keys=True)
        written = self.store.kernel_policy
        return self.keys.seal(
            kernel_id,
            policy_json=text,
            # children started after the update read this file (its bytes are the signed ones)
            policy_file=written.path if written is not None and written.text == text else None,
            rules=runtime_rules(),
            # the fleet's artifact decisions and scan verdicts ride in the same signed update
            artifacts=self.artifacts.for_kernels() if self.artifacts is not None else None,
        )

    def leave_for(self, kernel_id: str) -> bool:
        """Write ``kernel_id``'s update file; False when it could not (logged)."""
        envelope = self.seal(kernel_id)
        if envelope is None:
            return False
        try:
            self.keys.write_update(kernel_id, envelope)
        except OSError as err:
            if self.log is not None:
                self.log.warning("Warden: cannot leave kernel %s its update: %s", kernel_id, err)
            return False
        return True

    def push_if_changed(self) -> int:
        """After a sync round: rewrite every launched kernel's update file when the fleet's
        word or the policy changed since the last push. Returns how many were written."""
        digest = self._digest()
        if digest == self._pushed:
            return 0
        results = [self.leave_for(kernel_id) for kernel_id in self.keys.launched()]
        if all(results):
            # only then: a kernel whose file could not be written (disk full, its own code
            # blocking the path) is tried again next round, not left without the change
            self._pushed = digest
        return sum(results)

    def _digest(self) -> str:
        state = {
            "policy": self.store.for_user(),
            "artifacts": self.artifacts.for_kernels() if self.artifacts is not None else None,
        }
        return hashlib.sha256(json.dumps(state, sort_keys=True).encode("utf-8")).hexdigest()
