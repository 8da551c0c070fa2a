"""Fix round 54 (ci67's neighbour): a sealed guard's private copy of a library module stood in
``sys.modules`` while its body ran (``private_modules._source_module``), so another thread's
import of that name took the half-run copy: a crash, or the process holding the guard's copy.
Fix 54lock made the copy hold the name's import lock meanwhile; fix 56copy puts no copy in
``sys.modules`` at all (red team 48a R48a-1: same-thread code took it there), so no import of
the process's ever meets it, and the guard takes no import lock (no wait, nothing to refuse:
R48a-4's "would wait forever" ImportError is gone with it).

Each case runs in a fresh Python whose guard is installed (sealed), with real threads: an
audit hook added before the guard's holds the copy's body (the ``exec`` of ``colorsys.py`` in
the thread named ``guard``) on an Event the case controls, and a profile function says when the
other thread reaches an import lock (or the thread ends): no sleeps. A thread still alive at
its join's timeout fails the case (a deadlock).
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

COMMON = """
import importlib, json, sys, threading
sys.path.insert(0, REPO)
NAME = "colorsys"  # pure Python, loaded by no one before the seal, not shared
held, release = threading.Event(), threading.Event()
in_body = {}  # (thread name, file name): what the audit hook does when that body starts


def hook(event, args):
    if event == "exec":
        file = getattr(args[0], "co_filename", "")
        # once: the guard's copy run in the same thread is an exec of the same file
        action = in_body.pop((threading.current_thread().name, file.rpartition("/")[2]), None)
        if action is not None:
            action()


hook.__cantrace__ = True  # a profile function set in an action sees its calls
sys.addaudithook(hook)  # before the guard's hook, which refuses hooks added after it
from jupyterlab_warden.kernel import guard
assert guard.install({}) is not None
# the guard's own private_modules (mods 67: out of sys.modules once sealed), reached as
# the threat model leaves open: a guard function's __globals__
from jupyterlab_warden.kernel.guard.frozen_builtins import FROZEN
private_modules = FROZEN["__import__"].__globals__["_SEALED"][
    "jupyterlab_warden.kernel.guard.private_modules"
]
assert NAME not in sys.modules


def guards_copy():
    # the guard's own import, as its code makes it once sealed (FROZEN's __import__)
    frame = vars(private_modules)  # the guard's own namespace (fix 58mods)
    return private_modules.guard_import(NAME, frame, ("hls_to_rgb",), 0)


def at_first_loads(signal):
    # a profile function: ``signal`` is set when this thread calls _LOCK.acquire (the guard's
    # first-load lock, taken in ``_module`` only)
    def profile(frame, event, arg):
        waits = frame.f_code is private_modules._module.__code__
        if event == "c_call" and waits and getattr(arg, "__name__", None) == "acquire":
            signal.set()
    return profile


def at_import_lock(signal):
    # a profile function: ``signal`` is set when this thread calls acquire on NAME's lock
    def profile(frame, event, arg):
        lock = frame.f_locals.get("self") if event == "call" else None
        if frame.f_code.co_name == "acquire" and getattr(lock, "name", None) == NAME:
            signal.set()
    return profile


def hold():
    held.set()
    assert release.wait(30)


def run(name, target):
    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.start()
    return thread


def joined(*threads):
    for thread in threads:
        thread.join(30)
    return [t.name for t in threads if t.is_alive()]
"""

OTHER_IMPORT = {
    "import_module": "module = importlib.import_module(NAME)",
    "import": "import colorsys as module",
    "from": "from colorsys import hls_to_rgb\nmodule = sys.modules.get(NAME)\n"
    "seen['function'] = hls_to_rgb(0.0, 0.5, 1.0) == (1.0, 0.0, 0.0)",
}


def _run(code: str) -> dict:
    script = f"REPO = {str(REPO)!r}\n" + COMMON + code
    done = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _other_thread_imports_while_the_guard_loads(form: str) -> dict:
    indented = "\n".join("        " + line for line in OTHER_IMPORT[form].splitlines())
    return _run(
        f"""
copy, seen = {{}}, {{}}
reached = threading.Event()  # the other thread is at NAME's import lock, or done
in_body["guard", NAME + ".py"] = hold


def other():
    sys.setprofile(at_import_lock(reached))
    try:
{indented}
        seen["module"] = module
        seen["complete"] = hasattr(module, "rgb_to_hls")
    except BaseException as error:
        seen["error"] = repr(error)
    finally:
        sys.setprofile(None)
        reached.set()


guard_side = run("guard", lambda: copy.update(module=guards_copy()))
assert held.wait(30)  # the copy stands in sys.modules, its body not run
other_side = run("other", other)
assert reached.wait(30)
release.set()
stuck = joined(guard_side, other_side)
module = seen.get("module")
print(json.dumps({{
    "stuck": stuck,
    "error": seen.get("error"),
    "complete": seen.get("complete"),
    "function": seen.get("function"),
    "is_copy": module is not None and module is copy.get("module"),
    "is_process_module": module is not None and module is sys.modules.get(NAME),
    "copy_complete": hasattr(copy.get("module"), "rgb_to_hls"),
    "copy_kept": private_modules._LOADED.get(NAME) is copy.get("module"),
}}))
"""
    )


def test_import_module_in_another_thread_gets_the_process_s_own_module():
    """``importlib.import_module`` finds no copy in ``sys.modules`` and loads the process's
    own. Before fix 54lock: the half-run copy."""
    found = _other_thread_imports_while_the_guard_loads("import_module")
    assert found["stuck"] == [] and found["error"] is None, found
    assert found["is_process_module"] and not found["is_copy"], found
    assert found["complete"], found
    assert found["copy_complete"] and found["copy_kept"], found


@pytest.mark.parametrize("form", ["import", "from"])
def test_an_import_statement_in_another_thread_gets_the_process_s_own_module(form):
    """``import x`` / ``from x import y`` never see a half-run module (before fix 54lock:
    ``from colorsys import hls_to_rgb`` failed, ``import colorsys`` gave a module without its
    functions), nor the guard's copy (fix 54lock: CPython's C import kept the copy it found
    before it waited for the lock; fix 56copy: no copy is ever in ``sys.modules``)."""
    found = _other_thread_imports_while_the_guard_loads(form)
    assert found["stuck"] == [] and found["error"] is None, found
    if form == "import":
        assert found["complete"], found
    else:
        assert found["function"], found
    assert found["is_process_module"] and not found["is_copy"], found
    assert found["copy_complete"] and found["copy_kept"], found


def test_the_guard_loads_its_copy_inside_an_import_of_the_same_name():
    """Its audit hook fires inside the process's own import of the name, in the same thread,
    which holds the name's import lock: the guard gets its copy and the import its own module
    (fix 54lock: the import lock, re-entrant; fix 56copy: the guard takes none)."""
    found = _run(
        """
copy = {}
in_body["importer", NAME + ".py"] = lambda: copy.update(module=guards_copy())


def importer():
    import colorsys
    copy["process"] = colorsys


stuck = joined(run("importer", importer))
print(json.dumps({
    "stuck": stuck,
    "distinct": copy.get("module") is not copy.get("process"),
    "process_kept": copy.get("process") is sys.modules.get(NAME),
    "copy_complete": hasattr(copy.get("module"), "rgb_to_hls"),
    "copy_kept": private_modules._LOADED.get(NAME) is copy.get("module"),
}))
"""
    )
    assert found == {
        "stuck": [],
        "distinct": True,
        "process_kept": True,
        "copy_complete": True,
        "copy_kept": True,
    }


def test_the_guard_loads_its_copy_while_another_thread_imports_the_name():
    """The thread importing ``colorsys`` holds its lock; the guard, in another thread, loads
    its copy of ``colorsys`` meanwhile; the importer's audit hook then asks the guard for a
    first load. Fix 54lock made the guard wait for the import lock and refused the ask ("would
    wait forever", an ImportError R48a-4 turned into a fallback); the guard now takes no
    import lock, so both end: the ask loaded, the copy distinct from the process's module."""
    found = _run(
        """
result, seen = {}, {}
waiting = threading.Event()  # the guard is at colorsys' import lock (fix 54lock), or done
in_importer = threading.Event()


def importer_body():
    in_importer.set()
    assert waiting.wait(30)
    try:
        private_modules.guard_import("fractions", vars(private_modules), ("F",), 0)
        seen["asked"] = "loaded"
    except Exception as error:
        seen["asked"] = repr(error)


in_body["importer", NAME + ".py"] = importer_body


def importer():
    import colorsys
    result["process"] = colorsys


def guard_side():
    sys.setprofile(at_import_lock(waiting))
    try:
        result["copy"] = guards_copy()
    finally:
        sys.setprofile(None)
        waiting.set()


importing = run("importer", importer)
assert in_importer.wait(30)
guarding = run("guard", guard_side)
stuck = joined(importing, guarding)
print(json.dumps({
    "stuck": stuck,
    "asked": seen.get("asked"),
    "process_kept": result.get("process") is sys.modules.get(NAME) is not None,
    "copy_complete": hasattr(result.get("copy"), "rgb_to_hls"),
    "distinct": result.get("copy") is not result.get("process"),
}))
"""
    )
    assert found["stuck"] == [], found
    assert found["asked"] == "loaded", found
    assert found["process_kept"] and found["copy_complete"] and found["distinct"], found


def test_the_guard_loads_a_copy_whose_name_a_thread_waiting_for_it_imports():
    """The other order: the guard holds its first-load lock (a copy of ``fractions`` loading,
    its audit hook firing in the body), the importer of ``colorsys`` (holding that name's lock)
    waits for it, and the guard then wants its copy of ``colorsys``. Fix 54lock refused that
    load (the import lock); now it loads, the guard's lock is freed, and the importer gets the
    same copy and ends its import."""
    found = _run(
        """
seen = {}
guard_holds, importer_waits = threading.Event(), threading.Event()


def guard_in_fractions():
    guard_holds.set()
    assert importer_waits.wait(30)
    try:
        guards_copy()
        seen["guard"] = "loaded"
    except Exception as error:
        seen["guard"] = repr(error)


def importer_in_colorsys():
    assert guard_holds.wait(30)
    sys.setprofile(at_first_loads(importer_waits))
    try:
        seen["importer_copy"] = guards_copy()
    finally:
        sys.setprofile(None)
        importer_waits.set()


in_body["guard", "fractions.py"] = guard_in_fractions
in_body["importer", NAME + ".py"] = importer_in_colorsys


def importer():
    import colorsys
    seen["process"] = colorsys


def guard_side():
    frame = vars(private_modules)  # the guard's own namespace (fix 58mods)
    seen["fractions"] = private_modules.guard_import("fractions", frame, ("Fraction",), 0)


guarding = run("guard", guard_side)
assert guard_holds.wait(30)
importing = run("importer", importer)
stuck = joined(guarding, importing)
copy = seen.get("importer_copy")
print(json.dumps({
    "stuck": stuck,
    "guard": seen.get("guard"),
    "fractions": hasattr(seen.get("fractions"), "Fraction"),
    "copy_complete": hasattr(copy, "rgb_to_hls"),
    "copy_kept": private_modules._LOADED.get(NAME) is copy,
    "process_kept": seen.get("process") is sys.modules.get(NAME) is not copy,
}))
"""
    )
    assert found["stuck"] == [], found
    assert found["guard"] == "loaded", found
    assert found["fractions"] and found["copy_complete"] and found["copy_kept"], found
    assert found["process_kept"], found
