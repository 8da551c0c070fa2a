"""Red team 49a R49a-1: ``sys.platform = "win32"`` hides a renamed installer from the reading.

The guard's library copies are private (fix56copy), but their ``sys`` (``private_modules._SYS``)
reads every name but ``modules`` from the interpreter's live ``sys`` (``__getattr__``), and
Warden's modules read it directly: a cell may assign ``sys.platform``. ``shutil.which``
(the guard's ``commands._which``, ``command_values``, ``shebang``, ``sources``, ``uv_inputs``)
tests ``sys.platform == "win32"`` at each call: then it looks for ``NAME + ext`` for each
PATHEXT extension (the default ``.COM;.EXE;...`` is one odd extension with ``:`` as the
separator) and never finds ``NAME``. The reading then takes a program found by no name for
one that does not run (``[]``, nothing to decide), while the shell runs it.

The cell links the real uv as ``bin/mytool`` (a copy would do), puts ``bin`` on PATH, writes
a project depending on the listed ``warden-demo-pkg==0.9``, sets ``sys.platform = "win32"``
and runs ``mytool sync``: uv installs the listed release into ``.venv``. Named ``mytool``
without the assignment, the same line is read as uv (``sync`` refused: the control).
"""

import sys

from listed_release import demo_index, record, write_policy

index = demo_index("index49a1")
LISTED = record("MAL-2099-491")

PROJECT = (
    '[project]\nname = "proj"\nversion = "0.1"\nrequires-python = ">=3.8"\n'
    'dependencies = ["warden-demo-pkg==0.9"]\n'
)


def _cell(platform: bool) -> str:
    line = (
        "mytool sync -q --no-cache --no-config --python " + sys.executable + " --index-url {index}"
    )
    return (
        "import os, sys\n"
        "os.makedirs('bin', exist_ok=True)\n"
        "os.path.lexists('bin/mytool') or os.symlink('{uv}', 'bin/mytool')\n"
        f"open('pyproject.toml', 'w').write({PROJECT!r})\n"
        "os.path.exists('uv.lock') and os.remove('uv.lock')\n"
        "os.environ['PATH'] = os.getcwd() + '/bin:' + os.environ['PATH']\n"
        + ("sys.platform = 'win32'\n" if platform else "")
        + f"os.system({line!r})\n"
    )


def test_r49a_1_control_the_renamed_uv_is_read(kernel):
    write_policy(kernel, LISTED)
    refused = kernel.proves(_cell(False))
    assert "MAL-2099-491" in refused, refused


def test_r49a_1_sys_platform_hides_the_renamed_uv(kernel):
    write_policy(kernel, LISTED)
    refused = kernel.proves(_cell(True))  # FAILS today: read as no program, uv installs 0.9
    assert "MAL-2099-491" in refused or "platform" in refused, refused
