"""uv picks the format of a ``-r`` file by its name (red team 11 R11-7): ``s.pyw``/``s.PY`` and
an extensionless file holding a ``# /// script`` block are PEP 723 scripts to uv, read by
Warden as requirements text (their lines comments: nothing to decide). Warden now classifies
the name as uv 0.13.9 does (``uv_inputs``) and refuses the kinds it does not read. Malicious
cases install warden-demo-pkg without Warden (the real uv) and are refused with it."""

import sys

import pytest
from real_uv import real_uv
from test_install_gate import _installed
from test_redteam_fixes import _installs_unguarded_then_refused

from jupyterlab_warden.kernel.guard.installs import uv_inputs


@pytest.mark.parametrize("name", ["s.pyw", "s.PY", "Setup.py", "reqs"])
def test_a_script_block_given_to_uv_as_requirements_is_refused(guarded, index, tmp_path, name):
    url = index.file_url("warden_demo_pkg-1.0-py3-none-any.whl")
    (tmp_path / name).write_text(
        f'# /// script\n# dependencies = ["warden-demo-pkg @ {url}"]\n# ///\n'
    )
    command = [
        real_uv(), "pip", "install", "--no-cache", "--python", sys.executable,
        "--target", str(tmp_path / "target"), "-r", name,
    ]  # fmt: skip
    _installs_unguarded_then_refused(guarded, index, tmp_path, command)
    assert not _installed(tmp_path, "warden-demo-pkg")
    assert [e["rule_id"] for e in guarded.events() if e["action"] == "blocked"] == [
        "install-unreadable"
    ]


@pytest.mark.parametrize(
    ("name", "kind", "as_constraint"),
    [
        ("requirements.txt", "requirements", "requirements"),
        ("requirements.in", "requirements", "requirements"),
        ("s.", "requirements", "requirements"),
        ("SETUP.CFG", "requirements", "requirements"),
        ("s.pyw", "script", "requirements"),
        ("s.Py", "script", "requirements"),
        ("Setup.py", "script", "requirements"),
        ("setup.py", "metadata", "rejected"),
        ("setup.cfg", "metadata", "rejected"),
        ("pyproject.toml", "pyproject", "rejected"),
        ("sub/pyproject.toml", "pyproject", "rejected"),
        ("PyProject.toml", "rejected", "rejected"),
        ("s.TOML", "rejected", "rejected"),
        ("pylock.toml", "lock", "rejected"),
        ("pylock.dev.toml", "lock", "rejected"),
        ("pylock.a.b.toml", "rejected", "rejected"),
        ("environment.yml", "rejected", "requirements"),
        ("reqs", "sniffed", "requirements"),
        (".hidden", "sniffed", "requirements"),
    ],
)
def test_file_kinds_follow_uv(name, kind, as_constraint):
    assert uv_inputs.file_kind(name) == kind
    assert uv_inputs.file_kind(name, requirements_only=True) == as_constraint
