"""Red team 38b R38b-2: pip run as ``python -I -m pip.__pip-runner__`` (pip's own runner
module, shipped in every pip since 22.1: it ends in ``runpy.run_module("pip", run_name=
"__main__")``). ``commands._simple`` takes only ``-m pip``/``-m pip.__main__`` for a pip (the
invocation carrying R37c's refusal of a guardless pip, ``_guardless_pip_problem``);
``_read_guardless_start`` skips every module of the ``pip`` package (``_CALLER_READS``: "the
caller reads it") and ``_refuse_unread`` finds no installer's name in ``install ...``. So the
guardless pip's install is read by nobody: no invocation, no guard in the child. The same
module with the guard kept is decided by the child's guard. FAILS today (installs with
Warden)."""

import pytest

PIP = "'install', '-q', '--no-cache-dir', '--target', '{target}', '--index-url', '{index}'"
CELL = "import subprocess, sys\nsubprocess.run([sys.executable, {flags}'-m', {module}, " + PIP
CELL += ", 'warden-demo-pkg'])\n"


def _proves(kernel, code: str) -> None:
    """Installs without Warden; with Warden nothing is fetched or installed."""
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and kernel.installed() and kernel.index.requests, plain
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not kernel.installed() and not fetched, ("installed under Warden", fetched, guarded)


@pytest.mark.parametrize("flags", ["'-I', ", "'-E', "])
def test_a_guardless_pip_through_its_runner_module(kernel, flags):
    module = "'pip.__pip-runner__'"
    _proves(kernel, CELL.replace("{flags}", flags).replace("{module}", module))


def test_a_guardless_pip_through_runpy_and_its_runner_module(kernel):
    module = "'runpy', 'pip.__pip-runner__'"
    _proves(kernel, CELL.replace("{flags}", "'-I', ").replace("{module}", module))
