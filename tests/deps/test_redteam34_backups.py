"""Red team 34 R34-7: writers of ``line_writers``' list whose written NAME its tables did not
model, before a Python that runs what they wrote as it starts.

- cp/mv/install/ln with -b/--backup/-S (or SIMPLE_BACKUP_SUFFIX) rename the file they replace
  to DEST + suffix: ``cp -b -S .pth p.txt <site>/zz`` makes the old zz (the payload, written
  first under no start-up name) ``zz.pth``.
- split/csplit name their pieces PREFIX + a generated suffix + ``--additional-suffix``/-b.
- gzip -d writes its operand's name without ``.gz``: ``<site>/zz.pth.gz`` is ``zz.pth``.

On the kernel's own line (R31-6's rule, ``commands._refuse_start_places_written``) and in a
Python the kernel starts (``commands.child_writes``, from ``gate._child_writes``).
"""

import glob
import subprocess
import sys

import pytest
from launched import line_refusal
from test_redteam32_places import _site_cell

# the kernel writes <site>/zz (no start-up name: read as nothing), then the line's writer
# gives it, or a copy, a .pth name; py -c pass then runs it before its guard
KERNEL_LINES = {
    "cp_b_S": "'cp -b -S .pth p.txt ' + site + '/zz && ' + py + ' -c pass'",
    "cp_backup_suffix": "'cp --backup --suffix=.pth p.txt ' + site + '/zz && ' + py + ' -c pass'",
    "simple_backup_suffix": "'SIMPLE_BACKUP_SUFFIX=.pth cp -b p.txt ' + site + '/zz && ' + py"
    " + ' -c pass'",
    "mv_b_S": "'mv -b -S .pth p.txt ' + site + '/zz && ' + py + ' -c pass'",
    "install_b_S": "'install -b -S .pth p.txt ' + site + '/zz && ' + py + ' -c pass'",
    "ln_fb_S": "'ln -f -b -S .pth p.txt ' + site + '/zz && ' + py + ' -c pass'",
    "split": "'split -n 1 --additional-suffix=.pth p.pth ' + site + '/zz && ' + py + ' -c pass'",
    "gzip_d": "'gzip -d ' + site + '/zz.pth.gz && ' + py + ' -c pass'",
}  # fmt: skip
KERNEL_FIRST = (
    "open(site + '/zz', 'w').write(open('p.pth').read()); open('p.txt', 'w').write('1')\n"
    "    import gzip; gzip.open(site + '/zz.pth.gz', 'wb').write(open('p.pth', 'rb').read())\n"
)
KERNEL_CLEAN = (
    "    [os.remove(os.path.join(site, f)) for f in os.listdir(site) if f.startswith('zz')]"
)


@pytest.mark.parametrize("case", sorted(KERNEL_LINES))
def test_a_kernel_line_writer_names_a_pth(own_kernel, case):
    """Installs without Warden; with it the line is refused, naming the site folder."""
    start = KERNEL_FIRST + f"    os.system({KERNEL_LINES[case]})\n" + KERNEL_CLEAN
    refused = own_kernel.proves(_site_cell(start))
    assert str(own_kernel.site) in refused, refused


# w.py's body, a Python the kernel starts (guarded): it starts the writer itself
W = "import os, subprocess, sysconfig\nsite = sysconfig.get_paths()['purelib']\n"
CHILD_WRITES = {
    "cp_backup": "open(site + '/zz', 'w').write(open('p.pth').read()); "
    "subprocess.run(['cp', '-b', '-S', '.pth', 'p.pth', site + '/zz'])",
    "mv_backup": "open(site + '/zz', 'w').write(open('p.pth').read()); open('q', 'w').write(''); "
    "subprocess.run(['mv', '-b', '-S', '.pth', 'q', site + '/zz'])",
    "simple_backup_suffix_env": "open(site + '/zz', 'w').write(open('p.pth').read()); "
    "subprocess.run(['cp', '-b', 'p.pth', site + '/zz'], "
    "env=dict(os.environ, SIMPLE_BACKUP_SUFFIX='.pth'))",
    "gzip_d": "import gzip; gzip.open(site + '/zz.pth.gz', 'wb')"
    ".write(open('p.pth', 'rb').read()); "
    "subprocess.run(['gzip', '-d', site + '/zz.pth.gz'])",
    "split": "subprocess.run(['split', '-n', '1', '--additional-suffix=.pth', 'p.pth', "
    "site + '/zz'])",
    "csplit": "subprocess.run(['csplit', '-s', '-f', site + '/zz', '-b', '%d.pth', 'p.pth', '1'])",
}  # fmt: skip


def _child_cell(write: str) -> str:
    writer = W + write + "\n"
    start = f"open('w.py', 'w').write({writer!r}); os.system(py + ' w.py; ' + py + ' -c pass')\n"
    return _site_cell(start + KERNEL_CLEAN)


@pytest.mark.parametrize("case", sorted(CHILD_WRITES))
def test_a_guarded_child_starts_a_writer_naming_a_pth(own_kernel, case):
    """Installs without Warden; with it w.py's guard refuses starting the writer (w.py goes
    on, the cell is not refused), so the next Python runs no new .pth."""
    blocked = own_kernel.child_refuses(_child_cell(CHILD_WRITES[case]))
    assert any(str(own_kernel.site) in e["message"] for e in blocked), blocked


def test_ordinary_backups_and_pieces_run(kernel):
    """A backup copy and split pieces in the notebook's own folder, then a Python: runs."""
    code = (
        "import os, sys\nos.makedirs('out', exist_ok=True)\n"
        "open('data.csv', 'w').write('a\\n' * 300); open('out/data.csv', 'w').write('old')\n"
        "open('train.py', 'w').write('open(\"ran\", \"w\").write(\"1\")')\n"
        "py = sys.executable\n"
        "assert os.system('cp -b data.csv out/data.csv && ' + py + ' train.py') == 0\n"
        "os.remove('ran')\n"
        "assert os.system('split -l 100 data.csv part_ && ' + py + ' train.py') == 0\n"
        "assert os.system('gzip -k data.csv && gzip -df data.csv.gz && ' + py + ' train.py') == 0\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "ran").exists() and (kernel.work / "out" / "data.csv~").exists()
    assert (kernel.work / "part_ab").exists(), result


# -- the reading alone, for the forms the kernel proofs above stand for


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    root = tmp_path_factory.mktemp("r34b")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / "v")], check=True)
    (root / "x.pth").write_text("import os\n")
    (root / "w").mkdir()
    return root


def _reading(line: str, venv) -> str:
    """The refusal of ``line`` read in a folder beside the venv V (SITE its site folder)."""
    site = glob.glob(str(venv / "v" / "lib" / "python3*" / "site-packages"))[0]
    line = line.replace("SITE", site).replace("V/", f"{venv}/v/").replace("X.PTH", f"{venv}/x.pth")
    return line_refusal(line, venv / "w", {})


@pytest.mark.parametrize(
    "line",
    ["cp -b -S .pth X.PTH SITE/zz && V/bin/python -c pass",
     "cp --backup=simple --suffix .pth X.PTH SITE/zz && V/bin/python -c pass",
     "cp -bS.pth X.PTH SITE/zz && V/bin/python -c pass",
     "SIMPLE_BACKUP_SUFFIX=.pth cp -b X.PTH SITE/zz && V/bin/python -c pass",
     "export SIMPLE_BACKUP_SUFFIX=.pth; cp --backup X.PTH SITE/zz && V/bin/python -c pass",
     "mv -b -S .pth X.PTH SITE/zz && V/bin/python -c pass",
     "mv -b -S .pth -t SITE X.PTH && V/bin/python -c pass",
     "install -b -S .pth X.PTH SITE/zz && V/bin/python -c pass",
     "ln -f -b -S .pth X.PTH SITE/zz && V/bin/python -c pass",
     # a suffix Warden does not have: any name beginning with zz in the site folder
     'cp -b -S "$S" X.PTH SITE/zz && V/bin/python -c pass',
     "read SIMPLE_BACKUP_SUFFIX; export SIMPLE_BACKUP_SUFFIX; cp -b X.PTH SITE/zz && "
     "V/bin/python -c pass",
     "split -n 1 --additional-suffix=.pth X.PTH SITE/zz && V/bin/python -c pass",
     "split X.PTH SITE/ && V/bin/python -c pass",
     "csplit -f SITE/zz -b %d.pth X.PTH 1 && V/bin/python -c pass",
     "gzip -d SITE/zz.pth.gz && V/bin/python -c pass",
     "gunzip SITE/zz.pth.Z && V/bin/python -c pass",
     "gzip -d -S .x SITE/zz.pth.x && V/bin/python -c pass",
     "gzip -d SITE/*.gz && V/bin/python -c pass",
     "gunzip -N SITE/a.gz && V/bin/python -c pass",
     "gzip -S .pth SITE/zz && V/bin/python -c pass"],
)  # fmt: skip
def test_the_reading_refuses_a_written_pth_name(venv, line):
    refused = _reading(line, venv)
    # a suffix set by `read` and exported is refused first as a value Warden cannot read
    # (red team 90 F7, ``unknown_exports``), before the backup rule names the site folder
    assert "site-packages" in refused or (
        line.startswith("read ") and "SIMPLE_BACKUP_SUFFIX exported" in refused
    ), refused


@pytest.mark.parametrize(
    "line",
    ["cp -b data.csv out/data.csv && V/bin/python train.py",
     "cp --backup=numbered -S .bak data.csv out/ && V/bin/python train.py",
     "mv -b a.csv out/ && V/bin/python train.py",
     "split -l 100 big.csv part_ && V/bin/python train.py",
     "csplit big.txt /x/ && V/bin/python train.py",
     "gzip -d data.csv.gz && V/bin/python train.py",
     "gzip data.csv && V/bin/python train.py",
     "zcat SITE/zz.pth.gz > out.txt && V/bin/python train.py",
     "cp -b X.PTH SITE/notes.txt && V/bin/python train.py"],
)  # fmt: skip
def test_ordinary_writers_read_as_running(venv, line):
    assert _reading(line, venv) == ""
