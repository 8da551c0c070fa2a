"""kernel/json_read.py reads JSON as ``json.loads`` does (same values, same refusals) without
importing ``json`` (guard start-up, issue 15)."""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

import jupyterlab_warden
from jupyterlab_warden.kernel.json_read import loads

ROOT = str(Path(jupyterlab_warden.__file__).resolve().parents[1])

SAME = [
    '{"schema_version": 1, "revision": 7, "pickle": {"mode": "strict"}}',
    ' \n\t[1, -2.5e3, null, true, false, "caf\\u00e9 \\ud83d\\ude00", {"a": {}}] \r\n',
    '{"a": 1, "a": 2}',
    '"\\\\ \\" \\/ \\b\\f\\n\\r\\t"',
    "123456789012345678901234567890",
    "1e400",
]
REFUSED = [
    "",
    "   ",
    '{"a": 1} x',
    '{"a": 1}{"b": 2}',
    '{"a":',
    "{'a': 1}",
    '["a\x01"]',
    "\ufeff{}",
    "[1,]",
    "tru",
]


@pytest.mark.parametrize("text", SAME)
def test_the_same_values_as_json_loads(text):
    assert loads(text) == json.loads(text)
    assert loads(text.encode("utf-8")) == json.loads(text)


def test_the_same_constants_as_json_loads():
    assert math.isnan(loads("NaN")) and loads("[-Infinity, Infinity]") == [-math.inf, math.inf]


@pytest.mark.parametrize("text", REFUSED)
def test_what_json_loads_refuses_is_refused(text):
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        loads(text)


def test_not_text_is_a_type_error_and_bad_utf8_a_value_error():
    with pytest.raises(TypeError):
        loads(None)
    with pytest.raises(ValueError):
        loads(b'{"a": "\xff"}')


def test_reading_json_does_not_import_json():
    code = (
        "import sys\n"
        "from jupyterlab_warden.kernel.json_read import loads\n"
        "value = loads('{\"a\": [1, 2]}')\n"
        "assert value == {'a': [1, 2]}, value\n"
        "print(sorted(m for m in ('json', 're', 'enum') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-S", "-c", f"import sys; sys.path.insert(0, {ROOT!r})\n" + code],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_input_nested_too_deeply_is_a_value_error_not_a_recursion_error():
    # json.loads raises RecursionError here; readers of update files refuse only ValueError
    for text in ("[" * 100000 + "]" * 100000, '{"a":' * 100000 + "1" + "}" * 100000):
        with pytest.raises(ValueError, match="nested too deeply"):
            loads(text)
