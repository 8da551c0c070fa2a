"""The decision table: deny list coverage, modes, policy lists, name tricks."""

import pytest

from jupyterlab_warden.guard.decide import GlobalPolicy

DEFAULT = GlobalPolicy()
STRICT = GlobalPolicy(mode="strict")


def picklescan_dangerous():
    from picklescan import scanner

    for module, names in scanner._unsafe_globals.items():
        if names == "*":
            yield module, "anything"
        else:
            for name in sorted(names if not isinstance(names, str) else [names]):
                yield module, name


# Entries of modelscan's and fickling's lists (not installed here) and issue 6.
OTHER_LISTS = [
    ("builtins", "__import__"), ("__builtin__", "eval"), ("builtins", "vars"),
    ("importlib", "import_module"), ("pkgutil", "resolve_name"), ("types", "CodeType"),
    ("marshal", "loads"), ("ctypes", "CDLL"), ("webbrowser", "open"),
    ("requests.api", "get"), ("urllib.request", "urlopen"), ("functools", "partial"),
    ("operator", "attrgetter"), ("_operator", "methodcaller"), ("inspect", "getattr_static"),
    ("multiprocessing.connection", "Client"), ("sys", "modules"), ("socket", "socket"),
    ("pty", "spawn"), ("shutil", "rmtree"), ("pickle", "loads"), ("_pickle", "loads"),
    ("asyncio", "create_subprocess_shell"), ("code", "InteractiveInterpreter"),
    ("torch.serialization", "load"), ("torch._inductor.codecache", "compile_file"),
    ("torch.jit.unsupported_tensor_ops", "execWrapper"), ("numpy.f2py", "crackfortran"),
    ("numpy.testing._private.utils", "runstring"), ("cPickle", "loads"), ("commands", "getoutput"),
]


@pytest.mark.parametrize("module,name", list(picklescan_dangerous()) + OTHER_LISTS)
@pytest.mark.parametrize("policy", [DEFAULT, STRICT], ids=["default", "strict"])
def test_every_known_dangerous_global_is_refused(policy, module, name):
    assert not policy.decide(module, name).allowed


@pytest.mark.parametrize("module,name", [
    ("collections", "OrderedDict"), ("builtins", "set"), ("__builtin__", "set"),
    ("copy_reg", "_reconstructor"), ("_codecs", "encode"), ("datetime", "datetime"),
    ("numpy._core.multiarray", "_reconstruct"), ("numpy", "dtype"),
    ("torch._utils", "_rebuild_tensor_v2"), ("torch", "FloatStorage"),
])
def test_plain_and_ml_globals_pass_in_both_modes(module, name):
    assert DEFAULT.decide(module, name).allowed
    assert STRICT.decide(module, name).allowed


def test_default_mode_refuses_unlisted_stdlib_but_allows_third_party():
    assert DEFAULT.decide("textwrap", "dedent").reason == "stdlib-not-plain-data"
    assert DEFAULT.decide("typing", "NamedTuple").reason == "stdlib-not-plain-data"
    assert DEFAULT.decide("sklearn.linear_model", "LinearRegression").allowed
    assert DEFAULT.decide("pandas.core.frame", "DataFrame").allowed


def test_strict_mode_refuses_third_party_unless_allowed():
    assert STRICT.decide("sklearn.linear_model", "LinearRegression").reason == "not-in-allow-list"
    widened = GlobalPolicy.from_policy(
        {"pickle": {"mode": "strict", "allow_globals": ["sklearn.*"]}})
    assert widened.decide("sklearn.linear_model", "LinearRegression").allowed


def test_policy_lists():
    policy = GlobalPolicy.from_policy({"pickle": {
        "deny_globals": ["pandas.*", "numpy.dtype"],
        "allow_globals": ["functools.partial", "os.*"],
    }})
    assert policy.decide("pandas.core.frame", "DataFrame").reason == "policy-deny"
    assert policy.decide("numpy", "dtype").reason == "policy-deny"
    # an exact allow entry is a deliberate admin choice and lifts a built-in deny...
    assert policy.decide("functools", "partial").allowed
    # ...a wildcard never does
    assert policy.decide("os", "system").reason == "deny-list"


@pytest.mark.parametrize("module,name", [
    ("collections", "OrderedDict.__class__"), ("builtins", "dict.__subclasses__"),
    ("somelib", "x.__globals__"), ("", "x"), ("os\nsystem", "x"), ("a", "<locals>.f"),
    ("builtins", "getattr.x"),
])
def test_name_tricks_are_refused(module, name):
    assert not DEFAULT.decide(module, name).allowed


def test_python2_compat_names_are_judged_as_mapped():
    # fix_imports maps these for protocol < 3; the audit event carries the old names
    assert not DEFAULT.decide("__builtin__", "eval").allowed
    assert not DEFAULT.decide("cPickle", "loads").allowed
    assert DEFAULT.decide("copy_reg", "_reconstructor").allowed


def test_bad_mode_is_an_error():
    with pytest.raises(ValueError):
        GlobalPolicy(mode="lenient")
