"""editable_finder: setuptools' editable-install finder, written by setuptools' own template
(the kernel's setuptools, and the older one this Python's ensurepip carries), is vouched for
with any values the template writes; any other text, a value that is not a plain literal, and a
package named as one site imports at start are not."""

import glob
import os
import sys
import zipfile

import pytest
from setuptools.command.editable_wheel import _finder_template

from jupyterlab_warden.kernel.guard.installs import editable_finder

MAPPING = {"mypkg": "/home/jovyan/proj/mypkg", "other": "/home/jovyan/proj/src/other"}
NAMESPACES = {"ns": ["/home/jovyan/proj/ns"], "ns.sub": []}


def _ensurepip_template() -> str:
    """The template of the setuptools wheel this Python's ensurepip bundles (what `python -m
    venv` installs), read from the wheel's source (3.11 bundles setuptools 65.5)."""
    import ast
    import ensurepip

    bundled = os.path.join(os.path.dirname(ensurepip.__file__), "_bundled")
    wheels = glob.glob(os.path.join(bundled, "setuptools-*.whl"))
    assert wheels, f"no setuptools wheel in {bundled} (Python {sys.version_info[:2]})"
    with zipfile.ZipFile(wheels[0]) as archive:
        source = archive.read("setuptools/command/editable_wheel.py").decode("utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "_FINDER_TEMPLATE":
            return node.value.value
    raise AssertionError("no _FINDER_TEMPLATE")


def _known(text: str) -> bool:
    digest = editable_finder.shape(text)
    return digest is not None and digest in editable_finder.known_shapes()


def test_setuptools_own_finders_are_known():
    assert _known(_finder_template("mypkg-0.1", MAPPING, NAMESPACES))
    assert _known(_finder_template("x", {}, {}))
    older = _ensurepip_template()
    assert older != _finder_template.__globals__["_FINDER_TEMPLATE"]  # another template
    assert _known(older.format(name="mypkg-0.1", mapping=MAPPING, namespaces=NAMESPACES))


ORIGINAL = _finder_template("mypkg-0.1", MAPPING, NAMESPACES)


@pytest.mark.parametrize(
    "text",
    [
        ORIGINAL + "\nimport os; os.system('pip install torcj')\n",
        ORIGINAL.replace("import sys\n", "import sys, os\n", 1),
        # a value that runs code, or is no literal of the template's kind
        ORIGINAL.replace(repr(MAPPING), "{'mypkg': __import__('os').getcwd()}"),
        ORIGINAL.replace(repr(MAPPING), repr(MAPPING) + "; import os"),
        ORIGINAL.replace(repr(MAPPING), "{'mypkg': 1}"),
        ORIGINAL.replace(repr(NAMESPACES), "{'ns': '/x'}"),
        ORIGINAL.replace("'mypkg-0.1' + \".__path_hook__\"", "str(1) + \".__path_hook__\""),
        # a package site imports by name at start, mapped to the project's folder
        _finder_template("x", {"sitecustomize": "/tmp/evil"}, {}),
        _finder_template("x", {}, {"usercustomize": ["/tmp/evil"]}),
        # a value line twice, or missing
        ORIGINAL.replace("\nNAMESPACES", "\nMAPPING = {}\nNAMESPACES", 1),
        "\n".join(line for line in ORIGINAL.split("\n") if not line.startswith("NAMESPACES")),
    ],
    ids=[
        "code-appended", "import-changed", "value-call", "value-then-code", "value-not-str",
        "namespace-not-list", "placeholder-call", "maps-sitecustomize",
        "namespace-usercustomize", "mapping-twice", "namespaces-missing",
    ],
)  # fmt: skip
def test_other_text_is_not_vouched_for(text):
    assert text != ORIGINAL
    assert not _known(text)


def test_the_file_is_read_by_its_name_and_text(tmp_path):
    finder = tmp_path / "__editable___mypkg_0_1_finder.py"
    finder.write_text(ORIGINAL)
    assert editable_finder.vouched(str(finder))
    other = tmp_path / "mypkg_finder.py"  # setuptools' text under another name
    other.write_text(ORIGINAL)
    assert not editable_finder.vouched(str(other))
    finder.write_bytes(b"\xff" + ORIGINAL.encode())
    assert not editable_finder.vouched(str(finder))


def test_no_shapes_file_vouches_for_nothing(tmp_path, monkeypatch):
    """Fail closed: without the shipped digests no finder is vouched for."""
    monkeypatch.setattr(editable_finder, "_shapes", None)
    monkeypatch.setattr(editable_finder, "data_path", lambda name: str(tmp_path / name))
    assert editable_finder.known_shapes() == frozenset()
    finder = tmp_path / "__editable___mypkg_0_1_finder.py"
    finder.write_text(ORIGINAL)
    assert not editable_finder.vouched(str(finder))
