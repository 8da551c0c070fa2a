"""Script cell magics (red team 8 R8-18): IPython's ``%%script PROG`` writes the cell body to
PROG's stdin, which no process-start event carries; the guard decides the body before PROG
starts. Cells run in a real IPython InteractiveShell under the guard; each body touches a
marker before its install line, so "refused" is proven by the marker's absence."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from install_env import child_env

HERE = Path(__file__).resolve().parent
INSTALL = "uv pip install --index-url http://127.0.0.1:9/simple black"

HEADS = [
    "%%bash",
    "%%sh",
    "%%script bash",
    "%%script /bin/bash",
    "%%script --bg bash",
    "%%script --no-raise-error /bin/sh",
    "%%script --proc p --out o --err e bash",
    "%%script env bash",
    "%%script /usr/bin/env bash",
    "%%script busybox sh",
    "%%capture\n%%bash",
    "%%time\n%%bash",
    "%%script perl",
    "%%script python3 -I",
    "%%script env -i python3",
]


def _run(tmp_path, cells):
    (tmp_path / "home").mkdir(exist_ok=True)
    (tmp_path / "spool").mkdir(mode=0o700, exist_ok=True)
    env = child_env(tmp_path / "spool", tmp_path / "home")
    done = subprocess.run(
        [sys.executable, str(HERE / "script_magic_run.py"), json.dumps(cells)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def test_a_script_magic_body_with_an_install_is_refused_before_the_program_starts(tmp_path):
    cells = [f"{head}\ntouch marker{i}\n{INSTALL}\n" for i, head in enumerate(HEADS)]
    results = _run(tmp_path, cells)
    assert len(results) == len(HEADS)
    for i, (head, result) in enumerate(zip(HEADS, results)):
        if not head.startswith(("%%capture", "%%time")):  # these two keep the inner error
            assert result["refused"] and "Warden" in result["refused"], (head, result)
        assert not (tmp_path / f"marker{i}").exists(), head  # the program never started


ORDINARY = ["%%bash", "%%script sh", "%%capture\n%%bash", "%%script env bash"]


@pytest.mark.parametrize("head", ORDINARY)
def test_an_ordinary_script_magic_body_runs(tmp_path, head):
    (result,) = _run(tmp_path, [f"{head}\ntouch ran\necho hello > /dev/null\n"])
    assert result["refused"] is None, result
    assert (tmp_path / "ran").exists()


def test_another_program_runs_when_its_body_names_no_installer(tmp_path):
    (result,) = _run(tmp_path, ['%%script perl\nopen(F, ">ran"); close(F);\n'])
    assert result["refused"] is None, result
    assert (tmp_path / "ran").exists()


def test_an_interpreter_body_computing_a_program_name_is_refused(tmp_path):
    """R12-6: `%%perl` / `%%script node` bodies that compute what they start name no installer;
    the interpreter's code is read: a way to start a program refuses the cell."""
    cells = [
        '%%script perl\nopen(F, ">marker0"); close(F);\nexec("u"."v", "sync");\n',
        "%%script node\nrequire('fs').writeFileSync('marker1', '');\n",
    ]
    results = _run(tmp_path, cells)
    assert len(results) == 2
    for i, result in enumerate(results):
        assert result["refused"] and "runs the cell as code" in result["refused"], result
        assert not (tmp_path / f"marker{i}").exists()


# red8 R8-4: a shell reading its commands from stdin, which no process-start event carries
STDIN_CELLS = [
    f'import subprocess\nsubprocess.run(["bash"], input="touch marker0; {INSTALL}", text=True)',
    f'import subprocess\nsubprocess.run(["sh", "-s"], input="touch marker1; {INSTALL}", text=True)',
    f'!bash <<< "touch marker2; {INSTALL}"',
    f'!echo "touch marker3; {INSTALL}" | sh',
    f"get_ipython().system('echo \"touch marker4; {INSTALL}\" | bash -')",
]


def test_a_shell_reading_its_commands_from_stdin_is_refused(tmp_path):
    results = _run(tmp_path, STDIN_CELLS)
    assert len(results) == len(STDIN_CELLS)
    for i, (cell, result) in enumerate(zip(STDIN_CELLS, results)):
        if not cell.startswith(("!", "get_ipython")):  # IPython prints a `!` line's error
            assert result["refused"] and "stdin" in result["refused"], (cell, result)
        assert not (tmp_path / f"marker{i}").exists(), cell


def test_shells_given_their_commands_still_run(tmp_path):
    (tmp_path / "s.sh").write_text("touch ran2\n")
    cells = [
        'import subprocess\nsubprocess.run(["bash", "-c", "touch ran0"])',
        'import os\nos.system("bash <<EOF\\ntouch ran1\\nEOF")',
        "!bash s.sh",
    ]
    for result in _run(tmp_path, cells):
        assert result["refused"] is None, result
    assert [(tmp_path / f"ran{i}").exists() for i in range(3)] == [True] * 3


def test_a_python_script_magic_runs_with_its_own_guard(tmp_path):
    (result,) = _run(tmp_path, ["%%script python3\nopen('ran', 'w').close()\n"])
    assert result["refused"] is None, result
    assert (tmp_path / "ran").exists()


def test_a_script_magic_called_from_python_is_decided_too(tmp_path):
    cell = f'get_ipython().run_cell_magic("bash", "", "touch marker\\n{INSTALL}\\n")'
    (result,) = _run(tmp_path, [cell])
    assert result["refused"] and "Warden" in result["refused"], result
    assert not (tmp_path / "marker").exists()
