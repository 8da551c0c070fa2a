"""The decision table: deny list coverage, modes, policy lists, name tricks."""

import pytest

from jupyterlab_warden.kernel.scan.decide import GlobalPolicy

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
    ("builtins", "__import__"),
    ("__builtin__", "eval"),
    ("builtins", "vars"),
    ("importlib", "import_module"),
    ("pkgutil", "resolve_name"),
    ("types", "CodeType"),
    ("marshal", "loads"),
    ("ctypes", "CDLL"),
    ("webbrowser", "open"),
    ("requests.api", "get"),
    ("urllib.request", "urlopen"),
    ("functools", "partial"),
    ("operator", "attrgetter"),
    ("_operator", "methodcaller"),
    ("inspect", "getattr_static"),
    ("multiprocessing.connection", "Client"),
    ("sys", "modules"),
    ("socket", "socket"),
    ("pty", "spawn"),
    ("shutil", "rmtree"),
    ("pickle", "loads"),
    ("_pickle", "loads"),
    ("asyncio", "create_subprocess_shell"),
    ("code", "InteractiveInterpreter"),
    ("torch.serialization", "load"),
    ("torch._inductor.codecache", "compile_file"),
    ("torch.jit.unsupported_tensor_ops", "execWrapper"),
    ("numpy.f2py", "crackfortran"),
    ("numpy.testing._private.utils", "runstring"),
    ("cPickle", "loads"),
    ("commands", "getoutput"),
]


@pytest.mark.parametrize("module,name", list(picklescan_dangerous()) + OTHER_LISTS)
@pytest.mark.parametrize("policy", [DEFAULT, STRICT], ids=["default", "strict"])
def test_every_known_dangerous_global_is_refused(policy, module, name):
    assert not policy.decide(module, name).allowed


@pytest.mark.parametrize(
    "module,name",
    [
        ("collections", "OrderedDict"),
        ("builtins", "set"),
        ("__builtin__", "set"),
        ("copy_reg", "_reconstructor"),
        ("_codecs", "encode"),
        ("datetime", "datetime"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy", "dtype"),
        ("torch._utils", "_rebuild_tensor_v2"),
        ("torch", "FloatStorage"),
    ],
)
def test_plain_and_ml_globals_pass_in_both_modes(module, name):
    assert DEFAULT.decide(module, name).allowed
    assert STRICT.decide(module, name).allowed


def test_default_mode_judges_by_role_not_by_third_party_or_not():
    # new model (issue 12): a called global must be curated; classes only made without their
    # constructor (NEW/BUILD) pass by name and are judged by object at load time
    from jupyterlab_warden.kernel.scan.judge import BUILD, CALL, NEW, VALUE

    assert DEFAULT.decide("textwrap", "dedent").reason == "not-curated-callable"
    assert DEFAULT.decide("typing", "NamedTuple").reason == "not-curated-callable"
    assert DEFAULT.decide("sklearn.linear_model", "LinearRegression").reason == (
        "not-curated-callable"
    )
    made = NEW | BUILD | VALUE
    assert DEFAULT.decide("sklearn.linear_model", "LinearRegression", made).reason == "ml-class"
    assert DEFAULT.decide("pandas.core.frame", "DataFrame", made).allowed
    assert DEFAULT.decide("pytest", "main", CALL).reason == "not-curated-callable"
    assert DEFAULT.decide("pytest", "Item", made).reason == "third-party-needs-resolution"
    assert DEFAULT.decide("collections", "ChainMap", VALUE).reason == "stdlib-data"


def test_wildcards_never_match_a_multi_part_qualname():
    # the repro: datetime.* used to match datetime.__builtins__.get (eval)
    assert DEFAULT.decide("datetime", "__builtins__.get").reason == "dunder"
    assert DEFAULT.decide("datetime", "sys.call_tracing").reason == "module-path"
    assert DEFAULT.decide("ipaddress", "functools.reduce").reason == "module-path"
    widened = GlobalPolicy.from_policy({"pickle": {"allow_globals": ["warden_testpkg.*"]}})
    assert widened.decide("warden_testpkg", "payloads.os.system").reason == "module-path"


def test_zoneinfo_getattr_only_in_its_one_shape():
    from jupyterlab_warden.kernel.scan.judge import VALUE, ZGETATTR

    assert DEFAULT.decide("builtins", "getattr", ZGETATTR | VALUE).allowed
    assert DEFAULT.decide("builtins", "getattr").reason == "getattr-shape"


def test_strict_mode_refuses_third_party_unless_allowed():
    assert STRICT.decide("sklearn.linear_model", "LinearRegression").reason == "strict"
    widened = GlobalPolicy.from_policy(
        {"pickle": {"mode": "strict", "allow_globals": ["sklearn.*"]}}
    )
    assert widened.decide("sklearn.linear_model", "LinearRegression").allowed
    # a package entry allows classes: a called lower-case name is not one
    assert not widened.decide("sklearn.utils", "run_tests").allowed


def test_policy_lists():
    policy = GlobalPolicy.from_policy(
        {
            "pickle": {
                "deny_globals": ["pandas.*", "numpy.dtype"],
                "allow_globals": ["functools.partial"],
            }
        }
    )
    assert policy.decide("pandas.core.frame", "DataFrame").reason == "policy-deny"
    assert policy.decide("numpy", "dtype").reason == "policy-deny"
    # an exact allow entry is a deliberate admin choice
    assert policy.decide("functools", "partial").allowed
    # a package entry never covers the standard library: dropped, the rest kept
    widened = GlobalPolicy.from_policy(
        {"pickle": {"mode": "strict", "allow_globals": ["os.*"], "deny_globals": ["x.y"]}}
    )
    assert widened.mode == "strict" and "x.y" in widened.admin.deny
    assert not widened.decide("os", "system").allowed
    assert "standard-library" in widened.problems[0]


@pytest.mark.parametrize(
    "module,name",
    [
        ("collections", "OrderedDict.__class__"),
        ("builtins", "dict.__subclasses__"),
        ("somelib", "x.__globals__"),
        ("", "x"),
        ("os\nsystem", "x"),
        ("a", "<locals>.f"),
        ("builtins", "getattr.x"),
    ],
)
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
