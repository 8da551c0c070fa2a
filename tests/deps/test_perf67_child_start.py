"""What perf67 took off a guarded child's common start, shown to decide as before.

- ``line_writers.may_write`` keeps its answer per name: a pure function of the name and the
  tables it reads once, asked of the program's name at every start a guarded Python makes;
- ``InstallGate.check`` asks ``allowed_install`` (a walk of the frames) once per start and
  hands its answer to ``_check``, and a child's common start reads the folder it runs in as
  ``check`` asked it (``here``, the folder ``decided_start`` starts the child in) instead of
  asking ``getcwd`` a third time. The answers are the ones asked before.
"""

import os
import sysconfig

import pytest

from jupyterlab_warden.kernel.guard.installs import (
    decided_start,
    gate,
    interpreters,
    line_writers,
)
from jupyterlab_warden.kernel.guard.installs.gate import InstallGate, WardenBlockedInstall
from jupyterlab_warden.kernel.guard.state import GuardState

POLICY = {"schema_version": 1, "revision": 3}
NAMES = (
    "true", "ls", "cp", "tar", "python3", "python3.11", "pypy3", "awk", "gawk", "perl",
    "perl5.36", "node", "ruby", "sed", "install", "rsync", "bash", "env", "", "x" * 300,
)  # fmt: skip


def test_kept_answers_are_the_names_readings(monkeypatch):
    monkeypatch.setattr(line_writers, "_MAY_WRITE", {})
    for name in NAMES:
        read = line_writers._listed(name) or interpreters.code_writer_name(name)
        assert line_writers.may_write(name) is read  # read now
        assert line_writers.may_write(name) is read  # kept (or read again: a long name)
    assert "x" * 300 not in line_writers._MAY_WRITE
    assert line_writers._MAY_WRITE["awk"] is True and line_writers._MAY_WRITE["true"] is False


def test_the_kept_answers_are_bounded(monkeypatch):
    monkeypatch.setattr(line_writers, "_MAY_WRITE", {})
    for n in range(1500):
        line_writers.may_write(f"tool{n}")
    assert 0 < len(line_writers._MAY_WRITE) <= 1024


def _child_gate():
    child = InstallGate(GuardState(dict(POLICY)))
    child.kernel = False
    return child


def _asked(monkeypatch, name):
    calls = []
    real = getattr(os, name)

    def counted(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(os, name, counted)
    return calls


def test_a_childs_common_start_asks_its_folder_twice_not_three_times(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    child = _child_gate()
    child.check("subprocess.Popen", ("true", ["true"], None, None))  # first use: loads
    decided_start.clear()
    asked = _asked(monkeypatch, "getcwd")
    child.check("subprocess.Popen", ("true", ["true"], None, None))
    decided_start.clear()
    assert len(asked) == 2  # ``check``'s, and its look after the decision (R47a-3)


def test_the_folder_read_is_the_one_the_decision_began_in(tmp_path, monkeypatch):
    """``here`` decides, not the folder the process is in when the look is made (another
    thread may have moved it: the child is started in ``here``, ``decided_start``)."""
    site = sysconfig.get_paths()["purelib"]
    monkeypatch.chdir(tmp_path)
    asked = _asked(monkeypatch, "getcwd")
    assert gate._may_reach_start_places(["true"], None, site) is True
    assert gate._may_reach_start_places(["true"], None, str(tmp_path)) is False
    assert asked == []
    assert gate._may_reach_start_places(["true"], None) is False  # None: asked
    assert len(asked) == 1
    monkeypatch.chdir(site)
    assert gate._may_reach_start_places(["true"], None) is True


def test_a_childs_unlisted_start_in_a_site_folder_is_still_read(monkeypatch):
    """A program off the list with a bare operand, started by a guarded child in its site
    folder (`mytool zz.pth`): read as writing there, as before."""
    site = sysconfig.get_paths()["purelib"]
    monkeypatch.chdir(site)
    with pytest.raises(
        WardenBlockedInstall, match="runs mytool, a program Warden does not know, in"
    ):
        _child_gate().check("subprocess.Popen", ("mytool", ["mytool", "zz.pth"], None, None))
    decided_start.clear()
