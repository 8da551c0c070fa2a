"""red8 R8-16: a local wheel's Requires-Dist is decided (kernel side; the static side reads
no binary file: docs/threat-model.md)."""

import zipfile
from pathlib import Path

import pytest
from test_install_config_files import _decided

EVIL = "http://127.0.0.1:8766/files/black-99.0-py3-none-any.whl"


def _wheel(path: Path, requires, metadata=True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("harmless/__init__.py", "")
        if metadata:
            lines = ["Metadata-Version: 2.1", "Name: harmless", "Version: 1.0"]
            lines += [f"Requires-Dist: {r}" for r in requires]
            archive.writestr("harmless-1.0.dist-info/METADATA", "\n".join(lines) + "\n")
        archive.writestr("harmless-1.0.dist-info/RECORD", "")
    return path


@pytest.mark.parametrize(
    "command",
    [
        "pip install ./harmless-1.0-py3-none-any.whl",
        "uv pip install ./harmless-1.0-py3-none-any.whl",
        "pip install harmless@file://{root}/harmless-1.0-py3-none-any.whl",
        "cd sub && uv pip install ../harmless-1.0-py3-none-any.whl",
    ],
)
def test_a_local_wheels_url_dependency_is_refused(tmp_path, command):
    _wheel(tmp_path / "harmless-1.0-py3-none-any.whl", ["numpy", f"black @ {EVIL}"])
    (tmp_path / "sub").mkdir()
    rules, runs, _, names = _decided(command.format(root=tmp_path), tmp_path)
    assert "black" in names and "install-direct-reference" in rules and not runs, rules


def test_a_local_wheel_with_plain_dependencies_stays_allowed(tmp_path):
    _wheel(tmp_path / "dist/harmless-1.0-py3-none-any.whl", ["numpy>=1.26", 'rich; extra == "x"'])
    rules, runs, _, names = _decided("pip install ./dist/harmless-1.0-py3-none-any.whl", tmp_path)
    assert (rules, runs) == ([], True) and {"numpy", "rich"} <= names


@pytest.mark.parametrize("shape", ["no METADATA", "not a zip"])
def test_a_local_wheel_warden_cannot_read_is_refused(tmp_path, shape):
    path = tmp_path / "bad-1.0-py3-none-any.whl"
    if shape == "no METADATA":
        _wheel(path, [], metadata=False)
    else:
        path.write_bytes(b"not a zip")
    rules, runs, _, _ = _decided("pip install ./bad-1.0-py3-none-any.whl", tmp_path)
    assert "install-unreadable" in rules and not runs
