"""Warden's audit hook keeps the last word: no audit hook is added after it (red team 11 R11-10).

CPython calls audit hooks in the order they were added. A hook added by notebook code after
Warden's runs on the same event AFTER Warden decided it (a process start, a load) and before
the operation happens: it could rewrite the files Warden read (uv.toml, requirements), or the
very argv list and env dict ``subprocess`` is about to exec. So once the guard's hook exists,
the ``sys.addaudithook`` event is refused.

How CPython takes the refusal (``Python/sysmodule.c``, ``sys_addaudithook_impl``): when a hook
raises an exception derived from ``Exception`` on ``sys.addaudithook``, the new hook is NOT
added and the exception is cleared: ``sys.addaudithook`` returns None to its caller as if it
had worked (the docs say "derived from RuntimeError"; the code clears any ``Exception``). That
keeps an ordinary library that adds a hook at import (filelock >= 4 on Python 3.12+, for a fork
safety check) importable; the refusal is made visible by a warning on stderr and an event.

No caller is exempt, not even a library by its file: a hook function is ordinary Python whose
globals and defaults notebook code can rewrite, so an allowed hook would be a hook the cell
controls. The refusal does not depend on the policy: a hook added while the guard is switched
off would outlive a later switch-on (hooks cannot be removed).
"""

from __future__ import annotations

import os
import sys

RULE_HOOK_REFUSED = "guard-audit-hook-refused"
EVENT = "sys.addaudithook"


class AuditHookRefused(PermissionError):
    """Raised in Warden's audit hook on ``sys.addaudithook``: CPython then does not add the new
    hook, and clears this exception (an ``Exception``) instead of raising it."""


def refuse(state) -> None:
    """Called by the guard's hook on ``sys.addaudithook``: record and say why, then raise, so
    the hook is not added. Any failure on the way still ends in the raise (fail closed)."""
    where = _caller()
    message = (
        f"Jupyter Warden refused sys.addaudithook ({where}): the audit hook was NOT added. "
        "A hook added after Warden's runs after Warden has decided on a process start or a "
        "load, and could change what Warden read before the operation happens. Warden's "
        "guard is this kernel's audit hook; ask your admin if you need your own."
    )
    try:
        _record(state, message, where)
        _stderr(message + "\n")
    finally:
        raise AuditHookRefused(message)  # noqa: B012 - the refusal must win over any failure


def _caller() -> str:
    """Where ``sys.addaudithook`` was called: the first Python frame under this hook's."""
    try:
        frame = sys._getframe(3)  # _caller <- refuse <- the guard's hook <- the caller
        return f"called from {frame.f_code.co_filename}:{frame.f_lineno}"
    except (ValueError, AttributeError):
        return "called from an unknown place"


def _record(state, message: str, where: str) -> None:
    from .events import kernel_location, make_event

    severity = state.rules.severity_for(RULE_HOOK_REFUSED, state.policy)
    evidence = {"call": EVENT, "reason": "audit hook after Warden's", "where": where[:500]}
    event = make_event(
        RULE_HOOK_REFUSED, "blocked", severity, message, evidence, kernel_location(),
        state.revision,
    )  # fmt: skip
    state.sink.deliver(event)


def _stderr(text: str) -> None:
    try:
        os.write(2, text.encode("utf-8", "replace"))
    except OSError:
        pass
