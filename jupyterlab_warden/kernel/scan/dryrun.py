"""A fast path for object-heavy pickles: run the C unpickler on stand-ins, never on real globals.

The Python stack machine (opcodes.py) costs a few hundred nanoseconds per opcode; a pickle of
600k small dicts has millions of opcodes. Here the C unpickler walks the stream instead, with
``find_class`` returning a stand-in class per global (nothing is imported or resolved) and
``persistent_load`` returning a stand-in object. Whatever the real load would call, the dry
run calls a stand-in, which records the role: metaclass ``__call__`` = CALL (with the curated
reconstructors' argument roles), ``__new__`` = NEW, ``__setstate__`` / ``__setitem__`` /
``append`` / ``extend`` / ``add`` on a made object = BUILD, the same on a global itself =
MUTATE. Only builtin containers and these stand-ins are ever created.

Any failure (a stream the stand-ins cannot follow, raw bytes between opcodes as joblib writes)
returns None and the caller uses the exact Python scanner.
"""

import _pickle
import io
import threading

from . import dtype_state
from .curated import ARG_ROLES, BUILD, CALL, CLASSES, NEW, NEWARGS, ZGETATTR
from .opcodes import (
    _CURATED_CLASS_ARGS,
    _DTYPE_CLASS,
    _GETATTR,
    _ZONEINFO,
    MUTATE,
    UNSAFE_STATE,
    Global,
    StreamResult,
    nested_globals,
    nested_kind,
)

# bytes handed to stand-ins (a reconstructor's argument, a restored state) that look loadable:
# scanned after the dry run as the Python walk scans every bytes constant (one list per run)
_LOADABLE = threading.local()

_DEFAULT_ARGS = ((), CALL | NEW | NEWARGS | BUILD)


class _Made:
    """An object a stand-in made: which globals it may be an instance of, and what it may
    hold (its call's arguments, what SETITEMS / APPENDS / BUILD gave it): a later call that
    receives it may reach them (``tuple(list)`` as another call's arguments)."""

    __slots__ = ("refs", "zoneinfo_unpickle", "held")

    def __init__(self, refs, zoneinfo_unpickle=False, held=None):
        self.refs = refs
        self.zoneinfo_unpickle = zoneinfo_unpickle
        self.held = held

    def __call__(self, *args, **kwargs):
        if self.zoneinfo_unpickle:
            return _Made(())
        for ref in self.refs:
            ref.roles |= CALL  # calling an instance runs its class's code with our arguments
        _mark_args(args, (), CALL | NEW | BUILD)
        _mark_args(tuple(kwargs.values()), (), CALL | NEW | BUILD)
        return _Made(self.refs, held=[args, kwargs])

    def _build(self, *args, **kwargs):
        _mark_args(args, (), 0)
        if self.held is None:
            self.held = []
        self.held.append(args)
        for ref in self.refs:
            ref.roles |= BUILD
            if ref.special is _DTYPE_CLASS:
                ref.roles |= UNSAFE_STATE  # a dtype made another way and restored (opcodes.py)

    __setstate__ = __setitem__ = append = extend = add = _build


class _DTypeMade(_Made):
    """numpy.dtype(typestr, ...) as the dry run holds it: its BUILD state is judged."""

    __slots__ = ("typestr", "info")

    def __init__(self, ref, args):
        super().__init__((ref,))
        first = args[0] if args else None
        self.typestr = first if isinstance(first, str) else ""
        self.info = None

    def __setstate__(self, state):
        ref = self.refs[0]
        ref.roles |= BUILD
        unsafe, self.info = dtype_state.unsafe_state(state, _describe_dtype)
        if unsafe:
            ref.roles |= UNSAFE_STATE

    __setitem__ = append = extend = add = _Made._build


def _describe_dtype(item):
    if type(item) is not _DTypeMade:
        return None
    built = item.info
    if built is not None and built.has_object:
        return built
    return dtype_state.from_typestr(item.typestr, built.size if built is not None else None)


def _mark_args(args, positional, rest):
    for index, item in enumerate(args):
        role = positional[index] if index < len(positional) else rest
        _mark(item, role)


_CONTAINERS = (tuple, list, set, frozenset)


class _TooMuchWork(Exception):
    pass


def _mark(item, role):
    """Give ``role`` to what ``item`` may be an instance of, and to everything it may hold:
    tuples, lists, dicts and sets the pickle built, made objects' arguments and state
    (iterative, each object once: containers can contain themselves)."""
    todo = [item]
    seen = set()
    budget = _LOADABLE.budget
    while todo:
        item = todo.pop()
        budget[0] -= 1
        if budget[0] < 0:
            # the same big containers handed to many calls: the Python walk (which passes
            # roles on once per holder) decides instead
            raise _TooMuchWork
        kind = type(item)
        if kind is bytes or kind is bytearray:
            if len(item) > 16 and nested_kind(item, 0):
                _LOADABLE.runs[-1].append(item)
            continue
        if kind is str or kind is int or kind is float or item is None:
            continue
        if id(item) in seen:
            continue
        seen.add(id(item))
        if kind in _CONTAINERS:
            todo.extend(item)
        elif kind is dict:
            todo.extend(item.keys())
            todo.extend(item.values())
        elif kind is _Made or kind is _DTypeMade:
            for ref in item.refs:
                ref.roles |= role
            if item.held:
                todo.extend(item.held)
        elif isinstance(item, _StandinMeta):
            item.__warden_global__.roles |= role
        elif isinstance(kind, _StandinMeta):
            # an instance made by NEWOBJ (``_standin_new``): its class, its arguments, state
            kind.__warden_global__.roles |= role
            todo.extend(item.__dict__.values())


class _OnGlobal:
    """A method looked up on the stand-in class itself (BUILD / SETITEM on a global): MUTATE;
    looked up on an instance made by ``__new__``: BUILD."""

    def __get__(self, inst, owner):
        ref = owner.__warden_global__
        role = MUTATE if inst is None else BUILD

        def record(*args, **kwargs):
            _mark_args(args, (), 0)
            ref.roles |= role
            if inst is not None:  # the made object now holds its state / items
                inst.__dict__.setdefault("warden_state", []).append(args)

        return record


class _StandinMeta(type):
    __warden_fast__ = None  # a curated class whose arguments stay data: one shared product

    def __call__(cls, *args, **kwargs):
        ref = cls.__warden_global__
        if ref.special is _DTYPE_CLASS:
            ref.roles |= CALL
            _mark_args(args, (), 0)
            return _DTypeMade(ref, args)
        fast = cls.__warden_fast__
        if fast is not None and not kwargs and not args:
            ref.roles |= CALL  # (its arguments keep their VALUE role: nothing to mark)
            return fast
        if ref.special is _GETATTR and len(args) == 2 and not kwargs:
            target = args[0]
            if (
                isinstance(target, _StandinMeta)
                and target.__warden_global__.special is _ZONEINFO
                and args[1] == "_unpickle"
            ):
                ref.roles |= ZGETATTR
                return _Made((), zoneinfo_unpickle=True)
        ref.roles |= CALL
        spec = ARG_ROLES.get(ref.full)
        if spec is None:
            spec = _CURATED_CLASS_ARGS if ref.full in CLASSES else _DEFAULT_ARGS
        positional, rest = spec
        if args and isinstance(args[0], _StandinMeta):
            newobj_args = ref.full == "copyreg.__newobj__" and (len(args) > 1 or kwargs)
            if newobj_args or ref.full == "copyreg.__newobj_ex__":
                args[0].__warden_global__.roles |= NEWARGS  # cls.__new__(cls, *args)
        _mark_args(args, positional, rest)
        made = [ref]
        for index, item in enumerate(args):
            role = positional[index] if index < len(positional) else rest
            if role & NEW and isinstance(item, _StandinMeta):
                made.append(item.__warden_global__)
        if kwargs:
            _mark_args(tuple(kwargs.values()), (), rest)
        return _Made(made, held=[args, kwargs] if args or kwargs else None)

    def __setitem__(cls, key, value):
        cls.__warden_global__.roles |= MUTATE


def _standin_new(cls, *args, **kwargs):
    # NEWOBJ / copyreg.__newobj__ pass the pickle's arguments to the real __new__
    ref = cls.__warden_global__
    ref.roles |= NEW | NEWARGS if args or kwargs else NEW
    if ref.special is _DTYPE_CLASS:
        return _DTypeMade(ref, args)
    made = object.__new__(cls)
    if args or kwargs:
        made.__dict__["warden_held"] = (args, kwargs)  # tuple.__new__(tuple, list) holds it
    return made


def _c_unpickler():
    """The C Unpickler itself, not the guard's pre-scanning subclass (which would recurse)."""
    cls = _pickle.Unpickler
    while getattr(cls, "__warden_original__", None) is not None:
        cls = cls.__warden_original__
    return cls


class _DryUnpickler(_c_unpickler()):
    def __init__(self, file):
        super().__init__(file)
        self.found = []
        self.classes = {}

    def find_class(self, module, name):
        key = (module, name)
        cls = self.classes.get(key)
        if cls is None:
            ref = Global(module, name, "GLOBAL", 0)
            self.found.append(ref)
            namespace = {
                "__warden_global__": ref,
                "__new__": _standin_new,
                "__setstate__": _OnGlobal(),
                "extend": _OnGlobal(),
                "append": _OnGlobal(),
                "add": _OnGlobal(),
                "__setitem__": _OnGlobal(),
            }
            if ref.full in CLASSES and ref.full not in ARG_ROLES:
                namespace["__warden_fast__"] = _Made((ref,))
            cls = self.classes[key] = _StandinMeta("standin", (), namespace)
        return cls

    def persistent_load(self, pid):
        _mark(pid, 0)
        return _Made(())


def dry_scan(buf, pos: int = 0, depth: int = 0):
    """A StreamResult for the pickle at ``pos``, or None when the dry run cannot follow it."""
    stream = io.BytesIO(buf[pos:] if pos else buf)
    unpickler = _DryUnpickler(stream)
    if not hasattr(_LOADABLE, "runs"):
        _LOADABLE.runs = []
    _LOADABLE.runs.append([])
    outer_budget = getattr(_LOADABLE, "budget", None)
    _LOADABLE.budget = [len(buf) - pos + 100_000]  # items _mark may visit in this run
    try:
        unpickler.load()
    except Exception:  # noqa: BLE001 - anything unexpected: the exact Python scanner decides
        return None
    finally:
        loadable = _LOADABLE.runs.pop()
        _LOADABLE.budget = outer_budget
    found, nested = unpickler.found, 0
    for data in loadable:  # after the load: a nested dry run has its own list
        inner = nested_globals(data, depth)
        if inner:
            nested += 1
            found.extend(inner)
    protocol = buf[pos + 1] if len(buf) > pos + 1 and buf[pos] == 0x80 else None
    return StreamResult(found, pos + stream.tell(), protocol, None, nested)


def small_int(buf, pos: int, stream: StreamResult):
    """The int a small pickle without globals holds (a record count), or None. Read by the dry
    run, which builds only builtin values and stand-ins."""
    if stream.error is not None or stream.globals or stream.end - pos > 64:
        return None
    try:
        value = _DryUnpickler(io.BytesIO(bytes(buf[pos : stream.end]))).load()
    except Exception:  # noqa: BLE001 - not a plain int pickle
        return None
    return value if type(value) is int and 0 <= value < 10_000_000 else None
