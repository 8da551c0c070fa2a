"""Installs started from a guarded process against a real local index on 127.0.0.1.

Each refusal is proven three ways: the guard raised before the process started (the
subprocess call itself failed), pip never ran (its --log file does not exist and the index
received no request), and the package is not installed; and the same command without the
guard does install it (so the test would catch a guard that let it through).
"""

import json
import subprocess
import sys

import pytest
from install_env import spooled
from launched import launch_env

POLICY = {"schema_version": 1, "revision": 3}


def _policy(index) -> dict:
    return dict(POLICY, trusted_sources={"package_indexes": [index.simple]})


def _pip(tmp_path, index_url, *requirements, extra=()):
    return [
        sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(tmp_path / "target"),
        "--log", str(tmp_path / "pip.log"), "--index-url", index_url, *extra, *requirements,
    ]  # fmt: skip


def _installed(tmp_path, name) -> bool:
    target = tmp_path / "target"
    return target.exists() and any(target.glob(name.replace("-", "_") + "_mod"))


def test_allowed_install_from_a_trusted_index_runs_and_is_recorded(guarded, index, tmp_path):
    result = guarded(_policy(index), _pip(tmp_path, index.simple, "warden-demo-pkg"))
    assert result["refused"] is None and result["returncode"] == 0, result
    assert _installed(tmp_path, "warden-demo-pkg")
    [event] = [e for e in guarded.events() if e["rule_id"] == "install-allowed"]
    assert event["action"] == "allowed"
    assert event["evidence"]["packages"] == ["warden-demo-pkg"]
    assert event["evidence"]["indexes"] == [index.simple]


def _launch_env(guarded, index, tmp_path):
    """A kernel's launch environment (the guard's site dir, its policy file and spool) and
    its spool folder: what a Python the kernel starts inherits."""
    policy = tmp_path / "launch-policy.json"
    policy.write_text(json.dumps(_policy(index)))
    spool = tmp_path / "launch-spool"
    spool.mkdir(mode=0o700)
    return launch_env(tmp_path, spool, guarded.home, policy, pinned=False), spool


def _assert_refused_before_pip(guarded, index, tmp_path, result, rule, words):
    assert result["type"] == "WardenBlockedInstall", result
    for word in words:
        assert word in result["refused"]
    assert "What to do:" in result["refused"]
    assert not (tmp_path / "pip.log").exists(), "pip started"
    assert index.requests == [], "the index was contacted"
    events = guarded.events()
    assert [e["action"] for e in events if e["rule_id"] == rule] == ["blocked"]
    assert not [e for e in events if e["rule_id"] == "install-allowed"]


@pytest.mark.parametrize(
    ("name", "rule", "words"),
    [
        ("torcj", "install-imitation-name", ["'torcj'", "'torch'"]),
        ("scikit-lean", "install-imitation-name", ["'scikit-lean'", "'scikit-learn'"]),
        ("tranformers", "install-imitation-name", ["'tranformers'", "'transformers'"]),
        ("aiohtt", "install-known-malicious", ["MAL-2023-1578"]),
    ],
)
def test_listed_and_imitation_names_are_refused_before_pip_runs(
    guarded, index, tmp_path, name, rule, words
):
    index.requests.clear()
    result = guarded(_policy(index), _pip(tmp_path, index.simple, name))
    _assert_refused_before_pip(guarded, index, tmp_path, result, rule, words)
    assert not _installed(tmp_path, name)


def test_without_the_guard_the_same_install_succeeds(guarded, index, tmp_path):
    """The control: the index really serves torcj and pip really installs it."""
    result = guarded(_policy(index), _pip(tmp_path, index.simple, "torcj"), guarded=False)
    assert result["exit"] == 0, result["stderr"]
    assert _installed(tmp_path, "torcj")
    assert (tmp_path / "pip.log").exists()


def test_an_index_the_policy_does_not_trust_is_refused(guarded, index, tmp_path):
    index.requests.clear()
    result = guarded(POLICY, _pip(tmp_path, index.simple, "warden-demo-pkg"))
    _assert_refused_before_pip(
        guarded, index, tmp_path, result, "install-index-not-allowed", [index.simple]
    )
    assert not _installed(tmp_path, "warden-demo-pkg")


def test_an_untrusted_extra_index_is_refused_as_dependency_confusion(guarded, index, tmp_path):
    index.requests.clear()
    command = _pip(
        tmp_path, index.simple, "warden-demo-pkg", extra=("--extra-index", "http://127.0.0.1:9/x")
    )  # an optparse abbreviation of --extra-index-url: pip would accept it
    result = guarded(_policy(index), command)
    _assert_refused_before_pip(
        guarded, index, tmp_path, result, "install-index-not-allowed", ["dependency confusion"]
    )


def test_a_direct_url_install_is_refused(guarded, index, tmp_path):
    index.requests.clear()
    url = index.file_url("warden_demo_pkg-1.0-py3-none-any.whl")
    result = guarded(POLICY, _pip(tmp_path, "https://pypi.org/simple", url))
    _assert_refused_before_pip(
        guarded, index, tmp_path, result, "install-direct-reference", ["direct URL"]
    )


def test_pip_index_url_in_the_environment_is_decided(guarded, index, tmp_path):
    index.requests.clear()
    command = (
        f"PIP_INDEX_URL={index.simple} {sys.executable} -m pip install --no-deps "
        f"--target {tmp_path / 'target'} --log {tmp_path / 'pip.log'} warden-demo-pkg"
    )
    result = guarded(POLICY, command)
    _assert_refused_before_pip(
        guarded, index, tmp_path, result, "install-index-not-allowed", ["PIP_INDEX_URL"]
    )


def test_requirements_file_lines_are_each_decided(guarded, index, tmp_path):
    index.requests.clear()
    (tmp_path / "more.txt").write_text("warden-demo-pkg\n")
    (tmp_path / "requirements.txt").write_text(
        "-r more.txt\n# a comment\ntorcj==1.0 \\\n  ; python_version > '3'\n"
    )
    command = [
        sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(tmp_path / "target"),
        "--log", str(tmp_path / "pip.log"), "-i", index.simple, "-r", "requirements.txt",
    ]  # fmt: skip
    result = guarded(_policy(index), command)
    _assert_refused_before_pip(
        guarded, index, tmp_path, result, "install-imitation-name", ["requirements.txt line 3"]
    )


def test_an_install_hidden_behind_a_shell_expansion_is_refused(guarded, index, tmp_path):
    index.requests.clear()
    command = f"{sys.executable} -m pip install --log {tmp_path / 'pip.log'} $(echo torcj)"
    result = guarded(_policy(index), command)
    _assert_refused_before_pip(
        guarded, index, tmp_path, result, "install-unreadable", ["shell expansion"]
    )


@pytest.mark.parametrize(
    "command",
    [
        ["ls", "/"],
        "git --version >/dev/null 2>&1; echo $HOME",
        [sys.executable, "-m", "pip", "list"],
    ],
)
def test_other_commands_run_untouched(guarded, index, command):
    result = guarded(POLICY, command)
    assert result["refused"] is None, result
    assert guarded.events() == []


def test_an_install_behind_a_launcher_is_decided_in_the_parent(guarded, index, tmp_path):
    """red team 7 R7-13: setsid is no installer name, but the argv names one: the start is read
    in full (the fast path looks at the arguments), not left to the child."""
    index.requests.clear()
    command = ["setsid", "-w"] + _pip(tmp_path, index.simple, "warden-demo-pkg")
    result = guarded(POLICY, command)
    _assert_refused_before_pip(
        guarded, index, tmp_path, result, "install-index-not-allowed", [index.simple]
    )


def test_a_requirements_file_written_earlier_on_the_line_is_decided_when_pip_starts(
    guarded, index, tmp_path
):
    """red team 7 R7-16: the file the parent reads is not the one pip reads. For pip that is
    left to the guard pip inherits (a lab kernel's launch environment): the line runs, and the
    pip it starts decides the file as it is then, before contacting the index."""
    index.requests.clear()
    env, spool = _launch_env(guarded, index, tmp_path)
    requirements = tmp_path / "r.txt"
    requirements.write_text("warden-demo-pkg\n")
    pip = " ".join(_pip(tmp_path, index.simple, "-r", str(requirements)))
    line = f"echo torcj > {requirements}; {pip}"
    script = tmp_path / "line.sh"
    script.write_text(line + "\n")
    # Started from a Python of the launch environment, as a kernel starts it; not from this
    # process, whose own guard (installed by other tests in a whole run) would decide it.
    starter = "import subprocess, sys; sys.exit(subprocess.run(['bash', sys.argv[1]]).returncode)"
    done = subprocess.run(
        [sys.executable, "-c", starter, str(script)],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert requirements.read_text() == "torcj\n"  # the line ran
    assert done.returncode != 0
    assert "Jupyter Warden refused `pip install`" in done.stderr
    assert "'torcj'" in done.stderr and "'torch'" in done.stderr
    assert index.requests == [], "the index was contacted"
    assert not _installed(tmp_path, "torcj")
    assert [e["rule_id"] for e in spooled(spool) if e["action"] == "blocked"] == [
        "install-imitation-name"
    ]


@pytest.mark.parametrize(
    "drop",
    ["export PYTHONPATH=", "unset PYTHONPATH", "PYTHONPATH=/tmp", "PYTHONPATH= :"],
    ids=["export", "unset", "assignment", "before-a-special-builtin"],
)
def test_a_file_written_on_the_line_is_refused_when_the_line_drops_the_guard_before_pip(
    guarded, index, tmp_path, drop
):
    """A pip left to its inherited guard must really inherit it: here the line drops the
    guard's PYTHONPATH entry before pip (`PYTHONPATH= :` through sh's POSIX rule that keeps
    assignments before a special builtin), so the parent's early read of r.txt (an allowed
    name) would decide a file the line rewrites to a refused one. The control shows pip then
    installs it; from a kernel's launch environment the parent refuses the line."""
    index.requests.clear()
    requirements = tmp_path / "r.txt"
    requirements.write_text("warden-demo-pkg\n")  # what the parent reads before the line runs
    pip = " ".join(_pip(tmp_path, index.simple, "-r", str(requirements)))
    line = f"echo torcj > {requirements}; {drop}; {pip}"

    control = guarded(_policy(index), line, guarded=False)  # no guard anywhere: sh runs it
    assert control["exit"] == 0, control["stderr"]
    assert _installed(tmp_path, "torcj"), "the control did not install the rewritten file"
    (tmp_path / "pip.log").unlink()
    subprocess.run(["rm", "-rf", str(tmp_path / "target")], check=True)
    requirements.write_text("warden-demo-pkg\n")
    index.requests.clear()

    env, spool = _launch_env(guarded, index, tmp_path)
    # A kernel's Python runs the line with os.system (sh, as `!cmd` does); the parent reads it.
    starter = "import os, sys; sys.exit(os.waitstatus_to_exitcode(os.system(sys.argv[1])))"
    done = subprocess.run(
        [sys.executable, "-c", starter, line], env=env, capture_output=True, text=True, timeout=240
    )
    assert done.returncode != 0
    assert "Jupyter Warden refused" in done.stderr
    assert "without Warden's guard" in done.stderr
    assert requirements.read_text() == "warden-demo-pkg\n"  # the line never ran
    assert index.requests == [], "the index was contacted"
    assert not (tmp_path / "pip.log").exists(), "pip started"
    assert not _installed(tmp_path, "torcj")
    assert [e["rule_id"] for e in spooled(spool) if e["action"] == "blocked"] == [
        "install-unreadable"
    ]
