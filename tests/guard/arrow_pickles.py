"""pandas DataFrames with pyarrow-backed columns, pickled by pandas and pyarrow themselves, and a
crafted pickle that calls the same ``pyarrow.lib._restore_array`` with a layout its buffers do
not hold. Run as a script in a fresh interpreter whose path holds pyarrow (kept out of the
shared environment: with pyarrow importable, pandas 3 pickles every string column through it):

    python arrow_pickles.py OUT plain -> {check: outcome} (no Warden)
    python arrow_pickles.py OUT guard -> {check: outcome} (the guard installed first)

The crafted array declares one binary value of ``LEAK`` bytes over a 2-byte data buffer: reading
it without Warden returns ``LEAK`` bytes of process memory the pickle never held.
"""

import datetime
import decimal
import json
import os
import pickle
import sys

LEAK = 256


def frames():
    import pandas as pd
    import pyarrow as pa

    return {
        "strings": pd.DataFrame({"s": ["a", "b", None], "i": [1, 2, 3]}),
        "arrow": pd.DataFrame(
            {
                "int": pd.array([1, None], dtype="int64[pyarrow]"),
                "str": pd.array(["x", None], dtype="string[pyarrow]"),
                "ts": pd.array([pd.Timestamp("2024-01-01", tz="UTC"), None],
                               dtype=pd.ArrowDtype(pa.timestamp("us", tz="UTC"))),
                "dec": pd.array([decimal.Decimal("1.5"), None],
                                dtype=pd.ArrowDtype(pa.decimal128(5, 2))),
                "date": pd.array([datetime.date(2024, 1, 1), None],
                                 dtype=pd.ArrowDtype(pa.date32())),
                "list": pd.array([[1, 2], None], dtype=pd.ArrowDtype(pa.list_(pa.int64()))),
                "struct": pd.array([{"a": 1}, None],
                                   dtype=pd.ArrowDtype(pa.struct([("a", pa.int64())]))),
            }
        ),
    }  # fmt: skip


class _Crafted:
    """Pickles as pyarrow.lib._restore_array((binary, 1 value, offsets 0..LEAK, 2 bytes))."""

    def __reduce__(self):
        import pyarrow as pa
        import pyarrow.lib

        offsets = pa.py_buffer(bytearray((0).to_bytes(4, "little") + LEAK.to_bytes(4, "little")))
        data = pa.py_buffer(bytearray(b"ok"))
        layout = (pa.binary(), 1, 0, 0, [None, offsets, data], [], None)
        return pyarrow.lib._restore_array, (layout,)


def build(out):
    for name, frame in frames().items():
        with open(os.path.join(out, name + ".pkl"), "wb") as fh:
            pickle.dump(frame, fh)
    with open(os.path.join(out, "crafted.pkl"), "wb") as fh:
        pickle.dump(_Crafted(), fh)


def plain(out):
    build(out)
    with open(os.path.join(out, "crafted.pkl"), "rb") as fh:
        array = pickle.load(fh)
    value = array[0].as_py()  # the out-of-bounds read
    return {"crafted read bytes": len(value), "crafted pickle bytes": os.path.getsize(
        os.path.join(out, "crafted.pkl"))}  # fmt: skip


def guarded(out):
    from jupyterlab_warden.kernel import guard

    guard.install()
    import pandas as pd
    import pyarrow.lib

    result = {}

    def attempt(name, call):
        try:
            value = call()
            result[name] = "loaded"
            return value
        except guard.WardenBlockedLoad as exc:
            result[name] = "blocked:" + exc.rule_id
            result[name + " evidence"] = exc.event.get("evidence", {})
        except ValueError as exc:
            result[name] = "error:" + str(exc)[:200]
        return None

    expected = frames()
    for name in expected:
        frame = attempt(name, lambda n=name: pd.read_pickle(os.path.join(out, n + ".pkl")))
        result[name + " equal"] = frame is not None and frame.equals(expected[name])
    with open(os.path.join(out, "crafted.pkl"), "rb") as fh:
        crafted = fh.read()
    attempt("crafted", lambda: pickle.loads(crafted))
    # pickling under the guard still names the same global: same bytes as pyarrow's own
    result["repickled same"] = pickle.dumps(expected["strings"]) == pickle.dumps(
        pd.read_pickle(os.path.join(out, "strings.pkl"))
    )
    # the name admits only the guard's wrapper: put the real function back and it is refused
    wrapper = pyarrow.lib._restore_array
    pyarrow.lib._restore_array = wrapper.__warden_original__
    attempt("strings unwrapped", lambda: pd.read_pickle(os.path.join(out, "strings.pkl")))
    pyarrow.lib._restore_array = wrapper
    return result


if __name__ == "__main__":
    out, step = sys.argv[1], sys.argv[2]
    print(json.dumps({"plain": plain, "guard": guarded}[step](out)))
