"""Red team 39b R39b-1: a guardless ``python -m pip`` imports standard modules from the folders
it searches before the standard library. R38b-3's fix (``commands._refuse_installer_module``,
``guardless.shadowing_file``) looks only for the installer's top package (``pip``) on the
working folder (``-E``: ``-m`` puts it first on ``sys.path``) and the line's PYTHONPATH; pip
itself then imports ``enum`` (runpy's module search), ``textwrap``, ``logging``... by name,
and a ``textwrap.py`` / ``enum.py`` there runs unguarded and unread: its code installs
warden-demo-pkg from the refused test index. FAILS today (installs with Warden)."""

import pytest

PAYLOAD = (
    "import os; os.system('{uv} pip install -q --no-config --no-cache --python "
    "/usr/bin/python3 --target {target} --index-url {index} warden-demo-pkg')\n"
)
STARTS = {
    "-E, working folder": "subprocess.run([sys.executable, '-E', '-m', 'pip', '--version'], "
    "cwd='sub')\n",
    "-E list": "subprocess.run([sys.executable, '-E', '-m', 'pip', 'list'], cwd='sub')\n",
    "PYTHONPATH on the line": "os.system('PYTHONPATH=sub ' + sys.executable + ' -m pip "
    "--version')\n",
}


def _shadow(name: str) -> str:
    return (
        "import os, subprocess, sys\nos.makedirs('sub', exist_ok=True)\n"
        f"open('sub/{name}.py', 'w').write({PAYLOAD!r})\n"
    )


def _proves(kernel, code: str) -> None:
    """Installs without Warden; with Warden nothing is fetched or installed."""
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and kernel.installed() and kernel.index.requests, plain
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not kernel.installed() and not fetched, ("installed under Warden", fetched, guarded)


@pytest.mark.parametrize("case", sorted(STARTS))
@pytest.mark.parametrize("name", ["textwrap", "enum"])
def test_a_standard_module_a_guardless_pip_imports_shadowed(kernel, name, case):
    _proves(kernel, _shadow(name) + STARTS[case])


def test_the_real_pip_beside_a_project_s_own_modules_runs(kernel):
    """`python -E -m pip --version` in a project folder (train.py, utils.py): must keep running."""
    code = (
        "import os, subprocess, sys\nos.makedirs('proj', exist_ok=True)\n"
        "open('proj/train.py', 'w').write('x = 1')\nopen('proj/utils.py', 'w').write('y = 2')\n"
        "r = subprocess.run([sys.executable, '-E', '-m', 'pip', '--version'], cwd='proj')\n"
        "assert r.returncode == 0\nopen('ran', 'w').write('1')\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None and (kernel.work / "ran").exists(), result
