"""Fix 56copy (red team 48a R48a-1, R48a-4): the guard's private library copies are never in
``sys.modules``, and a guard that cannot load its own module raises its own exception, which
no ``except ImportError`` fallback takes for "no such module".

Each case runs in a fresh ``python -I`` whose guard is installed (sealed); the guard's modules
are asked for as its sealed code asks (``private_modules.guard_import``).
"""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

COMMON = """
import os, sys  # json after the case's loads: it imports re
sys.path.insert(0, REPO)
PRELOAD
from jupyterlab_warden.kernel import guard
assert guard.install({}) is not None
# the guard's own private_modules (mods 67: out of sys.modules once sealed), reached as
# the threat model leaves open: a guard function's __globals__
from jupyterlab_warden.kernel.guard.frozen_builtins import FROZEN
private_modules = FROZEN["__import__"].__globals__["_SEALED"][
    "jupyterlab_warden.kernel.guard.private_modules"
]
# a namespace of the guard's own (fix 58mods: a Warden-named namespace the process made itself
# is answered by the process's import)
FRAME = vars(private_modules)


def guards(name, *items):
    return private_modules.guard_import(name, FRAME, items or ("__name__",), 0)
"""


def _run(code: str, preload: str = "") -> dict:
    script = f"REPO = {str(REPO)!r}\n" + COMMON.replace("PRELOAD", preload) + code
    done = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_copy_is_not_in_sys_modules_while_its_body_runs():
    """A gc callback at every allocation of the guard's first shell line (R48a-1's) sees no
    module of the guard's under any library name; before: ``shlex``, ``fnmatch``, ``glob``..."""
    found = _run(
        """
import gc
seen = set()
def grab(phase, info):
    for name, module in list(sys.modules.items()):
        if type(getattr(module, "__spec__", None)) is private_modules._Spec:
            seen.add(name)
gc.callbacks.append(grab)
gc.set_threshold(1)
os.system("true")
gc.set_threshold(700)
gc.callbacks.remove(grab)
copies = [n for n in private_modules._LOADED if not n.startswith("jupyterlab_warden")]
import json
print(json.dumps({
    "seen": sorted(n for n in seen if not n.startswith("jupyterlab_warden")),
    "shlex_loaded": "shlex" in copies,
}))
"""
    )
    assert found == {"seen": [], "shlex_loaded": True}


def test_copies_that_look_themselves_up_by_name_load_under_a_sealed_enum():
    """``re``'s body runs ``enum.global_enum`` (``sys.modules["re"]``), ``signal``'s
    ``_convert_``: with the process's ``enum`` loaded before the seal and ``re`` not, the
    guard's copies of ``re`` and ``signal`` load (their ``enum`` is the guard's own, which
    reads the private view), and the process's ``sys.modules`` gains nothing of them."""
    found = _run(
        """
re_copy, signal_copy = guards("re", "compile"), guards("signal", "SIGINT")
found = {
    "re": re_copy.compile("a", re_copy.IGNORECASE).match("A") is not None,
    "signal": int(signal_copy.SIGINT),
    "re_in_process": "re" in sys.modules,
    "enum_private": private_modules._LOADED.get("enum") is not sys.modules["enum"],
}
import json
print(json.dumps(found))
""",
        preload="import enum\nassert 're' not in sys.modules",
    )
    assert found == {"re": True, "signal": 2, "re_in_process": False, "enum_private": True}


def test_a_refused_tomllib_copy_is_not_read_with_the_process_tomli():
    """The guard refuses its copy of ``tomllib`` (a file changed since the kernel started):
    ``toml_files.loads`` raises that refusal, ``GuardLoadError``, not an ``ImportError``, and
    never reads ``pip._vendor.tomli``, which the process planted (R48a-4's fallback; before:
    the planted ``loads`` read ``uv.toml`` as empty)."""
    found = _run(
        """
import types
fake = types.ModuleType("pip._vendor.tomli")
fake.loads = lambda text: {"planted": True}
fake.TOMLDecodeError = ValueError
sys.modules["pip._vendor.tomli"] = fake
age = guards("jupyterlab_warden.kernel.guard.installs.kernel_age", "changed_since_start")
real = age.changed_since_start
age.changed_since_start = lambda path: "/tomllib/" in path or real(path)
toml_files = guards("jupyterlab_warden.kernel.guard.installs.toml_files", "loads")
request = types.SimpleNamespace(problems=[])
try:
    outcome = repr(toml_files.loads(request, 'index-url = "x"', "uv.toml"))
except Exception as error:
    outcome = type(error).__name__
import json
print(json.dumps({
    "outcome": outcome,
    "is_import_error": issubclass(private_modules.GuardLoadError, ImportError),
}))
"""
    )
    assert found == {"outcome": "GuardLoadError", "is_import_error": False}
