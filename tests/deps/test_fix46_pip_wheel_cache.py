"""Fix for red team 41a R41a-3: a wheel pip takes from its wheel cache is read first.

The proof is ``test_redteam41a_pip_wheel_cache.py``. These check the ordinary forms stay
open: a cached wheel that downloads nothing more is installed from the cache (pip's cache is
not turned off), and a pip whose wheel cache Warden cannot read is refused with the way out
(``--no-cache-dir``).
"""

import json
import types

import test_redteam41a_pip_wheel_cache as proof
from local_index import build_wheel
from test_redteam41a_pip_wheel_cache import CELL, _cache_folder

from jupyterlab_warden.kernel.guard.installs import pip_wheel_cache

trusted = proof.trusted  # the proof's index serving proj's sdist only (a fixture)


def _trusting(kernel, simple: str) -> None:
    policy = {"schema_version": 1, "revision": 3, "trusted_sources": {"package_indexes": [simple]}}
    kernel.policy.write_text(json.dumps(policy))


def test_a_cached_wheel_that_downloads_nothing_installs_from_the_cache(kernel, trusted):
    simple, link, served = trusted
    build_wheel(kernel.work / "kit", "proj", body="")
    _trusting(kernel, simple)
    code = f"CACHED = {_cache_folder(kernel.home, link)!r}\nTRUSTED = {simple!r}\n" + CELL
    guarded = kernel.cell(code, launched=True)
    assert kernel.installed("proj_mod"), guarded
    assert "/files/proj-1.0.tar.gz" not in served, served  # the cache answered, read


def test_the_refusal_names_pip_s_wheel_cache(kernel, trusted):
    simple, link, _served = trusted
    url = f"{kernel.index.base}/files/warden_demo_pkg-1.0-py3-none-any.whl"
    build_wheel(
        kernel.work / "kit", "proj", body="", requires=f"Requires-Dist: warden-demo-pkg @ {url}\n"
    )
    _trusting(kernel, simple)
    code = f"CACHED = {_cache_folder(kernel.home, link)!r}\nTRUSTED = {simple!r}\n" + CELL
    guarded = kernel.cell(code, launched=True)
    assert "pip's wheel cache" in guarded["stderr"], guarded
    assert not kernel.installed("proj_mod") and not kernel.index.requests, guarded


def test_a_wheel_cache_warden_does_not_read_is_refused_unless_off(monkeypatch):
    import pip._internal.cache as cache

    on, off = types.SimpleNamespace(cache_dir="/c"), types.SimpleNamespace(cache_dir=None)
    assert pip_wheel_cache.unchecked(off) == ""
    # this test process's pip is not patched: its WheelCache answers hits unread
    assert "--no-cache-dir" in pip_wheel_cache.unchecked(on)

    def ours(self, link, *args):
        return None

    ours.__warden_kind__ = "pip-wheel-cache"
    monkeypatch.setattr(cache.WheelCache, "get_cache_entry", ours)
    assert pip_wheel_cache.unchecked(on) == ""
