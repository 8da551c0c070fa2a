"""Fix 72startnames (red team 56d R56d-2): the names a guarded start's PYTHONPATH folders may
not hold are what Python imports before the guard's ``sitecustomize`` (module-level imports,
what the site folders' ``.pth`` lines run: ``startup_modules.start_names``), checked against
``-X importtime`` for the kernel's Python, bare and in venvs made from it; what Warden cannot
read fails closed."""

import os
import subprocess
import sys
import zipfile

import pytest

from jupyterlab_warden.kernel.guard.installs import start_files, startup_modules, stdlib_reach

PROJECT = {"secrets", "statistics", "calendar", "queue", "string"}

# setuptools' editable finder as ``pip install -e .`` writes it (its module-level imports)
FINDER = (
    "import sys\n"
    "from importlib.machinery import ModuleSpec, PathFinder\n"
    "from importlib.machinery import all_suffixes as module_suffixes\n"
    "from importlib.util import spec_from_file_location\n"
    "from itertools import chain\n"
    "from pathlib import Path\n"
    "MAPPING = {}\n"
    "def install():\n"
    "    if not any(f is _EditableFinder for f in sys.meta_path):\n"
    "        sys.meta_path.append(_EditableFinder)\n"
    "class _EditableFinder:\n"
    "    pass\n"
)


def _imported_at_start(python, tmp_path, options=()):
    """The standard names ``python [options] -X importtime -c pass`` imports (no PYTHONPATH):
    ground truth for a start with its own site folders."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    out = subprocess.run(
        [python, *options, "-X", "importtime", "-c", "pass"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    names = set()
    for line in out.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "package":  # the header
                names.add(name.split(".")[0])
    return names


@pytest.fixture(scope="module")
def venv_made(tmp_path_factory):
    """A venv of the kernel's Python (no pip: only its own site folder), made once."""
    folder = tmp_path_factory.mktemp("rt72") / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=120
    )
    python = str(folder / "bin" / "python")
    return python, start_files.site_folders(python)  # lib64 is a link to lib: one folder


@pytest.fixture
def venv(venv_made):
    """The venv, with the files a test writes into its site folder removed afterwards."""
    python, sites = venv_made
    written = []

    def make(pth=None):
        for name, text in (pth or {}).items():
            path = os.path.join(sites[0], name)
            with open(path, "w") as handle:
                handle.write(text)
            written.append(path)
        return python, sites

    yield make
    for path in written:
        os.remove(path)


def _shadowable(names):
    return {n for n in names if n in stdlib_reach.SHADOWABLE}


def test_the_kernels_python_start_imports_no_name_outside_the_set(tmp_path):
    sites = start_files.site_folders(sys.executable)
    truth = _imported_at_start(sys.executable, tmp_path)
    names = startup_modules.start_names(sites)
    missing = _shadowable(truth) - names - {"sitecustomize", "usercustomize"}
    assert not missing, missing
    # R56d-2: names no start imports (the old reach counted them) are not in the set
    assert not PROJECT & truth
    assert not PROJECT & names, PROJECT & names


def test_a_venv_with_an_editable_finder_imports_pathlib_and_fnmatch_before_its_guard(
    venv, tmp_path
):
    """The editable finder's ``from pathlib import Path`` runs at the start: pathlib's own
    module-level imports (``fnmatch``, ``re``) are imported before the guard; with no such
    finder they are not (fix70startpath's ``fnmatch.py`` case holds only with one)."""
    python, sites = venv(
        {
            "__editable___rt72_finder.py": FINDER,
            "__editable__.rt72.pth": "import __editable___rt72_finder; "
            "__editable___rt72_finder.install()\n",
        },
    )
    truth = _imported_at_start(python, tmp_path)
    names = startup_modules.start_names(sites)
    assert {"pathlib", "fnmatch"} <= truth  # the ground truth this checks against
    missing = _shadowable(truth) - names - {"sitecustomize", "usercustomize"}
    assert not missing, missing
    assert {"pathlib", "fnmatch", "re", "__editable___rt72_finder"} <= names
    assert not PROJECT & names, PROJECT & names


def test_a_bare_venv_reads_fewer_names_than_the_finders(venv, tmp_path):
    python, sites = venv()
    truth = _imported_at_start(python, tmp_path)
    names = startup_modules.start_names(sites)
    assert not _shadowable(truth) - names - {"sitecustomize", "usercustomize"}
    assert "fnmatch" not in truth and "fnmatch" not in names
    assert "encodings" in names and "os" in names


def test_a_pth_line_that_raises_imports_traceback_before_the_guard(venv, tmp_path):
    """``site`` imports ``traceback`` when a ``.pth`` line raises (a cell may remove the
    module a line imports): counted for every start."""
    python, sites = venv({"rt72.pth": "import rt72_missing_module\n"})
    truth = _imported_at_start(python, tmp_path)
    assert "traceback" in truth
    names = startup_modules.start_names(sites)
    assert {"traceback", "linecache", "tokenize"} <= names
    # 3.13's site imports locale for a .pth file that is no UTF-8 (the kernel's site.py
    # may be another version's)
    assert "locale" in names
    assert not _shadowable(truth) - names - {"sitecustomize", "usercustomize"}


@pytest.mark.parametrize(
    "options",
    [
        (),
        ("-X", "frozen_modules=off"),
        ("-X", "frozen_modules=off", "-X", "dev"),
        ("-X", "frozen_modules=off", "-v"),
        ("-X", "frozen_modules=off", "-W", "error"),
        ("-X", "frozen_modules=off", "-b", "-X", "tracemalloc=5"),
    ],
)
def test_what_site_calls_for_a_raising_pth_line_counts_its_function_imports(
    venv, tmp_path, options
):
    """Red team 56e R56e-1 (fix73site): ``site`` CALLS ``traceback.format_exception`` for a
    ``.pth`` line that raises; with ``-X frozen_modules=off`` site's frame has a source line
    and 3.11+'s caret anchoring runs ``import ast`` in a function body. What site calls
    counts by every import of its files (``start_imports.SITE_RUNS``), checked against
    ``-X importtime`` bare and under the options a start may carry."""
    python, sites = venv({"rt73.pth": "import rt73_removed_module\n"})
    truth = _imported_at_start(python, tmp_path, options)
    names = startup_modules.start_names(sites)
    missing = _shadowable(truth) - names - {"sitecustomize", "usercustomize"}
    assert not missing, missing
    assert "ast" in names
    if sys.version_info >= (3, 11) and "frozen_modules=off" in options:
        assert "ast" in truth  # the ground truth this checks against
    # R56d-2's ordinary project names stay allowed
    assert not PROJECT & names, PROJECT & names


def test_a_site_module_that_raises_formats_its_frame_with_ast_on_a_bare_start(venv, tmp_path):
    """The line's module is found but raises (a dependency of it removed): its frame has a
    source file, so caret anchoring imports ``ast`` with no option at all (fix73site)."""
    python, sites = venv(
        {
            "rt73_raises.py": "value = 1\nraise RuntimeError('a dependency was removed')\n",
            "rt73r.pth": "import rt73_raises\n",
        }
    )
    truth = _imported_at_start(python, tmp_path)
    names = startup_modules.start_names(sites)
    if sys.version_info >= (3, 11):
        assert "ast" in truth
    assert not _shadowable(truth) - names - {"sitecustomize", "usercustomize"}
    assert not PROJECT & names, PROJECT & names


@pytest.mark.parametrize(
    "line",
    [
        "import os; exec(os.environ.get('RT72', ''))\n",  # code Warden cannot read
        "import os; exec('import secrets')\n",  # code that is a string
        "import rt72 (\n",  # does not parse: site runs what it reads
        # the attack's other spellings (fix72startnames): a name found by a string, a
        # computed import, code run by a method, a subscript's or a lambda's call
        "import os; getattr(os, 'sys')\n",
        "import os, importlib; importlib.import_module(os.environ['RT72'])\n",
        "import os; __import__(os.environ['RT72'])\n",
        "import builtins; builtins.exec('x = 1')\n",
        "import sys; sys.modules['builtins'].__dict__['ex' + 'ec']('x = 1')\n",
        "import os; (lambda: os)()\n",
        "import os; list(map(exec, ['x = 1']))\n",
        "import runpy; runpy.run_path('/tmp/rt72.py')\n",
    ],
)
def test_a_pth_line_running_code_warden_cannot_read_counts_every_standard_name(tmp_path, line):
    site, src = tmp_path / "site", tmp_path / "src"
    site.mkdir()
    src.mkdir()
    (site / "rt72.pth").write_text(line)
    (src / "secrets.py").write_text("")
    assert startup_modules.guarded_start_holder([str(src)], [str(site)]) == str(src / "secrets.py")


# setuptools' namespace-package line (``*-nspkg.pth``, older google/zope installs)
NSPKG = (
    "import sys, types, os;has_mfs = sys.version_info > (3, 5);p = os.path.join("
    "sys._getframe(1).f_locals['sitedir'], *('rt72ns',));importlib = has_mfs and "
    "__import__('importlib.util');has_mfs and __import__('importlib.machinery');m = has_mfs "
    "and sys.modules.setdefault('rt72ns', importlib.util.module_from_spec("
    "importlib.machinery.PathFinder.find_spec('rt72ns', [os.path.dirname(p)])));m = m or "
    "sys.modules.setdefault('rt72ns', types.ModuleType('rt72ns'));mp = (m or []) and "
    "m.__dict__.setdefault('__path__',[]);(p not in mp) and mp.append(p)\n"
)


def test_a_namespace_package_line_is_read_not_failed_closed(venv, tmp_path):
    """A ``-nspkg.pth`` line calls functions of the standard modules it imports (their
    function-level imports count, by module level) but runs no code Warden cannot read: a
    project's ``string.py`` stays allowed; checked against the start."""
    python, sites = venv({"rt72-nspkg.pth": NSPKG})
    truth = _imported_at_start(python, tmp_path)
    assert "importlib" in truth  # the line ran
    names = startup_modules.start_names(sites)
    assert not _shadowable(truth) - names - {"sitecustomize", "usercustomize"}
    assert not PROJECT & names, PROJECT & names


def test_a_pth_module_warden_cannot_read_counts_every_standard_name(tmp_path):
    """A ``.pth`` line's module found as bytecode only, or in an archive a path line adds:
    its imports are not read, so every standard name counts."""
    site, src = tmp_path / "site", tmp_path / "src"
    site.mkdir()
    src.mkdir()
    (site / "rt72.pth").write_text("import rt72mod\n")
    (site / "rt72mod.pyc").write_bytes(b"\0" * 16)
    (src / "statistics.py").write_text("")
    assert startup_modules.guarded_start_holder([str(src)], [str(site)]) == str(
        src / "statistics.py"
    )


def test_a_function_of_a_pth_lines_module_counts_by_its_import_lines(tmp_path):
    """A ``.pth`` line's site module's functions may run at the start (the line calls one,
    or the module's own code does): every import line of the module's file counts
    (``rt72mod.go()`` imports ``calendar``), the standard modules by their module level."""
    site, src = tmp_path / "site", tmp_path / "src"
    site.mkdir()
    src.mkdir()
    (site / "rt72mod.py").write_text("import os\ndef go():\n    import calendar\n")
    (src / "calendar.py").write_text("")
    (site / "rt72.pth").write_text("import rt72mod; rt72mod.go()\n")
    assert startup_modules.guarded_start_holder([str(src)], [str(site)]) == str(src / "calendar.py")


def test_a_standard_module_a_pth_line_imports_counts_by_its_module_level(tmp_path):
    site, src = tmp_path / "site", tmp_path / "src"
    site.mkdir()
    src.mkdir()
    (site / "rt72.pth").write_text("import pathlib\n")
    (src / "fnmatch.py").write_text("")
    assert startup_modules.guarded_start_holder([str(src)], [str(site)]) == str(src / "fnmatch.py")


def test_an_archive_module_counts_every_standard_name(tmp_path):
    site, src = tmp_path / "site", tmp_path / "src"
    site.mkdir()
    src.mkdir()
    with zipfile.ZipFile(site / "rt72.zip", "w") as archive:
        archive.writestr("rt72mod.py", "import queue\n")
    (site / "rt72.pth").write_text("rt72.zip\nimport rt72mod\n")
    (src / "queue.py").write_text("")
    # the module is found in the archive (a path line adds it), not as a source Warden reads
    found = startup_modules.guarded_start_holder([str(src)], [str(site)])
    assert found == str(src / "queue.py")
