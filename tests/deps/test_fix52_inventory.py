"""Fix for red team 46b R46b-4/R46b-5 (``kernel/guard/installs/inventory.py``): a distribution
owns a loaded module only through a file the kernel loaded, that its RECORD lists, lying in
its own path entry under the module's name; the proofs are in
``test_redteam46b_inventory_owner.py``."""

import ast
import subprocess
import sys
import types
from pathlib import Path

from jupyterlab_warden.kernel.guard.installs import inventory

REPO = Path(__file__).resolve().parents[2]


def _dist_info(folder, name, version, top, record):
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (info / "top_level.txt").write_text(f"{top}\n")
    (info / "RECORD").write_text("".join(f"{path},,\n" for path in record))


def _module(name, file=None, folder=None):
    module = types.ModuleType(name)
    if file is not None:
        module.__file__ = str(file)
    else:
        module.__path__ = [str(folder)]  # a namespace package: no file of its own
    return module


def test_only_a_path_under_the_module_s_own_name_is_where_a_path_entry_keeps_it():
    assert inventory._under_top("numpy/__init__.py", "numpy")
    assert inventory._under_top("six.py", "six")
    assert inventory._under_top("_cffi.cpython-312-x86_64-linux-gnu.so", "_cffi")
    assert not inventory._under_top(".venv/lib/python3/site-packages/numpy/__init__.py", "numpy")
    assert not inventory._under_top("numpyx/__init__.py", "numpy")
    assert not inventory._under_top("numpy", "numpy")  # a folder is no loaded file


def test_a_namespace_package_is_owned_through_a_loaded_submodule_file_only(tmp_path, monkeypatch):
    """Both files exist and both RECORDs list theirs; only the one the kernel loaded counts."""
    (tmp_path / "r52ns").mkdir()
    loaded, unloaded = tmp_path / "r52ns" / "a.py", tmp_path / "r52ns" / "b.py"
    loaded.write_text("")
    unloaded.write_text("")
    _dist_info(tmp_path, "r52ns-a", "1.0", "r52ns", ["r52ns/a.py"])
    _dist_info(tmp_path, "r52ns-b", "1.0", "r52ns", ["r52ns/b.py"])
    monkeypatch.syspath_prepend(str(tmp_path))
    modules = {
        "r52ns": _module("r52ns", folder=tmp_path / "r52ns"),
        "r52ns.a": _module("r52ns.a", loaded),
    }
    rows = {i["name"]: i for i in inventory.collect(modules) if i["name"].startswith("r52ns")}
    assert rows["r52ns-a"]["imported"] is True
    assert rows["r52ns-b"]["imported"] is False


def test_the_recorder_s_imports_are_done_before_its_thread_starts(tmp_path):
    """ci67: in a sealed guard the recorder thread's first imports (importlib.metadata, and
    with it email and datetime) ran as ipykernel imported the same modules in the main thread,
    which could take the guard's half-run private copy (the kernel died at start). The
    launcher's thread imports them before the recorder thread exists (``_prepare``)."""
    code = f"""
import sys, threading
sys.path.insert(0, {str(REPO)!r})
from jupyterlab_warden.kernel.guard.installs import inventory
names = ("importlib.metadata", "datetime", "sysconfig", "urllib.parse")
before = [n for n in names if n in sys.modules]
started = []
class Held:
    def __init__(self, **kw): pass
    def start(self): started.append([n for n in names if n in sys.modules])
inventory.threading = type("T", (), {{"Thread": Held}})
inventory.start_recorder({str(tmp_path)!r})
print(before, started)
"""
    out = subprocess.run(
        [sys.executable, "-I", "-S", "-c", code], capture_output=True, text=True, check=True
    ).stdout
    before, started = ast.literal_eval(out.replace("] [", "], [", 1).join("()"))
    assert before == [], before  # none loaded by importing the module: the check can fail
    assert started == [["importlib.metadata", "datetime", "sysconfig", "urllib.parse"]], started
