"""Red team 38b R38b-8: a guardless Python's ``-c`` code that imports a standard-library
package's ``__main__`` module runs that package's command line. ``python -I -m unittest``
is refused ("a standard-library module whose command line Warden does not know"), and so is
``-c 'unittest.main(...)'``; but ``python -I -c 'import unittest.__main__'`` (or ``from
unittest import __main__``) is read as a plain import of a standard-library module
(``_imports_unplaced``: -I and stdlib names only; the guardless code reading knows no call
in it). unittest's ``__main__`` runs test discovery in the working folder: it imports
``test_*.py`` there, which runs unguarded (-I: no guard) and installs warden-demo-pkg from
the refused test index. FAILS today (installs with Warden)."""

import pytest

TEST_FILE = (
    "import os\nos.system('{uv} pip install -q --no-config --no-cache --python "
    "/usr/bin/python3 --target {target} --index-url {index} warden-demo-pkg')\n"
)
CODES = {
    "import": "import unittest.__main__",
    "from import": "from unittest import __main__",
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


@pytest.mark.parametrize("case", sorted(CODES))
def test_a_guardless_import_of_a_stdlib_main_module(kernel, case):
    code = (
        "import os, subprocess, sys\nos.makedirs('ut', exist_ok=True)\n"
        f"open('ut/test_w.py', 'w').write({TEST_FILE!r})\n"
        f"subprocess.run([sys.executable, '-I', '-c', {CODES[case]!r}], cwd='ut')\n"
    )
    _proves(kernel, code)
