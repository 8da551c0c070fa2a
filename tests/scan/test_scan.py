"""The opcode scanner: verdicts on real malicious and benign files, containers, CLI."""

import io
import json
import os
import pickle
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from warden_testpkg import payloads

from jupyterlab_warden.kernel.scan import DANGEROUS, ERROR, SAFE, SUSPICIOUS, scan_bytes, scan_file
from jupyterlab_warden.kernel.scan.__main__ import main

REPO = Path(__file__).resolve().parents[2]

EXPECTED = {
    "os.system p0": ["posix.system"],
    "os.system p2": ["posix.system"],
    "os.system p5": ["posix.system"],
    "builtins.exec": ["builtins.exec"],
    "subprocess.call": ["subprocess.call"],
    "runpy.run_path": ["runpy.run_path"],
    "nested pickle.loads": ["_pickle.loads", "posix.system"],
    "stack_global memo": ["posix.system"],
    "stack_global computed": ["<computed>.system"],
    "protocol 0 text": ["os.system"],
    "dup trick": ["posix.system"],
    "dotted path through a module": ["warden_testpkg.payloads.os.system"],
}


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_malicious_pickles_are_dangerous(tmp_path, case):
    data = payloads.all_bytes_payloads(tmp_path / "m", tmp_path)[case]
    report = scan_file(payloads.save_to(data, tmp_path / "x.pkl"))
    assert report.verdict == DANGEROUS
    assert report.dangerous_globals() == EXPECTED[case]


def test_reexport_in_the_users_module(tmp_path):
    # 'warden_testpkg.gadget' is the user's own module (outside site-packages). The scanner reads
    # its source (nothing imported): run_command is bound by 'from os import system', so it is
    # judged as os.system - dangerous. run_assigned is bound by an assignment: only resolving
    # it (the kernel guard) shows what it is - suspicious. Strict mode: dangerous both.
    assert scan_bytes(payloads.reexport(tmp_path / "m")).verdict == DANGEROUS
    assigned = payloads.reexport(tmp_path / "m", "run_assigned")
    report = scan_bytes(assigned)
    assert report.verdict == SUSPICIOUS
    assert report.globals[0].reason == "user-code-needs-resolution"
    strict = __import__("jupyterlab_warden.kernel.scan.decide", fromlist=["x"]).GlobalPolicy(
        "strict"
    )
    assert scan_bytes(assigned, policy=strict).verdict == DANGEROUS


def test_installed_third_party_function_called_is_dangerous():
    # a function of an installed, non-curated package that the pickle calls: no allow list
    # vouches for it, so the call is dangerous (new model: default-deny for calls)
    data = b"\x80\x04\x8c\x06pytest\x8c\x04main\x93\x8c\x01x\x85R."
    report = scan_bytes(data)
    assert report.verdict == DANGEROUS
    assert report.globals[0].reason == "not-curated-callable"


def test_torch_files(tmp_path):
    import torch

    payloads.torch_zip(tmp_path / "m", tmp_path / "evil.pt")
    payloads.torch_legacy(tmp_path / "m", tmp_path / "evil_legacy.pt")
    torch.save(torch.nn.Linear(3, 2).state_dict(), tmp_path / "sd.pt")
    torch.save({"model": torch.nn.Linear(3, 2), "epoch": 1}, tmp_path / "ckpt.pt")
    torch.save({"w": torch.ones(3)}, tmp_path / "legacy.pt", _use_new_zipfile_serialization=False)
    evil = scan_file(str(tmp_path / "evil.pt"))
    assert (evil.verdict, evil.format) == (DANGEROUS, "torch-zip")
    assert evil.globals[-1].where.endswith("data.pkl")
    legacy = scan_file(str(tmp_path / "evil_legacy.pt"))
    assert (legacy.verdict, legacy.format) == (DANGEROUS, "legacy-torch")
    for name in ("sd.pt", "ckpt.pt", "legacy.pt"):
        report = scan_file(str(tmp_path / name))
        assert report.verdict == SAFE, report
        assert "torch._utils._rebuild_tensor_v2" in {g.qualified for g in report.globals}


def test_torchscript_archive_is_flagged(tmp_path):
    import torch

    torch.jit.save(torch.jit.script(torch.nn.Linear(2, 2)), str(tmp_path / "ts.pt"))
    report = scan_file(str(tmp_path / "ts.pt"))
    assert report.verdict in (SUSPICIOUS, DANGEROUS)
    assert any("TorchScript" in n for n in report.notes)


def _zip_with(tmp_path, entries, name="odd.pt", compression=zipfile.ZIP_STORED):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for member, data in entries.items():
            zf.writestr(member, data)
    return path


def test_zip_oddities(tmp_path):
    evil = payloads.os_system(tmp_path / "m", 2)
    benign = pickle.dumps({"a": 1})
    # deflated, in an unusual folder, not named data.pkl, and a nested zip
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("archive/data.pkl", evil)
    cases = {
        "deflated": _zip_with(tmp_path, {"archive/data.pkl": evil}, "d.pt", zipfile.ZIP_DEFLATED),
        "other folder": _zip_with(
            tmp_path, {"a/b/c/data.pkl": benign, "x/y/extra.pkl": evil}, "f.pt"
        ),
        "unnamed pickle": _zip_with(tmp_path, {"archive/weights": evil}, "u.pt"),
        "nested zip": _zip_with(tmp_path, {"outer/model.zip": inner.getvalue()}, "n.zip"),
    }
    for label, path in cases.items():
        report = scan_file(str(path))
        assert report.verdict == DANGEROUS, label
        assert report.dangerous_globals() == ["posix.system"], label


def _patch_zip(path, transform):
    data = bytearray(path.read_bytes())
    transform(data)
    path.write_bytes(bytes(data))


def test_zip_entry_that_pythons_zipfile_refuses(tmp_path):
    evil = payloads.os_system(tmp_path / "m", 2)
    enc = _zip_with(tmp_path, {"archive/data.pkl": evil}, "enc.pt")

    def set_encrypted_flag(data):  # flag bit 0 in local and central headers
        for sig, off in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            pos = data.find(sig)
            data[pos + off] |= 1

    _patch_zip(enc, set_encrypted_flag)
    crc = _zip_with(tmp_path, {"archive/data.pkl": evil}, "crc.pt")

    def break_crc(data):
        for sig, off in ((b"PK\x03\x04", 14), (b"PK\x01\x02", 16)):
            pos = data.find(sig)
            data[pos + off : pos + off + 4] = b"\0\0\0\0"

    _patch_zip(crc, break_crc)
    for path in (enc, crc):
        report = scan_file(str(path))
        assert report.verdict == DANGEROUS, (path, report)


def test_numpy_files(tmp_path):
    import numpy as np

    payloads.npy_object_array(tmp_path / "m", tmp_path / "evil.npy")
    np.save(tmp_path / "ok.npy", np.arange(5))
    np.save(tmp_path / "objs.npy", np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
    np.savez(tmp_path / "ok.npz", a=np.arange(3), b=np.ones(2))
    with zipfile.ZipFile(tmp_path / "evil.npz", "w") as zf:
        zf.write(tmp_path / "evil.npy", "evil.npy")
    assert scan_file(str(tmp_path / "evil.npy")).dangerous_globals() == ["posix.system"]
    assert scan_file(str(tmp_path / "evil.npz")).verdict == DANGEROUS
    assert scan_file(str(tmp_path / "ok.npy")).verdict == SAFE
    assert scan_file(str(tmp_path / "objs.npy")).verdict == SAFE
    ok_npz = scan_file(str(tmp_path / "ok.npz"))
    assert (ok_npz.verdict, ok_npz.format) == (SAFE, "npz")


def test_pandas_and_compressed(tmp_path):
    import pandas as pd

    df = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    for suffix in (".pkl", ".pkl.gz", ".pkl.bz2", ".pkl.xz"):
        df.to_pickle(tmp_path / ("df" + suffix))
        assert scan_file(str(tmp_path / ("df" + suffix))).verdict == SAFE, suffix
    import gzip

    evil = tmp_path / "evil.pkl.gz"
    evil.write_bytes(gzip.compress(payloads.os_system(tmp_path / "m")))
    assert scan_file(str(evil)).verdict == DANGEROUS


def test_called_stdlib_function_is_dangerous_but_a_data_class_value_is_not():
    # new model: any refused global the pickle calls is dangerous (old model: suspicious)
    report = scan_bytes(b"\x80\x04\x8c\x08textwrap\x8c\x06dedent\x93\x8c\x01x\x85R.")
    assert report.verdict == DANGEROUS
    assert report.globals[0].roles == ["call", "value"]
    value_only = scan_bytes(b"\x80\x04\x8c\x0bcollections\x8c\x08ChainMap\x93.")
    assert value_only.verdict == SAFE


@pytest.mark.parametrize(
    "data,needle",
    [
        (b"", "empty"),
        (b"\x80\x04\x8c\x02os", "truncated"),
        (b"\x80\x04\x8e" + struct.pack("<Q", 2**62) + b"x.", "claims"),
        (b"\xff\xfe\xfd", "unknown opcode"),
        (b"\x80\x04h\x07.", "never stored"),
        (b"\x80\x04t.", "MARK"),
        (b"\x80\x04" + b"(" * 100 + b".", ""),
    ],
)
def test_corrupt_input_gives_error_verdict(tmp_path, data, needle):
    path = tmp_path / "bad.pkl"
    path.write_bytes(data)
    report = scan_file(str(path))
    assert report.verdict == ERROR
    assert needle in " ".join(report.errors)


def test_missing_file_and_directory_are_errors(tmp_path):
    assert scan_file(str(tmp_path / "nope")).verdict == ERROR
    assert scan_file(str(tmp_path)).verdict == ERROR


def test_cli_exit_codes_and_json(tmp_path, capsys):
    good = payloads.save_to(pickle.dumps([1, 2]), tmp_path / "good.pkl")
    bad = payloads.save_to(payloads.os_system(tmp_path / "m"), tmp_path / "bad.pkl")
    assert main([good]) == 0
    assert "SAFE" in capsys.readouterr().out
    assert main(["--format", "json", good, bad]) == 1
    out = json.loads(capsys.readouterr().out)
    assert [r["verdict"] for r in out] == ["safe", "dangerous"]
    assert out[1]["globals"][0]["module"] == "posix"
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["--format", "xml", good])
    assert info.value.code == 2


def test_cli_as_module(tmp_path):
    bad = payloads.save_to(payloads.protocol0_text(tmp_path / "m"), tmp_path / "bad.pkl")
    out = subprocess.run(
        [sys.executable, "-m", "jupyterlab_warden.kernel.scan", bad],
        capture_output=True,
        text=True,
        cwd=str(REPO),
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )
    assert out.returncode == 1
    assert "DANGEROUS" in out.stdout and "os.system" in out.stdout


def test_at_least_picklescans_detections(tmp_path):
    """Every global picklescan calls dangerous in these files, we call dangerous too."""
    from picklescan.scanner import SafetyLevel, scan_file_path

    files = []
    for case, data in payloads.all_bytes_payloads(tmp_path / "m", tmp_path).items():
        files.append(payloads.save_to(data, tmp_path / f"{len(files)}.pkl"))
    payloads.torch_zip(tmp_path / "m", tmp_path / "evil.pt")
    payloads.npy_object_array(tmp_path / "m", tmp_path / "evil.npy")
    files += [str(tmp_path / "evil.pt"), str(tmp_path / "evil.npy")]
    for path in files:
        theirs = scan_file_path(path)
        their_dangerous = {
            f"{g.module}.{g.name}" for g in theirs.globals if g.safety == SafetyLevel.Dangerous
        }
        ours = scan_file(path)
        ours_flagged = {g.qualified for g in ours.globals if g.verdict != SAFE}
        if their_dangerous:
            assert ours.verdict == DANGEROUS, path
        for name in their_dangerous:
            assert name in ours_flagged or "unknown" in name, (path, name)


def test_joblib_files_with_raw_arrays(tmp_path):
    import joblib
    import numpy as np

    benign = {
        "w": np.ones((50, 40)),
        "i": np.arange(7),
        "u": np.array(["ab", "c"]),
        "t": np.array(["2026-01-01"], dtype="M8[D]"),
        "c": np.ones(3, dtype=complex),
        "o": np.array([{"a": 1}, None], dtype=object),
        "n": 5,
    }
    joblib.dump(benign, tmp_path / "ok.joblib")
    joblib.dump(benign, tmp_path / "ok.z", compress=3)
    joblib.dump(benign, tmp_path / "ok2.joblib", protocol=2)
    for name in ("ok.joblib", "ok.z", "ok2.joblib"):
        report = scan_file(str(tmp_path / name))
        assert (report.verdict, report.errors) == (SAFE, []), name
    evil = np.empty(2, dtype=object)
    evil[0] = payloads._Reduce(os.system, (f"touch {tmp_path / 'm'}",))
    joblib.dump({"before": np.ones(4), "evil": evil, "after": np.zeros(2)}, tmp_path / "e.joblib")
    report = scan_file(str(tmp_path / "e.joblib"))
    assert report.verdict == DANGEROUS
    assert report.dangerous_globals() == ["posix.system"]


def test_memory_stays_bounded_on_large_payloads(tmp_path):
    import tracemalloc

    big = tmp_path / "big.pkl"
    blob = os.urandom(1024) * (64 * 1024)  # 64 MiB of bytes inside the pickle
    with open(big, "wb") as fh:
        pickle.dump({"blob": blob, "n": 1}, fh, protocol=4)
    del blob
    tracemalloc.start()
    report = scan_file(str(big))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert report.verdict == SAFE
    assert peak < 4 * 1024 * 1024  # payload skipped by offset on an mmap, never copied


def _legacy_tar(path, storage_record):
    import tarfile

    import torch

    storages = (
        pickle.dumps(2, protocol=2)
        + pickle.dumps(("0", "cpu", torch.FloatStorage), protocol=2)
        + struct.pack("<q", 4)
        + b"\0" * 16
        + storage_record
        + struct.pack("<q", 2)
        + b"\0" * 16
        + pickle.dumps([], protocol=2)
    )
    tensors = (
        pickle.dumps(1, protocol=2)
        + pickle.dumps(("1", "0", torch.FloatTensor), protocol=2)
        + struct.pack("<i", 1)
        + b"\0" * 4
        + struct.pack("<qqq", 4, 1, 0)
    )
    members = {
        "sys_info": pickle.dumps({"protocol_version": 1001}, protocol=2),
        "storages": storages,
        "tensors": tensors,
        "pickle": pickle.dumps({"w": 1}, protocol=2),
    }
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for name, blob in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
    return str(path)


def test_torch_legacy_tar_every_record_is_scanned(tmp_path):
    import torch

    good = pickle.dumps(("1", "cpu", torch.DoubleStorage), protocol=2)
    report = scan_file(_legacy_tar(tmp_path / "good.tar", good))
    assert report.verdict == SAFE and report.format == "torch-legacy-tar", report
    assert {g.qualified for g in report.globals} == {
        "torch.FloatStorage",
        "torch.DoubleStorage",
        "torch.FloatTensor",
    }
    # the second storage's record is a payload (after the first storage's raw bytes)
    evil = b"\x80\x02cposix\nsystem\nX\x04\x00\x00\x00trueq\x00\x85R."
    report = scan_file(_legacy_tar(tmp_path / "evil.tar", evil))
    assert report.verdict == DANGEROUS
    assert report.dangerous_globals() == ["posix.system"]


def _call_pickle(module: str, name: str, arg: bytes) -> bytes:
    """``module.name(arg)`` as pandas 3 pickles pyarrow pieces (STACK_GLOBAL, one argument)."""

    def text(s: bytes) -> bytes:
        return b"\x8c" + bytes([len(s)]) + s

    return b"\x80\x04" + text(module.encode()) + text(name.encode()) + b"\x93" + arg + b"\x85R."


@pytest.mark.parametrize(
    ("name", "arg", "safe"),
    [
        ("type_for_alias", b"\x8c\x05int64", True),  # a fixed alias table lookup
        ("py_buffer", b"C\x04abcd", True),  # wraps bytes
        # builds an array from unchecked lengths: reads memory out of bounds - not curated
        # (dangerous without pyarrow, suspicious when the judge finds it installed)
        ("_restore_array", b"\x8c\x05int64", False),
    ],
)
def test_pyarrow_pieces_of_a_pandas_pickle(name, arg, safe):
    assert (scan_bytes(_call_pickle("pyarrow.lib", name, arg)).verdict == SAFE) is safe
