#!/usr/bin/env python3
"""Write the ``modules`` table of schema/guardless-calls.json from the real modules.

    PYTHONPATH=$PWD python scripts/guardless-module-attributes.py          # rewrite the table
    PYTHONPATH=$PWD python scripts/guardless-module-attributes.py --check  # exit 1 if stale

Red team 13 R13-3: an allow-list entry for a whole module (``shutil``) must cover that
module's own definitions, not the modules it imports (``shutil.os`` is ``os``, so
``shutil.os.system`` is ``os.system``). Neither side of Warden imports the modules the code it
reads names (the static side cannot), so the modules the allow list names, their submodules
and the prefixes of its entries (``os`` for ``os.path``) are imported here, once, and each is
written as ``name -> {attribute: module it holds}`` for every attribute whose value is a
module by another name than ``name.attribute``. The readers rewrite a name through that table
(``typing.sys.modules`` -> ``sys.modules``) before they judge it, and a name that is a module
(a key) used as a value is refused. Standard library only.
"""

import argparse
import importlib
import inspect
import json
import pkgutil
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "schema" / "guardless-calls.json"
# packages whose submodules are not walked: test suites, GUI, and code the allow list refuses
_SKIP = ("test", "tests", "idlelib", "tkinter", "lib2to3", "__main__", "_test")


def _import(name: str):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return importlib.import_module(name)
    except Exception:  # noqa: BLE001 - a name that is no module (os.getcwd)
        return None


def _modules(table: dict) -> dict:
    """The modules the entries name, their dotted prefixes, and a named package's submodules."""
    found = {}
    for entry in table["inert"] + table["not_inert"]:
        parts = entry.rstrip("*").rstrip(".").split(".")
        for depth in range(1, len(parts) + 1):
            name = ".".join(parts[:depth])
            module = _import(name)
            if module is None or not inspect.ismodule(module):
                break
            found[name] = module
        module = found.get(entry)
        if module is not None and hasattr(module, "__path__") and entry in table["inert"]:
            for info in pkgutil.walk_packages(module.__path__, entry + "."):
                if any(p in _SKIP for p in info.name.split(".")):
                    continue
                sub = _import(info.name)
                if sub is not None:
                    found[info.name] = sub
    return found


def _canonical(module, aliases: dict) -> str:
    """The name the allow list knows a module object by (``posixpath`` is ``os.path``)."""
    name = module.__name__
    root, dot, rest = name.partition(".")
    return aliases[root] + dot + rest if root in aliases else name


def build(table: dict) -> dict:
    aliases = table["aliases"]
    modules = {}
    for name, module in sorted(_modules(table).items()):
        held = {}
        for attr, value in sorted(vars(module).items()):
            if inspect.ismodule(value):
                canonical = _canonical(value, aliases)
                if canonical != f"{name}.{attr}":
                    held[attr] = canonical
        modules[name] = held
    return modules


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    old = TABLE.read_text(encoding="utf-8")
    table = json.loads(old)
    table["modules"] = build(table)
    new = _compact(table)
    if args.check:
        if new != old:
            print(f"{TABLE} is stale: run {sys.argv[0]}", file=sys.stderr)
            return 1
        return 0
    TABLE.write_text(new, encoding="utf-8")
    return 0


def _compact(table: dict) -> str:
    """Lists on wrapped lines as the hand-written part has them, each module's table on a line."""
    out = ["{"]
    keys = list(table)
    for i, key in enumerate(keys):
        value = table[key]
        comma = "," if i < len(keys) - 1 else ""
        if isinstance(value, list):
            out.append(f" {json.dumps(key)}: [")
            line = " "
            for j, item in enumerate(value):
                word = json.dumps(item) + ("," if j < len(value) - 1 else "")
                if len(line) + len(word) + 1 > 93:
                    out.append(line.rstrip())
                    line = " "
                line += " " + word
            out.append(line.rstrip())
            out.append(f" ]{comma}")
        elif key == "modules":
            out.append(f" {json.dumps(key)}: {{")
            names = list(value)
            for j, name in enumerate(names):
                tail = "," if j < len(names) - 1 else ""
                out.append(f"  {json.dumps(name)}: {json.dumps(value[name], sort_keys=True)}{tail}")
            out.append(f" }}{comma}")
        else:
            out.append(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    out.append("}")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
