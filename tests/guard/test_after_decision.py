"""The in-process guard (this test process's): no cell code runs between a start's decision and
its exec (red team 11 R11-9, R11-10). The launched kernel's proofs, with installs, are in
tests/deps/test_after_decision.py."""

import os
import subprocess
import sys

import pytest

from jupyterlab_warden.kernel.guard.installs.preexec import in_c

PRINT_IDS = "import os; print(os.getpid(), os.getpgrp(), os.getsid(0))"


def test_an_audit_hook_added_after_the_guards_is_not_added(guard, capfd):
    seen = []
    assert sys.addaudithook(lambda event, args: seen.append(event)) is None  # no error...
    sys.audit("jupyterlab_warden.test.after_hook")
    assert seen == []  # ...and never called
    err = capfd.readouterr().err
    assert "Jupyter Warden refused sys.addaudithook (called from " in err
    assert f"{__file__}:" in err  # where: this test's line
    events = [e for e in guard.events if e["rule_id"] == "guard-audit-hook-refused"]
    assert [e["action"] for e in events] == ["blocked"]


def test_without_the_guard_a_later_hook_sees_the_start(tmp_path):
    """The control: in a Python without Warden the same hook is added and runs on the start."""
    code = (
        "import subprocess, sys\nseen = []\n"
        "sys.addaudithook(lambda e, a: seen.append(e))\n"
        "subprocess.run(['true'])\nprint('subprocess.Popen' in seen)\n"
    )
    done = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "True", done.stderr


def test_a_preexec_fn_running_python_is_refused_before_the_fork(guard, marker):
    with pytest.raises(PermissionError, match="preexec_fn") as refused:
        subprocess.run(["true"], preexec_fn=lambda: marker.write_text("ran in the child"))
    assert "start_new_session=True" in str(refused.value)
    assert any(e["rule_id"] == "install-unreadable" for e in guard.events)


def test_without_the_guard_the_preexec_fn_runs(tmp_path):
    target = tmp_path / "ran"
    late = f"lambda: open({str(target)!r}, 'w')"
    code = f"import subprocess; subprocess.run(['true'], preexec_fn={late})"
    subprocess.run([sys.executable, "-I", "-c", code], check=True)
    assert target.exists()


@pytest.mark.parametrize("name", ["setsid", "setpgrp"])
def test_setsid_and_setpgrp_run_in_c_with_their_meaning(guard, name):
    done = subprocess.run(
        [sys.executable, "-I", "-c", PRINT_IDS], preexec_fn=getattr(os, name),
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    pid, pgrp, sid = map(int, done.stdout.split())
    assert pgrp == pid
    assert (sid == pid) is (name == "setsid")


def test_only_the_posix_builtins_themselves_count():
    assert in_c(os.setsid) == ("start_new_session", True)
    assert in_c(os.setpgrp) == ("process_group", 0)

    def setsid():
        pass

    for other in (setsid, os.getpid, len, lambda: None, print):
        assert in_c(other) is None


def test_a_replaced_os_setsid_is_refused(guard, monkeypatch, marker):
    monkeypatch.setattr(os, "setsid", lambda: marker.write_text("ran in the child"))
    with pytest.raises(PermissionError, match="preexec_fn"):
        subprocess.run(["true"], preexec_fn=os.setsid)


def test_starts_without_preexec_fn_are_unchanged(guard):
    assert subprocess.run(["true"]).returncode == 0
    assert subprocess.run(["true"], start_new_session=True).returncode == 0
