"""Wrappers around the loaders that read model files, applied now or when the module loads.

The patched entry points are data (``LOAD_TARGETS``); originals are captured once (in
``ORIGINALS``) and ``restore()`` puts them back. Modules imported after ``install()`` are
patched by a meta-path finder right after they finish executing, so torch imported before or
after the guard is covered alike. The audit hook is the real protection; these wrappers add
scan-before-load, trusted artifacts, and torch's ``weights_only`` policy.
"""

import sys
from typing import Callable, Dict, Tuple

from . import registry
from .context import LoadContext
from .state import RULE_TORCH_VULNERABLE, RULE_WEIGHTS_ONLY_FALSE

# (module, attribute, label, wrapper kind)
LOAD_TARGETS = (
    ("torch.serialization", "load", "torch.load", "torch"),
    ("torch", "load", "torch.load", "torch"),
    ("numpy", "load", "numpy.load", "numpy"),
    ("joblib.numpy_pickle", "load", "joblib.load", "plain"),
    ("joblib", "load", "joblib.load", "plain"),
    ("pandas.io.pickle", "read_pickle", "pandas.read_pickle", "plain"),
    ("pandas", "read_pickle", "pandas.read_pickle", "plain"),
    ("pickle", "load", "pickle.load", "plain"),
    # Messages between this kernel and its own multiprocessing / concurrent.futures / torch
    # DataLoader workers: data the kernel itself pickled, trusted (see _ipc_wrapper).
    ("multiprocessing.reduction", "ForkingPickler.loads", "multiprocessing IPC", "ipc"),
)
_MODULES = {target[0] for target in LOAD_TARGETS}
ORIGINALS: Dict[Tuple[str, str], Callable] = {}


def patch_loaded() -> None:
    """Patch every target whose module is already imported."""
    for module_name in list(_MODULES):
        module = sys.modules.get(module_name)
        if module is not None:
            patch_module(module_name, module)


def patch_module(module_name: str, module) -> None:
    state = registry.active()
    for mod, attr, label, kind in LOAD_TARGETS:
        if mod != module_name:
            continue
        owner_path, _, leaf = attr.rpartition(".")
        owner = _walk(module, owner_path)
        current = getattr(owner, leaf, None)
        if current is None:
            continue
        if getattr(current, "__warden_original__", None) is None:
            ORIGINALS.setdefault((mod, attr), current)
            setattr(owner, leaf, _WRAPPERS[kind](current, label))
        # else: already wrapped - install is idempotent, and torch binds torch.load from the
        # already patched torch.serialization.load
        if state is not None and f"{mod}.{attr}" not in state.patched:
            state.patched.append(f"{mod}.{attr}")
    if module_name == "torch" and state is not None and hasattr(module, "__version__"):
        state.note_torch(module.__version__)


def _walk(obj, dotted: str):
    for part in filter(None, dotted.split(".")):
        obj = getattr(obj, part, None)
    return obj


def restore() -> None:
    """Put the original loaders back (the audit hook stays: CPython cannot remove it)."""
    for (mod, attr), original in ORIGINALS.items():
        module = sys.modules.get(mod)
        owner_path, _, leaf = attr.rpartition(".")
        owner = _walk(module, owner_path) if module is not None else None
        if owner is not None:
            setattr(owner, leaf, staticmethod(original) if owner is not module else original)
    state = registry.active()
    if state is not None:
        state.patched.clear()


def _wrap(original, wrapper):
    wrapper.__warden_original__ = original
    for name in ("__name__", "__qualname__", "__doc__", "__module__"):
        try:
            setattr(wrapper, name, getattr(original, name))
        except (AttributeError, TypeError):
            pass
    return wrapper


def _torch_wrapper(original, label):
    def load(f, *args, **kwargs):
        state = registry.active()
        if state is None or not state.enabled:
            return original(f, *args, **kwargs)
        pickle_module = args[1] if len(args) > 1 else kwargs.get("pickle_module")
        weights_only = kwargs.get("weights_only")
        unsafe = weights_only is False or (weights_only is None and pickle_module is not None)
        ctx = state.open_load(label, f)
        if weights_only is None and pickle_module is None and state.weights_only_default:
            kwargs["weights_only"] = True  # torch < 2.6 (or its env override) would not
        if unsafe and not state.check_trust(ctx):
            evidence = {"call": label, "weights_only": False}
            evidence.update(state.file_evidence(ctx, with_hash=False))
            state.apply_rule(RULE_WEIGHTS_ONLY_FALSE, evidence,
                             "torch.load(weights_only=False)",
                             "it unpickles arbitrary objects from the file")
        elif (not unsafe and state.torch_vulnerable and ctx.report is not None
              and ctx.report.verdict != "safe" and not ctx.trusted):
            evidence = {"call": label, "torch_version": state.torch_version,
                        "verdict": ctx.report.verdict}
            evidence.update(state.file_evidence(ctx, with_hash=True))
            state.apply_rule(RULE_TORCH_VULNERABLE, evidence,
                             "torch.load(weights_only=True) of a file that is not plainly safe",
                             f"weights_only is bypassable on torch {state.torch_version} "
                             "(CVE-2025-32434)")
        with ctx:
            return original(f, *args, **kwargs)

    return _wrap(original, load)


def _numpy_wrapper(original, label):
    def load(file, *args, **kwargs):
        state = registry.active()
        if state is None or not state.enabled:
            return original(file, *args, **kwargs)
        allow_pickle = args[1] if len(args) > 1 else kwargs.get("allow_pickle", False)
        with state.open_load(label, file, unpickles=bool(allow_pickle)):
            return original(file, *args, **kwargs)

    return _wrap(original, load)


def _plain_wrapper(original, label):
    def load(file, *args, **kwargs):
        state = registry.active()
        if state is None or not state.enabled:
            return original(file, *args, **kwargs)
        with state.open_load(label, file):
            return original(file, *args, **kwargs)

    return _wrap(original, load)


def _ipc_wrapper(original, label):
    """Unpickling of multiprocessing messages: the bytes come from this kernel's own process
    tree (pool tasks, results, exceptions), which already runs the user's code, so they load
    as a trusted artifact would; default mode would otherwise refuse the stdlib plumbing
    (``concurrent.futures.process._CallItem``, ``multiprocessing.pool.mapstar``...)."""

    def loads(*args, **kwargs):
        state = registry.active()
        if state is None or not state.enabled:
            return original(*args, **kwargs)
        ctx = LoadContext(label)
        ctx.trusted_name = "this kernel's own worker processes"
        with ctx:
            return original(*args, **kwargs)

    return staticmethod(_wrap(original, loads))


_WRAPPERS = {"torch": _torch_wrapper, "numpy": _numpy_wrapper, "plain": _plain_wrapper,
             "ipc": _ipc_wrapper}


class PatchOnImport:
    """Patch target modules right after they are first imported."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in _MODULES:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
                _patch_after_exec(spec.loader, fullname)
                return spec
            if spec is not None:
                return spec
        return None


def _patch_after_exec(loader, fullname: str) -> None:
    original_exec = loader.exec_module

    def exec_module(module):
        original_exec(module)
        patch_module(fullname, module)

    try:
        loader.exec_module = exec_module
    except (AttributeError, TypeError):
        pass  # a loader that refuses attributes: the audit hook still guards these loads


def install_finder() -> None:
    if not any(isinstance(f, PatchOnImport) for f in sys.meta_path):
        sys.meta_path.insert(0, PatchOnImport())
