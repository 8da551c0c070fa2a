"""The ``Popen._execute_child`` patch (preexec.py, R11-9) made for its exact parameters: a start
without a ``preexec_fn`` goes straight to subprocess's own method, any other through the
deciding wrapper, with the same frame hiding; any other signature keeps the generic wrapper."""

import subprocess

import pytest

from jupyterlab_warden.kernel.guard.installs import preexec

PARAMS = ", ".join(preexec._PARAMETERS)
CALLS = []


def _made(source: str):
    space = {"CALLS": CALLS}
    exec(source, space)  # noqa: S102 - functions of a given signature, for the test
    return space["f"]


ORIGINAL = _made(
    f"def f({PARAMS}):\n"
    "    CALLS.append(('original', preexec_fn, process_group))\n"
    "    if args == 'fail':\n"
    "        raise FileNotFoundError(args)\n"
    "    return 'ran'"
)


def _inner(self, args, executable, preexec_fn, *rest):
    CALLS.append(("inner", preexec_fn, rest[-1]))
    return "decided"


def _call(fn, preexec_fn, args="x"):
    values = dict.fromkeys(preexec._PARAMETERS)
    values.update(args=args, preexec_fn=preexec_fn, process_group=-1)
    return fn(*values.values())


def test_only_a_start_with_a_preexec_fn_goes_through_the_deciding_wrapper():
    hidden = []
    fn = preexec.straight_wrapper(ORIGINAL, _inner, hidden.append)
    CALLS.clear()
    assert _call(fn, None) == "ran" and _call(fn, print) == "decided"
    assert CALLS == [("original", None, -1), ("inner", print, -1)]  # every argument handed on
    with pytest.raises(FileNotFoundError) as raised:
        _call(fn, None, args="fail")
    assert hidden == [raised.value]  # the error passes unchanged, its display hides the frame


def test_the_real_method_is_the_one_it_is_made_for():
    assert preexec.straight_wrapper(subprocess.Popen._execute_child, _inner, print) is not None


@pytest.mark.parametrize(
    "source",
    [
        f"def f({PARAMS}, extra):\n    pass",  # another signature
        f"def f({PARAMS.replace('process_group', 'process_group=None')}):\n    pass",
        "def f(self, args, executable, preexec_fn, *rest):\n    pass",
        f"def f({PARAMS}, **kw):\n    pass",
    ],
)
def test_any_other_signature_keeps_the_generic_wrapper(source):
    assert preexec.straight_wrapper(_made(source), _inner, print) is None
    assert preexec.straight_wrapper(print, _inner, print) is None  # not a Python function
