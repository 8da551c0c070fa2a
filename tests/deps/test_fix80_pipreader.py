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

import os
import sys

import pytest
from launched import PYPROJECT_INSTALL as UV
from launched import local_pyproject_cell, reading_refusal

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


# -- the reading alone (no kernel): what counts, and where ------------------------------------

VENV_PIP = os.path.join(os.path.dirname(PY), "pip")


# what the refusal says: the file, and why it counts
SOCKS_SAYS = "sub/socks.py (socks is a module pip's own files import)"


@pytest.mark.parametrize(
    "argv, files, env, refused",
    [
        ([VENV_PIP, "list"], {"sub/socks.py": ""}, {"PYTHONPATH": "sub"}, SOCKS_SAYS),
        (
            [VENV_PIP, "freeze"],
            {"sub/truststore/__init__.py": ""},
            {"PYTHONPATH": "sub"},
            "sub/truststore (truststore is a module pip's own files import)",
        ),
        # a standard module pip's start reaches, before the standard library
        (
            [VENV_PIP, "list"],
            {"sub/selectors.py": ""},
            {"PYTHONPATH": "sub"},
            "sub/selectors.py (selectors stands for a standard module pip's start reaches)",
        ),
        # -m pip: the working folder comes first (its pip/: refused by R38b-3's rule already)
        ([PY, "-m", "pip", "list"], {"sub/socks.py": ""}, {"PYTHONPATH": "sub"}, SOCKS_SAYS),
        ([PY, "-m", "pip", "list"], {"socks.py": ""}, {}, "/socks.py (socks is"),
        ([PY, "-m", "pip", "list"], {"sub/pip/__init__.py": ""}, {"PYTHONPATH": "sub"}, "sub/pip"),
        # allowed: no name pip imports; -P keeps the working folder off the path; a namespace
        # pip/ yields to the installed pip; a standard name pip's start does not reach; a
        # pip program's path starts with its own folder, not the working one
        (
            [VENV_PIP, "list"],
            {"src/mypkg/__init__.py": "", "src/tool.py": ""},
            {"PYTHONPATH": "src"},
            "",
        ),
        ([PY, "-P", "-m", "pip", "list"], {"socks.py": ""}, {}, ""),
        ([PY, "-m", "pip", "list"], {"pip/notes.txt": ""}, {}, ""),
        ([VENV_PIP, "list"], {"sub/turtle.py": ""}, {"PYTHONPATH": "sub"}, ""),
        ([VENV_PIP, "list"], {"socks.py": ""}, {}, ""),
    ],
)
def test_reading(tmp_path, argv, files, env, refused):
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    found = reading_refusal(argv, tmp_path, env)
    if refused:
        assert refused in found, found
    else:
        assert found == "", found


def test_an_installing_pip_is_left_to_its_own_rules(tmp_path):
    # pip install keeps its decision in its process (or is refused as guardless): not this rule
    (tmp_path / "socks.py").write_text("")
    found = reading_refusal([PY, "-m", "pip", "install", "--no-index", "x"], tmp_path, {})
    assert "pip imports" not in found, found


def test_the_names_are_read_from_pips_files(tmp_path):
    from jupyterlab_warden.kernel.guard.installs import pip_imports

    package = tmp_path / "pip"
    (package / "_vendor").mkdir(parents=True)
    (package / "__init__.py").write_text(
        '"""Docs."""\nfrom . import sibling\nfrom ._vendor import x\n'
        "try: import optional_one\nexcept ImportError: pass\n"
        "x = 1; import hidden_two\n"
        "def f():\n    import in_function\n    __import__('by_literal')\n"
    )
    (package / "_vendor" / "__init__.py").write_text("import a_top, b_top as b\n")
    names = pip_imports.names_of(str(package))
    assert {"optional_one", "hidden_two", "in_function", "by_literal", "a_top", "b_top"} <= names
    assert not {"sibling", "_vendor", "x", "b"} & names, names
    # kept per installation while its __init__.py stays: a new one is read again
    (package / "__init__.py").write_text("import other_three\n")
    assert "other_three" in pip_imports.names_of(str(package))
