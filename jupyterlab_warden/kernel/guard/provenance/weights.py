"""Signature requirements on loaders of code-free weight formats (red-team finding P5).

safetensors - the default weight format of ``from_pretrained`` - carries no code, so nothing
is scanned; but a signature requirement (``provenance.signatures.required_for``: paths, hub
repositories, kinds) is about WHICH bytes may be loaded (weight tampering), and applies here
as to every other loader. Registered in ``patches.LOAD_TARGETS``: ``safetensors.safe_open``
(every file load of every framework's ``load_file`` and transformers' loader reach it, under
each name a module bound it to), ``_safe_open_handle`` (an open file), the ``load_file``
functions (the user's call, named in events), and the loads of bytes (no file name: only
``required_for.unnamed_loads`` can refuse them, see docs/kernel-guard.md).
"""

# (module, attribute, label, wrapper kind): appended to patches.LOAD_TARGETS
_FRAMEWORKS = ("torch", "numpy", "flax", "tensorflow", "paddle", "mlx")
LOAD_TARGETS = (
    ("safetensors", "safe_open", "safetensors.safe_open", "weights_file"),
    ("safetensors", "_safe_open_handle", "safetensors.safe_open", "weights_file"),
    ("safetensors", "deserialize", "safetensors.deserialize", "weights_bytes"),
    ("safetensors._safetensors_rust", "safe_open", "safetensors.safe_open", "weights_file"),
)
for _fw in _FRAMEWORKS:
    LOAD_TARGETS += (
        (f"safetensors.{_fw}", "safe_open", "safetensors.safe_open", "weights_file"),
        (f"safetensors.{_fw}", "load_file", f"safetensors.{_fw}.load_file", "weights_file"),
        (f"safetensors.{_fw}", "load", f"safetensors.{_fw}.load", "weights_bytes"),
    )
del _fw


def maker(kind: str):
    return {"weights_file": _file_wrapper, "weights_bytes": _bytes_wrapper}.get(kind)


def _file_wrapper(original, label, state):
    def load(filename, *args, **kwargs):
        if not (state.enabled or not state.intact()):
            return original(filename, *args, **kwargs)
        # the outermost load of the file checks its signature requirement; nothing to scan
        ctx = state.open_load(label, filename, unpickles=False)
        with ctx:
            return original(filename, *args, **kwargs)

    return load


def _bytes_wrapper(original, label, state):
    def load(data, *args, **kwargs):
        if not (state.enabled or not state.intact()):
            return original(data, *args, **kwargs)
        # no file name: only required_for.unnamed_loads applies (no sha256 trust: not hashed)
        ctx = state.open_load(label, None, unpickles=False)
        with ctx:
            return original(data, *args, **kwargs)

    return load
