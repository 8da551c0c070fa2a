"""Red team 32: R32-12 (uv's query of a Python it is named, after a writer on the line), R32-9
(a pyenv shim's own hook folders), R32-10 (a namespace folder in the kernel's standard library
hid the module Python imports) and the environment change Warden cannot decode.

Each malicious cell installs warden-demo-pkg without Warden and is refused with it; the
ordinary form of each runs. A kernel's own site folder and standard library are written only in
conftest's ``own_kernel`` (an installation of the test's own).
"""

import sys
import time

import pytest
from real_uv import real_uv
from test_redteam31_pyenv import pyenv_root

PTH = "import os; os.system(INSTALL)\n"
HACK = "import os\nos.system(INSTALL)\ndef add_shim(): pass\n"


def _cell(kernel, code: str, **literals: str) -> str:
    """``code`` with UV the real uv, INSTALL a literal of the installing line, each NAME of
    ``literals`` a literal of that text (INSTALL in it a literal too), braces kept from
    Kernel.cell's format."""
    install = kernel.uv_install()
    for name, text in literals.items():
        code = code.replace(name, repr(text.replace("INSTALL", repr(install))))
    code = code.replace("INSTALL", repr(install)).replace("UV", real_uv())
    return code.replace("{", "{{").replace("}", "}}")


# -- R32-12: uv runs the Python it is named (`-I`: no guard) after a writer on its line --------

UV_QUERY = """
import os, sys
SITE = {site!r}
open('p.pth', 'w').write(PAYLOAD)
try:
    os.system('cp p.pth ' + SITE + '/zz_r32.pth; ' + LINE + ' > /dev/null')
finally:
    os.path.exists(SITE + '/zz_r32.pth') and os.remove(SITE + '/zz_r32.pth')
"""
UV_LINES = {
    "uv pip list --python KV": "'UV pip list --no-cache --no-config --offline --python ' + "
    "sys.executable",
    "uv run --no-project -p KV python -c pass": "'UV run -q --no-cache --no-config --offline "
    "--no-project -p ' + sys.executable + ' python -c pass'",
}


@pytest.mark.parametrize("name", list(UV_LINES))
def test_r32_12_uv_queries_a_named_python_after_a_writer(own_kernel, name):
    code = UV_QUERY.format(site=str(own_kernel.site)).replace("LINE", UV_LINES[name])
    refused = own_kernel.proves(_cell(own_kernel, code, PAYLOAD=PTH))
    assert str(own_kernel.site) in refused, refused
    # uv run: its query, or the `python` it runs (KV's, uv puts KV's folder first on PATH)
    assert name.startswith("uv run") or "to query it" in refused, refused


def test_r32_12_uv_with_a_named_python_and_no_writer_runs(kernel):
    """The ordinary forms: a named Python with no writer before uv, and one after a writer of
    another folder."""
    lines = [
        f"{real_uv()} pip list --no-cache --offline --python {sys.executable}",
        f"echo x > out.txt; {real_uv()} pip list --no-cache --offline --python {sys.executable}",
    ]
    code = "import os\n" + "".join(f"assert os.system({line!r}) == 0\n" for line in lines)
    result = kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result


# -- R32-9: a pyenv shim sources its own root's hooks -------------------------------------------


@pytest.fixture()
def shims(tmp_path):
    """A pyenv root (test_redteam31_pyenv's) older than the kernel's start; its shims."""
    root = pyenv_root(tmp_path / "pyenv")
    time.sleep(1.5)
    return root / "shims"


PYENV_HOOK = """
import os, shutil, time
ROOT = {root!r}
HOOK = ROOT + {hook!r}
os.environ['PATH'] = ROOT + '/shims:' + os.environ['PATH']
open('x.bash', 'w').write(PAYLOAD)
try:
    START
finally:
    os.path.exists(HOOK) and os.remove(HOOK)
    shutil.rmtree(ROOT + '/plugins', ignore_errors=True)
    time.sleep(1.5)  # the next kernel starts after the check's slack: it reads the write
"""
PYENV_CASES = {
    "pyenv.d/exec hook, python3 -c pass": (
        "/pyenv.d/exec/zz_r32.bash",
        "shutil.copy('x.bash', HOOK); os.system('python3 -c pass')",
        "changed since the kernel started",
    ),
    "a new plugin's hook, the pip shim": (
        "/plugins/zz/etc/pyenv.d/exec/x.bash",
        "os.makedirs(os.path.dirname(HOOK)); shutil.copy('x.bash', HOOK); "
        "os.system('pip --version')",
        "changed since the kernel started",
    ),
    "a writer earlier on the line": (
        "/pyenv.d/exec/zz_r32.bash",
        "os.system('cp x.bash ' + HOOK + '; python3 -c pass')",
        "an earlier command on the line (cp)",
    ),
}


@pytest.mark.parametrize("name", list(PYENV_CASES))
def test_r32_9_a_hook_in_the_shims_own_root(kernel, shims, name):
    hook, start, why = PYENV_CASES[name]
    code = PYENV_HOOK.format(root=str(shims.parent), hook=hook).replace("START", start)
    refused = kernel.proves(_cell(kernel, code, PAYLOAD=kernel.uv_install() + "\n"))
    assert "pyenv shim" in refused and why in refused, refused


def test_r32_9_a_shim_with_untouched_hooks_runs(kernel, shims):
    """The root's own hooks (the machine's pyenv.d copied), unchanged: the shims run."""
    code = (
        f"import os\nos.environ['PATH'] = {str(shims)!r} + ':' + os.environ['PATH']\n"
        "assert os.system('python3 -c pass && pip --version > /dev/null') == 0\n"
    )
    result = kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result
    assert "Jupyter Warden refused" not in result["stderr"], result


# -- R32-10: a namespace folder in the own standard library ended the module search ------------

NAMESPACE = """
import os, sys, shutil, subprocess
NS = os.path.join({lib!r}, '_distutils_hack')
H = os.path.join({site!r}, '_distutils_hack', '__init__.py')
os.makedirs(NS)
open(os.path.join(NS, 'helper.py'), 'w').write('')  # a portion: never imported by site
try:
    BODY
finally:
    shutil.rmtree(NS)
"""
REWRITE = """shutil.copy2(H, 'h.bak'); open(H, 'w').write(PAYLOAD + open('h.bak').read())
    try:
        subprocess.run([sys.executable, '-c', 'pass'])
    finally:
        shutil.copy2('h.bak', H)"""


def test_r32_10_a_namespace_folder_does_not_hide_the_module_python_imports(own_kernel):
    fill = {"lib": str(own_kernel.lib), "site": str(own_kernel.site)}
    # a namespace portion alone is no module Python runs: the ordinary start runs
    ordinary = NAMESPACE.format(**fill).replace(
        "BODY", "subprocess.run([sys.executable, '-c', 'pass'], check=True)"
    )
    result = own_kernel.cell(ordinary.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result
    # site-packages' regular package wins over it: its rewrite is read
    code = NAMESPACE.format(**fill).replace("BODY", REWRITE)
    refused = own_kernel.proves(_cell(own_kernel, code, PAYLOAD=HACK))
    assert str(own_kernel.site / "_distutils_hack") in refused, refused


# -- an environment change Warden cannot decode -------------------------------------------------


def test_an_environment_change_warden_cannot_decode_is_refused(kernel):
    """``os.putenv``'s event with objects that are no text (the audit hook sees what it is
    given): fail closed, as it may be a PYTHONPATH that drops the guard."""
    code = "import sys\nsys.audit('os.putenv', object(), object())\n"
    assert kernel.cell(code, launched=False)["refused"] is None
    refused = kernel.cell(code, launched=True)["refused"]
    assert refused and "cannot read the name or value" in refused, refused
