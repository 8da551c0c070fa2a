"""Keras: files scanned before ``load_model`` reads them, and marshalled code refused where
Keras turns it into a function, whichever way the load was reached.

* ``saving_lib.load_model`` (``.keras``) and ``legacy_h5_format.load_model_from_hdf5``
  (``.h5``), which every public ``load_model`` reaches by module attribute. A file the scan
  cleared is loaded with ``safe_mode=True`` whatever the caller asked: it needs nothing
  unsafe, and Keras' own check then backs the scan up.
* ``python_utils.func_load``: the one function that makes a Python function from a Lambda's
  marshalled bytecode (its ``function`` and ``output_shape``), called by module attribute from
  ``Lambda.from_config`` and ``serialization_lib``. A reference to ``load_model`` taken before
  the guard was installed, ``model_from_json``, ``deserialize_keras_object`` or a layer's
  ``from_config`` all end there: refused unless an enclosing load is trusted or confirmed.
"""

from ..sha import sha256
from .judging import apply_rule_in, inner_context, judge, live, scan_target

RULE_KERAS = "keras-model-code"


def _keras_wrapper(original, label, state):
    # older Keras loaders (legacy .h5 before 3.x safe_mode support) take no safe_mode
    safe_mode_at = _parameter_index(original, "safe_mode")

    def load_model(filepath, *args, **kwargs):
        if not live(state):
            return original(filepath, *args, **kwargs)
        report = scan_target(filepath)
        ctx = judge(state, label, filepath, report, RULE_KERAS, "loading this Keras model")
        if not ctx.trusted and report.verdict not in ("dangerous", "error") and safe_mode_at:
            # the scan found no code: the file needs nothing safe_mode forbids
            at = safe_mode_at - 1  # position among *args (after filepath)
            if len(args) > at:
                args = args[:at] + (True,) + args[at + 1 :]
            else:
                kwargs["safe_mode"] = True
        with ctx:
            return original(filepath, *args, **kwargs)

    return load_model


def _code_wrapper(original, label, state):
    def func_load(code, *args, **kwargs):
        if not live(state):
            return original(code, *args, **kwargs)
        ctx = inner_context(state, label)
        if not ctx.trusted and state.enabled:
            raw = code.encode("utf-8", "replace") if isinstance(code, str) else bytes(code)
            evidence = {
                "call": ctx.call,
                "findings": ["keras-lambda: marshalled Python bytecode"],
                # the code's hash (never the code): the same Lambda confirms the same finding
                "code_sha256": sha256(raw).hexdigest(),
            }
            apply_rule_in(
                state,
                ctx,
                RULE_KERAS,
                evidence,
                "building a Keras Lambda layer from marshalled Python code",
                "the model config carries Python bytecode that runs in the kernel",
            )
        with ctx:
            return original(code, *args, **kwargs)

    return func_load


def _parameter_index(function, name: str):
    """Position of parameter ``name`` of ``function`` (None if it has none)."""
    import inspect

    try:
        params = list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return None
    return params.index(name) if name in params else None


MAKERS = {"keras": _keras_wrapper, "keras-code": _code_wrapper}
