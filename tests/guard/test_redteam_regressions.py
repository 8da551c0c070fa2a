"""The red team's findings on guard v2 (issue 12, /work/redteam-guard/REPORT.md) as regressions.

Each malicious payload proves itself: loaded in a fresh process WITHOUT the guard its marker
appears; WITH the guard (default mode) the load raises WardenBlockedLoad and no marker appears;
the scanner calls the file dangerous. Payloads are assembled opcode by opcode (``_asm``) so the
test spells exactly the shape the finding used, with no pickler rewriting it.
"""

import json
import os
import pickle
import struct
import subprocess
import sys
import time

import pytest

from jupyterlab_warden.kernel.scan import scan_file

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# --- a tiny pickle assembler (protocol 4) -------------------------------------------------


def _s(text):
    raw = text.encode()
    return (
        b"\x8c" + bytes([len(raw)]) + raw
        if len(raw) < 256
        else b"X" + struct.pack("<I", len(raw)) + raw
    )


def _g(module, name):
    return _s(module) + _s(name) + b"\x93"


def _i(n):
    return b"J" + struct.pack("<i", n)


def _tuple(*items):
    return b"(" + b"".join(items) + b"t"


def _dict(**items):
    return b"}(" + b"".join(_s(k) + v for k, v in items.items()) + b"u"


def _asm(*body):
    return b"\x80\x04" + b"".join(body) + b"."


# --- running a load in a fresh process ----------------------------------------------------

_LOADER = r"""
import json, sys
guard, loader, path = sys.argv[1], sys.argv[2], sys.argv[3]
if guard == "default":
    import jupyterlab_warden.kernel.guard as g
    assert g.install() is not None
out = {"loaded": False, "error": None, "blocked": False}
try:
    if loader == "pickle":
        import pickle
        with open(path, "rb") as fh:
            pickle.load(fh)
    elif loader == "pickle.loads":
        import pickle
        with open(path, "rb") as fh:
            pickle.loads(fh.read())
    elif loader == "joblib":
        import joblib
        joblib.load(path)
    elif loader == "pandas":
        import pandas
        pandas.read_pickle(path)
    elif loader == "dill":
        import dill
        with open(path, "rb") as fh:
            dill.load(fh)
    out["loaded"] = True
except BaseException as exc:  # noqa: BLE001 - report it
    out["error"] = f"{type(exc).__name__}: {exc}"[:600]
    out["blocked"] = type(exc).__name__ == "WardenBlockedLoad" and "Jupyter Warden" in str(exc)
print("RESULT" + json.dumps(out))
"""


def _load(path, guard, loader="pickle"):
    env = dict(os.environ, PYTHONPATH=ROOT)
    proc = subprocess.run(
        [sys.executable, "-c", _LOADER, guard, loader, str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT"):
            return json.loads(line[6:])
    raise AssertionError(f"loader crashed (rc {proc.returncode}): {proc.stderr[-2000:]}")


def _appears(path, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return True
        time.sleep(0.05)
    return os.path.exists(path)


def _proves_itself(tmp_path, payload_for, loader="pickle", wait=0.0):
    """payload_for(marker) -> bytes. Unguarded: marker appears; guarded: refused, no marker."""
    bare_marker, guarded_marker = tmp_path / "bare-marker", tmp_path / "guarded-marker"
    bare, guarded = tmp_path / "bare.pkl", tmp_path / "guarded.pkl"
    bare.write_bytes(payload_for(str(bare_marker)))
    guarded.write_bytes(payload_for(str(guarded_marker)))
    _load(bare, "none", loader)
    assert _appears(str(bare_marker), wait or 0.5), "the payload does not run without the guard"
    result = _load(guarded, "default", loader)
    assert result["blocked"], result
    if wait:
        time.sleep(0)  # the guarded process has exited; nothing it started may write later
    assert not _appears(str(guarded_marker), wait or 0.2)
    assert scan_file(str(guarded)).verdict == "dangerous"
    return result


# --- findings 07/08/09: NEW passes the pickle's arguments to __new__ (numpy.memmap) ---------


def _memmap_args(path):
    return (_s(path), _s("uint8"), _s("w+"), _i(0), _tuple(_i(4)))


MEMMAP_SPELLINGS = {
    "NEWOBJ": lambda p: _asm(_g("numpy", "memmap"), _tuple(*_memmap_args(p)), b"\x81"),
    "NEWOBJ_EX": lambda p: _asm(_g("numpy", "memmap"), _tuple(*_memmap_args(p)), b"}", b"\x92"),
    "NEWOBJ_EX kwargs": lambda p: _asm(
        _g("numpy", "memmap"),
        b")",
        _dict(filename=_s(p), mode=_s("w+"), shape=_tuple(_i(4))),
        b"\x92",
    ),
    "copyreg.__newobj__": lambda p: _asm(
        _g("copyreg", "__newobj__"), _tuple(_g("numpy", "memmap"), *_memmap_args(p)), b"R"
    ),
    "copyreg.__newobj_ex__": lambda p: _asm(
        _g("copyreg", "__newobj_ex__"),
        _tuple(_g("numpy", "memmap"), _tuple(*_memmap_args(p)), b"}"),
        b"R",
    ),
}


def test_pandas_new_index_passes_arguments_to_new():
    """_new_Index(cls, d) runs cls.__new__(cls, **d): its class gets NEWARGS (numpy.memmap's
    __new__ rejects the copy=False pandas adds, so this spelling is checked by the scanner)."""
    from jupyterlab_warden.kernel.scan import scan_bytes
    from jupyterlab_warden.kernel.scan.curated import NEWARGS

    data = _asm(
        _g("pandas.core.indexes.base", "_new_Index"),
        _tuple(_g("numpy", "memmap"), _dict(filename=_s("/tmp/x"), mode=_s("w+"))),
        b"R",
    )
    report = scan_bytes(data)
    assert report.verdict == "dangerous"
    (finding,) = [g for g in report.globals if g.name == "memmap"]
    assert "new-with-args" in finding.roles and finding.reason == "not-curated-callable"
    assert NEWARGS


@pytest.mark.parametrize("spelling", sorted(MEMMAP_SPELLINGS))
def test_memmap_made_with_arguments_is_refused(tmp_path, spelling):
    result = _proves_itself(tmp_path, MEMMAP_SPELLINGS[spelling])
    assert "numpy.memmap" in result["error"]


@pytest.mark.parametrize("loader", ["pickle.loads", "joblib", "pandas", "dill"])
def test_memmap_new_is_refused_through_every_loader(tmp_path, loader):
    _proves_itself(tmp_path, MEMMAP_SPELLINGS["NEWOBJ"], loader=loader)


def test_new_without_arguments_is_still_judged_as_plain_new():
    """An ML class made by NEWOBJ with () keeps its plain NEW role (sklearn estimators)."""
    from jupyterlab_warden.kernel.scan import judge
    from jupyterlab_warden.kernel.scan.curated import NEW, NEWARGS

    data = _asm(_g("sklearn.linear_model._ridge", "Ridge"), b")", b"\x81")
    from jupyterlab_warden.kernel.scan import scan_bytes

    report = scan_bytes(data)
    assert report.verdict == "safe", report
    assert report.cleared[("sklearn.linear_model._ridge", "Ridge")] & (NEW | NEWARGS) == NEW
    import numpy

    assert not judge.judge_class(numpy.memmap, NEWARGS | NEW).allowed
    assert judge.judge_class(numpy.memmap, NEW).allowed is False  # not curated, no family


# --- finding 03: a curated constructor iterates a made object of an uncurated ML class -------


def _mapper_payload(marker):
    handler = _g(
        "torch.distributed.elastic.multiprocessing.subprocess_handler.subprocess_handler",
        "SubprocessHandler",
    )
    args = _tuple(
        _s("/bin/sh"), _tuple(_s("-c"), _s(f"touch {marker}")), b"}", b"N", b"N", _i(0), b"N"
    )
    state = _dict(
        datapipe=b"](" + args + b"e",
        fn=handler,
        input_col=_tuple(*[_i(n) for n in range(7)]),
        output_col=b"N",
    )
    mapper = (
        _g("copyreg", "__newobj__")
        + _tuple(_g("torch.utils.data.datapipes.iter.callable", "MapperIterDataPipe"))
        + b"R"
        + state
        + b"b"
    )
    return _asm(_g("builtins", "list"), _tuple(mapper), b"R")


def test_curated_constructor_iterating_an_uncurated_ml_object_is_refused(tmp_path):
    result = _proves_itself(tmp_path, _mapper_payload, wait=10.0)
    assert "MapperIterDataPipe" in result["error"] or "SubprocessHandler" in result["error"]


def test_ml_classes_pass_only_curated_or_by_family():
    import numpy
    import torch
    from torch.utils.data.datapipes.iter.callable import MapperIterDataPipe

    from jupyterlab_warden.kernel.scan import judge
    from jupyterlab_warden.kernel.scan.curated import BUILD, NEW, VALUE

    made = NEW | BUILD
    assert not judge.judge_class(MapperIterDataPipe, made).allowed
    assert not judge.judge_class(MapperIterDataPipe, VALUE).allowed  # a value can be called
    assert judge.judge_class(torch.nn.Linear, made).allowed  # family: torch.nn.Module in torch.nn
    assert judge.judge_class(numpy.float64, VALUE).allowed  # family: numpy scalar types
    from sklearn.linear_model import Ridge

    assert judge.judge_class(Ridge, made).allowed  # family: sklearn BaseEstimator


# --- finding 13: false blocks of real pandas / numpy artifacts ---------------------------


def _false_block_objects():
    import numpy
    import pandas

    return {
        "timedelta_index": pandas.DataFrame({"x": [1, 2]}, index=pandas.to_timedelta(["1s", "2s"])),
        "quarter_begin": pandas.date_range("2024-01-01", periods=3, freq="QS"),
        "business_hour": pandas.date_range("2024-01-01 09:00", periods=3, freq="bh"),
        "semi_month_begin": pandas.date_range("2024-01-01", periods=3, freq="SMS"),
        "dateoffset_col": pandas.Series([pandas.DateOffset(months=2)]),
        "string_dtype": numpy.array(["a", "bc"], dtype=numpy.dtypes.StringDType()),
    }


def test_real_pandas_and_numpy_artifacts_load_guarded(tmp_path):
    import pandas

    paths = {}
    for name, obj in _false_block_objects().items():
        path = tmp_path / f"{name}.pkl"
        with open(path, "wb") as fh:
            pickle.dump(obj, fh, protocol=5)
        paths[name] = path
        assert scan_file(str(path)).verdict == "safe", name
        result = _load(path, "default")
        assert result["loaded"], (name, result)
    assert pandas is not None


# --- findings 01/02: a load inside a load gets its own scan ------------------------------


def _load_from_bytes_payload(marker):
    import io

    import torch
    from torch.distributed.elastic.multiprocessing.subprocess_handler import SubprocessHandler

    class Inner:
        def __reduce__(self):
            return (
                SubprocessHandler,
                ("/bin/sh", ("-c", f"touch {marker}"), {}, None, None, 0, None),
            )

    buf = io.BytesIO()
    torch.save(Inner(), buf)
    blob = buf.getvalue()
    # the outer pickle names the class once as a value, the inner torch zip calls it
    return _asm(
        b"(",
        _g(
            "torch.distributed.elastic.multiprocessing.subprocess_handler.subprocess_handler",
            "SubprocessHandler",
        ),
        _g("torch.storage", "_load_from_bytes"),
        b"B" + struct.pack("<I", len(blob)) + blob + b"\x85R",
        b"l",
    )


def test_load_from_bytes_inner_torch_zip_is_refused(tmp_path):
    _proves_itself(tmp_path, _load_from_bytes_payload, wait=10.0)


def test_nested_load_gets_its_own_scan_not_the_outer_cleared_set(tmp_path):
    """The mechanism: a loader inside a loader scans its own data; the outer cleared set is
    never used for it (else a name cleared as a value outside is called inside)."""
    import io

    from jupyterlab_warden.kernel.guard.state import GuardState
    from jupyterlab_warden.kernel.scan.curated import VALUE

    state = GuardState()
    outer = state.open_bytes("pickle.loads", pickle.dumps([1]))
    outer.cleared = {("posix", "system"): VALUE}  # as if the outer stream named it as data
    inner_bytes = _asm(_g("posix", "system"), _tuple(_s("true")), b"R")
    with outer:
        with pytest.raises(Exception) as raised:
            state.open_load("torch.load", io.BytesIO(inner_bytes))
        assert "Jupyter Warden" in str(raised.value)  # the inner scan refuses it on its own
        inner = state.open_load("numpy.load", io.BytesIO(pickle.dumps({"a": 1})))
        assert inner is not outer and inner.cleared == {}


# --- finding 04: in-place changes of the guard's state are seen --------------------------


@pytest.mark.parametrize(
    "alter",
    [
        "st.globals.mode = 'audit'",
        "st.enabled = False",
        "st.trusted['0' * 64] = 'x'",
        "st.policy.setdefault('rules', {})['pickle-blocked-global'] = {'action': 'off'}",
        "st.globals.admin = st.globals.admin._replace(allow=frozenset({'posix.system'}))",
        "st.scan_before_load = False",
    ],
)
def test_in_place_state_change_makes_the_hook_refuse(tmp_path, alter):
    marker = tmp_path / "marker"
    code = f"""
import os, pickle, sys
import jupyterlab_warden.kernel.guard as g
assert g.install() is not None
def cells(f):  # code in the kernel can walk the wrappers' closures (a documented limit)
    for c in getattr(f, "__closure__", None) or ():
        yield c.cell_contents
        yield from cells(c.cell_contents)
st = next(v for v in cells(pickle.loads) if type(v).__name__ == 'GuardState')
{alter}
assert g.status()["intact"] is False
try:
    pickle.loads(pickle.dumps([1, 2]))  # even benign data: the guard fails closed
    print("LOADED")
except Exception as exc:
    print("REFUSED", type(exc).__name__, exc)
class P:
    def __reduce__(self):
        return (os.system, ("touch {marker}",))
try:
    pickle.loads(pickle.dumps(P()))
except Exception as exc:
    print("REFUSED", type(exc).__name__)
"""
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=dict(os.environ, PYTHONPATH=ROOT),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "LOADED" not in proc.stdout
    assert proc.stdout.count("REFUSED WardenBlockedLoad") == 2, proc.stdout
    assert "restart the kernel" in proc.stdout
    assert not marker.exists()


# --- finding 12: dill's find_class returns __main__.__dict__ without an audit event --------

_DILL_PIPE = r"""
import os, sys, threading
if sys.argv[1] == "default":
    import jupyterlab_warden.kernel.guard as g
    assert g.install() is not None
import dill
VERIFY_TLS = True
data = (b'\x80\x04c__builtin__\n__main__\n'
        b'(\x8c\nVERIFY_TLS\x89\x8c\x04flag\x8c\x05ownedu0\x8c\x02ok.')
r, w = os.pipe()
threading.Thread(target=lambda: (os.write(w, data), os.close(w))).start()
with open(r, 'rb') as stream:  # a pipe: not seekable
    try:
        dill.load(stream)
    except Exception as exc:
        print("RAISED", type(exc).__name__)
if VERIFY_TLS is False or globals().get("flag") == "owned":
    open(sys.argv[2], "w").close()
"""


def test_dill_load_from_a_pipe_is_pre_scanned(tmp_path):
    for guard in ("none", "default"):
        marker = tmp_path / f"marker-{guard}"
        proc = subprocess.run(
            [sys.executable, "-c", _DILL_PIPE, guard, str(marker)],
            env=dict(os.environ, PYTHONPATH=ROOT),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        if guard == "none":
            assert marker.exists(), "the payload does not overwrite globals without the guard"
        else:
            assert "RAISED WardenBlockedLoad" in proc.stdout, proc.stdout
            assert not marker.exists()


# --- findings 06/10/11: the scanner parses what the loaders read, and fails closed --------


def _system_body(marker):
    return f"cposix\nsystem\n(V touch {marker}\ntR.".encode()


def test_joblib_zfile_is_parsed_not_error(tmp_path):
    import zlib

    def payload(marker):
        body = b"\x80\x02" + _system_body(marker)
        return b"ZF" + hex(len(body)).encode().ljust(len(hex(2**64))) + zlib.compress(body)

    _proves_itself(tmp_path, payload, loader="joblib")


def test_pickle_starting_like_bz2_is_scanned_as_the_pickle_it_is(tmp_path):
    def payload(marker):
        filler = struct.unpack("<I", b"Zh\x00\x00")[0]
        return b"BZh\x00\x00" + b"x" * filler + b"0" + _system_body(marker)

    _proves_itself(tmp_path, payload)


def test_deep_npy_header_is_an_error_and_a_clear_refusal(tmp_path):
    header = ("{'descr': " + "1+" * 200_000 + "1, 'fortran_order': False, 'shape': ()}").encode()
    path = tmp_path / "deep.npy"
    path.write_bytes(b"\x93NUMPY\x02\x00" + struct.pack("<I", len(header)) + header)
    report = scan_file(str(path))
    assert report.verdict == "error" and "nested too deeply" in " ".join(report.errors)
    code = (
        "import jupyterlab_warden.kernel.guard as g; g.install(); import numpy\n"
        f"try:\n    numpy.load({str(path)!r}, allow_pickle=True)\n"
        "except Exception as exc:\n    print(type(exc).__name__, exc)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=dict(os.environ, PYTHONPATH=ROOT),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.stdout.startswith("WardenBlockedLoad"), proc.stdout + proc.stderr[-1000:]
    assert "could not parse it" in proc.stdout


def test_shelve_index_is_split_as_dbm_dumb_reads_it(tmp_path):
    import shelve

    marker = tmp_path / "marker"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    base = str(tmp_path / "db")
    with shelve.open(base, "n", protocol=4) as db:  # noqa: S301 - writing the test file
        db["benign"] = [1, 2]
        db["key\x85with next-line"] = Payload()
    with open(base + ".dir", encoding="latin-1") as fh:
        text = fh.read()
    with open(base + ".dir", "w", encoding="latin-1") as fh:
        fh.write(text.replace("\\x85", "\x85"))  # a raw U+0085: one line for dbm.dumb
    loader = f"import shelve; db = shelve.open({base!r}, 'r'); db['key\\x85with next-line']"
    subprocess.run([sys.executable, "-c", loader], capture_output=True, timeout=60)
    assert _appears(str(marker), 5), "the payload does not run without the guard"
    assert scan_file(base + ".dat").verdict == "dangerous"


def test_wrapped_loaders_show_the_real_signature():
    """joblib reads numpy.load's parameters (allow_pickle): the wrapper must show them, and
    give no __wrapped__ path around itself."""
    import inspect

    code = (
        "import inspect, jupyterlab_warden.kernel.guard as g; g.install(); import numpy, pickle\n"
        "print(list(inspect.signature(numpy.load).parameters)[:3],"
        " getattr(numpy.load, '__warden_kind__', None), hasattr(numpy.load, '__wrapped__'))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=dict(os.environ, PYTHONPATH=ROOT),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.stdout.strip() == "['file', 'mmap_mode', 'allow_pickle'] numpy False", (
        proc.stdout + proc.stderr[-800:]
    )
    assert inspect


def test_scipy_sparse_matrices_and_arrays_load_guarded(tmp_path):
    import numpy
    import scipy.sparse

    for kind in ("csr_matrix", "csr_array", "coo_matrix", "csc_array"):
        path = tmp_path / f"{kind}.pkl"
        with open(path, "wb") as fh:
            pickle.dump(getattr(scipy.sparse, kind)(numpy.eye(3)), fh, protocol=5)
        assert scan_file(str(path)).verdict == "safe", kind
        result = _load(path, "default")
        assert result["loaded"], (kind, result)


def test_ndarray_subclasses_and_joblib_object_arrays_load_guarded(tmp_path):
    """numpy.matrix / recarray (vouched by exact name), and joblib's inner unpickling of its
    own stream (object arrays) reusing the joblib-aware scan."""
    import joblib
    import numpy
    import pandas

    objects = {
        "matrix": numpy.matrix([[1, 2], [3, 4]]),
        "recarray": numpy.rec.fromrecords([(1, 2.0)], names="a,b"),
        "multiindex": pandas.DataFrame(
            {"v": [1, 2]}, index=pandas.MultiIndex.from_tuples([("a", 1), ("b", 2)])
        ),
    }
    for name, obj in objects.items():
        for writer in ("pickle", "joblib"):
            path = tmp_path / f"{name}.{writer}"
            if writer == "pickle":
                with open(path, "wb") as fh:
                    pickle.dump(obj, fh, protocol=5)
            else:
                joblib.dump(obj, path, compress=3)
            assert scan_file(str(path)).verdict == "safe", (name, writer)
            result = _load(path, "default", "pickle" if writer == "pickle" else "joblib")
            assert result["loaded"], (name, writer, result)


# --- red team 2: a callee handed to a curated reconstructor through a container -------------
# numpy.random._pickle.__generator_ctor(name, ctor) calls ctor(name). The callee here is an
# argparse.FileType('w') instance made by NEWOBJ + BUILD (argparse is a safe origin, so the
# instance is fine as data); called, it opens - creates or truncates - any path it is given.
# Each spelling hides the callee from a literal argument tuple; the scanner must still see
# that the callee is called.


def _filetype_instance():
    state = _dict(_mode=_s("w"), _bufsize=_i(-1), _encoding=b"N", _errors=b"N")
    return _g("argparse", "FileType") + b")\x81" + state + b"b"


def _list(*items):
    return b"](" + b"".join(items) + b"e"


def _ctor_called(args):  # __generator_ctor(*args): args is the bytes of a tuple made at load
    return _g("numpy.random._pickle", "__generator_ctor") + args + b"R"


_DTYPE_FIRST = _g("numpy", "dtype") + _tuple(_s("f8"), b"\x89", b"\x88") + b"R0"  # joblib walk
_PAD = b"](" + b"K\x01" * 10000 + b"e0"  # over the Python walk's budget: the fast path decides

HIDDEN_CALLEE_SPELLINGS = {
    "tuple(list)": lambda p: _asm(
        _ctor_called(_g("builtins", "tuple") + _tuple(_list(_s(p), _filetype_instance())) + b"R")
    ),
    "tuple(memoised list filled later)": lambda p: _asm(
        b"]\x94(" + _s(p) + _filetype_instance() + b"e0",  # memo 0, filled, popped
        _ctor_called(_g("builtins", "tuple") + _tuple(b"h\x00") + b"R"),
    ),
    "copyreg._reconstructor(tuple, tuple, list)": lambda p: _asm(
        _ctor_called(
            _g("copyreg", "_reconstructor")
            + _tuple(
                _g("builtins", "tuple"),
                _g("builtins", "tuple"),
                _list(_s(p), _filetype_instance()),
            )
            + b"R"
        )
    ),
    "NEWOBJ tuple(list)": lambda p: _asm(
        _ctor_called(_g("builtins", "tuple") + _tuple(_list(_s(p), _filetype_instance())) + b"\x81")
    ),
    "joblib walk: tuple((nested tuple,))": lambda p: _asm(
        _DTYPE_FIRST,
        _ctor_called(_g("builtins", "tuple") + _tuple(_tuple(_s(p), _filetype_instance())) + b"R"),
    ),
    "joblib walk: tuple(dict keys)": lambda p: _asm(
        _DTYPE_FIRST,
        _ctor_called(
            _g("builtins", "tuple")
            + _tuple(b"}(" + _s(p) + _i(0) + _filetype_instance() + _i(0) + b"u")
            + b"R"
        ),
    ),
    # autograd calls each of a tensor's backward hooks with the gradient at .backward()
    "torch backward hooks filled by SETITEMS": lambda p: _asm(
        _g("torch._utils", "_rebuild_tensor_v2"),
        _tuple(
            b"N",
            _i(0),
            _tuple(_i(1)),
            _tuple(_i(1)),
            b"\x89",
            _g("collections", "OrderedDict") + b")R(" + _i(0) + _filetype_instance() + b"u",
        ),
        b"R",
    ),
    "fast path: literal tuple": lambda p: _asm(
        _PAD, _ctor_called(_tuple(_s(p), _filetype_instance()))
    ),
    "fast path: list in a literal tuple": lambda p: _asm(
        _PAD,
        _g("copyreg", "_reconstructor"),
        _tuple(
            _g("builtins", "tuple"), _g("builtins", "tuple"), _list(_s(p), _filetype_instance())
        ),
        b"R",
        b"0",
        _ctor_called(_tuple(_s(p), _filetype_instance())),
    ),
}


@pytest.mark.parametrize("spelling", sorted(HIDDEN_CALLEE_SPELLINGS))
def test_callee_hidden_in_made_arguments_is_judged_as_called(spelling):
    from jupyterlab_warden.kernel.scan import scan_bytes

    report = scan_bytes(HIDDEN_CALLEE_SPELLINGS[spelling]("/tmp/never-written"))
    assert report.verdict == "dangerous", report
    (finding,) = [g for g in report.globals if g.name == "FileType"]
    assert "call" in finding.roles, finding


@pytest.mark.parametrize(
    "spelling", ["tuple(list)", "joblib walk: tuple(dict keys)", "fast path: literal tuple"]
)
def test_callee_hidden_in_made_arguments_is_refused(tmp_path, spelling):
    result = _proves_itself(tmp_path, HIDDEN_CALLEE_SPELLINGS[spelling])
    assert "argparse.FileType" in result["error"]
