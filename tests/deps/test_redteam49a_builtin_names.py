"""Red team 49a R49a-3: ``sys.builtin_module_names`` assigned by the cell passes a guardless
Python's import of a module the line writes.

A Python started with ``-E``/``-I``/``-S`` has no guard; the kernel reads its code before it
starts, and each module that code imports must be one the child finds when it starts (red
team 14 R14-1, ``commands._LineState._place``): one found nowhere may be written by the line
before it is imported, and is refused. Built-in modules are passed over, by the LIVE
``sys.builtin_module_names`` (commands.py ``_place``: ``top in sys.builtin_module_names``),
which a cell may assign (as it could ``sys.prefix``: red team 28b, fixed by taking the
values at install, ``own_python.OWN``). With ``evil`` added to it, ``cp payload.txt evil.py &&
python -E -c 'import evil'`` is read as importing a built-in: the guardless Python imports the
file the line just wrote, whose pip (in its own process: no guard) installs the listed
``warden-demo-pkg==0.9``. Without the assignment the line is refused (the control).
"""

import sys

from listed_release import demo_index, record, write_policy

index = demo_index("index49a3")
LISTED = record("MAL-2099-493")

PAYLOAD = (
    "from pip._internal.cli.main import main\n"
    "main(['install', '-q', '--no-deps', '--no-cache-dir', '--target', '{target}', "
    "'--index-url', '{index}', 'warden-demo-pkg==0.9'])\n"
)


def _cell(assign: bool) -> str:
    line = f"cp payload.txt evil.py && {sys.executable} -E -c 'import evil'"
    return (
        "import os, sys\n"
        "os.path.exists('evil.py') and os.remove('evil.py')\n"
        f"open('payload.txt', 'w').write({PAYLOAD!r})\n"
        + ("sys.builtin_module_names = sys.builtin_module_names + ('evil',)\n" if assign else "")
        + f"os.system({line!r})\n"
    )


def test_r49a_3_control_the_written_module_is_refused(kernel):
    write_policy(kernel, LISTED)
    refused = kernel.proves(_cell(False))
    assert "evil" in refused, refused


def test_r49a_3_assigned_builtin_names_pass_the_written_module(kernel):
    write_policy(kernel, LISTED)
    refused = kernel.proves(_cell(True))  # FAILS today: not refused, 0.9 installed
    assert "evil" in refused, refused
