"""After `cd d;` a command runs in d or, when the cd failed, where the line was: its writes are
placed from each of those folders, not taken to land anywhere.

Rehearsal ci97: red team 81's rule on a pip reader (R81-3: what a command before pip writes
in a folder pip's Python searches) read `cd /; pip install torcj` in a command substitution as
a writer Warden cannot place, and refused the later `pip --version` of an ordinary line. A
writer's places are now read from every folder a followed `cd` may have left the line in
(``commands._MAYBE_FOLDERS``); a cd Warden does not follow still leaves them unknown.
"""

import os

import pytest
from launched import reading, system_call

from jupyterlab_warden.kernel.guard.installs import commands


@pytest.fixture
def work(tmp_path, monkeypatch):
    for name in ("sub", "other", "kit"):
        (tmp_path / name).mkdir()
    monkeypatch.chdir(tmp_path)
    return str(tmp_path)


@pytest.mark.parametrize(
    "line",
    [
        "cd /; pip install torcj; pip --version",
        "x=1; echo $(cd /; pip install torcj) && pip --version",
        "cd sub; cp a.txt b.txt; pip list",
        "cd sub || true; cp a.txt b.txt; pip list",
        "cd sub; cp -r kit new; PYTHONPATH={w}/other pip list",
        "cd {w}/sub && cd x; cat a.txt > b.py; PYTHONPATH={w}/other pip list",
    ],
)
def test_a_writer_after_a_cd_that_may_fail_is_placed(work, line):
    assert reading(line.format(w=work)) == ""


@pytest.mark.parametrize(
    "line",
    [
        "cd {w}/sub; cp x.py socks.py; PYTHONPATH={w}/sub pip list",
        # the cd of sub failed: cp runs in {w}, the folder the first cd reached
        "cd {w} && cd sub; cp x.py socks.py; PYTHONPATH={w} pip list",
        # the cd failed: cp runs where the line started
        "cd sub; cp x.py socks.py; PYTHONPATH={w} pip list",
        "cd sub || :; cat x.py > socks.py; PYTHONPATH={w}/sub pip list",
        "echo $(cd sub; cp ../x.py socks.py) && PYTHONPATH={w}/sub pip list",
    ],
)
def test_a_module_written_from_either_folder_is_refused(work, line):
    assert "may write" in reading(line.format(w=work)) and "socks" in reading(line.format(w=work))


@pytest.mark.parametrize(
    "line",
    [
        # a cd Warden does not follow (after `||`, to a computed folder, a second one after
        # the first may have failed): the writer may write anywhere
        "cd sub || cd {w}/x; cp x.py socks.py; pip list",
        "cd $D; cp x.py socks.py; pip list",
        "cd sub; cd x; cp x.py socks.py; pip list",
        "f() {{ cd {w}/x; }}; cd sub; f; cp x.py socks.py; pip list",
    ],
)
def test_a_cd_warden_does_not_follow_leaves_the_writer_unplaced(work, line):
    assert "cannot" in reading(line.format(w=work))


@pytest.mark.parametrize(
    "line",
    [
        # red team 83 F1: sh (dash) reads `cd sub &>/dev/null` as `cd sub &` (background)
        "cd sub &>/dev/null && cd {w}/other; cp x.py socks.py; PYTHONPATH={w}/other pip list",
        # F2: text run in the shell itself moves it
        "cd sub; eval cd {w}/other; cp x.py socks.py; PYTHONPATH={w}/other pip list",
        "cd sub; . ./go; cp x.py socks.py; PYTHONPATH={w}/other pip list",
        # eval of a function the line defines runs its body's cd in the shell itself
        "f() {{ cd {w}/other; }}; cd sub; eval f; cp x.py socks.py; PYTHONPATH={w}/other pip list",
        "function f {{ cd ..; }}; cd sub; eval f; cp x.py socks.py; PYTHONPATH={w} pip list",
        # F3: CDPATH set by `read` under a quoted name
        "read CD''PATH < cdp; cd x; cp x.py socks.py; PYTHONPATH={w}/other/x pip list",
        "read -r CD\\PATH < cdp && cd x && cp x.py socks.py && PYTHONPATH={w}/other/x pip list",
        # F5: bash's physical cd
        "set -P; cd ..; cp x.py socks.py; PYTHONPATH={w} pip list",
        "shopt -so physical; cd ..; cp x.py socks.py; PYTHONPATH={w} pip list",
    ],
)
def test_a_folder_change_the_cd_reading_does_not_follow_is_refused(work, line):
    assert "cannot" in reading(line.format(w=work))


def test_the_folders_reset_for_each_line(work):
    """A line's `cd d;` says nothing of the next line's folder."""
    assert reading("cd sub; true") == ""
    found = commands.shell_invocations("cp a.txt b.txt; pip list")
    assert [inv.tool for inv in found] == ["pip"] and not found[0].problem


@pytest.mark.parametrize(
    "line",
    [
        "cd sub; cp ../x.py socks.py; PYTHONPATH={w}/sub pip list",
        # the second cd fails: cp runs in the folder the first reached
        "cd {w}/sub && cd gone; cp ../x.py socks.py; PYTHONPATH={w}/sub pip list",
        # red team 83 F1 (sh is dash: `cd kit &` in the background) and F2 (eval's cd)
        "cd kit &>/dev/null && cd sub; cp ../x.py socks.py; PYTHONPATH={w}/sub pip list",
        "cd kit; eval cd ../sub; cp ../x.py socks.py; PYTHONPATH={w}/sub pip list",
    ],
)
def test_the_module_a_line_writes_after_cd_is_refused_in_a_kernel(kernel, line):
    """Without Warden pip imports the module the line wrote in sub (the payload installs
    from the test index); with Warden the line is refused before it runs."""
    (kernel.work / "sub").mkdir()
    (kernel.work / "kit").mkdir()
    install = kernel.uv_install()
    (kernel.work / "x.py").write_text(f"import os\nos.system({install!r})\n")
    fresh = "import os\nos.remove('sub/socks.py') if os.path.exists('sub/socks.py') else None\n"
    text = line.format(w=os.fspath(kernel.work))
    guarded = kernel.kept_from_refused_host(fresh + system_call(text))
    assert guarded["refused"] and "earlier command" in guarded["refused"], guarded


@pytest.mark.parametrize(
    "line, made",
    [
        ("cd sub; cp ../a.txt b.txt; pip list", "sub/b.txt"),
        ("cd sub; mkdir -p out; pip --version", "sub/out"),
    ],
)
def test_ordinary_lines_after_cd_run_in_a_kernel(kernel, line, made):
    """Refused before: the writer after `cd sub;` was one Warden could not place."""
    (kernel.work / "sub").mkdir()
    (kernel.work / "a.txt").write_text("a\n")
    result = kernel.cell(f"import os\nassert os.system({line!r}) == 0\n", launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / made).exists() and not kernel.installed()
