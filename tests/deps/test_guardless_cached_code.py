"""A guardless Python's ``-m MOD`` runs cached bytecode in place of the source Warden read
(red team 11 R11-8): a pyc the import system takes without reading the source (unchecked
hash, or a timestamp pyc whose recorded time and size match the source) or an extension
module next to it makes the module unreadable; the kernel's own cache of that very source
does not. Malicious cases install warden-demo-pkg without Warden and are refused with it."""

import os
import py_compile
import sys

import pytest
from test_guardless_python import _installs_unguarded_then_refused, _pip_code

from jupyterlab_warden.kernel.guard.installs import cached_code, commands

UNCHECKED = py_compile.PycInvalidationMode.UNCHECKED_HASH
CHECKED = py_compile.PycInvalidationMode.CHECKED_HASH


def _cache(tmp_path, name="runme"):
    return tmp_path / "__pycache__" / f"{name}.{sys.implementation.cache_tag}.pyc"


def _compile(tmp_path, code, mode, name="runme"):
    """Compile ``code`` into runme's cache slot, as if it were runme.py's."""
    other = tmp_path / "other_src.py"
    other.write_text(code)
    py_compile.compile(str(other), cfile=str(_cache(tmp_path, name)), doraise=True,
                       invalidation_mode=mode)  # fmt: skip
    other.unlink()


def test_an_unchecked_hash_pyc_standing_in_for_a_module_is_refused(guarded, index, tmp_path):
    (tmp_path / "runme.py").write_text("print('hello')\n")
    _compile(tmp_path, _pip_code(tmp_path, index), UNCHECKED)
    command = [sys.executable, "-E", "-m", "runme"]
    _installs_unguarded_then_refused(guarded, index, tmp_path, command, "not checked")


def test_a_timestamp_pyc_forged_for_the_source_is_refused(guarded, index, tmp_path):
    source = tmp_path / "runme.py"
    source.write_text("print('hello')\n")
    _compile(tmp_path, _pip_code(tmp_path, index), py_compile.PycInvalidationMode.TIMESTAMP)
    stat = source.stat()
    pyc = bytearray(_cache(tmp_path).read_bytes())
    pyc[8:12] = (int(stat.st_mtime) & 0xFFFFFFFF).to_bytes(4, "little")
    pyc[12:16] = (stat.st_size & 0xFFFFFFFF).to_bytes(4, "little")
    _cache(tmp_path).write_bytes(bytes(pyc))
    command = [sys.executable, "-E", "-m", "runme"]
    _installs_unguarded_then_refused(guarded, index, tmp_path, command, "time and size")


@pytest.mark.parametrize("mode", list(py_compile.PycInvalidationMode))
def test_the_cache_of_the_source_itself_passes(mode, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "runme.py"
    source.write_text("import json\nprint(json.dumps({'a': [1, 2]}))\n")
    py_compile.compile(
        str(source), cfile=str(_cache(tmp_path)), doraise=True, invalidation_mode=mode
    )
    assert cached_code.stand_in(str(source)) == ""
    assert commands.invocations([sys.executable, "-E", "-m", "runme"]) == []


def test_a_stale_timestamp_pyc_passes(tmp_path):
    source = tmp_path / "runme.py"
    source.write_text("print('new')\n")
    _compile(
        tmp_path, "print('old one, not the same size')\n", py_compile.PycInvalidationMode.TIMESTAMP
    )
    os.utime(source, (1_000_000, 1_000_000))  # recompiled: the recorded time differs
    assert cached_code.stand_in(str(source)) == ""


def test_a_checked_hash_pyc_run_unchecked_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "runme.py").write_text("print('hello')\n")
    _compile(tmp_path, "import os\nos.system('id')\n", CHECKED)
    assert commands.invocations([sys.executable, "-E", "-m", "runme"]) == []
    for option in (["--check-hash-based-pycs", "never"], ["--check-hash-based-pycs=never"]):
        with pytest.raises(commands.Unreadable, match="not checked"):
            commands.invocations([sys.executable, *option, "-E", "-m", "runme"])


def test_another_pythons_pyc_or_an_extension_module_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "runme.py"
    source.write_text("print('hello')\n")
    other = tmp_path / "__pycache__" / "runme.cpython-312.pyc"
    other.parent.mkdir()
    other.write_bytes(b"\xcb\x0d\x0d\x0a" + (1).to_bytes(4, "little") + b"\0" * 8 + b"c")
    with pytest.raises(commands.Unreadable, match="cpython-312.pyc"):
        commands.invocations([sys.executable, "-E", "-m", "runme"])
    other.unlink()
    (tmp_path / "runme.cpython-312-x86_64-linux-gnu.so").write_bytes(b"\x7fELF")
    with pytest.raises(commands.Unreadable, match="extension module"):
        commands.invocations([sys.executable, "-E", "-m", "runme"])


def test_a_pycache_prefix_is_unreadable(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "runme.py").write_text("print('hello')\n")
    with pytest.raises(commands.Unreadable, match="compiled modules"):
        commands.invocations(
            [sys.executable, "-S", "-m", "runme"], env={"PYTHONPYCACHEPREFIX": "/tmp/c"}
        )
    with pytest.raises(commands.Unreadable, match="compiled modules"):
        commands.invocations([sys.executable, "-X", "pycache_prefix=/tmp/c", "-E", "-m", "runme"])


def test_a_script_that_is_compiled_code_or_an_archive_is_refused(guarded, index, tmp_path):
    import zipfile

    archive = tmp_path / "app.py"  # Python runs a zip's __main__.py, whatever the name
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("__main__.py", _pip_code(tmp_path, index))
    command = [sys.executable, "-I", str(archive)]
    _installs_unguarded_then_refused(guarded, index, tmp_path, command, "python -I")
    # text that decodes but holds a NUL byte is no source Python runs as read
    (tmp_path / "s.py").write_bytes(b"print(1)\n\0")
    _compile(tmp_path, "print(1)\n", UNCHECKED)
    for script in (tmp_path / "s.py", _cache(tmp_path)):
        with pytest.raises(commands.Unreadable, match="compiled code|cannot read"):
            commands.invocations([sys.executable, "-I", str(script)])
    with pytest.raises(commands.Unreadable, match="compiled code"):
        commands.invocations([sys.executable, "-I", str(tmp_path / "s.py")])


def test_a_source_encoding_that_turns_a_comment_into_code_is_refused(guarded, index, tmp_path):
    """Found while fixing R11-8: `# coding: unicode_escape` makes Python decode `\\x0a` in
    what Warden read as a comment into a new line of code (`\\x70ip`: no installer word)."""
    hidden = _pip_code(tmp_path, index).replace("\n", "\\x0a").replace("pip", "\\x70ip")
    script = tmp_path / "s.py"
    script.write_text(f"# -*- coding: unicode_escape -*-\nx = 1 #\\x0a{hidden}\n")
    command = [sys.executable, "-I", str(script)]
    _installs_unguarded_then_refused(guarded, index, tmp_path, command, "source encoding")
    for coding in ("latin-1", "utf-8", "ascii"):  # ASCII text reads the same: passes
        script.write_text(f"# -*- coding: {coding} -*-\nprint('hello')\n")
        assert commands.invocations([sys.executable, "-I", str(script)]) == []


def test_an_extension_module_in_an_earlier_folder_is_found_first(tmp_path, monkeypatch):
    """R11-8 gap: the module is located in the import system's order, folder by folder and in
    each folder extension modules first, any Python's tag (the child may be a Python 3.12,
    whose suffix the kernel's own PathFinder skips): an extension module in the working folder
    runs before the source in a PYTHONPATH folder Warden read."""
    monkeypatch.chdir(tmp_path)
    later = tmp_path / "src"
    later.mkdir()
    (later / "runme.py").write_text("print('hello')\n")
    argv = [sys.executable, "-S", "-m", "runme"]
    env = {"PYTHONPATH": str(later)}
    assert commands.invocations(argv, 0, env) == []  # the source is what runs: read, passes
    (tmp_path / "runme.cpython-312-x86_64-linux-gnu.so").write_bytes(b"\x7fELF")
    with pytest.raises(commands.Unreadable, match="extension module"):
        commands.invocations(argv, 0, env)
    (tmp_path / "runme.cpython-312-x86_64-linux-gnu.so").unlink()
    (tmp_path / "runme").mkdir()  # a namespace portion yields to the module found later
    assert commands.invocations(argv, 0, env) == []
    (tmp_path / "runme" / "__init__.abi3.so").write_bytes(b"\x7fELF")  # a package's, first
    (tmp_path / "runme" / "__init__.py").write_text("")
    (tmp_path / "runme" / "__main__.py").write_text("print('hello')\n")
    with pytest.raises(commands.Unreadable, match="extension module"):
        commands.invocations(argv, 0, env)
