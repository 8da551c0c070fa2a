"""uv's cache under Warden, gentler and switchable (uv_cache; R40b-3 is the proof it rests on).

A start given its own ``env=`` that does not set ``UV_NO_CACHE`` gets ``UV_NO_CACHE=1``
(``child_path.rerouter``) and runs; one that sets a false value is still refused; where the
launch hands no guard on, nothing is handed on and the start is still refused. The admin's
``dependencies.uv_cache: "allowed"`` lifts both the kernel's ``UV_NO_CACHE=1`` and the refusal;
only the lab's policy can. Whether uv really ran without its cache is read where it would
write it: the ``UV_CACHE_DIR`` the start names (uv, given ``UV_NO_CACHE``, takes a new
temporary folder instead: test_fix45local_uv_cache).
"""

import json
import os
import shlex
from types import SimpleNamespace

import pytest
from install_env import child_env
from launched import CELL, run_python, system_cell
from real_uv import real_uv

from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR
from jupyterlab_warden.kernel.guard.installs import decide, uv_cache
from jupyterlab_warden.kernel.guard.installs.child_path import rerouter
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest
from jupyterlab_warden.kernel.guard.state import GuardState

ALLOWED = {"uv_cache": "allowed"}


def _policy(kernel, dependencies=None) -> dict:
    policy = {"schema_version": 1, "revision": 3}
    policy["trusted_sources"] = {"package_indexes": [kernel.index.simple]}
    if dependencies is not None:
        policy["dependencies"] = dependencies
    return policy


def _words(kernel) -> list:
    """The harness's uv install without its own --no-cache: the environment decides."""
    words = shlex.split(kernel.uv_install())
    words.remove("--no-cache")
    return words


def _cache_written(cache) -> bool:
    return cache.exists() and any(cache.iterdir())


def _given_env_cell(kernel, cache, extra: str = "") -> str:
    """A cell running the uv install with an env= of PATH and uv's cache folder only (the
    common shape), ``extra`` added to that env (no braces: ``Kernel.cell`` formats the code)."""
    return (
        "import os, subprocess\n"
        f"env = dict(PATH=os.environ['PATH'], UV_CACHE_DIR={str(cache)!r}{extra})\n"
        f"subprocess.run({_words(kernel)!r}, env=env, check=True)\n"
    )


def test_a_given_env_without_it_gets_it_and_runs(kernel, tmp_path):
    """Refused before (test_fix45local_uv_cache's old proof); now uv runs, and with no cache:
    the folder the env names stays empty, which uv fills without Warden."""
    kernel.policy.write_text(json.dumps(_policy(kernel)))
    cache = tmp_path / "uv-cache"
    code = _given_env_cell(kernel, cache)
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and kernel.installed(), plain
    assert _cache_written(cache), "uv without Warden fills the cache folder it is given"
    kernel.reset()
    cache.rename(tmp_path / "plain-cache")
    guarded = kernel.cell(code, launched=True)
    assert guarded["refused"] is None and kernel.installed(), guarded
    assert not _cache_written(cache), "the child ran with the cache: UV_NO_CACHE not handed on"


@pytest.mark.parametrize("value", ["0", "false", "no"])
def test_a_given_env_setting_it_false_is_still_refused(kernel, tmp_path, value):
    code = _given_env_cell(kernel, tmp_path / "uv-cache", f", UV_NO_CACHE={value!r}")
    refused = kernel.proves(code)
    assert "UV_NO_CACHE=1" in refused, refused


def test_nothing_is_handed_on_where_children_are_not_guarded(kernel, tmp_path):
    """A Python whose guard was installed in-process (no launch guard for its children):
    ``rerouter`` hands nothing on, so the env= without the variable is refused (fail closed)."""
    policy = _policy(kernel)
    code = (
        "from jupyterlab_warden.kernel import guard\n"
        f"state = guard.install({policy!r})\n"
        "assert not state.installs.launch.children_guarded\n"
        + _given_env_cell(kernel, tmp_path / "uv-cache")
    )
    env = child_env(tmp_path / "spool", kernel.home)
    env["PATH"] = os.path.dirname(real_uv()) + os.pathsep + env["PATH"]
    (tmp_path / "spool").mkdir(mode=0o700)
    kernel.reset()
    result = run_python(CELL, [code], env, cwd=kernel.work)
    assert result["refused"] and "UV_NO_CACHE=1" in result["refused"], result
    assert kernel.index.requests == [] and not kernel.installed(), result


def test_the_admin_may_allow_uv_cache(kernel, tmp_path):
    """``dependencies.uv_cache: "allowed"``: the kernel's environment holds no UV_NO_CACHE, a
    given env is left as it is, a line turning the cache on is not refused, and uv fills the
    cache folder it is given."""
    kernel.policy.write_text(json.dumps(_policy(kernel, ALLOWED)))
    cache, line_cache = tmp_path / "uv-cache", tmp_path / "line-cache"
    line = shlex.join(["env", "UV_NO_CACHE=0", f"UV_CACHE_DIR={line_cache}", *_words(kernel)])
    code = (
        "import os\n"
        "assert 'UV_NO_CACHE' not in os.environ, os.environ['UV_NO_CACHE']\n"
        + _given_env_cell(kernel, cache)
        + "import shutil\n"
        f"shutil.rmtree({str(kernel.target)!r})\n"
        f"assert os.system({line!r}) == 0\n"
    )
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert guarded["refused"] is None and kernel.installed(), guarded
    assert _cache_written(cache) and _cache_written(line_cache)


def test_the_switch_absent_or_off_keeps_todays_refusal(kernel):
    for dependencies in (None, {"uv_cache": "off"}):
        kernel.policy.write_text(json.dumps(_policy(kernel, dependencies)))
        words = _words(kernel)
        refused = kernel.cell(system_cell(shlex.join(["env", "UV_NO_CACHE=0", *words])), True)
        assert refused["refused"] and "UV_NO_CACHE=1" in refused["refused"], refused
        assert not kernel.installed()


@pytest.mark.parametrize(
    "policy, allowed",
    [
        ({"dependencies": ALLOWED}, True),
        ({"dependencies": {"uv_cache": "off"}}, False),
        ({"dependencies": {}}, False),
        ({}, False),
        (None, False),
        ({"dependencies": {"uv_cache": True}}, False),  # not the schema's: read as off
        ({"dependencies": ["uv_cache"]}, False),
    ],
)
def test_only_an_explicit_allowed_allows_it(policy, allowed):
    assert uv_cache.cache_allowed(policy) is allowed
    request = InstallRequest("uv", "uv pip install")
    request.uv_cache = uv_cache.problem(["pip", "install", "x"], {})
    reasons = [f.reason for f in decide.decide(request, policy, _NoData())]
    assert reasons == ([] if allowed else ["uv-cache"])


def test_users_cannot_allow_it():
    """In-kernel ``install(policy)`` only tightens: the switch is not taken from it."""
    state = GuardState({"schema_version": 1})
    assert state.tighten({"schema_version": 1, "dependencies": ALLOWED}) is False
    assert "dependencies.uv_cache" in state.errors[-1]
    assert decide.looser({}, {"dependencies": ALLOWED}) == "dependencies.uv_cache"
    assert decide.looser({"dependencies": ALLOWED}, {}) is None


def test_the_handed_value_follows_the_policy_in_force():
    """``rerouter``'s memo of a start that needed nothing because the policy allowed the cache
    holds for that policy only: under the next one, the same env gets UV_NO_CACHE=1. A value
    the start sets (str or bytes name) is never changed."""
    launch = SimpleNamespace(children_guarded=True, python=(("PYTHONPATH", SITE_DIR),), handed=())
    state = SimpleNamespace(
        installs=SimpleNamespace(launch=launch), policy={"dependencies": ALLOWED}
    )
    reroute = rerouter(state)
    env = {"PYTHONPATH": SITE_DIR, "PATH": "/usr/bin"}
    assert reroute(env) is env and reroute(env) is env
    state.policy = {"dependencies": {"uv_cache": "off"}}
    handed = reroute(env)
    assert handed == dict(env, UV_NO_CACHE="1") and "UV_NO_CACHE" not in env
    for kept in (
        dict(env, UV_NO_CACHE="0"),
        {b"PYTHONPATH": os.fsencode(SITE_DIR), b"UV_NO_CACHE": b""},
    ):
        assert reroute(kept) is kept
    assert reroute(None) is None  # inherited: the kernel's own, kept by the gate


class _NoData:
    problems = ()

    def with_policy(self, policy):
        return self


def test_the_schema_names_the_switch():
    from jupyterlab_warden.kernel.contracts import load_contract

    schema = load_contract("policy.schema.json")["properties"]["dependencies"]
    assert schema["properties"]["uv_cache"]["enum"] == ["off", "allowed"]
