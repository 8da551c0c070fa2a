"""Red team 39b R39b-2: bash's ``cdable_vars``. With the option on (``shopt -s
cdable_vars``, ``bash -O cdable_vars``; BASHOPTS=cdable_vars in bash's environment is refused
today), ``cd v`` where ``v`` is no folder moves to the folder the VARIABLE ``v`` names.
``commands._cd_folder`` / ``_LineState`` follow ``cd v`` as the folder ``./v`` (a plain
target: "runs once, in the shell itself"), so the cp's relative ``zz.pth`` is placed in
``./v/zz.pth``, not in the kernel's site folder ``v=SITE`` names, and R31-6's rule
(``_refuse_start_places_written``) lets the Python after it run the .pth before its guard.
The same cd without the option is refused (control below). $PWD after it is misread the same
way (fix42pwd's ``_LineState.pwd``). FAILS today (installs with Warden)."""

import pytest
from test_redteam32_places import _site_cell

INNER = "v=SITE\ncd v && cp HERE/p.pth zz.pth && cd HERE && PY -c pass"
LINES = {
    "shopt": f"bash -c 'shopt -s cdable_vars\n{INNER}'",
    "bash -O": f"bash -O cdable_vars -c '{INNER}'",
}


def _start(line: str) -> str:
    return (
        f"os.system({line!r}.replace('SITE', site).replace('HERE', os.getcwd()).replace('PY', py))"
    )


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
def test_a_cd_to_a_variable_s_folder_under_cdable_vars(own_kernel, case):
    _proves(own_kernel, _site_cell(_start(LINES[case])))


def test_the_same_cd_by_the_folder_s_name_is_refused(own_kernel):
    """Control: `cd SITE && cp ... zz.pth && python` is refused today (R31-6's rule)."""
    line = "bash -c 'cd SITE && cp HERE/p.pth zz.pth && cd HERE && PY -c pass'"
    refused = own_kernel.proves(_site_cell(_start(line)))
    assert str(own_kernel.site) in refused, refused


def test_an_ordinary_cd_under_cdable_vars_runs(kernel):
    """`shopt -s cdable_vars; cd sub && python t.py` with sub a folder: must keep running."""
    code = (
        "import os, sys\nos.makedirs('sub', exist_ok=True)\n"
        "open('sub/t.py', 'w').write('open(\"ran\", \"w\").write(\"1\")')\n"
        "line = \"bash -c 'shopt -s cdable_vars\\ncd sub && PY t.py'\"\n"
        "line = line.replace('PY', sys.executable)\n"
        "assert os.system(line) == 0\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None and (kernel.work / "sub" / "ran").exists(), result
