"""Red team 34 R34-9: the allowance of an allowed pip install to write site folders' start-up
files (``gate.allowed_install``) held against a replaced pip function whose CODE is the
script's (red team 33 R33-8: ``_pip_code_runs``, a frame check), not against a standard-library
callable bound to the script's arguments: ``functools.partial(shutil.copyfile, 'p.pth',
<site>/zz.pth)`` in place of a function pip's install command calls with no arguments
(``check_externally_managed``) leaves no frame of the script between pip's command and the
write. w.py (guarded) ran an install the gate allows (``--no-index``: nothing fetched), its
.pth landed in the site folder, and the next Python on the line ran it before its guard.

The allowance is now the process's (``pip_process``): one started as pip's own command (``-m
pip`` whose ``pip`` is the site folder's, pip's console script by its text, pip's
``__pip-runner__.py``) in which no module of another place ran. These tests run each shape
without Warden (the .pth runs: the demo package installs) and with it (refused)."""

import os
import sys

import pytest
from launched import Kernel
from local_index import LocalIndex, build_wheel
from test_redteam32_places import _site_cell

# what each shape's Python sets in place of a pip function its install command calls with no
# arguments: a standard-library callable that copies p.pth into the site folder when called
BOUND = {
    "partial": "functools.partial(shutil.copyfile, 'p.pth', site + '/zz.pth')",
    "starmap": (
        "functools.partial(collections.deque, "
        "itertools.starmap(shutil.copyfile, [('p.pth', site + '/zz.pth')]), 0)"
    ),
    "methodcaller": (
        "functools.partial(operator.methodcaller('copyfile', 'p.pth', site + '/zz.pth'), shutil)"
    ),
}
REWIRE = (
    "import collections, functools, itertools, operator, shutil, sysconfig\n"
    "from pip._internal.commands import create_command, install\n"
    "site = sysconfig.get_paths()['purelib']\n"
    "install.check_externally_managed = BOUND\n"
)
RUN = "create_command('install').main(['--no-index', '-q', 'warden-nothing-here'])\n"


def _proves(kernel, start: str) -> None:
    """The line installs (its .pth ran in the next Python) without Warden, not with it."""
    code = _site_cell(start)
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    ran_plain = kernel.installed()
    kernel.reset()
    guarded = kernel.cell(code, launched=True)
    ran_guarded = kernel.installed() or bool(kernel.index.requests)
    assert ran_plain, plain
    assert not ran_guarded, guarded
    assert "zz.pth" in guarded["stderr"] and "pip's own command" in guarded["stderr"], guarded


@pytest.mark.parametrize("bound", sorted(BOUND))
def test_a_script_importing_pip_has_no_allowance(own_kernel, bound):
    """w.py rewires pip with a bound standard-library callable and runs an install the gate
    allows: no frame of its own is on the stack when the copy writes."""
    writer = REWIRE.replace("BOUND", BOUND[bound]) + RUN
    start = f"open('w.py', 'w').write({writer!r})\n"
    _proves(own_kernel, start + "    os.system(py + ' w.py; ' + py + ' -c pass')")


def test_pip_run_from_command_text_has_no_allowance(own_kernel):
    """``python -c "exec(open(...).read())"``, the text importing pip: no file of the
    script's at all, and no frame of one."""
    text = REWIRE.replace("BOUND", BOUND["partial"]) + RUN
    start = (
        f"open('w.txt', 'w').write({text!r})\n"
        "    os.system(py + ' -c \"exec(open(\\'w.txt\\').read())\"; ' + py + ' -c pass')"
    )
    _proves(own_kernel, start)


# a `pip` package of the working folder or a PYTHONPATH folder: `python -m pip` runs it; it hands
# the name to the site folder's pip (sys.modules, sys.path) and rewires that one before
# running its install
SHADOW_MAIN = (
    "import os, sys\n"
    "here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n"
    "sys.path[:] = [p for p in sys.path if p not in ('', os.getcwd(), here)]\n"
    "for name in [n for n in sys.modules if n == 'pip' or n.startswith('pip.')]:\n"
    "    del sys.modules[name]\n"
    "import pip\n" + REWIRE.replace("BOUND", BOUND["partial"]) + RUN
)


@pytest.mark.parametrize("where", ["working-folder", "pythonpath"])
def test_a_pip_of_another_folder_has_no_allowance(own_kernel, where):
    """``python -m pip`` with ./pip/__main__.py in the working folder (-m takes the first
    ``pip`` on its search path, the working folder's), or in a folder put after Warden's on
    PYTHONPATH."""
    folder, run = ".", "os.system(py + ' -m pip install -q --no-index nothing; ' + py + ' -c pass')"
    if where == "pythonpath":  # w.py starts pip with the folder after Warden's on PYTHONPATH
        folder, run = "sh", "os.system(py + ' w.py; ' + py + ' -c pass')"
        writer = (
            "import os, subprocess, sys\n"
            "env = dict(os.environ)\n"
            "env['PYTHONPATH'] = env.get('PYTHONPATH', '') + os.pathsep + os.path.abspath('sh')\n"
            "pip = [sys.executable, '-m', 'pip', 'install', '-q', '--no-index', 'x']\n"
            "subprocess.run(pip, env=env)\n"
        )
        run = f"open('w.py', 'w').write({writer!r})\n    " + run
    start = (
        f"os.makedirs('{folder}/pip', exist_ok=True)\n"
        f"    open('{folder}/pip/__init__.py', 'w').write('')\n"
        f"    open('{folder}/pip/__main__.py', 'w').write({SHADOW_MAIN!r})\n"
        f"    {run}"
    )
    _proves(own_kernel, start)


def test_a_script_named_pip_elsewhere_has_no_allowance(own_kernel):
    """`python ./pip install ...`: a file named pip that is no console script of this Python
    (nor pip's launcher by its text)."""
    script = "#!/usr/bin/env python3\n" + REWIRE.replace("BOUND", BOUND["partial"]) + RUN
    start = (
        f"open('pip', 'w').write({script!r})\n"
        "    os.system(py + ' pip install -q; ' + py + ' -c pass')"
    )
    _proves(own_kernel, start)


# a module of the working folder that `python -m pip` imports (the folder is first on its
# search path): it hands the name to the standard library's module and rewires pip's install
# command as pip imports it (``create_command`` imports it through ``importlib``)
SHADOW_STDLIB = (
    "import functools, importlib, os, shutil, sys, sysconfig\n"
    "sys.path[:] = [p for p in sys.path if p not in ('', os.getcwd())]\n"
    "del sys.modules['NAME']\n"
    "sys.modules['NAME'] = __import__('NAME')\n"
    "site = sysconfig.get_paths()['purelib']\n"
    "real = importlib.import_module\n"
    "def import_module(name, *rest):\n"
    "    module = real(name, *rest)\n"
    "    if name == 'pip._internal.commands.install':\n"
    "        module.check_externally_managed = " + BOUND["partial"] + "\n"
    "    return module\n"
    "importlib.import_module = import_module\n"
)


@pytest.mark.parametrize("form", ["source", "sourceless"])
def test_a_module_of_the_working_folder_ends_the_allowance(own_kernel, form):
    """A real `python -m pip install` in a folder holding ``typing.py``: pip's ``__init__``
    imports it from there (the working folder is first on -m's search path until pip's
    ``__main__`` takes it off), and it rewires pip. Sourceless (``typing.pyc``), its code
    names the standard library's typing.py as its file: the import's own file counts."""
    shadow = SHADOW_STDLIB.replace("NAME", "typing")
    write = f"open('typing.py', 'w').write({shadow!r})\n"
    if form == "sourceless":
        write = (
            "import importlib.util, marshal\n"
            f"    code = compile({shadow!r}, os.path.dirname(os.__file__) + '/typing.py', 'exec')\n"
            "    head = importlib.util.MAGIC_NUMBER + bytes(12)\n"
            "    open('typing.pyc', 'wb').write(head + marshal.dumps(code))\n"
        )
    start = (
        write + "    os.system(py + ' -m pip install -q --no-index nothing; ' + py + ' -c pass')"
    )
    _proves(own_kernel, start)


@pytest.fixture()
def pth_index(tmp_path):
    """An index serving warden-pth-pkg, whose wheel ships a .pth (a path line)."""
    root = tmp_path / "pth-index"
    root.mkdir()
    pth = {"warden_pth_pkg.pth": "warden_pth_pkg_mod\n"}
    server = LocalIndex(root, [build_wheel(root, "warden-pth-pkg", extra=pth)])
    yield server
    server.close()


@pytest.mark.parametrize("how", ["module", "console-script", "runner"])
def test_pips_own_install_in_a_notebook_folder_writes_its_pth(tmp_path, pth_index, how):
    """No false refusal: pip's own install (``-m pip``, pip's console script, the runner pip
    starts for a build environment's packages) writes its wheel's .pth into a site folder,
    from a notebook folder holding modules of its own."""
    import json

    kernel = Kernel(tmp_path, pth_index)
    (kernel.work / "utils.py").write_text("import os\n")
    (kernel.work / "helpers").mkdir()
    (kernel.work / "helpers" / "__init__.py").write_text("")
    policy = {"schema_version": 1, "revision": 5}
    policy["trusted_sources"] = {"package_indexes": [pth_index.simple]}
    kernel.policy.write_text(json.dumps(policy))
    target = tmp_path / "t" / "lib" / "python3" / "site-packages"
    pip = f"{sys.executable} -m pip"
    if how == "console-script":
        pip = os.path.join(os.path.dirname(sys.executable), "pip")
    elif how == "runner":  # how pip installs a build environment's packages
        import pip as site_pip

        pip = f"{sys.executable} {os.path.dirname(site_pip.__file__)}/__pip-runner__.py"
    line = f"{pip} install -q --no-deps --no-cache-dir --target {target} "
    line += f"--index-url {pth_index.simple} warden-pth-pkg"
    result = kernel.cell(f"import os\nassert os.system({line!r}) == 0\n", launched=True)
    assert result["refused"] is None, result
    assert (target / "warden_pth_pkg.pth").is_file(), result


@pytest.mark.parametrize("how", ["module", "console-script"])
def test_a_new_venvs_pip_installs_a_pth_into_it(tmp_path, pth_index, how):
    """No false refusal: `python -m venv v` (ensurepip's pip, from the bundled wheel, writes
    setuptools' .pth on 3.11 and older), then v's pip installs a wheel with a .pth into v."""
    import json

    kernel = Kernel(tmp_path, pth_index)
    policy = {"schema_version": 1, "revision": 5}
    policy["trusted_sources"] = {"package_indexes": [pth_index.simple]}
    kernel.policy.write_text(json.dumps(policy))
    pip = "v/bin/python -m pip" if how == "module" else "v/bin/pip"
    line = f"{pip} install -q --no-deps --no-cache-dir --index-url {pth_index.simple} "
    line += "warden-pth-pkg"
    code = (
        "import os, subprocess, sys\n"
        "subprocess.run([sys.executable, '-m', 'venv', 'v'], check=True)\n"
        f"assert os.system({line!r}) == 0\n"
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result
    assert list(kernel.work.glob("v/lib/python*/site-packages/warden_pth_pkg.pth")), result
