"""Red team 54a R54a-1: an install that BUILDS a local project runs the project's build code
(setup.py), which may write any file, yet the line reading counts it as a plain install that
writes nothing, so a later uv on the same line is read with the files as they were BEFORE the
line.

``commands._may_write`` -> ``_plain_install`` (commands.py:2056-2080; src/deps/commands.ts
``mayWrite``/``plainInstall``) makes every pip command but download/wheel, and every uv command
but run/x/tool/``pip compile``, a non-writer. But ``pip install ./proj`` (and ``uv pip install
./proj``, ``uv sync`` of a project with a setup.py, any sdist) runs the project's build code,
which Warden does not read ("a folder with no pyproject.toml gets its dependencies from its own
build code: installing it runs that code, like running a script", local_projects.py), and a
script IS a writer on the line (``python x.py`` is off ``line_writers``' list). Here the build
code writes r.txt (``--index-url`` of the test index, a host the policy refuses); the uv after
it on the line was decided with r.txt empty, and uv is native: nothing decides its -r file
again. FAILS today (installs from the refused index under Warden).
"""

import shutil
import sys

SETUP = (
    "import pathlib\n"
    "pathlib.Path({req!r}).write_text('--index-url {index}\\nwarden-demo-pkg\\n')\n"
    "from setuptools import setup\n"
    "setup(name='rt54a-proj', version='0.1', py_modules=[])\n"
)


def _cell(kernel, builder: str) -> str:
    proj = kernel.work / "proj"
    proj.mkdir(exist_ok=True)
    (proj / "setup.py").write_text(
        SETUP.format(req=str(kernel.work / "r.txt"), index=kernel.index.simple)
    )
    (kernel.work / "r.txt").write_text("# filled in later\n")
    shutil.rmtree(kernel.work / "built", ignore_errors=True)
    line = (
        f"{builder} && {{uv}} pip install -q --no-config --no-cache --python {sys.executable} "
        "--target {target} -r r.txt"
    )
    return f"import os\nos.system({line!r})\n"


PIP_BUILD = (
    f"{sys.executable} -m pip install -q --no-index --no-build-isolation --no-deps "
    "--target built ./proj"
)


def test_a_pip_build_that_writes_the_later_uv_requirements_is_a_writer(kernel):
    code = _cell(kernel, PIP_BUILD)
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed() and kernel.index.requests, plain  # the attack works
    code = _cell(kernel, PIP_BUILD)  # r.txt as before, no build left over
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)


def test_control_a_script_writing_it_is_a_writer(kernel):
    """What the line reading does count (passes today): the same code run as a script."""
    code = _cell(kernel, f"{sys.executable} proj/setup.py --version")
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert not kernel.index.requests and not kernel.installed(), guarded
