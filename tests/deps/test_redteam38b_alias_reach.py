"""Red team 38b R38b-1: aliases R37b-4's reading (``commands._keep_aliases``/``_aliased``) does
not see. The line keeps only ``alias NAME=VALUE`` words written literally at the line's own
level and substitutes only the line's own commands, so an alias of a writer the shell defines
or expands elsewhere is read as a program named x:

- an alias word made by an expansion (``alias "$A"``, ``alias "$@"``, a loop's ``alias
  "$a=cp ..."``): no literal ``=`` in the word, so neither the value rule nor the keeping
  reads it;
- an alias used inside a command substitution (``echo $(x)``): the substitution is read as a
  line of its own, without the line's aliases;
- an alias used in ``eval``'s text (read as a line of its own, as a substitution is);
- bash's ``time x`` (``time`` is a keyword: x is in command position).

dash expands aliases in a script (os.system); the cp copies a .pth into the kernel's site
folder, which the next Python runs before its guard. FAILS today (installs with Warden)."""

import pytest
from test_redteam32_places import _site_cell

CP = "cp p.pth SITE/zz.pth"
LINES = {
    "expanded_word": f"A='x={CP}'\nalias \"$A\"\nx\nPY -c pass",
    "loop_name": f'for a in x; do alias "$a={CP}"; done\nx\nPY -c pass',
    "substitution": f"alias x='{CP}'\necho $(x)\nPY -c pass",
    "eval": f"alias x='{CP}'\neval x\nPY -c pass",
    "bash_time": f"bash -c 'shopt -s expand_aliases\nalias x=\"{CP}\"\ntime x\nPY -c pass'",
}


@pytest.mark.parametrize("case", sorted(LINES))
def test_an_alias_of_a_writer_the_reading_does_not_keep(own_kernel, case):
    line = LINES[case]
    start = f"os.system({line!r}.replace('SITE', site).replace('PY', py))"
    refused = own_kernel.proves(_site_cell(start))
    assert str(own_kernel.site) in refused or "alias" in refused, refused


def test_an_alias_of_an_ordinary_command_in_a_substitution_runs(kernel):
    """`alias ll='ls -l'`, `n=$(ll | wc -l)` and a Python: must keep running."""
    code = (
        "import os, sys\nopen('t.py', 'w').write('open(\"ran\", \"w\").write(\"1\")')\n"
        "line = \"alias ll='ls -l'\\nn=$(ll | wc -l)\\n\" + sys.executable + ' t.py'\n"
        "assert os.system(line) == 0\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None and (kernel.work / "ran").exists(), result
