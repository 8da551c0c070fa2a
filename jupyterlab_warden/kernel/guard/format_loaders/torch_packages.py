"""torch.package: ``PackageImporter`` is judged when it opens an archive, before any
``load_pickle`` / ``import_module`` can run the Python modules the archive ships (its
unpickler imports them from the archive without pickle's ``find_class``: no audit event, no
pickle wrapper sees them). The archive is scanned (``scan/codeformats/torchpackage.py``):
a shipped module is dangerous, and so is a pickle global the pickle judge refuses. A
``trusted_artifacts`` match or a confirmed finding opens it unchanged; an archive handed as a
``PyTorchFileReader`` (nothing to scan) is refused unless trusted (fail closed).
"""

from .judging import judge, live, scan_target

# the archive's pickles name the modules it ships: the pickle rule's own consequence
RULE_TORCH_PACKAGE = "model-file-dangerous-globals"


def _importer_wrapper(original, label, state):
    def __init__(importer, file_or_buffer, *args, **kwargs):  # noqa: N807 - the method it wraps
        if not live(state):
            return original(importer, file_or_buffer, *args, **kwargs)
        report = scan_target(file_or_buffer)
        ctx = judge(
            state, label, file_or_buffer, report, RULE_TORCH_PACKAGE, "opening this torch.package"
        )
        with ctx:
            return original(importer, file_or_buffer, *args, **kwargs)

    return __init__


MAKERS = {"torch-package": _importer_wrapper}
