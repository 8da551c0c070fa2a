"""Red team 39c R39c-1: a standard-library module a trusted ``.pth`` line's import pulls in.

``site`` runs a site folder's ``.pth`` import lines before ``sitecustomize`` (the guard). The
lines installers write are trusted when older than the kernel (``start_files``), and the
module a line names is checked for changes (``_pth_module_changed``: ``_distutils_hack``, an
editable finder, in the standard library first, R31-8), but not what THAT module imports:
setuptools' namespace-package line (``-nspkg.pth``) imports ``importlib.util``, which imports
``contextlib`` -> ``collections``, ``functools``, ``operator``, ``keyword``, ``reprlib``; an
editable install's finder imports ``pathlib`` -> ``fnmatch``, ``re``, ``enum``, ``urllib``...
None of these is in ``STDLIB_START``, so ``start_files._stdlib_changed`` never looks at them
(``stdlib_tree_changed`` does, but only for a start with a warning filter, R38c-1).

A cell that appends code to the kernel's own ``contextlib.py`` (the notebook user's to write
under pyenv, as this machine's kernel Python is; conda; a uv-managed Python: ``own_kernel``'s
base) then starts any Python (``python -c pass``) runs that code in the child before its
guard: it installs. These tests FAIL today.
"""

import sys
import time

import pytest

# contextlib (and its pyc) copied into own_kernel's base, never the machine's file
OWN_KERNEL_COPIES = ("contextlib",)

CELL = (
    "import os, sys, sysconfig\nlib = sysconfig.get_paths()['stdlib']\npy = sys.executable\n"
    "path = lib + '/contextlib.py'\nsrc = open(path).read()\n"
    'body = \'\\nimport os as _o\\n_o.environ.get("RT39") or (_o.environ.__setitem__("RT39", '
    "\"1\"), _o.system(' + repr(INSTALL) + '))\\n'\n"
    "open(path, 'w').write(src + body)\n"
    "try:\n    START\nfinally:\n    open(path, 'w').write(src)\n"
)

STARTS = {
    "os_system": "os.system(py + ' -c pass')",
    "subprocess": "import subprocess; subprocess.run([py, '-c', 'pass'])",
}


def _nspkg(site) -> None:
    """An old-style namespace package's ``-nspkg.pth`` line, as setuptools writes it."""
    from setuptools.namespaces import Installer

    (site / "rt39ns").mkdir()
    line = Installer._gen_nspkg_line(Installer(), "rt39ns")
    (site / "rt39ns-1.0-py3.11-nspkg.pth").write_text(line)


def _editable(site) -> None:
    """An editable install's ``.pth`` and finder (setuptools' own template), as ``pip
    install -e .`` writes them for a project whose layout needs a finder."""
    from setuptools.command.editable_wheel import _finder_template

    project = site.parent / "rt39proj_src" / "rt39proj"
    project.mkdir(parents=True)
    (project / "__init__.py").write_text("")
    name = "__editable___rt39proj_0_1_finder"
    (site / f"{name}.py").write_text(_finder_template(name, {"rt39proj": str(project)}, {}))
    (site / "__editable__.rt39proj-0.1.pth").write_text(f"import {name}; {name}.install()")


LAYOUTS = {"nspkg_line": _nspkg, "editable_finder": _editable}


def _installed_before_the_kernel(kernel, layout: str) -> None:
    LAYOUTS[layout](kernel.site)
    time.sleep(2.5)  # older than the kernel's start: a .pth of an earlier session, trusted


def _cell(kernel, start: str) -> str:
    # the installer's own query of its Python is another installation (no changed contextlib)
    install = kernel.uv_install().replace(sys.executable, "/usr/bin/python3")
    code = CELL.replace("START", start).replace("INSTALL", repr(install))
    return code.replace("{", "{{").replace("}", "}}")


@pytest.mark.parametrize("start", sorted(STARTS))
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_stdlib_module_a_trusted_pth_line_pulls_in(own_kernel, layout, start):
    """Installs without Warden; under Warden the start must be refused (or the module never
    run): today contextlib runs in the child before its guard and installs."""
    _installed_before_the_kernel(own_kernel, layout)
    code = _cell(own_kernel, STARTS[start])
    own_kernel.reset()
    plain = own_kernel.cell(code, launched=False)
    assert plain["refused"] is None and own_kernel.installed(), plain
    own_kernel.reset()
    guarded = own_kernel.cell(code, launched=True)
    assert own_kernel.index.requests == [] and not own_kernel.installed(), guarded


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_python_start_with_the_trusted_pth_still_runs(own_kernel, layout):
    """The ordinary form: the same site folder, the standard library unchanged."""
    _installed_before_the_kernel(own_kernel, layout)
    marker = own_kernel.work / "ran.txt"
    line = f"{{py}} -c \"open({str(marker)!r}, 'w').write('1')\""
    code = "import os, sys\nassert os.system(" + repr(line) + ".format(py=sys.executable)) == 0\n"
    result = own_kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None and marker.exists(), result
