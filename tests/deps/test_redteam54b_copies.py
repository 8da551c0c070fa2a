"""Red team 54b R54b-5 (MED; overlaps the declared-open "programs under other names"): a COPY
of /usr/bin/env (not a link: ``_resolved_name`` follows only links, commands.py:2563) named
``sh`` or ``bash`` in the notebook folder, started from a cell as ``['./sh', '-i', PY, '-m',
'pip', 'install', ...]``. Warden reads it as a shell running the script file PY (the
script-file class, not read), with the installer words as that script's arguments; env
empties the environment and runs PY -m pip without the guard. (Named ``python3`` it is
refused: read as a Python start.) FAILS today for sh and bash: installed under Warden.
"""

import sys

import pytest

PY = sys.executable
ARGS = (
    "'-m', 'pip', 'install', '-q', '--no-cache-dir', '--target', '{target}', "
    "'--index-url', '{index}', 'warden-demo-pkg'"
)
CELLS = {
    name: "import shutil, subprocess\n"
    f"shutil.copy('/usr/bin/env', {name!r})\n"
    f"subprocess.run(['./{name}', '-i', {PY!r}, {ARGS}])\n"
    for name in ("python3", "sh", "bash")
}


@pytest.mark.parametrize("case", sorted(CELLS))
def test_r54b_5_copy_of_env(kernel, case):
    code = CELLS[case]
    kernel.kept_from_refused_host(code)
