"""Red team 39a: the write rule's ``.pth`` import reading walks nodes by a class attribute the
process may rebind.

A guarded Python may not write a module its site folder's ``.pth`` files import (a package's
``import x; x.setup()`` line, run by ``site`` at every start, before the guard):
``start_writes`` finds those names with ``pth_lines.imported_names``, which parses each import
line with the built-in ``_ast`` (R37a-1: no library file) and walks the tree by each node's
``_fields`` (``_walk``). ``_ast``'s node classes are ordinary mutable classes: a guarded w.py
sets ``_ast.Module._fields = ()``, the walk sees no ``Import`` node, the ``.pth`` imports
nothing, and w.py's append to that module is not read as a start-up write. The next Python
on the line imports it before its guard and runs the uv install of warden-demo-pkg from the
refused test index. (``_distutils_hack``, ``_virtualenv`` and editable finders are refused by
name as well; any other ``.pth`` import, ``coverage``'s or a project's, only by this reading.)

Proof: installs without Warden and, today, with Warden too (the refusal expected). The
own_kernel's site folder is given ``rt39.pth`` (``import rt39mod``) and ``rt39mod.py`` before
the kernel starts.
"""

import time

import pytest

# w.py: W is the rebinding (or nothing, for the control); the payload runs at import
WRITER = (
    "import _ast, os, sysconfig\n"
    "W\n"
    "module = os.path.join(sysconfig.get_paths()['purelib'], 'rt39mod.py')\n"
    "open(module, 'a').write(PAYLOAD)\n"
)


@pytest.fixture()
def pth_import(own_kernel):
    (own_kernel.site / "rt39.pth").write_text("import rt39mod\n")
    (own_kernel.site / "rt39mod.py").write_text("VALUE = 1\n")
    time.sleep(2)  # older than the kernel's start: a file the kernel started with
    return own_kernel


def _cell(own_kernel, rebind: str) -> str:
    payload = f"\nimport os as _o; _o.system({own_kernel.uv_install()!r})\n"
    writer = WRITER.replace("W\n", rebind + "\n").replace("PAYLOAD", repr(payload))
    # the module is put back after the line, and the next run's kernel starts after that
    cell = (
        "import os, sys, sysconfig, time\n"
        "module = os.path.join(sysconfig.get_paths()['purelib'], 'rt39mod.py')\n"
        "kept = open(module).read()\n"
        f"open('w.py', 'w').write({writer!r})\n"
        "py = sys.executable\n"
        "try:\n"
        "    os.system(py + ' w.py; ' + py + ' -c pass')\n"
        "finally:\n"
        "    open(module, 'w').write(kept)\n"
        "    time.sleep(2)\n"
    )
    return cell.replace("{", "{{").replace("}", "}}")


def test_a_guarded_script_hides_the_pth_imports_from_its_write_rule(pth_import):
    blocked = pth_import.child_refuses(_cell(pth_import, "_ast.Module._fields = ()"))
    assert any("rt39mod" in e["message"] for e in blocked), blocked


def test_the_same_write_without_the_rebinding_is_refused(pth_import):
    """The control: today the guard refuses the append (the proof above is meaningful)."""
    blocked = pth_import.child_refuses(_cell(pth_import, "pass"))
    assert any("rt39mod" in e["message"] for e in blocked), blocked
