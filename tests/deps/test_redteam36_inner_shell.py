"""Red team 36 R36-7: a write made by a line the command runs as text of its own (`bash -c
"cat p.pth > SITE/zz.pth"`, `sh -c`, `env sh -c`, ``eval``) did not count as a writer for a
Python started after it on the OUTER line (``commands._refuse_start_places_written``, red team
31 R31-6): the Python ran the ``.pth`` before its guard. The inner line's places are now the
command's own (``commands._INNER_WRITES``), as a command substitution's are."""

import pytest
from test_redteam32_places import _site_cell


@pytest.mark.parametrize(
    "line",
    [
        "'bash -c \"cat p.pth > ' + site + '/zz.pth\"; ' + py + ' -c pass'",
        "'sh -c \"cat p.pth <>' + site + '/zz.pth 1>&0\"; ' + py + ' -c pass'",
        "'bash -c \"cp p.pth ' + site + '/zz.pth\" && ' + py + ' -c pass'",
        "'env sh -c \"cat p.pth > ' + site + '/zz.pth\"; ' + py + ' -c pass'",
        "'eval \"cat p.pth > ' + site + '/zz.pth\"; ' + py + ' -c pass'",
    ],
    ids=["bash-redirection", "sh-read-write", "bash-cp", "env-sh", "eval"],
)
def test_an_inner_shell_writes_a_pth_before_a_python_start(own_kernel, line):
    refused = own_kernel.proves(_site_cell(f"os.system({line})"))
    assert "zz.pth" in refused or str(own_kernel.site) in refused, refused


def test_an_inner_shell_writing_ordinary_files_before_a_python_start_runs(own_kernel):
    """The inner line's places are read as the outer line's own: a data file written inside
    `bash -c` or `eval` is no start-up name, so the Python after it runs."""
    code = (
        "import os, sys\npy = sys.executable\nopen('data.csv', 'w').write('1')\n"
        "open('train.py', 'w').write('open(\"ran\", \"w\").write(open(\"out.csv\").read())')\n"
        'line = (\'bash -c "cp data.csv out.csv" && eval "echo 2 > out.txt" && \'\n'
        "        'sh -c \"cat out.txt >> out.csv\"; ' + py + ' train.py')\n"
        "assert os.system(line) == 0\nassert open('ran').read() == '12\\n', open('ran').read()\n"
    )
    result = own_kernel.cell(code, launched=True)
    assert result["refused"] is None, result
