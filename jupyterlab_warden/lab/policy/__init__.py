"""Pure policy logic (contract 2): validation, composition of sources, per-rule decisions.

No I/O beyond reading the contract files, no jupyter_server imports: the server, the CLI and
tests call it directly.
"""

from .compose import PolicyLayer, compose, tighten
from .model import ACTIONS, SEVERITIES, rule_decision, stricter_action
from .validate import PolicyError, validate_policy

__all__ = [
    "ACTIONS",
    "SEVERITIES",
    "PolicyError",
    "PolicyLayer",
    "compose",
    "rule_decision",
    "stricter_action",
    "tighten",
    "validate_policy",
]
