"""Wrappers around every entry point that unpickles, applied now or when the module loads.

Each wrapper pre-scans the data it is about to unpickle and pushes a load context holding the
globals the scan cleared (with their roles); the audit hook then refuses any global the
unpickler resolves that the scan did not clear. The wrappers close over the guard's state:
no module attribute leads to it. Modules imported after ``install()`` are patched by a
meta-path finder right after they execute, so torch imported before or after the guard is
covered alike.

Covered: ``pickle``/``_pickle`` ``load``/``loads``/``Unpickler`` (and ``pickle._Unpickler``,
which joblib and dill subclass), ``shelve``, ``torch.load``, ``numpy.load``, ``joblib.load``,
``pandas.read_pickle``, ``dill``, ``cloudpickle``, and multiprocessing IPC (trusted only on
pipes this process created: its own pools, queues and DataLoader workers).
"""

import _thread  # threading's own primitives: threading imports functools at start-up
import io
import sys

from ..scan import pytypes as types  # the types module's types, without it
from . import format_loaders, installs, tracebacks
from .installs.preexec import straight_wrapper
from .provenance import hub, weights
from .state import RULE_TORCH_VULNERABLE, RULE_WEIGHTS_ONLY_FALSE, SAFE

# (module, attribute, label, wrapper kind)
LOAD_TARGETS = (
    (
        ("torch.serialization", "load", "torch.load", "torch"),
        ("torch", "load", "torch.load", "torch"),
        ("numpy", "load", "numpy.load", "numpy"),
        ("joblib.numpy_pickle", "load", "joblib.load", "file"),
        ("joblib", "load", "joblib.load", "file"),
        ("pandas.io.pickle", "read_pickle", "pandas.read_pickle", "file"),
        ("pandas", "read_pickle", "pandas.read_pickle", "file"),
        ("pickle", "load", "pickle.load", "file"),
        ("_pickle", "load", "pickle.load", "file"),
        ("pickle", "loads", "pickle.loads", "bytes"),
        ("_pickle", "loads", "pickle.loads", "bytes"),
        ("pickle", "Unpickler", "pickle.Unpickler", "unpickler"),
        ("_pickle", "Unpickler", "pickle.Unpickler", "unpickler"),
        ("pickle", "_Unpickler", "pickle._Unpickler", "unpickler"),
        ("shelve", "Unpickler", "shelve", "unpickler"),
        ("dill", "load", "dill.load", "file"),
        ("dill", "loads", "dill.loads", "bytes"),
        ("dill._dill", "load", "dill.load", "file"),
        ("dill._dill", "loads", "dill.loads", "bytes"),
        ("cloudpickle", "load", "cloudpickle.load", "file"),
        ("cloudpickle", "loads", "cloudpickle.loads", "bytes"),
        # IPC: trusted only on connections made by this process's own Pipe() (pools, queues)
        ("multiprocessing.connection", "Pipe", "multiprocessing.Pipe", "pipe"),
        ("multiprocessing.connection", "Connection.recv", "multiprocessing IPC", "recv"),
        (
            "multiprocessing.connection",
            "Connection.recv_bytes",
            "multiprocessing IPC",
            "recv_bytes",
        ),
        ("multiprocessing.reduction", "ForkingPickler.loads", "multiprocessing IPC", "ipc"),
    )
    + format_loaders.LOAD_TARGETS
    + hub.LOAD_TARGETS
    + weights.LOAD_TARGETS
)  # issue 18 formats; issue 19 hub downloads and signature checks of safetensors loads
LOAD_TARGETS += installs.PATCH_TARGETS  # pip run inside this interpreter (issue 20)
_BY_MODULE = {}
for _target in LOAD_TARGETS:
    _BY_MODULE.setdefault(_target[0], []).append(_target)
# pathlib: its path classes are noted as the library's file defines them (``frozen_builtins.
# note_pathlib``, red team 38a R38a-3), nothing patched
_MODULES = frozenset(_BY_MODULE) | {"pathlib"}
# the import system's own path finder and source loader, as the boot has them: only a pathlib
# they load from the library's file is the standard library's
_EXTERNAL = sys.modules["_frozen_importlib_external"]
_PATH_FINDER, _SOURCE_LOADER = _EXTERNAL.PathFinder, _EXTERNAL.SourceFileLoader
# C modules whose import the finder refuses (installs.native_writers, red team 35 R35-3)
_REFUSED = frozenset(installs.REFUSED_IMPORTS)


def install(state) -> "ImportWatch":
    """Patch what is imported now, and what is imported later. Returns the watch the audit
    hook keeps (``front`` on each ``import`` event, ``sweep`` before loads and in status)."""
    patcher = _Patcher(state)
    # The one handle on the IPC trust set: the launch-time bootstrap of a spawn/forkserver child
    # adds the connections its parent handed it (kernel/boot/mp_children.py).
    state.ipc = patcher.ipc
    for module_name in sorted(_MODULES):
        module = sys.modules.get(module_name)
        if module is not None:
            patcher.patch_module(module_name, module)
    pathlib = sys.modules.get("pathlib")
    if pathlib is not None:  # loaded before any code of the process's own ran
        installs.note_pathlib(pathlib, getattr(pathlib, "__file__", None))
    finder = next((f for f in sys.meta_path if type(f).__name__ == "WardenPatchOnImport"), None)
    if finder is None:
        finder = _finder(patcher)
        sys.meta_path.insert(0, finder)
    installs.seal_imports()  # the import system the guard's own late imports use
    return ImportWatch(patcher, finder)


class ImportWatch:
    """Target modules must not import unpatched past Warden's finder (red-team finding F15): an
    import hook inserted at ``sys.meta_path[0]`` later (a lazy-import or vendoring hook, an
    editable install's finder) would otherwise find them first and the finder never sees them.

    * ``front()``, on every ``import`` audit event (fired before each import statement looks
      for a module not yet loaded): puts the finder back in front. One identity check when
      nothing moved it.
    * ``sweep()``, before each user load and in ``status()``: patches target modules imported
      without the finder anyway (``importlib.import_module`` fires no ``import`` event; a
      loader that refuses the exec_module wrapper). Skipped while ``sys.modules`` has not grown
      since the last complete sweep; ``status()`` forces one.
    """

    def __init__(self, patcher, finder):
        self.patcher = patcher
        self.finder = finder
        self.restored = 0  # times the finder was put back in front
        self._swept_at = -1  # len(sys.modules) at the last complete sweep

    def front(self) -> None:
        meta_path = sys.meta_path
        if meta_path and meta_path[0] is self.finder:
            return
        try:
            # by identity: other finders' __eq__ is not called from inside the audit hook
            meta_path[:] = [self.finder] + [f for f in meta_path if f is not self.finder]
        except Exception:  # noqa: BLE001 - sys.meta_path replaced by something else: the sweep
            return
        self.restored += 1

    def sweep(self, force: bool = False) -> None:
        modules = sys.modules
        count = len(modules)
        if count == self._swept_at and not force:
            return
        complete = True
        for name in modules.keys() & _MODULES:
            module = modules.get(name)
            if module is None or self.patcher.done.get(name) is module:
                continue  # patched once already: at install, by the finder or an earlier sweep
            try:
                self.patcher.patch_module(name, module)
            except Exception as exc:  # noqa: BLE001 - a lazy module's __getattr__, mid-import
                complete = False
                self._failed(name, exc)
                continue
            if self.patcher.done.get(name) is not module:
                complete = False  # still executing: what it defines later is patched next time
        if complete:
            self._swept_at = count

    def _failed(self, name: str, exc: Exception) -> None:
        message = f"could not patch {name} ({type(exc).__name__}): its loaders may be unguarded"
        if message not in self.patcher.state.errors:
            self.patcher.state.errors.append(message)


def _walk(obj, dotted: str):
    for part in filter(None, dotted.split(".")):
        obj = getattr(obj, part, None)
    return obj


class _Patcher:
    def __init__(self, state):
        self.state = state
        self.ipc = _IpcTrust()
        # one wrapper per original: pickle.loads and _pickle.loads stay the same object, so
        # pickling them by reference (and identity checks) keep working
        self.made = {}
        # target module name -> the module object patched once it had finished loading. A
        # module is patched once: re-wrapping a loader Warden itself replaced afterwards (the
        # loky worker's parent-pipe reader, boot/mp_children.py) would undo that replacement.
        self.done = {}

    def patch_module(self, module_name: str, module, finished=None) -> None:
        state = self.state
        for mod, attr, label, kind in _BY_MODULE.get(module_name, ()):
            owner_path, _, leaf = attr.rpartition(".")
            owner = _walk(module, owner_path)
            current = getattr(owner, leaf, None) if owner is not None else None
            if current is None:
                continue
            if getattr(current, "__warden_kind__", None) != kind:
                # not yet ours for this job (a module may have bound another wrapper of ours,
                # e.g. ForkingPickler.loads = pickle.loads)
                wrapped = self.wrap(kind, current, label)
                if owner is not module and kind in ("ipc",):
                    wrapped = staticmethod(wrapped)
                try:
                    setattr(owner, leaf, wrapped)
                except (AttributeError, TypeError):
                    state.errors.append(f"could not patch {mod}.{attr}")
                    continue
            if kind in format_loaders.VALIDATING_KINDS:
                state.validated[f"{mod}.{attr}"] = getattr(owner, leaf, None)
            if f"{mod}.{attr}" not in state.patched:
                state.patched.append(f"{mod}.{attr}")
        if module_name == "torch" and hasattr(module, "__version__"):
            state.note_torch(module.__version__)
        if finished is None:  # at install or in a sweep: the import system says if it ended
            finished = not getattr(getattr(module, "__spec__", None), "_initializing", False)
        if finished:
            self.done[module_name] = module

    def wrap(self, kind, original, label):
        key = (id(original), kind)
        made = self.made.get(key)
        if made is not None and made[0] is original:
            return made[1]
        wrapped = self._make(kind, original, label)
        self.made[key] = (original, wrapped)
        return wrapped

    def _make(self, kind, original, label):
        state = self.state
        if kind == "unpickler":
            return _unpickler_class(original, state, label)
        fmt_maker = (
            format_loaders.maker(kind)
            or hub.maker(kind)
            or weights.maker(kind)
            or installs.maker(kind)
        )
        if fmt_maker is not None:
            return _wrap(original, fmt_maker(original, label, state), kind)
        maker = {
            "torch": _torch_wrapper,
            "numpy": _numpy_wrapper,
            "file": _file_wrapper,
            "bytes": _bytes_wrapper,
            "pipe": self.ipc.pipe_wrapper,
            "recv": self.ipc.recv_wrapper,
            "recv_bytes": self.ipc.recv_bytes_wrapper,
            "ipc": self.ipc.loads_wrapper,
        }[kind]
        return _wrap(original, maker(original, label, state), kind)


# private methods no library inspects: no ``inspect`` import when their module loads
# (subprocess is imported by most programs a guarded Python runs)
_UNINSPECTED = frozenset(("popen-preexec",))


def _wrap(original, inner, kind):
    def wrapper(*args, **kwargs):
        __tracebackhide__ = True  # noqa: F841 - IPython hides this frame
        try:
            return inner(*args, **kwargs)
        except BaseException as exc:
            tracebacks.hide_warden_frames(exc)  # display only (guard/tracebacks.py)
            raise

    if kind == "popen-preexec":  # every process start: no argument packing (preexec.py)
        wrapper = straight_wrapper(original, inner, tracebacks.hide_warden_frames) or wrapper
    wrapper.__warden_original__ = original
    wrapper.__warden_kind__ = kind
    # attributes callers read on the function (IPython's ``shebang.parser``), not __wrapped__
    wrapper.__dict__.update(
        (k, v) for k, v in getattr(original, "__dict__", {}).items() if not k.startswith("__")
    )
    for name in ("__name__", "__qualname__", "__doc__", "__module__"):
        try:
            setattr(wrapper, name, getattr(original, name))
        except (AttributeError, TypeError):
            pass
    if not isinstance(original, types.BuiltinFunctionType) and kind not in _UNINSPECTED:
        # libraries inspect loaders' parameters (joblib checks numpy.load for allow_pickle):
        # show the real signature, without a __wrapped__ that would lead around the wrapper.
        # Not for C functions (pickle.load...): parsing their text signature costs more than
        # the rest of the guard's start-up, and no loader inspects them.
        import inspect  # on the first Python-function patch: not at every interpreter start

        try:
            wrapper.__signature__ = inspect.signature(original)
        except (TypeError, ValueError):
            pass
    return wrapper


# --- the loaders ------------------------------------------------------------------------------


def _torch_wrapper(original, label, state):
    def load(f, *args, **kwargs):
        if not state.enabled and state.intact():
            return original(f, *args, **kwargs)
        pickle_module = args[1] if len(args) > 1 else kwargs.get("pickle_module")
        weights_only = kwargs.get("weights_only")
        unsafe = weights_only is False or (weights_only is None and pickle_module is not None)
        ctx = state.open_load(label, f)
        if weights_only is None and pickle_module is None and state.weights_only_default:
            kwargs["weights_only"] = True  # torch < 2.6 (or its env override) would not
        cleared = ctx.report is not None and ctx.report.verdict == SAFE
        warn_after = None
        if unsafe and not cleared and not state.check_trust(ctx):
            # Under the new model a weights_only=False load is pre-scanned and judged like any
            # pickle; the rule speaks only when the scan could not clear the file.
            evidence = {"call": label, "weights_only": False}
            evidence.update(state.file_evidence(ctx, with_hash=False))
            finding = (
                RULE_WEIGHTS_ONLY_FALSE,
                evidence,
                "torch.load(weights_only=False)",
                "it unpickles arbitrary objects from a file the pre-load scan could not clear",
            )
            if state.rules.action_for(RULE_WEIGHTS_ONLY_FALSE, state.policy) == "warn":
                # said once the load succeeded: a load the hook then refuses makes one event
                # (its refusal), not a warning and a refusal for the same load
                warn_after = finding
            else:
                state.apply_rule(*finding)  # block / confirm: before anything is read
        elif (
            not unsafe
            and state.torch_vulnerable
            and ctx.report is not None
            and ctx.report.verdict != "safe"
            and not ctx.trusted
        ):
            evidence = {
                "call": label,
                "torch_version": state.torch_version,
                "verdict": ctx.report.verdict,
            }
            evidence.update(state.file_evidence(ctx, with_hash=True))
            state.apply_rule(
                RULE_TORCH_VULNERABLE,
                evidence,
                "torch.load(weights_only=True) of a file that is not plainly safe",
                f"weights_only is bypassable on torch {state.torch_version} (CVE-2025-32434)",
            )
        with ctx:
            result = original(f, *args, **kwargs)
        if warn_after is not None:
            state.apply_rule(*warn_after)
        return result

    return load


def _numpy_wrapper(original, label, state):
    def load(file, *args, **kwargs):
        if not state.enabled and state.intact():
            return original(file, *args, **kwargs)
        allow_pickle = args[1] if len(args) > 1 else kwargs.get("allow_pickle", False)
        with state.open_load(label, file, unpickles=bool(allow_pickle)):
            return original(file, *args, **kwargs)

    return load


_ONE_PICKLE_LOADS = frozenset(("pickle.load", "dill.load", "cloudpickle.load"))


def _file_wrapper(original, label, state):
    def load(file, *args, **kwargs):
        if not state.enabled and state.intact():
            return original(file, *args, **kwargs)
        if label in _ONE_PICKLE_LOADS and hasattr(file, "read") and not _seekable(file):
            # a pipe, socket or stream: read exactly one pickle, scan it, load those bytes
            replay = _Replay(file)
            with state.open_bytes(label, replay.fill()):
                return original(replay, *args, **kwargs)
        if label == "pickle.load":  # the C unpickler's own find_class: the hook sees every global
            ctx = state.open_fast(label, file)
        else:
            ctx = state.open_load(label, file)
        with ctx:
            return original(file, *args, **kwargs)

    return load


def _bytes_wrapper(original, label, state):
    def loads(data, *args, **kwargs):
        if not state.enabled and state.intact():
            return original(data, *args, **kwargs)
        if label == "pickle.loads":
            ctx = state.open_fast(label, data, is_bytes=True)
        else:
            ctx = state.open_bytes(label, data)
        with ctx:
            return original(data, *args, **kwargs)

    return loads


def _unpickler_class(base, state, label):
    """A subclass of the Unpickler class whose load() pre-scans exactly what it will read."""

    class Unpickler(base):
        def __init__(self, file, *args, **kwargs):
            replay = None if _seekable(file) else _Replay(file)
            super().__init__(replay or file, *args, **kwargs)
            self.__warden_source = (file, replay)

        def load(self):
            __tracebackhide__ = True  # noqa: F841 - IPython hides this frame
            file, replay = self.__warden_source
            if not state.enabled and state.intact():
                if replay is not None:
                    replay.fill()
                return super().load()
            if replay is not None:
                # read op by op up to STOP, then scanned on its own (never an outer scan's
                # cleared set: those bytes are not what the outer load scanned)
                ctx = state.open_bytes(label, replay.fill())
            else:
                ctx = state.open_load(label, file)
            try:
                with ctx:
                    return super().load()
            except BaseException as exc:
                tracebacks.hide_warden_frames(exc)
                raise

    Unpickler.__name__ = base.__name__
    Unpickler.__qualname__ = base.__qualname__
    Unpickler.__module__ = base.__module__
    Unpickler.__doc__ = base.__doc__
    Unpickler.__warden_original__ = base
    Unpickler.__warden_kind__ = "unpickler"
    return Unpickler


def _seekable(file) -> bool:
    try:
        return bool(file.seekable()) and isinstance(file.tell(), int)
    except Exception:  # noqa: BLE001 - any file-like without a usable seek is replayed
        return False


class _Recorder:
    """Reads from a stream and keeps every byte read (pickletools.genops reads op by op)."""

    def __init__(self, raw):
        self.raw = raw
        self.chunks = []

    def read(self, n=-1):
        data = self.raw.read(n)
        self.chunks.append(data)
        return data

    def readline(self, *args):
        data = self.raw.readline(*args)
        self.chunks.append(data)
        return data


class _Replay:
    """For a stream that cannot seek: read exactly one pickle op by op (nothing after its STOP),
    scan it, then let the unpickler read those same bytes."""

    def __init__(self, raw):
        self.raw = raw
        self.buf = io.BytesIO(b"")

    def fill(self) -> bytes:
        import pickletools  # on first use: not at every interpreter start

        recorder = _Recorder(self.raw)
        try:
            for _ in pickletools.genops(recorder):
                pass
        except Exception:  # noqa: BLE001, S110 - malformed: the unpickler reports it on these bytes
            pass
        data = b"".join(recorder.chunks)
        self.buf = io.BytesIO(data)
        return data

    def read(self, *args):
        return self.buf.read(*args)

    def readinto(self, b):
        return self.buf.readinto(b)

    def readline(self, *args):
        return self.buf.readline(*args)


# --- IPC ------------------------------------------------------------------------------------


class _IpcTrust:
    """Trust multiprocessing messages only on pipes this process created (its own pools,
    queues, concurrent.futures and DataLoader workers; forked children inherit the set).
    A connection to someone else's listener or manager is judged like any other data."""

    def __init__(self):
        self._connections = None  # a WeakSet, made on first use (weakref: not at start-up)
        self._made = _thread.allocate_lock()
        self.local = _thread._local()  # = threading.local()

    @property
    def connections(self):
        found = self._connections
        if found is None:
            with self._made:
                if self._connections is None:
                    from weakref import WeakSet

                    self._connections = WeakSet()
                found = self._connections
        return found

    def trust(self, connections) -> None:
        """Trust connections this process's own parent handed it at spawn (its pool's pipes)."""
        for conn in connections:
            self.connections.add(conn)

    def pipe_wrapper(self, original, label, state):
        def Pipe(*args, **kwargs):  # noqa: N802 - the name it replaces
            ends = original(*args, **kwargs)
            for end in ends:
                self.connections.add(end)
            return ends

        return Pipe

    def recv_wrapper(self, original, label, state):
        def recv(conn):
            if conn in self.connections:
                ctx = state.contexts.new(label)
                ctx.trusted_name = "this kernel's own worker processes"
                with ctx:
                    return original(conn)
            return original(conn)

        return recv

    def recv_bytes_wrapper(self, original, label, state):
        def recv_bytes(conn, *args, **kwargs):
            data = original(conn, *args, **kwargs)
            if conn in self.connections:
                self.local.trusted = data  # Queue.get unpickles exactly this object next
            return data

        return recv_bytes

    def loads_wrapper(self, original, label, state):
        def loads(data, *args, **kwargs):
            if getattr(self.local, "trusted", None) is data and data is not None:
                self.local.trusted = None
                ctx = state.contexts.new(label)
                ctx.trusted_name = "this kernel's own worker processes"
                with ctx:
                    return original(data, *args, **kwargs)
            current = state.contexts.current()
            if not state.enabled or (current is not None and current.trusted):
                return original(data, *args, **kwargs)
            with state.open_bytes(label, data):
                return original(data, *args, **kwargs)

        return loads


# --- modules imported later -----------------------------------------------------------------


def _finder(patcher):
    class WardenPatchOnImport:
        """Patch target modules right after they are first imported."""

        def find_spec(self, fullname, path=None, target=None):
            if fullname not in _MODULES:
                if fullname in _REFUSED:  # a dict lookup: most imports are none of these
                    _refuse(patcher.state, fullname)
                return None
            for finder in sys.meta_path:
                if finder is self or not hasattr(finder, "find_spec"):
                    continue
                spec = finder.find_spec(fullname, path, target)
                if spec is None:
                    continue
                loader = spec.loader
                if fullname == "pathlib":
                    _note_pathlib(finder, spec)
                    return spec
                if loader is not None and hasattr(loader, "exec_module"):
                    _patch_after_exec(loader, fullname, patcher)
                elif loader is not None:
                    _unwrapped(patcher, fullname, loader)
                return spec
            return None

    return WardenPatchOnImport()


def _note_pathlib(finder, spec) -> None:
    """The standard library's pathlib, loaded from its file by the import system's own path
    finder and source loader: its classes noted once its body has run."""
    loader = spec.loader
    if finder is not _PATH_FINDER or type(loader) is not _SOURCE_LOADER:
        return
    original_exec, origin = loader.exec_module, spec.origin

    def exec_module(module):
        original_exec(module)
        installs.note_pathlib(module, origin)

    loader.exec_module = exec_module


def _refuse(state, fullname: str) -> None:
    """Refused before any finder finds it: raises, unless the policy only warns (then the
    import goes on to the next finder)."""
    gate = state.installs
    if (state.enabled or not state.intact()) and installs.refused_here(fullname, gate.kernel):
        installs.refuse_import(gate, fullname)


def _patch_after_exec(loader, fullname: str, patcher) -> None:
    original_exec = loader.exec_module

    def exec_module(module):
        original_exec(module)
        patcher.patch_module(fullname, module, finished=True)  # its body has run to the end

    try:
        loader.exec_module = exec_module
    except (AttributeError, TypeError):
        _unwrapped(patcher, fullname, loader)


def _unwrapped(patcher, fullname: str, loader) -> None:
    """A loader Warden cannot wrap: the module loads unpatched (the pickle audit hook still
    guards pickle, not yaml/onnx/keras...) until the next sweep; said in status()."""
    patcher.state.errors.append(
        f"could not wrap the loader of {fullname} ({type(loader).__name__}): its loaders are "
        "patched only at the next load or status check, unguarded until then"
    )
