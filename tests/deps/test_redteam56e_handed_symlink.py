"""Red team 56e R56e-2: fix71spawn's guardless-Python rule (``handed_redirect.output_writer``)
weighs a handed file by its NAMES only (the name given, its real path's: ``commands.
_inert_name``) and hard links (``st_nlink``). A symbolic link has no nlink: ``mod.py -> m.txt``
and ``subprocess.run([PY, '-E', 's.py'], stdout=open('m.txt', 'w'))`` hands the guardless
Python a descriptor on m.txt (an inert name, one name), s.py writes its payload to stdout and
``import mod`` reads mod.py, the link, i.e. the file just written: code Warden never read runs
without the guard (it installs from the index). The shell-line twin ``PY -E s.py > m.txt`` with
the same link, and R56b-7's ``stdout=open('mod.py', 'w')``, are refused.

Root cause: installs/handed_redirect.py:86-93 (``output_writer``) decides by the target's
names, not by whether a file the Python imports (its local imports, read by the local-imports
rule) IS the handed file (``Handed.identity``: st_dev/st_ino of the descriptor) or may become
it. Fix: weigh the handed targets against the files the guardless start's reading finds it
imports (their real path / identity, as ``own_redirect.read_problem`` does for an install),
or count a handed file as output whatever its name whenever a local module of the start
resolves (through links) to it.
"""

import os
import sys

from real_uv import real_uv


def _cell(kernel) -> str:
    install = (
        f"{real_uv()} pip install -q --no-config --no-cache --no-deps --python {sys.executable} "
        f"--target {kernel.target} --index-url {kernel.index.simple} warden-demo-pkg"
    )
    payload = f"import os\nos.system({install!r})\n".encode().hex()
    script = (
        "import sys\n"
        f"sys.stdout.write(bytes.fromhex({payload!r}).decode())\n"
        "sys.stdout.flush()\n"
        "import mod\n"
    )
    (kernel.work / "s.py").write_text(script)
    (kernel.work / "m.txt").write_text("X = 1\n")
    link = kernel.work / "mod.py"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink("m.txt", link)
    argv = [sys.executable, "-E", "s.py"]
    code = (
        "import subprocess\n"
        f"with open('m.txt', 'w') as out:\n    subprocess.run({argv!r}, stdout=out)\n"
    )
    return code.replace("{", "{{").replace("}", "}}")


def test_control_the_linked_module_installs_without_warden(kernel):
    kernel.reset()
    plain = kernel.cell(_cell(kernel), launched=False)
    assert kernel.installed() and kernel.index.requests, plain


def test_a_handed_stdout_on_the_file_a_linked_module_names_is_refused(kernel):
    kernel.reset()
    guarded = kernel.cell(_cell(kernel), launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), ("installed under Warden", fetched, guarded)


def _shell_cell(kernel) -> str:
    _cell(kernel)  # s.py, m.txt, the link mod.py -> m.txt
    line = f"{sys.executable} -E s.py > m.txt"
    code = f"import subprocess\nsubprocess.run({line!r}, shell=True)\n"
    return code.replace("{", "{{").replace("}", "}}")


def test_the_shell_line_twin_through_the_link(kernel):
    kernel.reset()
    guarded = kernel.cell(_shell_cell(kernel), launched=True)
    fetched = list(kernel.index.requests)
    assert guarded["refused"] and not fetched and not kernel.installed(), guarded  # held
