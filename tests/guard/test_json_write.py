"""kernel/json_write.py writes what json.dumps writes (the kernel's start-up report is read with
json.load by the lab, boot/status.py), and refuses what json.dumps refuses."""

import json

import pytest

from jupyterlab_warden.kernel.json_write import dumps

VALUES = [
    None,
    True,
    False,
    0,
    -7,
    2**70,
    1.5,
    1e-7,
    1763900000.123456,
    float("inf"),
    float("-inf"),
    "",
    'quote " backslash \\ tab \t newline \n nul \x00',
    "é ünï 中文 \U0001f600 \ud800",
    [],
    {},
    [1, "a", None, [True, {"k": 2.5}]],
    ("tuple", 1),
    {
        "pid": 123,
        "python": "3.11.7",
        "since": 1764530000.5,
        "installed": True,
        "mode": None,
        "errors": ["policy file: no such file", "ü"],
        "startup_ms": 12.34,
    },
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_the_same_text_as_json_dumps(value):
    assert dumps(value) == json.dumps(value)


def test_nan_as_json_writes_it():
    assert dumps(float("nan")) == json.dumps(float("nan")) == "NaN"


class _Flag(int):
    pass


@pytest.mark.parametrize("value", [{1: "a"}, {None: 1}, object(), b"bytes", {"a": {1, 2}}])
def test_what_it_does_not_write_is_a_type_error(value):
    with pytest.raises(TypeError):
        dumps(value)


def test_int_subclasses_are_written_as_numbers():
    assert dumps([_Flag(3)]) == json.dumps([_Flag(3)]) == "[3]"
