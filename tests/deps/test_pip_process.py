"""``pip_process``: whether a guarded Python is pip's own command (red team 34 R34-9), read
piece by piece (the kernel-level shapes: test_redteam34_pip_allowance.py)."""

import os
import sys
import types

import pytest

from jupyterlab_warden.kernel.guard.installs import own_command, pip_process
from jupyterlab_warden.kernel.guard.installs.own_command import python_target, started_as

DISTLIB = """#!{python}
# -*- coding: utf-8 -*-
import re
import sys
from pip._internal.cli.main import main
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
    sys.exit(main())
"""
UV = """#!{python}
# -*- coding: utf-8 -*-
import sys
from pip._internal.cli.main import main
if __name__ == "__main__":
    if sys.argv[0].endswith("-script.pyw"):
        sys.argv[0] = sys.argv[0][:-11]
    elif sys.argv[0].endswith(".exe"):
        sys.argv[0] = sys.argv[0][:-4]
    sys.exit(main())
"""


@pytest.mark.parametrize(
    "argv, target",
    [
        (["py", "-m", "pip", "install"], ("module", "pip", False)),
        (["py", "-Im", "pip"], ("module", "pip", True)),
        (["py", "-mpip"], ("module", "pip", False)),
        (["py", "-W", "ignore", "-X", "utf8", "-m", "venv", "v"], ("module", "venv", False)),
        (["py", "-Wignore", "w.py"], ("script", "w.py", False)),
        (["py", "-c", "import pip"], ("command", "import pip", False)),
        (["py", "-"], ("", "", False)),
        (["py", "--check-hash-based-pycs", "always", "-P", "s.py"], ("script", "s.py", True)),
        (["py", "-E", "-s", "/v/bin/pip", "install"], ("script", "/v/bin/pip", False)),
    ],
)
def test_the_command_a_python_was_started_to_run(argv, target):
    assert python_target(argv) == target


def test_started_as_reads_joined_options():
    assert started_as(["py", "-Im", "venv", "v"]) == "venv"
    assert started_as(["py", "-c", "-m venv"]) == ""


@pytest.fixture()
def program_folder(tmp_path, monkeypatch):
    """A folder standing for this Python's program folder (its console scripts)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setattr(sys, "executable", str(folder / "python"))
    # the guard reads the boot's sys values (red team 49a: ``boot_sys``), not the live ones
    boot = types.SimpleNamespace(executable=sys.executable, prefix=sys.prefix)
    monkeypatch.setattr(pip_process, "BOOT_SYS", boot)
    return folder


LONG = DISTLIB.replace("#!{python}\n", "#!/bin/sh\n'''exec' \"{python}\" \"$0\" \"$@\"\n' '''\n")


@pytest.mark.parametrize("text", [DISTLIB, UV, LONG], ids=["distlib", "uv", "long-shebang"])
def test_pips_console_script_is_read_by_its_text(program_folder, text):
    script = program_folder / "pip3"
    script.write_text(text.format(python=sys.executable))
    why, identity = pip_process._read_pip_script(str(script))
    assert why == "" and identity == pip_process._identity(os.stat(script))


def test_a_console_script_that_runs_more_is_not_pips(program_folder, tmp_path):
    script = program_folder / "pip"
    script.write_text(DISTLIB.format(python=sys.executable) + "import evil\n")
    assert "runs more than pip's main" in pip_process._read_pip_script(str(script))[0]
    elsewhere = tmp_path / "pip"
    elsewhere.write_text(DISTLIB.format(python=sys.executable))
    assert "no console script" in pip_process._read_pip_script(str(elsewhere))[0]


# red team 35: what follows pip's launcher past 4,096 characters (R35-6), code in distlib's
# long-shebang line (R35-7: the path unquoted, or a string closed in a quoted one), a source
# encoding in which a comment hides lines, a lone carriage return (a line break to Python only)
NOT_PIPS = {
    "code-past-4096": DISTLIB + "\n" * 4200 + "import evil\n",
    "long-shebang-code": LONG.replace('"{python}"', "''' ; import evil ; '''"),
    "long-shebang-quote": LONG.replace('"{python}"', "\"'''; import evil; '''\""),
    "utf-7": DISTLIB.replace("#!{python}", "#!{python} -*- coding: utf-7 -*-"),
    "lone-cr": DISTLIB.replace("import sys\n", "import sys\rimport evil\n"),
    "too-large": DISTLIB + "#\n" * 9000,
}


@pytest.mark.parametrize("name", sorted(NOT_PIPS))
def test_a_console_script_is_read_whole_and_exactly(program_folder, name):
    script = program_folder / "pip3"
    script.write_bytes(NOT_PIPS[name].format(python=sys.executable).encode())
    why, identity = pip_process._read_pip_script(str(script))
    assert "is not pip's launcher" in why and identity is None


def test_the_console_script_python_runs_is_the_one_warden_read(program_folder):
    """R35-6: the script's code counts as pip's only while its file is the one read."""
    script = program_folder / "pip"
    script.write_text(DISTLIB.format(python=sys.executable))
    process = pip_process.PipProcess(["py", "-c", "pass"])
    process.folder = str(program_folder)
    process.script = str(script)
    process._script_id = pip_process._read_pip_script(str(script))[1]
    process.code_ran((compile("", str(script), "exec"),))
    assert process.own(), process.why
    script.write_text(DISTLIB.format(python=sys.executable))  # the same text, written again
    process.code_ran((compile("", str(script), "exec"),))
    assert not process.own() and "pip ran in it" in process.why


@pytest.mark.parametrize(
    "argv",
    [["py", "-i", "-m", "pip"], ["py", "-im", "pip"], ["py", "-Ii", "-m", "venv", "v"]],
)
def test_a_python_that_inspects_after_its_command_is_not_it(argv):
    """R35-5, R35-9: its session (its input) runs after the command."""
    assert own_command.inspects(argv)
    assert own_command.started_as(argv) == ""
    assert pip_process._pip_started(argv)[0] == ""


def test_pythoninspect_counts_unless_the_environment_is_ignored(monkeypatch):
    monkeypatch.setenv("PYTHONINSPECT", "1")
    assert own_command.started_as(["py", "-m", "venv", "v"]) == ""
    assert not own_command.inspects(["py", "-E", "-m", "venv", "v"])
    assert not own_command.inspects(["py", "-I", "-m", "pip"])
    monkeypatch.delenv("PYTHONINSPECT")
    assert not own_command.inspects(["py", "-m", "pip", "-i", "x"])  # pip's option
    assert started_as(["py", "-m", "venv", "v"]) == "venv"


def test_venv_writes_the_environments_its_line_names():
    """R35-9: `-m venv`'s pyvenv.cfg allowance is for its operands' environments."""
    assert own_command.venv_folders(["py", "-m", "venv", "--clear", "a", "b"]) == ("a", "b")
    assert own_command.venv_folders(["py", "-Imvenv", "v"]) == ("v",)
    assert own_command.venv_folders(["py", "-m", "venv", "--help"]) == ()
    assert own_command.venv_folders(["py", "-m", "pip", "v"]) == ()


@pytest.fixture()
def site(tmp_path, monkeypatch):
    """A site folder of this Python's holding pip's package."""
    folder = tmp_path / "site-packages"
    (folder / "pip").mkdir(parents=True)
    (folder / "pip" / "__init__.py").write_text("")
    monkeypatch.setattr(pip_process, "_site_folders", lambda: (str(folder),))
    return folder


def test_the_first_pip_on_the_search_path_is_the_site_folders(site, tmp_path, program_folder):
    (program_folder / "pip").write_text("#!/bin/sh\n")  # a program named pip: no module
    assert pip_process._site_pip([str(program_folder), str(site)]) == (str(site / "pip"), "")
    work = tmp_path / "work"
    work.mkdir()
    (work / "pip.conf").write_text("[global]\n")  # no module
    assert pip_process._site_pip([str(work), str(site)]) == (str(site / "pip"), "")
    (work / "pip.py").write_text("")
    folder, why = pip_process._site_pip([str(work), str(site)])
    assert folder == "" and "pip.py comes first" in why
    os.remove(work / "pip.py")
    (work / "pip").mkdir()  # a namespace folder is taken too: fail closed
    assert pip_process._site_pip([str(work), str(site)])[0] == ""


def test_code_of_another_place_ends_the_allowance(site, tmp_path):
    process = pip_process.PipProcess(["py", "-c", "pass"])
    process.folder = str(site / "pip")
    for trusted in ("<frozen importlib._bootstrap>", os.__file__, str(site / "pip" / "x.py")):
        process.code_ran((compile("", trusted, "exec"),))
    assert process.own(), process.why
    process.code_ran((compile("", str(tmp_path / "typing.py"), "exec"),))
    assert not process.own() and "typing.py ran in it" in process.why


def test_text_compiled_by_code_that_is_not_pips_ends_the_allowance(site):
    """R35-5: ``<stdin>`` (a session's input), ``<string>`` this test compiled: text counts
    only when a trusted file's code compiled it (pip's ``dataclasses``)."""
    for name in ("<stdin>", "<string>"):
        process = pip_process.PipProcess(["py", "-c", "pass"])
        process.folder = str(site / "pip")
        process.code_ran((compile("", name, "exec"),))
        assert not process.own() and name in process.why


def test_a_new_file_in_the_standard_library_ends_the_allowance(site, tmp_path, monkeypatch):
    """R35-8: a file there counts only when unchanged since the kernel started."""
    stdlib = tmp_path / "lib"
    stdlib.mkdir()
    (stdlib / "_manylinux.py").write_text("")
    roots = (pip_process._prefixes((str(site / "pip"),)), pip_process._prefixes((str(stdlib),)))
    monkeypatch.setattr(pip_process, "_trusted_roots", lambda folder: (*roots, ()))
    process = pip_process.PipProcess(["py", "-c", "pass"])
    process.folder = str(site / "pip")
    process.code_ran((compile("", str(stdlib / "_manylinux.py"), "exec"),))
    assert not process.own() and "_manylinux.py ran in it" in process.why


def test_a_site_module_written_after_the_kernel_started_ends_the_allowance(site):
    """A module a script wrote into a site folder (``_manylinux.py``, which pip imports when
    present) is no installed package's as the kernel started."""
    new = site / "_manylinux.py"
    new.write_text("")
    process = pip_process.PipProcess(["py", "-c", "pass"])
    process.folder = str(site / "pip")
    process.code_ran((compile("", str(new), "exec"),))
    assert not process.own() and "_manylinux.py" in process.why


def test_no_pip_command_no_reading():
    """The common start: no pip on its command line, nothing read, nothing allowed."""
    process = pip_process.PipProcess(["py", "w.py"])
    assert (process.folder, process.why) == ("", "") and not process.own()
    process.code_ran((compile("", "/tmp/x.py", "exec"),))
    assert process.why == ""


def _ensurepip_text(paths, args=("install", "--no-index")) -> str:
    return pip_process._ENSUREPIP.format(paths=list(paths), args=list(args))


def test_ensurepips_pip_runs_from_a_copy_of_its_bundled_wheel(tmp_path):
    """`python -m venv v` (3.11: ensurepip installs setuptools' .pth) runs pip from a copy
    of the wheel the standard library bundles, by command text: that pip is pip's own."""
    import shutil

    from jupyterlab_warden.kernel.guard.installs.own_python import OWN

    bundled = os.path.join(OWN.stdlib(), "ensurepip", "_bundled")
    wheels = (
        [n for n in os.listdir(bundled) if n.endswith(".whl")] if os.path.isdir(bundled) else []
    )
    if not any(n.startswith("pip-") for n in wheels):
        pytest.skip("this Python bundles no pip wheel")
    copies = []
    for name in wheels:
        shutil.copy(os.path.join(bundled, name), tmp_path / name)
        copies.append(str(tmp_path / name))
    pip = [c for c in copies if os.path.basename(c).startswith("pip-")][0]
    argv = ["py", "-W", "ignore::DeprecationWarning", "-c", _ensurepip_text(copies)]
    assert pip_process._pip_started(argv) == (os.path.join(pip, "pip"), "", "", None)
    # another wheel of that name, or more text, is not ensurepip's pip
    with open(pip, "ab") as handle:
        handle.write(b"\0")
    assert "none the standard library bundles" in pip_process._pip_started(argv)[1]
    argv[-1] = _ensurepip_text(copies) + "import shutil\n"
    assert pip_process._pip_started(argv)[:2] == ("", "")
    argv[-1] = "import os\n" + _ensurepip_text(copies)
    assert "otherwise than ensurepip" in pip_process._pip_started(argv)[1]
