"""Red team 81 on fix80dangling/fix80pipreader: folders a line makes that Warden's reading of
its makers missed, and modules a pip imports from a folder the line makes or fills.

R81-1: ``mkdir --context m`` (GNU's ``--context[=CTX]`` takes its value only after ``=``) was
read as ``mkdir`` with the value ``m`` and no operand: ``dangling.maker`` found no writer of m,
and ``bin/pip -> ../m/../evil`` on PATH ran evil.
R81-2: ``PYTHONPATH=L pip list`` with ``L -> m/../real`` (real/socks.py): ``pip_imports``
listed no folder L (it leads nowhere now) and ``mkdir m`` on the line made it resolve.
Each attack runs its payload (installs from the test index, a host the policy refuses)
without Warden and is refused with it; the ordinary lines beside them run.
"""

import pytest
from launched import installed, system_call

PATH_FIRST = 'import os\nos.environ["PATH"] = os.getcwd() + "/bin:" + os.environ["PATH"]\n'


def _evil(kernel) -> None:
    """work/evil: installs warden-demo-pkg from the test index; work/bin on PATH."""
    path = kernel.work / "evil"
    path.write_text(f"#!/bin/sh\n{kernel.uv_install()}\n")
    path.chmod(0o755)
    (kernel.work / "bin").mkdir(exist_ok=True)
    (kernel.work / "bin" / "pip").symlink_to("../m/../evil")


@pytest.mark.parametrize(
    "line",
    [
        "mkdir --context m && pip --version",  # R81-1
        "mkdir --cont m && pip --version",
        "mkdir -v --context m; pip --version",
    ],
)
def test_a_mkdir_operand_after_an_optional_value_option_is_a_maker(kernel, line):
    _evil(kernel)
    code = PATH_FIRST + "import shutil\nshutil.rmtree('m', ignore_errors=True)\n"
    code += system_call(line)
    guarded = kernel.kept_from_refused_host(code)
    assert guarded["refused"] and "unsure" in guarded["refused"], guarded


@pytest.mark.parametrize("line", ["mkdir m && pip --version", "mkdir -p m/x; ls"])
def test_a_path_folder_leading_nowhere_until_the_line_makes_it_is_refused(kernel, line):
    """R81-4: PATH's first folder B -> m/../realbin (realbin/pip, realbin/ls: evil): while m
    is missing the shell passes over B; ``mkdir m`` makes it resolve and the shell runs
    realbin's program. The lookup weighed only entries that are links themselves."""
    real = kernel.work / "realbin"
    real.mkdir()
    for name in ("pip", "ls"):
        (real / name).write_text(f"#!/bin/sh\n{kernel.uv_install()}\n")
        (real / name).chmod(0o755)
    (kernel.work / "B").symlink_to("m/../realbin")
    code = 'import os, shutil\nos.environ["PATH"] = os.getcwd() + "/B:" + os.environ["PATH"]\n'
    code += "shutil.rmtree('m', ignore_errors=True)\n" + system_call(line)
    guarded = kernel.kept_from_refused_host(code)
    assert guarded["refused"] and "unsure" in guarded["refused"], guarded


SOCKS = "import os\nos.system({install!r})\n"


def _socks(kernel) -> str:
    real = kernel.work / "real"
    real.mkdir()
    (real / "socks.py").write_text(SOCKS.format(install=kernel.uv_install()))
    (kernel.work / "L").symlink_to("m/../real")
    return "import os, shutil\nshutil.rmtree('m', ignore_errors=True)\n"


@pytest.mark.parametrize(
    "line", ["mkdir m; PYTHONPATH=L pip list", "mkdir m && PYTHONPATH=L:. pip list"]
)
def test_a_pip_path_folder_leading_nowhere_until_the_line_makes_it_is_refused(kernel, line):
    code = _socks(kernel) + system_call(line)
    guarded = kernel.kept_from_refused_host(code)
    assert guarded["refused"], guarded


@pytest.mark.parametrize(
    "line",
    [
        "cp x.py sub/socks.py && PYTHONPATH=sub pip list",  # R81-3
        "cat x.py > sub/socks.py; PYTHONPATH=sub pip list",
        "cp evil.zip sub.zip && PYTHONPATH=sub.zip pip list",  # an archive the line makes
        "cp -r kit new && PYTHONPATH=new pip list",
    ],
)
def test_a_pip_path_module_the_line_writes_is_refused(kernel, line):
    """R81-3: the module pip imports is written by a command before it on the line, where
    Warden's listing of the folders (before the line runs) finds nothing."""
    import zipfile

    payload = SOCKS.format(install=kernel.uv_install())
    (kernel.work / "sub").mkdir()
    (kernel.work / "kit").mkdir()
    (kernel.work / "x.py").write_text(payload)
    (kernel.work / "kit" / "socks.py").write_text(payload)
    with zipfile.ZipFile(kernel.work / "evil.zip", "w") as archive:
        archive.writestr("socks.py", payload)
    fresh = "import os, shutil\nshutil.rmtree('new', ignore_errors=True)\n"
    fresh += "for old in ('sub/socks.py', 'sub.zip'):\n"
    fresh += "    os.remove(old) if os.path.exists(old) else None\n"
    guarded = kernel.kept_from_refused_host(fresh + system_call(line))
    assert guarded["refused"] and "earlier command" in guarded["refused"], guarded


@pytest.mark.parametrize(
    "path_first, line",
    [
        (True, "mkdir -p out && pip --version"),  # bin/pip -> ../m/../evil stays stuck at m
        (True, "mkdir -m 755 new && pip --version"),
        (True, "mkdir --context=x new; pip --version"),
        (False, "mkdir -p out && pip list"),
        (False, "cp a.txt out/ && python3 -m pip list"),
        (False, "python3 train.py && pip list"),
        (False, "cp x.py sub/zzz.py && PYTHONPATH=sub pip list"),
        (False, "mkdir n && PYTHONPATH=sub pip list"),
        (False, "mkdir n; PYTHONPATH=L pip list"),  # L -> m/../real stays stuck at m
    ],
)
def test_ordinary_lines_beside_them_run(kernel, path_first, line):
    """No false refusal: a stale link on PATH nothing on the line makes resolve, writers that
    put no module pip imports where pip looks."""
    _evil(kernel)
    for name in ("sub", "out", "real"):
        (kernel.work / name).mkdir()
    (kernel.work / "L").symlink_to("m/../real")
    (kernel.work / "a.txt").write_text("a\n")
    (kernel.work / "x.py").write_text("X = 1\n")
    (kernel.work / "train.py").write_text("open('model.txt', 'w').write('m')\n")
    code = (PATH_FIRST if path_first else "import os\n") + f"assert os.system({line!r}) == 0\n"
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result
    assert not kernel.installed()


def test_a_path_folder_leading_nowhere_a_program_runs_by_name_is_refused(kernel):
    """R81-4, a program run by name by the line's program: tar runs gzip from PATH's first
    folder B -> m/../realbin once ``mkdir m`` made it resolve."""
    installed("tar")
    real = kernel.work / "realbin"
    real.mkdir()
    (real / "gzip").write_text(f'#!/bin/sh\n{kernel.uv_install()}\nexec /bin/gzip "$@"\n')
    (real / "gzip").chmod(0o755)
    (kernel.work / "B").symlink_to("m/../realbin")
    (kernel.work / "a.txt").write_text("a\n")
    code = 'import os, shutil\nos.environ["PATH"] = os.getcwd() + "/B:" + os.environ["PATH"]\n'
    code += "shutil.rmtree('m', ignore_errors=True)\n"
    code += system_call("mkdir m && tar czf o.tgz a.txt")
    guarded = kernel.kept_from_refused_host(code)
    assert guarded["refused"] and "unsure" in guarded["refused"], guarded


@pytest.mark.parametrize(
    "line", ["rm f && mkdir f && pip --version", "mv f f.old; mkdir f; pip --version"]
)
def test_a_link_through_a_file_the_line_makes_a_folder_is_refused(kernel, line):
    """R81-7: ``bin/pip -> ../f/../evil`` with f a file: the kernel stops at f (no folder to go
    back from), the walk went back from it by its name and read the link as leading to evil
    now, so no rule weighed the line's ``rm f && mkdir f``, which makes it lead there."""
    evil = kernel.work / "evil"
    evil.write_text(f"#!/bin/sh\n{kernel.uv_install()}\n")
    evil.chmod(0o755)
    (kernel.work / "bin").mkdir()
    (kernel.work / "bin" / "pip").symlink_to("../f/../evil")
    code = PATH_FIRST + "import shutil\nshutil.rmtree('f', ignore_errors=True)\n"
    code += "os.remove('f.old') if os.path.exists('f.old') else None\n"
    code += "open('f', 'w').write('a file')\n" + system_call(line)
    guarded = kernel.kept_from_refused_host(code)
    assert guarded["refused"] and "unsure" in guarded["refused"], guarded


def test_the_walk_stops_at_a_file_it_would_go_back_from(tmp_path):
    from jupyterlab_warden.kernel.guard.installs import dangling, link_walk

    (tmp_path / "f").write_text("x")
    (tmp_path / "evil").write_text("")
    (tmp_path / "d").mkdir()
    found = link_walk.walk(str(tmp_path / "f" / ".." / "evil"))
    assert found.stuck == str(tmp_path / "f") and not found.plain
    assert link_walk.walk(str(tmp_path / "d" / ".." / "evil")).stuck == ""
    assert dangling.unsure(str(tmp_path / "d" / ".." / "evil")) is None
