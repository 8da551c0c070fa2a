"""Fix for red team 45c R45c-1/R45c-2 (``kernel/guard/installs/inventory.py``): an imported
package's version is the one of the distribution that owns the loaded module; a dist-info
elsewhere on the path (the notebook folder) is listed as such and stands for nothing it does
not hold; the kernel's cut keeps imported, flagged and the environment's own first."""

import importlib.metadata as metadata
import json
import os
import sys
import types

import jsonschema

from jupyterlab_warden.kernel.guard.installs import inventory
from jupyterlab_warden.lab import inventory as lab_inventory

REAL = metadata.version("jsonschema")
SITE = os.path.dirname(os.path.dirname(os.path.realpath(jsonschema.__file__)))


def _dist_info(folder, name, version, top, record=(), direct_url=None):
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (info / "top_level.txt").write_text(f"{top}\n")
    if record:
        (info / "RECORD").write_text("".join(f"{path},,\n" for path in record))
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url))


def _rows(name, modules=None):
    return {i["version"]: i for i in inventory.collect(modules) if i["name"] == name}


def test_a_dist_info_claiming_the_loaded_file_from_elsewhere_owns_nothing(tmp_path, monkeypatch):
    """A RECORD reaching out of its folder (``../``) or an editable record naming the site
    folder does not make a notebook folder's dist-info the owner of site-packages' module."""
    reach = os.path.relpath(os.path.realpath(jsonschema.__file__), tmp_path)
    _dist_info(tmp_path, "jsonschema", "99.0", "jsonschema", record=[reach])
    other = tmp_path / "other"
    other.mkdir()
    editable = {"url": f"file://{SITE}", "dir_info": {"editable": True}}
    _dist_info(other, "jsonschema", "98.0", "jsonschema", direct_url=editable)
    monkeypatch.syspath_prepend(str(other))
    monkeypatch.syspath_prepend(str(tmp_path))
    rows = _rows("jsonschema")
    assert rows[REAL]["imported"] is True and rows[REAL]["where"] == "environment"
    assert rows["99.0"] == {
        "name": "jsonschema", "version": "99.0", "imported": False, "where": "elsewhere"
    }  # fmt: skip
    assert rows["98.0"]["imported"] is False


def test_a_module_loaded_from_the_notebook_folder_is_its_own_dist_s(tmp_path, monkeypatch):
    """What the kernel loaded is reported, wherever it lives: a package in the notebook folder
    shadowing the site one is the imported one; the site release is then not imported."""
    package = tmp_path / "jsonschema"
    package.mkdir()
    (package / "__init__.py").write_text("")
    _dist_info(tmp_path, "jsonschema", "99.0", "jsonschema", record=["jsonschema/__init__.py"])
    monkeypatch.syspath_prepend(str(tmp_path))
    loaded = types.ModuleType("jsonschema")
    loaded.__file__ = str(package / "__init__.py")
    rows = _rows("jsonschema", dict(sys.modules, jsonschema=loaded))
    assert rows["99.0"]["imported"] is True and rows["99.0"]["where"] == "elsewhere"
    assert rows[REAL]["imported"] is False


def test_the_kernel_cut_keeps_imported_flagged_and_the_environment_s_own_and_says_so():
    def item(name, imported=False, where="elsewhere"):
        return {"name": name, "version": "1.0", "imported": imported, "where": where}

    items = [item(f"aaa-{n:04d}") for n in range(inventory.MAX_ITEMS)]
    items += [item("zz-imported", True), item("zz-flagged"), item("zz-site", where="environment")]
    kept, truncated = inventory.listed(items, lambda name, version: name == "zz-flagged")
    names = [i["name"] for i in kept]
    assert truncated is True and len(kept) == inventory.MAX_ITEMS
    assert names[:3] == ["zz-imported", "zz-flagged", "zz-site"]
    assert inventory.listed(items[:3]) == (items[:3], False)  # small: whole, by name


def test_the_lab_cut_puts_the_environment_s_own_before_strays():
    kernels = [
        {"items": [
            {"name": "aaa", "version": "1.0", "imported": False, "where": "elsewhere"},
            {"name": "zzz", "version": "1.0", "imported": False, "where": "environment"},
        ]},
    ]  # fmt: skip
    body = lab_inventory.package_inventory(kernels, None, limit=1)
    assert body["truncated"] is True and [i["name"] for i in body["items"]] == ["zzz"]
    assert "where" not in body["items"][0]  # the contract is unchanged
