"""Red team 36 R36-2: a program whose own code says where it writes (awk's ``print >
ENVIRON["T"]``, perl's ``open(F, ">", PATH)``) wrote a site ``.pth`` that the next Python on the
line ran before its guard: no word of the start names the place, so neither the kernel's line
reading nor a guarded Python's ``_child_writes`` placed the write. Such a start is now a writer
whose places its code sets (``line_writers.CodeWrites``, the table's ``writes`` in
schema/code-interpreters.json): anywhere a later Python starts from, and read in full in a
guarded child."""

import pytest
from test_redteam32_places import _site_cell

AWK = "'awk \\'{print > ENVIRON[\"T\"]}\\' p.pth'"
# perl's open with a literal mode and file passes its `starts` reading (plain file work)
PERL = (
    '\'perl -e \\\'open(G, "<", "p.pth"); open(F, ">", "\' + site + \'/zz.pth"); print F <G>\\\'\''
)


@pytest.mark.parametrize("writer", [AWK, "'env ' + " + AWK, PERL], ids=["awk", "env-awk", "perl"])
def test_code_in_the_kernel_line_writes_a_pth_then_a_python_starts(own_kernel, writer):
    start = f"os.environ['T'] = site + '/zz.pth'\n    os.system({writer} + '; ' + py + ' -c pass')"
    refused = own_kernel.proves(_site_cell(start))
    assert "writes files Warden cannot place" in refused, refused


def test_awk_started_by_a_guarded_python_writes_a_pth(own_kernel):
    writer = (
        "import os, subprocess, sysconfig\n"
        "env = dict(os.environ, T=sysconfig.get_paths()['purelib'] + '/zz.pth')\n"
        "subprocess.run(['awk', '{print > ENVIRON[\"T\"]}', 'p.pth'], env=env)\n"
    )
    start = f"open('w.py', 'w').write({writer!r})\n    os.system(py + ' w.py; ' + py + ' -c pass')"
    own_kernel.child_refuses(_site_cell(start))


def test_text_processing_before_a_python_start_runs(own_kernel):
    """awk and perl that print to their output (the line's redirection places it) still run
    before a Python on the line, in the kernel and in a guarded child. (Open as before: a `$`
    in a word of a program off the writer list, `awk '{print $1}'`, is a place Warden cannot
    tell, and a writer after one off the list is read through the links it may make.)"""
    child = "import subprocess\nsubprocess.run(['awk', 'NR > 1', 'data.csv'], check=True)\n"
    code = (
        "import os, sys\npy = sys.executable\nopen('data.csv', 'w').write('1 2\\n3 4\\n')\n"
        f"open('c.py', 'w').write({child!r})\n"
        "open('t.py', 'w').write('open(\"ran\", \"a\").write(open(\"o.txt\").read())')\n"
        "awk = \"awk 'NR > 1 {print}' data.csv > o.txt && \"\n"
        "assert os.system(awk + py + ' c.py && ' + py + ' t.py') == 0\n"
        "assert os.system(\"perl -pe 's/1/x/' data.csv > o.txt; \" + py + ' t.py') == 0\n"
        "assert open('ran').read() == '3 4\\nx 2\\n3 4\\n', open('ran').read()\n"
    )
    result = own_kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result


def test_guarded_pythons_one_after_another_run(own_kernel):
    """A Python that keeps the guard (its own PYTHONPATH folder added too) is no such writer:
    its guard refuses start-up writes, so `python prep.py && python train.py` runs."""
    code = (
        "import os, sys\npy = sys.executable\nos.makedirs('src', exist_ok=True)\n"
        "open('prep.py', 'w').write('open(\"data.csv\", \"w\").write(\"1\")')\n"
        "open('train.py', 'w').write('open(\"ran\", \"w\").write(open(\"data.csv\").read())')\n"
        "line = 'PYTHONPATH=src ' + py + ' prep.py && ' + py + ' prep.py && ' + py + ' train.py'\n"
        "assert os.system(line) == 0\nassert open('ran').read() == '1'\n"
    )
    result = own_kernel.cell(code, launched=True)
    assert result["refused"] is None, result


GUARDLESS = (
    "'/usr/bin/python3 -I -c \"import shutil; shutil.copy(\\'p.pth\\', \\''"
    " + site + '/zz.pth\\')\"'"
)


def test_a_guardless_python_writes_a_pth_then_a_python_starts(own_kernel):
    """The same class: a Python started without Warden's guard (-I) writes where its code
    says, and no guard refuses it."""
    refused = own_kernel.proves(_site_cell(f"os.system({GUARDLESS} + '; ' + py + ' -c pass')"))
    assert "writes files Warden cannot place" in refused, refused


@pytest.mark.parametrize(
    "program",
    [
        "['sed', '-n', 'w ' + target, 'p.pth']",
        "['perl', '-e', 'open(G, \"<\", \"p.pth\"); open(F, \">\", \"' + target + '\");'"
        " ' print F <G>']",
    ],
    ids=["sed-w", "perl-open"],
)
def test_code_started_by_a_guarded_python_writes_a_pth(own_kernel, program):
    """sed's `w` (refused as a start, red team 15) and perl's literal open, from a guarded w.py."""
    writer = (
        "import subprocess, sysconfig\n"
        "target = sysconfig.get_paths()['purelib'] + '/zz.pth'\n"
        f"subprocess.run({program})\n"
    )
    start = f"open('w.py', 'w').write({writer!r})\n    os.system(py + ' w.py; ' + py + ' -c pass')"
    own_kernel.child_refuses(_site_cell(start))
