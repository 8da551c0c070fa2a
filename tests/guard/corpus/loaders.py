"""How each loader of the corpus reads a file: the calls a user's code really makes."""

import os
import pickle
import subprocess
import sys

# A foreign peer: a multiprocessing Listener in another (unguarded) process that sends the
# file's bytes as one message to whoever connects. Not a pool or queue of the kernel.
_PEER = r"""
import sys
from multiprocessing.connection import Listener
data = open(sys.argv[1], "rb").read()
with Listener(("127.0.0.1", 0), authkey=b"corpus") as listener:
    print(listener.address[1], flush=True)
    with listener.accept() as conn:
        conn.send_bytes(data)
        conn.poll(30)
"""


def _read(path):
    with open(path, "rb") as fh:
        return fh.read()


def _pickle_load(path):
    with open(path, "rb") as fh:
        return pickle.load(fh)


def _c_pickle_load(path):
    import _pickle

    with open(path, "rb") as fh:
        return _pickle.load(fh)


def _py_unpickler(path):
    with open(path, "rb") as fh:
        return pickle._Unpickler(fh).load()


def _torch_load(path):
    import torch

    # weights_only=False: how a user loads a whole checkpoint they trust
    return torch.load(path, weights_only=False)


def _torch_load_weights_only(path):
    import torch

    # the default since torch 2.6: what a user's plain torch.load(path) does
    return torch.load(path, weights_only=True)


def _numpy_load(path):
    import numpy as np

    return np.load(path, allow_pickle=True)


def _numpy_load_npz(path):
    import numpy as np

    with np.load(path, allow_pickle=True) as archive:
        return {name: archive[name] for name in archive.files}


def _joblib_load(path):
    import joblib

    return joblib.load(path)


def _pandas(compression):
    def load(path):
        import pandas as pd

        return pd.read_pickle(path, compression=compression)

    return load


def _dill_load(path):
    import dill

    with open(path, "rb") as fh:
        return dill.load(fh)


def _cloudpickle_load(path):
    import cloudpickle

    with open(path, "rb") as fh:
        return cloudpickle.load(fh)


def _shelve(path):
    import shelve

    with shelve.open(path, flag="r") as db:
        return {key: db[key] for key in sorted(db.keys())}


def _mp_connection_recv(path):
    from multiprocessing.connection import Client

    peer = subprocess.Popen(
        [sys.executable, "-c", _PEER, path], stdout=subprocess.PIPE, env=dict(os.environ)
    )
    try:
        port = int(peer.stdout.readline())
        with Client(("127.0.0.1", port), authkey=b"corpus") as conn:
            return conn.recv()
    finally:
        peer.kill()
        peer.wait()


def _pool_worker_load(path):
    """Loaded in a worker of the kernel's own pool; the result comes back over the pool's pipe
    (ForkingPickler), the IPC the guard trusts only for connections its pools made."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(_pickle_load, (path,))


LOADERS = {
    "pickle.load": _pickle_load,
    "pickle.loads": lambda p: pickle.loads(_read(p)),
    "_pickle.load": _c_pickle_load,
    "_pickle.loads": lambda p: __import__("_pickle").loads(_read(p)),
    "pickle._Unpickler": _py_unpickler,
    "torch.load": _torch_load,
    "torch.load:weights_only": _torch_load_weights_only,
    "numpy.load": _numpy_load,
    "numpy.load:npz": _numpy_load_npz,
    "joblib.load": _joblib_load,
    "pandas.read_pickle": _pandas("infer"),
    "pandas.read_pickle:gzip": _pandas("gzip"),
    "pandas.read_pickle:bz2": _pandas("bz2"),
    "pandas.read_pickle:xz": _pandas("xz"),
    "pandas.read_pickle:zip": _pandas("zip"),
    "pandas.read_pickle:tar": _pandas("tar"),
    "pandas.read_pickle:zstd": _pandas("zstd"),
    "dill.load": _dill_load,
    "cloudpickle.load": _cloudpickle_load,
    "shelve": _shelve,
    "mp.connection.recv": _mp_connection_recv,
    "mp.pool": _pool_worker_load,
}
