"""guard/sha.py looks up only the C SHA-256 module this CPython has (red team 32 R32-7/R32-8):
a name missing from the standard library is looked up along the whole import path, so on
CPython < 3.12 trying ``_sha2`` first reached site-packages (a planted ``_sha2.py``) and a
cell's editable finder during every guard's boot."""

import hashlib
import sys

from jupyterlab_warden.kernel.guard import sha


class _Misses:
    """A finder at the end of ``sys.meta_path``: every name it is asked for was found by no
    finder before it, the standard library's included."""

    def __init__(self):
        self.asked = []

    def find_spec(self, name, path=None, target=None):
        self.asked.append(name)
        return None


def test_the_lookup_misses_no_module(monkeypatch):
    misses = _Misses()
    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, misses])
    monkeypatch.setattr(sha, "_impl", None)
    for name in ("_sha2", "_sha256"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    digest = sha.sha256(b"warden").hexdigest()
    assert misses.asked == [], misses.asked
    assert digest == hashlib.sha256(b"warden").hexdigest()
