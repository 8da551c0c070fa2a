"""IPython shell aliases (red team 13 R13-17): `%alias NAME CMD` makes `%NAME ARGS` and
automagic `NAME ARGS` run CMD through `shell.system`, the path `!` takes. The kernel guard
decides at the shell's start, so an alias use is decided as the `!` line it becomes. Cells run
in a real IPython InteractiveShell under the guard (script_magic_run.py); each install alias
touches a marker before its install, so "refused" is proven by the marker's absence, while
ordinary aliases in the same shell leave theirs (aliases do run the shell under the guard).
IPython's `system` prints the refusal instead of raising it (as for `!`): it is counted."""

import json
import subprocess
import sys

from install_env import child_env
from test_script_magics import HERE, INSTALL


def test_an_alias_that_installs_is_refused_at_the_shell_start_and_an_ordinary_one_runs(tmp_path):
    cells = [
        f"%alias inst touch m0; {INSTALL} %s",
        "%inst torcj",  # positional %s
        f"%alias inst2 touch m1; {INSTALL} torcj",
        "inst2",  # automagic (a single-line cell)
        f"%alias inst3 touch m2; {INSTALL} %l",
        "x = %inst3 torcj",
        "%ls > /dev/null; touch m3; " + INSTALL,  # IPython's default alias `ls`
        "%alias mk touch %s",
        "%mk ran",
        "mk ran2",
        "%ls > /dev/null",
    ]
    (tmp_path / "home").mkdir()
    (tmp_path / "spool").mkdir(mode=0o700)
    done = subprocess.run(
        [sys.executable, str(HERE / "script_magic_run.py"), json.dumps(cells)],
        env=child_env(tmp_path / "spool", tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=180,
        cwd=str(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    for marker in ("m0", "m1", "m2", "m3"):
        assert not (tmp_path / marker).exists(), marker  # the shell never started
    refusals = (done.stdout + done.stderr).count("Jupyter Warden refused `uv pip install`")
    assert refusals == 4, done.stdout + done.stderr
    assert (tmp_path / "ran").exists() and (tmp_path / "ran2").exists()
