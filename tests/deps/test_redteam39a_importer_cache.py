"""Red team 39a: the gate's first load of ``decide`` found through ``sys.path_importer_cache``.

fix41boot's ``guard_import`` loads a guard module not loaded yet with the boot's
``builtins.__import__``, ``sys.meta_path`` and ``sys.path`` (R38a-1). The boot's
``PathFinder`` then asks ``sys.path_importer_cache`` for the finder of each folder it
searches (for a submodule: the package's ``__path__``), a plain dict the process may fill:
a guarded w.py (or a cell) puts its own finder there for the ``installs`` package's folder,
which hands the first ``from . import decide`` the real file with a loader that replaces
``decide()`` by one finding nothing. The refused uv install of warden-demo-pkg runs.

Proof: installs without Warden and, today, with Warden too (the refusal expected).
"""

# the finder of the installs folder, its decide loaded from the real file then replaced
PLANT = (
    "import importlib.machinery, os, sys\n"
    "folder = os.path.dirname(importlib.machinery.PathFinder.find_spec('jupyterlab_warden')"
    ".submodule_search_locations[0])\n"
    "folder = os.path.join(folder, 'jupyterlab_warden', 'kernel', 'guard', 'installs')\n"
    "real = importlib.machinery.FileFinder(\n"
    "    folder, (importlib.machinery.SourceFileLoader, importlib.machinery.SOURCE_SUFFIXES))\n"
    "class Loader(importlib.machinery.SourceFileLoader):\n"
    "    def exec_module(self, module):\n"
    "        super().exec_module(module)\n"
    "        module.decide = lambda request, policy, data: []\n"
    "class Finder:\n"
    "    def find_spec(self, name, target=None):\n"
    "        spec = real.find_spec(name, target)\n"
    "        if spec is not None and name.endswith('guard.installs.decide'):\n"
    "            spec.loader = Loader(name, spec.origin)\n"
    "        return spec\n"
    "    def invalidate_caches(self):\n"
    "        pass\n"
    "sys.path_importer_cache[folder] = Finder()\n"
)


def _script(own_kernel) -> str:
    return PLANT + f"os.system({own_kernel.uv_install()!r})\n"


def test_a_cell_hands_the_kernels_gate_its_decide_by_the_importer_cache(own_kernel):
    own_kernel.proves(_script(own_kernel).replace("{", "{{").replace("}", "}}"))


def test_a_guarded_script_hands_its_gate_its_decide_by_the_importer_cache(own_kernel):
    cell = (
        "import os, sys\n"
        f"open('w.py', 'w').write({_script(own_kernel)!r})\n"
        "os.system(sys.executable + ' w.py')\n"
    )
    assert own_kernel.child_refuses(cell.replace("{", "{{").replace("}", "}}"))


def test_an_ordinary_finder_in_the_cache_runs(own_kernel):
    """No false refusal: a cell that reads the importer cache and starts a harmless program."""
    cell = "import os, sys\nlen(sys.path_importer_cache)\nassert os.system('true') == 0\n"
    result = own_kernel.cell(cell, launched=True)
    assert result["refused"] is None, result
