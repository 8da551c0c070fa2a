"""Red team 39b R39b-3: a trap action that changes the shell's state. ``trap ACTION SIGNAL``
runs ACTION in the line's own shell, later: before every command (bash's DEBUG), after a
failing one (ERR), or when a signal arrives (dash's ``kill -USR1 $$`` is refused today for
another reason: kill counted as a PATH start after the trap as writer). An assignment or
``export`` there sets what every later command starts with. ``commands._refuse_kept_text``
reads the action with a fresh ``_LineState`` for its installs only, so its ``export
PYTHONPATH=<work>/x`` never reaches the line's state: the Python after it is read as started
with the guard's PYTHONPATH, yet runs with x/sitecustomize.py first and no guard. The
sitecustomize installs warden-demo-pkg from the refused test index. FAILS today (installs
with Warden)."""

import pytest
from test_redteam32_places import _site_cell

# the kernel writes x/sitecustomize.py (the payload); @HERE@/@PY@: its folder and Python
PREP = (
    "os.makedirs('x', exist_ok=True); open('x/sitecustomize.py', 'w').write(open('p.pth').read()); "
)
LINES = {
    "bash DEBUG, export": "bash -c 'trap \"export PYTHONPATH=@HERE@/x\" DEBUG\n@PY@ -c pass'",
    "bash DEBUG, assignment": "bash -c 'trap \"PYTHONPATH=@HERE@/x\" DEBUG\n@PY@ -c pass'",
    "bash ERR": "bash -c 'trap \"export PYTHONPATH=@HERE@/x\" ERR\nfalse\n@PY@ -c pass'",
}


def _proves(kernel, code: str) -> None:
    """Installs without Warden; with Warden nothing is fetched or installed."""
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and kernel.installed() and kernel.index.requests, plain
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not kernel.installed() and not fetched, ("installed under Warden", fetched, guarded)


@pytest.mark.parametrize("case", sorted(LINES))
def test_a_trap_action_exports_a_start_variable(own_kernel, case):
    start = f"os.system({LINES[case]!r}.replace('@HERE@', os.getcwd()).replace('@PY@', py))"
    _proves(own_kernel, _site_cell(PREP + start))


def test_an_ordinary_cleanup_trap_runs(kernel):
    """`trap 'rm -f tmp.txt' EXIT; python t.py`: must keep running."""
    code = (
        "import os, sys\nopen('t.py', 'w').write('open(\"ran\", \"w\").write(\"1\")')\n"
        "line = \"trap 'rm -f tmp.txt' EXIT\\n\" + sys.executable + ' t.py'\n"
        "assert os.system(line) == 0\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None and (kernel.work / "ran").exists(), result
