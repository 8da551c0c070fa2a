"""Red team 88 F1 (HIGH): an assignment run by ``eval`` in the line's own shell is not
followed. ``commands._simple`` reads ``eval TEXT`` as a nested line with a FRESH
``_LineState`` (``shell_invocations(" ".join(argv[1:]), depth + 1, env)``), so the PATH (or
PYTHONPATH) the text assigns never reaches the outer line's later commands: their names are
looked up, and their PATH folders read, on the PATH Warden thinks the shell still has.

- ``path``: ``eval PATH=$WORK/tools:/usr/bin:/bin; tar czf o.tgz a.txt`` (plain dash line):
  tar runs the cell's new tools/gzip, unread.
- ``pythonpath``: ``eval PYTHONPATH=tools; python -c CODE``: the child Python starts
  without the guard's sitecustomize (its PYTHONPATH no longer starts with the guard's site
  folder), and CODE, left to the guard it does not have, is never read
  (``PYTHONPATH=tools python -c CODE`` is refused as guardless: the control).

Without Warden both install from the local index; with Warden they must be refused.
Fixed (fix88a): every name eval's text spells counts as assigned a value Warden does not
know for the rest of the line (``eval_names``, ``_LineState.unknown_names``): a later name
looked up on PATH is refused (``refuse_unknown_path``), a Python started with PYTHONPATH
is read as one whose guard is unknown."""

import os

import pytest
from launched import installed, reading
from test_redteam86b_login_shell_path import _full_path_payload

WRITE = """import os
os.makedirs('tools', exist_ok=True)
with open('tools/gzip', 'w') as fh:
    fh.write({payload!r})
os.chmod('tools/gzip', 0o755)
"""


def test_eval_assigned_path_is_followed(kernel):
    installed("tar")
    (kernel.work / "a.txt").write_text("a\n")
    cell = WRITE.format(payload=_full_path_payload(kernel)) + (
        "os.system('eval PATH=' + os.getcwd() + '/tools:/usr/bin:/bin; tar czf o.tgz a.txt')\n"
    )
    guarded = kernel.kept_from_refused_host(cell)
    # refused for the PATH eval set, which Warden reads as unknown (tar looked up on it)
    assert "tar is looked up on a PATH" in (guarded["refused"] or ""), guarded


@pytest.mark.parametrize("form", ["eval", "direct"])
def test_eval_assigned_pythonpath_drops_the_guard(kernel, form):
    code = "import subprocess; subprocess.run(" + repr(kernel.uv_install()) + ", shell=True)"
    assign = "eval PYTHONPATH=tools; " if form == "eval" else "PYTHONPATH=tools "
    import shlex

    line = assign + "python3 -c " + shlex.quote(code)
    cell = "import os\nos.makedirs('tools', exist_ok=True)\nos.system(" + repr(line) + ")\n"
    guarded = kernel.kept_from_refused_host(cell)
    assert guarded["refused"], guarded


@pytest.fixture
def work(tmp_path, monkeypatch):
    (tmp_path / "tools").mkdir()
    (tmp_path / "a.txt").write_text("a\n")
    monkeypatch.chdir(tmp_path)
    return os.fspath(tmp_path)


@pytest.mark.parametrize(
    "line",
    [
        "eval PATH={w}/tools:/usr/bin:/bin; tar czf o.tgz a.txt",
        "eval 'PATH={w}/tools:/usr/bin:/bin'; tar czf o.tgz a.txt",
        'eval "export PATH={w}/tools:/usr/bin:/bin"; tar czf o.tgz a.txt',
        'eval "declare -x PATH={w}/tools"; ls',
        'eval "local PATH={w}/tools"; ls',
        "eval read PATH; ls",
        "command eval PATH={w}/tools:/usr/bin:/bin; tar czf o.tgz a.txt",
        "builtin eval PATH={w}/tools; ls",
        # quotes the shell removes when eval runs the text
        "eval \"P''ATH={w}/tools\"; ls",
        "true && eval PATH={w}/tools && ls",
    ],
)
def test_a_path_eval_may_set_is_unknown(work, line):
    why = reading(line.format(w=work))
    assert "looked up on a PATH" in why, why


def test_an_expanding_eval_text_is_refused(work):
    why = reading("eval '$N=x'; ls")
    assert why, why


@pytest.mark.parametrize(
    "line",
    [
        'eval "echo 2 > out.txt"; ls',
        "eval true; ls",
        "eval true && tar czf o.tgz a.txt",
        "eval 'X=1'; echo ok",
        "eval cd tools; ls",
        # eval names no PATH: the one the line set is still read
        "PATH=/usr/bin:/bin; eval 'echo hi'; ls",
    ],
)
def test_an_ordinary_eval_line_is_read(work, line):
    assert reading(line) == "", line


def test_an_ordinary_eval_line_runs_in_a_kernel(kernel):
    result = kernel.cell(
        "import os\nassert os.system('eval \"echo 2 > out.txt\"; eval true; ls') == 0\n",
        launched=True,
    )
    assert result["refused"] is None, result
    assert (kernel.work / "out.txt").read_text() == "2\n"
