"""Red team 38b R38b-7: ``export NAME=$X`` of a variable that changes how the line is read.
``NAME=$X cmd`` and ``NAME=$X; export NAME`` are unreadable (``commands._refuse_expansion``:
"it assigns NAME a shell expansion"), but the same assignment as ``export``'s argument is
not checked (``_refuse_expansion`` reads only the words before the program, and ``export``
IS the program), so the line keeps the literal text ``$PWD/ub`` as the value: a relative
folder that exists nowhere. The start folders R31-6's rule reads for the Python after it
(``startup_modules.user_sites``, ``pythonpath_folders``) then miss the folder the shell
really gives: ``export PYTHONUSERBASE=$PWD/ub`` (a user site, system Python), ``export
PYTHONPATH=$PWD/ub`` (a sitecustomize), ``export HOME=$PWD/hh`` (~/.local's user site); the
cp writes a start-up file there and the Python runs it before its guard. FAILS today
(installs with Warden)."""

import os
import subprocess

import pytest
from test_redteam32_places import _site_cell

SYSTEM = "/usr/bin/python3"


def _version() -> str:
    out = subprocess.run([SYSTEM, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                         capture_output=True, text=True, check=True)  # fmt: skip
    return out.stdout.strip()


LINES = {
    "PYTHONUSERBASE": "export PYTHONUSERBASE=$PWD/ub; rm -rf ub; mkdir -p ub/lib/pythonV/"
    "site-packages && cp p.pth ub/lib/pythonV/site-packages/zz.pth && PYEXE -c pass",
    "PYTHONPATH": "export PYTHONPATH=$PWD/ub; rm -rf ub; mkdir -p ub && "
    "cp p.pth ub/zz.pth && echo 'import site; site.addsitedir(\"'$PWD/ub'\")' "
    "> ub/sitecustomize.py && PYEXE -c pass",
    "HOME": "export HOME=$PWD/hh; rm -rf hh; mkdir -p hh/.local/lib/pythonV/site-packages && "
    "cp p.pth hh/.local/lib/pythonV/site-packages/zz.pth && PYEXE -c pass",
}


@pytest.mark.skipif(not os.path.exists(SYSTEM), reason="no system python3")
@pytest.mark.parametrize("case", sorted(LINES))
def test_an_exported_expansion_of_a_start_variable(own_kernel, case):
    line = LINES[case].replace("pythonV", f"python{_version()}").replace("PYEXE", SYSTEM)
    code = _site_cell(f"os.system({line!r})")
    own_kernel.reset()
    plain = own_kernel.cell(code, launched=False)
    assert plain["refused"] is None and own_kernel.installed(), plain
    own_kernel.reset()
    guarded = own_kernel.cell(code, launched=True)
    fetched = list(own_kernel.index.requests)
    assert not own_kernel.installed() and not fetched, ("installed under Warden", guarded)
