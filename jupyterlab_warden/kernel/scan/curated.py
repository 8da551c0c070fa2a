"""The curated allow data of the judge (``judge.py``): exact names only, no patterns.

Taken from real artifacts (tests/guard/test_curated.py rebuilds them and checks that every
global they use is judged allowed for the roles it is used in): torch state_dicts, optimizer
and scheduler states, full modules, numpy arrays / scalars / RNGs / masked arrays, pandas
frames (time zones, categoricals, periods, nullable and sparse arrays, MultiIndex), scipy
sparse matrices, scikit-learn estimators and pipelines, joblib files, and every stdlib plain
type in protocols 0-5.

* ``CALLABLES`` - functions a pickle may call with its own arguments (REDUCE): known-safe
  reconstructors. ``ARG_ROLES`` says how each one uses the globals passed to it directly.
* ``CLASSES`` - classes whose construction with any arguments is harmless (REDUCE / INST / OBJ
  on them is fine), and every other role too.
* ``VALUES`` - objects that are data (dtypes, layouts, singletons), never called.
* ``SAFE_ORIGIN_MODULES`` / ``ML_PACKAGES`` - where a method may come from to count as a safe
  origin (see judge.py).
"""

# Role bits (judge.py re-exports them).
CALL, NEW, BUILD, VALUE, ZGETATTR = 1, 2, 4, 8, 16
# NEW with the pickle's own arguments: ``cls.__new__(cls, *args, **kwargs)`` (NEWOBJ with a
# non-empty tuple, NEWOBJ_EX, copyreg.__newobj__ with args, pandas' _new_Index(cls, d)). A
# ``__new__`` that uses its arguments is a constructor (numpy.memmap opens a file): judged
# against NEW_ARGS_CLASSES, not by its package. (32 is the scanner's MUTATE bit.)
NEWARGS = 64

_TORCH_REBUILD = (
    "torch._utils._rebuild_tensor",
    "torch._utils._rebuild_tensor_v2",
    "torch._utils._rebuild_tensor_v3",
    "torch._utils._rebuild_parameter",
    "torch._utils._rebuild_parameter_with_state",
    "torch._utils._rebuild_sparse_tensor",
    "torch._utils._rebuild_nested_tensor",
    "torch._utils._rebuild_qtensor",
    "torch._utils._rebuild_device_tensor_from_numpy",
    "torch._utils._rebuild_device_tensor_from_cpu_tensor",
    "torch._utils._rebuild_meta_tensor_no_storage",
    "torch._utils._rebuild_wrapper_subclass",
    "torch._tensor._rebuild_from_type",
    "torch._tensor._rebuild_from_type_v2",
)

CALLABLES = frozenset(
    (
        "copyreg._reconstructor",
        "copyreg.__newobj__",
        "copyreg.__newobj_ex__",
        "_codecs.encode",
        "array._array_reconstructor",
        "re._compile",
        "zoneinfo.ZoneInfo._unpickle",
        "numpy._core.multiarray._reconstruct",
        "numpy.core.multiarray._reconstruct",
        "numpy._core.multiarray.scalar",
        "numpy.core.multiarray.scalar",
        "numpy._core.numeric._frombuffer",
        "numpy.core.numeric._frombuffer",
        "numpy.ma.core._mareconstruct",
        "numpy.random._pickle.__bit_generator_ctor",
        "numpy.random._pickle.__generator_ctor",
        "numpy.random._pickle.__randomstate_ctor",
        "numpy.random.bit_generator.__pyx_unpickle_SeedSequence",
        "pandas._libs.arrays.__pyx_unpickle_NDArrayBacked",
        "pandas._libs.internals._unpickle_block",
        "pandas._libs.interval.__pyx_unpickle_IntervalMixin",
        "pandas._libs.tslibs.timedeltas._timedelta_unpickle",
        "pandas._libs.tslibs.timestamps._unpickle_timestamp",
        "pandas._libs.tslibs.nattype.__nat_unpickle",
        "pandas.core.indexes.base._new_Index",
        "pandas.core.indexes.datetimes._new_DatetimeIndex",
        "pandas.core.indexes.period._new_PeriodIndex",
        "pandas.core.indexes.interval._new_IntervalIndex",
        "pandas.core.indexes.timedeltas._new_TimedeltaIndex",
        "numpy._core._internal._convert_to_stringdtype_kwargs",
        "sklearn.metrics._dist_metrics.newObj",
        "sklearn.neighbors._kd_tree.newObj",
        "sklearn.neighbors._ball_tree.newObj",
        "torch.storage._load_from_bytes",
        "torch.serialization._get_layout",
        "dill._dill._create_array",
        # pandas 3 with pyarrow: a string column's arrow type and buffers. type_for_alias looks
        # a string up in pyarrow's fixed alias table (no import, no pickle: CVE-2023-47248 is
        # the IPC extension-type path, not this); py_buffer wraps a bytes-like object. NOT
        # pyarrow.lib._restore_array: it builds an array from declared lengths/offsets without
        # validating them against its buffers, so a crafted pickle reads process memory out of
        # bounds (measured with pyarrow 26.0.1): the hook admits it only as the guard's
        # validating wrapper (guard/format_loaders/arrow_arrays.py), never as itself.
        "pyarrow.lib.type_for_alias",
        "pyarrow.lib.py_buffer",
        # pd.ArrowDtype columns: arrow type factories. They build a DataType from scalars
        # (units, time zone names, precisions) or from other types and fields; nothing is
        # imported, read or called.
        "pyarrow.lib.timestamp",
        "pyarrow.lib.decimal128",
        "pyarrow.lib.list_",
        "pyarrow.lib.field",
        "pyarrow.lib.struct",
    )
    + _TORCH_REBUILD
)

# How a curated callable uses the globals given to it as direct arguments: a tuple of roles by
# position, and the role of any further argument. Callables not listed: every direct global
# argument is assumed to be called (CALL | NEW | BUILD) - the safe default.
_CLASS_MADE = NEW | BUILD
ARG_ROLES = {
    "copyreg._reconstructor": ((_CLASS_MADE, CALL), VALUE),
    "copyreg.__newobj__": ((_CLASS_MADE,), VALUE),
    "copyreg.__newobj_ex__": ((_CLASS_MADE,), VALUE),
    "numpy._core.multiarray._reconstruct": ((_CLASS_MADE,), VALUE),
    "numpy.core.multiarray._reconstruct": ((_CLASS_MADE,), VALUE),
    "numpy.ma.core._mareconstruct": ((_CLASS_MADE, _CLASS_MADE), VALUE),
    "numpy._core.multiarray.scalar": ((), VALUE),
    "pyarrow.lib.type_for_alias": ((), VALUE),
    "pyarrow.lib.py_buffer": ((), VALUE),
    "pyarrow.lib.timestamp": ((), VALUE),
    "pyarrow.lib.decimal128": ((), VALUE),
    "numpy.core.multiarray.scalar": ((), VALUE),
    "numpy._core.numeric._frombuffer": ((), VALUE),
    "numpy.core.numeric._frombuffer": ((), VALUE),
    # cls.__new__(cls, **d) / cls._simple_new(**d) / cls.from_arrays(**d)
    "pandas.core.indexes.base._new_Index": ((_CLASS_MADE | NEWARGS,), VALUE),
    "pandas.core.indexes.datetimes._new_DatetimeIndex": ((_CLASS_MADE | NEWARGS,), VALUE),
    "pandas.core.indexes.period._new_PeriodIndex": ((_CLASS_MADE | NEWARGS,), VALUE),
    "pandas.core.indexes.interval._new_IntervalIndex": ((_CLASS_MADE | NEWARGS,), VALUE),
    "pandas.core.indexes.timedeltas._new_TimedeltaIndex": ((_CLASS_MADE | NEWARGS,), VALUE),
    "pandas._libs.arrays.__pyx_unpickle_NDArrayBacked": ((_CLASS_MADE,), VALUE),
    "pandas._libs.interval.__pyx_unpickle_IntervalMixin": ((_CLASS_MADE,), VALUE),
    "numpy.random.bit_generator.__pyx_unpickle_SeedSequence": ((_CLASS_MADE,), VALUE),
    "pandas._libs.internals._unpickle_block": ((), VALUE),
    "sklearn.metrics._dist_metrics.newObj": ((_CLASS_MADE,), VALUE),
    "sklearn.neighbors._kd_tree.newObj": ((_CLASS_MADE,), VALUE),
    "sklearn.neighbors._ball_tree.newObj": ((_CLASS_MADE,), VALUE),
    # dill's numpy array: f(*args), then __setstate__
    "dill._dill._create_array": ((CALL, _CLASS_MADE), VALUE),
    # the one curated class that calls an argument (later, with no arguments)
    "collections.defaultdict": ((CALL,), VALUE),
}

_BUILTIN_CLASSES = tuple(
    "builtins." + n
    for n in (
        "dict list tuple set frozenset int float complex bool str bytes bytearray slice "
        "range object Exception ValueError KeyError TypeError RuntimeError IndexError "
        "AttributeError ArithmeticError LookupError StopIteration NotImplementedError "
        "OverflowError ZeroDivisionError UnicodeDecodeError AssertionError"
    ).split()
)

_TORCH_STORAGES = tuple(
    "torch." + n
    for n in (
        "BFloat16Storage BoolStorage ByteStorage CharStorage ComplexDoubleStorage "
        "ComplexFloatStorage DoubleStorage FloatStorage HalfStorage IntStorage LongStorage "
        "QInt32Storage QInt8Storage QUInt2x4Storage QUInt4x2Storage QUInt8Storage ShortStorage "
        "TypedStorage UntypedStorage"
    ).split()
)

CLASSES = frozenset(
    _BUILTIN_CLASSES
    + _TORCH_STORAGES
    + (
        "collections.OrderedDict",
        "collections.defaultdict",
        "collections.deque",
        "collections.Counter",
        "datetime.date",
        "datetime.datetime",
        "datetime.time",
        "datetime.timedelta",
        "datetime.timezone",
        "datetime.tzinfo",
        "decimal.Decimal",
        "fractions.Fraction",
        "uuid.UUID",
        "argparse.Namespace",
        "types.SimpleNamespace",
        "array.array",
        "pathlib.PurePath",
        "pathlib.PurePosixPath",
        "pathlib.PureWindowsPath",
        "pathlib.Path",
        "pathlib.PosixPath",
        "pathlib.WindowsPath",
        "ipaddress.IPv4Address",
        "ipaddress.IPv6Address",
        "ipaddress.IPv4Network",
        "ipaddress.IPv6Network",
        "ipaddress.IPv4Interface",
        "ipaddress.IPv6Interface",
        "zoneinfo.ZoneInfo",
        "torch.Size",
        "torch.device",
        "torch.Tensor",
        "torch.nn.parameter.Parameter",
        "torch.nn.parameter.Buffer",
        "torch.storage.TypedStorage",
        "torch.storage.UntypedStorage",
        "torch._C.Generator",
        "torch.Generator",
        "numpy.dtype",
        "numpy.ndarray",
        "numpy.ma.core.MaskedArray",
        "numpy.ma.MaskedArray",
        "numpy.random._mt19937.MT19937",
        "numpy.random._pcg64.PCG64",
        "numpy.random._pcg64.PCG64DXSM",
        "numpy.random._philox.Philox",
        "numpy.random._sfc64.SFC64",
        "numpy.random._generator.Generator",
        "numpy.random.mtrand.RandomState",
        "numpy.random.bit_generator.SeedSequence",
        "pandas._libs.tslibs.offsets.Day",
        "pandas._libs.tslibs.offsets.Hour",
        "pandas._libs.tslibs.offsets.Minute",
        "pandas._libs.tslibs.offsets.Second",
        "pandas._libs.tslibs.offsets.MonthEnd",
        "pandas._libs.tslibs.offsets.MonthBegin",
        "pandas._libs.tslibs.offsets.YearEnd",
        "pandas._libs.tslibs.offsets.YearBegin",
        "pandas._libs.tslibs.offsets.QuarterEnd",
        "pandas._libs.tslibs.offsets.Week",
        "pandas._libs.tslibs.offsets.BusinessDay",
        "pandas._libs.tslibs.offsets.BusinessHour",
        "pandas._libs.tslibs.offsets.CustomBusinessDay",
        "pandas._libs.tslibs.offsets.CustomBusinessHour",
        "pandas._libs.tslibs.offsets.DateOffset",
        "pandas._libs.tslibs.offsets.QuarterBegin",
        "pandas._libs.tslibs.offsets.BQuarterBegin",
        "pandas._libs.tslibs.offsets.BQuarterEnd",
        "pandas._libs.tslibs.offsets.BMonthBegin",
        "pandas._libs.tslibs.offsets.BMonthEnd",
        "pandas._libs.tslibs.offsets.BusinessMonthBegin",
        "pandas._libs.tslibs.offsets.BusinessMonthEnd",
        "pandas._libs.tslibs.offsets.BYearBegin",
        "pandas._libs.tslibs.offsets.BYearEnd",
        "pandas._libs.tslibs.offsets.SemiMonthBegin",
        "pandas._libs.tslibs.offsets.SemiMonthEnd",
        "pandas._libs.tslibs.offsets.WeekOfMonth",
        "pandas._libs.tslibs.offsets.LastWeekOfMonth",
        "pandas._libs.tslibs.offsets.Milli",
        "pandas._libs.tslibs.offsets.Micro",
        "pandas._libs.tslibs.offsets.Nano",
        "pandas._libs.tslibs.offsets.Easter",
        "pandas._libs.tslibs.offsets.FY5253",
        "pandas._libs.tslibs.offsets.FY5253Quarter",
        "pandas._libs.sparse.IntIndex",
        "pandas._libs.sparse.BlockIndex",
        "pandas.Period",
        "pandas.DateOffset",
        # dateutil's plain date-arithmetic values, inside pandas offsets and tz-aware frames
        "dateutil.relativedelta.relativedelta",
        "dateutil.tz.tz.tzutc",
        "dateutil.tz.tz.tzoffset",
        "pandas.Timestamp",
        "pandas.Timedelta",
        "pandas.Interval",
        "pandas.CategoricalDtype",
        "pandas.DatetimeTZDtype",
        "pandas.PeriodDtype",
        "pandas.IntervalDtype",
        "pandas.SparseDtype",
        "pandas.StringDtype",
        "pandas.BooleanDtype",
        "pandas.Int8Dtype",
        "pandas.Int16Dtype",
        "pandas.Int32Dtype",
        "pandas.Int64Dtype",
        "pandas.UInt8Dtype",
        "pandas.UInt16Dtype",
        "pandas.UInt32Dtype",
        "pandas.UInt64Dtype",
        "pandas.Float32Dtype",
        "pandas.Float64Dtype",
        "pandas.core.internals.managers.BlockManager",
        "pandas.core.internals.managers.SingleBlockManager",
        # scikit-learn's Cython classes, rebuilt by calling them with their sizes
        "sklearn.tree._tree.Tree",
        "joblib.numpy_pickle.NumpyArrayWrapper",
        "joblib.numpy_pickle_compat.NDArrayWrapper",
        "joblib.numpy_pickle_compat.ZNDArrayWrapper",
        "sklearn._loss._loss.CyHalfBinomialLoss",
        "sklearn._loss._loss.CyHalfMultinomialLoss",
        "sklearn._loss._loss.CyHalfSquaredError",
        "sklearn._loss._loss.CyAbsoluteError",
        "sklearn._loss._loss.CyPinballLoss",
        "sklearn._loss._loss.CyHuberLoss",
        "sklearn._loss._loss.CyHalfPoissonLoss",
        "sklearn._loss._loss.CyHalfGammaLoss",
        "sklearn._loss._loss.CyHalfTweedieLoss",
        "sklearn._loss._loss.CyHalfTweedieLossIdentity",
        "sklearn._loss._loss.CyExponentialLoss",
    )
)

VALUES = frozenset(
    (
        "builtins.Ellipsis",
        "builtins.NotImplemented",
        "pandas.NA",
        "pandas.NaT",
    )
    + tuple(
        "torch." + n
        for n in (
            "bfloat16 bool cdouble cfloat chalf complex128 complex32 complex64 double float "
            "float16 float32 float64 float8_e4m3fn float8_e4m3fnuz float8_e5m2 float8_e5m2fnuz "
            "half int int16 int32 int64 int8 long qint32 qint8 quint2x4 quint4x2 quint8 short "
            "uint16 uint32 uint64 uint8 channels_last channels_last_3d contiguous_format "
            "preserve_format per_channel_affine per_channel_affine_float_qparams "
            "per_channel_symmetric per_tensor_affine per_tensor_symmetric sparse_coo sparse_csr "
            "sparse_csc sparse_bsr sparse_bsc strided"
        ).split()
    )
)

# Classes of curated ML packages that may be MADE (NEW, BUILD) or held as values: their whole
# MRO is vouched for (judge._mro_unvetted). Besides these, a curated ML package's class passes
# only through a family rule (judge._FAMILIES): torch.nn.Module subclasses defined in torch.nn,
# scikit-learn BaseEstimator subclasses defined in sklearn, numpy scalar types, scipy.sparse
# matrices/arrays. Taken from the benign corpus (tests/guard/corpus/benign.py).
MADE_CLASSES = frozenset(
    tuple(
        "pandas." + n
        for n in (
            "DataFrame Series Index MultiIndex RangeIndex DatetimeIndex TimedeltaIndex "
            "PeriodIndex CategoricalIndex IntervalIndex Categorical arrays.BooleanArray "
            "arrays.IntegerArray arrays.FloatingArray arrays.DatetimeArray arrays.TimedeltaArray "
            "arrays.PeriodArray arrays.IntervalArray arrays.SparseArray arrays.StringArray "
            "arrays.NumpyExtensionArray arrays.ArrowStringArray arrays.ArrowExtensionArray "
            "ArrowDtype"
        ).split()
    )
    + (
        "sklearn._loss.link.Interval",
        "sklearn._loss.link.IdentityLink",
        "sklearn._loss.link.LogLink",
        "sklearn._loss.link.LogitLink",
        "sklearn._loss.link.HalfLogitLink",
        "sklearn._loss.link.MultinomialLogit",
        "sklearn._loss.loss.HalfSquaredError",
        "sklearn._loss.loss.AbsoluteError",
        "sklearn._loss.loss.PinballLoss",
        "sklearn._loss.loss.HuberLoss",
        "sklearn._loss.loss.HalfPoissonLoss",
        "sklearn._loss.loss.HalfGammaLoss",
        "sklearn._loss.loss.HalfTweedieLoss",
        "sklearn._loss.loss.HalfTweedieLossIdentity",
        "sklearn._loss.loss.HalfBinomialLoss",
        "sklearn._loss.loss.ExponentialLoss",
        "sklearn._loss.loss.HalfMultinomialLoss",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "sklearn.utils._bunch.Bunch",
        "torch.utils.data.dataset.Dataset",  # base of a user's Dataset: no constructor effects
        # ndarray subclasses numpy writes with _reconstruct (no __new__ arguments)
        "numpy.matrix",
        "numpy.recarray",
        "numpy.rec.recarray",
        "numpy.record",
        "numpy.rec.record",
    )
    # torch's legacy tensor types, named as values by the legacy (tar) layout
    + tuple(
        "torch." + n + "Tensor"
        for n in "Float Double Half BFloat16 Long Int Short Char Byte Bool".split()
    )
)

# Classes whose ``__new__`` is harmless WITH the pickle's arguments (NEWARGS): pandas' indexes,
# rebuilt by _new_Index(cls, d) -> cls.__new__(cls, **d) from arrays and names. (Classes in
# CLASSES qualify too: their whole construction is harmless.) numpy.memmap is NOT here: its
# __new__ opens a file.
NEW_ARGS_CLASSES = frozenset(
    "pandas." + n
    for n in (
        "Index MultiIndex RangeIndex DatetimeIndex TimedeltaIndex PeriodIndex CategoricalIndex "
        "IntervalIndex"
    ).split()
)

# Curated classes whose restored STATE the scanner judges (scan/dtype_state.py): the audit hook
# cannot see BUILD states, so the guard's fast path never admits them without a scan.
STATE_JUDGED = frozenset(("numpy.dtype",))

# builtins.getattr is allowed in exactly one shape, which the scanner checks:
# getattr(<zoneinfo.ZoneInfo class>, '_unpickle') - how every ZoneInfo pickles.
ZONEINFO_GETATTR = ("builtins.getattr", "zoneinfo.ZoneInfo", "_unpickle")

# Python 2 names of curated entries the unpickler maps (decide.normalise handles modules).
ML_PACKAGES = frozenset(("torch", "numpy", "pandas", "sklearn", "scipy", "joblib"))

# Standard-library modules whose classes are plain data: methods of their classes are a safe
# origin. Builtin types are not listed: only object and the curated builtin classes are.
SAFE_ORIGIN_MODULES = frozenset(
    (
        "collections",
        "datetime",
        "_datetime",
        "zoneinfo",
        "_zoneinfo",
        "decimal",
        "_decimal",
        "_pydecimal",
        "fractions",
        "numbers",
        "enum",
        "dataclasses",
        "pathlib",
        "uuid",
        "ipaddress",
        "argparse",
        "array",
        "abc",
        "_abc",
        "typing",
        "_collections",
        "_collections_abc",
        "collections.abc",
    )
)

# Functions (and types) a model may hold as a CALLABLE it calls later with the user's data:
# skops ``FunctionNode`` / ``TypeNode`` / ``OperatorFuncNode``... (``FunctionTransformer(func=)``,
# ``make_scorer(score_func)``, ``dtype=``). Only pure numeric functions: they compute on their
# arguments and reach no file, process, network or import. Exact resolved names
# (``module.name`` as skops imports them), nothing by package: torch, numpy and sklearn also
# ship ``torch.save``, ``numpy.save``/``fromfile``, ``sklearn.utils._testing`` helpers.
_NUMPY_UFUNCS = (
    "abs absolute acos acosh add arccos arccosh arcsin arcsinh arctan arctan2 arctanh asin asinh "
    "atan atan2 atanh bitwise_and bitwise_count bitwise_invert bitwise_left_shift bitwise_not "
    "bitwise_or bitwise_right_shift bitwise_xor cbrt ceil conj conjugate copysign cos cosh "
    "deg2rad degrees divide divmod equal exp exp2 expm1 fabs float_power floor floor_divide fmax "
    "fmin fmod frexp gcd greater greater_equal heaviside hypot invert isfinite isinf isnan isnat "
    "lcm ldexp left_shift less less_equal log log10 log1p log2 logaddexp logaddexp2 logical_and "
    "logical_not logical_or logical_xor matmul maximum minimum mod modf multiply negative "
    "nextafter not_equal positive pow power rad2deg radians reciprocal remainder right_shift rint "
    "sign signbit sin sinh spacing sqrt square subtract tan tanh true_divide trunc"
)
_NUMPY_ARRAY_MATH = (
    "sum nansum mean nanmean median nanmedian std nanstd var nanvar min max amin amax nanmin "
    "nanmax prod nanprod cumsum cumprod nancumsum nancumprod ptp percentile nanpercentile quantile "
    "nanquantile average clip round around diff sort argsort argmax argmin nanargmax nanargmin "
    "transpose reshape ravel squeeze expand_dims stack hstack vstack column_stack concatenate "
    "asarray asanyarray ascontiguousarray atleast_1d atleast_2d dot outer inner tanh where "
    "nan_to_num real imag angle"
)
_NUMPY_TYPES = (
    "float16 float32 float64 longdouble int8 int16 int32 int64 uint8 uint16 uint32 uint64 intp "
    "uintp bool_ bool complex64 complex128 clongdouble"
)
_MATH = (
    "acos acosh asin asinh atan atan2 atanh cbrt ceil comb copysign cos cosh degrees dist erf "
    "erfc exp exp2 expm1 fabs factorial floor fmod frexp fsum gamma gcd hypot isclose isfinite "
    "isinf isnan isqrt lcm ldexp lgamma log log10 log1p log2 modf nextafter perm pow prod radians "
    "remainder sin sinh sqrt sumprod tan tanh trunc ulp"
)
_OPERATOR = (
    "abs add and_ eq floordiv ge gt inv invert le lshift lt matmul mod mul ne neg not_ or_ pos "
    "pow rshift sub truediv truth xor"
)
_SKLEARN = {
    "sklearn.preprocessing._data": "normalize scale minmax_scale maxabs_scale robust_scale "
    "quantile_transform power_transform binarize add_dummy_feature",
    "sklearn.metrics._regression": "mean_squared_error root_mean_squared_error "
    "mean_absolute_error median_absolute_error mean_absolute_percentage_error "
    "mean_squared_log_error root_mean_squared_log_error r2_score explained_variance_score "
    "max_error mean_pinball_loss d2_absolute_error_score",
    "sklearn.metrics._classification": "accuracy_score balanced_accuracy_score f1_score "
    "fbeta_score precision_score recall_score log_loss hinge_loss brier_score_loss "
    "matthews_corrcoef cohen_kappa_score jaccard_score hamming_loss zero_one_loss",
    "sklearn.metrics._ranking": "roc_auc_score average_precision_score",
}
PURE_CALLABLES = frozenset(
    [f"numpy.{n}" for n in (_NUMPY_UFUNCS + " " + _NUMPY_ARRAY_MATH + " " + _NUMPY_TYPES).split()]
    + [f"{m}.{n}" for m in ("math",) for n in _MATH.split()]
    + [f"{m}.{n}" for m in ("operator", "_operator") for n in _OPERATOR.split()]
    + [f"{m}.{n}" for m, names in _SKLEARN.items() for n in names.split()]
)
