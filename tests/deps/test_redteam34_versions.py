"""Red team 34 R34-2: a pyenv shim runs the program of the version pyenv picks (PYENV_VERSION,
a ``.python-version`` up from the folder, ``$ROOT/version``; a name no version folder has as a
prefix of the newest), and Warden read only the version's NAME. A cell made
``versions/X/bin/python3``, a ``#!/bin/sh`` script, and the pick; the shim ran the script.

Now the program is found as ``pyenv which`` finds it (``pyenv_versions``) and read as the start
it is (``commands._read_pyenv_pick``): a Python-named one changed since the kernel started, or
no binary, is refused; a writer earlier on the line of the pick makes every installed version
count, one of the root's ``versions`` is refused; a guarded Python may not write a root's
``version``, ``versions`` entries or their ``bin`` programs (``pyenv_places.version_write``).

The shims' root comes from test_redteam31_pyenv (the machine's pyenv libexec when it has one,
else a stand-in that picks the same way); test_redteam32_misc's ``shims`` fixture.
"""

import sys
import time

import pytest
from test_redteam31_pyenv import VERSION
from test_redteam32_misc import _cell, shims  # noqa: F401 (fixture)

MINOR = f"{sys.version_info[0]}.{sys.version_info[1]}"
CELL = r"""
import os, shutil, sys, time
ROOT = ROOTVALUE
os.environ['PATH'] = ROOT + '/shims:' + os.environ['PATH']
EVIL = ROOT + '/versions/NEWVERSION'


def writer(pick, program='python3'):
    # w.py's code: the version's program (a sh script running the payload) and the pick
    return ('import os\nEVIL, PICK, BODY, PROG = %r, %r, %r, %r\n' % (EVIL, pick, PAYLOAD, program)
            + 'os.makedirs(EVIL + "/bin", exist_ok=True)\n'
            + 'open(EVIL + "/bin/" + PROG, "w").write("#!/bin/sh\\n" + BODY)\n'
            + 'os.chmod(EVIL + "/bin/" + PROG, 0o755)\n'
            + 'open(PICK, "w").write("NEWVERSION\\n")\n')


try:
    START
finally:
    shutil.rmtree(EVIL, ignore_errors=True)
    for f in ('.python-version', 'w.py', 'x.sh'):
        os.path.exists(f) and os.remove(f)
    time.sleep(1.5)
"""


def _code(kernel, shims, start: str, version: str = "3.11.99") -> str:  # noqa: F811
    code = CELL.replace("ROOTVALUE", repr(str(shims.parent))).replace("START", start)
    return _cell(kernel, code.replace("NEWVERSION", version), PAYLOAD=kernel.uv_install() + "\n")


# refused by the line's reading: the picked program is new (and a shell script)
LINE_CASES = {
    # the cell makes the version and the pick, the shim on a line of its own
    "cell_writes_then_line": "exec(writer('.python-version')); os.system('python3 -c pass')",
    # the cell makes the version; a writer on the line writes the pick
    "echo_pick_on_line": "exec(writer('/dev/null')); "
    "os.system('echo 3.11.99 > .python-version && python3 -c pass')",
    # PYENV_VERSION on the line
    "pyenv_version_on_line": "exec(writer('/dev/null')); "
    "os.system('PYENV_VERSION=3.11.99 python3 -c pass')",
    # a guarded Python on the line writes only the pick; the cell made the version before
    "guarded_writer_of_the_pick": "exec(writer('/dev/null')); "
    "open('w.py', 'w').write('open(\".python-version\", \"w\").write(\"3.11.99\")'); "
    "os.system(sys.executable + ' w.py && python3 -c pass')",
    # a writer on the line makes the version itself
    "cp_into_versions_on_line": "open('x.sh', 'w').write('#!/bin/sh\\n' + PAYLOAD); "
    "os.system('mkdir -p ' + EVIL + '/bin && cp x.sh ' + EVIL + '/bin/python3 && chmod +x ' "
    "+ EVIL + '/bin/python3 && PYENV_VERSION=3.11.99 python3 -c pass')",
    # the version's pip, through the pip shim
    "pip_shim": "exec(writer('/dev/null', 'pip')); "
    "os.system('PYENV_VERSION=3.11.99 pip --version')",
}
WHY = {
    "cp_into_versions_on_line": "may write under",
    "pip_shim": "is no Python's script",
}


@pytest.mark.parametrize("case", sorted(LINE_CASES))
def test_a_picked_version_the_cell_made(kernel, shims, case):  # noqa: F811
    refused = kernel.proves(_code(kernel, shims, LINE_CASES[case]))
    assert "pyenv shim" in refused, refused
    assert WHY.get(case, "changed since the kernel started") in refused, refused


def test_a_version_picked_by_its_prefix(kernel, shims):  # noqa: F811
    """``PYENV_VERSION=3.X`` (``pyenv local 3.X``): pyenv runs the newest 3.X.* installed, the
    cell's 3.X.99 beside the user's 3.X.0."""
    start = "exec(writer('/dev/null')); os.system('PYENV_VERSION=MINOR python3 -c pass')"
    code = _code(kernel, shims, start.replace("MINOR", MINOR), f"{MINOR}.99")
    refused = kernel.proves(code)
    assert f"({MINOR}.99)" in refused and "changed since the kernel started" in refused, refused


def test_a_guarded_writer_of_the_version_and_the_pick(kernel, shims):  # noqa: F811
    """The red team's own cell: w.py writes both, named nowhere on the line; its guard refuses
    writing the version's program."""
    start = (
        "open('w.py', 'w').write(writer('.python-version')); "
        "os.system(sys.executable + ' w.py && python3 -c pass')"
    )
    blocked = kernel.child_refuses(_code(kernel, shims, start))
    assert any("where a pyenv shim finds the program" in e["message"] for e in blocked), blocked


# -- the ordinary pyenv user's lines run -------------------------------------------------------

ORDINARY = r"""
import os, sys
os.environ['PATH'] = SHIMS + ':' + os.environ['PATH']
open('prep.py', 'w').write('open("out.txt", "w").write("1")')
assert os.system('python3 -c pass && pip --version > /dev/null') == 0
assert os.system('PYENV_VERSION=VNAME python3 -c pass') == 0
assert os.system(sys.executable + ' prep.py && python3 -c pass') == 0
assert os.system('echo VNAME > .python-version && python3 -c pass') == 0
"""


def test_the_users_own_versions_run(kernel, shims):  # noqa: F811
    """The global version, a ``.python-version`` set before the kernel started (``pyenv local``),
    PYENV_VERSION, and writers of the pick before a shim: every version is the user's own."""
    (kernel.work / ".python-version").write_text(VERSION + "\n")
    time.sleep(1.5)
    code = ORDINARY.replace("SHIMS", repr(str(shims))).replace("VNAME", VERSION)
    try:
        result = kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    finally:
        (kernel.work / ".python-version").unlink(missing_ok=True)
    assert result["refused"] is None, result
    assert "Jupyter Warden refused" not in result["stderr"], result
