"""Loaders of code-carrying model formats other than pickle, checked before they load.

Registered in ``patches.LOAD_TARGETS`` (same patch-now-or-on-import machinery as the pickle
loaders). Each wrapper scans what its loader is about to read (``scan/codeformats``) and
applies the format's runtime rule when the scan finds code, or cannot read the file (fail
closed); a file listed in ``trusted_artifacts`` or a confirmed finding loads unchanged.
One module per format family. At interpreter start only ``targets`` (data) loads; a family's
module loads when one of its target modules is first imported (``maker``). If it cannot load,
the target is patched with a wrapper that refuses every call and says why (fail closed).
"""

from ..errors import blocked_load
from .targets import FAMILY_OF_KIND, LOAD_TARGETS, VALIDATING_KINDS

__all__ = ["LOAD_TARGETS", "VALIDATING_KINDS", "maker"]


def maker(kind: str):
    """The wrapper factory for one of these kinds (None for other kinds)."""
    family = FAMILY_OF_KIND.get(kind)
    if family is None:
        return None
    try:
        import importlib  # a family's first target: not at interpreter start

        return importlib.import_module(f"{__name__}.{family}").MAKERS[kind]
    except Exception as err:  # noqa: BLE001 - any failure: the loader is refused, not unguarded
        return _refusing_maker(family, f"{type(err).__name__}: {err}")


def _refusing_maker(family: str, error: str):
    def make(original, label, state):
        reason = (
            f"Jupyter Warden refused {label}: its check for this format ({family}) could not "
            f"load ({error[:200]}), so what this call would load cannot be judged. Reinstall "
            "jupyterlab-warden or ask your admin; the guard's status lists the error."
        )
        note = f"format check {family} could not load: {error[:200]}; {label} is refused"
        if note not in state.errors:
            state.errors.append(note)

        def refuse(*args, **kwargs):
            if not state.enabled and state.intact():  # audit mode: the policy lets loads run
                return original(*args, **kwargs)
            raise blocked_load(reason)

        return refuse

    return make
