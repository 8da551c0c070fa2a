"""fix64 (red team 52a R52a-1): a pip script's ``#!/usr/bin/env -S ...`` line is read as a
line's ``env ...`` is (``commands._shebang_starts`` through ``_unwrap``): what env does to the
environment before the Python starts is what that Python is read with."""

import os
import sys

import pytest

from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR
from jupyterlab_warden.kernel.guard.installs import commands, shebang
from jupyterlab_warden.kernel.guard.installs.gate import read_requests

LAUNCHED = commands.LaunchGuard(True, ())


def _problems(tmp_path, line, **more):
    pip = tmp_path / "pip"
    pip.write_text(f"{line}\nfrom pip._internal.cli.main import main\nmain()\n")
    pip.chmod(0o755)
    # the launched kernel's: its children find Warden's guard first on PYTHONPATH
    env = {"HOME": str(tmp_path), "PIP_CONFIG_FILE": os.devnull, "PYTHONPATH": SITE_DIR}
    env.update(more)
    found = read_requests([str(pip), "install", "x"], None, env, str(tmp_path), launch=LAUNCHED)
    return [p for r in found for p in r.problems]


@pytest.mark.parametrize(
    "line",
    [
        "#!/usr/bin/env -S -i {py}",
        "#!/usr/bin/env -S - {py}",
        "#!/usr/bin/env -S --ignore-environment {py}",
        "#!/usr/bin/env -S -u PYTHONPATH {py}",
        "#!/usr/bin/env -S -uPYTHONPATH {py}",
        "#!/usr/bin/env -S PYTHONPATH= {py}",
        "#!/usr/bin/env -S -- PYTHONPATH=/elsewhere {py}",
    ],
)
def test_an_env_line_that_drops_the_guard_is_a_guardless_pip(tmp_path, line):
    problems = _problems(tmp_path, line.format(py=sys.executable))
    assert any("guard" in p for p in problems), problems


def test_a_plain_env_s_python_is_read_as_the_python_itself(tmp_path):
    """Control: env that changes nothing starts the Python as ``#!PY`` does (this test's
    environment has no launch guard: both are read alike, whatever that reading finds)."""
    direct = _problems(tmp_path, f"#!{sys.executable}")
    assert _problems(tmp_path, f"#!/usr/bin/env -S {sys.executable}") == direct
    # the name looked up on the PATH env holds (this start's)
    name, path = os.path.basename(sys.executable), os.path.dirname(sys.executable)
    assert _problems(tmp_path, f"#!/usr/bin/env -S {name}", PATH=path) == direct
    assert _problems(tmp_path, f"#!/usr/bin/env {name}", PATH=path) == direct


def test_an_env_line_in_another_folder_cannot_be_read(tmp_path):
    problems = _problems(tmp_path, f"#!/usr/bin/env -S -C {tmp_path} {sys.executable}")
    assert any("line is one Warden cannot read" in p for p in problems), problems


def test_without_a_reader_an_env_line_that_changes_the_environment_is_not_told():
    for text in ("-i python3", "- python3", "PYTHONPATH= python3", "-u PYTHONPATH python3"):
        assert shebang._started(f"/usr/bin/env -S {text}", None) is None, text
    assert shebang._started("/usr/bin/env -S python3 -m pip", "/nowhere") == [
        "python3", "-m", "pip"
    ]  # fmt: skip


def test_the_guarded_reading_allows_a_plain_start(tmp_path):
    """What the guardless lines above are told apart from: with the guard on PYTHONPATH, a
    pip whose env line changes nothing is allowed."""
    assert _problems(tmp_path, f"#!{sys.executable}") == []


# fix66 (red team 53a R53a-1): the command env runs is read on through the wrappers a line's
# reading follows (env again, timeout, nice), and env is known by its real file
@pytest.mark.parametrize(
    "line",
    [
        "#!/usr/bin/env -S env -i {py}",
        "#!/usr/bin/env -S /usr/bin/env -i {py}",
        "#!/usr/bin/env -S timeout 60 env -i {py}",
        "#!/usr/bin/env -S nice -n 5 env -u PYTHONPATH {py}",
        "#!/usr/bin/env -S env env PYTHONPATH= {py}",
        "#!{tmp}/e -S -i {py}",
        "#!{tmp}/e -S {tmp}/e -i {py}",
    ],
)
def test_a_python_started_through_wrappers_is_a_guardless_pip(tmp_path, line):
    (tmp_path / "e").symlink_to("/usr/bin/env")
    problems = _problems(tmp_path, line.format(py=sys.executable, tmp=tmp_path))
    assert any("guard" in p for p in problems), problems


@pytest.mark.parametrize(
    "line",
    [
        "#!/usr/bin/env -S timeout 60 {py}",
        "#!/usr/bin/env -S env {py}",
        "#!{tmp}/e -S {py}",
        "#!/usr/bin/env python3",
    ],
)
def test_wrappers_that_keep_the_environment_stay_allowed(tmp_path, line):
    """Control: the same chains with the guard left in place start a guarded Python (the
    plain ``#!/usr/bin/env python3`` pip among them)."""
    (tmp_path / "e").symlink_to("/usr/bin/env")
    path = os.path.dirname(sys.executable) + os.pathsep + "/usr/bin:/bin"
    line = line.format(py=sys.executable, tmp=tmp_path)
    assert _problems(tmp_path, line, PATH=path) == []


@pytest.mark.parametrize(
    "line, why",
    [
        ("#!/usr/bin/timeout 60", "starts timeout"),
        ("#!/usr/bin/env -S perl -e 1", "neither a Python nor a shell"),
        ("#!/usr/bin/env -S timeout 60 perl", "neither a Python nor a shell"),
    ],
)
def test_a_pip_whose_line_starts_a_program_warden_does_not_read_is_refused(tmp_path, line, why):
    """Fail closed: a wrapper not followed, or a last program that is no Python or shell,
    could start a Python its own way."""
    problems = _problems(tmp_path, line)
    assert any(why in p for p in problems), problems


def test_env_is_known_by_its_real_file(tmp_path):
    (tmp_path / "e").symlink_to("/usr/bin/env")
    assert shebang._is_env(str(tmp_path / "e")) and shebang._is_env("/usr/bin/env")
    assert not shebang._is_env(sys.executable)
    # without a reader, a link to env that changes the environment is not told
    assert shebang._started(f"{tmp_path}/e -S -i python3", None) is None
