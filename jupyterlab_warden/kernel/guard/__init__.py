"""Kernel guard: stop malicious pickles (model files) at load time, inside the kernel.

Standard library only, Python >= 3.8. Public functions:

* ``install(policy=None, emit=None)`` - the first call in a process installs the guard (the
  ``pickle.find_class`` audit hook, loader wrappers, patches for modules imported later) and
  returns its ``GuardState`` to that caller only (the launcher, the lab server's bootstrap).
  Every later call can only TIGHTEN the policy: a looser one is ignored and listed in
  ``status()["errors"]``; it returns ``None``.
* ``server_policy(policy)`` - the lab server's channel (its bootstrap): adopt ``policy``, which
  may loosen. Until issue 15 authenticates this channel, code in the kernel can call it too.
* ``install_from_env()`` - install with the policy file named by ``WARDEN_POLICY_FILE``.
* ``confirm(fingerprint, justification)`` - let the next load with that finding through.
* ``status() -> dict`` - what is active, for the frontend and tests.
* ``disable()`` / ``enable()`` - kept for compatibility: the guard can no longer be switched
  off from inside the kernel (``disable()`` raises); only the lab server's policy can.

The guard's state is held by the audit hook's closure and reached through audit events
(``sys.audit("jupyterlab_warden.kernel.guard", command, payload)``), so every copy of this code (the
installed package, the bootstrap's embedded copy) finds the one active guard, and nothing a
pickle can name by a dotted path leads to it.
"""

import json
import os
import sys
import time
from typing import Callable, Optional

from ..environ import POLICY_FILE_ENV as POLICY_ENV
from . import patches
from .errors import WardenBlockedLoad, WardenWarning
from .state import GUARD_VERSION, GuardState

__all__ = [
    "install",
    "install_from_env",
    "server_policy",
    "confirm",
    "status",
    "disable",
    "enable",
    "WardenBlockedLoad",
    "WardenWarning",
    "GuardState",
    "POLICY_ENV",
    "GUARD_VERSION",
    "AUDIT_EVENT",
]

AUDIT_EVENT = "jupyterlab_warden.kernel.guard"


def _ask(command: str, payload=None):
    """Send a command to the active guard (whichever copy installed it); None if none."""
    box = []
    sys.audit(AUDIT_EVENT, command, payload, box)
    return box[0] if box else None


def install(
    policy: Optional[dict] = None,
    emit: Optional[Callable[[dict], None]] = None,
    rules: Optional[dict] = None,
) -> Optional[GuardState]:
    """Install the guard into this process; if one is active, tighten its policy only."""
    started = time.perf_counter()
    if _ask("ping") is not None:
        _ask("tighten", (policy, emit))
        return None
    state = GuardState(policy, rules=rules)
    if emit is not None:
        state.sink.callbacks.append(emit)
    sys.addaudithook(_make_hook(state))
    patches.install(state)
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=state.sink.after_fork)
    state.install_ms = round((time.perf_counter() - started) * 1000, 3)
    return state


def install_from_env(emit: Optional[Callable[[dict], None]] = None) -> Optional[GuardState]:
    """Install with the policy file named by ``$WARDEN_POLICY_FILE`` (built-in default if unset).

    An unreadable or malformed file does not leave the kernel unguarded: the built-in default
    policy applies and the problem is listed in ``status()["errors"]``.
    """
    path = os.environ.get(POLICY_ENV)
    policy, error = None, None
    if path:
        try:
            with open(path, encoding="utf-8") as fh:
                policy = json.load(fh)
            if not isinstance(policy, dict):
                policy, error = None, f"policy file {path} is not a JSON object"
        except (OSError, ValueError) as exc:
            error = f"policy file {path} unreadable: {exc}"
    state = install(policy, emit)
    if error and state is not None:
        state.errors.append(error)
    return state


def server_policy(policy: Optional[dict]) -> dict:
    """The lab server's policy channel (its bootstrap): may loosen. Returns status()."""
    answer = _ask("server_policy", policy)
    if answer is None:
        raise RuntimeError("the Jupyter Warden guard is not installed in this process")
    return answer


def confirm(fingerprint: str, justification: str = "") -> None:
    if _ask("confirm", (str(fingerprint), str(justification))) is None:
        raise RuntimeError("the Jupyter Warden guard is not installed in this process")


def status() -> dict:
    answer = _ask("ping")
    return answer if answer is not None else {"installed": False}


def disable() -> None:
    raise RuntimeError(
        "The Jupyter Warden guard cannot be switched off from inside the kernel; its policy "
        "comes from the lab server (guard.enabled in the admin's policy)."
    )


def enable() -> None:
    """The guard is always enabled unless the lab server's policy says otherwise: no-op."""


def _make_hook(state: GuardState):
    def warden_audit_hook(event, args):
        # Called for every audit event in the process: leave fast unless it is ours.
        if event == "pickle.find_class":
            state.check_global(*args)
        elif event == AUDIT_EVENT:
            _command(state, args)

    return warden_audit_hook


def _command(state: GuardState, args) -> None:
    if len(args) != 3 or not isinstance(args[2], list):
        return
    command, payload, box = args
    if command == "ping":
        box.append(state.status())
    elif command == "tighten":
        policy, emit = payload
        if policy is not None:
            state.tighten(policy)
        if emit is not None and emit not in state.sink.callbacks:
            state.sink.callbacks.append(emit)
        box.append(state.status())
    elif command == "server_policy":
        state.set_policy(payload)
        box.append(state.status())
    elif command == "server_rules":
        state.use_rules(payload)
        box.append(state.status())
    elif command == "confirm":
        fp, justification = payload
        state.confirm(fp, justification)
        box.append(True)
