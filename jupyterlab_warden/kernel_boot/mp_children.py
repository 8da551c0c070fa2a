"""A multiprocessing spawn/forkserver child reads two messages from its parent before it runs
the user's target: the preparation data and the Process object. They come from the kernel's
own process tree (as ForkingPickler messages do, which the guard trusts), but spawn reads them
with plain ``pickle.load``, whose standard-library globals (``AuthenticationString``...) the
guard's default mode refuses, so every spawned worker would die at start.

Here the guard steps aside for exactly those two loads and is back on before the parent's
main module is imported (``prepare``) and before the target runs (``_bootstrap``).
Standard library only, Python >= 3.8.
"""

import sys


def is_multiprocessing_child() -> bool:
    argv = list(getattr(sys, "orig_argv", None) or sys.argv)
    return "--multiprocessing-fork" in argv or any(
        "multiprocessing.forkserver" in arg or "multiprocessing.spawn" in arg for arg in argv
    )


def trust_parent_messages(guard) -> None:
    from multiprocessing import process, spawn

    if getattr(spawn._main, "_warden", False):
        return
    original_main, original_prepare = spawn._main, spawn.prepare
    original_bootstrap = process.BaseProcess._bootstrap

    def _main(fd, parent_sentinel):
        guard.disable()  # the preparation data: from the parent
        return original_main(fd, parent_sentinel)

    def prepare(data):
        guard.enable()  # importing the parent's main module is user code
        try:
            return original_prepare(data)
        finally:
            guard.disable()  # the Process object: from the parent

    def _bootstrap(self, *args, **kwargs):
        guard.enable()
        return original_bootstrap(self, *args, **kwargs)

    _main._warden = True
    spawn._main, spawn.prepare = _main, prepare
    process.BaseProcess._bootstrap = _bootstrap
