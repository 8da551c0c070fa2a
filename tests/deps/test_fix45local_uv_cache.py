"""Red team 40b R40b-3: uv runs without its persistent cache under Warden (``uv_cache``).

The proof (test_redteam40b_installer_cache.py) plants a poisoned cache; these pin the
mechanism: every guarded Python keeps ``UV_NO_CACHE=1`` in its environment, a uv install
whose environment lost it (and whose leading options say no ``--no-cache``) is refused, and the
ordinary ``uv pip install`` still runs. A start given its own ``env=`` without it gets it
(test_uvcache50_uv_cache.py, with the admin's ``dependencies.uv_cache`` switch).
"""

import json
import shlex
import subprocess

import pytest
from launched import system_cell
from real_uv import real_uv

from jupyterlab_warden.kernel.guard.installs import uv_cache

INSTALL = ["pip", "install", "x"]


@pytest.mark.parametrize(
    "args, env",
    [
        (INSTALL, {"UV_NO_CACHE": "1"}),
        (INSTALL, {"UV_NO_CACHE": "TRUE"}),
        (["--no-cache", *INSTALL], {}),
        (["-qn", *INSTALL], {"UV_NO_CACHE": "0"}),
    ],
)
def test_uv_without_its_cache_is_accepted(args, env):
    assert uv_cache.problem(args, env) == ""


@pytest.mark.parametrize(
    "args, env",
    [
        (INSTALL, {}),
        (INSTALL, {"UV_NO_CACHE": "0"}),
        (INSTALL, {"UV_NO_CACHE": " 1"}),  # an error for uv, never a yes
        (["--cache-dir", "-n", *INSTALL], {}),  # `-n` is the cache folder's name here
        (["pip", "install", "--no-cache", "x"], {"UV_NO_CACHE": "off"}),  # only leading ones
    ],
)
def test_uv_with_its_cache_is_refused(args, env):
    assert "UV_NO_CACHE=1" in uv_cache.problem(args, env)


def test_keep_off_sets_a_true_value():
    for given, kept in (({}, "1"), ({"UV_NO_CACHE": "0"}, "1"), ({"UV_NO_CACHE": "yes"}, "yes")):
        uv_cache.keep_off(given)
        assert given["UV_NO_CACHE"] == kept


def _line(kernel, prefix: str = "") -> str:
    """The harness's uv install line without its own --no-cache: the environment decides."""
    words = shlex.split(kernel.uv_install())
    words.remove("--no-cache")
    return prefix + shlex.join(words)


def test_the_ordinary_uv_install_runs(kernel):
    """``uv pip install`` from an index the policy trusts (the test index here) installs."""
    policy = {"schema_version": 1, "revision": 3}
    policy["trusted_sources"] = {"package_indexes": [kernel.index.simple]}
    kernel.policy.write_text(json.dumps(policy))
    kernel.reset()
    guarded = kernel.cell(system_cell(_line(kernel)), launched=True)
    assert guarded["refused"] is None and kernel.installed(), guarded


def test_a_line_turning_the_cache_back_on_is_refused(kernel):
    refused = kernel.proves(system_cell(_line(kernel, "UV_NO_CACHE=0 ")))
    assert "UV_NO_CACHE=1" in refused, refused


@pytest.mark.parametrize(
    "how",
    [
        "os.environ.pop('UV_NO_CACHE', None)",
        "import posix; posix.unsetenv('UV_NO_CACHE')",
    ],
)
def test_a_cell_removing_it_is_refused(kernel, how):
    line = _line(kernel)
    refused = kernel.proves(f"import os\n{how}\nos.system({line!r})\n")
    assert "UV_NO_CACHE=1" in refused, refused


def test_the_real_uv_reads_no_cache_over_a_cache_dir(tmp_path):
    """What the mechanism rests on: with UV_NO_CACHE uv takes a new temporary folder, not the
    one --cache-dir names (uv 0.13.9)."""
    out = subprocess.run(
        [real_uv(), "cache", "dir", "--cache-dir", str(tmp_path)],
        env={"UV_NO_CACHE": "1", "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert str(tmp_path) not in out and out.strip(), out
