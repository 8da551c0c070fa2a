"""pyarrow arrays inside pickles (pandas 3 DataFrames with string or ``pd.ArrowDtype`` columns,
whenever pyarrow is installed): ``pyarrow.lib._restore_array``, validated.

pyarrow pickles an array as ``_restore_array((type, length, null_count, offset, buffers,
children, dictionary))`` and rebuilds it from those declared lengths and offsets without
checking them against its buffers: a crafted pickle returns an array whose first read reads
process memory out of bounds (measured with pyarrow 26.0.1; tests/guard/arrow_pickles.py).
So the real function is not safe for any arguments, and the guard does not let a pickle call
it: when ``pyarrow.lib`` is imported, its module attribute becomes this wrapper, which builds
the array with the real function (building reads no values: it only sets pointers) and runs
``validate(full=True)`` (every offset, length and child against its buffers) before anyone
can read it; a failure is refused (``pickle-blocked-global``, reason ``invalid-arrow-array``)
and the load fails. pyarrow's own ``Array.__reduce__`` looks the function up in its module
each time, so arrays still pickle under the same name, byte for byte.

The hook admits ``pyarrow.lib._restore_array`` only when it resolves to this wrapper
(``GuardState.validated``, by identity); the real function, or anything else of that name,
is judged as before and refused.
"""

from ..state import RULE_GLOBAL


def _restore_wrapper(original, label, state):
    def _restore_array(data):
        if not state.enabled and state.intact():
            return original(data)
        array = original(data)
        try:
            array.validate(full=True)
        except Exception as exc:  # noqa: BLE001 - pyarrow.ArrowInvalid and friends
            _refuse(state, label, exc)
            raise ValueError(
                "Jupyter Warden refused a pickled Arrow array whose declared layout does not "
                f"match its buffers: {type(exc).__name__}"
            ) from None
        return array

    return _restore_array


def _refuse(state, label, exc) -> None:
    ctx = state.contexts.current()
    evidence = {
        "call": ctx.call if ctx is not None else "pickle",
        "global": label,
        "reason": "invalid-arrow-array",
        "error": type(exc).__name__,
    }
    if ctx is not None:
        evidence.update(state.file_evidence(ctx, with_hash=True))
    why = (
        "its declared lengths and offsets do not match its buffers: reading it would read "
        "memory outside them"
    )
    state.apply_rule(RULE_GLOBAL, evidence, f"restoring a pickled Arrow array ({label})", why)


MAKERS = {"arrow-restore": _restore_wrapper}
