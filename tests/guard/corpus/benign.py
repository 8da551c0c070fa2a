"""The benign corpus: real artifacts made by the real libraries, each rebuilt deterministically
so a loaded copy can be compared with the original (``same``).

``BUILDERS`` maps a file id to a ``Benign`` (loader, file suffix, how to make the object, how
to write it); ``build(workdir)`` writes them all and returns the runner's manifest.
"""

import array
import collections
import dataclasses
import datetime
import decimal
import fractions
import ipaddress
import math
import os
import pathlib
import pickle
import shelve
import types
import uuid
from collections import namedtuple

import zoneinfo

Benign = namedtuple("Benign", "fid loader suffix make write")


# --- writers ---


def _pickle_writer(protocol):
    def write(obj, path):
        with open(path, "wb") as fh:
            pickle.dump(obj, fh, protocol=protocol)

    return write


def _torch_writer(legacy=False):
    def write(obj, path):
        import torch

        torch.save(obj, path, _use_new_zipfile_serialization=not legacy)

    return write


def _joblib_writer(compress):
    def write(obj, path):
        import joblib

        joblib.dump(obj, path, compress=(compress, 3) if compress else 0)

    return write


def _pandas_writer(compression):
    def write(obj, path):
        obj.to_pickle(path, compression=compression)

    return write


def _npy_write(obj, path):
    import numpy as np

    np.save(path, obj, allow_pickle=True)


def _npz_write(obj, path):
    import numpy as np

    np.savez(path, **obj)


def _dill_write(obj, path):
    import dill

    with open(path, "wb") as fh:
        dill.dump(obj, fh)


def _cloudpickle_write(obj, path):
    import cloudpickle

    with open(path, "wb") as fh:
        cloudpickle.dump(obj, fh)


def _shelve_write(obj, path):
    with shelve.open(path, flag="n") as db:
        db.update(obj)


# --- torch ---


def warm_up():
    """Import what the builders use and take one optimizer step (torch imports lazily there)."""
    import sklearn.ensemble  # noqa: F401
    import sklearn.pipeline  # noqa: F401
    import torch

    param = torch.nn.Parameter(torch.ones(1))
    opt = torch.optim.AdamW([param])
    param.sum().backward()
    opt.step()


def _net():
    import torch
    import user_models

    torch.manual_seed(0)
    net = user_models.TinyNet()
    net.eval()
    return net


def _trained():
    """A model, optimizer and scheduler after two real training steps."""
    import torch
    import user_models

    torch.manual_seed(1)
    net = user_models.TinyNet()
    opt = torch.optim.AdamW(net.parameters(), lr=0.01, weight_decay=0.1)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=10)
    for _ in range(2):
        loss = net(torch.ones(2, 1, 6, 6)).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    return net, opt, sched


def t_state_dict():
    return _net().state_dict()


def t_adamw_state():
    return _trained()[1].state_dict()


def t_sgd_momentum_state():
    import torch

    torch.manual_seed(2)
    model = torch.nn.Linear(4, 3)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    for _ in range(2):
        opt.zero_grad()
        model(torch.ones(2, 4)).sum().backward()
        opt.step()
    return opt.state_dict()


def t_full_checkpoint():
    import torch
    import user_models

    net, opt, sched = _trained()
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=2)
    torch.manual_seed(5)
    return {
        "model": net.state_dict(),
        "optimizer": opt.state_dict(),
        "scheduler": sched.state_dict(),
        "plateau": plateau.state_dict(),
        "epoch": 7,
        "config": user_models.TrainConfig(lr=0.02, tags=("a", "b")),
        "phase": user_models.Phase.TRAIN,
        "split": user_models.DataSplit("val", 0.1),
        "torch_rng": torch.get_rng_state(),
        "best": {"loss": 0.25, "at": datetime.datetime(2026, 11, 1, 12, 0)},
    }


def t_whole_module():
    return _net()


def t_tensor_kinds():
    import torch

    base = torch.arange(12, dtype=torch.float32)
    return {
        "bf16": torch.ones(3, dtype=torch.bfloat16),
        "f16": torch.full((2, 2), 0.5, dtype=torch.float16),
        "i8": torch.tensor([-3, 4], dtype=torch.int8),
        "u8": torch.tensor([1, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False]),
        "c64": torch.tensor([1 + 2j], dtype=torch.complex64),
        "i64": torch.arange(5),
        "view": base[2:8].view(2, 3),
        "base": base,
        "noncontig": base.view(3, 4).t(),
        "sparse": torch.sparse_coo_tensor(
            [[0, 1], [1, 0]], [3.0, 4.0], (2, 2), check_invariants=True
        ),
        "param": torch.nn.Parameter(torch.ones(2)),
        "size": torch.Size([2, 3]),
        "dtype": torch.float64,
    }


def t_scheduler_states():
    import torch

    opt = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
    warm = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=5)
    warm.step()
    return {"cosine": warm.state_dict()}


def t_plain_pickled_tensors():
    import torch

    return {"w": torch.arange(6.0).reshape(2, 3), "mask": torch.tensor([True, False])}


# --- scikit-learn ---


def _xy(n=60, seed=0):
    import numpy as np

    rng = np.random.RandomState(seed)
    x = rng.normal(size=(n, 4))
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(int)
    return x, y


def s_logistic_regression():
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=0.5).fit(*_xy())


def s_random_forest():
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(n_estimators=4, max_depth=3, random_state=0).fit(*_xy())


def s_scaler_pca_pipeline():
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    pipe = make_pipeline(
        StandardScaler(), PCA(n_components=2, random_state=0), LogisticRegression()
    )
    return pipe.fit(*_xy())


def s_column_transformer_pipeline():
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    frame = pd.DataFrame(
        {"city": ["a", "b", "c", "a", "b", "c"], "size": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]}
    )
    prep = ColumnTransformer(
        [
            ("cat", OneHotEncoder(handle_unknown="ignore"), ["city"]),
            ("num", StandardScaler(), ["size"]),
        ]
    )
    return Pipeline([("prep", prep), ("model", Ridge(alpha=0.3))]).fit(frame, [1, 2, 3, 4, 5, 6])


def s_hist_gradient_boosting():
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(max_iter=5, random_state=0).fit(*_xy())


def s_kmeans():
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=3, n_init=2, random_state=0).fit(_xy()[0])


def s_forest_pipeline():
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x, y = _xy(40, seed=3)
    forest = RandomForestRegressor(n_estimators=3, max_depth=3, random_state=0)
    return make_pipeline(StandardScaler(), forest).fit(x, y)


# --- pandas ---


def p_frame_berlin():
    import pandas as pd

    stamps = pd.date_range("2026-03-28", periods=4, freq="D", tz="Europe/Berlin")
    return pd.DataFrame({"when": stamps, "value": [1.5, 2.5, 3.5, 4.5]}, index=stamps)


def p_frame_rich():
    import pandas as pd

    index = pd.MultiIndex.from_product([["x", "y"], [1, 2]], names=["group", "step"])
    return pd.DataFrame(
        {
            "cat": pd.Categorical(["a", "b", "a", "c"], categories=["a", "b", "c"], ordered=True),
            "period": pd.period_range("2026-01", periods=4, freq="M"),
            "nullable": pd.array([1, None, 3, 4], dtype="Int64"),
            "flag": pd.array([True, None, False, True], dtype="boolean"),
            "text": pd.array(["u", None, "w", "z"], dtype="string"),
            "berlin": pd.date_range("2026-10-24", periods=4, freq="D", tz="Europe/Berlin"),
            "delta": pd.to_timedelta([1, 2, 3, 4], unit="h"),
            "interval": pd.IntervalIndex.from_breaks([0, 1, 2, 3, 4]),
        },
        index=index,
    )


def p_series_sparse():
    import pandas as pd

    return pd.Series(pd.arrays.SparseArray([0.0, 0.0, 1.5, 0.0]), name="sparse")


# --- numpy ---


def n_generator():
    import numpy as np

    rng = np.random.default_rng(42)
    rng.random(3)
    return rng


def n_random_state():
    import numpy as np

    rs = np.random.RandomState(7)
    rs.normal(size=3)
    return rs


def n_object_array():
    import numpy as np

    arr = np.empty(4, dtype=object)
    arr[:] = ["text", {"k": [1, 2]}, (3, 4.5), None]
    return arr


def n_structured_array():
    import numpy as np

    dt = np.dtype([("id", "<i4"), ("pos", "<f8", (2,)), ("name", "U5")])
    return np.array([(1, (0.5, 1.5), "ab"), (2, (2.5, 3.5), "cd")], dtype=dt)


def n_npz_bundle():
    import numpy as np

    return {"a": np.arange(6).reshape(2, 3), "obj": n_object_array(), "rec": n_structured_array()}


def n_pickled_arrays():
    import numpy as np

    return {
        "f32": np.linspace(0, 1, 5, dtype=np.float32),
        "dt64": np.array(["2026-01-01", "2026-06-01"], dtype="datetime64[D]"),
        "rec": n_structured_array(),
        "masked": np.ma.masked_array([1, 2, 3], mask=[False, True, False]),
        "scalar": np.float64(2.5),
        "i8": np.int8(-4),
        "dtype": np.dtype("complex64"),
    }


# --- the user's own types and the standard library's plain types ---


def u_user_types():
    import user_models as um

    return {
        "config": um.TrainConfig(),
        "split": um.DataSplit("test", 0.2),
        "phase": um.Phase.EVAL,
        "level": um.Level.HIGH,
        "perm": um.Perm.READ | um.Perm.WRITE,
        "point": um.Point(1, 2.5),
        "points": [um.Point(i, -i) for i in range(3)],
    }


def std_plain_types():
    return {
        "int": 7,
        "bigint": 2**100,
        "float": 1.25,
        "inf": math.inf,
        "complex": 1 - 2j,
        "str": "ünïcode\nline",
        "bytes": b"\x00\xffraw",
        "bytearray": bytearray(b"abc"),
        "bool": True,
        "none": None,
        "tuple": (1, (2, 3)),
        "list": [1, [2]],
        "set": {1, 2},
        "frozenset": frozenset({"a"}),
        "range": range(1, 10, 2),
        "slice": slice(1, None, 2),
        "ellipsis": ...,
        "date": datetime.date(2026, 11, 30),
        "time": datetime.time(6, 30, tzinfo=datetime.timezone.utc),
        "datetime_utc": datetime.datetime(2026, 11, 30, 6, tzinfo=datetime.timezone.utc),
        "datetime_berlin": datetime.datetime(2026, 7, 1, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin")),
        "timedelta": datetime.timedelta(days=1, seconds=5),
        "timezone": datetime.timezone(datetime.timedelta(hours=-3), "X"),
        "decimal": decimal.Decimal("3.14159"),
        "fraction": fractions.Fraction(3, 7),
        "ordered": collections.OrderedDict([("b", 1), ("a", 2)]),
        "defaultdict": collections.defaultdict(list, {"k": [1]}),
        "deque": collections.deque([1, 2], maxlen=5),
        "counter": collections.Counter("abca"),
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "path": pathlib.PurePosixPath("/data/model.pt"),
        "ipv4": ipaddress.IPv4Address("192.0.2.1"),
        "ipnet": ipaddress.IPv6Network("2001:db8::/32"),
        "array": array.array("d", [1.0, 2.0]),
        "namespace": types.SimpleNamespace(a=1),
    }


def mixed_data():
    import numpy as np
    import user_models as um

    return {"weights": np.arange(4.0), "config": um.TrainConfig(epochs=9), "names": ["a", "b"]}


def _b(fid, loader, suffix, make, write):
    return Benign(fid, loader, suffix, make, write)


_WO = "torch.load:weights_only"
_LIST = [
    _b("t_state_dict", _WO, ".pt", t_state_dict, _torch_writer()),
    _b("t_state_dict_legacy", _WO, ".pt", t_state_dict, _torch_writer(legacy=True)),
    _b("t_adamw_state", _WO, ".pt", t_adamw_state, _torch_writer()),
    _b("t_sgd_momentum_state", _WO, ".pt", t_sgd_momentum_state, _torch_writer()),
    _b("t_full_checkpoint", "torch.load", ".pt", t_full_checkpoint, _torch_writer()),
    _b("t_whole_module", "torch.load", ".pt", t_whole_module, _torch_writer()),
    _b("t_whole_module_legacy", "torch.load", ".pt", t_whole_module, _torch_writer(legacy=True)),
    _b("t_tensor_kinds", _WO, ".pt", t_tensor_kinds, _torch_writer()),
    _b("t_scheduler_states", _WO, ".pt", t_scheduler_states, _torch_writer()),
    _b(
        "t_plain_pickled_tensors", "pickle.load", ".pkl", t_plain_pickled_tensors, _pickle_writer(4)
    ),
    _b("s_logistic_regression", "pickle.load", ".pkl", s_logistic_regression, _pickle_writer(5)),
    _b("s_random_forest", "pickle.load", ".pkl", s_random_forest, _pickle_writer(4)),
    _b("s_scaler_pca_pipeline", "pickle.load", ".pkl", s_scaler_pca_pipeline, _pickle_writer(5)),
    _b(
        "s_column_transformer",
        "pickle.load",
        ".pkl",
        s_column_transformer_pipeline,
        _pickle_writer(5),
    ),
    _b(
        "s_hist_gradient_boosting",
        "pickle.load",
        ".pkl",
        s_hist_gradient_boosting,
        _pickle_writer(5),
    ),
    _b("s_kmeans", "pickle.load", ".pkl", s_kmeans, _pickle_writer(2)),
    _b("s_forest_joblib", "joblib.load", ".joblib", s_forest_pipeline, _joblib_writer(None)),
]
_LIST += [
    _b(f"s_forest_joblib_{c}", "joblib.load", f".joblib.{c}", s_forest_pipeline, _joblib_writer(c))
    for c in ("zlib", "gzip", "bz2", "lzma", "xz")
]
_LIST += [
    _b("s_kmeans_joblib_gzip", "joblib.load", ".joblib.gz", s_kmeans, _joblib_writer("gzip")),
    _b("p_frame_berlin", "pickle.load", ".pkl", p_frame_berlin, _pickle_writer(5)),
    _b("p_frame_berlin_p2", "pickle.load", ".pkl", p_frame_berlin, _pickle_writer(2)),
    _b("p_frame_rich", "pandas.read_pickle", ".pkl", p_frame_rich, _pandas_writer(None)),
]
_LIST += [
    _b(f"p_frame_rich_{c}", f"pandas.read_pickle:{c}", f".pkl.{c}", p_frame_rich, _pandas_writer(c))
    for c in ("gzip", "bz2", "xz", "zip", "tar", "zstd")
]
_LIST += [
    _b("p_series_sparse", "pickle.load", ".pkl", p_series_sparse, _pickle_writer(4)),
    _b("n_generator", "pickle.load", ".pkl", n_generator, _pickle_writer(4)),
    _b("n_random_state", "pickle.load", ".pkl", n_random_state, _pickle_writer(2)),
    _b("n_object_array", "numpy.load", ".npy", n_object_array, _npy_write),
    _b("n_structured_array", "numpy.load", ".npy", n_structured_array, _npy_write),
    _b("n_npz_bundle", "numpy.load:npz", ".npz", n_npz_bundle, _npz_write),
    _b("n_pickled_arrays", "pickle.load", ".pkl", n_pickled_arrays, _pickle_writer(5)),
    _b("u_user_types_p0", "pickle.load", ".pkl", u_user_types, _pickle_writer(0)),
    _b("u_user_types_p5", "pickle.load", ".pkl", u_user_types, _pickle_writer(5)),
]
_LIST += [
    _b(f"std_plain_types_p{p}", "pickle.load", ".pkl", std_plain_types, _pickle_writer(p))
    for p in range(6)
]
_LIST += [
    _b("x_dill", "dill.load", ".pkl", mixed_data, _dill_write),
    _b("x_cloudpickle", "cloudpickle.load", ".pkl", mixed_data, _cloudpickle_write),
    _b("x_shelve", "shelve", "", mixed_data, _shelve_write),
    _b("x_pool_user_types", "mp.pool", ".pkl", u_user_types, _pickle_writer(5)),
    _b("x_pool_frame", "mp.pool", ".pkl", p_frame_rich, _pickle_writer(5)),
]

BUILDERS = {item.fid: item for item in _LIST}
ENTRIES = _LIST


def build(workdir):
    """Write every benign file into ``workdir``; returns the manifest (list of dicts)."""
    manifest = []
    for item in _LIST:
        path = os.path.join(workdir, item.fid + item.suffix)
        item.write(item.make(), path)
        scan_path = path + ".dat" if item.loader == "shelve" else path
        manifest.append(
            {"fid": item.fid, "loader": item.loader, "path": path, "scan_path": scan_path}
        )
    return manifest


# --- comparison ---


def same(a, b):
    """Deep equality for what the corpus holds (tensors, arrays, frames, estimators...)."""
    if a is b:  # enum members and other singletons come back as themselves
        return True
    if type(a) is not type(b):
        return False
    mod = type(a).__module__.split(".")[0]
    if mod == "torch":
        return _same_torch(a, b)
    if mod == "numpy":
        return _same_numpy(a, b)
    if mod == "pandas":
        return _same_pandas(a, b)
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict):
        if isinstance(a, collections.OrderedDict) and list(a) != list(b):
            return False
        return len(a) == len(b) and all(k in b and same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple, collections.deque)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if dataclasses.is_dataclass(a) or type(a).__eq__ is not object.__eq__:
        return a == b
    if hasattr(a, "__dict__") or hasattr(a, "__getstate__"):
        return same(_state(a), _state(b))
    return a == b


def _state(obj):
    state = obj.__getstate__() if hasattr(obj, "__getstate__") else vars(obj)
    return state if state is not None else {}


def _same_torch(a, b):
    import torch

    if isinstance(a, torch.nn.Module):
        return same(a.state_dict(), b.state_dict()) and same(_plain_attrs(a), _plain_attrs(b))
    if isinstance(a, torch.Tensor):
        if a.is_sparse:
            a, b = a.to_dense(), b.to_dense()
        return a.dtype == b.dtype and a.shape == b.shape and bool(torch.equal(a, b))
    return a == b


def _plain_attrs(module):
    skip = {"_parameters", "_buffers", "_modules", "training"}
    return {k: v for k, v in vars(module).items() if k not in skip and not k.startswith("_")}


def _same_numpy(a, b):
    import numpy as np

    if isinstance(a, np.random.Generator):
        return same(a.bit_generator.state, b.bit_generator.state)
    if isinstance(a, np.random.RandomState):
        return same(a.get_state(legacy=False), b.get_state(legacy=False))
    if isinstance(a, np.ma.MaskedArray):
        return _same_numpy(a.data, b.data) and _same_numpy(
            np.ma.getmaskarray(a), np.ma.getmaskarray(b)
        )
    if isinstance(a, np.ndarray):
        if a.dtype != b.dtype or a.shape != b.shape:
            return False
        if a.dtype == object:
            return all(same(x, y) for x, y in zip(a.ravel().tolist(), b.ravel().tolist()))
        return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    return a == b


def _same_pandas(a, b):
    import pandas as pd

    try:
        if isinstance(a, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, check_exact=True)
        elif isinstance(a, pd.Series):
            pd.testing.assert_series_equal(a, b, check_exact=True)
        elif isinstance(a, pd.Index):
            pd.testing.assert_index_equal(a, b, exact=True)
        else:
            return a == b
    except AssertionError:
        return False
    return True
