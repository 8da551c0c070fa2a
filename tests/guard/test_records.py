"""scan/records.py: the guard's records behave as the namedtuples they replaced did."""

import copy
from collections import namedtuple

import pytest

from jupyterlab_warden.kernel.guard.filesource import FileSource
from jupyterlab_warden.kernel.scan.judge import Admin, Decision

OldDecision = namedtuple("OldDecision", "allowed reason detail", defaults=(None,))


def test_a_record_is_the_tuple_a_namedtuple_was():
    new, old = Decision(True, "curated"), OldDecision(True, "curated")
    assert tuple(new) == tuple(old) == (True, "curated", None)
    assert new == old and hash(new) == hash(old)
    assert (new.allowed, new.reason, new.detail) == (True, "curated", None)
    assert Decision(False, reason="r", detail="d") == (False, "r", "d")
    assert repr(Decision(True, "x")) == "Decision(allowed=True, reason='x', detail=None)"
    assert Decision._fields == ("allowed", "reason", "detail")
    assert Decision._make([1, 2, 3]) == (1, 2, 3)


def test_replace_asdict_and_pickling():
    admin = Admin(allow=frozenset({"a.b"}))
    assert admin.allow_packages == admin.deny == frozenset()
    changed = admin._replace(deny=frozenset({"os.system"}))
    assert type(changed) is Admin and changed.deny == frozenset({"os.system"})
    assert changed.allow == frozenset({"a.b"})
    with pytest.raises(ValueError):
        admin._replace(nope=1)
    source = FileSource("/p", None, 3, ("/p", 3))
    assert source._asdict() == {"path": "/p", "data": None, "size": 3, "stat_key": ("/p", 3)}
    # pickled by reference as a namedtuple is (the guard in this process refuses to unpickle
    # its own classes, so the reduction is checked, and rebuilt by copy)
    assert source.__reduce_ex__(2)[1] == (FileSource, "/p", None, 3, ("/p", 3))
    again = copy.deepcopy(source)
    assert type(again) is FileSource and again == source


def test_fields_are_read_only_and_arity_is_checked():
    decision = Decision(True, "x")
    with pytest.raises(AttributeError):
        decision.allowed = False
    with pytest.raises(TypeError):
        Decision(True)
    with pytest.raises(TypeError):
        Decision._make([1, 2])


def test_pytypes_are_the_types_modules_own_objects():
    import types

    from jupyterlab_warden.kernel.scan import pytypes

    names = [n for n in vars(pytypes) if n.endswith("Type")]
    assert len(names) == 7
    for name in names:
        assert getattr(pytypes, name) is getattr(types, name), name
