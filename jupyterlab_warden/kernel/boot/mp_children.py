"""A multiprocessing spawn/forkserver child reads two messages from its parent before it runs
the user's target: the preparation data and the Process object. They come from the kernel's
own process tree (as ForkingPickler messages do, which the guard trusts), but spawn reads them
with plain ``pickle.load``, whose standard-library globals (``AuthenticationString``...) the
guard refuses, so every spawned worker would die at start.

Here exactly those two loads use an unpickler that resolves names itself (its ``find_class``
override means the ``pickle.find_class`` audit event is not raised for them); the parent's
main module is imported (``prepare``) and the target runs with the guard fully on.
This mirrors ``multiprocessing.spawn._main`` (the same in CPython 3.8-3.13).
Standard library only, Python >= 3.8.
"""

import _pickle
import os
import sys

# Captured before the guard is installed (sitecustomize imports this module first): the guard
# wraps the unpicklers it finds on the pickle modules, and these two loads must not be scanned.
_ORIGINAL_UNPICKLER = _pickle.Unpickler


def _argv():
    return list(getattr(sys, "orig_argv", None) or sys.argv)


def is_loky_worker() -> bool:
    """joblib's loky workers (``joblib.Parallel``'s default backend, scikit-learn's n_jobs)
    read their parent's messages with a plain ``pickle.load`` in their own ``__main__``
    (popen_loky_posix), which the guard cannot tell from untrusted data yet."""
    return any("loky.backend.popen_loky" in arg for arg in _argv())


def is_multiprocessing_child() -> bool:
    argv = _argv()
    return "--multiprocessing-fork" in argv or any(
        "multiprocessing.forkserver" in arg or "multiprocessing.spawn" in arg for arg in argv
    )


class _ParentMessage(_ORIGINAL_UNPICKLER):
    """Reads a message from this process's own parent (trusted, like ForkingPickler's).

    The connections it rebuilds (the pipes of the parent's pool or queues, pickled into the
    Process object) are collected: messages on them come from the kernel's own process tree,
    like those on pipes a process creates itself, which the guard trusts."""

    def __init__(self, file, rebuilt):
        super().__init__(file)
        self.rebuilt = rebuilt

    def find_class(self, module, name):
        __import__(module)
        obj = sys.modules[module]
        for part in name.split("."):
            obj = getattr(obj, part)
        if module == "multiprocessing.connection" and name == "rebuild_connection":
            return self._collecting(obj)
        return obj

    def _collecting(self, rebuild):
        def rebuild_connection(*args, **kwargs):
            conn = rebuild(*args, **kwargs)
            self.rebuilt.append(conn)
            return conn

        return rebuild_connection


def trust_parent_messages(trust_connections=None) -> None:
    """Replace spawn's child entry point; ``trust_connections(conns)`` is told of the pipes the
    parent handed this child (the guard's IPC trust), before the user's target runs."""
    from multiprocessing import process, spawn

    if getattr(spawn._main, "_warden", False):
        return

    def _main(fd, parent_sentinel):
        rebuilt = []
        with os.fdopen(fd, "rb", closefd=True) as from_parent:
            process.current_process()._inheriting = True
            try:
                preparation_data = _ParentMessage(from_parent, rebuilt).load()
                spawn.prepare(preparation_data)
                self = _ParentMessage(from_parent, rebuilt).load()
            finally:
                del process.current_process()._inheriting
        if trust_connections is not None and rebuilt:
            trust_connections(rebuilt)
        return self._bootstrap(parent_sentinel)

    _main._warden = True
    spawn._main = _main
