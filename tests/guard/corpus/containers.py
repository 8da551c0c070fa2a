"""Write a payload into the file formats real loaders read, the way an attacker would.

Each writer takes an ``asm`` expression (or whole pickle bytes) and a path, writes one file, and
never loads anything. Library files are made by the libraries themselves (torch.save,
joblib.dump) with the payload's opcodes spliced in where an object would be pickled.
"""

import bz2
import contextlib
import dbm
import gzip
import io
import lzma
import pickle
import pickletools
import struct
import tarfile
import zipfile

import asm


class Embedded:
    """Stands in an object graph; pickled as the payload's opcodes."""

    def __init__(self, expr):
        self.ops = asm.body(expr)


class EmbedPickler(pickle._Pickler):
    """The pure-Python pickler, writing ``Embedded`` objects as raw opcodes."""

    def save(self, obj, save_persistent_id=True):
        if isinstance(obj, Embedded):
            self.write(obj.ops)
            return
        super().save(obj, save_persistent_id)


class _EmbedPickleModule:
    """What torch.save needs of a pickle module."""

    __name__ = "pickle"
    Pickler = EmbedPickler
    Unpickler = pickle.Unpickler
    load = staticmethod(pickle.load)

    @staticmethod
    def dump(obj, fh, protocol=None):
        EmbedPickler(fh, protocol=protocol).dump(obj)


def _checkpoint(expr):
    import torch

    return {"epoch": 3, "weights": torch.arange(6.0).reshape(2, 3), "extra": Embedded(expr)}


def write_bytes(path, data):
    with open(path, "wb") as fh:
        fh.write(data)


def write_pickle(path, expr):
    write_bytes(path, asm.dumps(expr))


def write_big_pickle(path, expr, size=1_200_000):
    """A plain pickle over 1 MB: a large bytes value first, the payload after it."""
    write_bytes(path, asm.dumps(asm.Seq(bytes(size), expr)))


def write_long_first_line(path, expr, width=70_000):
    """Protocol 0 whose first line (a UNICODE string) is over 64 KB, the payload after it."""
    write_bytes(path, asm.dumps(asm.Seq("A" * width, expr), proto=0))


def write_torch_zip(path, expr):
    import torch

    torch.save(_checkpoint(expr), path, pickle_module=_EmbedPickleModule, pickle_protocol=4)


def write_torch_legacy(path, expr):
    import torch

    torch.save(
        _checkpoint(expr),
        path,
        pickle_module=_EmbedPickleModule,
        pickle_protocol=4,
        _use_new_zipfile_serialization=False,
    )


def _first_pickles(data, count=2):
    """(start, end) of the first ``count`` pickles of a legacy torch file (magic number and
    protocol version), found by walking opcodes: nothing is unpickled."""
    bounds, start = [], 0
    for _ in range(count):
        for opcode, _arg, pos in pickletools.genops(data[start:]):
            if opcode.name == "STOP":
                end = start + pos + 1
                break
        bounds.append((start, end))
        start = end
    return bounds


def write_torch_legacy_p0_then_payload(path, expr):
    """A legacy torch file whose 2nd pickle (the protocol version) is protocol 0 text; the
    payload sits in the main pickle after it."""
    import torch

    buf = io.BytesIO()
    torch.save(
        _checkpoint(expr),
        buf,
        pickle_module=_EmbedPickleModule,
        pickle_protocol=4,
        _use_new_zipfile_serialization=False,
    )
    data = buf.getvalue()
    _, (v0, v1) = _first_pickles(data)
    version = pickle.loads(data[v0:v1])  # torch's own protocol-version int
    write_bytes(path, data[:v0] + pickle.dumps(version, protocol=0) + data[v1:])


def write_torch_legacy_p0_second(path, expr_p0):
    """A legacy torch file whose 2nd pickle is the payload, in protocol 0; it evaluates to the
    protocol version torch expects, so the load would go on."""
    import torch

    buf = io.BytesIO()
    torch.save({"w": torch.zeros(2)}, buf, _use_new_zipfile_serialization=False)
    data = buf.getvalue()
    _, (v0, v1) = _first_pickles(data)
    version = pickle.loads(data[v0:v1])  # torch's own protocol-version int
    payload = asm.dumps(asm.Seq(expr_p0, version), proto=0)
    write_bytes(path, data[:v0] + payload + data[v1:])


def write_torch_legacy_tar(path, expr):
    """torch's oldest layout: a tar of 'storages', 'tensors' and 'pickle' members."""
    members = {
        "sys_info": pickle.dumps({"protocol_version": 1001, "little_endian": True}, protocol=2),
        "storages": pickle.dumps(0, protocol=2) + pickle.dumps([], protocol=2),
        "tensors": pickle.dumps(0, protocol=2),
        "pickle": asm.dumps({"epoch": 3, "extra": asm.Raw(asm.body(expr))}),
    }
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        for name, blob in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))


def _npy_header():
    header = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"
    header = header + " " * (63 - (10 + len(header)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1")


def write_npy(path, expr):
    """An object-array .npy: numpy's header, then the pickle numpy.load hands to pickle.load."""
    write_bytes(path, _npy_header() + asm.dumps(expr))


def write_npz(path, expr, member="arr_0.npy"):
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("weights.npy", _plain_npy())
        zf.writestr(member, _npy_header() + asm.dumps(expr))


def _plain_npy():
    import numpy as np

    buf = io.BytesIO()
    np.save(buf, np.arange(4.0))
    return buf.getvalue()


@contextlib.contextmanager
def _joblib_embedding():
    from joblib import numpy_pickle

    original = numpy_pickle.NumpyPickler.save

    def save(self, obj):
        if isinstance(obj, Embedded):
            self.write(obj.ops)
            return None
        return original(self, obj)

    numpy_pickle.NumpyPickler.save = save
    try:
        yield
    finally:
        numpy_pickle.NumpyPickler.save = original


def write_joblib(path, expr, compress):
    """joblib.dump with numpy arrays (written raw between opcodes) around the payload."""
    import joblib
    import numpy as np

    obj = {"coef": np.arange(12.0).reshape(3, 4), "extra": Embedded(expr), "bias": np.ones(3)}
    with _joblib_embedding():
        joblib.dump(obj, path, compress=(compress, 3) if compress else 0)


def write_pandas(path, expr, compression):
    """What pandas.read_pickle(path, compression=...) decompresses: the payload's pickle."""
    data = asm.dumps(expr)
    if compression is None:
        write_bytes(path, data)
    elif compression == "gzip":
        write_bytes(path, gzip.compress(data))
    elif compression == "bz2":
        write_bytes(path, bz2.compress(data))
    elif compression == "xz":
        write_bytes(path, lzma.compress(data))
    elif compression == "zip":
        # pandas reads the single member whatever its name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("README.txt", data)
    elif compression == "zstd":
        import zstandard

        write_bytes(path, zstandard.ZstdCompressor().compress(data))
    elif compression == "tar":
        with tarfile.open(path, "w") as tar:
            info = tarfile.TarInfo("frame.bin")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    else:
        raise ValueError(compression)


def write_shelve(path, expr):
    """A shelve database whose 'model' entry is the payload (shelve unpickles on access)."""
    with dbm.open(path, "n") as db:
        db[b"config"] = pickle.dumps({"lr": 0.1})
        db[b"model"] = asm.dumps(expr)
