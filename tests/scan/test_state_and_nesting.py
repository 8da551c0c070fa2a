"""Scanner gaps of issue 12, each with a real artifact proven in a fresh process.

* a numpy dtype state with an object field overlapping other data (red team finding 14): with
  only curated names the pickle forges a PyObject* and the kernel dies with SIGSEGV;
* a torch zip (or pickle) inside a bytes constant that ``torch.storage._load_from_bytes`` loads;
* joblib files with numpy StringDType arrays (and structured arrays holding objects), which
  joblib writes as pickles, not raw bytes: no false ``error``/refusal.
Each check runs on a small pickle (the Python walk) and a big one (the C dry run).
"""

import io
import json
import os
import pickle
import subprocess
import sys

import joblib
import numpy as np
import pytest
import torch

from jupyterlab_warden.kernel.scan import scan_bytes, scan_file

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FILLER = [{"i": i} for i in range(3000)]  # past the Python walk's budget: the C dry run


class _DType:
    def __init__(self, typestr, state):
        self.typestr, self.state = typestr, state

    def __reduce__(self):
        return (np.dtype, (self.typestr, False, True), self.state)


def _forged_array():
    """An array whose dtype says: field 'a' (object) and field 'b' (int64) share offset 0."""
    obj = _DType("O8", (3, "|", None, None, None, -1, -1, 63))
    i8 = _DType("i8", (3, "<", None, None, None, -1, -1, 0))
    overlapping = _DType("V16", (3, "|", None, ("a", "b"), {"a": (obj, 0), "b": (i8, 0)}, 16, 1, 0))

    class Forged:
        def __reduce__(self):
            from numpy._core.multiarray import _reconstruct

            raw = (0x4141414141414141).to_bytes(8, "little") * 2
            return (_reconstruct, (np.ndarray, (0,), b"b"), (1, (1,), overlapping, False, raw))

    return Forged()


_LOAD = r"""
import pickle, sys
if sys.argv[1] != "none":
    from jupyterlab_warden.kernel import guard
    guard.install({"pickle": {"mode": sys.argv[1]}})
try:
    with open(sys.argv[2], "rb") as fh:
        array = pickle.load(fh)
    print(repr(array["a"][0]))  # reads the forged object pointer
except Exception as exc:
    print(type(exc).__name__, str(exc)[:300])
"""


def _run(mode, path):
    return subprocess.run(
        [sys.executable, "-c", _LOAD, mode, str(path)],
        env=dict(os.environ, PYTHONPATH=ROOT),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("big", [False, True], ids=["walk", "dry-run"])
def test_overlapping_object_field_dtype_is_refused(tmp_path, big):
    path = tmp_path / "forged.pkl"
    value = [FILLER, _forged_array()] if big else _forged_array()
    path.write_bytes(pickle.dumps(value, protocol=4))
    report = scan_file(str(path))
    assert report.verdict == "dangerous"
    assert [(g.qualified, g.reason) for g in report.globals if g.verdict == "dangerous"] == [
        ("numpy.dtype", "unsafe-state")
    ]
    if big:
        return
    bare = _run("none", path)
    assert bare.returncode == -11, (bare.returncode, bare.stdout, bare.stderr[-500:])  # SIGSEGV
    for mode in ("default", "strict"):
        guarded = _run(mode, path)
        assert guarded.returncode == 0, guarded.stderr[-1000:]
        assert guarded.stdout.startswith("WardenBlockedLoad"), guarded.stdout
        assert "numpy.dtype" in guarded.stdout


BENIGN_DTYPES = {
    "object+int": np.zeros(3, dtype=[("a", "O"), ("b", "<i8"), ("c", "f4", (2,))]),
    "titles": np.zeros(
        2, dtype={"names": ["a", "b"], "formats": ["O", "i4"], "titles": ["A", "B"]}
    ),
    "nested": np.zeros(2, dtype=[("s", [("o", "O"), ("i", "i2")]), ("x", "f8")]),
    "object subarray": np.zeros(2, dtype=[("o", "O", (3,))]),
    "aligned": np.zeros(2, dtype=np.dtype([("c", "i1"), ("o", "O")], align=True)),
    "datetime": np.array(["2024-01-01"], dtype="M8[ns]"),
    "strings": np.array(["a", "bc"], dtype=np.dtypes.StringDType()),
}


@pytest.mark.parametrize("name", sorted(BENIGN_DTYPES))
@pytest.mark.parametrize("big", [False, True], ids=["walk", "dry-run"])
def test_real_numpy_dtypes_are_safe(name, big):
    value = BENIGN_DTYPES[name]
    for protocol in (2, 4, 5):
        data = pickle.dumps([FILLER, value] if big else value, protocol=protocol)
        report = scan_bytes(data)
        assert report.verdict == "safe", report.to_dict()


@pytest.mark.parametrize("compress", [0, 3, ("gzip", 3), ("lzma", 3)])
def test_joblib_string_and_object_structured_arrays(tmp_path, compress):
    value = {
        "strings": np.array(["a", "bc", "def"], dtype=np.dtypes.StringDType()),
        "records": np.array([("x", 1)], dtype=[("o", "O"), ("i", "i8")]),
        "floats": np.arange(4.0),
    }
    path = tmp_path / "arrays.joblib"
    joblib.dump(value, path, compress=compress)
    report = scan_file(str(path))
    assert report.verdict == "safe", report.to_dict()
    code = (
        "import json, sys, joblib\n"
        "from jupyterlab_warden.kernel import guard\n"
        "guard.install()\n"
        "v = joblib.load(sys.argv[1])\n"
        "print(json.dumps([list(v['strings']), v['records']['o'].tolist(), v['floats'].sum()]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        env=dict(os.environ, PYTHONPATH=ROOT),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout) == [["a", "bc", "def"], ["x"], 6.0]


def _nested_torch_payload(marker):
    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    buf = io.BytesIO()
    torch.save({"w": torch.zeros(2), "p": Payload()}, buf)
    zipped = buf.getvalue()

    class Outer:
        def __reduce__(self):
            return (torch.storage._load_from_bytes, (zipped,))

    return Outer()


_TORCH_LOAD = r"""
import sys
if sys.argv[1] != "none":
    from jupyterlab_warden.kernel import guard
    guard.install()
import pickle, torch
try:
    with open(sys.argv[2], "rb") as fh:
        pickle.load(fh)
    print("loaded")
except Exception as exc:
    print(type(exc).__name__, str(exc)[:300])
"""


@pytest.mark.parametrize("big", [False, True], ids=["walk", "dry-run"])
def test_torch_zip_in_a_bytes_constant(tmp_path, big):
    bare_marker, guarded_marker = tmp_path / "bare", tmp_path / "guarded"
    reports = []
    for marker, mode in ((bare_marker, "none"), (guarded_marker, "default")):
        outer = _nested_torch_payload(marker)
        path = tmp_path / f"{mode}.pkl"
        path.write_bytes(pickle.dumps({"rows": FILLER, "m": outer} if big else outer, protocol=4))
        reports.append(scan_file(str(path)))
        proc = subprocess.run(
            [sys.executable, "-c", _TORCH_LOAD, mode, str(path)],
            env=dict(os.environ, PYTHONPATH=ROOT),
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        if mode == "default":
            assert proc.stdout.startswith("WardenBlockedLoad"), proc.stdout
    assert bare_marker.exists(), "the nested payload does not run without the guard"
    assert not guarded_marker.exists()
    for report in reports:
        assert report.verdict == "dangerous"
        assert "posix.system" in report.dangerous_globals()
