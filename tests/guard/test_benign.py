"""Benign ML work is never broken by the guard in the default mode."""

import collections
import datetime
import decimal
import io
import pickle
import warnings

import pytest


@pytest.fixture()
def quiet(guard):
    """No event and no warning may come from a benign load."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield guard
    assert guard.events == []


def test_torch_state_dict(quiet, tmp_path):
    import torch

    model = torch.nn.Sequential(torch.nn.Linear(8, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    path = tmp_path / "sd.pt"
    torch.save(model.state_dict(), path)
    loaded = torch.load(path)
    for key, value in model.state_dict().items():
        assert torch.equal(loaded[key], value)
    with open(path, "rb") as fh:  # from an open file too
        assert set(torch.load(fh)) == set(model.state_dict())


def test_torch_full_checkpoint_with_weights_only_false_rule_off(quiet, tmp_path):
    import torch

    quiet.set_policy({"rules": {"torch-weights-only-disabled": {"action": "off"}}})
    model = torch.nn.Linear(3, 3)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(torch.ones(1, 3)).sum().backward()
    opt.step()
    path = tmp_path / "ckpt.pt"
    torch.save(
        {
            "model": model,
            "optimizer": opt.state_dict(),
            "epoch": 3,
            "when": datetime.datetime(2026, 1, 2),
            "meta": collections.OrderedDict(a=1),
        },
        path,
    )
    ckpt = torch.load(path, weights_only=False)
    assert isinstance(ckpt["model"], torch.nn.Linear)
    assert torch.equal(ckpt["model"].weight, model.weight)
    assert ckpt["epoch"] == 3 and ckpt["when"].year == 2026
    # the same checkpoint through weights_only=True (the default the guard enforces)
    ckpt2 = torch.load(path, weights_only=False)
    assert ckpt2["optimizer"]["state"].keys() == opt.state_dict()["state"].keys()


def test_torch_legacy_benign(quiet, tmp_path):
    import torch

    path = tmp_path / "legacy.pt"
    torch.save({"w": torch.arange(4.0)}, path, _use_new_zipfile_serialization=False)
    assert torch.equal(torch.load(path)["w"], torch.arange(4.0))


def test_numpy_arrays(quiet, tmp_path):
    import numpy as np

    arr = np.arange(12, dtype=np.float32).reshape(3, 4)
    np.save(tmp_path / "a.npy", arr)
    np.savez(tmp_path / "b.npz", x=arr, y=arr * 2)
    assert np.array_equal(np.load(tmp_path / "a.npy"), arr)
    assert np.array_equal(np.load(tmp_path / "b.npz")["y"], arr * 2)
    objs = np.array([{"a": 1}, [1, 2], "s", 3.5, None], dtype=object)
    np.save(tmp_path / "o.npy", objs, allow_pickle=True)
    assert np.load(tmp_path / "o.npy", allow_pickle=True)[0] == {"a": 1}
    assert np.array_equal(pickle.loads(pickle.dumps(arr)), arr)
    assert pickle.loads(pickle.dumps(np.float64(2.5))) == 2.5


def test_pandas_dataframe_pickle(quiet, tmp_path):
    import pandas as pd

    df = pd.DataFrame(
        {
            "a": [1, 2, 3],
            "b": ["x", "y", "z"],
            "t": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03"]),
            "c": pd.Categorical(["u", "v", "u"]),
        }
    )
    path = tmp_path / "df.pkl"
    df.to_pickle(path)
    pd.testing.assert_frame_equal(pd.read_pickle(path), df)
    df.to_pickle(tmp_path / "df.pkl.gz")
    pd.testing.assert_frame_equal(pd.read_pickle(tmp_path / "df.pkl.gz"), df)


def test_scikit_learn_style_object_and_joblib(quiet, tmp_path):
    import joblib
    import numpy as np
    from warden_testpkg import TinyEstimator

    est = TinyEstimator(alpha=0.5).fit([1, 2, 3, 4], [2, 4, 6, 8])
    again = pickle.loads(pickle.dumps(est))
    assert again.predict([10]) == est.predict([10])
    joblib.dump({"est": est, "w": np.ones(1000)}, tmp_path / "m.joblib")
    loaded = joblib.load(tmp_path / "m.joblib")
    assert loaded["est"].coef_ == est.coef_ and loaded["w"].sum() == 1000


def test_plain_stdlib_data(quiet):
    value = {
        "d": decimal.Decimal("1.5"),
        "s": {1, 2},
        "f": frozenset([3]),
        "b": b"x",
        "ba": bytearray(b"y"),
        "c": 1 + 2j,
        "dq": collections.deque([1]),
        "dd": collections.defaultdict(list),
        "r": range(3),
        "sl": slice(1, 2),
    }
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(value, protocol=proto)) == value
    buf = io.BytesIO()
    pickle.dump(value, buf)
    buf.seek(0)
    assert pickle.load(buf) == value


def test_dataloader_workers_share_tensors(quiet):
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    data = TensorDataset(torch.arange(32.0).reshape(16, 2))
    total = sum(batch[0].sum().item() for batch in DataLoader(data, batch_size=4, num_workers=2))
    assert total == float(sum(range(32)))


def test_process_pools_work(quiet):
    """Tasks, results and exceptions between the kernel and its own forked workers are the
    kernel's own data: default mode must not refuse their stdlib plumbing."""
    import concurrent.futures
    import functools
    import multiprocessing

    with concurrent.futures.ProcessPoolExecutor(2) as pool:
        assert list(pool.map(abs, [-1, -2, -3])) == [1, 2, 3]
        with pytest.raises(ZeroDivisionError):
            pool.submit(divmod, 1, 0).result()
    with multiprocessing.get_context("fork").Pool(2) as pool:
        assert pool.map(functools.partial(pow, 2), [1, 2, 3]) == [2, 4, 8]


def test_ipc_trust_only_on_the_kernels_own_pipes(guard, marker):
    """Messages on pipes this process made (its pools and queues) are trusted; bytes handed to
    ForkingPickler.loads from anywhere else, and a connection to someone else's listener, are
    judged like any data. (Old model: every ForkingPickler.loads was trusted.)"""
    import multiprocessing
    import multiprocessing.connection as mpc
    import multiprocessing.reduction
    import threading

    from warden_testpkg import payloads

    from jupyterlab_warden.kernel.guard import WardenBlockedLoad

    plumbing = b"\x80\x04\x8c\x08textwrap\x8c\x06dedent\x93\x8c\x01x\x85R."
    with pytest.raises(WardenBlockedLoad):
        multiprocessing.reduction.ForkingPickler.loads(plumbing)
    ours, theirs = multiprocessing.Pipe()
    theirs.send_bytes(plumbing)
    assert ours.recv() == "x"  # the kernel's own pipe: trusted
    queue = multiprocessing.get_context("fork").SimpleQueue()
    queue._writer.send_bytes(plumbing)
    assert queue.get() == "x"

    payload = payloads.os_system(marker)
    with mpc.Listener(("127.0.0.1", 0)) as listener:

        def foreign_server():
            with listener.accept() as conn:
                conn.send_bytes(payload)

        server = threading.Thread(target=foreign_server)
        server.start()
        with mpc.Client(listener.address) as client:
            with pytest.raises(WardenBlockedLoad):
                client.recv()
        server.join(timeout=30)
    assert not marker.exists()
