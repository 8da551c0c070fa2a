"""Fix 58mods: Warden's own modules that the guard loads after its seal are out of the
process's reach (the closing note of fix round 43, "Noticed, left"; docs/threat-model.md,
fix 56copy's **Open**).

``private_modules`` runs Warden's modules the guard loads after the seal from their files, with
the frozen builtins, and their globals hold the guard's private library copies. They were
noted in ``sys.modules`` and set on their package once run, so a cell took the guard's
``commands`` (loaded by the guard's first shell line, ``os.system("true")``) from either place
and rebound ``shlex.shlex.read_token`` on the guard's own ``shlex`` (R39a-1's rebinding, on the
class the guard lexes with), or replaced one of the module's functions
(``commands._shell_invocations``): the uv install from the refused test index then ran under
Warden. FAILED before fix 58mods (each attack installs under Warden); now the guard's modules
are in neither place, a cell's import of the same name runs a module of its own (the
process's, which the guard never reads), and each install is refused.

Controls: without Warden each cell installs (the tampering changes nothing there: no guard);
under Warden the install with no tampering is refused, an install from a trusted index still
runs (after the same tampering), and the cell's own import of ``commands`` gives a module.
"""

import json

from launched import KERNEL_POLICY

COMMANDS = "jupyterlab_warden.kernel.guard.installs.commands"

# the guard's first shell line loads its commands module (after the seal); the cell then takes
# that name from sys.modules, or from its package, or imports it itself, and tampers with
# what it got. "guards.txt": whether what it got was the guard's module (its spec the guard's
# ``private_modules._Spec``, its shlex not the process's)
TAMPER = """import importlib, os, sys
os.system("true")
NAME = COMMANDS
if WHERE == "sys.modules":
    m = sys.modules.get(NAME)
elif WHERE == "package":
    m = getattr(sys.modules.get(NAME.rpartition(".")[0]), "commands", None)
else:
    m = None
m = m or importlib.import_module(NAME)
import shlex
open("guards.txt", "w").write(str(
    type(getattr(m, "__spec__", None)).__name__ == "_Spec" or m.shlex is not shlex
))
if HOW == "shlex":
    m.shlex.shlex.read_token = lambda self: self.eof
else:
    m._shell_invocations = lambda *a, **k: []
"""


def _cell(kernel, where: str, how: str, line=None) -> str:
    code = TAMPER.replace("COMMANDS", repr(COMMANDS)).replace("WHERE", repr(where))
    code = code.replace("HOW", repr(how)) + f"os.system({(line or kernel.uv_install())!r})\n"
    return code.replace("{", "{{").replace("}", "}}")


def _tampered_install_refused(kernel, where: str, how: str) -> None:
    kernel.reset()
    plain = kernel.cell(_cell(kernel, where, how), launched=False)
    assert plain["refused"] is None and kernel.installed(), plain  # the install works
    kernel.reset()
    guarded = kernel.cell(_cell(kernel, where, how), launched=True)
    # before: "True" (the guard's module, its private shlex) and the install ran
    assert (kernel.work / "guards.txt").read_text() == "False", guarded
    assert guarded["refused"], guarded
    assert kernel.index.requests == [] and not kernel.installed(), guarded


def test_the_install_is_refused_without_tampering(kernel):
    """The control: the same uv install from the refused index, refused under Warden."""
    kernel.proves(kernel.install_cell())


def test_the_guards_shlex_taken_through_sys_modules(kernel):
    _tampered_install_refused(kernel, "sys.modules", "shlex")


def test_the_guards_shlex_taken_through_the_package(kernel):
    _tampered_install_refused(kernel, "package", "shlex")


def test_a_function_of_the_guards_module_rebound(kernel):
    _tampered_install_refused(kernel, "sys.modules", "function")


def test_the_cells_own_import_of_the_guards_module(kernel):
    """A cell's ``import`` of the name gives a module (its own) whose tampering the guard
    never reads."""
    _tampered_install_refused(kernel, "import", "shlex")
    _tampered_install_refused(kernel, "import", "function")


def test_an_allowed_install_still_runs(kernel):
    """With the test index trusted, the same install runs under Warden, tampering or not."""
    trusted = dict(KERNEL_POLICY, trusted_sources={"package_indexes": [kernel.index.simple]})
    kernel.policy.write_text(json.dumps(trusted))
    for how in (None, "shlex"):
        kernel.reset()
        cell = kernel.install_cell() if how is None else _cell(kernel, "sys.modules", how)
        guarded = kernel.cell(cell, launched=True)
        assert guarded["refused"] is None and kernel.installed(), guarded
        assert kernel.index.requests, guarded
