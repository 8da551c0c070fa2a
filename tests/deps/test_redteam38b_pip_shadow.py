"""Red team 38b R38b-3: a guardless ``python -m pip`` runs the pip package ``sys.path`` finds
first, not necessarily pip. With ``-E`` (PYTHONSAFEPATH ignored) ``-m`` puts the working
folder first on ``sys.path``; with PYTHONPATH set on the line (a pip read alone, its guard
lost through its environment) that folder comes first. A ``pip/__main__.py`` there runs
unguarded, yet ``_read_guardless_start`` skips every module of the ``pip`` package
(``_CALLER_READS``: "the caller reads it as pip") and ``_simple`` reads the words as pip's:
``pip --version`` / ``pip list`` run (R37c's refusal, ``_guardless_pip_problem``, is for an
install only). The shadow's code installs warden-demo-pkg from the refused test index. FAILS
today (installs with Warden)."""

import pytest

PAYLOAD = (
    "import os; os.system('{uv} pip install -q --no-config --no-cache --python "
    "/usr/bin/python3 --target {target} --index-url {index} warden-demo-pkg')\n"
)
SHADOW = (
    "import os, subprocess, sys\nos.makedirs('sub/pip', exist_ok=True)\n"
    "open('sub/pip/__init__.py', 'w').write('')\n"
    f"open('sub/pip/__main__.py', 'w').write({PAYLOAD!r})\n"
)
STARTS = {
    "-E, working folder": "subprocess.run([sys.executable, '-E', '-m', 'pip', '--version'], "
    "cwd='sub')\n",
    "-E list": "subprocess.run([sys.executable, '-E', '-m', 'pip', 'list'], cwd='sub')\n",
    "PYTHONPATH on the line": "os.system('PYTHONPATH=sub ' + sys.executable + ' -m pip "
    "--version')\n",
}


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
def test_a_guardless_pip_module_shadowed_by_a_local_package(kernel, case):
    _proves(kernel, SHADOW + STARTS[case])


def test_the_real_pip_version_under_e_runs(kernel):
    """`python -E -m pip --version` with no shadow: must keep running."""
    code = "import subprocess, sys\nsubprocess.run([sys.executable, '-E', '-m', 'pip', '-V'])\n"
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result
