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

import os
import sys

# The C unpickler as it was before the guard wrapped it: the sitecustomize calls
# ``keep_original_unpickler`` before it installs the guard, in these children only (``_pickle``
# costs every other Python a quarter of the guard's start-up: it imports functools).
_KEPT = {}  # "unpickler": the original; "parent_message": the subclass made from it


def keep_original_unpickler() -> None:
    """Keep ``_pickle.Unpickler`` before the guard is installed (it wraps it, on import)."""
    if "unpickler" not in _KEPT:
        import _pickle

        # a wrapper of the guard's (only if a guard was installed before this runs) says
        # what it wraps
        unpickler = _pickle.Unpickler
        _KEPT["unpickler"] = getattr(unpickler, "__warden_original__", unpickler)


def _argv():
    return list(getattr(sys, "orig_argv", None) or sys.argv)


def loky_parent_pipe():
    """The fd a joblib loky worker (``joblib.Parallel``'s default backend, scikit-learn's
    n_jobs) reads its parent's two start-up messages from, or None if this is not one.

    Its ``__main__`` (``python -m ...popen_loky_posix --pipe N``) reads them with a plain
    ``pickle.load``; ``trust_loky_parent`` takes exactly those two reads."""
    argv = _argv()
    if not any(arg.endswith("loky.backend.popen_loky_posix") for arg in argv):
        return None
    for i, arg in enumerate(argv):
        value = arg[len("--pipe=") :] if arg.startswith("--pipe=") else None
        if arg == "--pipe" and i + 1 < len(argv):
            value = argv[i + 1]
        if value is not None:
            try:
                return int(value)
            except ValueError:
                return None
    return None


def is_multiprocessing_child() -> bool:
    argv = _argv()
    return "--multiprocessing-fork" in argv or any(
        "multiprocessing.forkserver" in arg or "multiprocessing.spawn" in arg for arg in argv
    )


# The functions that rebuild a pipe handed over by the parent (judged on the resolved
# function's own module and name): multiprocessing's, and loky's own for its queues.
_REBUILDERS = frozenset(
    (
        ("multiprocessing.connection", "rebuild_connection"),
        ("joblib.externals.loky.backend._posix_reduction", "rebuild_connection"),
        ("loky.backend._posix_reduction", "rebuild_connection"),
    )
)


def _parent_message_class():
    """The unpickler for the parent's messages: a subclass of the original one (kept by
    ``keep_original_unpickler``; made once, before the first message is read)."""
    made = _KEPT.get("parent_message")
    if made is not None:
        return made
    if "unpickler" not in _KEPT:
        raise RuntimeError("the original unpickler was not kept before the guard was installed")

    class ParentMessage(_KEPT["unpickler"]):
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
            if (getattr(obj, "__module__", None), getattr(obj, "__name__", None)) in _REBUILDERS:
                return self._collecting(obj)
            return obj

        def _collecting(self, rebuild):
            def rebuild_connection(*args, **kwargs):
                conn = rebuild(*args, **kwargs)
                self.rebuilt.append(conn)
                return conn

            return rebuild_connection

    _KEPT["parent_message"] = ParentMessage
    return ParentMessage


def trust_parent_messages(trust_connections=None) -> None:
    """Replace spawn's child entry point; ``trust_connections(conns)`` is told of the pipes the
    parent handed this child (the guard's IPC trust), before the user's target runs."""
    from multiprocessing import process, spawn

    if getattr(spawn._main, "_warden", False):
        return

    parent_message = _parent_message_class()  # before prepare() imports the parent's main

    def _main(fd, parent_sentinel):
        rebuilt = []
        with os.fdopen(fd, "rb", closefd=True) as from_parent:
            process.current_process()._inheriting = True
            try:
                preparation_data = parent_message(from_parent, rebuilt).load()
                spawn.prepare(preparation_data)
                self = parent_message(from_parent, rebuilt).load()
            finally:
                del process.current_process()._inheriting
        if trust_connections is not None and rebuilt:
            trust_connections(rebuilt)
        return self._bootstrap(parent_sentinel)

    _main._warden = True
    spawn._main = _main


def trust_loky_parent(pipe_fd: int, trust_connections=None) -> None:
    """Let the loky worker's first two ``pickle.load`` calls ON ITS PARENT'S PIPE read with the
    parent-message unpickler (as ``trust_parent_messages`` does for spawn), then hand the
    pipes they rebuilt to the guard's IPC trust and put the guarded ``pickle.load`` back.
    Any other load (another file, a third read) goes to the guarded one."""
    import pickle

    guarded = pickle.load
    parent_message = _parent_message_class()
    rebuilt = []
    remaining = [2]

    def load(file, *args, **kwargs):
        if remaining[0] and _fileno(file) == pipe_fd:
            remaining[0] -= 1
            try:
                return parent_message(file, rebuilt).load()
            finally:
                if not remaining[0]:
                    pickle.load = guarded
                    if trust_connections is not None and rebuilt:
                        trust_connections(rebuilt)
        return guarded(file, *args, **kwargs)

    pickle.load = load


def _fileno(file):
    try:
        return file.fileno()
    except Exception:  # noqa: BLE001 - not a real file: never the parent's pipe
        return None
