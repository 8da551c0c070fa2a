"""Fix 70startpath (red team 56a R56a-3): a Python that keeps Warden's guard is read for the
start-up modules its PYTHONPATH folders hold NOW (``startup_modules.guarded_start_holder``),
the folders the kernel was started with included: Python imports ``encodings`` (and, on 3.10
and older or with ``-X frozen_modules=off``, ``os``, ``site``...) from them before ``site``
runs the guard. The reading alone, each spelling of a module Python imports; and what an
ordinary project folder holds stays allowed."""

import os
import sys

import pytest
from launched import reading_refusal

from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR

START = [sys.executable, "-c", "pass"]

REFUSED = {
    "package": {"encodings/__init__.py": ""},
    "sourceless package": {"encodings/__init__.pyc": ""},
    "module file": {"encodings.py": ""},
    "bytecode": {"codecs.pyc": ""},
    "extension": {"encodings.cpython-311-x86_64-linux-gnu.so": ""},
    "abi3 extension": {"io.abi3.so": ""},
    "frozen on 3.11, a file on 3.10": {"os.py": ""},
    "site itself (-X frozen_modules=off)": {"site/__init__.py": ""},
    "3.8 and 3.9 import _bootlocale at init": {"_bootlocale.py": ""},
    # what a start-up module imports at module level (the codec PYTHONIOENCODING may pick,
    # encodings.idna, imports stringprep; site imports traceback when a .pth line raises).
    # fix72startnames: "fnmatch.py" was here, but the kernel's Python imports no fnmatch at
    # its start (``-X importtime``) unless an editable finder's .pth line imports pathlib:
    # test_fix72_start_names.py checks that case against a real start
    "a standard module a codec imports": {"stringprep.py": ""},
    "a standard module site imports when a .pth line raises": {"traceback.py": ""},
}

ALLOWED = {
    "a project's package": {"mypkg/__init__.py": "", "mypkg/io_utils.py": ""},
    "data and a notebook": {"data.csv": "a,b\n", "analysis.ipynb": "{}"},
    "a namespace folder named encodings (the library's package wins)": {"encodings/x.txt": ""},
    "bytecode only in __pycache__ (never imported without its source)": {
        "__pycache__/encodings.cpython-311.pyc": ""
    },
    "a name that only starts like one": {"encodings_extra.py": "", "osutil.py": ""},
    "a project's data, models and test packages": {
        "data/__init__.py": "",
        "models/__init__.py": "",
        "test/__init__.py": "",
    },
    # the guard's sitecustomize comes first and chains this one once it is installed
    "a sitecustomize of the project's": {"sitecustomize.py": "", "usercustomize.py": ""},
}


def _write(folder, files):
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def src(tmp_path, monkeypatch):
    """A ``src`` folder the kernel was started with, after the guard's (its inherited
    PYTHONPATH: nothing set on the line)."""
    folder = tmp_path / "src"
    folder.mkdir()
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([SITE_DIR, str(folder)]))
    return folder


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_start_up_module_in_a_launch_folder_is_refused(src, tmp_path, case):
    _write(src, REFUSED[case])
    why = reading_refusal(START, tmp_path)
    assert "before Warden's guard starts" in why and str(src) in why, why


@pytest.mark.parametrize("case", sorted(ALLOWED))
def test_an_ordinary_project_folder_stays_allowed(src, tmp_path, case):
    _write(src, ALLOWED[case])
    assert reading_refusal(START, tmp_path) == ""


def test_a_link_to_a_package_counts(src, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    _write(elsewhere, {"__init__.py": ""})
    (src / "encodings").symlink_to(elsewhere)
    assert "before Warden's guard starts" in reading_refusal(START, tmp_path)


def test_a_folder_made_after_the_kernel_started_is_read_at_the_start(tmp_path, monkeypatch):
    later = tmp_path / "later"
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([SITE_DIR, str(later)]))
    assert reading_refusal(START, tmp_path) == ""  # not there yet: nothing to import
    _write(later, {"encodings/__init__.py": ""})
    assert "before Warden's guard starts" in reading_refusal(START, tmp_path)


def test_a_relative_folder_is_read_from_where_the_python_starts(tmp_path, monkeypatch):
    work = tmp_path / "work"
    _write(work / "lib", {"encodings.py": ""})
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([SITE_DIR, "lib"]))
    assert "before Warden's guard starts" in reading_refusal(START, work)
    assert reading_refusal(START, tmp_path) == ""  # no lib/ there


def test_the_environment_the_start_is_given_is_read(src, tmp_path, monkeypatch):
    """Popen's ``env=`` (``START_ENVIRON``), not this process's os.environ, which a cell may
    have changed to leave the folder out."""
    from jupyterlab_warden.kernel.guard.installs import startup_modules

    _write(src, {"encodings/__init__.py": ""})
    given = dict(os.environ)
    monkeypatch.setenv("PYTHONPATH", SITE_DIR)
    assert reading_refusal(START, tmp_path) == ""
    token = startup_modules.START_ENVIRON.set(given)
    try:
        assert "before Warden's guard starts" in reading_refusal(START, tmp_path)
    finally:
        startup_modules.START_ENVIRON.reset(token)


def test_an_isolated_start_reads_no_pythonpath(src, tmp_path):
    """``-I``/``-E`` ignore PYTHONPATH: such a start is guardless and read by R13-10's rule,
    not this one (its refusal says so)."""
    _write(src, {"encodings/__init__.py": ""})
    why = reading_refusal([sys.executable, "-I", "-c", "pass"], tmp_path)
    assert "before Warden's guard starts" not in why


def test_a_module_a_site_pth_line_imports_counts(tmp_path):
    """``site`` runs a ``.pth`` import line before ``sitecustomize``, with PYTHONPATH first on
    ``sys.path``: the module it names (an editable finder's, ``_virtualenv``) in a PYTHONPATH
    folder runs before the guard; one no ``.pth`` line names does not count."""
    from jupyterlab_warden.kernel.guard.installs import startup_modules

    site, src = tmp_path / "site", tmp_path / "src"
    _write(site, {"zz.pth": "import rtfinder; rtfinder.install()\n", "rtfinder.py": "import os\n"})
    _write(src, {"rtfinder.py": "", "rtother.py": ""})
    assert startup_modules.guarded_start_holder([str(src)], [str(site)]) == str(src / "rtfinder.py")
    assert startup_modules.guarded_start_holder([str(src)], []) is None
