"""fix57sys: the sys values the guard decides with are the boot's (red team 49a R49a-1, R49a-3).

A cell may assign any name of ``sys``; the guard's modules read ``boot_sys.BOOT_SYS`` and the
library copies' ``sys`` (``private_modules._SYS``) answers those names from the same snapshot,
while the process's state (``argv``, ``path``...) is still read live.
"""

import sys

import pytest

from jupyterlab_warden.kernel.guard import private_modules
from jupyterlab_warden.kernel.guard.boot_sys import BOOT_SYS


def test_library_copies_sys_answers_the_boot_values(monkeypatch):
    platform, names = sys.platform, sys.builtin_module_names
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(sys, "builtin_module_names", names + ("evil",))
    assert private_modules._SYS.platform == platform
    assert "evil" not in private_modules._SYS.builtin_module_names
    assert BOOT_SYS.platform == platform and "evil" not in BOOT_SYS.builtin_module_names


def test_library_copies_sys_reads_process_state_live(monkeypatch):
    monkeypatch.setattr(sys, "argv", ["changed"])
    assert private_modules._SYS.argv == ["changed"]


def test_boot_sys_is_read_only():
    with pytest.raises(AttributeError):
        BOOT_SYS.platform = "win32"
