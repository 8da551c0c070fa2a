"""Red team 39b R39b-5: bash's ``hash -p PATH NAME`` makes NAME run the program at PATH (the
table BASH_CMDS holds: assigning BASH_CMDS[NAME] is refused since R13, ``hash -p`` is not).
``hash -p /bin/cp basename`` then ``basename p.pth <site>/zz.pth`` runs cp; the line reads
``basename`` by its name (a program of ``_NO_WRITE``, "writes nothing"), so no writer is
placed and R31-6's rule (``_refuse_start_places_written``) lets the Python after it run the
.pth before its guard. ``names_installer`` reads ``hash -p``'s PATH only for a link to an
installer. FAILS today (installs with Warden)."""

import pytest
from test_redteam32_places import _site_cell

LINES = {
    "basename": "bash -c 'hash -p /bin/cp basename\nbasename @HERE@/p.pth @SITE@/zz.pth\n"
    "@PY@ -c pass'",
    "dirname after a cd": "bash -c 'hash -p /bin/cp dirname\ncd @SITE@ && dirname "
    "@HERE@/p.pth zz.pth && cd @HERE@ && @PY@ -c pass'",
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
def test_a_name_hash_p_points_at_a_writer(own_kernel, case):
    start = (
        f"os.system({LINES[case]!r}.replace('@SITE@', site).replace('@HERE@', os.getcwd())"
        ".replace('@PY@', py))"
    )
    _proves(own_kernel, _site_cell(start))


def test_hash_without_p_runs(kernel):
    """`hash -r; python t.py` (forget the table): must keep running."""
    code = (
        "import subprocess, sys\nopen('t.py', 'w').write('open(\"ran\", \"w\").write(\"1\")')\n"
        "r = subprocess.run(['bash', '-c', 'hash -r; ' + sys.executable + ' t.py'])\n"
        "assert r.returncode == 0\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None and (kernel.work / "ran").exists(), result
