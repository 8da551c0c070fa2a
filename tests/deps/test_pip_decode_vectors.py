"""The shared pip-decode vectors (schema/vectors/pip-decode.json): a requirements file's bytes
turned into the text pip reads (red team 50c R50c-1). Each is held to pip's own
``auto_decode`` and to the kernel's port ``requirements.pip_decode``; src/deps/pipdecode.spec.ts
holds warden-scan's ``pipDecode`` to the same vectors."""

import codecs
import json
from pathlib import Path

import pytest
from pip._internal.utils.encoding import auto_decode

from jupyterlab_warden.kernel.guard.installs.requirements import pip_decode

REPO = Path(__file__).resolve().parents[2]
VECTORS = json.loads((REPO / "schema" / "vectors" / "pip-decode.json").read_text("utf-8"))


def _read(decode, data: bytes):
    try:
        return decode(data)
    except (UnicodeError, LookupError):
        return None


@pytest.mark.parametrize("vector", VECTORS["files"], ids=[v["name"] for v in VECTORS["files"]])
def test_pip_and_the_kernel_read_the_text(vector):
    data = vector["bytes"].encode("latin-1")
    assert _read(auto_decode, data) == vector["text"]
    assert _read(pip_decode, data) == vector["text"]


@pytest.mark.parametrize(
    "vector", VECTORS["codings"], ids=[v["coding"] for v in VECTORS["codings"]]
)
def test_python_finds_the_codec_a_coding_line_names(vector):
    try:
        found = codecs.lookup(vector["coding"]).name
    except LookupError:
        found = None
    assert found == vector["python"]
