"""Compose policy sources into the effective policy, remembering where each value came from.

Sources are applied lowest first (built-in < admin file < central): a higher source's value
replaces a lower one's leaf by leaf, so an admin file that sets one rule keeps every other
built-in setting. Lists are replaced whole (an admin who writes an allow list means that list).
The one exception is ``pickle.deny_globals``, which only grows: no source can un-deny what a
lower one denies, so an admin file cannot loosen the built-in guard by accident.
"""

import copy
from dataclasses import dataclass
from typing import Any, Dict, List, Tuple

from .model import higher_severity, stricter_action

_UNION_LISTS = {("pickle", "deny_globals")}
# Maps whose keys are independent entries (merged key by key rather than replaced whole).
_KEYED_MAPS = {("rules",), ("trusted_artifacts",)}
# Per-source bookkeeping, not policy content (``audience``: the lab a central policy was
# signed for, checked when it is accepted).
_NOT_COMPOSED = {"schema_version", "description", "audience"}


@dataclass(frozen=True)
class PolicyLayer:
    source: str  # "built-in", "admin", "central", "user"
    document: Dict[str, Any]


def _merge(
    target: Dict[str, Any],
    layer: Dict[str, Any],
    source: str,
    provenance: Dict[str, str],
    path: Tuple[str, ...] = (),
) -> None:
    for key, value in layer.items():
        here = path + (key,)
        if not path and key in _NOT_COMPOSED:
            continue
        if isinstance(value, dict) and (here in _KEYED_MAPS or not _is_leaf_map(here)):
            node = target.setdefault(key, {})
            if not isinstance(node, dict):
                node = target[key] = {}
            _merge(node, value, source, provenance, here)
        elif here in _UNION_LISTS and isinstance(target.get(key), list):
            target[key] = sorted(set(target[key]) | set(value))
            provenance["/".join(here)] = f"{provenance.get('/'.join(here), source)}+{source}"
        else:
            target[key] = copy.deepcopy(value)
            provenance["/".join(here)] = source


def _is_leaf_map(path: Tuple[str, ...]) -> bool:
    # A per-rule setting ({"action", "severity"}) merges field by field; scope is one value.
    return path == ("scope",)


def compose(layers: List[PolicyLayer]) -> Tuple[Dict[str, Any], Dict[str, str]]:
    """(effective policy, provenance) where provenance maps 'a/b/c' paths to source names."""
    effective: Dict[str, Any] = {"schema_version": 1}
    provenance: Dict[str, str] = {}
    for layer in layers:
        _merge(effective, layer.document, layer.source, provenance)
    return effective, provenance


def tighten(effective: Dict[str, Any], stricter: Dict[str, Dict[str, str]]) -> Dict[str, Any]:
    """Apply a user's own rule settings, which may only raise an action or severity.

    ``stricter`` maps rule id -> {"action"?, "severity"?}; a weaker value is ignored, never an
    error, so a user's settings from an older, stricter policy stay harmless. Settings that
    fail their schema (an unknown action or severity) raise PolicyError.
    """
    from ...kernel.contracts import rule_catalog
    from .model import rule_decision
    from .validate import PolicyError, user_settings_problems

    problems = user_settings_problems(stricter)
    if problems:  # refused whole, with the reason, rather than a bare tuple.index error
        raise PolicyError("user settings", problems)
    catalog = rule_catalog()
    result = copy.deepcopy(effective)
    rules = result.setdefault("rules", {})
    for rule_id, wanted in stricter.items():
        if rule_id not in catalog:
            continue
        action, severity = rule_decision(effective, catalog, rule_id)
        setting = dict(rules.get(rule_id, {}))
        if "action" in wanted:
            setting["action"] = stricter_action(action, wanted["action"])
        if "severity" in wanted:
            setting["severity"] = higher_severity(severity, wanted["severity"])
        rules[rule_id] = setting
    return result
