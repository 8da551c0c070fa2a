"""A guarded Python (not the kernel) writes no start-up name into a site folder or a standard
library (red team 32 R32-3).

A shell line ``python prep.py && python train.py`` is read before it runs; what prep.py writes
is its code's business, and the reading cannot know it. A ``.pth`` it copies into the kernel's
site folder (``sysconfig.get_paths()['purelib']``, named nowhere on the line) ran in the next
Python before its guard. So the guard of every Python the kernel starts refuses, in its audit
hook, creating or replacing one of these names:

- in a site folder (any ``site-packages``/``dist-packages``, this Python's own and its user
  site): a ``.pth``, an ``__editable__`` file, a module its ``.pth`` files import
  (``_distutils_hack``), ``sitecustomize``/``usercustomize``, a module of the standard
  library's start or of the guard's boot (``start_files.STDLIB_START``, ``GUARD_BOOT``);
- in a standard library (``lib*/python3.X``, ``lib-dynload``, this Python's own): the same
  modules, and the ``pythonXY.zip`` beside it;
- the site folder or library itself, or a folder holding this Python's (a rename or link
  puts another one there);
- in a folder a ``.pth`` PATH line of this Python's own site folders adds (an editable
  project's root: red team 34 R34-6b), ``sitecustomize``/``usercustomize`` and what its site
  ``.pth`` files import (found there once the site folder's copy is moved away), a file in
  the folder's place, a folder renamed or linked there holding one (``line_folder``);

as a module file, its package folder's files or its bytecode in ``__pycache__``, by
``open`` for writing, ``os.rename``/``os.replace``, ``os.link`` and ``os.symlink`` (what
``shutil`` copies and moves with); and it refuses starting a writer of ``line_writers``' list
(``cp``, ``tar``, a redirection of a shell line) whose places are such names
(``child_writes``). A process whose pip install the gate allowed writes them
(pip installs ``.pth`` files), and so does the kernel itself: a file its cell writes there is
read at its next line's start (``start_files``). ``commands._write_places`` then takes a
guarded Python on a line to write none of them (``commands.GuardedWriter``).

A removal is not refused (``pip uninstall`` removes a module a ``.pth`` imports before or
after the ``.pth``): the places behind it are the guard's to write, and the line's reading
counts every copy of such a module (``start_files``). But Warden's own package is not removed,
renamed away, truncated or made unreadable (``_check_gone``: the next Python's guard).

Red team 33: a write reaches a file by its real path too (R33-1: a link as the last
component, ``/proc/self/fd/N``, a second name made by ``os.link``, whose source is read, or
before, read by inode); the files CPython's getpath reads before ``site`` are start-up files
(R33-3 ``pyvenv.cfg`` where a Python's program is, R33-4 ``*._pth`` beside a program or
libpython: ``getpath_folder``); and so is Warden's own package, which every guarded Python
boots from (R33-2: ``guard_folder``).

The ``open`` event fires for every file a Python opens: the mode decides first (most opens
read: nothing more), then, for a write, one ``lstat`` of the path and one ``stat`` of its
folder (Warden's package by inode), the name (string work only), and only a start-up name
resolves its folder.
"""

from __future__ import annotations

import _contextvars
import _thread
import sys

from ...environ import DEFERRED_PYTHONPATH_ENV
from ..boot_sys import BOOT_SYS  # sys as at the boot (red team 49a)
from ..frozen_builtins import FROZEN
from ..private_modules import own_module
from .frozen_os import FROZEN_OS as os  # the boot's os, os.path and stat (red team 36 R36-3)
from .frozen_os import FROZEN_STAT as stat
from .own_command import INSTALLERS, started_as, venv_folders, venv_shadowed
from .own_python import OWN
from .path_writes import PathFolders
from .pth_lines import added_folders, pth_imports
from .pyenv_places import guarded_places, guarded_roots, hook_write, version_write
from .start_names import GUARD_BOOT, PYENV_VARIABLES, STDLIB_START

# the builtins of the boot for this module's functions (red team 38a R38a-1, R38a-5)
__builtins__ = FROZEN

# The rule imports nothing while it reads a write (red team 37a R37a-1): an import runs the
# process's own code (a ``sys.meta_path`` finder, a rebound ``builtins.__import__``, a
# ``glob.py`` beside its script, first on ``sys.path``), and the helpers above read with the
# boot's ``os`` (``frozen_os``, R37a-3). So they are imported with the rule, at the guard's
# boot (only ``os``, ``_ast`` and ``pwd``, built in), and what the gate lends it is taken when
# the gate makes it (``_GATE_TEXT``).

# the audit events that create or replace a file at a path (``os.replace`` is ``os.rename``'s),
# ``os.chmod``, which makes a file a program (``path_writes``), ``exec``, code that runs: a
# module's import ends a pip command's allowance when it is none of pip's (``pip_process``),
# and the ones that take a file or folder away (``os.unlink`` is ``os.remove``'s,
# ``os.ftruncate`` ``os.truncate``'s): ``_REMOVALS``, read for Warden's own package
# (``_check_gone``)
_REMOVALS = frozenset(("os.remove", "os.rmdir", "shutil.rmtree", "os.truncate"))
# ``os.mkdir``: a folder made in Warden's package (``_check_made``)
EVENTS = frozenset(("open", "os.rename", "os.link", "os.symlink", "os.chmod", "os.mkdir", "exec"))
# ``os.chdir`` (``os.fchdir``'s too): the working folders a relative name may be opened from
# (``StartWrites._moved``, red team 38a R38a-4)
EVENTS |= _REMOVALS | {"os.chdir"}
_WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC
_SITE_NAMES = ("site-packages", "dist-packages")


class StartWrites:
    """The rule, for one gate: ``check(event, args)`` raises ``WardenBlockedInstall``."""

    def __init__(self, gate):
        self.gate = gate
        # where this Python's pyenv hooks lie, as it started (``_check_pyenv``; red team 34:
        # read at the first write, a cell's os.environ['HOME'] = '/x' before it moved them)
        self.pyenv_env = {name: os.environ.get(name, "") for name in PYENV_VARIABLES}
        # the PATH and command line this Python started with (``path_writes``, red team 34
        # R34-c): a cell's later change of either moves nothing
        self.path_folders = PathFolders(os.environ.get("PATH", os.defpath))
        self.argv = tuple(getattr(sys, "orig_argv", ()))
        # own_command.started_as, read as it starts (it may import kernel_age: no import while
        # the rule reads, red team 37a R37a-1)
        self._command = started_as(self.argv)
        self._made_cfgs: set = set()  # the pyvenv.cfg files it wrote before their program
        self._programs = None  # the folders of its own programs (``_program_folders``)
        # its programs as it started (a cell's sys.executable = '/x' moves none of them)
        base = getattr(BOOT_SYS, "_base_executable", "") or BOOT_SYS.executable
        self.programs = (BOOT_SYS.executable, base, OWN.executable, OWN.base_executable)
        # the PYTHONPATH it started with, as its boot puts it on sys.path (``_pythonpath_folder``)
        self.pythonpath_words = os.pathsep.join(
            (os.environ.get("PYTHONPATH", ""), os.environ.get(DEFERRED_PYTHONPATH_ENV, ""))
        )
        self._pythonpath = None
        # a `-m venv` whose `venv` may be another's (the cell's ./venv.py): no venv's write
        self._venv_shadowed = venv_shadowed(self.argv, self.pythonpath_words)
        # the working folders this process may be in (``_moved``): None until its first chdir
        self._cwds: list | None = None
        if not _GATE_TEXT:  # the gate's reading of a path object (``_path_text``)
            module = own_module(type(gate).__module__)  # the guard's, not sys.modules' (fix 58mods)
            _GATE_TEXT.extend((getattr(module, "_text", None), getattr(module, "_NotText", None)))

    def check(self, event: str, args: tuple) -> None:
        if event == "open" and (len(args) < 3 or not (args[2] or 0) & _WRITING):
            return  # most opens read: the hot path
        if event == "exec":  # nothing to do but in pip's own command
            self.gate.pip.code_ran(args)
            return
        if event == "os.chdir":
            self._moved(args)
            return
        me = _enter()
        if not me:
            self._check_inner(event, args)
            return
        try:
            self._check(event, args)
        finally:  # (an error of the reading's own, ``_check_guard``'s, keeps them too)
            self._enforce_writes(_leave(me))

    def _check_inner(self, event: str, args: tuple) -> None:
        """A write made while this thread's rule reads another (red team 37a R37a-1): by code
        the reading ran, which Warden does not choose (a gc callback or finalizer, which any
        allocation may run; a signal handler; before this round, an import hook run by the
        rule's lazy imports, whose writes were not read at all; an audit hook of its own
        cannot be added, ``hook_order``). The rule imports nothing while it reads, so it
        reads this write in full, once more: a refusal stops it now (``PermissionError``) and
        is enforced, recorded, when the outer reading ends. A write made inside that second
        reading is refused unread (a callback that writes at every collection would read on
        without end)."""
        kept = _nest()
        if kept is None:
            shown = _shown(event, args)
            why = (
                f"code this Python ran while Warden read two of its writes, one inside the "
                f"other (a gc callback, a finalizer, a signal handler of its own) wrote {shown}: "
                "Warden does not read a write made that deep inside its own reading, so it "
                "refuses it. Make the hook write its files outside Warden's reading"
            )
            _refused(event, shown, why)
            raise PermissionError(f"Jupyter Warden refused {event} {shown}: {why}")
        try:
            self._check(event, args)
        finally:
            refused = _unnest(kept)
        if refused:
            event, path, why = refused[0]
            raise PermissionError(f"Jupyter Warden refused {event} {path}: {why}")

    def _enforce_writes(self, refusals: list) -> None:
        """The refusals a reading found (``_refuse_write``), enforced after it, with its mark
        off: the gate's refusal imports its modules and writes its record (``decide``, the
        event spool), and a write made then (an import hook's) is read as any other."""
        for event, path, why in refusals:
            from .request import InstallRequest

            request = InstallRequest("unknown", f"{event} {path}")
            request.problems.append(why)
            self.gate._enforce([request], event, in_process=True)

    def _moved(self, args: tuple) -> None:
        """``os.chdir``/``os.fchdir``: its folder is kept (``working_folders``), before it
        moves there (red team 38a R38a-4). Refused inside the reading of a write (a gc
        callback, a finalizer: the write was read by the working folder before it) and for a
        path Warden cannot read (asked again after its reading, it may answer otherwise)."""
        me = _enter()
        if not me:
            why = (
                "code this Python ran while Warden read one of its writes (a gc callback, a "
                "finalizer, a signal handler of its own) changed the working folder the write "
                "was read by: change it outside Warden's reading"
            )
            _refused("os.chdir", _shown("os.chdir", args), why)
            raise PermissionError(f"Jupyter Warden refused os.chdir: {why}")
        try:
            target = args[0] if args else None
            if isinstance(target, int):
                target = _fd_path(target)  # os.fchdir: the folder the descriptor has open
            else:
                target = self._written_path("os.chdir", target)
            if target is not None:
                self._cwds = working_folders(self._cwds, target)
        finally:
            self._enforce_writes(_leave(me))

    def _check_elsewhere(self, event: str, args: tuple) -> None:
        """A relative name is opened by the working folder the process is in when the C call
        runs, after this reading: another thread's ``os.chdir`` between the two moved it (red
        team 38a R38a-4: a thread flipping between ``/tmp/x`` and the site folder while the
        main one opened ``zz.pth`` landed it). So, once the process has been in more than one
        working folder and runs more than one thread, a write by a relative name is read in
        each folder it has been in, by the whole rule (a single thread's working folder does
        not move between the reading and its C call: ``_moved`` refuses a move inside the
        reading). String work first: an absolute name, or no chdir yet, pays nothing."""
        cwds = self._cwds
        if cwds is None or len(cwds) < 2:
            return
        joined = _cwd_args(event, args)
        if joined is None or _threads() < 2:
            return
        if len(cwds) > _CWD_LIMIT:
            shown = _shown(event, args)
            self._refuse_write(
                event,
                shown,
                f"this Python runs threads and has moved its working folder to more than "
                f"{_CWD_LIMIT} folders: Warden cannot tell which folder the relative name "
                f"{shown} is written in when another thread moves it. Write by an absolute path "
                "(os.path.abspath), or keep the working folder still",
            )
            return
        for folder in cwds:
            self._check_at(event, joined(folder))

    def _check(self, event: str, args: tuple) -> None:
        self._check_at(event, args)
        self._check_elsewhere(event, args)

    def _check_at(self, event: str, args: tuple) -> None:
        if event == "os.chmod":
            self._check_mode(args)
            return
        if event in _REMOVALS:
            self._check_removed(event, args)
            return
        if event == "os.mkdir":
            self._check_made(args)
            return
        if event == "open":
            if len(args) < 3 or not (args[2] or 0) & _WRITING:
                return
            path = args[0]
        elif len(args) > 1:
            path = args[1]
        else:
            return
        path = self._written_path(event, path)
        if path is None:
            return  # a descriptor: opened before (or an unread object the policy let by)
        if event == "open" and path[:1] != "/":
            self._check_held(path, args)
        names = _FOUND.get("names") or start_names()
        candidate = _candidate(path, names)
        linked = None
        if event == "open":
            # the last component may be a link (``os.symlink(site + '/zz.pth', 'lnk')``,
            # ``/proc/self/fd/N``) or a second name of a start-up file (``os.link``): one
            # ``lstat`` per write (red team 33 R33-1), a full resolution only for a link
            try:
                st = os.lstat(path)
            except (OSError, ValueError):
                st = None
            if st is not None and stat.S_ISLNK(st.st_mode):
                # a program's name on PATH may be the link: writing its file replaces it
                self._check_program(event, path, _folder_stat(path), None)
                path = os.path.realpath(path)
                candidate = _candidate(path, names)
                try:
                    st = os.stat(path)
                except (OSError, ValueError):
                    st = None
            if st is not None and stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
                linked = st
            fst = self._check_folder(event, path, st)
            self._check_pyenv(event, path)
            if not candidate and linked is None and not own_folder(fst):
                # (a name no start-up list holds, in a folder that is none of this Python's
                # site folders or library by its inode: a folder link to one is read on, red
                # team 34 R34-8, as a relative name from a working folder in a site folder;
                # nor one a .pth path line adds, R34-6b)
                if not in_line_folder(path, fst):
                    if path[:1] == "/" or "-packages" not in os.getcwd():
                        return
        if self.gate.allowed_install:
            return
        if event != "open":
            self._check_moved(event, path, args)
        if event == "os.link":  # a second name of a start-up file writes it (R33-1)
            self._check_source(args)
        where = _resolved(event, path, args)
        found = (
            written_folder(where, moved=event != "open")
            or self._getpath(where)
            or self._pythonpath_folder(where)
            or line_folder(where, opened=event == "open")
        )
        if found:
            self._refuse(event, where, found)
        if linked is not None:
            found = _start_inode(linked)
            if found:
                self._refuse(event, path, found)

    def _written_path(self, event: str, path):
        """The text of the path an event writes at, as the C code that opens it read it
        (``gate._text``: a str or bytes by its data, a pathlib path of the standard library by
        its text), None for a descriptor (``os.ftruncate``, ``io.FileIO(fd)``: opened
        before). ``io.FileIO`` audits the object it was given, not its text (red team 35 R35-4:
        ``io.FileIO(pathlib.Path(site) / 'zz.pth', 'w')`` was taken for a descriptor): any
        other object is refused, its ``__fspath__`` called again may answer otherwise."""
        if type(path) is str:
            return path  # the hot path
        if isinstance(path, int):
            return None
        text = _path_text(path)
        if text is None:
            self._refuse_write(
                event,
                f"<a {type(path).__name__}>",
                f"Warden cannot read which file a {type(path).__name__} object names (it is "
                "asked again after Warden's reading, and may answer otherwise): pass the path "
                "as a str, str(path)",
            )
        return text

    def _check_held(self, path: str, args: tuple) -> None:
        """A relative name opened for writing while this process holds folders open as
        descriptors is judged in each of them too, by the whole rule (red team 35 R35-2):
        ``os.open(name, flags, dir_fd=fd)`` opens it in the descriptor's folder, and the
        ``open`` event carries no ``dir_fd`` (``os.open('site_boot.cpython-311.pyc', ...,
        dir_fd=d)``, ``d`` Warden's boot ``__pycache__``). A process holding none pays one
        listing of ``/proc/self/fd`` and an ``fstat`` per descriptor (``held_folders``)."""
        for folder in held_folders():
            self._check("open", (os.path.join(folder, path), *args[1:]))

    def _pythonpath_folder(self, path: str) -> str:
        """The folder of the PYTHONPATH this Python started with (its own and the one its
        boot put back in front: ``DEFERRED_PYTHONPATH_ENV``; relative words from the folder it
        started in) a write at ``path`` creates or replaces a start-up name of ('' when
        none), by real folders: a Python started after it with that PYTHONPATH (inherited)
        imports it before its guard decides anything (red team 34 R34-6: `python w.py &&
        python -c pass`, w.py writing ``sitecustomize.py`` there, named nowhere on the line).
        The line's reading refuses a start whose PYTHONPATH holds another folder after a
        guarded Python (``commands._refuse_start_places_written``)."""
        folders = self._pythonpath
        if folders is None:
            base = OWN.start_folder or os.getcwd()
            words = [w for w in self.pythonpath_words.split(os.pathsep) if w]
            folders = self._pythonpath = {os.path.realpath(os.path.join(base, w)) for w in words}
        if not folders:
            return ""
        names = _FOUND.get("names") or start_names()
        for folder, entry in _entries(os.path.abspath(path)):
            real = os.path.realpath(folder)
            if real in folders and _stem(entry) in names:
                return real
        return ""

    def _getpath(self, where: str) -> str:
        """``getpath_folder``, but a ``pyvenv.cfg`` this Python wrote before its venv had a
        program is its own to write again (a venv made while a line runs is no Python the
        line's reading read: it refuses running one), and ``python -m venv`` writes one with
        its own interpreter's home (``own_command``): `--system-site-packages` writes it a
        second time after the program, and a cell run again makes `.venv` again (both were
        refused)."""
        found = getpath_folder(where)
        if where[where.rfind("/") + 1 :] != "pyvenv.cfg":
            return found
        real = os.path.realpath(where)
        if not found:
            self._made_cfgs.add(real)
            return ""
        if real in self._made_cfgs or self._venv_writes(real):
            return ""
        return found

    def _venv_writes(self, real: str) -> bool:
        """``python -m venv`` (the standard library's, no session after it) writes the
        ``pyvenv.cfg`` (``real``: its real path) of an environment its command line names, no
        other (red team 35 R35-9: the kernel venv's), nor through a link of that name (the
        link itself resolved: ``real`` names the file the write reaches)."""
        if self._started_as() != "venv" or self._venv_shadowed:
            return False
        base = OWN.start_folder or os.getcwd()
        for folder in venv_folders(self.argv):
            if os.path.join(os.path.realpath(os.path.join(base, folder)), "pyvenv.cfg") == real:
                return True
        return False

    def _check_folder(self, event: str, path: str, st):
        """What the folder of a write at ``path`` (``st``: its ``lstat``, None when new) says,
        read with one ``stat`` (returned): Warden's package (``_check_guard``), a PATH folder
        (``_check_program``)."""
        fst = _folder_stat(path)
        self._check_guard(event, path, st, fst)
        self._check_program(event, path, fst, st)
        return fst

    def _check_program(self, event: str, path: str, fst, st) -> None:
        """A write of an entry of a folder of the PATH this Python started with, or of a file
        with another name there (``st``: more than one name), is refused (``path_writes``, red
        team 34 R34-c): a command after it on the line may run it by name, and Warden read
        those programs before the line ran."""
        found = self.path_folders.holding(path, fst)
        if not found and st is not None and stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
            found = self.path_folders.holding_inode(st)
        if found and not self._installer_writes():
            self._refuse_program(event, path, found)
        self._check_python(event, path, fst)

    def _check_python(self, event: str, path: str, fst) -> None:
        """A ``python*`` entry (``fst``: its folder's ``stat``) of a folder holding this
        Python's program or the one it was made from (``sys.executable``'s,
        ``sys._base_executable``'s: ``_program_folders``) created, replaced, made executable,
        removed or renamed away (red team 36 R36-1): a start after it on the line runs that
        program by its path (the kernel's venv is on no PATH), and Warden read the line when it
        was a Python. String work first (every write pays it); a conda or an allowed pip
        writes programs (``_installer_writes``)."""
        if not path[path.rfind("/") + 1 :].startswith("python") or fst is None:
            return
        folder = self._program_folders().get((fst.st_dev, fst.st_ino))
        if folder and not self._installer_writes():
            self._refuse_write(
                event,
                path,
                f"a Python the kernel starts may not create, replace, remove or rename a Python "
                f"program in {folder}, which holds this Python's own: a start after it on the "
                "line runs that program, and Warden read the line when it was a Python. Make "
                "another environment (python -m venv) for another Python",
            )

    def _program_folders(self) -> dict:
        """The folders holding this Python's program and its base's, by device and inode, read
        at the first write that asks (a folder renamed later is still known)."""
        if self._programs is None:
            found = {}
            for program in self.programs:
                folder = os.path.dirname(program or "")
                try:
                    st = os.stat(folder)
                except (OSError, ValueError):
                    continue
                found.setdefault((st.st_dev, st.st_ino), folder)
            self._programs = found
        return self._programs

    def _installer_writes(self) -> bool:
        """A pip install the gate allowed (its console scripts), or a conda or mamba the
        kernel started (``own_command.started_as``), writes programs."""
        if self.gate.allowed_install:
            return True
        return self._started_as() in INSTALLERS

    def _started_as(self) -> str:
        if self._command is None:
            self._command = started_as(self.argv)
        return self._command

    def _check_mode(self, args: tuple) -> None:
        """``os.chmod`` with an execute bit, of an entry of a PATH folder (or a file with another
        name there): a file made a program after the line was read. One without the owner's
        read bit (a folder's search bit) of Warden's own package (``_check_gone``: a guard the
        next Python cannot read is no guard)."""
        if len(args) < 2 or type(args[1]) is not int:
            return
        path, fd = args[0], args[2] if len(args) > 2 else None
        if isinstance(path, int):
            path = _fd_path(path)  # os.fchmod: the file the descriptor has open
        else:
            path = self._written_path("os.chmod", path)
            if path is None:
                return  # refused, or only warned by the policy
            if path[:1] != "/" and type(fd) is int and fd >= 0:
                path = os.path.join(_fd_path(fd), path)
        if not args[1] & 0o400 or (not args[1] & 0o100 and os.path.isdir(path)):
            self._check_gone("os.chmod", os.path.realpath(path))
        if not args[1] & 0o111:
            return
        try:
            st = os.lstat(path)
        except (OSError, ValueError):
            st = None
        self._check_program("os.chmod", path, _folder_stat(path), st)
        if st is not None and stat.S_ISLNK(st.st_mode):
            real = os.path.realpath(path)
            try:
                target = os.stat(real)
            except (OSError, ValueError):
                target = None
            self._check_program("os.chmod", real, _folder_stat(real), target)

    def _refuse_program(self, event: str, path: str, folder: str) -> None:
        self._refuse_write(
            event,
            path,
            f"a Python the kernel starts may not create, replace or make executable a program "
            f"in {folder}, a folder of its PATH: a command after it on the line may run it by "
            "name, and Warden read the line's programs before it ran. Write programs from the "
            "notebook itself (the next line reads them), or into a folder not on PATH",
        )

    def _check_guard(self, event: str, path: str, st, fst=False) -> None:
        """A write under Warden's own package (its boot: ``boot/site``, ``site_boot.py``) is
        refused (red team 33 R33-2): every later Python boots its guard from these files. Its
        bytecode as the import system writes it (``NAME.pyc.ID``, then renamed) is refused
        without a record: it takes the refusal as a folder it may not write; any other write
        there is refused and recorded (red team 35 R35-2: a ``.pyc`` written by its name).
        ``fst``: the folder's ``stat`` when read."""
        found = guard_folder(path, st, fst)
        if not found or self.gate.allowed_install:
            return
        if found == _PYCACHE:
            if event == "open" and _import_bytecode(path):
                raise PermissionError(f"Warden's own bytecode is not written here: {path}")
            found = os.path.dirname(os.path.dirname(os.path.abspath(path)))
        if found:
            self._refuse(event, path, found)

    def _check_pyenv(self, event: str, path: str) -> None:
        """A write under the folders the kernel's pyenv shims run hooks from (``$PYENV_ROOT/
        pyenv.d``, its plugins' ``etc/pyenv.d``...: ``pyenv_places.guarded_places``) is refused
        (red team 33 R33-7: `python w.py && python3 -c pass`, w.py dropping a hook in
        ``pyenv.d/exec`` that the shim after it sources); so is one of the places a shim picks
        its program from (``pyenv_places.version_write``, red team 34 R34-2: a new version's
        ``bin/python3``, a shell script, or the global ``version`` file), but by a pip install
        the gate allowed or a conda the kernel started (their programs). Nothing to read
        without pyenv."""
        found = _FOUND.get("pyenv")
        if found is None:
            found = _FOUND["pyenv"] = (
                guarded_places(self.pyenv_env),
                guarded_roots(self.pyenv_env),
            )
        places, roots = found
        if not roots or self.gate.allowed_install:
            return
        folder = os.path.realpath(os.path.dirname(os.path.abspath(path)))
        real = os.path.join(folder, os.path.basename(path))
        hit = hook_write(path, places) or hook_write(real, places)
        if hit:
            self._refuse(event, path, hit)
        hit = version_write(path, roots) or version_write(real, roots)
        if hit and not self._installer_writes():
            self._refuse_write(
                event,
                path,
                f"a Python the kernel starts may not write {hit}, where a pyenv shim finds the "
                "program of the version it picks: a shim after it on the line would run it, and "
                "Warden read the line before it ran. Install Python versions with pyenv from "
                "the notebook itself, or from a terminal, and restart the kernel",
            )

    def _check_moved(self, event: str, path: str, args: tuple) -> None:
        """``os.rename``/``os.replace``/``os.link``/``os.symlink`` at ``path``, a new name in
        Warden's package; a rename of the package's files or folders away (another in place)."""
        where = path
        if path[:1] != "/":
            where = _resolved(event, path, args)
        try:
            st = os.lstat(where)
        except (OSError, ValueError):
            st = None
        self._check_folder(event, where, st)
        self._check_pyenv(event, where)
        # a PATH folder itself, or one above it, replaced (a link or a folder put there)
        folder = self.path_folders.under(where)
        if folder and not self._installer_writes():
            self._refuse_program(event, where, folder)
        src = args[0] if args else None
        if isinstance(src, (str, bytes)):  # os.rename, os.link, os.symlink
            self._check_brought(event, where, _source(event, where, args))
        if event == "os.rename" and isinstance(src, (str, bytes)):
            src = _path_text(src)  # a str subclass by its data
            fd = args[2] if len(args) > 2 else None
            if src[:1] != "/" and type(fd) is int and fd >= 0:
                src = os.path.join(_fd_path(fd), src)
            self._check_gone(event, os.path.realpath(src))
            self._check_library_gone(event, _real_entry(src))
            self._check_python(event, src, _folder_stat(src))
            folder = self.path_folders.under(src)  # a PATH folder moved away (another put in)
            if folder and not self._installer_writes():
                self._refuse_program(event, src, folder)
        if event == "os.link" and isinstance(src, (str, bytes)):
            # a second name of a PATH program: a write through it replaces the program
            src = _path_text(src)  # a str subclass by its data
            fd = args[2] if len(args) > 2 else None
            if src[:1] != "/" and type(fd) is int and fd >= 0:
                src = os.path.join(_fd_path(fd), src)
            folder = self.path_folders.holding(src, _folder_stat(src))
            if folder and not self._installer_writes():
                self._refuse_program(event, src, folder)

    def _check_brought(self, event: str, where: str, src: str) -> None:
        """A rename or link at a folder a ``.pth`` path line adds, or one above it (red team 34
        R34-6b; one that holds files is no rename's destination): the folder ``src`` puts
        there may hold a start-up name (``line_names``), and a file there is an archive
        Python imports from."""
        folders = line_folders()[0]
        if not folders or not src:
            return
        # the new entry's name is a part of such a folder's path, or nothing is put there
        if os.path.basename(os.path.abspath(where)) not in line_parts():
            return
        dst = _real_entry(where)
        for folder in folders:
            if folder != dst and not folder.startswith(dst + "/"):
                continue
            brought = src + folder[len(dst) :]
            if os.path.isdir(brought):
                names = line_names()
                try:
                    held = [e for e in os.listdir(brought) if _stem(e) in names]
                except OSError:
                    held = ["(a folder Warden cannot list)"]
                if held:
                    self._refuse(event, os.path.join(folder, held[0]), folder)
            elif os.path.lexists(brought):
                self._refuse(event, folder, folder)

    def _check_removed(self, event: str, args: tuple) -> None:
        """``os.remove``/``os.unlink``, ``os.rmdir``, ``shutil.rmtree`` (a relative name from
        its ``dir_fd``), ``os.truncate``/``os.ftruncate`` (a descriptor's file): Warden's own
        package (``_check_gone``)."""
        path = args[0] if args else None
        if isinstance(path, int):
            self._check_gone(event, _fd_path(path))
            return
        path = _path_text(path)  # shutil.rmtree audits the object it was given
        if path is None:
            return  # what it removes, its os.rmdir and os.unlink events say by text
        if event == "os.truncate":  # the file a path leads to, links followed
            self._check_gone(event, os.path.realpath(path))
            return
        fd = args[1] if len(args) > 1 else None
        if path[:1] != "/" and type(fd) is int and fd >= 0:
            path = os.path.join(_fd_path(fd), path)  # its folder, real
        if event == "os.remove":
            # a file (no folder: os.remove refuses one): its folder by inode, one ``stat``
            # (every temporary file's removal pays this); bytecode is made again from source
            fst = _folder_stat(path)
            found = guard_folder(path, None, fst)
            if found and found != _PYCACHE and not self.gate.allowed_install:
                self._refuse(event, path, found)
            if fst is not None and fst.st_dev in _library_roots()[1]:
                folder, name = os.path.split(path)
                self._check_library_gone(event, _real_folder(folder, fst) + "/" + name)
            if not self.gate.allowed_install:
                self._check_python(event, path, fst)
            return
        self._check_gone(event, _real_entry(path))
        self._check_library_gone(event, _real_entry(path))

    def _check_library_gone(self, event: str, real: str) -> None:
        """A file or folder of this Python's standard library (not its site folders, not
        bytecode: made again from source), or a folder holding it, at ``real`` (its folder's
        real path) removed or renamed away (red team 36 R36-5): the next Python imports a
        module of that name from the first other folder of ``sys.path`` holding one (a
        ``.pth`` path line's, PYTHONPATH's), the guard's boot imports (``__future__``) before
        its audit hook is in. The class, not a list of names: any module of the library."""
        root = library_holding(real)
        if root:
            self._refuse_write(
                event,
                real,
                f"a Python the kernel starts may not remove or rename away a file of its "
                f"standard library ({root}): the next Python would import a module of that "
                "name from another folder of its path as it starts, before Warden's guard. "
                "Leave the standard library as it is (reinstall Python to change it)",
            )

    def _check_made(self, args: tuple) -> None:
        """``os.mkdir`` (``os.makedirs``' too; a relative name from its ``dir_fd``) under
        Warden's own package (red team 36 R36-4): a package folder made there
        (``kernel/boot/mp_children/``) comes before the module of its name, which every later
        guarded Python's boot imports before its audit hook. Refused but in a pip install the
        gate allowed (an upgrade of Warden); a ``__pycache__`` quietly, as its bytecode
        (``_check_guard``: the import system takes it for a folder it may not write)."""
        if self.gate.allowed_install or not args:
            return
        path = self._written_path("os.mkdir", args[0])
        if path is None:
            return
        fd = args[2] if len(args) > 2 else None
        if path[:1] != "/" and type(fd) is int and fd >= 0:
            path = os.path.join(_fd_path(fd), path)
        real = _real_entry(path)
        for root in _guard_roots():
            if real.startswith(root + "/"):
                if os.path.basename(real) == _PYCACHE:
                    raise PermissionError(f"Warden's own bytecode is not written here: {real}")
                self._refuse("os.mkdir", real, root)

    def _check_gone(self, event: str, real: str) -> None:
        """A file or folder of Warden's own package, or a folder holding it, at ``real`` (a
        real path) removed, renamed away, emptied or made unreadable: every later Python boots
        its guard from these files (``boot/site``'s ``sitecustomize``, ``site_boot.py``), and
        without them starts with none (a removal was not read before red team 34: R34-6b).
        Refused but in a pip install the gate allowed (an upgrade of Warden)."""
        if self.gate.allowed_install:
            return
        for root in _guard_roots():
            if real == root or real.startswith(root + "/") or root.startswith(real + "/"):
                self._refuse(event, real, root)

    def _check_source(self, args: tuple) -> None:
        """``os.link(src, dst)``: ``src`` may not be a start-up file (its real path)."""
        src = args[0] if args else None
        if not isinstance(src, (str, bytes)):
            return
        src = _path_text(src)  # a str subclass by its data
        fd = args[2] if len(args) > 2 else None
        if src[:1] != "/" and type(fd) is int and fd >= 0:
            src = os.path.join(_fd_path(fd), src)
        real = os.path.realpath(src)
        found = written_folder(real) or getpath_folder(real)
        for root in _guard_roots():
            if real.startswith(root + "/"):
                found = root
        if not found:
            try:
                st = os.stat(real)
            except (OSError, ValueError):
                st = None
            if st is not None and stat.S_ISREG(st.st_mode):
                found = _start_inode(st) or _guard_inode(st)
        if found:
            self._refuse("os.link", real, found)

    def handed(self, event: str, path, flags: int, how: str) -> None:
        """A process start hands its child ``path`` open for writing (``flags``), through a
        descriptor or a posix_spawn file action no path event shows (``handed_fds``, red team
        34 R34-3); ``how`` says which, and what to do instead. Refused as this Python's own
        ``open`` of the path would be, in the kernel too: its own writes are read when its next
        line starts, and a descriptor outlives that reading."""
        me = _get_ident()
        _HANDED[me] = (event, how)
        inside = _enter()
        try:
            if inside:
                self._check("open", (path, None, flags))
            else:  # a start made inside a reading: refused now, recorded after it
                self._check_inner("open", (path, None, flags))
        finally:
            refusals = _leave(inside) if inside else []
            _HANDED.pop(me, None)
            self._enforce_writes(refusals)

    def _refuse(self, event: str, path: str, folder: str) -> None:
        self._refuse_write(
            event,
            path,
            f"a Python the kernel starts may not create, replace or remove a file a Python imports "
            f"from {folder} as it starts, before Warden's guard (a .pth, sitecustomize, a "
            "start-up module): install packages with pip, which Warden decides"
            + self.gate.pip_not_own(),
        )

    def _refuse_write(self, event: str, path: str, why: str) -> None:
        """Refused, with its event, as the gate refuses a start (``WardenBlockedInstall``),
        once the reading ends (``_enforce_writes``: kept with the thread's mark)."""
        handed = _HANDED.get(_get_ident())
        if handed is not None:  # a start's (a forked child's exec ends the child: ``_enforce``)
            event, how = handed
            why = f"{how}; {why}"
        if not _refused(event, path, why):  # read outside a reading: enforced now
            self._enforce_writes([(event, path, why)])


def _resolved(event: str, path: str, args: tuple):
    """The path a write at ``path`` is at: a relative one is read from the folder its
    ``dir_fd`` argument names (``os.rename``/``os.link``: ``dst_dir_fd``; ``os.symlink``:
    ``dir_fd``), else from the working folder. The ``open`` event carries no ``dir_fd``: the
    folders this process holds open are read by ``StartWrites._check_held``."""
    if path[:1] == "/":
        return path
    fd = args[3] if event in ("os.rename", "os.link") and len(args) > 3 else None
    fd = args[2] if event == "os.symlink" and len(args) > 2 else fd
    if type(fd) is int and fd >= 0:
        return os.path.join(_fd_path(fd), path)
    return path


# the working folders kept (``working_folders``) beyond which a multithreaded process's
# relative writes are refused (each write is read in each of them)
_CWD_LIMIT = 64


def working_folders(known, target: str) -> list:
    """The working folders a process may be in (``known``: those before, None: none kept yet,
    the one it started in and is in now) once it moves to ``target``: its path as written and
    its real path, a relative one from each folder it may have been in (another thread's chdir
    may have moved it before this one)."""
    if known is None:
        known = list(dict.fromkeys(f for f in (OWN.start_folder, _here()) if f))
    if len(known) > _CWD_LIMIT:
        return known  # too many to read a write in each: relative writes refused (threaded)
    bases = ("",) if target[:1] == "/" else list(known)
    for base in bases:
        path = os.path.join(base, target)  # real path before ``..`` is dropped (a link)
        for folder in (os.path.normpath(path), os.path.realpath(path)):
            if folder not in known:
                known.append(folder)
    return known


def _here() -> str:
    try:
        return os.path.realpath(os.getcwd())
    except (OSError, ValueError):
        return ""


def _cwd_args(event: str, args: tuple):
    """A function giving ``args`` with the names an event reads from the working folder
    joined to a folder (None when it reads none: an absolute name, a ``dir_fd``'s, a
    descriptor). ``os.symlink``'s target is read from the link's folder, not joined."""
    if event in ("os.rename", "os.link"):
        spots = ((0, 2), (1, 3))
    elif event == "os.symlink":
        spots = ((1, 2),)
    elif event == "os.truncate":
        spots = ((0, None),)
    elif event in ("open", "os.remove", "os.rmdir", "shutil.rmtree"):
        spots = ((0, None if event == "open" else 1),)
    elif event in ("os.chmod", "os.mkdir"):
        spots = ((0, 2),)
    else:
        return None
    relative = []
    for at, fd_at in spots:
        if len(args) <= at or isinstance(args[at], int):
            continue
        fd = args[fd_at] if fd_at is not None and len(args) > fd_at else None
        if type(fd) is int and fd >= 0:
            continue
        text = _path_text(args[at])
        if text is not None and text[:1] != "/":
            relative.append((at, text))
    if not relative:
        return None

    def joined(folder: str) -> tuple:
        out = list(args)
        for at, text in relative:
            out[at] = os.path.join(folder, text)
        return tuple(out)

    return joined


def _threads() -> int:
    """How many threads this process runs (``/proc/self/task``: a native thread counts, it
    may run Python code); 2 when it cannot be read (fail closed)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 2


def _path_text(path):
    """``path`` as C code that opens it reads it (``gate._text``: a str or bytes by its data,
    a path of the standard library's pathlib by its text); None for any other object."""
    if type(path) is str:
        return path
    text, not_text = _GATE_TEXT or (None, None)
    if text is None:
        return None  # no gate's reading: taken for an object Warden cannot read (refused)
    try:
        return text(path, "the path")
    except not_text:
        return None


def _import_bytecode(path: str) -> bool:
    """Whether ``path`` is named as the import system writes bytecode, before renaming it to
    its ``.pyc`` (``importlib._bootstrap_external._write_atomic``: ``NAME.pyc.ID``)."""
    name, _, tail = path.rpartition(".")
    return name.endswith(".pyc") and tail.isdigit()


def _fd_path(fd: int) -> str:
    """The path of an open descriptor; a gone one's as written, which names no site folder."""
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return f"/proc/self/fd/{fd}"


def held_folders() -> list:
    """The folders this process holds open as descriptors, by their paths (``/proc/self/fd``:
    the kernels Warden guards run on Linux, as the gate's ``/proc/self/fd/N`` programs
    assume): one listing and an ``fstat`` per descriptor, a ``readlink`` per folder. A
    folder removed since is kept as its link reads (``... (deleted)``): nothing is created
    in it."""
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return []
    folders = []
    for fd in fds:
        try:
            st = os.fstat(int(fd))
        except (OSError, ValueError):
            continue  # the listing's own descriptor, closed since
        if stat.S_ISDIR(st.st_mode):
            path = _fd_path(int(fd))
            if path[:1] == "/" and path not in folders:
                folders.append(path)
    return folders


_get_ident = _thread.get_ident  # the boot's (a cell's rebinding of _thread's is not read)


def _reading_marks():
    """The threads reading a write now, held where no name reaches it (red team 36 R36-3: a
    guarded w.py added its own thread to a module-level set, and the rule read none of its
    writes), with the refusals each reading found (enforced after it:
    ``StartWrites._enforce_writes``, the gate's refusal imports and writes its record):

    - ``enter()``: the thread's id, or 0 when it reads a write already;
    - ``refused(event, path, why)``: a refusal kept for the thread's reading (False: none);
    - ``nest()``: a reading inside the reading begins (``StartWrites._check_inner``), its
      mark (None: one is on already); ``unnest(mark)``: the refusals it found;
    - ``leave(id)``: the refusals kept."""
    inside = {}

    def enter() -> int:
        me = _get_ident()
        if me in inside:
            return 0
        inside[me] = [[], False]
        return me

    def refused(event: str, path: str, why: str) -> bool:
        kept = inside.get(_get_ident())
        if kept is None:
            return False
        kept[0].append((event, path, why))
        return True

    def nest():
        kept = inside[_get_ident()]
        if kept[1]:
            return None
        kept[1] = True
        return len(kept[0])

    def unnest(mark: int) -> list:
        kept = inside[_get_ident()]
        kept[1] = False
        return kept[0][mark:]

    def leave(me: int) -> list:
        return (inside.pop(me, None) or [[]])[0]

    return enter, refused, nest, unnest, leave


_enter, _refused, _nest, _unnest, _leave = _reading_marks()
# the threads reading a file a start hands its child (``StartWrites.handed``): (the start's
# event, what hands it)
_HANDED: dict = {}
# what the rule reads once, at the first write of a candidate name: "names", the start-up
# module names; "own", this Python's site folders and standard library (real paths)
_FOUND: dict = {}
# the gate's ``_text`` and ``_NotText`` (``_path_text``), taken when the gate makes its rule
_GATE_TEXT: list = []


def _shown(event: str, args: tuple) -> str:
    """The path an event writes at, as a refusal shows it."""
    path = args[1] if event in ("os.rename", "os.link", "os.symlink") and len(args) > 1 else ""
    path = path or (args[0] if args else "")
    return path if type(path) is str else f"<a {type(path).__name__}>"


def child_writes():
    """The context variable set while a Python the kernel starts (not the kernel, not an
    allowed pip) decides a process start: the commands it starts may not write a start-up
    name either (``commands._refuse_child_writes``: `os.system('cp p.pth ' + site)`). Made
    at the first start, of the built-in ``_contextvars`` the boot imported: an import then
    would find a ``contextvars.py`` beside the script first (red team 38a R38a-6)."""
    flag = _FOUND.get("child")
    if flag is None:
        flag = _FOUND["child"] = _contextvars.ContextVar("warden_child_writes", default=False)
    return flag


# the modules the common ``.pth`` files import (a site folder's own are read there)
_PTH_IMPORTS = ("_sha2", "_distutils_hack", "_virtualenv")


def start_names() -> frozenset:
    """The names ``_candidate`` looks for: the standard library's start and the guard's boot,
    and the modules the common ``.pth`` files import."""
    names = STDLIB_START + GUARD_BOOT + _PTH_IMPORTS
    _FOUND["names"] = frozenset(names)
    return _FOUND["names"]


def own_folder(fst) -> bool:
    """Whether the folder ``fst`` (a ``stat``; None: unread) is one of this Python's site
    folders or its library, by device and inode (``OWN``'s, read once: no import at the
    guard's boot, whose first write may be its bytecode)."""
    if fst is None:
        return False
    ids = _FOUND.get("own_ids")
    if ids is None:
        library = OWN.stdlib()
        folders = [*OWN.site_packages, OWN.user_site, *OWN.path_site_folders, library]
        ids = set()
        for folder in (f for f in folders + [os.path.join(library, "lib-dynload")] if f):
            try:
                st = os.stat(folder)
            except (OSError, ValueError):
                continue
            ids.add((st.st_dev, st.st_ino))
        _FOUND["own_ids"] = ids
    return (fst.st_dev, fst.st_ino) in ids


def _own_sites() -> list:
    """This Python's own site folders, whose ``.pth`` files ``site`` reads at its start."""
    return list(dict.fromkeys(f for f in (*OWN.site_packages, OWN.user_site) if f))


def line_folders() -> tuple:
    """The folders the ``.pth`` path lines of this Python's own site folders add to
    ``sys.path`` at its start (an editable project's root: ``__editable__.x.pth``,
    ``_x.pth``), whether they exist or not: (their absolute and real paths, the ``(st_dev,
    st_ino)`` of those that exist, the names on their paths: ``line_parts``). A Python
    after this one imports a start-up name from there (``line_names``) before its guard
    decides anything (red team 34 R34-6b). Read once, at the first write that asks (the
    .pth files of its site folders are the kernel's or an allowed pip's to write: a path line
    the kernel adds later is its next line's to read, ``start_files``); a Python without
    path lines pays one listing of its site folders."""
    found = _FOUND.get("lines")
    if found is None:
        paths, ids = set(), set()
        for folder in added_folders(_own_sites()):
            paths.update((folder, os.path.realpath(folder)))
            try:
                st = os.stat(folder)
            except (OSError, ValueError):
                continue
            ids.add((st.st_dev, st.st_ino))
        parts = frozenset(part for folder in paths for part in folder.split("/") if part)
        found = _FOUND["lines"] = (frozenset(paths), frozenset(ids), parts)
    return found


def line_parts() -> frozenset:
    """The names on the way to the folders path lines add (``line_folders``): a rename or
    link whose new entry has none of them puts nothing in their place."""
    return line_folders()[2]


def line_names() -> frozenset:
    """The start-up names of a folder a path line adds: ``sitecustomize``/``usercustomize``
    (site imports them from all of ``sys.path``) and the modules this Python's own site
    folders' ``.pth`` import lines import (``_distutils_hack``, an editable finder): the
    site folder's own copy found first, but one removed or renamed away, the import reaches
    the path lines' folders. Not the standard library's other start-up modules: the library
    comes first on ``sys.path`` (a project's own ``types.py`` is its own business)."""
    names = _FOUND.get("line_names")
    if names is None:
        imported = pth_imports(_own_sites())
        names = ("sitecustomize", "usercustomize", *_PTH_IMPORTS, *imported)
        names = _FOUND["line_names"] = frozenset(names)
    return names


def in_line_folder(path: str, fst) -> bool:
    """Whether a write at ``path`` (``fst``: its folder's ``stat``, None when unread) may be
    of a start-up name (``line_names``) in a folder a path line adds (``line_folders``): the
    hot path's test, read in full by ``line_folder``. A module there by its folder's inode or
    spelling, a package's file or bytecode one folder down by spelling, or the folder itself
    (a file there is an archive Python imports from). Nothing without path lines; string
    work and one ``getcwd`` for a relative path with them (a plain absolute path is taken as
    it is: every write pays this test)."""
    paths, ids, _ = line_folders()
    if not paths:
        return False
    full = path
    if path[:1] != "/" or "/." in path or "//" in path:
        try:
            full = os.path.abspath(path)
        except (OSError, ValueError):
            return True  # a working folder Warden cannot name: read in full
    if full in paths:
        return True
    cut = full.rfind("/")
    folder, name = full[:cut], full[cut + 1 :]
    if folder in paths or (fst is not None and (fst.st_dev, fst.st_ino) in ids):
        return _stem(name) in line_names()
    cut = folder.rfind("/")
    if folder[:cut] in paths:
        parent = folder[cut + 1 :]
        return _stem(name if parent == _PYCACHE else parent) in line_names()
    return False


def line_folder(path: str, opened: bool = True) -> str:
    """The folder a path line adds (``line_folders``) whose start-up name (``line_names``) a
    write at ``path`` creates or replaces, as a module, its package's file or its bytecode,
    or (``opened``: a file opened for writing) that folder itself written as a file ('' when
    none). What a rename or link puts at the folder's place is read by what it brings there
    (``StartWrites._check_brought``)."""
    paths = line_folders()[0]
    if not paths:
        return ""
    # by its names first (a real path costs a look at each folder above it)
    names = line_names()
    folder, name = os.path.split(path)
    parent = os.path.basename(folder)
    if not (opened and name in line_parts()) and parent != _PYCACHE:
        if _stem(name) not in names and _stem(parent) not in names:
            return ""
    real = _real_entry(path)
    if opened and real in paths:
        return real  # a file where a path line's folder is: an archive, imported from
    for folder, entry in _entries(real):
        if folder in paths and _stem(entry) in names:
            return folder
    return ""


def _real_folder(folder: str, fst) -> str:
    """The real path of the folder ``folder`` (``fst``: its ``stat``), kept by the folder's
    device, inode and change time (a rename of the folder changes it): a process writing in
    the same folders pays one resolution per folder, not one per write. A folder brought
    into Warden's package or the library by moving a folder above it keeps its old path
    here; what matters there (a package folder beside a module, a library file) is itself
    made or moved, so read again."""
    key = (fst.st_dev, fst.st_ino, fst.st_ctime_ns)
    known = _REAL_FOLDERS.get(key)
    if known is None:
        if len(_REAL_FOLDERS) > 1024:
            _REAL_FOLDERS.clear()
        known = _REAL_FOLDERS[key] = os.path.realpath(os.path.abspath(folder or "."))
    return known


# the real paths of the folders writes were read in (``_real_folder``)
_REAL_FOLDERS: dict = {}


def _real_entry(path: str) -> str:
    """``path`` with its folder's real path (the entry itself may be a link: not followed)."""
    path = os.path.abspath(path)
    return os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))


def _source(event: str, where: str, args: tuple) -> str:
    """What ``os.rename`` moves or ``os.link`` names again (its ``src``, from ``src_dir_fd``)
    or ``os.symlink`` leads to (its target, from the link's folder), as an absolute path ('' when
    unreadable)."""
    src = args[0]
    if not isinstance(src, (str, bytes)):
        return ""
    src = _path_text(src)  # a str subclass by its data
    if src[:1] == "/":
        return src
    if event == "os.symlink":
        return os.path.join(os.path.dirname(os.path.abspath(where)), src)
    fd = args[2] if len(args) > 2 else None
    if type(fd) is int and fd >= 0:
        return os.path.join(_fd_path(fd), src)
    return os.path.abspath(src)


def _own_folders():
    if "own" not in _FOUND:
        sites = [f for f in list(OWN.site_packages) + [OWN.user_site] if f]
        own = sites + list(OWN.stdlib_folders())
        _FOUND["own"] = (sites, [os.path.realpath(f) for f in own])
    return _FOUND["own"]


_PYCACHE = "__pycache__"


def _library_roots() -> tuple:
    """This Python's standard library (its folder, lib-dynload, its zip) by real paths, and
    the devices they are on (a removal elsewhere pays no real path): read once."""
    found = _FOUND.get("library")
    if found is None:
        roots = dict.fromkeys(os.path.realpath(f) for f in (OWN.stdlib(), *OWN.stdlib_folders()))
        devices = set()
        for root in roots:
            try:
                devices.add(os.stat(os.path.dirname(root)).st_dev)
            except (OSError, ValueError):
                continue
        found = _FOUND["library"] = (tuple(roots), frozenset(devices))
    return found


def library_holding(real: str) -> str:
    """The standard library (``_library_roots``) ``real`` (a real path) is in, is, or holds
    ('' when none); a path through a site folder (``*-packages``) or ``__pycache__`` is not
    the library's."""
    for root in _library_roots()[0]:
        if root.startswith(real.rstrip("/") + "/"):
            return root  # a folder holding the library
        if real != root and not real.startswith(root + "/"):
            continue
        parts = real[len(root) + 1 :].split("/")
        if not any(p == _PYCACHE or p.endswith("-packages") for p in parts):
            return root
    return ""


def _guard_roots() -> list:
    """Warden's package, which every guarded Python boots from (``boot/site`` on PYTHONPATH,
    whose sitecustomize loads ``boot/site_boot.py`` and the package by location), and that
    boot folder. A guard bootstrapped from embedded source (a kernel without the package:
    ``bootstrap_source``) has no file of its own to keep."""
    if "roots" not in _FOUND:
        here = globals().get("__file__")
        roots = []
        if here:
            package = os.path.abspath(here)
            for _ in range(4):  # installs/ guard/ kernel/ jupyterlab_warden/
                package = os.path.dirname(package)
            roots.append(os.path.realpath(package))
        launch = own_module("jupyterlab_warden.kernel.boot.launch_env")  # the guard's (fix 58mods)
        site = getattr(launch, "SITE_DIR", None)
        if site and not any(os.path.realpath(site).startswith(r + "/") for r in roots):
            roots.append(os.path.realpath(site))
        _FOUND["roots"] = roots
    return _FOUND["roots"]


def _guard_folders() -> dict:
    """The folders of Warden's package, by device and inode (read once: a folder link or a
    relative name reaches the same inode; one made later is read by its real path:
    ``_guard_real``), and the devices they are on (``_FOUND["guard_devices"]``)."""
    if "guard_dirs" not in _FOUND:
        found = {}
        for root in _guard_roots():
            for top, _, _ in os.walk(root):
                try:
                    st = os.stat(top)
                except OSError:
                    continue
                found[(st.st_dev, st.st_ino)] = root
        _FOUND["guard_devices"] = frozenset(dev for dev, _ in found)
        _FOUND["guard_dirs"] = found
    return _FOUND["guard_dirs"]


def _guard_real(folder: str, fst) -> str:
    """The root of Warden's package the folder ``folder`` (``fst``: its ``stat``) is in by
    its real path ('' when none): a folder made there after the package's inodes were read
    (red team 36 R36-4: by a `mkdir` child, or before the first write)."""
    real = _real_folder(folder, fst)
    for root in _guard_roots():
        if real == root or real.startswith(root + "/"):
            return root
    return ""


def _guard_inode(st) -> str:
    """The root of Warden's package whose file ``st`` (more than one name) is ('' when none):
    its files read each time (a write of a file with two names is rare; a list kept would miss
    the files made after it)."""
    for root in _guard_roots():
        for top, _, files in os.walk(root):
            for name in files:
                try:
                    fst = os.stat(os.path.join(top, name))
                except OSError:
                    continue
                if (fst.st_dev, fst.st_ino) == (st.st_dev, st.st_ino):
                    return root
    return ""


def _folder_stat(path: str):
    """The ``stat`` of the folder holding ``path`` (None when it cannot be read)."""
    try:
        return os.stat(os.path.dirname(path) or ".")
    except (OSError, ValueError):
        return None


def guard_folder(path: str, st=None, fst=False) -> str:
    """Warden's package root a write at ``path`` (``st``: its ``lstat``, None when new) is
    under ('' when none; ``_PYCACHE`` for its bytecode), by its folder's inode: one ``stat``
    (``fst``: that ``stat``, already read; None: the folder cannot be read)."""
    folder = os.path.dirname(path) or "."
    if fst is False:
        fst = _folder_stat(path)
    if fst is None:
        return ""
    folders = _guard_folders()
    found = folders.get((fst.st_dev, fst.st_ino), "")
    if not found and fst.st_dev in _FOUND["guard_devices"]:
        found = _guard_real(folder, fst)  # unknown, on the package's device: its real path
    if os.path.basename(folder) == _PYCACHE:
        if found:
            return _PYCACHE
        try:
            pst = os.stat(os.path.dirname(os.path.abspath(folder)))
        except (OSError, ValueError):
            return ""
        return _PYCACHE if (pst.st_dev, pst.st_ino) in folders else ""
    if not found and st is not None and stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
        found = _guard_inode(st)
    return found


def _start_inode(st) -> str:
    """The site folder or library whose start-up file ``st`` (a file with more than one name)
    is ('' when none): the files of this Python's own site folders and standard library whose
    names are start-up names, by device and inode, read again when one of them changed."""
    own = _own_folders()[1]
    stamp = []
    for folder in own:
        try:
            stamp.append(os.stat(folder).st_mtime_ns)
        except OSError:
            stamp.append(0)
    cached = _FOUND.get("inodes")
    if cached is None or cached[0] != stamp:
        cached = _FOUND["inodes"] = (stamp, _start_inodes(own))
    return cached[1].get((st.st_dev, st.st_ino), "")


def _start_inodes(own: list) -> dict:
    names = _FOUND.get("names") or start_names()
    found = {}
    for folder in own:
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        site = _site(folder, own)
        imported = pth_imports([folder]) if site else ()
        for entry in entries:
            if not (_named(entry, names) or _stem(entry) in imported):
                continue
            path = os.path.join(folder, entry)
            for file in _files(path):
                try:
                    st = os.stat(file)
                except OSError:
                    continue
                found[(st.st_dev, st.st_ino)] = folder
    return found


def _files(path: str):
    """``path`` itself, or the files under it (a package)."""
    if not os.path.isdir(path):
        return (path,)
    return [os.path.join(top, f) for top, _, files in os.walk(path) for f in files]


def getpath_folder(path: str) -> str:
    """The folder of a Python whose start a write at ``path`` changes before any ``site``
    ('' when none), by the files CPython's getpath reads (red team 33 R33-3, R33-4):

    - ``pyvenv.cfg`` (its ``home`` names the standard library) in a folder holding a Python
      program, or above a ``bin``/``Scripts`` folder holding one: a new venv's
      (``python -m venv``) is written before its program, and so allowed;
    - ``*._pth`` (``<program>._pth``, ``python3XY._pth``, ``<libpython>._pth``: an isolated
      start with no ``site``, so no guard) in a folder holding a Python program or libpython.
    """
    name = path[path.rfind("/") + 1 :]
    venv = name == "pyvenv.cfg"
    if not venv and not name.endswith("._pth"):
        return ""
    folder = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    if _holds_python(folder, library=not venv):
        return folder
    if venv:
        for inner in ("bin", "Scripts"):
            if _holds_python(os.path.join(folder, inner), library=False):
                return folder
    return ""


def _holds_python(folder: str, library: bool) -> bool:
    try:
        entries = os.listdir(folder)
    except OSError:
        return False
    prefixes = ("python", "libpython") if library else ("python",)
    for entry in entries:
        if entry.startswith(prefixes) and not entry.endswith(("._pth", ".cfg")):
            if os.path.isfile(os.path.join(folder, entry)):
                return True
    return False


def written_folder(path: str, moved: bool = False, tree: bool = False) -> str:
    """The site folder or library a write at ``path`` creates or replaces a start-up name of
    ('' when none), by its real folder (one resolution: the folders above it are real too).
    ``moved``: a rename or link, which may put another folder in place of a site folder, a
    library or one holding them; ``tree``: anything under ``path`` is written (a site folder
    or library itself counts)."""
    names = _FOUND.get("names") or start_names()
    own = _own_folders()[1]
    path = os.path.abspath(path)
    if tree:
        real = os.path.realpath(path)
    else:
        real = os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))
    if moved or tree:
        for folder in own:
            if folder == real or (moved and folder.startswith(real.rstrip("/") + "/")):
                return folder
        if _site(real, own) or _library(real, "", own):
            return real
    for folder, entry in _entries(real):
        site = _site(folder, own)
        if _named(entry, names) and (site or _library(folder, entry, own)):
            return folder
        if site and _stem(entry) in pth_imports([folder]):
            return folder  # a module this site folder's own .pth files import
    return ""


def word_paths(words: list) -> list:
    """The paths a program's words may name, for a program Warden does not know: its
    operands, the value of ``of=bin/gzip``, an option's attached value (``--target-directory=
    bin``; ``-obin/gzip``, and in a bundle ``-vo<site>/zz.pth`` each place the value may start
    at, up to its first ``/``). One rule for the kernel's line (``commands``) and a Python the
    kernel starts (``unlisted_writes``: red team 38b R38b-4, ``shuf -o<site>/zz.pth``)."""
    paths = []
    for word in words:
        if word.startswith("--"):
            paths += [word.partition("=")[2]] if "=" in word else []
        elif word.startswith("-"):
            paths += [word.partition("=")[2]] if "=" in word else []
            slash = word.find("/")
            bundle = range(2, slash + 1) if slash > 1 else ()  # flag letters, then the value
            paths += [word[k:] for k in bundle if word[1:k].isalnum()]
        else:
            paths.append(word)
            if "=" in word:
                paths.append(word.partition("=")[2])
    return paths


def unlisted_writes(argv, cwd) -> str:
    """Why a Python the kernel starts may not start ``argv``, a program not on
    ``line_writers``' list ('' when it may): one Warden does not know may write what its words
    name (a launcher's command, `rsync`, cp under another name: red team 34 R34-1), so a word
    whose path (an option's ``=`` value too, from ``cwd``, links resolved) is a site folder or
    library of this Python, or a start-up name in one, refuses it; so does starting it in such
    a folder. Paths only by their words: a folder named holding a link to one is not walked
    (`ls /tmp` runs)."""
    try:
        here = os.path.abspath(os.fsdecode(cwd) if cwd else os.getcwd())
    except (OSError, TypeError, ValueError):
        return f"Warden cannot tell the folder {argv[0]} starts in"
    program = os.path.basename(argv[0])
    if written_folder(here, tree=True):
        return (
            f"it runs {program}, a program Warden does not know, in {here}, a folder this "
            "Python imports from as it starts, before Warden's guard; a Python the kernel "
            "starts may not write there: install packages with pip, which Warden decides"
        )
    if any(type(word) is not str for word in argv[1:]):
        return f"Warden cannot read a word of {program}'s command"
    for value in word_paths(list(argv[1:])):
        if not value or (os.sep not in value and value.startswith("-")):
            continue
        path = os.path.join(here, value)
        folder = written_folder(path, tree=True) if os.path.lexists(path) else ""
        folder = folder or written_folder(path) or _beside(program, path)
        if folder:
            return (
                f"it runs {program}, a program Warden does not know, naming {value}, in "
                f"{folder}, a folder this Python imports from as it starts, before Warden's "
                "guard; a Python the kernel starts may not write there: install packages with "
                "pip, which Warden decides"
            )
    return _in_place_backup(program, list(argv[1:]), here)


def _in_place_backup(program: str, args: list, here: str) -> str:
    """Why an interpreter editing files in place may not start (''): a backup its -i suffix
    names (``perl -i'<site>/*.pth' -pe '' zz``, red team 37b R37b-1) is a start-up name of a
    site folder or library of this Python, or a suffix Warden cannot read may name one."""
    from .line_writers import AnyPlace, in_place_writes

    try:
        backups = in_place_writes(program, args)
    except AnyPlace as exc:
        return f"{exc}: it may write anywhere, a folder this Python imports from included"
    for _kind, part in backups:
        folder = written_folder(os.path.join(here, part))
        if folder:
            return (
                f"it runs {program}, whose -i writes a backup {part} in {folder}, a folder this "
                "Python imports from as it starts, before Warden's guard: edit without a "
                "backup suffix, or keep the backup out of that folder"
            )
    return ""


def _beside(program: str, path: str) -> str:
    """The site folder or library holding ``path`` ('' when none), where ``program`` may write
    a name derived from a word's beside it (red team 37b R37b-2: ``bunzip2 <site>/zz.pth.bz2``
    writes zz.pth, ``rsync -b --suffix=.pth q <site>/zz`` zz.pth, ``perl -i.pth``): any name
    in the word's folder. The shell's programs that write nothing (ls, cat, du) are not
    counted: they are looked up only for a word in such a folder."""
    folder = written_folder(os.path.dirname(path), tree=True)
    if not folder:
        return ""
    from .commands import _NO_WRITE

    return "" if program in _NO_WRITE else folder


def _stem(name: str) -> str:
    return name.split(".")[0]


def _candidate(path: str, names: frozenset) -> bool:
    """Whether a write at ``path`` may be of a start-up name, by string work alone (the hot
    path: every ``open`` for writing): its name, its folder's (a package, ``__pycache__``),
    or a path through a ``*-packages`` folder (a module a ``.pth`` imports)."""
    cut = path.rfind("/")
    name = path[cut + 1 :]
    if name.endswith((".pth", "._pth", "pyvenv.cfg")) or name.startswith(
        ("__editable__", "python3")
    ):
        return True
    if name.partition(".")[0] in names or "-packages" in path:
        return True
    parent = path[path.rfind("/", 0, cut) + 1 : cut] if cut > 0 else ""
    if parent == "__pycache__":
        return True  # the module's name is read in full (a package's: one folder up)
    return parent.partition(".")[0] in names or parent.startswith("__editable__")


def _entries(path: str):
    """The (folder, entry name) pairs a write at ``path`` creates or changes an entry of, as a
    module finds them: the file itself; its package folder in the folder above; the module
    whose bytecode it is (``__pycache__/NAME.cpython-311.pyc``), or that module's package."""
    folder, name = os.path.split(path)
    outer, parent = os.path.split(folder)
    if parent != "__pycache__":
        return ((folder, name), (outer, parent))
    return ((folder, name), (outer, name), os.path.split(outer))


def _named(entry: str, names: frozenset) -> bool:
    """Whether a folder's entry is a start-up name of a site folder or library by its name."""
    if entry.endswith(".pth") or entry.startswith("__editable__") or _archive(entry):
        return True
    return _stem(entry) in names


def _archive(name: str) -> bool:
    """``python311.zip``, ``python313t.zip``: a standard library's archive (no ``re`` at start)."""
    return name.startswith("python3") and name.endswith(".zip") and _version(name[7:-4])


def _library_name(name: str) -> bool:
    """``python3.11``, ``python3.13t``: a standard library's folder."""
    return name.startswith("python3.") and _version(name[8:])


def _version(text: str) -> bool:
    return (text[:-1] if text.endswith("t") else text).isdigit()


def _site(real: str, own: list) -> bool:
    return os.path.basename(real) in _SITE_NAMES or real in own


def _library(real: str, entry: str, own: list) -> bool:
    """Whether the real folder ``real`` is a standard library's (``lib*/python3.X``,
    ``lib-dynload``, this Python's own), or the ``lib`` folder a ``pythonXY.zip`` ``entry``
    stands in."""
    name = os.path.basename(real)
    if real in own or name == "lib-dynload":
        return True
    if _archive(entry):
        return name.startswith("lib")
    return _library_name(name) and os.path.basename(os.path.dirname(real)).startswith("lib")
