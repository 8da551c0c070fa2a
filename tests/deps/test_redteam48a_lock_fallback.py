"""Red team 48a R48a-4: fix54lock's "would wait forever" refusal is an ImportError, which
``toml_files.loads`` takes as "no tomllib" and falls back to the process's ``pip._vendor.tomli``.

``private_modules._import_lock`` refuses a first load of a library copy whose import lock
another thread holds in a cycle (importlib's ``_DeadlockError``, or the holder waiting for the
guard's first-load lock) by raising ``ImportError`` ("the guard refuses what it was
checking"). But ``toml_files.loads`` does ``try: import tomllib / except ImportError:
tomllib = _pip_tomli()``, meant for Python < 3.11: the refusal becomes a fallback to ``from
pip._vendor import tomli``, a third-party module the guard takes as the process's, which the
cell replaced (``loads`` returning ``{}``). Warden then reads ``./uv.toml`` as empty and lets uv
install from the index it names (the test index, which the policy does not trust).

The cycle, made deterministically by the cell: the main thread imports the cell's module
``mymod`` (holding its import lock); in its body a thread takes ``tomllib``'s import lock and
then imports ``mymod`` (waiting for the main thread: seen in ``_bootstrap._blocking_on``, no
sleep); the body then runs the uv line, whose uv.toml reading makes the guard's first load of
``tomllib`` meet the cycle.

Controls: without Warden the cell installs; under Warden the same cell without the cycle (the
fake tomli planted, uv run from a plain module) is refused. FAILS today with the cycle.
"""

import shlex
import sys

from real_uv import real_uv

MODULE = """import os, sys, threading, importlib._bootstrap as b
if CYCLE:
    lock = b._get_module_lock("tomllib")
    ready = threading.Event()
    def t():
        lock.acquire()
        ready.set()
        import mymod  # waits for this import's lock, held by the main thread
        lock.release()
    th = threading.Thread(target=t, daemon=True)
    th.start()
    ready.wait()
    while th.ident not in b._blocking_on:
        pass
os.system(LINE)
"""

CELL = """import os, sys, types
sys.path.insert(0, os.getcwd())
import pip._vendor
fake = types.ModuleType("pip._vendor.tomli")
fake.loads = lambda text: dict()
fake.TOMLDecodeError = ValueError
pip._vendor.tomli = sys.modules["pip._vendor.tomli"] = fake
import mymod
"""


def _cell(kernel, cycle: bool) -> str:
    (kernel.work / "uv.toml").write_text(f'index-url = "{kernel.index.simple}"\n')
    line = shlex.join(
        [real_uv(), "pip", "install", "-q", "--no-cache", "--no-deps", "--python",
         sys.executable, "--target", str(kernel.target), "warden-demo-pkg"]
    )  # fmt: skip
    module = MODULE.replace("CYCLE", str(cycle)).replace("LINE", repr(line))
    (kernel.work / "mymod.py").write_text(module)
    return CELL.replace("{", "{{").replace("}", "}}")


def test_without_the_cycle_the_planted_tomli_is_not_read(kernel):
    """The controls: installs without Warden; refused with it (the guard's own tomllib)."""
    kernel.proves(_cell(kernel, cycle=False))


def test_a_lock_cycle_turns_the_guards_tomllib_into_the_process_tomli(kernel):
    code = _cell(kernel, cycle=True)
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and kernel.installed(), plain  # the attack works
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    assert kernel.index.requests == [] and not kernel.installed(), (
        "installed under Warden: the uv.toml read with the planted tomli",
        kernel.index.requests,
        guarded,
    )
