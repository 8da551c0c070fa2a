"""The package's two halves, read from the folders: ``jupyterlab_warden/kernel`` runs inside
kernels (standard library only, Python >= 3.8, embedded whole by the bootstrap) and never imports
``jupyterlab_warden/lab``, which runs in the Jupyter server."""

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "jupyterlab_warden"
KERNEL = PACKAGE / "kernel"
LAB = PACKAGE / "lab"


def modules(folder):
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def absolute_imports(path):
    """(imported module, line, at module level?) for every import in ``path``, relative imports
    resolved against the file's own package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]
    top_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno, id(node) in top_level
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ((node.module,) if node.module else ()))
                if node.module:
                    yield name, node.lineno, id(node) in top_level
                else:  # from .. import x: each x is a module of that package
                    for alias in node.names:
                        yield f"{name}.{alias.name}", node.lineno, id(node) in top_level
            else:
                yield node.module, node.lineno, id(node) in top_level


def test_the_kernel_half_never_imports_the_lab_half():
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line} imports {name}"
        for path in modules(KERNEL)
        for name, line, _ in absolute_imports(path)
        if name == "jupyterlab_warden.lab" or name.startswith("jupyterlab_warden.lab.")
    ]
    assert offenders == []


def test_the_kernel_half_imports_only_the_standard_library_at_module_level():
    """Third-party modules (torch, numpy, comm...) only inside functions, where the guard
    reaches them when they are already loaded; the package itself is allowed, and only the
    kernel half of it."""
    stdlib = set(sys.stdlib_module_names)
    offenders = []
    for path in modules(KERNEL):
        for name, line, module_level in absolute_imports(path):
            top = name.split(".")[0]
            if top == "jupyterlab_warden":
                allowed = name == "jupyterlab_warden" or name.startswith("jupyterlab_warden.kernel")
            else:
                allowed = top in stdlib or not module_level
            if not allowed:
                offenders.append(f"{path.relative_to(PACKAGE)}:{line} imports {name}")
    assert offenders == []


def test_the_kernel_half_parses_as_python_3_8():
    """Kernels may run an older Python than the lab: no syntax newer than 3.8."""
    for path in modules(KERNEL):
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path), feature_version=(3, 8))


def test_nothing_is_left_outside_the_two_halves():
    """Only the distribution's entry points live at the top (version, extension points)."""
    top = {p.name for p in PACKAGE.iterdir() if p.suffix == ".py" or p.is_dir()}
    top -= {"__pycache__", "labextension", "_version.py"}  # build output
    assert top == {"__init__.py", "kernel", "lab"}


@pytest.mark.parametrize(
    "source",
    [
        "from ...lab import policy_store\n",
        "from ... import lab\n",
        "import jupyterlab_warden.lab\n",
    ],
)
def test_the_checker_sees_a_wrong_import(monkeypatch, source):
    """The import walk resolves relative imports: a kernel module reaching into the lab in any
    spelling is caught, not missed."""
    fake = KERNEL / "guard" / "_layout_probe.py"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: source)
    names = [name for name, _, _ in absolute_imports(fake)]
    assert names == ["jupyterlab_warden.lab.policy_store"] or names == ["jupyterlab_warden.lab"]
