"""Red team 45b R45b-1: a pip that loses its guard through the shell line's environment runs
none of the checks that live only in pip's guarded process.

Rounds 42-43 moved part of the decision into pip's own process (``installs/pip_links.py``,
``pip_requires.py``, ``pip_sources.py``, ``pip_requirements.py``): a trusted mirror's wheel's
``Requires-Dist: x @ URL`` (R43a-1), a page from pip's HTTP cache (R42a-2), the names pip
parses (R43a-4). The kernel cannot read those before pip starts (a remote wheel's METADATA),
so they are decided ONLY when pip's process carries the guard.

A pip started by a Python whose options drop the guard (``python -I -m pip``) is refused
outright (``commands._guardless_pip_problem``, red team 37c). A pip whose guard is lost through
the shell line's ENVIRONMENT (``env -u PYTHONPATH python -m pip``, ``PYTHONPATH= python -m
pip``; ``commands._guard_lost``) is instead "read as uv's is" (``commands._LineState.problem``:
``pip = tool == "pip" and not guard_lost``, then no problem unless an earlier command on the
line wrote something): the kernel's reading alone decides it, and that reading has no way to
see R43a-1's dependency URL. So R43a-1's exact cell, with ``env -u PYTHONPATH`` in front,
installs warden-demo-pkg from the host the policy refuses. FAILS today (installed under
Warden); the control (the same pip keeping its guard) is refused today.
"""

import pytest
from listed_release import trust_mirror
from test_redteam43a_remote_requires_url import CARRIER, mirror  # noqa: F401


def _cell(host: str, prefix: str) -> str:
    args = [
        "-m", "pip", "install", "-q", "--no-cache-dir", "--target", "{target}",
        "--trusted-host", host, "--index-url", f"http://{host}/simple", CARRIER,
    ]  # fmt: skip
    return (
        f"import os, sys, shlex\nos.system({prefix!r} + shlex.join([sys.executable, *{args!r}]))\n"
    )


def test_control_the_pip_keeping_its_guard_is_refused(kernel, mirror):  # noqa: F811
    host, _served = mirror
    trust_mirror(kernel, host)
    kernel.reset()
    guarded = kernel.cell(_cell(host, ""), launched=True)
    assert not kernel.installed(), guarded
    assert "a dependency of wardencarrier" in (guarded["stderr"] or ""), guarded


@pytest.mark.parametrize("prefix", ["env -u PYTHONPATH ", "PYTHONPATH= "])
def test_a_pip_whose_environment_drops_the_guard_is_not_left_to_the_kernel_s_reading(
    kernel,
    mirror,  # noqa: F811
    prefix,
):
    host, _served = mirror
    trust_mirror(kernel, host)
    code = _cell(host, prefix)
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert kernel.installed(CARRIER) and kernel.installed(), plain
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)  # the refused host
    assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)


def test_r42a_2_s_planted_cache_page_through_a_pip_whose_environment_drops_the_guard(kernel):
    """R42a-2's planted HTTP-cache page (``pip_links`` decides every parsed link only in a
    guarded pip), with ``env -u PYTHONPATH`` in front of the same pip command."""
    import test_redteam42a_http_cache as r42

    gen = r42.mirror.__wrapped__(kernel.index)
    host, served = next(gen)
    try:
        refused = f"{kernel.index.base}/files/warden_demo_pkg-1.0-py3-none-any.whl"
        (kernel.work / "kit").mkdir()
        (kernel.work / "kit" / "page.cc").write_bytes(r42._entry(refused))
        entry = r42._cache_path(kernel.work, f"http://{host}/simple/{r42.PROJECT}/")
        cell = r42.CELL.replace(
            "os.system(sys.executable + ", "os.system('env -u PYTHONPATH ' + sys.executable + "
        )
        assert cell != r42.CELL
        code = f"ENTRY = {entry!r}\nHOST = {host!r}\n" + cell
        trust_mirror(kernel, host)
        kernel.reset()
        plain = kernel.cell(code, launched=False)
        assert kernel.installed() and kernel.index.requests, plain
        kernel.reset()
        guarded = kernel.cell(code, launched=True)
        fetched = list(kernel.index.requests)
        assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)
    finally:
        next(gen, None)
