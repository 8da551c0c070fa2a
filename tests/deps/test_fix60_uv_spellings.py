"""Fix 60uv: pip's spellings uv takes (R50a-1) and requirements files with a byte-order mark
read as uv reads them (R50a-2). The proofs run for real in tests/deps/test_redteam50a_ordinary.py;
these pin the readings without a kernel."""

import codecs
import json
from pathlib import Path

import pytest
from install_env import GUARDED_ENV

from jupyterlab_warden.kernel.guard.installs import requirements, uv_cache
from jupyterlab_warden.kernel.guard.installs.gate import read_requests

UV_TABLE = json.loads(
    (Path(__file__).resolve().parents[2] / "schema" / "uv-cli.json").read_text(encoding="utf-8")
)


def _read(argv, cwd="/"):
    (request,) = read_requests(argv, None, dict(GUARDED_ENV), cwd)
    return request


@pytest.mark.parametrize(
    "option", ["--pre", "--force-reinstall", "--no-cache-dir", "--compile", "--no-compile",
               "--disable-pip-version-check", "--build-isolation"]
)  # fmt: skip
def test_pips_spellings_uv_takes_are_read(option):
    request = _read(["uv", "pip", "install", option, "--index-url", "https://evil.example/s", "x"])
    assert not request.problems and [r.name for r in request.requirements] == ["x"]
    # what follows the flag is still read: the index is decided
    assert [s.url for s in request.sources] == ["https://evil.example/s"]


def test_pre_enables_pre_releases_as_prerelease_allow():
    assert _read(["uv", "pip", "install", "--pre", "x"]).pre
    assert _read(["uv", "pip", "compile", "--pre", "r.in"], "/nonexistent").pre


def test_aliases_are_read_as_the_option_they_stand_for():
    assert UV_TABLE["aliases"]["--force-reinstall"] == "--reinstall"
    assert UV_TABLE["aliases"]["--no-cache-dir"] == "--no-cache"
    assert UV_TABLE["aliases"]["--compile"] == "--compile-bytecode"
    # uv's cache stays off: `--no-cache-dir` before the command is uv's --no-cache
    assert uv_cache.problem(["--no-cache-dir", "pip", "install", "x"], {}) == ""
    assert uv_cache.problem(["pip", "install", "x"], {})


def test_an_alias_is_taken_wherever_what_it_stands_for_is():
    """The flag aliases the probe found hold in every command (the readers use them both
    ways: one taken where the other is not would be read as an option uv refuses)."""
    flags = {a: n for a, n in UV_TABLE["aliases"].items() if n in UV_TABLE["flags"]}
    assert set(flags) == {"--force-reinstall", "--no-cache-dir", "--compile"}
    for command, own in UV_TABLE["by_command"].items():
        for alias, name in flags.items():
            assert (alias in own["flags"]) == (name in own["flags"]), (command, alias)


@pytest.mark.parametrize("command", [["pip", "compile"], ["pip", "sync"]])
@pytest.mark.parametrize("option", ["--pip-args", "--config"])
def test_pip_tools_options_naming_sources_are_refused_with_a_reason(command, option):
    request = _read(["uv", *command, option, "--index-url https://evil.example/s", "r.txt"])
    assert any(option in p and "Warden does not read" in p for p in request.problems)


def test_a_flag_whose_effect_the_probe_cannot_name_is_refused():
    # uv takes `--reuse-hashes` (then rejects it): its effect on the settings matches no option
    request = _read(["uv", "pip", "compile", "--reuse-hashes", "r.in"])
    assert any("--reuse-hashes" in p for p in request.problems)


TEXT = "warden-demo-pkg==1.0\r\n"


@pytest.mark.parametrize(
    "data",
    [codecs.BOM_UTF8 + TEXT.encode(), TEXT.encode("utf-16"),
     codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), TEXT.encode()],
    ids=["utf-8 BOM", "utf-16 (PowerShell)", "utf-16-be BOM", "utf-8"],
)  # fmt: skip
def test_uv_reads_a_requirements_file_by_its_byte_order_mark(tmp_path, data):
    assert requirements.uv_decode(data) == TEXT
    (tmp_path / "r.txt").write_bytes(data)
    request = _read(["uv", "pip", "install", "-r", "r.txt"], str(tmp_path))
    assert not request.problems and [r.name for r in request.requirements] == ["warden-demo-pkg"]


@pytest.mark.parametrize(
    "data",
    [b"# -*- coding: latin-1 -*-\ncaf\xe9\n",  # uv reads no coding line (pip does)
     codecs.BOM_UTF16_LE + b"x\x00y"],  # malformed after the mark: uv replaces, Warden refuses
)  # fmt: skip
def test_uv_decoding_fails_closed_where_uv_would_read_otherwise(tmp_path, data):
    (tmp_path / "r.txt").write_bytes(data)
    request = _read(["uv", "pip", "install", "-r", "r.txt"], str(tmp_path))
    assert request.problems
