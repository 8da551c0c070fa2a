"""Red team 38b R38b-5: a guarded Python the kernel starts runs a program off
``line_writers``' list whose output path is an option's ATTACHED value (``shuf
-o<site>/zz.pth p.pth``, ``iconv -f utf-8 -t utf-8 -o<site>/zz.pth p.pth``).
``start_writes.unlisted_writes`` reads a word starting with ``-`` only by its ``=`` value
(``--output=PATH``), so ``-oPATH`` is no path to it, and ``_may_reach_start_places`` lets
the start through; the program writes the site folder's zz.pth and the next Python runs it
before its guard. (The kernel's own line reads ``-oPATH`` as a path: ``_word_paths``.) FAILS
today (installs with Warden)."""

import pytest
from test_redteam32_places import _site_cell

WRITERS = {
    "shuf": "['shuf', '-o' + s + '/zz.pth', 'p.pth']",
    "iconv": "['iconv', '-f', 'utf-8', '-t', 'utf-8', '-o' + s + '/zz.pth', 'p.pth']",
}


def _w_py(argv: str) -> str:
    return (
        "import subprocess, sysconfig\ns = sysconfig.get_paths()['purelib']\n"
        f"subprocess.run({argv})\n"
    )


@pytest.mark.parametrize("program", sorted(WRITERS))
def test_a_child_writer_with_an_attached_output_path(own_kernel, program):
    start = f"open('w.py', 'w').write({_w_py(WRITERS[program])!r}); "
    start += "os.system(py + ' w.py; ' + py + ' -c pass')"
    code = _site_cell(start)
    own_kernel.reset()
    plain = own_kernel.cell(code, launched=False)
    assert plain["refused"] is None and own_kernel.installed(), plain
    own_kernel.reset()
    guarded = own_kernel.cell(code, launched=True)
    fetched = list(own_kernel.index.requests)
    assert not own_kernel.installed() and not fetched, ("installed under Warden", guarded)
