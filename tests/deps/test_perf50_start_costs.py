"""What perf50 took off the common start, shown to decide as before.

- ``path_programs.new_programs`` asks no effective uid (perf50 asked it once per call for
  root's ``access`` answer, which red team 86 F4 took off: it answers for the kernel, not its
  child): every kept file is read by ``lstat``, and a file made executable in the second
  folder between two starts is found;
- ``FROZEN``'s ``__import__`` (``private_modules.sealed_import`` since mods 67) answers an
  import of a shared module loaded already (``os.get_exec_path``'s ``import warnings``, in the
  guard's copy of it, at every Popen start) as its sealed path did, without that path's six
  Python frames;
- a guarded child's start reaches ``start_writes`` and ``interpreters`` through module
  references kept on first use: an import statement there ran the guard's ``__import__``
  (Python code, in a sealed guard) at every start. The answers are the modules' own.
"""

import builtins
import os
import sys
import sysconfig
import time
import types

import pytest

from jupyterlab_warden.kernel.guard.installs import gate, line_writers, path_programs


@pytest.fixture()
def two_folders(tmp_path, monkeypatch):
    """Two PATH folders, each keeping a file not executable (as a venv's activate scripts and
    /usr/local/bin's LICENSE.txt), their listings kept."""
    monkeypatch.setattr(path_programs, "_SETTLED", 0.0)  # keep every listing
    monkeypatch.setattr(path_programs, "_started", time.time() - 5)
    folders = []
    for name in ("venv-bin", "local-bin"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "activate").write_text("# sourced, not run\n")
        folders.append(folder)
    path_programs._FOLDERS.clear()
    path_programs._SEARCHES.clear()
    return folders


def _counting(monkeypatch, name, answer=None):
    calls = []
    real = getattr(os, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return answer(len(calls)) if answer is not None else real(*args, **kwargs)

    monkeypatch.setattr(os, name, counted)
    return calls


def test_the_effective_uid_is_not_asked_per_start(two_folders, monkeypatch):
    """Red team 86 F4 took root's ``access`` answer off (it answers for the kernel, whose
    children regain the capabilities it dropped): no uid is asked at a start."""
    search = os.pathsep.join(map(str, two_folders))
    asked = _counting(monkeypatch, "geteuid", lambda n: 0)
    assert path_programs.new_programs(search) == []
    assert path_programs.new_programs(search) == []
    assert asked == []


def test_a_root_kernel_reads_its_kept_files_by_lstat(two_folders, monkeypatch):
    """Root or not, each kept file is ``lstat``ed (its mode decides: a child of a root kernel
    that cleared its capabilities runs any file with an execute bit), never ``access``ed."""
    search = os.pathsep.join(map(str, two_folders))
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    accessed = _counting(monkeypatch, "access")
    statted = _counting(monkeypatch, "lstat")
    path_programs.new_programs(search)  # listed: the folders' ways are lstat'ed too
    assert not [a for a in accessed if str(a[0]).endswith("/activate")]
    kept = sorted(str(a[0]) for a in statted if str(a[0]).endswith("/activate"))
    assert kept == sorted(str(f / "activate") for f in two_folders)
    made = two_folders[1] / "activate"
    made.chmod(0o755)  # made a program file: its ctime, not its folder's mtime, changes
    statted.clear()
    assert path_programs.new_programs(search) == [str(made)]
    assert sorted(str(a[0]) for a in statted) == sorted(str(f / "activate") for f in two_folders)


def test_a_file_made_executable_in_a_later_folder_is_found_as_root(two_folders, monkeypatch):
    search = os.pathsep.join(map(str, two_folders))
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    assert path_programs.new_programs(search) == []
    made = two_folders[1] / "activate"
    made.chmod(0o755)
    assert path_programs.new_programs(search) == [str(made)]


def _imports(monkeypatch):
    made = []
    real = builtins.__import__

    def counted(name, *args, **kwargs):
        made.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", counted)
    return made


def test_a_childs_common_start_runs_no_import_statement(tmp_path, monkeypatch):
    line_writers.may_write("true")  # the first start loads the modules
    gate._may_reach_start_places(["true"], str(tmp_path))
    made = _imports(monkeypatch)
    assert line_writers.may_write("true") is False
    assert gate._may_reach_start_places(["true"], str(tmp_path)) is False
    assert made == []


def test_the_kept_modules_answer_as_their_own_functions(tmp_path, monkeypatch):
    """Read through the module at each call: what the module holds now decides (a site
    folder by inode; an interpreter whose inline code may write)."""
    site = sysconfig.get_paths()["purelib"]
    assert gate._may_reach_start_places(["true"], site) is True
    assert line_writers.may_write("awk") is True
    from jupyterlab_warden.kernel.guard.installs import interpreters, start_writes

    monkeypatch.setattr(start_writes, "own_folder", lambda fst: True)
    assert gate._may_reach_start_places(["true"], str(tmp_path)) is True
    monkeypatch.setattr(interpreters, "code_writer_name", lambda name: name == "true")
    # its answers are kept per name (perf67: a pure function of the name and the tables, read
    # once); dropped, the module's function as it is now answers again
    monkeypatch.setattr(line_writers, "_MAY_WRITE", {})
    assert line_writers.may_write("true") is True


def test_a_shared_module_loaded_already_is_the_processs_without_the_private_path(monkeypatch):
    """``os.get_exec_path``'s ``import warnings`` (the guard's copy runs it at every Popen
    start): the process's module, as the sealed path's ``boot_import`` gave it; any other
    import still goes the sealed path (the private copies). ``FROZEN``'s ``__import__`` once
    sealed is ``private_modules.sealed_import`` (mods 67); before, ``frozen_builtins``' own
    answers shared modules the same way."""
    from jupyterlab_warden.kernel.guard import frozen_builtins, private_modules

    asked = []
    monkeypatch.setattr(
        private_modules, "guard_import", lambda *args: asked.append(args) or "private"
    )
    sealed = private_modules.sealed_import
    for answer in (sealed, frozen_builtins.guard_import):
        assert answer("warnings") is sys.modules["warnings"]
        assert answer("warnings", {}, None, [], 0) is sys.modules["warnings"]
    assert asked == []
    planted = types.ModuleType("warnings")
    monkeypatch.setitem(sys.modules, "warnings", planted)
    assert sealed("warnings") is planted  # open, as before: the process's
    for args in (("shlex",), ("warnings", {}, None, ("warn",), 0), ("warnings.x",)):
        assert sealed(*args) == "private"
    package = {"__package__": "jupyterlab_warden.kernel.guard", "__name__": "x"}
    assert sealed("warnings", package, None, None, 1) == "private"
    assert len(asked) == 4
