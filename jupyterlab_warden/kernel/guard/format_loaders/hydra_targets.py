"""Hydra: ``_target_`` judged where ``hydra.utils.instantiate`` resolves it.

``_instantiate2._resolve_target`` is called (by module attribute, from ``instantiate_node``)
for every ``_target_`` of every config ``hydra.utils.instantiate`` / ``hydra.utils.call``
builds - NeMo's ``restore_from`` included, and any reference to ``instantiate`` bound before
the guard. The target is judged twice: by the name the config gives (before it is imported),
and by the dotted name of the object it resolved to (``module.qualname``: an alias such as
``nemo.collections.x = os.system`` resolves to ``posix.system``). Allowed: the model-building
families of ``scan/codeformats/hydratargets.py``, names the admin listed in the policy's
``pickle.allow_globals``, and the pickle policy's curated callables (``collections.Counter``).
Anything else is refused before it is called.
"""

from .judging import apply_rule_in, inner_context, live

RULE_HYDRA = "hydra-target-outside-allowlist"
_ADMIN_OR_CURATED = ("policy-allow", "policy-package-class", "curated")


def _target_wrapper(original, label, state):
    def _resolve_target(target, full_key, *args, **kwargs):
        if not live(state):
            return original(target, full_key, *args, **kwargs)
        ctx = inner_context(state, label)
        if ctx.trusted or not state.enabled:
            return original(target, full_key, *args, **kwargs)
        if isinstance(target, str):
            _judge(state, ctx, target, full_key)  # before importing what it names
        resolved = original(target, full_key, *args, **kwargs)
        _judge(state, ctx, _dotted_name(resolved), full_key)
        return resolved

    return _resolve_target


def _dotted_name(obj) -> str:
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(qualname, str):
        return f"<{type(obj).__name__} without a name>"  # a partial, an instance: refused
    return f"{module}.{qualname}"


def _judge(state, ctx, name: str, full_key) -> None:
    from ...scan.codeformats.hydratargets import outside_allow_list

    why = outside_allow_list(name)
    if why is None or _admin_allows(state, name):
        return
    evidence = {"call": ctx.call, "target": name[:300], "reason": why}
    if isinstance(full_key, str) and full_key:
        evidence["config_key"] = full_key[:200]
    apply_rule_in(
        state,
        ctx,
        RULE_HYDRA,
        evidence,
        f"instantiating the Hydra target {name[:200]}",
        f"it is {why}",
    )


def _admin_allows(state, name: str) -> bool:
    """A name the admin listed in pickle.allow_globals (exact, or a package's classes), or one
    the pickle policy's curated list lets be called."""
    module, _, attr = name.rpartition(".")
    if not module:
        return False
    try:
        decision = state.globals.decide(module, attr, 1)  # 1 = CALL
    except Exception:  # noqa: BLE001 - cannot tell: not allowed
        return False
    # curated: a class or reconstructor the pickle policy lets be called with any arguments
    return decision.allowed and decision.reason in (
        "policy-allow",
        "policy-package-class",
        "curated",
    )


MAKERS = {"hydra-target": _target_wrapper}
