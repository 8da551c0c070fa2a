"""Kernel guard: stop malicious pickles (model files) at load time, inside the kernel.

Standard library only, Python >= 3.8. Public functions:

* ``install(policy=None, emit=None)`` - the first call in a process installs the guard (the
  ``pickle.find_class`` audit hook, loader wrappers, patches for modules imported later) and
  returns its ``GuardState`` to that caller only (the launcher, the lab server's bootstrap).
  Every later call can only TIGHTEN the policy: a looser one is ignored and listed in
  ``status()["errors"]``; it returns ``None``.
* ``server_policy(envelope)`` - the lab server's channel (its bootstrap): adopt the policy in
  an update the server signed with this kernel's key (``authority.py``), which may loosen. An
  unsigned, altered or replayed update is refused: the last good policy stays, ``status()``
  and an event say why.
* ``install_from_env()`` - install with the policy file named by ``WARDEN_POLICY_FILE``, if its
  bytes match ``WARDEN_POLICY_SHA256``; take the update key named by ``WARDEN_KERNEL_KEY_FILE``
  and the update file named by ``WARDEN_KERNEL_UPDATE_FILE``, where the server leaves newer
  signed updates for this running kernel (checked before each load; same MAC and counter
  checks as ``server_policy``).
* ``confirm(fingerprint, justification)`` - let the next load with that finding through.
* ``status() -> dict`` - what is active, for the frontend and tests.
* ``disable()`` / ``enable()`` - kept for compatibility: the guard can no longer be switched
  off from inside the kernel (``disable()`` raises); only the lab server's policy can.

The guard's state is held by the audit hook's closure and reached through audit events
(``sys.audit("jupyterlab_warden.kernel.guard", command, payload)``), so every copy of this code (the
installed package, the bootstrap's embedded copy) finds the one active guard, and nothing a
pickle can name by a dotted path leads to it.
"""

from __future__ import annotations

import os
import sys
import time

from .. import json_read
from ..environ import KERNEL_KEY_ENV, KERNEL_UPDATE_ENV, POLICY_DIGEST_ENV
from ..environ import POLICY_FILE_ENV as POLICY_ENV
from . import authority, errors, hook_order, installs, patches
from .errors import WardenWarning
from .state import AUDIT_EVENT, GUARD_VERSION, GuardState

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing is not imported at interpreter start
    from typing import Callable, Optional

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


def __getattr__(name):  # PEP 562: WardenBlockedLoad is made on first use (errors.py)
    if name == "WardenBlockedLoad":
        return errors.blocked_load_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _ask(command: str, payload=None):
    """Send a command to the active guard (whichever copy installed it); None if none."""
    box = []
    sys.audit(AUDIT_EVENT, command, payload, box)
    return box[0] if box else None


def install(
    policy: Optional[dict] = None,
    emit: Optional[Callable[[dict], None]] = None,
    rules: Optional[dict] = None,
    update_key: Optional[bytes] = None,
    pinned: bool = False,
    update_file: Optional[str] = None,
) -> Optional[GuardState]:
    """Install the guard into this process; if one is active, tighten its policy only.

    ``update_key``: the key the lab server signs later policy updates with (without one, the
    guard accepts none: its policy can then only be tightened). ``pinned``: the policy came
    from a file whose digest the server pinned (reported in ``status()``). ``update_file``:
    where the server leaves newer signed updates for this kernel (read before each load)."""
    started = time.perf_counter()
    if _ask("ping") is not None:
        _ask("tighten", (policy, emit))
        return None
    state = GuardState(policy, rules=rules)
    if emit is not None:
        state.sink.callbacks.append(emit)
    # the install gate (issue 20): held by the hook's closure and the pip.main wrapper
    state.installs = installs.InstallGate(state)
    channel = _Channel(authority.UpdateAuthority(update_key), pinned, update_file)
    # patched before the hook exists: the hook holds the import watch (no other handle on it)
    imports = patches.install(state)
    sys.addaudithook(_make_hook(state, channel, state.installs, imports))
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
    expected = os.environ.get(POLICY_DIGEST_ENV) or None
    # popped: the key is this process's alone (children get no key, so accept no updates)
    key_file = os.environ.pop(KERNEL_KEY_ENV, None)
    key, key_error = authority.take_key_file(key_file) if key_file else (None, None)
    update_file = os.environ.pop(KERNEL_UPDATE_ENV, None)  # this process's mailbox alone
    policy, error = None, None
    if path:
        policy, error = authority.read_pinned_policy(path, expected)
    elif expected:
        error = "the lab server pinned a policy but named no policy file"
    state = install(
        policy,
        emit,
        update_key=key,
        pinned=bool(path and expected and not error),
        update_file=update_file if key else None,
    )
    if state is not None:
        if error:
            # fail closed: the built-in default policy (enforcing), never what the file says
            _refused(state, "policy-file", error + "; the built-in default policy applies")
        if key_error:
            state.errors.append(key_error)
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


class _Channel:
    """How this guard's policy may change: the server's key (held here, in the hook's closure
    only) and whether the launch policy was pinned."""

    def __init__(self, updates: authority.UpdateAuthority, pinned: bool, update_file=None):
        self.updates = updates
        self.pinned = pinned
        self.refused = 0
        self.update_file = update_file
        self.update_seen = None  # the update file's stat when last read

    def status(self, state: GuardState) -> dict:
        answer = state.status()
        gate = getattr(state, "installs", None)
        if gate is not None:
            answer["installs"] = gate.status()
        answer.update(
            policy_pinned=self.pinned,
            updates_authenticated=self.updates.keyed,
            update_counter=self.updates.counter,
            policy_updates_refused=self.refused,
        )
        return answer


def _make_hook(
    state: GuardState, channel: _Channel, gate: installs.InstallGate, imports: patches.ImportWatch
):
    # process starts, and the environment changes a start that inherits it hands on (R10-12)
    process_events = installs.PROCESS_EVENTS | installs.ENVIRON_EVENTS
    environ_events = installs.ENVIRON_EVENTS
    front = imports.front
    write_events = installs.START_WRITE_EVENTS
    start_writes = gate.start_writes

    def warden_audit_hook(event, args):
        # Called for every audit event in the process: leave fast unless it is ours.
        if event == "pickle.find_class":
            state.check_global(*args)
        elif event == "import":
            front()  # Warden's patch-on-import finder first again (one identity check)
        elif event in process_events:
            if event in environ_events:  # recorded whatever the policy: it may be enabled later
                gate.environ_changed(event, args)
            elif state.enabled or not state.intact():
                gate.check(event, args)
        elif event in write_events:  # a start-up name a later Python runs (R32-3)
            if not gate.kernel and (state.enabled or not state.intact()):
                start_writes(event, args)
        elif event == AUDIT_EVENT:
            _command(state, channel, imports, args)
        elif event == hook_order.EVENT:  # no hook after this one (R11-10): not added
            hook_order.refuse(state)

    return warden_audit_hook


POLICY_REFUSED_RULE = "guard-policy-refused"


def _refused(state: GuardState, source: str, why: str) -> None:
    """A policy the guard will not take: keep the last good, say so in status() and an event."""
    from .events import make_event

    message = f"Jupyter Warden kept its policy: it refused a {source} change: {why}."
    state.errors.append(message)
    evidence = {"reason": why[:300], "call": source}
    event = make_event(
        POLICY_REFUSED_RULE, "blocked", "high", message, evidence, None, state.revision
    )
    state.sink.deliver(event)


def _server_update(state: GuardState, channel: _Channel, envelope) -> None:
    body, why = channel.updates.accept(envelope)
    if body is None:
        channel.refused += 1
        _refused(state, "policy-update", why)
        return
    state.use_rules(body.get("rules"))
    if "artifacts" in body:  # the fleet's word on artifacts (issue 19); sealed by set_policy
        state.provenance.use_fleet(body["artifacts"])
    state.set_policy(body["policy"])
    target = body.get("policy_file")
    if isinstance(target, str) and target:
        # children started from now on read the new policy, pinned to the signed bytes (the
        # gate lets the guard's own change through: InstallGate.environ_changed)
        gate = state.installs
        gate.own_change = True
        try:
            os.environ[POLICY_ENV] = target
            os.environ[POLICY_DIGEST_ENV] = authority.digest(body["policy_json"].encode("utf-8"))
        finally:
            gate.own_change = False


def _poll_update_file(state: GuardState, channel: _Channel) -> None:
    """Take the update the server left in this kernel's update file, if it changed since the
    last look and is newer than the update applied (an older one is not news, not an attack:
    the bootstrap may have delivered a later one). Anything else goes through
    ``_server_update``: a wrong MAC is refused with an event, the last good policy kept."""
    path = channel.update_file
    if not path or not channel.updates.keyed:
        return
    try:
        st = os.stat(path)
    except OSError:
        return  # none left yet
    seen = (st.st_mtime_ns, st.st_size, st.st_ino)
    if seen == channel.update_seen:
        return
    try:
        with open(path, "rb") as fh:
            data = fh.read(1 << 24)
    except OSError:
        return  # unreadable now; looked at again at the next load
    # seen before parsing: a file that cannot be parsed is refused once, not at every load
    channel.update_seen = seen
    try:
        # json_read turns too-deep nesting into a ValueError (red-team finding F2)
        envelope = json_read.loads(data)
    except ValueError as exc:
        # the server writes this file atomically: what cannot be parsed was not its doing
        channel.refused += 1
        _refused(state, "policy-update", f"the update file is not readable JSON ({exc})")
        return
    if authority.counter_of(envelope) <= channel.updates.counter:
        return
    _server_update(state, channel, envelope)


def _command(state: GuardState, channel: _Channel, imports: patches.ImportWatch, args) -> None:
    if len(args) != 3 or not isinstance(args[2], list):
        return
    command, payload, box = args
    if command == "ping":
        imports.sweep(force=True)  # status() tells what is patched now, not what was
        answer = channel.status(state)
        answer["import_finder_restored"] = imports.restored
        box.append(answer)
    elif command == "tighten":
        policy, emit = payload
        if policy is not None:
            state.tighten(policy)
        if emit is not None and emit not in state.sink.callbacks:
            state.sink.callbacks.append(emit)
        box.append(channel.status(state))
    elif command == "frontend":  # a frontend's bootstrap: it listens on the comm target now
        state.sink.reopen_comm()
        box.append(True)
    elif command == "server_policy":
        _server_update(state, channel, payload)
        box.append(channel.status(state))
    elif command == "poll_updates":  # before each user load (state._poll_server)
        imports.sweep()
        _poll_update_file(state, channel)
        box.append(True)
    elif command == "confirm":
        fp, justification = payload
        state.confirm(fp, justification)
        box.append(True)
