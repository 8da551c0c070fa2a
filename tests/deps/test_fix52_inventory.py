"""Fix for red team 46b R46b-4/R46b-5 (``kernel/guard/installs/inventory.py``): a distribution
owns a loaded module only through a file the kernel loaded, that its RECORD lists, lying in
its own path entry under the module's name; the proofs are in
``test_redteam46b_inventory_owner.py``."""

import types

from jupyterlab_warden.kernel.guard.installs import inventory


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
