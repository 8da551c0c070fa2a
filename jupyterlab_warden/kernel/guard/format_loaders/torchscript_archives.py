"""TorchScript: ``torch.jit.load`` scans the archive's code before compiling it
(``torch.load(weights_only=False)`` hands TorchScript archives to it)."""

from .judging import judge, live, scan_target

RULE_TORCHSCRIPT = "torchscript-file-access"


def _torchscript_wrapper(original, label, state):
    def load(f, *args, **kwargs):
        if not live(state):
            return original(f, *args, **kwargs)
        report = scan_target(f)
        ctx = judge(state, label, f, report, RULE_TORCHSCRIPT, "loading this TorchScript archive")
        with ctx:
            return original(f, *args, **kwargs)

    return load


MAKERS = {"torchscript": _torchscript_wrapper}
