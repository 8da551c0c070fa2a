"""Red team 32 R32-3: the guard of a Python the kernel starts refuses creating or replacing a
start-up name (a ``.pth``, ``sitecustomize``, a module a ``.pth`` imports, a start-up module of
the standard library) in a site folder or a standard library, and starting a writer that
writes one (``installs.start_writes``). The kernel itself, and a pip install the gate allowed,
write them. The pytest process's guard is such a Python (not a kernel)."""

import io
import os
import pathlib
import shutil
import subprocess

import pytest

from jupyterlab_warden.kernel.guard.installs import WardenBlockedInstall


@pytest.fixture()
def site(guard, tmp_path):
    """A site folder whose .pth imports zz_hook, made as the kernel makes files."""
    folder = tmp_path / "lib" / "python3.11" / "site-packages"
    folder.mkdir(parents=True)
    guard.installs.kernel = True
    try:
        (folder / "hook.pth").write_text("import zz_hook\n")
    finally:
        guard.installs.kernel = False
    (tmp_path / "p.pth").write_text("import sys\n")
    return folder


WRITES = {
    "open a .pth": lambda s: open(s / "zz.pth", "w"),
    "shutil.copy a .pth": lambda s: shutil.copy(s.parent.parent.parent / "p.pth", s / "zz.pth"),
    "os.replace a .pth": lambda s: os.replace(s.parent.parent.parent / "p.pth", s / "zz.pth"),
    "os.symlink a .pth": lambda s: os.symlink(s.parent.parent.parent / "p.pth", s / "zz.pth"),
    "os.open sitecustomize": lambda s: os.open(s / "sitecustomize.py", os.O_WRONLY | os.O_CREAT),
    "a package's file": lambda s: (
        (s / "usercustomize").mkdir() or open(s / "usercustomize/a.py", "w")
    ),
    "bytecode": lambda s: (
        (s / "__pycache__").mkdir() or open(s / "__pycache__/sitecustomize.cpython-311.pyc", "wb")
    ),
    "a module a .pth imports": lambda s: open(s / "zz_hook.py", "w"),
    "the standard library's start": lambda s: open(s.parent / "codecs.py", "w"),
    "a link's way to the site folder": lambda s: (
        os.symlink(s, s.parent.parent.parent / "l")
        or open(s.parent.parent.parent / "l" / "zz.pth", "w")
    ),
    "os.open with a dir_fd": lambda s: os.open(
        "zz.pth", os.O_WRONLY | os.O_CREAT, dir_fd=os.open(s, os.O_RDONLY)
    ),
    "os.replace with a dst_dir_fd": lambda s: os.replace(
        s.parent.parent.parent / "p.pth", "zz.pth", dst_dir_fd=os.open(s, os.O_RDONLY)
    ),
    "os.symlink with a dir_fd": lambda s: os.symlink(
        s.parent.parent.parent / "p.pth", "zz.pth", dir_fd=os.open(s, os.O_RDONLY)
    ),
    "a link as the last component (R33-1)": lambda s: (
        os.symlink(s / "zz.pth", s.parent.parent.parent / "lnk")
        or open(s.parent.parent.parent / "lnk", "w")
    ),
    "a relative link as the last component (R33-1)": lambda s: (
        os.symlink(s / "zz.pth", s.parent.parent.parent / "lnk")
        or os.chdir(s.parent.parent.parent)
        or open("lnk", "w")
    ),
    "a descriptor's /proc/self/fd link (R33-1)": lambda s: open(
        f"/proc/self/fd/{os.open(s / 'hook.pth', os.O_RDONLY)}", "a"
    ),
    "os.link of an existing .pth (R33-1)": lambda s: os.link(
        s / "hook.pth", s.parent.parent.parent / "lnk"
    ),
    "a venv's pyvenv.cfg replaced (R33-3)": lambda s: (
        _venv(s) and open(_venv(s) / "pyvenv.cfg", "w")
    ),
    "a venv's pyvenv.cfg by os.replace (R33-3)": lambda s: os.replace(
        s.parent.parent.parent / "p.pth", _venv(s) / "pyvenv.cfg"
    ),
    "pyvenv.cfg beside the program (R33-3)": lambda s: open(_venv(s) / "bin" / "pyvenv.cfg", "w"),
    "<program>._pth (R33-4)": lambda s: open(_venv(s) / "bin" / "python._pth", "w"),
    "python311._pth by os.symlink (R33-4)": lambda s: os.symlink(
        s.parent.parent.parent / "p.pth", _venv(s) / "bin" / "python311._pth"
    ),
    "<libpython>._pth (R33-4)": lambda s: open(_venv(s) / "lib" / "libpython3.11.so._pth", "w"),
    "io.FileIO with a path object (R35-4)": lambda s: io.FileIO(s / "zz.pth", "w"),
    "a relative name with the folder held open (R35-2)": lambda s: (
        _held(s) and os.open("zz.pth", os.O_WRONLY | os.O_CREAT, dir_fd=_held(s))
    ),
    "cp, started": lambda s: subprocess.run(["cp", str(s.parent.parent.parent / "p.pth"), str(s)]),
    "a shell redirection": lambda s: os.system("echo import sys > " + str(s / "zz.pth")),
}


_HELD: dict = {}


def _held(folder) -> int:
    """A descriptor of ``folder`` held open (closed by ``_close_held``)."""
    if str(folder) not in _HELD:
        _HELD[str(folder)] = os.open(folder, os.O_RDONLY)
    return _HELD[str(folder)]


@pytest.fixture(autouse=True)
def _close_held():
    yield
    while _HELD:
        os.close(_HELD.popitem()[1])


def _venv(site):
    """A venv's root beside the site fixture's: ``bin/python``, ``lib/libpython3.11.so``, an
    existing ``pyvenv.cfg`` (a guarded child may make these: none is a start-up name alone)."""
    root = site.parent.parent.parent / "venv"
    if not root.exists():
        (root / "bin").mkdir(parents=True)
        (root / "lib").mkdir()
        (root / "bin" / "python").write_text("")
        (root / "lib" / "libpython3.11.so").write_text("")
        (root / "pyvenv.cfg").write_text("home = /usr/bin\n")
    return root


@pytest.mark.parametrize("name", list(WRITES))
def test_a_start_up_name_in_a_site_folder_is_refused(guard, site, name, monkeypatch):
    monkeypatch.chdir(site.parent.parent.parent)
    with pytest.raises(WardenBlockedInstall, match="as it starts"):
        WRITES[name](site)
    assert sorted(p.name for p in site.iterdir() if p.name != "usercustomize") in (
        ["hook.pth"],
        ["__pycache__", "hook.pth"],
    )
    assert [e["rule_id"] for e in guard.events] == ["install-unreadable"]


def test_other_files_and_other_folders_are_written(guard, site, tmp_path):
    (site / "data.csv").write_text("1")  # not a start-up name
    (site / "pkg").mkdir()
    (site / "pkg" / "mod.py").write_text("")
    (tmp_path / "os.py").write_text("")  # a start-up name outside a site folder
    shutil.copy(tmp_path / "p.pth", tmp_path / "elsewhere.pth")
    subprocess.run(["cp", str(tmp_path / "p.pth"), str(site / "data2.csv")], check=True)
    assert guard.events == []


def test_the_kernel_writes_them(guard, site):
    gate = guard.installs
    gate.kernel = True
    try:
        (site / "kernel.pth").write_text("")
    finally:
        gate.kernel = False
    assert (site / "kernel.pth").exists()


def test_code_not_pips_inside_an_allowed_install_writes_none(guard, site, tmp_path):
    """Red team 33 R33-8: a script replaces the install command's run and calls pip with an
    install the gate allows; its run, not pip's code, writes no .pth (an allowed pip's own
    install writing one: tests/deps/test_redteam32_places.py)."""
    from pip._internal.commands import create_command

    command = create_command("install")
    command.run = lambda options, args: shutil.copy(tmp_path / "p.pth", site / "zz.pth")
    command.main(["--no-index", "-q", "--target", str(tmp_path / "t"), "x"])
    assert not (site / "zz.pth").exists()
    assert any("zz.pth" in e.get("message", "") for e in guard.events), guard.events


def test_a_pip_install_decided_outside_its_command_allows_no_write(guard, site, tmp_path):
    """The allowance is the span of pip's own command (``Command.main``): pip's options parsed
    alone, or a command that returned, leave the script that called it without it (red team
    33: `create_command("install").parse_args([...])` then shutil.copy of a .pth)."""
    from pip._internal.commands import create_command

    create_command("install").parse_args(["--no-index", "nothing"])
    with pytest.raises(WardenBlockedInstall, match="as it starts"):
        shutil.copy(tmp_path / "p.pth", site / "zz.pth")
    create_command("install").main(["--no-index", "-q", "--target", str(tmp_path / "t"), "x"])
    with pytest.raises(WardenBlockedInstall, match="as it starts"):
        shutil.copy(tmp_path / "p.pth", site / "zz.pth")
    assert not (site / "zz.pth").exists()


def test_a_second_name_made_before_writes_no_start_up_file(guard, site, tmp_path, monkeypatch):
    """A hard link to a .pth of this Python's site folder, made before (by the kernel): an open
    for writing of a file with more than one name reads its inode (red team 33 R33-1)."""
    from jupyterlab_warden.kernel.guard.installs import start_writes

    sites, own = start_writes._own_folders()
    monkeypatch.setitem(start_writes._FOUND, "own", (sites, [*own, str(site)]))
    monkeypatch.delitem(start_writes._FOUND, "inodes", raising=False)
    guard.installs.kernel = True
    try:
        os.link(site / "hook.pth", tmp_path / "lnk")
    finally:
        guard.installs.kernel = False
    with pytest.raises(WardenBlockedInstall, match="as it starts"):
        open(tmp_path / "lnk", "a")
    assert (site / "hook.pth").read_text() == "import zz_hook\n"


def test_a_data_file_with_two_names_is_written(guard, site, tmp_path):
    """False refusal guard: a file with more than one name outside any site folder."""
    (tmp_path / "data.csv").write_text("1")
    os.link(tmp_path / "data.csv", tmp_path / "data2.csv")
    with open(tmp_path / "data2.csv", "a") as f:
        f.write("2")
    os.symlink(tmp_path / "data.csv", tmp_path / "data3.csv")
    with open(tmp_path / "data3.csv", "a") as f:
        f.write("3")
    assert (tmp_path / "data.csv").read_text() == "123"
    assert guard.events == []


def test_a_new_venv_is_made(guard, tmp_path):
    """False refusal guard (R33-3): ``python -m venv`` writes its new folder's ``pyvenv.cfg``
    before its program; a ``._pth`` and a ``pyvenv.cfg`` in a folder with no Python are data."""
    import venv

    venv.EnvBuilder(symlinks=True, with_pip=False).create(tmp_path / "newenv")
    assert (tmp_path / "newenv" / "pyvenv.cfg").exists()
    (tmp_path / "x._pth").write_text("")
    (tmp_path / "pyvenv.cfg").write_text("")
    assert guard.events == []


GUARD_WRITES = {
    "a boot file": lambda boot, tmp: open(boot / "zz_r33.py", "a"),
    "a new module in boot/site": lambda boot, tmp: open(boot / "site" / "zz_r33_new.py", "w"),
    "through a folder link": lambda boot, tmp: (
        os.symlink(boot, tmp / "b") or open(tmp / "b" / "zz_r33.py", "a")
    ),
    "through a file link": lambda boot, tmp: (
        os.symlink(boot / "zz_r33.py", tmp / "f") or open(tmp / "f", "a")
    ),
    "a relative name from a held descriptor (R35-2)": lambda boot, tmp: os.open(
        "zz_r33.py", os.O_WRONLY | os.O_APPEND, dir_fd=_held(boot)
    ),
    "a relative name below a held descriptor (R35-2)": lambda boot, tmp: os.open(
        "site/zz_r33_new.py", os.O_WRONLY | os.O_CREAT, dir_fd=_held(boot)
    ),
    "os.replace over it": lambda boot, tmp: os.replace(tmp / "p.pth", boot / "zz_r33.py"),
    "os.rename it away": lambda boot, tmp: os.rename(boot / "zz_r33.py", tmp / "old.py"),
    "os.link of it": lambda boot, tmp: os.link(boot / "zz_r33.py", tmp / "h"),
}


@pytest.fixture()
def boot(guard):
    """Warden's boot folder (``launch_env.SITE_DIR``'s), with a file of its own made and
    removed as the kernel makes files: a failing case writes no file the package runs."""
    import jupyterlab_warden.kernel.boot.launch_env as launch_env

    folder = pathlib.Path(launch_env.SITE_DIR).parent
    guard.installs.kernel = True
    try:
        (folder / "zz_r33.py").write_text("")
    finally:
        guard.installs.kernel = False
    yield folder
    guard.installs.kernel = True
    try:
        for path in (folder / "zz_r33.py", folder / "site" / "zz_r33_new.py"):
            path.unlink(missing_ok=True)
    finally:
        guard.installs.kernel = False


@pytest.mark.parametrize("name", list(GUARD_WRITES))
def test_warden_s_own_boot_and_package_are_not_written(guard, boot, tmp_path, name):
    """Red team 33 R33-2: every guarded Python boots from Warden's package (``boot/site`` on
    its PYTHONPATH, ``site_boot.py``): a guarded child writes no file under it."""
    (tmp_path / "p.pth").write_text("import sys\n")
    with pytest.raises(WardenBlockedInstall, match="as it starts"):
        GUARD_WRITES[name](boot, tmp_path)
    assert (boot / "zz_r33.py").read_text() == ""
    assert not (boot / "site" / "zz_r33_new.py").exists()
    assert [e["rule_id"] for e in guard.events] == ["install-unreadable"]


@pytest.fixture()
def boot_cache(guard):
    """Warden's boot ``__pycache__``, without a failed run's ``zz_r33`` bytecode."""
    import jupyterlab_warden.kernel.boot.launch_env as launch_env

    cache = pathlib.Path(launch_env.__file__).parent / "__pycache__"
    guard.installs.kernel = True
    try:
        cache.mkdir(exist_ok=True)  # a new folder: its place decides
        for name in ("zz_r33.cpython-311.pyc", "zz_r33.cpython-311.pyc.1234"):
            (cache / name).unlink(missing_ok=True)
    finally:
        guard.installs.kernel = False
    return cache


def test_warden_s_bytecode_is_refused_quietly(guard, boot_cache):
    """Its bytecode as the import system writes it (``NAME.pyc.ID``, renamed after): a
    PermissionError it takes as a read-only folder."""
    with pytest.raises(PermissionError):
        open(boot_cache / "zz_r33.cpython-311.pyc.1234", "wb")
    assert not (boot_cache / "zz_r33.cpython-311.pyc.1234").exists()
    assert guard.events == []


BYTECODE_WRITES = {
    "by its name": lambda cache: open(cache / "zz_r33.cpython-311.pyc", "wb"),
    "through a held descriptor (R35-2)": lambda cache: os.open(
        "zz_r33.cpython-311.pyc", os.O_WRONLY | os.O_CREAT, dir_fd=_held(cache)
    ),
    "through a held descriptor of the boot folder (R35-2)": lambda cache: os.open(
        "__pycache__/zz_r33.cpython-311.pyc", os.O_WRONLY | os.O_CREAT, dir_fd=_held(cache.parent)
    ),
}


@pytest.mark.parametrize("name", list(BYTECODE_WRITES))
def test_warden_s_bytecode_written_by_code_is_refused(guard, boot_cache, name):
    """Red team 35 R35-2: bytecode written by code (not the import system's form, which
    renames it after) is refused and recorded: a guarded Python runs it at its boot."""
    with pytest.raises(WardenBlockedInstall, match="as it starts"):
        BYTECODE_WRITES[name](boot_cache)
    assert not (boot_cache / "zz_r33.cpython-311.pyc").exists()
    assert [e["rule_id"] for e in guard.events] == ["install-unreadable"]


def test_relative_writes_with_folders_held_open(guard, site, tmp_path, monkeypatch):
    """False refusal guard (R35-2): a relative name opened for writing while folders are held
    open (the working folder's, a temporary folder's, a scandir's) is written when none of
    them is a protected place; a site folder held, its data files too."""
    import tempfile

    monkeypatch.chdir(tmp_path)
    with tempfile.TemporaryDirectory() as other:
        _held(tmp_path), _held(other), _held(site)
        with os.scandir(tmp_path) as entries:
            next(entries, None)
            open("out.csv", "w").write("1")
            os.open("run.py", os.O_WRONLY | os.O_CREAT, dir_fd=_held(other))
            os.open("data.csv", os.O_WRONLY | os.O_CREAT, dir_fd=_held(site))
            pathlib.Path("notes.txt").write_text("x")
    assert (tmp_path / "out.csv").read_text() == "1"
    assert guard.events == []


class _Named:
    """A path object of the user's: its ``__fspath__`` may answer otherwise when asked again."""

    def __init__(self, path):
        self.path = str(path)

    def __fspath__(self):
        return self.path


class _Spelled(str):
    """A str whose own methods say another name than its data."""

    def endswith(self, *args):
        return False

    def rfind(self, *args):
        return -1


def test_a_path_object_opened_for_writing(guard, site, tmp_path):
    """Red team 35 R35-4: ``io.FileIO`` audits the object it was given. A pathlib path is
    read by its text (written elsewhere, refused in a site folder: ``WRITES``); a str
    subclass by its data; another path object is refused (it is asked again)."""
    io.FileIO(tmp_path / "a.bin", "w").close()
    io.FileIO(pathlib.PurePosixPath(tmp_path / "b.bin"), "w").close()
    open(pathlib.Path(tmp_path / "c.txt"), "w").close()
    assert guard.events == []
    with pytest.raises(WardenBlockedInstall, match="_Named"):
        io.FileIO(_Named(tmp_path / "d.bin"), "w")
    assert not (tmp_path / "d.bin").exists()
    with pytest.raises(WardenBlockedInstall, match="as it starts"):
        io.FileIO(_Spelled(site / "zz.pth"), "w")
    assert not (site / "zz.pth").exists()


# red team 34 R34-6b: taking a file of the package away, or making it unreadable, is a guard
# the next Python does not have
GUARD_REMOVALS = {
    "os.remove": lambda boot: os.remove(boot / "zz_r33.py"),
    "os.unlink with a dir_fd": lambda boot: os.unlink("zz_r33.py", dir_fd=os.open(boot, 0)),
    "os.truncate": lambda boot: os.truncate(boot / "zz_r33.py", 0),
    "os.ftruncate": lambda boot: os.ftruncate(os.open(boot / "zz_r33.py", os.O_RDONLY), 0),
    "os.chmod unreadable": lambda boot: os.chmod(boot / "zz_r33.py", 0o200),
    "os.chmod a folder unsearchable": lambda boot: os.chmod(boot / "zz_r33_dir", 0o600),
    "os.rmdir": lambda boot: os.rmdir(boot / "zz_r33_dir"),
    "shutil.rmtree": lambda boot: shutil.rmtree(boot / "zz_r33_dir"),
}


@pytest.mark.parametrize("name", list(GUARD_REMOVALS))
def test_warden_s_own_package_is_not_taken_away(guard, boot, name):
    guard.installs.kernel = True
    try:
        (boot / "zz_r33.py").write_text("x = 1\n")
        (boot / "zz_r33_dir").mkdir(exist_ok=True)
    finally:
        guard.installs.kernel = False
    try:
        with pytest.raises(WardenBlockedInstall, match="as it starts"):
            GUARD_REMOVALS[name](boot)
        assert (boot / "zz_r33.py").read_text() == "x = 1\n"
        assert (boot / "zz_r33_dir").is_dir()
        assert [e["rule_id"] for e in guard.events] == ["install-unreadable"]
    finally:
        guard.installs.kernel = True
        try:
            (boot / "zz_r33.py").chmod(0o644)
            (boot / "zz_r33_dir").chmod(0o755)
            (boot / "zz_r33_dir").rmdir()
        finally:
            guard.installs.kernel = False


def test_other_files_are_removed_and_their_modes_changed(guard, tmp_path):
    """False refusal guard: removals and modes elsewhere, a site folder's start-up module
    and .pth included (``pip uninstall``; the folders behind it are the guard's to write)."""
    site = tmp_path / "v" / "lib" / "python3.11" / "site-packages"
    guard.installs.kernel = True
    try:
        (site / "_distutils_hack").mkdir(parents=True)
        (site / "_distutils_hack" / "__init__.py").write_text("")
        (site / "distutils-precedence.pth").write_text("import _distutils_hack\n")
    finally:
        guard.installs.kernel = False
    (tmp_path / "f").write_text("1")
    os.chmod(tmp_path / "f", 0o200)
    os.truncate(tmp_path / "f", 0)
    os.remove(tmp_path / "f")
    shutil.rmtree(site / "_distutils_hack")
    os.remove(site / "distutils-precedence.pth")
    shutil.rmtree(tmp_path / "v")
    assert guard.events == []


@pytest.fixture()
def path_line(guard, tmp_path, monkeypatch):
    """A folder a path line of this Python's own site folders adds (``proj``, not made yet),
    whose .pth files import ``zz_hook`` (the rule's reading, set as it would have found it)."""
    from jupyterlab_warden.kernel.guard.installs import start_writes

    proj = tmp_path / "proj"
    parts = frozenset(part for part in str(proj).split("/") if part)
    lines = (frozenset({str(proj)}), frozenset(), parts)
    monkeypatch.setitem(start_writes._FOUND, "lines", lines)
    names = frozenset(("sitecustomize", "usercustomize", "zz_hook"))
    monkeypatch.setitem(start_writes._FOUND, "line_names", names)
    return proj


PATH_LINE_WRITES = {
    "sitecustomize": lambda proj, tmp: proj.mkdir() or open(proj / "sitecustomize.py", "w"),
    "a module a .pth imports": lambda proj, tmp: proj.mkdir() or open(proj / "zz_hook.py", "w"),
    "its package": lambda proj, tmp: (
        (proj / "zz_hook").mkdir(parents=True) or open(proj / "zz_hook" / "__init__.py", "w")
    ),
    "its bytecode": lambda proj, tmp: (
        (proj / "__pycache__").mkdir(parents=True)
        or open(proj / "__pycache__" / "zz_hook.cpython-311.pyc", "wb")
    ),
    "a file in the folder's place (an archive)": lambda proj, tmp: open(proj, "wb"),
    "a folder holding one renamed there": lambda proj, tmp: (
        (tmp / "kit").mkdir()
        or (tmp / "kit" / "usercustomize.py").touch()
        or os.rename(tmp / "kit", proj)
    ),
    "a link to such a folder there": lambda proj, tmp: (
        (tmp / "kit").mkdir()
        or (tmp / "kit" / "sitecustomize.py").touch()
        or os.symlink("kit", proj)
    ),
}


@pytest.mark.parametrize("name", list(PATH_LINE_WRITES))
def test_a_start_up_name_in_a_path_lines_folder_is_refused(guard, path_line, tmp_path, name):
    with pytest.raises(WardenBlockedInstall, match="as it starts"):
        PATH_LINE_WRITES[name](path_line, tmp_path)
    assert [e["rule_id"] for e in guard.events] == ["install-unreadable"]


def test_the_project_in_a_path_lines_folder_is_written(guard, path_line, tmp_path):
    """False refusal guard: the user's project (modules, packages, data) and a folder
    without start-up names renamed there."""
    (tmp_path / "kit").mkdir()
    (tmp_path / "kit" / "model.py").write_text("")
    os.rename(tmp_path / "kit", path_line)
    (path_line / "train.py").write_text("x = 1")
    (path_line / "pkg").mkdir()
    (path_line / "pkg" / "__init__.py").write_text("")
    (path_line / "__pycache__").mkdir()
    (path_line / "__pycache__" / "train.cpython-311.pyc").write_bytes(b"")
    os.replace(path_line / "train.py", path_line / "run.py")
    os.remove(path_line / "run.py")
    assert guard.events == []
