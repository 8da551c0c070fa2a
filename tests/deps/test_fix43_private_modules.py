"""Fix round 43 (red team 39a R39a-1, R39a-3, R39a-4): the neighbours of the findings.

Once a guarded Python is sealed, the guard's imports (``frozen_builtins.guard_import``) take
Warden's own modules by path and the standard library as private copies
(``private_modules``): a module planted in ``sys.modules`` under a guard module's name, a
guard package's attribute rebound, or a library module's function rebound before the guard's
first load of it reaches no check. Each proof installs without Warden and is refused with it.
"""

GUARD = "jupyterlab_warden.kernel.guard.installs"

# a stand-in for the gate's decide module, never loaded under its name (no package
# attribute): the real file run into another module, its decide finding nothing
FAKE_DECIDE = (
    "import importlib.util, os, sys\n"
    f"spec = importlib.util.find_spec({GUARD + '.decide'!r})\n"
    "fake = importlib.util.module_from_spec(spec)\n"
    "spec.loader.exec_module(fake)\n"
    "fake.decide = lambda request, policy, data: []\n"
)


def _escaped(cell: str) -> str:
    return cell.replace("{", "{{").replace("}", "}}")


def _in_a_guarded_script(own_kernel, script: str) -> str:
    cell = (
        "import os, sys\n"
        f"open('w.py', 'w').write({script!r})\n"
        "os.system(sys.executable + ' w.py')\n"
    )
    return _escaped(cell)


def test_a_cell_plants_the_gates_decide_in_sys_modules(own_kernel):
    cell = FAKE_DECIDE + f"sys.modules[{GUARD + '.decide'!r}] = fake\n"
    own_kernel.proves(_escaped(cell + f"os.system({own_kernel.uv_install()!r})\n"))


def test_a_guarded_script_plants_the_gates_decide_in_sys_modules(own_kernel):
    script = FAKE_DECIDE + f"sys.modules[{GUARD + '.decide'!r}] = fake\n"
    script += f"os.system({own_kernel.uv_install()!r})\n"
    assert own_kernel.child_refuses(_in_a_guarded_script(own_kernel, script))


def test_a_cell_sets_the_gates_decide_on_its_package(own_kernel):
    """``from . import decide`` reads the package's attribute: the guard's module is put back."""
    cell = FAKE_DECIDE + f"sys.modules[{GUARD!r}].decide = fake\n"
    own_kernel.proves(_escaped(cell + f"os.system({own_kernel.uv_install()!r})\n"))


def test_a_guarded_script_rebinds_re_match(own_kernel):
    """A library module's function (not its cache): every word reads as an assignment."""
    script = "import os, re\nre.match = lambda pattern, text, flags=0: True\n"
    script += f"os.system({own_kernel.uv_install()!r})\n"
    assert own_kernel.child_refuses(_in_a_guarded_script(own_kernel, script))


def test_the_process_keeps_its_own_library_modules(own_kernel):
    """No false refusal, and the guard's copies stay its own: after the guard read lines,
    the cell's ``re``, ``shlex`` and ``typing`` are the ones in ``sys.modules`` and work (a
    failed assert fails the cell's process)."""
    cell = (
        "import os, re, shlex, sys, typing\n"
        "assert os.system('LC_ALL=C true') == 0\n"
        "assert os.system(\"echo 'a b' | tr a b >/dev/null\") == 0\n"
        "import re as again\n"
        "assert again is re is sys.modules['re'] and re.match('a', 'a')\n"
        "assert shlex.split('a \"b c\"') == ['a', 'b c'] and shlex is sys.modules['shlex']\n"
        "assert typing is sys.modules['typing'] and typing.List[int]\n"
    )
    result = own_kernel.cell(_escaped(cell), launched=True)
    assert result["refused"] is None, result


def test_the_guards_library_copies_name_the_files_they_were_read_from(own_kernel):
    """Fix round 44: the kernel's library folder is links to this Python's, its compiled
    files naming this Python's paths (an installation copied or moved). The guard's private
    copies' code names the library file Warden checked, as an import names it: a guarded pip's
    own command counts them as the library's (``pip_process.code_ran``; the editable install of
    test_redteam29_site). A failed assert fails the cell's process."""
    cell = (
        "import os\n"
        "assert os.system('true') == 0\n"  # the guard's first check loads its copies
        # the guard's own (mods 67: out of sys.modules), through a guard function's __globals__
        "from jupyterlab_warden.kernel.guard.frozen_builtins import FROZEN\n"
        "private_modules = FROZEN['__import__'].__globals__['_SEALED'][\n"
        "    'jupyterlab_warden.kernel.guard.private_modules']\n"
        "library = private_modules._LIBRARY + '/'\n"
        "copies = [m for m in private_modules._LOADED.values()\n"
        "          if (getattr(m, '__file__', None) or '').startswith(library)]\n"
        "assert any(os.path.realpath(m.__file__) != m.__file__ for m in copies), copies\n"
        "named = {(f.__code__.co_filename, m.__file__) for m in copies\n"
        "         for f in vars(m).values()\n"
        "         if hasattr(f, '__code__') and getattr(f, '__module__', '') == m.__name__}\n"
        "odd = sorted(code for code, file in named if code != file)\n"
        "assert named and not odd, odd[:3]\n"
    )
    result = own_kernel.cell(_escaped(cell), launched=True)
    assert result["refused"] is None, result
