"""Kernel guard: stop malicious pickles (model files) at load time, inside the kernel.

Standard library only, Python >= 3.8. Public functions:

* ``install(policy=None, emit=None) -> GuardState`` - idempotent; a second call updates the
  policy and adds the callback. Adds the ``pickle.find_class`` audit hook (C and Python
  unpicklers alike: torch, joblib, pandas, numpy), wraps the file loaders (``patches``), and
  patches torch/numpy/pandas/joblib when they are imported later.
* ``install_from_env()`` - the policy from the JSON file named by ``WARDEN_POLICY_FILE``.
* ``confirm(fingerprint, justification)`` - let the next load with that finding through
  (what a 'confirm' action waits for).
* ``status() -> dict`` - what is active, for the frontend and tests.
* ``disable()`` / ``enable()`` - the audit hook cannot be removed; these switch it off and on.
"""

import json
import os
import sys
import time
from typing import Callable, Optional

from . import patches, registry
from .errors import WardenBlockedLoad, WardenWarning
from .state import GUARD_VERSION, GuardState

__all__ = [
    "install",
    "install_from_env",
    "confirm",
    "status",
    "disable",
    "enable",
    "WardenBlockedLoad",
    "WardenWarning",
    "GuardState",
    "POLICY_ENV",
    "GUARD_VERSION",
]

POLICY_ENV = "WARDEN_POLICY_FILE"


def install(
    policy: Optional[dict] = None, emit: Optional[Callable[[dict], None]] = None
) -> GuardState:
    """Install the guard into this process (or update the one already installed)."""
    started = time.perf_counter()
    state = registry.active()
    if state is not None:
        if policy is not None:
            state.set_policy(policy)
        if emit is not None and emit not in state.sink.callbacks:
            state.sink.callbacks.append(emit)
        return state
    state = GuardState(policy)
    if emit is not None:
        state.sink.callbacks.append(emit)
    registry.register(state)
    sys.addaudithook(_make_hook())
    patches.install_finder()
    patches.patch_loaded()
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_after_fork)
    state.install_ms = round((time.perf_counter() - started) * 1000, 3)
    return state


def install_from_env(emit: Optional[Callable[[dict], None]] = None) -> GuardState:
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
    if error:
        state.errors.append(error)
    return state


def confirm(fingerprint: str, justification: str = "") -> None:
    state = registry.active()
    if state is None:
        raise RuntimeError("the Jupyter Warden guard is not installed in this process")
    state.confirm(fingerprint, justification)


def status() -> dict:
    state = registry.active()
    return state.status() if state is not None else {"installed": False}


def disable() -> None:
    state = registry.active()
    if state is not None:
        state.enabled = False
        patches.restore()


def enable() -> None:
    state = registry.active()
    if state is not None:
        state.enabled = True
        patches.patch_loaded()


def _make_hook():
    def warden_audit_hook(event, args):
        # Called for every audit event in the process: leave fast unless it is ours.
        if event == "pickle.find_class":
            state = registry.active()
            if state is not None:
                state.check_global(*args)

    return warden_audit_hook


def _after_fork() -> None:
    state = registry.active()
    if state is not None:
        state.sink.after_fork()
