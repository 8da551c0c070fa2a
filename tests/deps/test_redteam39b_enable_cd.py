"""Red team 39b R39b-4: bash's ``enable -n cd`` turns the builtin off, so ``cd sub`` runs the
PATH's program named cd (here bin/cd, ``exit 0``, written by the kernel and read by Warden as
a harmless script) and the shell stays where it was. ``_LineState`` still follows ``cd sub``
as the builtin, so fix42pwd's ``$PWD`` (``_LineState.pwd``) names <work>/sub: ``export
PYTHONPATH=$PWD`` is read as a folder with no start-up module, while the Python after it
finds <work>/sitecustomize.py first and runs it without its guard. The sitecustomize installs
warden-demo-pkg from the refused test index. FAILS today (installs with Warden)."""

import pytest
from test_redteam32_places import _site_cell

PREP = (
    "os.makedirs('sub', exist_ok=True); os.makedirs('bin', exist_ok=True); "
    "open('sitecustomize.py', 'w').write(open('p.pth').read()); "
    "open('bin/cd', 'w').write('#!/bin/sh\\nexit 0\\n'); os.chmod('bin/cd', 0o755); "
)
ENABLE = "enable -n cd\nPATH=@HERE@/bin:/usr/bin:/bin\n"
LINES = {
    "relative cd": f"bash -c '{ENABLE}cd sub && export PYTHONPATH=$PWD && @PY@ -c pass'",
    "absolute cd": f"bash -c '{ENABLE}cd @HERE@/sub && export PYTHONPATH=$PWD && @PY@ -c pass'",
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


@pytest.mark.parametrize("case", sorted(LINES))
def test_a_cd_that_is_no_builtin_leaves_pwd_where_it_was(own_kernel, case):
    start = f"os.system({LINES[case]!r}.replace('@HERE@', os.getcwd()).replace('@PY@', py))"
    _proves(own_kernel, _site_cell(PREP + start))
