"""Red team 31 R31-6: a writer earlier on a shell line puts a file where a Python started after
it imports from as it starts, before its guard (or a guardless start's first line): a
``sitecustomize`` or the ``_distutils_hack`` a venv's ``.pth`` imports in a PYTHONPATH folder
(the line's own or the kernel's inherited one), or a ``.pth`` in the kernel's own site folder
(R31-6b). Warden read those folders before the line ran, so the new file was never read, with
no race at all. Such a start is now unreadable (``commands._refuse_start_places_written``).
Each vector installs without Warden and is refused with it; writers elsewhere still run.
"""

import pytest

INSTALL = (
    "import os; os.system('{uv} pip install -q --no-config --no-cache --python /usr/bin/python3 "
    "--target {target} --index-url {index} warden-demo-pkg')\n"
)
BASE = (
    "import os, sys, shutil\nshutil.rmtree('d', ignore_errors=True); os.makedirs('d')\n"
    f"open('p.txt', 'w').write({INSTALL!r})\npy = sys.executable\n"
    "D = os.path.abspath('d'); LAUNCH = os.environ.get('PYTHONPATH', '')\n"
)
BANG = "from IPython.utils._process_posix import system\n"  # what `!` runs in ipykernel
LINES = {
    "PYTHONPATH=d python -c pass": "os.system('cp p.txt d/sitecustomize.py; PYTHONPATH=d ' + py"
    " + ' -c pass')\n",
    "PYTHONPATH=d, _distutils_hack": "os.system('cp p.txt d/_distutils_hack.py; PYTHONPATH=d '"
    " + py + ' -c \"print(1)\"')\n",
    "PYTHONPATH=<launch>:d (the guard kept first)": "os.system('cp p.txt d/_distutils_hack.py; "
    "PYTHONPATH=' + LAUNCH + ':' + D + ' ' + py + ' -c pass')\n",
    "the kernel's PYTHONPATH += d, os.system": "os.environ['PYTHONPATH'] += os.pathsep + D\n"
    "os.system('mkdir -p d && cat p.txt > d/_distutils_hack.py && ' + py + ' -c pass')\n",
}


@pytest.mark.parametrize("name", list(LINES))
def test_a_start_up_module_written_earlier_on_the_line(kernel, name):
    refused = kernel.proves(BASE + LINES[name])
    assert "a folder a Python started after it imports from as it starts" in refused, refused


def test_the_kernels_pythonpath_on_an_ipython_line_is_handed_on_guarded(kernel):
    """IPython's `!` (pexpect: fork and execv) inherits the C environ, which keeps the guard's
    form (R31-1's fix, ``child_path.environ_writer``): d comes after the guard, so the module
    written there is never run before it, and nothing needs refusing."""
    code = BASE + "os.environ['PYTHONPATH'] += os.pathsep + D\n" + BANG
    code += "system('cp p.txt d/_distutils_hack.py; ' + py + ' -c pass')\n"
    kernel.never_runs_with_warden(code)


SITE = (
    "import os, sys, sysconfig\nsite = sysconfig.get_paths()['purelib']\n"
    f"open('p.pth', 'w').write({INSTALL!r})\npy = sys.executable\n"
    "try:\n    START\nfinally:\n"
    "    os.path.exists(site + '/zz.pth') and os.remove(site + '/zz.pth')\n"
)


@pytest.mark.parametrize(
    "start",
    [
        "os.system('cp p.pth ' + site + '/zz.pth; ' + py + ' -c pass')",
        "import subprocess; subprocess.run('cp p.pth ' + site + '/zz.pth && ' + py + ' -c 1', "
        "shell=True)",
    ],
    ids=["os.system", "a rerouted start"],
)
def test_a_pth_written_into_the_kernels_site_earlier_on_the_line(own_kernel, start):
    code = SITE.replace("START", start).replace("{", "{{").replace("}", "}}")
    code = code.replace("{{uv}}", "{uv}").replace("{{target}}", "{target}")
    refused = own_kernel.proves(code.replace("{{index}}", "{index}"))
    assert str(own_kernel.site) in refused, refused


def test_a_writer_elsewhere_on_the_line_still_runs(kernel):
    """A writer that writes no start-up folder (an output file, a data folder) and a Python."""
    code = BASE + "os.environ['PYTHONPATH'] += os.pathsep + D\n"
    code += "line = 'mkdir -p out && cp p.txt out/x.txt && ' + py + ' -c pass && touch ran'\n"
    code += "assert os.system(line) == 0\n"
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None and (kernel.work / "ran").exists(), result
