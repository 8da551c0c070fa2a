"""The kernel's shell line reading against the REAL shells (red team 12: a reader that desyncs
from the shell hides commands). Each generated line (shell_fragments.py) runs under bash and
dash in a folder whose PATH holds only logging stubs (pip, uv, conda: each appends its argv to a
log, nothing installs); every installer start the shell made must be one Warden read (same
program, same arguments) or the line must be refused. WARDEN_SHELL_FUZZ=N runs N lines."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from shell_fragments import lines

from jupyterlab_warden.kernel.guard.installs import commands, fastpath

STUBBED = ("pip", "uv", "conda")
STUB = """#!/bin/sh
{ printf '%s' "${0##*/}"; for a in "$@"; do printf '\\037%s' "$a"; done; printf '\\036'; } \\
  >> "$WARDEN_STUB_LOG"
"""
COUNT = int(os.environ.get("WARDEN_SHELL_FUZZ", "300"))
SHELLS = [s for s in ("bash", "dash") if shutil.which(s)]


@pytest.fixture(scope="module")
def stubs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stubs")
    for name in STUBBED:
        (folder / name).write_text(STUB)
        (folder / name).chmod(0o755)
    return folder


def starts(shell: str, text: str, stubs: Path, work: Path) -> list:
    log = work / "log"
    log.write_bytes(b"")
    env = {"PATH": str(stubs), "WARDEN_STUB_LOG": str(log), "HOME": str(work)}
    subprocess.run(
        [shutil.which(shell), "-c", text], env=env, cwd=work, capture_output=True,
        stdin=subprocess.DEVNULL, timeout=10,
    )  # fmt: skip
    return [tuple(r.split("\x1f")) for r in log.read_bytes().decode().split("\x1e") if r]


def warden_reads(text: str):
    """(refused, the (program, *args) starts Warden read)."""
    try:
        found = commands.shell_invocations(text)
    except commands.Unreadable:
        return True, []
    return any(inv.problem for inv in found), [(inv.tool, *inv.args) for inv in found]


def test_the_shells_and_the_stubs_are_there(stubs, tmp_path):
    assert SHELLS == ["bash", "dash"]
    assert starts("dash", "echo a\\ #; pip install torcj", stubs, tmp_path) == [
        ("pip", "install", "torcj")
    ]


@pytest.mark.parametrize("shell", SHELLS)
def test_every_installer_start_the_shell_makes_is_read_or_refused(shell, stubs, tmp_path):
    missed = []
    for text in lines(COUNT):
        made = starts(shell, text, stubs, tmp_path)
        if not made:
            continue
        refused, read = warden_reads(text)
        if not refused and any(start not in read for start in made):
            missed.append((text, made, read))
    assert missed == [], f"{len(missed)} lines: {missed[:5]}"


def test_the_static_side_refuses_on_the_kernels_one_list_of_installer_hints():
    """An unmodelled line is refused when it holds a hint: src/deps/shelltext.ts keeps a copy
    of fastpath's list (the static side cannot import it); the two must not drift apart."""
    source = (Path(__file__).resolve().parents[2] / "src" / "deps" / "shelltext.ts").read_text()
    listed = re.search(r"export const HINTS = \[(.*?)\];", source, re.S).group(1)
    assert tuple(re.findall(r"'([^']+)'", listed)) == fastpath._HINTS


# a start made inside a command substitution: the shell runs it before the command it is in
SUBSTITUTED = [
    "echo $(pip install torcj)", 'echo "$(uv pip install torcj)"', "echo `conda install torcj`",
    "echo $(echo $(pip install torcj))", "echo ${x:-$(pip install torcj)}",
    "echo hi > $(pip install torcj)", "x=1; echo $(cd /; pip install torcj) && pip --version",
    "echo $(pip install torcj #)\n)", "case a in a) echo $(uv pip install torcj);; esac",
]  # fmt: skip


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("text", SUBSTITUTED)
def test_an_install_in_a_command_substitution_is_read(shell, text, stubs, tmp_path):
    made = starts(shell, text, stubs, tmp_path)
    assert any("torcj" in start for start in made)  # without Warden the install starts
    refused, read = warden_reads(text)
    assert not refused and all(start in read for start in made)
