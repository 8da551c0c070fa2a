"""Red team 37b R37b-4: an alias whose plain value is a writer (``alias x='cp p.pth
<site>/zz.pth'``; no quote, `$` or pattern is left in the value, so R13-12's rule passes it),
used on a later line of the same shell text (dash expands aliases in a non-interactive shell;
bash after ``shopt -s expand_aliases``), before a Python start: the reading takes ``x`` for a
program of its own (placed where it runs), never the cp it stands for, so R31-6's rule sees no
writer of the site folder. FAILS today (the payload installs with Warden)."""

import pytest
from test_redteam32_places import _site_cell

LINES = {
    "dash": "\"alias x='cp p.pth \" + site + \"/zz.pth'\\nx\\n\" + py + ' -c pass'",
    "bash": '"bash -c \'shopt -s expand_aliases\\nalias x=\\"cp p.pth " + site + '
    '"/zz.pth\\"\\nx\\n" + py + " -c pass\'"',
}


@pytest.mark.parametrize("case", sorted(LINES))
def test_an_alias_standing_for_a_writer_before_a_python(own_kernel, case):
    refused = own_kernel.proves(_site_cell(f"os.system({LINES[case]})"))
    assert str(own_kernel.site) in refused or "alias" in refused, refused


def test_an_alias_of_an_ordinary_command_runs(kernel):
    """`alias ll='ls -l'` then `ll` and a Python: must keep running."""
    code = (
        "import os, sys\nopen('t.py', 'w').write('open(\"ran\", \"w\").write(\"1\")')\n"
        "line = \"alias ll='ls -l'\\nll >/dev/null\\n\" + sys.executable + ' t.py'\n"
        "assert os.system(line) == 0\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None and (kernel.work / "ran").exists(), result
