"""fix68dotdot (red team 55a R55a-3): ``argv_zero`` places a program name as CPython's getpath
and ``site.venv`` do, the text normalised first (``A/../bin`` is the start folder's ``bin``
even when ``A`` is a link), its folders resolved only then. Python itself is the oracle: each
start below runs unguarded in a tmp layout where every place a name may give holds a
``pyvenv.cfg``, so a start placed elsewhere than its program shows another ``sys.prefix``;
``moved_python`` must refuse exactly those."""

import os
import subprocess
import sys

import pytest

from jupyterlab_warden.kernel.guard.installs.argv_zero import getpath_places, moved_python

PY = os.path.realpath(sys.executable)
HOME = os.path.dirname(PY)
LIB = "lib/python{}.{}/site-packages".format(*sys.version_info[:2])


def _venv(folder):
    (folder / LIB).mkdir(parents=True, exist_ok=True)
    (folder / "pyvenv.cfg").write_text(f"home = {HOME}\ninclude-system-site-packages = false\n")


@pytest.fixture
def layout(tmp_path):
    """venv/bin/python (the program, a link to the real Python) and python3 (a link to it);
    nb/ (the start's folder, a venv's files of its own) holding A -> venv/bin; other/bin/python,
    a link to the program in another folder with a pyvenv.cfg of its own."""
    venv, nb, other = tmp_path / "venv", tmp_path / "nb", tmp_path / "other"
    for folder in (venv, nb, other):
        _venv(folder)
    (venv / "bin").mkdir()
    (venv / "bin" / "python").symlink_to(PY)
    (venv / "bin" / "python3").symlink_to("python")
    (nb / "A").symlink_to(venv / "bin")
    (other / "bin").mkdir()
    (other / "bin" / "python").symlink_to(venv / "bin" / "python")
    return tmp_path


# (argv[0], PYTHONEXECUTABLE, PATH, the start's folder): {venv} the venv's path, {root} tmp's
STARTS = {
    "itself": ("{venv}/bin/python", None, None, "nb"),
    "dotdot after a link": ("A/../bin/python", None, None, "nb"),
    "dot then dotdot after a link": ("A/./../bin/python", None, None, "nb"),
    "a linked folder": ("A/python", None, None, "nb"),
    "a linked folder's trailing dot": ("A/./python", None, None, "nb"),
    "double slashes": ("/{root}//venv//bin/python", None, None, "nb"),
    "a dot": ("{venv}/./bin/./python", None, None, "nb"),
    "relative in its folder": ("bin/python", None, None, "venv"),
    "dotdot without a link": ("../venv/bin/python", None, None, "nb"),
    "another name of it beside it": ("{venv}/bin/python3", None, None, "nb"),
    "a link to it in another folder": ("{root}/other/bin/python", None, None, "nb"),
    "a bare name on a relative PATH through a link": ("python", None, "A/../bin", "nb"),
    "a bare name on PATH": ("python", None, "{venv}/bin", "nb"),
    "PYTHONEXECUTABLE dotdot after a link": (None, "A/../bin/python", None, "nb"),
    "PYTHONEXECUTABLE itself": (None, "{venv}/bin/python", None, "nb"),
    "PYTHONEXECUTABLE relative in its folder": (None, "bin/python", None, "venv"),
    "PYTHONEXECUTABLE a linked folder": (None, "A/python", None, "nb"),
}


def _prefix(program, argv0, env, cwd):
    out = subprocess.run(
        [argv0, "-c", "import sys; print(sys.prefix)"],
        executable=program,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return os.path.realpath(out.stdout.strip())


@pytest.mark.parametrize("case", sorted(STARTS))
def test_refused_exactly_where_python_places_itself_elsewhere(layout, case):
    argv0, variable, search, folder = STARTS[case]
    fill = {"venv": str(layout / "venv"), "root": str(layout).lstrip("/")}
    program = str(layout / "venv" / "bin" / "python")
    cwd = str(layout / folder)
    env = {"PATH": (search or "/usr/bin:/bin").format(**fill)}
    if variable:
        env["PYTHONEXECUTABLE"] = variable.format(**fill)
    argv0 = argv0.format(**fill) if argv0 else program
    own = _prefix(program, program, {"PATH": "/usr/bin:/bin"}, cwd)
    assert own == os.path.realpath(layout / "venv")
    moved = _prefix(program, argv0, env, cwd) != own  # Python's own answer
    assert bool(moved_python(program, argv0, env, cwd)) == moved, (case, moved)


def test_the_places_are_getpath_s_text(layout):
    nb = str(layout / "nb")
    # argv[0] with a slash: abspath, `..` by text, one place
    assert getpath_places("A/../bin/python", None, nb) == [os.path.join(nb, "bin", "python")]
    # PYTHONEXECUTABLE (and a name found on PATH): the text as written too, opened as the
    # system opens it (getpath's dirname of it)
    assert getpath_places("A/../bin/python", None, nb, variable=True) == [
        os.path.join(nb, "bin", "python"),
        os.path.join(nb, "A/../bin/python"),
    ]
    assert getpath_places("python", "A/../bin", nb) == [
        os.path.join(nb, "bin", "python"),
        os.path.join(nb, "A/../bin/python"),
    ]
    assert getpath_places("nowhere-python", str(layout), nb) == []
