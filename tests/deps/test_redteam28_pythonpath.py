"""Red team 28a: a PYTHONPATH word inside an archive, and Python option forms that drop the
guard under a program Warden does not read.

R28a-2: a PYTHONPATH word naming a folder inside a zip archive (``/w/a.zip/inner``, the
relative ``a.zip/inner``) does not exist as a path, yet Python's zipimport imports from it:
zipimport walks the word up to its first part that exists, and a file there is the archive.
``startup_modules.holder`` saw a path that does not exist and found nothing there, so a
``sitecustomize`` (or a copy of ``encodings``) in the archive ran before the guard. Every
place that decides what such a word holds now asks ``startup_modules.archive_part``, which
walks the word as zipimport does: a word whose first existing part is no folder holds
anything, as the archive word itself always did.

R28a-3: ``names_installer`` read a Python's options from the pieces of its words split at
``=`` and ``,``, so ``python3 -X utf8=1 -I`` was read as ``-X utf8``, then ``1`` (no option),
and the ``-I`` was never seen; ``-X pycache_prefix=DIR`` (a forged ``.pyc`` of the guard's
sitecustomize under DIR) was not counted at all. The options are now read from the whole
words, and an ``-X`` option ``startup_modules.HARMLESS_X`` does not list drops the guard, as
it does on a direct start. CPython's ``-t`` flag (taken and ignored by every CPython 3) was
missing from Warden's list of its flags: ``python3 -tI run.py`` was read as an option CPython
does not have, and its script went unread.

The refusals are proven with a real install (it lands without Warden; with Warden the cell is
refused and the index sees no request); the allowed lines run for real in a Warden kernel.
"""

import os
import re
import sys
from pathlib import Path

import pytest
from launched import installed, system_cell

from jupyterlab_warden.kernel.guard.installs import commands, guardless, startup_modules

REPO = Path(__file__).resolve().parents[2]


def _escaped(cell: str) -> str:
    """A cell for ``kernel.cell``, which fills ``{index}``-like fields: its own braces kept."""
    return cell.replace("{", "{{").replace("}", "}}")


# -- R28a-2: a PYTHONPATH word inside an archive ---------------------------------------------

# a zip whose sitecustomize.py and inner/sitecustomize.py install, then a child Python
# started with WORD ahead of the kernel's whole sys.path (torch's start)
ZIP_AHEAD = """
import os, sys, subprocess, zipfile
with zipfile.ZipFile('a.zip', 'w') as z:
    for name in ('sitecustomize.py', 'inner/sitecustomize.py'):
        z.writestr(name, 'import os; os.system(%r)' % INSTALL)
env = dict(os.environ)
env['PYTHONPATH'] = os.pathsep.join([WORD] + sys.path)
subprocess.run([sys.executable, '-c', 'pass'], env=env)
"""

# a copy of encodings in e.zip/inner whose __init__ installs first; the kernel's own
# PYTHONPATH given the archive folder after its words (the guard's folder first)
ZIP_SETTLED = """
import glob, os, sys, subprocess, zipfile, encodings
with zipfile.ZipFile('e.zip', 'w') as z:
    for f in glob.glob(os.path.dirname(encodings.__file__) + '/*.py'):
        body = open(f).read()
        if f.endswith('__init__.py'):
            body = 'import os; os.system(%r)\\n' % INSTALL + body
        z.writestr('inner/encodings/' + os.path.basename(f), body)
words = [w for w in os.environ.get('PYTHONPATH', '').split(os.pathsep) if w]
os.environ['PYTHONPATH'] = os.pathsep.join(words + [os.path.abspath('e.zip/inner')])
subprocess.run([sys.executable, '-c', 'pass'])
"""


def _zip_cell(kernel, template: str, word: str = "") -> str:
    cell = template.replace("INSTALL", repr(kernel.uv_install())).replace("WORD", word)
    return _escaped(cell)


@pytest.mark.parametrize(
    "word",
    [
        "os.path.abspath('a.zip')",
        "os.path.abspath('a.zip/inner')",
        "'a.zip/inner'",
        "os.path.abspath('a.zip/inner/x/..')",
    ],
)
def test_an_archive_ahead_of_the_guard_never_runs_before_it(kernel, word):
    """The archive's (inner/)sitecustomize.py installs without Warden. With Warden the child
    starts with the guard's folder alone on its PYTHONPATH (``child_path``, R28a-1), the
    archive word among the folders put back once its guard is in: it never runs, and nothing
    is refused, fetched or installed. Absolute, relative or written with a `..`."""
    kernel.never_runs_with_warden(_zip_cell(kernel, ZIP_AHEAD, word))


def test_the_kernels_pythonpath_given_a_folder_inside_an_archive_is_refused(kernel):
    """The "settled" rule: the guard's folder first, then e.zip/inner, whose encodings every
    later Python imports before site (here a plain subprocess.run)."""
    refused = kernel.proves(_zip_cell(kernel, ZIP_SETTLED))
    assert "change of the kernel's PYTHONPATH" in refused, refused


def test_archive_part_walks_a_word_as_zipimport_does(tmp_path, monkeypatch):
    """The first existing part of the word, when it is no folder ('' when it is one)."""
    archive = tmp_path / "a.zip"
    archive.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip
    folder = tmp_path / "src"
    folder.mkdir()
    for word in ("a.zip", "a.zip/", "a.zip/inner", "a.zip/inner/deeper", "a.zip/inner/.."):
        assert startup_modules.archive_part(str(tmp_path / word)) == str(archive), word
    assert startup_modules.archive_part(str(folder)) == ""
    assert startup_modules.archive_part(str(folder / "not" / "yet")) == ""
    assert startup_modules.archive_part("/dev/null/x") == "/dev/null"  # no folder either
    link = tmp_path / "link"
    link.symlink_to(archive)
    assert startup_modules.archive_part(str(link / "inner")) == str(link)
    monkeypatch.chdir(tmp_path)
    assert startup_modules.archive_part("a.zip/inner") == "a.zip"


def test_every_reading_of_a_word_finds_the_folder_inside_an_archive(tmp_path):
    """holder (the start-up modules, the guard's rules), the guardless imports (_find), and
    the settled rule's reading of the folders (guard_shadowed)."""
    from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR

    (tmp_path / "a.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    inner = str(tmp_path / "a.zip" / "inner")
    assert startup_modules.holder([inner], ["encodings"]) == inner
    assert guardless._find("helper", [inner])[0] == "archive"
    here = lambda: str(tmp_path)  # noqa: E731
    assert startup_modules.guard_shadowed([inner, SITE_DIR], SITE_DIR, here) == inner
    relative = startup_modules.guard_shadowed(["a.zip/inner", SITE_DIR], SITE_DIR, here)
    assert relative == str(tmp_path / "a.zip" / "inner")
    # a folder that is not there yet holds nothing (a folder, not an archive, comes first)
    missing = str(tmp_path / "later" / "inner")
    assert startup_modules.guard_shadowed([missing, SITE_DIR], SITE_DIR, lambda: "/") is None


# -- R28a-3: a Python option form that drops the guard ---------------------------------------

RUN = "import os\nopen('run.py', 'w').write('import os; os.system(%r)' % INSTALL)\n"


def _run_cell(kernel, line: str) -> str:
    cell = RUN.replace("INSTALL", repr(kernel.uv_install())) + f"os.system({line!r})\n"
    return _escaped(cell)


@pytest.mark.parametrize(
    "options",
    ["-X utf8=1 -I", "-Xfrozen_modules=off -I", "-X int_max_str_digits=0 -E", "-tI", "-t -I"],
)
def test_a_guard_dropping_flag_after_an_x_value_under_flock_is_refused(kernel, options):
    installed("flock")
    refused = kernel.proves(_run_cell(kernel, f"flock lock python3 {options} run.py"))
    assert "flock may run an installer" in refused, refused


# a compiled sitecustomize for the guard's own source under a pycache prefix (its header the
# source's mtime and size): the child loads it as the guard. Without Warden there is no guard
# on PYTHONPATH, and run.py installs itself.
PYCACHE = """
import os, sys, shutil, importlib._bootstrap_external as be
shutil.rmtree('pc', ignore_errors=True)
code = 'import os; os.system(%r)' % INSTALL
words = os.environ.get('PYTHONPATH', '').split(os.pathsep)
sources = [os.path.join(p, 'sitecustomize.py') for p in words if p]
sources = [s for s in sources if os.path.exists(s)]
open('run.py', 'w').write('print(1)' if sources else code)
for source in sources:
    st = os.stat(source)
    tag = sys.implementation.cache_tag
    pyc = os.path.abspath('pc') + os.path.dirname(source) + '/sitecustomize.' + tag + '.pyc'
    os.makedirs(os.path.dirname(pyc), exist_ok=True)
    compiled = compile(code, source, 'exec')
    open(pyc, 'wb').write(be._code_to_timestamp_pyc(compiled, st.st_mtime, st.st_size))
os.system('flock lock ' + sys.executable + ' -X pycache_prefix=pc run.py')
"""


def test_a_pycache_prefix_under_flock_is_refused(kernel):
    """-X pycache_prefix=DIR drops the guard by itself: the forged .pyc runs as the guard."""
    installed("flock")
    cell = _escaped(PYCACHE.replace("INSTALL", repr(kernel.uv_install())))
    refused = kernel.proves(cell)
    assert "flock may run an installer" in refused, refused


def test_python_t_i_started_directly_is_read_as_isolated(kernel):
    """`python3 -tI run.py`: -t is CPython's (ignored), so the start is -I, guardless, and its
    script is read (it names an installer)."""
    refused = kernel.proves(_run_cell(kernel, "python3 -tI run.py"))
    assert "python -I starts without Warden's guard" in refused, refused


def test_python_lines_with_harmless_x_options_run(kernel):
    """Ordinary lines: -X dev, -X importtime, directly and under flock."""
    installed("flock")
    (kernel.work / "script.py").write_text("import sys\nopen(sys.argv[1], 'w').write('ok')\n")
    lines = {
        "dev.txt": "python3 -X dev script.py dev.txt",
        "time.txt": "python3 -X importtime -c \"open('time.txt', 'w').write('ok')\" 2>/dev/null",
        "flock-dev.txt": "flock lock python3 -X dev script.py flock-dev.txt",
        "flock-utf8.txt": "flock lock python3 -X utf8=1 -W ignore script.py flock-utf8.txt",
    }
    for made, line in lines.items():
        result = kernel.cell(_escaped(system_cell(line)), launched=True)
        assert result["refused"] is None, (line, result)
        assert (kernel.work / made).read_text() == "ok", line


def test_names_installer_reads_a_pythons_options_from_whole_words(tmp_path):
    """The reading alone, over CPython's option shapes."""
    dropping = [
        ["python3", "-X", "utf8=1", "-I", "run.py"],
        ["python3", "-Xfrozen_modules=off", "-I", "run.py"],
        ["python3 -X int_max_str_digits=0 -E run.py"],  # a command string in one word
        ["python3", "-X", "pycache_prefix=pc", "run.py"],
        ["python3", "-Xpycache_prefix=pc", "run.py"],
        ["python3", "-X", "presite=m", "run.py"],  # any -X name Warden does not know
        ["python3", "-W", "ignore", "-I"],
        ["python3", "-Wignore::DeprecationWarning", "-I"],
        ["python3", "-bIc", "print()"],
        ["python3", "-tI", "run.py"],
        ["python3", "--check-hash-based-pycs", "never", "-I", "x"],
        ["python3", "--version", "-I"],
        ["--python=python3", "-I"],
        ["-DPY=/usr/bin/python3", "-IS"],
    ]
    for words in dropping:
        assert commands.names_installer(words), words
    keeping = [
        ["python3", "-X", "dev", "script.py"],
        ["python3", "-X", "importtime", "-c", "import torch"],
        ["python3", "-X", "utf8=1", "-W", "ignore", "script.py"],
        ["python3", "--", "-I"],  # `--` ends its options: -I is the script
        ["python3", "-c", "x", "-I"],
        ["python3", "--frobnicate", "-I"],  # an option CPython does not have: it runs nothing
        ["python3", "-X"],
        ["-DPYTHON=python3", "-DCMAKE_EXE=1"],
    ]
    for words in keeping:
        assert not commands.names_installer(words), words
    # the Python include folder, then a compiler's -X option (nvcc -Xcompiler): no program
    include = tmp_path / "include" / "python3.11"
    include.mkdir(parents=True)
    assert not commands.names_installer(["-I", str(include), "-Xcompiler", "-fPIC", "k.cu"])
    assert not commands.names_installer(["-Xcompiler", "-fPIC", f"-I{include}", "-Isrc", "k.cu"])


def test_the_static_sides_harmless_x_list_is_the_kernels():
    """src/deps/startup.ts keeps a copy of startup_modules.HARMLESS_X (the static side cannot
    import it): the two lists stay the same."""
    text = (REPO / "src" / "deps" / "startup.ts").read_text()
    body = re.search(r"const HARMLESS_X[^=]*= new Set\(\[(.*?)\]\)", text, re.S)
    assert body, "HARMLESS_X not found in startup.ts"
    assert set(re.findall(r"'([^']+)'", body.group(1))) == set(startup_modules.HARMLESS_X)


def test_every_cpython_flag_is_known():
    """Every one-letter flag the kernel's Python takes is one Warden reads (-t was missing: a
    start with it was read as an option CPython does not have)."""
    import subprocess

    taken = set()
    for letter in "abdefghijklnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVYZ?":
        done = subprocess.run(
            [sys.executable, f"-{letter}", "-c", "pass"], stdin=subprocess.DEVNULL,
            capture_output=True, env={**os.environ, "PYTHONPATH": ""}, check=False,
        )  # fmt: skip
        if done.returncode == 0:
            taken.add(letter)
    assert taken - commands._PY_FLAGS == set()
    assert "t" in taken
