"""Fuzzing the scanner: random and mutated bytes never crash it or escape its verdicts."""

import io
import pickle
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jupyterlab_warden.kernel.scan import VERDICTS, scan_bytes
from jupyterlab_warden.kernel.scan.opcodes import scan_stream

SEEDS = [pickle.dumps({"a": [1, 2.5, "x", b"y", None, True]}, protocol=p) for p in range(6)] + [
    b"cos\nsystem\n(S'echo'\ntR.",
    b"\x80\x04\x8c\x05posix\x94\x8c\x06system\x94\x93\x8c\x01x\x85R.",
]


def _zip(member, data):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(member, data)
    return buf.getvalue()


SEEDS.append(_zip("archive/data.pkl", SEEDS[2]))
SEEDS.append(
    b"\x93NUMPY\x01\x00v\x00{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"
    + b" " * 50
    + b"\n"
    + SEEDS[2]
)


def _joblib_seed():
    import joblib
    import numpy as np

    buf = io.BytesIO()
    joblib.dump({"w": np.arange(6.0).reshape(2, 3), "o": np.array([{"a": 1}], dtype=object)}, buf)
    return buf.getvalue()


SEEDS.append(_joblib_seed())

FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(data):
    report = scan_bytes(data)
    assert report.verdict in VERDICTS
    for g in report.globals:
        assert isinstance(g.module, str) and isinstance(g.name, str)


@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes(data):
    _check(data)


@FUZZ
@given(
    st.sampled_from(SEEDS),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8),
    st.integers(0, 10_000),
)
def test_mutated_pickles(seed, flips, cut):
    data = bytearray(seed)
    for pos, value in flips:
        if data:
            data[pos % len(data)] = value
    _check(bytes(data[: max(1, cut % (len(data) + 1))]))


@FUZZ
@given(
    st.lists(
        st.sampled_from(
            sorted(set(bytes([b]) for b in b"()tl.]}aesdu0124\x85\x86\x87\x93\x94Rbh\x8c"))
        ),
        max_size=200,
    ),
    st.binary(max_size=4),
)
def test_opcode_soup(ops, tail):
    # sequences of structural opcodes stress the stack machine's MARK and memo handling
    data = b"\x80\x04" + b"".join(ops) + tail
    result = scan_stream(data)
    assert result.error is None or isinstance(result.error, str)


def test_valid_pickles_of_random_data_are_safe():
    @FUZZ
    @given(
        st.recursive(
            st.none()
            | st.booleans()
            | st.integers()
            | st.floats(allow_nan=False)
            | st.text(max_size=20)
            | st.binary(max_size=20),
            lambda kids: (
                st.lists(kids, max_size=4)
                | st.dictionaries(st.text(max_size=5), kids, max_size=4)
                | st.tuples(kids, kids)
            ),
            max_leaves=30,
        ),
        st.integers(0, pickle.HIGHEST_PROTOCOL),
    )
    def inner(value, protocol):
        report = scan_bytes(pickle.dumps(value, protocol=protocol))
        assert report.verdict == "safe", report

    inner()


@FUZZ
@given(
    st.sampled_from(SEEDS[:8]),
    st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8),
)
def test_dry_run_on_mutated_pickles_only_ever_returns_or_declines(seed, flips):
    # the C dry run (object-heavy streams) must never raise, never resolve a real global, and
    # when it answers, agree with the Python walk on which globals the stream names
    from jupyterlab_warden.kernel.scan.dryrun import dry_scan

    data = bytearray(seed)
    for pos, value in flips:
        if data:
            data[pos % len(data)] = value
    data = bytes(data)
    dry = dry_scan(data)
    if dry is None:
        return
    python = scan_stream(data)
    if python.error is None:
        assert {(g.module, g.name) for g in dry.globals} <= {
            (g.module, g.name) for g in python.globals
        }


def test_dry_run_never_runs_the_payload(tmp_path):
    from jupyterlab_warden.kernel.scan.dryrun import dry_scan

    marker = tmp_path / "PWNED"
    data = pickle.dumps(_Touch(str(marker)), protocol=2) + b""
    result = dry_scan(data)
    assert not marker.exists()
    assert result is not None
    [ref] = [g for g in result.globals if g.name == "system"]
    assert ref.roles & 1  # CALL


class _Touch:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        import os

        return os.system, (f"touch {self.path}",)
