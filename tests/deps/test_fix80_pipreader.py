"""R57a-9: a pip "reader" whose pip imports a module of the cell's. ``PYTHONPATH=sub pip list ;
uv pip install ...`` where the cell wrote ``sub/socks.py``: pip's vendored requests imports
``socks`` when it is there (an optional import; pip has more: ``keyring``, ``truststore``,
``cryptography``...), from the PYTHONPATH folder, which Python searches before pip's own
site folder. The kernel's reading counted the pip command as one that only reads (its program
and its ``pip`` module are the installation's own, no standard module is shadowed), so the
line was allowed while the cell's code ran in a pip process that lost Warden's guard (the
line's PYTHONPATH replaces the guard's folder) and could write what the uv install after it
reads.

Fixed in ``installs/pip_imports.py`` (``reader_program``): a pip command is a reader only when
no folder its Python searches before pip's own (the script's folder or the working one,
PYTHONPATH's words, the user site; the folders the site's ``.pth`` files add) holds a module
named like one pip's installed files import, read from them (kept per pip installation).
"""

import sys

import pytest
from launched import PYPROJECT_INSTALL as UV
from launched import local_pyproject_cell

PY = sys.executable
# what the cell's socks.py runs in pip's process: a marker, and a pyproject.toml the uv
# install after it cannot parse any more (it drops the settings that kept it local)
PAYLOAD = "open('socks-ran', 'w').write('x')\nopen('pyproject.toml', 'a').write('garbage [[[\\n')\n"


def _cell(kernel, reader: str, files: dict) -> str:
    """A cell writing the local pyproject.toml and ``files`` (relative path -> text), then
    running ``reader ; UV`` (the install alone without a reader)."""
    line = f"{reader} ; {UV}" if reader else UV
    code = local_pyproject_cell(kernel)
    for path, text in files.items():
        if "/" in path:
            code += f"os.makedirs({path.rpartition('/')[0]!r}, exist_ok=True)\n"
        code += f"open({path!r}, 'w').write({text!r})\n"
    code = code.replace("{", "{{").replace("}", "}}")
    return code + f"os.system({line!r})\n"


SOCKS = {"sub/socks.py": PAYLOAD}


@pytest.mark.parametrize(
    "reader",
    ["PYTHONPATH=sub pip list", f"PYTHONPATH=sub {PY} -m pip list", "PYTHONPATH=sub pip show pip"],
)
def test_a_pip_reader_importing_the_cells_module_is_refused(kernel, reader):
    # without Warden the cell's socks.py runs in pip and the install fetches from the
    # refused host; with Warden the line is refused before anything runs
    kernel.installs_unguarded(_cell(kernel, reader, SOCKS))
    assert (kernel.work / "socks-ran").exists()
    (kernel.work / "socks-ran").unlink()
    guarded = kernel.kept_out(_cell(kernel, reader, SOCKS))
    assert not (kernel.work / "socks-ran").exists(), guarded
    assert guarded["refused"] and "socks" in guarded["refused"], guarded


def test_a_pip_reader_alone_runs_no_module_of_the_cells(kernel):
    # alone on its line: the reader itself ran the cell's socks.py, without Warden's guard
    # (the line's PYTHONPATH replaced the guard's folder)
    guarded = kernel.cell(_cell(kernel, "", SOCKS).replace(UV, "PYTHONPATH=sub pip list"), True)
    assert not (kernel.work / "socks-ran").exists(), guarded
    assert guarded["refused"] and "sub/socks.py" in guarded["refused"], guarded


def test_a_package_named_like_pips_import_is_refused(kernel):
    # a package (not a module file) named like pip's optional `keyring` import: refused
    # whether or not this pip command reaches it (allowed and installed before the fix)
    files = {"src/keyring/__init__.py": PAYLOAD}
    guarded = kernel.kept_out(_cell(kernel, "PYTHONPATH=src pip list", files))
    assert guarded["refused"] and "keyring" in guarded["refused"], guarded


@pytest.mark.parametrize(
    "reader, files",
    [
        ("pip list", SOCKS),  # sub/ is not on its path: its socks.py is never imported
        ("pip show pip", {}),
        (f"{PY} -m pip list", {}),
        ("PYTHONPATH=src pip list", {"src/mypkg/__init__.py": "X = 1\n", "src/tool.py": ""}),
        ("PYTHONPATH=src pip show pip", {"src/mypkg/__init__.py": "X = 1\n"}),
    ],
)
def test_control_ordinary_pip_readers_stay_readers(kernel, reader, files):
    kernel.installs_locally(_cell(kernel, reader, files))
    assert not (kernel.work / "socks-ran").exists()
