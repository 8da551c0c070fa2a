"""Red team 39c R39c-2: the standard-library modules a start's stdio codec imports.

A Python sets up its stdio before ``site`` runs (``init_sys_streams`` comes before
``init_import_site``), so before the guard's ``sitecustomize``. PYTHONIOENCODING (read as a
harmless variable: ``commands`` lets it through on the line, in a Popen ``env``, in the
kernel's environment) picks the codec module from ``encodings``, which ``start_files`` checks
as a whole package (``STDLIB_START``), but a codec imports other modules of the library:
``encodings.idna`` imports ``stringprep``, ``re`` (-> ``enum``, ``functools``,
``collections``...), ``unicodedata``; ``quopri_codec`` imports ``quopri``; ``bz2_codec``
``bz2`` (-> ``_compression``, ``threading``). None of those is in ``STDLIB_START``, and
``stdlib_tree_changed`` runs only for a start with a warning filter (R38c-1).

A cell that appends code to the kernel's own ``stringprep.py`` (the notebook user's to write
under pyenv, as this machine's kernel Python is; conda; a uv-managed Python: ``own_kernel``'s
base) and starts ``PYTHONIOENCODING=idna python -c pass`` runs that code in the child before
its guard: it installs. These tests FAIL today.
"""

import sys

import pytest

# stringprep (and its pyc) copied into own_kernel's base, never the machine's file
OWN_KERNEL_COPIES = ("stringprep",)

CELL = (
    "import os, sys, sysconfig\nlib = sysconfig.get_paths()['stdlib']\npy = sys.executable\n"
    "path = lib + '/stringprep.py'\nsrc = open(path).read()\n"
    'body = \'\\nimport os as _o\\n_o.environ.get("RT39") or (_o.environ.__setitem__("RT39", '
    "\"1\"), _o.system(' + repr(INSTALL) + '))\\n'\n"
    "open(path, 'w').write(src + body)\n"
    "try:\n    START\nfinally:\n    open(path, 'w').write(src)\n"
)

STARTS = {
    "line_variable": "os.system('PYTHONIOENCODING=idna ' + py + ' -c pass')",
    "popen_env": (
        "import subprocess; subprocess.run([py, '-c', 'pass'], "
        "env=dict(os.environ, PYTHONIOENCODING='idna'))"
    ),
    "kernel_environ": (
        "os.environ['PYTHONIOENCODING'] = 'idna'; import subprocess; "
        "subprocess.run([py, '-c', 'pass'])"
    ),
}


def _cell(kernel, start: str) -> str:
    # the installer's own query of its Python is another installation (no changed stringprep)
    install = kernel.uv_install().replace(sys.executable, "/usr/bin/python3")
    code = CELL.replace("START", start).replace("INSTALL", repr(install))
    return code.replace("{", "{{").replace("}", "}}")


@pytest.mark.parametrize("start", sorted(STARTS))
def test_a_module_the_stdio_codec_imports(own_kernel, start):
    """Installs without Warden; under Warden the start must be refused (or the module never
    run): today stringprep runs in the child before its guard and installs."""
    code = _cell(own_kernel, STARTS[start])
    own_kernel.reset()
    plain = own_kernel.cell(code, launched=False)
    assert plain["refused"] is None and own_kernel.installed(), plain
    own_kernel.reset()
    guarded = own_kernel.cell(code, launched=True)
    assert own_kernel.index.requests == [] and not own_kernel.installed(), guarded


def test_an_ordinary_stdio_encoding_still_runs(own_kernel):
    """The ordinary forms: PYTHONIOENCODING=utf-8 / idna with the library unchanged."""
    marker = own_kernel.work / "ran.txt"
    line = f"PYTHONIOENCODING=idna {{py}} -c \"open({str(marker)!r}, 'w').write('1')\""
    code = "import os, sys\nassert os.system(" + repr(line) + ".format(py=sys.executable)) == 0\n"
    result = own_kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None and marker.exists(), result
