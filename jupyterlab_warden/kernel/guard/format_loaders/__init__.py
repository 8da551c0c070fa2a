"""Loaders of code-carrying model formats other than pickle, checked before they load.

Registered in ``patches.LOAD_TARGETS`` (same patch-now-or-on-import machinery as the pickle
loaders). Each wrapper scans what its loader is about to read (``scan/codeformats``) and
applies the format's runtime rule when the scan finds code, or cannot read the file (fail
closed); a file listed in ``trusted_artifacts`` or a confirmed finding loads unchanged.
One module per format family; this one only gathers their targets and wrapper factories.
"""

from . import (
    arrow_arrays,
    hf_remote_code,
    hf_scripts,
    hydra_targets,
    keras_models,
    onnx_models,
    skops_files,
    torch_packages,
    torchscript_archives,
    yaml_documents,
)

_FAMILIES = (
    arrow_arrays,
    hf_remote_code,
    hf_scripts,
    hydra_targets,
    keras_models,
    onnx_models,
    skops_files,
    torch_packages,
    torchscript_archives,
    yaml_documents,
)

# (module, attribute, label, wrapper kind): appended to patches.LOAD_TARGETS
LOAD_TARGETS = tuple(target for family in _FAMILIES for target in family.LOAD_TARGETS)
# kinds whose wrapper replaces a global a pickle may name: the hook admits that global only
# when it resolves to the wrapper itself (GuardState.validated)
VALIDATING_KINDS = arrow_arrays.VALIDATING_KINDS
_MAKERS = {kind: make for family in _FAMILIES for kind, make in family.MAKERS.items()}


def maker(kind: str):
    """The wrapper factory for one of these kinds (None for other kinds)."""
    return _MAKERS.get(kind)
