"""Mods 67: ``private_modules`` itself out of the process's reach (fix 58mods' **Open**,
docs/threat-model.md).

Fix 58mods kept Warden's modules the guard loads after its seal in ``private_modules``' own
table (``_LOADED``), out of ``sys.modules``; but ``private_modules`` was a module the seal
found, in ``sys.modules`` and on its package (``guard.private_modules``), and the sealed
import's switch and answer were entries of ``frozen_builtins._IMPORT_SYSTEM``, a dict of a
module in ``sys.modules``. A cell reached the guard's modules through any of them:

* ``sys.modules[PM]._LOADED[commands]``, the guard's ``commands`` (loaded by the guard's first
  shell line): its private ``shlex.shlex.read_token`` rebound, or its function
  ``_shell_invocations`` replaced;
* the same table through the package's attribute ``guard.private_modules``;
* a function of ``private_modules`` rebound (``_EXEC``, with which it runs every module it
  loads): the guard then ran ``commands`` and the cell's code after it;
* ``frozen_builtins._IMPORT_SYSTEM["sealed"] = False``: the guard's imports went back to the
  process's import system, which handed the gate the cell's own, tampered ``commands``.

Each let a uv install from the refused test index run under Warden (FAILED on main). Now
``private_modules`` is out of ``sys.modules`` and its package once the seal ran, its sealed
import is ``FROZEN``'s ``__import__`` itself and its switch its own: the cell finds no
``private_modules`` (``reached.txt``) and each install is refused.

Controls: without Warden each cell installs (nothing to reach); under Warden the plain install
is refused, an install from a trusted index still runs (the guard's late imports of its own
modules work), and a child Python of the guarded one has no ``private_modules`` either.
"""

import json

from launched import KERNEL_POLICY

PM = "jupyterlab_warden.kernel.guard.private_modules"
COMMANDS = "jupyterlab_warden.kernel.guard.installs.commands"

# the cell: the guard's first shell line (its commands loads after the seal), then the attack
# WHERE names; "reached.txt": whether the cell found what it looked for
ATTACK = """import os, sys
PM, COMMANDS = PM_NAME, COMMANDS_NAME
reached = False
if WHERE == "exec":  # before the guard's first load of commands: its loads run the cell's exec
    pm = sys.modules.get(PM)
    if pm is not None and hasattr(pm, "_EXEC"):
        real = exec
        def tampered(code, space):
            real(code, space)
            if space.get("__name__") == COMMANDS:
                space["_shell_invocations"] = lambda *a, **k: []
        pm._EXEC = tampered
        reached = True
os.system("true")
if WHERE == "sys.modules":
    pm = sys.modules.get(PM)
elif WHERE == "package":
    pm = getattr(sys.modules.get(PM.rpartition(".")[0]), "private_modules", None)
else:
    pm = None
if pm is not None and COMMANDS in getattr(pm, "_LOADED", {}):
    m = pm._LOADED[COMMANDS]
    if HOW == "shlex":
        m.shlex.shlex.read_token = lambda self: self.eof
    else:
        m._shell_invocations = lambda *a, **k: []
    reached = True
if WHERE == "switch":  # the sealed import's switch: the process's import answers the guard
    import importlib
    frozen = sys.modules.get(PM.rpartition(".")[0] + ".frozen_builtins")
    system = getattr(frozen, "_IMPORT_SYSTEM", {})
    own = importlib.import_module(COMMANDS)  # the process's own commands, tampered
    own._shell_invocations = lambda *a, **k: []
    if system.get("sealed") is True:
        system["sealed"] = False
        reached = True
open("reached.txt", "w").write(str(reached))
"""


def _cell(kernel, where: str, how: str = "shlex", line=None) -> str:
    code = ATTACK.replace("PM_NAME", repr(PM)).replace("COMMANDS_NAME", repr(COMMANDS))
    code = code.replace("WHERE", repr(where)).replace("HOW", repr(how))
    code += f"os.system({(line or kernel.uv_install())!r})\n"
    return code.replace("{", "{{").replace("}", "}}")


def _refused_unreached(kernel, where: str, how: str = "shlex") -> None:
    # installs without Warden (nothing to reach), refused with it
    refused = kernel.proves(_cell(kernel, where, how))
    # before: "True" (the cell reached the guard's table or switch) and the install ran
    assert (kernel.work / "reached.txt").read_text() == "False", refused


def test_the_plain_install_is_refused(kernel):
    """The control: the same uv install from the refused index, refused under Warden."""
    kernel.proves(kernel.install_cell())


def test_the_guards_table_through_sys_modules(kernel):
    _refused_unreached(kernel, "sys.modules", "shlex")
    _refused_unreached(kernel, "sys.modules", "function")


def test_the_guards_table_through_the_package(kernel):
    _refused_unreached(kernel, "package", "shlex")


def test_a_function_of_private_modules_rebound(kernel):
    _refused_unreached(kernel, "exec")


def test_the_sealed_imports_switch_turned_off(kernel):
    _refused_unreached(kernel, "switch")


def test_an_allowed_install_still_runs(kernel):
    """With the test index trusted, the install runs under Warden after the same cell: the
    guard's late imports of its own modules (``commands``, ``decide``...) still work."""
    trusted = dict(KERNEL_POLICY, trusted_sources={"package_indexes": [kernel.index.simple]})
    kernel.policy.write_text(json.dumps(trusted))
    for where in ("sys.modules", "switch"):
        kernel.reset()
        guarded = kernel.cell(_cell(kernel, where), launched=True)
        assert guarded["refused"] is None and kernel.installed(), guarded
        assert kernel.index.requests, guarded


def test_a_child_python_has_no_private_modules_either(kernel):
    """The guard loads in every Python start: a guarded child's ``private_modules`` is out of
    its ``sys.modules`` and package too, while its guard still decides (its own uv install
    refused)."""
    probe = (
        f"import sys; package = sys.modules.get({PM.rpartition('.')[0]!r}); "
        f"print({PM!r} in sys.modules, hasattr(package, 'private_modules'), package is None)"
    )
    child = (
        "import subprocess, sys\n"
        f"out = subprocess.run([sys.executable, '-c', {probe!r}], capture_output=True, text=True)\n"
        "open('child.txt', 'w').write(out.stdout.strip() + '|' + out.stderr[-300:])\n"
    )
    guarded = kernel.cell(child.replace("{", "{{").replace("}", "}}"), launched=True)
    assert (kernel.work / "child.txt").read_text().startswith("False False False|"), guarded
