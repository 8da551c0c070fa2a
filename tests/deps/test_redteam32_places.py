"""Red team 32: R31-6's rule (a Python start after a writer on its line that may write where
the Python imports from as it starts, ``commands._refuse_start_places_written``) read the wrong
writers and the wrong places.

- R32-3: ``python w.py && python train.py``, w.py copying a ``.pth`` into the kernel's site
  folder, named nowhere on the line. A guarded Python's guard now refuses creating or replacing
  a start-up name in a site folder or standard library (``installs.start_writes``), except in
  a pip whose install Warden allowed.
- R32-2: a start that runs alongside or after a later writer (its pipeline, the background, a
  loop's next round, a function body) is checked against that writer's places too.
- R32-6 and the same family: a writer of a file that is not a start-up name (``data.csv``) in
  a PYTHONPATH folder, or a guarded Python running in the folder that holds the kernel's venv,
  no longer refuses the next Python.
"""

import sys

import pytest
from launched import Kernel, line_refusal
from local_index import LocalIndex, build_wheel

PACKAGES = ("warden-demo-pkg",)
INSTALL = (
    "import os; os.system('{uv} pip install -q --no-config --no-cache --python /usr/bin/python3 "
    "--target {target} --index-url {index} warden-demo-pkg')\n"
)
# a cell of the own_kernel (kv's site folder); START is the line, run through os.system
SITE = (
    "import os, sys, sysconfig\nsite = sysconfig.get_paths()['purelib']\n"
    f"open('p.pth', 'w').write({INSTALL!r})\npy = sys.executable\n"
    "try:\n    START\nfinally:\n"
    "    os.path.exists(site + '/zz.pth') and os.remove(site + '/zz.pth')\n"
)


def _site_cell(start: str) -> str:
    code = SITE.replace("START", start).replace("{", "{{").replace("}", "}}")
    for name in ("uv", "target", "index"):
        code = code.replace("{{" + name + "}}", "{" + name + "}")
    return code


def test_a_guarded_script_writing_a_pth_into_the_site_folder(own_kernel):
    """R32-3: the .pth is written by w.py's code; its guard refuses the write (w.py fails, the
    cell is not refused), so the next Python on the line runs no new .pth."""
    writer = "import shutil, sysconfig\n"
    writer += "shutil.copy('p.pth', sysconfig.get_paths()['purelib'] + '/zz.pth')\n"
    start = f"open('w.py', 'w').write({writer!r}); os.system(py + ' w.py; ' + py + ' -c pass')"
    blocked = own_kernel.child_refuses(_site_cell(start))
    assert any("zz.pth" in e["message"] for e in blocked), blocked


@pytest.mark.parametrize(
    "line",
    [
        "'sleep 1 && ' + py + ' -c pass & cp p.pth ' + site + '/zz.pth; wait'",
        "'for i in 1 2; do ' + py + ' -c pass; cp p.pth ' + site + '/zz.pth; done'",
        "'f() { ' + py + ' -c pass; }; cp p.pth ' + site + '/zz.pth; f'",
    ],
    ids=["background", "loop", "function"],
)
def test_a_start_alongside_or_after_a_later_writer(own_kernel, line):
    """R32-2: text order is not run order; the later writer's places count for the start."""
    refused = own_kernel.proves(_site_cell(f"os.system({line})"))
    assert str(own_kernel.site) in refused, refused


def test_a_script_beside_the_kernels_venv_runs(own_kernel):
    """R32-6: the kernel's venv inside the notebook's folder, not on PATH (``ipykernel install
    --user``): a guarded prep.py may write anything there but a start-up name, which its guard
    refuses, so `python prep.py && python train.py` runs."""
    code = (
        "import os, sys\nos.chdir(os.path.join('..', '..'))\npy = sys.executable\n"
        "open('prep.py', 'w').write('open(\"data.csv\", \"w\").write(\"1\")')\n"
        "open('train.py', 'w').write('open(\"ran\", \"w\").write(open(\"data.csv\").read())')\n"
        "assert os.path.isdir('kv'), os.listdir('.')\n"
        "assert os.system(py + ' prep.py && ' + py + ' train.py') == 0\n"
    )
    result = own_kernel.cell(code, launched=True)
    assert result["refused"] is None, result
    assert (own_kernel.work.parent.parent / "ran").read_text() == "1", result


def test_a_data_file_written_into_a_pythonpath_folder(kernel):
    """`.` on the kernel's PYTHONPATH: `cp raw.csv data.csv` writes no start-up module there."""
    code = (
        "import os, sys\nos.environ['PYTHONPATH'] += os.pathsep + os.getcwd()\n"
        "open('raw.csv', 'w').write('1')\n"
        "line = 'cp raw.csv data.csv && ' + sys.executable + ' -c pass && touch ran'\n"
        "assert os.system(line) == 0\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None and (kernel.work / "ran").exists(), result


@pytest.fixture()
def pth_index(tmp_path):
    """An index serving warden-pth-pkg, whose wheel ships a .pth (a path line)."""
    root = tmp_path / "pth-index"
    root.mkdir()
    pth = {"warden_pth_pkg.pth": "warden_pth_pkg_mod\n"}
    server = LocalIndex(root, [build_wheel(root, "warden-pth-pkg", extra=pth)])
    yield server
    server.close()


def test_an_allowed_pip_install_writes_its_pth(tmp_path, pth_index):
    """The guard's rule leaves an installer it allowed alone: pip installs the wheel's .pth
    into a site folder (``--target`` one named site-packages, moved there from pip's temporary
    folder)."""
    import json

    kernel = Kernel(tmp_path, pth_index)
    policy = {"schema_version": 1, "revision": 5}
    policy["trusted_sources"] = {"package_indexes": [pth_index.simple]}
    kernel.policy.write_text(json.dumps(policy))
    target = tmp_path / "t" / "lib" / "python3" / "site-packages"
    line = f"{sys.executable} -m pip install -q --no-deps --no-cache-dir --target {target} "
    line += f"--index-url {pth_index.simple} warden-pth-pkg"
    result = kernel.cell(f"import os\nassert os.system({line!r}) == 0\n", launched=True)
    assert result["refused"] is None, result
    assert (target / "warden_pth_pkg.pth").is_file(), result


def _reading(line: str, folder) -> str:
    """The refusal of ``line`` read in ``folder`` with it on PYTHONPATH and system folders
    only on PATH ('' when it runs): R31-6's rule alone, no PATH rule of a user's folder."""
    return line_refusal(line, folder, {"PYTHONPATH": str(folder)})


@pytest.mark.parametrize(
    "line",
    ['touch "$OUT/done" && python3 -c pass', "echo 1 > $LOG/run.log; python3 -c pass",
     "cp model.pt ~/models/model.pt && python3 -c pass"],
)  # fmt: skip
def test_an_unplaced_file_no_start_runs(tmp_path, line):
    """A file whose name the line gives, in a folder it cannot place, is nothing a Python runs
    as it starts wherever it lands (after the corpus' `touch "$MARKER/f"` in a guarded child
    was refused: a venv's site folder is the user's)."""
    assert _reading(line, tmp_path) == ""


@pytest.mark.parametrize(
    "line",
    ['cp p.pth "$D/zz.pth"; python3 -c pass', 'touch "$D/sitecustomize.py"; python3 -c pass',
     'mv kit "$D/site-packages"; python3 -c pass', 'ln -s kit "$D/NAME"; python3 -c pass',
     'cp f "$D/__editable___x_finder"; python3 -c pass', 'cp p.pth "$D/"; python3 -c pass'],
)  # fmt: skip
def test_an_unplaced_start_up_name_or_start_folder_is_refused(tmp_path, line):
    """A start-up file's name, or a name on the way to the start's folders (a folder moved or
    linked there: NAME is the PYTHONPATH folder's own), stays a write Warden cannot place."""
    refused = _reading(line.replace("NAME", tmp_path.name), tmp_path)
    assert "cannot place" in refused, refused
