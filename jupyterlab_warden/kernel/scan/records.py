"""Named tuples without ``collections``: the guard's own small records (Decision, FileSource...).

``collections.namedtuple`` costs the guard's start-up ``collections`` (with ``keyword``,
``operator``, ``reprlib``) and a compile per class: measured, about a tenth of what the guard
added to every Python's start (bench/guard_startup.py). A record here is a tuple subclass that
behaves as a namedtuple does for what this package uses: fields by name and position,
equality and hashing as a tuple, ``_fields``, ``_make``, ``_replace``, ``_asdict``, a repr,
pickling by reference. Each class writes its own ``__new__`` (its signature and defaults) and
names its fields with ``field(i)``.
"""

from _operator import itemgetter  # = operator.itemgetter, without operator.py


def field(index: int, doc: str = None) -> property:
    """The property for field ``index`` (what namedtuple makes for each field)."""
    return property(itemgetter(index), doc=doc)


class Record(tuple):
    """Base of the records: subclasses set ``_fields`` and ``__new__``."""

    __slots__ = ()
    _fields = ()

    @classmethod
    def _make(cls, iterable):
        values = tuple.__new__(cls, iterable)
        if len(values) != len(cls._fields):
            raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(values)}")
        return values

    def _replace(self, **changes):
        result = self._make(map(changes.pop, self._fields, self))
        if changes:
            raise ValueError(f"Got unexpected field names: {list(changes)!r}")
        return result

    def _asdict(self) -> dict:
        return dict(zip(self._fields, self))

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
        return f"{type(self).__name__}({inner})"

    def __getnewargs__(self):
        return tuple(self)
