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

from jupyterlab_warden.kernel.guard.installs import commands, guardless

PYTHON_E = "import os, sys\nos.system(sys.executable + ' -E app/train.py')\n"


def _payload(kernel, then: str = "raise ImportError('not here')") -> str:
    """A module that installs warden-demo-pkg from the test index when imported."""
    return f"import os\nos.system({kernel.uv_install()!r})\n{then}\n"


def _app(kernel, files) -> None:
    app = kernel.work / "app"
    app.mkdir(exist_ok=True)
    for name, text in files.items():
        (app / name).write_text(text)


def _why(argv, cwd, env=None) -> str:
    """The kernel's reading of a start in ``cwd`` ('' when it may start)."""
    with commands.start_folder(str(cwd)):
        try:
            commands.invocations(argv, 1, env or {})
        except commands.Unreadable as exc:
            return str(exc)
    return ""


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
    why = _why(argv, tmp_path)
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
    assert _why(argv, tmp_path, {"BROWSER": "firefox", "PAGER": "cat"}) == ""
