"""Red team 38a: the gate's own refusal path in a guarded child imports through the live
import machinery.

``InstallGate._enforce`` (gate.py) does ``from . import decide`` at each decision, and the
process-start reading (``read_requests``...) imports ``commands``, ``request``... lazily. A
guarded w.py (a Python the kernel starts: arbitrary code, no cell reading) rebinds
``builtins.__import__`` (or puts a ``sys.meta_path`` finder first) and hands the gate a
``decide`` whose ``decide()`` finds nothing: the refused install of warden-demo-pkg from the
refused test index runs in the guarded child.

Proof: each installs without Warden (w.py runs the install itself) and, today, with Warden
too (the refusal expected: the child's guard refuses the uv install).
"""

import pytest
from test_redteam32_places import _site_cell

# w.py's install: UV is replaced by the harness's uv line (``Kernel.uv_install``)
HEAD = "import builtins, os, sys, types\n"
# the real module's names, its ``decide`` finding nothing
FAKE = (
    "def fake_of(real):\n"
    "    fake = types.ModuleType(real.__name__)\n"
    "    vars(fake).update(vars(real))\n"
    "    fake.decide = lambda request, policy, data: []\n"
    "    return fake\n"
)
WRITERS = {
    # the IMPORT_NAME of ``from . import decide`` calls a rebound builtins.__import__
    "builtins_import": (
        HEAD + FAKE + "real = builtins.__import__\n"
        "def imp(name, globals=None, locals=None, fromlist=(), level=0):\n"
        "    if level and fromlist and 'decide' in fromlist:\n"
        "        package = real(name, globals, locals, fromlist, level)\n"
        "        return types.SimpleNamespace(decide=fake_of(package.decide))\n"
        "    return real(name, globals, locals, fromlist, level)\n"
        "builtins.__import__ = imp\n"
        "os.system(UV)\n"
    ),
    # ``decide`` is first imported at the child's first decision: a finder first on
    # sys.meta_path gives the import system a module of its own for that name
    "meta_path_finder": (
        HEAD + "import importlib.abc, importlib.machinery, importlib.util\n"
        "class L(importlib.abc.Loader):\n"
        "    def __init__(self, spec):\n"
        "        self.spec = spec\n"
        "    def create_module(self, spec):\n"
        "        return None\n"
        "    def exec_module(self, module):\n"
        "        self.spec.loader.exec_module(module)\n"
        "        module.decide = lambda request, policy, data: []\n"
        "class F:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if not name.endswith('guard.installs.decide'):\n"
        "            return None\n"
        "        spec = importlib.machinery.PathFinder.find_spec(name, path)\n"
        "        return importlib.util.spec_from_loader(name, L(spec), origin=spec.origin)\n"
        "sys.meta_path.insert(0, F())\n"
        "os.system(UV)\n"
    ),
}
# the control: the same w.py without a hook is refused today (the proofs above are meaningful)
CONTROL = HEAD + "os.system(UV)\n"


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_a_guarded_script_hands_the_gate_its_own_decide(own_kernel, name):
    script = WRITERS[name].replace("UV", repr(own_kernel.uv_install()))
    cell = (
        (
            "import os, sys\n"
            f"open('w.py', 'w').write({script!r})\n"
            "os.system(sys.executable + ' w.py')\n"
        )
        .replace("{", "{{")
        .replace("}", "}}")
    )
    blocked = own_kernel.child_refuses(cell)
    assert blocked, blocked


def test_a_guarded_script_without_a_hook_is_refused(own_kernel):
    script = CONTROL.replace("UV", repr(own_kernel.uv_install()))
    cell = (
        (
            "import os, sys\n"
            f"open('w.py', 'w').write({script!r})\n"
            "os.system(sys.executable + ' w.py')\n"
        )
        .replace("{", "{{")
        .replace("}", "}}")
    )
    assert own_kernel.child_refuses(cell)


# the refused start-up write: ``StartWrites._enforce_writes`` enforces it through the gate's
# ``_enforce``, whose ``from . import decide`` the same hook answers; the next Python on the
# line runs zz.pth before its guard
PTH_WRITER = (
    WRITERS["builtins_import"].replace("os.system(UV)\n", "") + "import shutil, sysconfig\n"
    "shutil.copyfile('p.pth', sysconfig.get_paths()['purelib'] + '/zz.pth')\n"
)


def test_a_guarded_script_hands_the_write_rule_its_own_decide(own_kernel):
    start = (
        f"open('w.py', 'w').write({PTH_WRITER!r})\n    os.system(py + ' w.py; ' + py + ' -c pass')"
    )
    blocked = own_kernel.child_refuses(_site_cell(start))
    assert any("zz.pth" in e["message"] for e in blocked), blocked


def test_a_cell_hands_the_kernels_gate_its_own_decide(own_kernel):
    """The same rebound ``builtins.__import__`` in a cell of the kernel itself."""
    cell = WRITERS["builtins_import"].replace("UV", repr(own_kernel.uv_install()))
    own_kernel.proves(cell.replace("{", "{{").replace("}", "}}"))
