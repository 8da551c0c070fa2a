"""Red team 17, what a guardless Python runs (R17-1, R17-2, R17-7, R17-12, R17-13).

A Python started with -I/-E/-S runs with no guard, so the parent reads its code before it
starts (``guardless``). Code that may write a file and then imports a module a written file
may stand in for is refused (R14-1). "May write" was a LIST of writers (``Path.write_text``
unbound, an alias of ``open``, ``URLopener().retrieve`` got past it: R17-1); it is now an ALLOW
list (schema/guardless-calls.json's ``no_write_*``): every call must be one known to write no
file, and a use Warden cannot follow counts as a write. A writer earlier on the shell LINE
(R17-13), a variable naming a module the standard library imports (R17-2) and ``-m`` of a
standard-library module whose command line imports what it names (R17-7) are refused too.

Each malicious case proves itself in a kernel of the lab's launch environment: without Warden
the child installs warden-demo-pkg from the local index with the real uv, with Warden the start
is refused before anything runs. The payload lies in ``p.txt`` (written by the test), so no
installer word is in what Warden reads.
"""

import json
import sys
from pathlib import Path

import pytest
from launched import reading_refusal, system_cell

from jupyterlab_warden.kernel.guard.installs import guardless

# writers and ordinary code, shared with the static side's spec (src/deps/guardless.spec.ts)
CASES = json.loads(
    (Path(__file__).resolve().parents[2] / "src/deps/testdata/guardless-writes.json").read_text()
)


def _line(text: str, cwd) -> str:
    """The kernel's reading of a shell line run in ``cwd``."""
    return reading_refusal(["/bin/sh", "-c", text], cwd)


def _plant(kernel, name: str = "p.txt", then: str = "raise ImportError('not here')") -> None:
    """A module text in the kernel's folder that installs warden-demo-pkg when imported (uv
    queries its Python: it runs without the variable that brought the module in)."""
    text = "import os\nos.environ.pop('_PYTHON_SYSCONFIGDATA_NAME', None)\n"
    text += f"os.system({kernel.uv_install()!r})\n{then}\n"
    (kernel.work / name).write_text(text)


def _child_cell(argv: str, written=("json.py",)) -> str:
    """A cell starting ``argv`` (a Python list's text) from the kernel's folder, and removing
    what the child wrote, so the run with Warden starts from the same folder."""
    return (
        "import os, shutil, subprocess, sys\n"
        "try:\n"
        f"    subprocess.run({argv})\n"
        "finally:\n"
        f"    for name in {list(written)!r}:\n"
        "        if os.path.exists(name):\n"
        "            os.remove(name)\n"
        "    shutil.rmtree('__pycache__', ignore_errors=True)\n"
    )


# -- R17-1: an allow list of what writes no file --------------------------------------------------

# writers the list missed (R17-1's three, and the spellings the brief names), each then
# `import json` in a guardless Python whose working folder comes first on its path
WRITERS = CASES["writers"]


@pytest.mark.parametrize("code", WRITERS)
def test_a_writer_the_list_did_not_name_counts(tmp_path, code):
    assert guardless.may_write(code), code
    why = reading_refusal([sys.executable, "-E", "-c", code + "\nimport json\n"], tmp_path)
    assert why, code


# ordinary guardless one-liners (R17-12's false refusal among them): none writes by the list
ORDINARY_CODE = CASES["ordinary"]
ORDINARY_MODULES = [
    ["json.tool", "x.json"], ["http.server", "8000"], ["venv", ".venv"], ["compileall", "-q", "."],
    ["zipfile", "-l", "x.zip"], ["site"], ["sysconfig"], ["http.server", "--bind", "127.0.0.1"],
]  # fmt: skip


@pytest.mark.parametrize("flag", ["-I", "-E"])
def test_ordinary_guardless_lines_still_start(tmp_path, flag):
    (tmp_path / "x.json").write_text("{}")
    for code in ORDINARY_CODE:
        assert reading_refusal([sys.executable, flag, "-c", code], tmp_path) == "", code
    for module in ORDINARY_MODULES:
        assert reading_refusal([sys.executable, flag, "-m", *module], tmp_path) == "", module


@pytest.mark.parametrize(
    "code",
    [
        "from pathlib import Path\nPath.write_text(Path('json.py'), Path('p.txt').read_text())",
        "o = open\no('json.py', 'w').write(open('p.txt').read())",
    ],
    ids=["Path.write_text unbound", "an alias of open"],
)
def test_a_module_written_by_an_unlisted_writer_is_refused(kernel, code):
    """R17-1: the code writes json.py into its working folder (first on the path of -E -c),
    then `import json` runs it."""
    _plant(kernel)
    refused = kernel.proves(
        _child_cell(f"[sys.executable, '-E', '-c', {code + chr(10) + 'import json'!r}]")
    )
    assert "may write files" in refused and "json" in refused, refused


# -- R17-13: a writer earlier on the line ---------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "cp p.txt json.py && python3 -E -c 'import json'",
        "echo x > json.py; python3 -I -c 'import json'",
        "cat p.txt > json.py; python3 -E -m json.tool x.json",
        "cp p.txt train.py && python3 -E train.py",
        "python3 -E -c 'import sys; import json' & cp p.txt json.py",
        "python3 -E -c 'import json' | tee json.py",
        "bash -c 'cp p.txt json.py' && python3 -E -c 'import json'",
        "cp p.txt json.py && bash -c \"python3 -E -c 'import json'\"",
        "echo $(cp p.txt json.py) && python3 -E -c 'import json'",
        "for i in 1 2; do python3 -E -c 'import json'; cp p.txt json.py; done",
    ],
)
def test_a_writer_on_the_line_before_or_alongside_counts(tmp_path, line):
    (tmp_path / "x.json").write_text("{}")
    (tmp_path / "train.py").write_text("print(1)\n")
    why = _line(line, tmp_path)
    assert "may write what it imports or runs" in why, why


@pytest.mark.parametrize(
    "line",
    [
        "mkdir -p out && python3 -I -c 'import json; print(json.dumps([]))'",
        "cd /tmp && python3 -I -c 'import sys; print(sys.version)'",
        "ls && python3 -E -c 'import json'",
        "python3 -I -c 'import json; print(json.dumps([1]))' > out.json",
        "python3 -I -c 'import json; print(json.dumps([1]))' | grep 1",
        "cp a b && python3 -I -c 'import sys; print(sys.argv)'",
    ],
)
def test_ordinary_lines_around_a_guardless_python_still_start(tmp_path, line):
    (tmp_path / "a").write_text("")
    assert _line(line, tmp_path) == ""


def test_its_own_output_redirected_counts_as_a_write_of_its_code(tmp_path):
    # written while the code runs: its first imports came before, a later one may not
    code = "import sys\nprint(1)\nsys.stdout.flush()\nimport json"
    why = _line(f"python3 -E -c '{code}' > json.py", tmp_path)
    assert "may write files (a redirection of its output)" in why, why


def test_a_module_a_command_before_it_wrote_is_refused(kernel):
    """R17-13: decided before the line runs, when json.py was not there; cp writes it, then
    the guardless Python's `import json` runs it."""
    _plant(kernel)
    line = "cp p.txt json.py && python -E -c 'import json'; rm -f json.py"
    refused = kernel.proves(system_cell(line))
    assert "an earlier command on the line" in refused and "(cp)" in refused, refused


# -- R17-2: a variable naming a module the standard library imports -----------------------------


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (
            ["-I", "-c", "import sysconfig; sysconfig.get_paths()"],
            {"_PYTHON_SYSCONFIGDATA_NAME": "x"},
        ),
        (["-I", "-m", "venv", "v"], {"_PYTHON_SYSCONFIGDATA_NAME": "x"}),
        (["-I", "-m", "sysconfig"], {"_PYTHON_SYSCONFIGDATA_PATH": "/tmp"}),
        (["-I", "-c", "print(1)"], {"PY_SAX_PARSER": "x"}),
    ],
)
def test_a_variable_naming_an_imported_module_is_refused(tmp_path, argv, env):
    why = reading_refusal([sys.executable, *argv], tmp_path, env)
    assert "names a module the standard library imports" in why, why


@pytest.mark.parametrize(
    "code",
    [
        "import os, sysconfig\nos.environ['_PYTHON_SYSCONFIGDATA_NAME'] = 'x'\nsysconfig.get_paths()",  # noqa: E501
        "import os\nos.environ.update(_PYTHON_SYSCONFIGDATA_NAME='x')",
        "import os\nos.environ.setdefault('PY_SAX_PARSER', 'x')",
        "import os\nk = 'x'\nos.environ[k] = 'y'",
        "import os\ne = os.environ\ne['_PYTHON_SYSCONFIGDATA_NAME'] = 'x'",
    ],
)
def test_code_setting_such_a_variable_is_refused(tmp_path, code):
    assert "os.environ" in reading_refusal([sys.executable, "-I", "-c", code], tmp_path) or (
        "names a module" in reading_refusal([sys.executable, "-I", "-c", code], tmp_path)
    )


def test_code_setting_other_variables_still_runs(tmp_path):
    for code in (
        "import os\nos.environ['CUDA_VISIBLE_DEVICES'] = '0'\nprint(1)",
        "import os\nos.environ.update(OMP_NUM_THREADS='1')\nprint(1)",
        "import os\nprint(sorted(os.environ))",
    ):
        assert reading_refusal([sys.executable, "-I", "-c", code], tmp_path) == "", code


def test_sysconfig_importing_the_named_module_is_refused(kernel):
    """R17-2: sysconfig imports the module _PYTHON_SYSCONFIGDATA_NAME names for any config
    query, -E or not; with -E the working folder comes first on the path."""
    _plant(kernel, "_sysconfigdata_x.py", "build_time_vars = {}")
    code = "import sysconfig; sysconfig.get_paths()"
    line = f"_PYTHON_SYSCONFIGDATA_NAME=_sysconfigdata_x python -E -c '{code}'"
    refused = kernel.proves(system_cell(line))
    assert "_PYTHON_SYSCONFIGDATA_NAME" in refused, refused


# -- R17-7: -m of a standard-library module: an allow list of command lines ----------------------


@pytest.mark.parametrize(
    "module",
    [
        ["smtpd", "-n", "-c", "evil.Server"],
        ["pickle", "x.pkl"],
        ["timeit", "-s", "import x", "pass"],
        ["cProfile", "x.py"],
        ["unittest", "x"],
        ["doctest", "x.py"],
        ["trace", "--run", "x.py"],
        ["pdb", "x.py"],
        ["code"],
        ["inspect", "x"],
        ["pyclbr", "x"],
        ["webbrowser", "http://x/"],
        ["runpy", "smtpd", "-c", "x.Y"],
        ["http.server", "--cgi"],
        ["http.server", "--cg"],  # argparse takes a unique prefix
        ["venv", "--upgrade-deps", "v"],  # pip install --upgrade pip from PIP_INDEX_URL's index
    ],
)
def test_a_module_whose_command_line_is_not_known_is_refused(tmp_path, module):
    why = reading_refusal([sys.executable, "-I", "-m", *module], tmp_path)
    assert "python -m" in why, why


def test_a_venv_with_its_pip_is_made_in_a_launched_kernel(kernel):
    """`python -m venv v` runs `v/bin/python -Im ensurepip --upgrade --default-pip`, a guardless
    Python: ensurepip installs the pip wheel it bundles (--no-index, every PIP_* variable
    dropped), so its command line is on run_modules' allow list (it was refused: a plain venv
    cell failed in every launched kernel)."""
    cell = (
        "import subprocess, sys\nsubprocess.run([sys.executable, '-m', 'venv', 'v'], check=True)\n"
    )
    result = kernel.cell(cell, launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "v" / "bin" / "pip").exists(), result


def test_smtpd_importing_its_class_module_is_refused(kernel):
    """R17-7: ``-m smtpd -c MOD.CLASS`` imports MOD (3.11 still has smtpd); -E puts the working
    folder first on the path of -m."""
    _plant(kernel, "evil.py", "os._exit(0)")
    argv = "[sys.executable, '-E', '-W', 'ignore', '-m', 'smtpd', '-n', '-c', 'evil.Server']"
    refused = kernel.proves(_child_cell(argv))
    assert "python -m smtpd" in refused, refused
