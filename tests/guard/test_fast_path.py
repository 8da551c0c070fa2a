"""The guard's fast path for big pickle.load / pickle.loads (GuardState.open_fast).

No scan up front: the audit hook admits only globals that are safe in every role and that the
pickle cannot change in place; the first other global makes it scan the whole data and judge
from there on exactly as a pre-scanned load. These tests show it is never weaker: every
payload of the guard suite is refused on the fast path too (with one event), a payload late in
a big pickle is refused before it runs, and benign data that needs the scan still loads.
The corpora (tests/guard/corpus) run through both paths as well (runner modes ``*-fast``).
"""

import collections
import copyreg
import datetime
import decimal
import io
import json
import os
import pickle
import subprocess
import sys
import tempfile

import pytest
import zoneinfo
from warden_testpkg import payloads

from jupyterlab_warden.kernel.guard import WardenBlockedLoad

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIG = 1 << 20


def _rows(n):
    return [{"id": i, "name": f"item{i}", "x": i * 0.5} for i in range(n)]


@pytest.fixture()
def fast(guard, monkeypatch):
    """The guard with every pickle.load(s) on the fast path, whatever its size."""
    monkeypatch.setattr(guard, "fast_path_min_bytes", 0)
    return guard


def test_big_plain_data_loads_without_a_scan(guard):
    rows = _rows(60_000)
    data = pickle.dumps(rows, protocol=4)
    assert len(data) >= BIG  # the default threshold: the fast path, no scan
    before = guard.counts["files_scanned"]
    assert pickle.loads(data) == rows
    assert guard.counts["files_scanned"] == before


def test_globals_safe_in_every_role_need_no_scan(guard):
    value = [
        collections.OrderedDict(a=datetime.datetime(2020, 1, 1 + i % 28), d=decimal.Decimal(i))
        for i in range(40_000)
    ]
    data = pickle.dumps(value, protocol=4)
    assert len(data) >= BIG
    before = guard.counts["files_scanned"]
    assert pickle.loads(data) == value
    assert guard.counts["files_scanned"] == before


def test_a_role_aware_global_makes_it_scan_then_load(guard, tmp_path):
    # zoneinfo pickles as getattr(ZoneInfo, '_unpickle'): only the scan can clear that shape
    value = _rows(40_000) + [
        datetime.datetime(2024, 1, 1, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    ]
    path = tmp_path / "tz.pkl"
    path.write_bytes(pickle.dumps(value, protocol=4))
    assert path.stat().st_size >= BIG
    before = guard.counts["files_scanned"]
    with open(path, "rb") as fh:
        assert pickle.load(fh) == value
    assert guard.counts["files_scanned"] == before + 1
    assert not [e for e in guard.events if e["action"] == "blocked"]


def _payload_names():
    # Building the payloads writes a script; at collection time that must not be the work folder.
    with tempfile.TemporaryDirectory() as folder:
        return sorted(payloads.all_bytes_payloads(os.path.join(folder, "m"), folder))


@pytest.mark.parametrize("case", _payload_names())
def test_every_payload_is_refused_on_the_fast_path(fast, marker, tmp_path, case):
    data = payloads.all_bytes_payloads(marker, tmp_path)[case]
    with pytest.raises(WardenBlockedLoad):
        pickle.loads(data)
    path = tmp_path / "payload.pkl"
    path.write_bytes(data)
    with open(path, "rb") as fh, pytest.raises(WardenBlockedLoad):
        pickle.load(fh)
    blocked = [e for e in fast.events if e["action"] == "blocked"]
    assert len(blocked) == 2, blocked  # one event per refused load


def test_payload_late_in_a_big_pickle_is_refused_before_it_runs(guard, marker):
    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    data = pickle.dumps([_rows(40_000), Payload()], protocol=4)
    assert len(data) >= BIG
    with pytest.raises(WardenBlockedLoad, match="posix.system"):
        pickle.loads(data)
    blocked = [e for e in guard.events if e["action"] == "blocked"]
    assert len(blocked) == 1 and blocked[0]["rule_id"] == "model-file-dangerous-globals"


def _mutate_reconstructor_defaults():
    # BUILD on the global copyreg._reconstructor itself: setattr(f, '__defaults__', (1,)).
    # Nothing is called; the kernel's reconstructor is changed for every later load.
    return b"\x80\x04\x8c\x07copyreg\x8c\x0e_reconstructor\x93N}\x8c\x0c__defaults__(K\x01ts\x86b."


_MUTATION_CHECK = r"""
import copyreg, json, pickle, sys
if sys.argv[1] != "none":
    from jupyterlab_warden.kernel import guard
    state = guard.install()
    state.fast_path_min_bytes = 0
out = {"blocked": False}
try:
    pickle.loads(bytes.fromhex(sys.argv[2]))
except Exception as exc:
    out["blocked"] = type(exc).__name__ == "WardenBlockedLoad"
    out["message"] = str(exc)[:300]
out["changed"] = copyreg._reconstructor.__defaults__ is not None
print(json.dumps(out))
"""


def _in_fresh_process(mode, data):
    proc = subprocess.run(
        [sys.executable, "-c", _MUTATION_CHECK, mode, data.hex()],
        env=dict(os.environ, PYTHONPATH=ROOT),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_a_pickle_cannot_change_an_admitted_function_in_place():
    """Adversary: a global the hook alone would admit (a curated reconstructor), changed in
    place by BUILD. The fast path admits only what cannot be changed; this one is scanned."""
    data = _mutate_reconstructor_defaults()
    assert copyreg._reconstructor.__defaults__ is None
    assert _in_fresh_process("none", data)["changed"], "the payload does not work unguarded"
    guarded = _in_fresh_process("fast", data)
    assert guarded["blocked"] and not guarded["changed"], guarded


def test_a_file_replaced_during_the_load_is_refused(fast, tmp_path, marker):
    """Adversary: swap the file after the fast load started, so a mid-load scan would read a
    harmless version. The guard notices the file changed and refuses."""
    path = tmp_path / "swap.pkl"
    harmless = tmp_path / "harmless.pkl"
    tz = datetime.datetime(2024, 1, 1, tzinfo=zoneinfo.ZoneInfo("UTC"))
    path.write_bytes(pickle.dumps([1, tz], protocol=4))
    harmless.write_bytes(pickle.dumps([2, tz], protocol=4))

    class Swapping(io.BufferedReader):
        """Swaps the file on the unpickler's first read (whichever method it uses)."""

        def _swap(self):
            if not getattr(self, "swapped", False):
                self.swapped = True
                os.replace(harmless, path)

        def read(self, *args):
            self._swap()
            return super().read(*args)

        def peek(self, *args):
            self._swap()
            return super().peek(*args)

        def readinto(self, buffer):
            self._swap()
            return super().readinto(buffer)

        def readline(self, *args):
            self._swap()
            return super().readline(*args)

    with Swapping(io.FileIO(str(path), "rb")) as fh:
        with pytest.raises(WardenBlockedLoad, match="replaced"):
            pickle.load(fh)
    assert fh.swapped
