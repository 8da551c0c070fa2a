"""The install gate: process starts seen through audit events, decided before they run.

The guard's audit hook hands ``InstallGate.check`` every ``subprocess.Popen``, ``os.system``,
``os.exec``, ``os.posix_spawn`` and ``os.spawn`` event. These events fire before the process
exists (``subprocess.Popen`` before the fork; ``os.system`` before the shell starts;
``os.exec`` before the image is replaced), so a refusal means the installer never started.

A refused start raises ``WardenBlockedInstall`` (a ``PermissionError``: code that handles a
failed start handles this). One exception: ``os.exec`` in a child forked from the kernel
(IPython runs ``%pip`` and ``!cmd`` through pexpect: fork, then exec ``sh -c``). Raising
there would let the forked copy of the kernel run on, so the gate writes the refusal to the
child's stderr (the cell shows it) and ends the child with ``os._exit(126)``.

Every decision is an event: ``install-allowed`` for an install that runs, one event per
finding otherwise (rule ids in decide.py and schema/rules.json).
"""

from __future__ import annotations

import _contextvars  # built in: the pip command's variable, made with no import later
import os
import stat
import sys

from ...environ import (
    EVENT_SPOOL_ENV,
    KERNEL_KEY_ENV,
    KERNEL_UPDATE_ENV,
    POLICY_DIGEST_ENV,
    POLICY_FILE_ENV,
    TREE_MOUNTS_ENV,
    TREE_STARTED_ENV,
)
from ..frozen_builtins import FROZEN, FS_ENCODING, PATH_CLASSES, fs_decode, path_text
from ..private_modules import GuardLoadError, own_module
from . import handed_fds, pip_commands
from .decided_start import publish
from .fastpath import (
    NOWHERE,
    find,
    first_look,
    first_look_words,
    interpreter_variable,
    placings,
    script_operand,
    words_are_str,
)
from .inherited_env import InheritedEnviron, changed_names, launch_value, read_environ
from .own_python import OWN  # noqa: F401 - its facts are read now, before any user code
from .own_reading import door
from .path_programs import new_programs, renamed_as_itself, unreadable
from .pip_process import PipProcess, boot_argv
from .preexec import execute_child_wrapper
from .script_start import DECIDED, ScriptStarts
from .shipped_data import DEPS_FOLDER  # noqa: F401 - fixed now, before any cell (R43b-3)
from .start_writes import StartWrites, child_writes
from .uv_cache import cache_allowed as uv_cache_allowed
from .uv_cache import keep_off as keep_uv_cache_off

# the builtins of the boot for this module's functions (red team 38a R38a-1, R38a-5)
__builtins__ = FROZEN

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing is not imported at interpreter start
    from typing import Dict, List

# The reading and deciding modules load on the first process start that may install
# (``_lazy``): every guarded Python imports this module at start-up, most never install.
EXIT_REFUSED = 126  # "command cannot execute", what a shell reports for a refused program
# events whose program, when a bare name, is not looked up on the env's PATH (``placings``)
_BARE_PATH_EVENTS = ("os.exec", "os.posix_spawn")
_ORDER = {"off": 0, "warn": 1, "confirm": 2, "block": 3}
# names whose change may drop the guard of the kernel's children (commands.GUARD_ENVIRON, which
# loads late): a cheap first test on every os.environ write
_GUARD_NAMES = frozenset(("PYTHONPATH", "PYTHONHOME", "PYTHONPLATLIBDIR", POLICY_FILE_ENV,
                          POLICY_DIGEST_ENV, KERNEL_KEY_ENV, KERNEL_UPDATE_ENV, "PYTHONUSERBASE",
                          "PYTHONPYCACHEPREFIX", TREE_STARTED_ENV,
                          TREE_MOUNTS_ENV))  # fmt: skip
# the variables that say whether a child Python inherits this process's guard (commands.py)
_LAUNCH_KEYS = (
    "PYTHONPATH", POLICY_FILE_ENV, POLICY_DIGEST_ENV, KERNEL_KEY_ENV, KERNEL_UPDATE_ENV,
    "PYTHONUSERBASE", "PYTHONPYCACHEPREFIX", EVENT_SPOOL_ENV, TREE_STARTED_ENV,
    TREE_MOUNTS_ENV,
)  # fmt: skip


def _crossing() -> tuple:
    """What of its caller's context a decision keeps (``own_reading``): pip's command stage
    (``allowed_install``), once pip's first command made its variable."""
    var = _PIP_COMMAND.get("var")
    return () if var is None else ((var, var.get()),)


# the gate's entries (the audit hook's, the wrappers'): each decides in a context of its own,
# a decision inside another's reading too (red team 47a R47a-2: ``own_reading``)
_alone = door(_crossing)


class WardenBlockedInstall(PermissionError):
    """Jupyter Warden refused to start a package installation; the message says why and what
    to do."""

    def __init__(self, message: str, events=()):
        super().__init__(message)
        self.events = list(events)

    def _render_traceback_(self):
        return [f"WardenBlockedInstall: {self}"]


# ``line_writers``, loaded after the seal, is the guard's alone: asked of ``own_module`` at each
# use (dict lookups), never kept in a global of this module, which the process reaches in
# ``sys.modules`` (fix 58mods)
_LINE_WRITERS = __name__.rpartition(".")[0] + ".line_writers"
_start_writes = None  # the module, once a start first needs it (``_may_reach_start_places``)


def _own_line_writers():
    """The guard's ``line_writers`` (loaded on first use); before the seal, the import's."""
    module = own_module(_LINE_WRITERS, load=True)
    if module is None:
        from . import line_writers as module
    return module


def _may_reach_start_places(start, cwd, here=None, may_write=None) -> bool:
    """Whether a start that is no writer of ``line_writers``' list may still write a start-up
    name (``InstallGate._child_writes``): a word is a path (a launcher's, an unknown program's
    operand: `rsync p.pth SITE/zz.pth`), or names a writer of the list (`xargs cp p.pth`,
    `env cp ...`), or it runs in a site folder or a library (relative names land there: by
    its name, or by inode for one of this Python's own). ``here``: the process's folder as
    the decision began (``check``'s ``getcwd``: the folder a Popen child is started in,
    ``decided_start``), asked again when None; ``may_write``: ``line_writers``' test, when
    the caller has it. Cheap: string tests, then one ``stat`` when the words say nothing."""
    if may_write is None:
        may_write = _own_line_writers().may_write
    for word in start[1:]:
        if type(word) is not str or os.sep in word or may_write(word):
            return True
    try:
        folder = os.fsdecode(cwd) if cwd else (here if here is not None else os.getcwd())
        if "-packages" in folder or "/lib/python" in folder or "/lib64/python" in folder:
            return True
        # a link to one spells neither: this Python's own site folders and library by inode
        global _start_writes
        if _start_writes is None:  # loaded on first use, kept (an import statement here ran
            # the guard's ``__import__``, Python code, at every start of a guarded child)
            from . import start_writes as _start_writes
        return _start_writes.own_folder(os.stat(folder))
    except (OSError, TypeError, ValueError):
        return True  # a folder Warden cannot name (removed, a path object): read in full


def _admin_policy(state):
    """The policy ``state`` holds, or None when there is none or it was changed outside the
    lab's channel (``GuardState.intact``): read as the built-in default (fail closed)."""
    try:
        return state.policy if state.intact() else None
    except AttributeError:  # no guard state (a reading made without one)
        return None


class InstallGate:
    def __init__(self, state):
        self.state = state
        self._data = None  # DepsData, loaded on the first install
        self.forked = False
        self.counts = {"process_starts": 0, "installs_seen": 0, "installs_refused": 0}
        if not uv_cache_allowed(_admin_policy(state)):
            keep_uv_cache_off()  # every uv this Python starts runs without its cache (R40b-3)
        # findings the user confirmed for the install now running: pip's own re-decisions of
        # that install (resolved options, file reads) honour them without a second confirmation
        self._just_confirmed = set()
        # script-magic bodies Warden decided: the one start IPython makes may read its stdin as
        # that body (``script_start``, red team 47a R47a-1)
        self.script_starts = ScriptStarts()
        # what says whether the Pythons this process starts inherit its guard, kept as it was
        # at install, before cell code could change os.environ (red team 9 R9-2, R9-5);
        # read into a commands.LaunchGuard on the first install (commands loads late)
        # with the Python variables and PATH it started with: a start that sets, changes or
        # unsets one of them hands its pip another environment (commands.guard_env)
        self._start_environ = {
            k: v
            for k, v in os.environ.items()
            if k in _LAUNCH_KEYS or k == "PATH" or k.startswith("PYTHON")
        }
        self._launch = None
        self._readings = {}  # _program_reading's answers
        # whether a Python's `#!` line of older PATH programs keeps the guard, per line, folder
        # and the variables its start depends on (``_older_programs``); the inherited ones
        # kept per environment version
        self._python_lines = {}
        self._inherited_start = (-1, ())
        self._older_quiet = None  # the last inherited start's with nothing to read
        # what a start that inherits the environment hands its child (the C environ, with
        # os.putenv/os.unsetenv: red team 10 R10-12), kept from now on by the audit hook
        self.inherited = InheritedEnviron()
        # (version, whether its changes set a variable an interpreter reads): ``_script_operand``
        self._interpreter_changes = (-1, False)
        # the notebook's values a start that inherits them may run as shell text
        # (``command_values.may_be_command``, decided when set): each such start reads them
        # again where it runs (red team 27 R27-1); empty, the common start pays one test
        self._command_names = set()
        # the lab's kernel itself (site_boot: the process the launch's status file is for):
        # only there is a change of its environment that drops its children's guard refused,
        # not in a guarded pip, whose build environment sets PYTHONPATH (environ_changed)
        self.kernel = False
        # whether this process is pip's own command (``allowed_install``), read from its
        # command line and search path now, before any code of its own runs (red team 34 R34-9)
        self.pip = PipProcess(boot_argv())
        self.writes = StartWrites(self)
        # the files handed to children the rule passed, by descriptor, file and name
        # (``_handed_files``: a kernel's stderr may be a log file, handed to every start)
        self._handed_passed = set()
        self.start_writes = self.writes.check
        self.own_change = False  # the guard's own policy update renames the policy file
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._after_fork)

    def _after_fork(self) -> None:
        self.forked = True

    @property
    def launch(self):
        if self._launch is None:
            from .commands import launch_snapshot

            self._launch = launch_snapshot(self._start_environ)
        return self._launch

    @property
    def data(self):
        if self._data is None:
            from .data import DepsData

            self._data = DepsData()
        return self._data

    # -- the audit hook's entries ----------------------------------------------------------
    def environ_changed(self, event: str, args: tuple) -> None:
        """``os.putenv``/``os.unsetenv`` (``os.environ[...] = v`` and ``del`` raise them too,
        before either copy changes): recorded for the starts that inherit it; refused first, in
        the lab's kernel, when it would make the Pythons the kernel starts guardless (red team
        12 R12-9): joblib/loky start their workers through ``_posixsubprocess``, which no audit
        event shows, so the environment they inherit is their only guard. So is a value that
        carries a command some program may run (red team 25 R25-3: ``command_values``). A
        PYTHONPATH written to the C environ past ``child_path.environ_writer`` is refused when it
        drops the guard (``_unrerouted``)."""
        self.refuse_environ_change(event, args, written=True)
        self.inherited.changed(event, args)
        self._note_command_value(args)

    @_alone
    def refuse_environ_change(self, event: str, args: tuple, written: bool = False) -> None:
        """Refuses this change when the rules above refuse it. ``written``: what the C environ
        gets (the audit event); else the value a notebook asked for, which
        ``child_path.environ_writer`` writes in another form."""
        if not self.own_change and self.state.enabled:
            problem = (
                (self._guard_dropped(event, args) if self.kernel else "")
                or (self._unrerouted(event, args) if written else "")
                or _command_value(event, args, self.inherited.read())
            )
            if problem:
                from .request import InstallRequest

                request = InstallRequest("unknown", "os.environ change")
                request.problems.append(problem)
                self._enforce([request], event, in_process=False)

    def _unrerouted(self, event: str, args: tuple) -> str:
        """Why a PYTHONPATH the C environ gets is refused: ``child_path.environ_writer`` writes
        only a form that keeps the guard (red team 31 R31-1), so another one was written past
        it (``posix.putenv``, ``os.putenv`` put back), and every start that inherits it would
        be decided on folders a later line may fill. A change whose name or value Warden
        cannot decode may be such a PYTHONPATH: refused (fail closed)."""
        try:
            name = os.fsdecode(args[0])
            value = os.fsdecode(args[1]) if event == "os.putenv" else None
        except Exception:  # noqa: BLE001 - not text Warden reads: refused below
            name = value = None
        if name is not None and (name != "PYTHONPATH" or self.inherited.get(name) == value):
            return ""
        launch = self.launch
        if launch is None or not launch.children_guarded:
            return ""
        if name is None:
            return (
                f"Warden cannot read the name or value this {event} writes to the process "
                "environment (not text it decodes), so it cannot tell whether the processes "
                "started from then on keep Warden's guard: set variables through os.environ "
                "with str values"
            )
        from .child_path import deferred

        if value is not None and deferred(value, dict(launch.python).get(name, "")) is None:
            return ""
        return (
            "this PYTHONPATH was written to the process environment past os.environ (posix."
            "putenv or posix.unsetenv): the processes started from then on that inherit it "
            "would start without Warden's guard first. Set it through os.environ "
            "(os.environ['PYTHONPATH'] += os.pathsep + 'src'), which keeps the guard"
        )

    def _note_command_value(self, args: tuple) -> None:
        """Keeps ``_command_names``: whether the variable just changed is now a value the
        notebook set that a start may run as shell text."""
        try:
            name = os.fsdecode(args[0])
        except Exception:  # noqa: BLE001 - not text: the inherited environment is unknown
            return
        value = self.inherited.get(name)
        if value is None or launch_value(name) == value:
            self._command_names.discard(name)
            return
        from .command_values import may_be_command

        if may_be_command(value):
            self._command_names.add(name)
        else:
            self._command_names.discard(name)

    def _held_command(self, cwd) -> str:
        """Why a start in ``cwd`` (None: this process's folder) that inherits the notebook's
        command-like values is refused, each read in that folder and the start's PATH."""
        from .command_values import refused_held
        from .folders import in_full

        folder = in_full(os.fsdecode(cwd)) if cwd else os.getcwd()
        return refused_held(sorted(self._command_names), self.inherited.get, folder)

    def _guard_dropped(self, event: str, args: tuple) -> str:
        try:
            name = os.fsdecode(args[0])
            value = os.fsdecode(args[1]) if event == "os.putenv" else None
        except Exception:  # noqa: BLE001 - bytes on POSIX; anything else: recorded as unknown
            return ""
        if name not in _GUARD_NAMES or self.inherited.get(name) == value:
            return ""
        if self.launch is None or not self.launch.children_guarded:
            return ""  # a kernel without the launch guard has none to hand on
        from .commands import environ_change_drops_guard

        why = environ_change_drops_guard(name, value)
        if not why:
            return ""
        return (
            f"this change of the kernel's {name} leaves {why}: the Pythons the kernel starts "
            "from then on (multiprocessing and joblib workers, any library's processes) would "
            "run without Warden's guard. Keep Warden's folder first on PYTHONPATH (add folders "
            "after it: os.environ['PYTHONPATH'] += os.pathsep + 'src'), or pass the variables "
            "to one command as env=dict(os.environ, ...)"
        )

    @property
    def allowed_install(self) -> bool:
        """A pip install the gate allowed runs, in this thread, inside pip's own command: it
        writes site folders' .pth files, which ``start_writes`` refuses in any other Python
        the kernel starts. Only while that command runs (red team 33: a flag that outlived it,
        set by ``create_command("install").parse_args([...])`` alone, let the script write
        its .pth after); only in a process started as pip's own command that ran no other
        code (``pip_process``, red team 34 R34-9: a script that imports pip rewires it with
        standard-library callables that leave no frame of its own); and only for pip's own
        code (``_pip_code_runs``)."""
        return pip_command_stage() == "install" and self.pip.own() and _pip_code_runs()

    def pip_not_own(self) -> str:
        """What a refused start-up write says when a pip install runs in this process that is
        not pip's own command ('' otherwise): what to run instead."""
        if pip_command_stage() != "install" or self.pip.own():
            return ""
        why = self.pip.why or "it was not started as pip's own command"
        return (
            f". A pip install writes them only as pip's own command, started as `python -m "
            f"pip install ...` or pip's console script, that runs no other code: here {why}"
        )

    @_alone
    def check(self, event: str, args: tuple) -> None:
        # every start ends a script magic's pending pass: taken by its own start, else void
        starts = self.script_starts
        # ``take``'s own first test here (no offer pending or armed: it answers None), a call
        # less for the common start
        script = (
            starts.take(event, args, self.inherited.version, os.getcwd)
            if starts._pending or starts._armed
            else None
        )
        if script is not None and script is not DECIDED:
            self._enforce([_refused_script_start(args[1][0], script)], event, in_process=False)
        # the folder the start's relative names are read in: a Popen child runs there, whatever
        # the process's folder is at the fork (``decided_start``, red team 47a R47a-3);
        # ``_current_folder`` inline (a frame less per start)
        try:
            here = os.getcwd()
        except OSError:
            here = None
        handed = None  # the token of the start's handed files (``handed_redirect.TARGETS``)
        try:
            self.counts["process_starts"] += 1
            found = self._handed_files(event)
            if found:  # its own redirections while it is read (red team 56b R56b-6, -7)
                from .handed_redirect import TARGETS

                handed = TARGETS.set(found)
            if self.kernel or self.allowed_install:
                decided = self._check(event, args, here, False)
            else:
                # a Python the kernel starts: what it starts may not write start-up names (R32-3)
                flag = child_writes()
                token = flag.set(True)
                try:
                    decided = self._check(event, args, here, True)
                finally:
                    flag.reset(token)
        except (GuardLoadError, ImportError) as exc:
            # the guard's own reading could not load: its private copy of a library module
            # refuses a file changed since the kernel started (``private_modules``)
            self._refuse_unloaded(event, exc)
            return
        finally:
            if handed is not None:
                from .handed_redirect import TARGETS

                TARGETS.reset(handed)
            if script is not None:
                self.script_starts.done()
        if decided is not None:  # a Popen start allowed: it must exec what was decided (R39a-2)
            if _current_folder() != here:
                # another thread moved the process while the gate read the start's files
                # relative to its folder (R47a-3): what it read may be two folders' files
                why = "the kernel's working folder changed while Warden read the start"
                self._enforce([_refused_start(why)], event, in_process=False)
            publish(decided)

    def _refuse_unloaded(self, event: str, exc: Exception) -> None:
        """A start Warden cannot read because its reading code did not load: refused as an
        unreadable start (the policy's rule), or outright when even the refusal's own code
        cannot load (no note: Popen's verifier refuses it too)."""
        why = f"Warden could not load the code that reads this start: {exc}"
        try:
            self._enforce([_refused_start(why)], event, in_process=False)
        except (GuardLoadError, ImportError):
            raise PermissionError(f"Jupyter Warden refused a process start: {why}") from None

    def _check(self, event: str, args: tuple, here, child: bool):
        """Decides the start; for ``subprocess.Popen``, returns what it decided on
        (``decided_start.publish``'s note), read from the same copies; ``here``: the process's
        folder as the decision began (``_current_folder``); ``child``: a Python the kernel
        starts decides it, neither the kernel nor an allowed pip (``check`` asked once: its
        ``allowed_install`` walks frames). ``check`` weighed the files it hands its child
        (``_handed_files``), its own redirections while it is read."""
        version = self.inherited.version  # before any reading: a change during it is seen
        if event == "subprocess.Popen" and len(args) == 4:
            # the common start (subprocess.run([...]): exact str words, inherited environment and
            # folder) read as the general path below reads it, without its copies and calls
            program, argv, cwd, env = args
            if env is None and cwd is None and type(program) is str and type(argv) is list:
                start = argv[:]  # read once: another thread may change the list
                if words_are_str(start):  # what _plain_event reads without refusing
                    search = self.inherited.get("PATH", os.defpath)
                    words = tuple(start)
                    # ``_renamed_python``'s own first test inline (argv[0] the program's own
                    # text, no PYTHONEXECUTABLE: it answers False), a call less for the common
                    if (
                        not start
                        or start[0] != program
                        or self.inherited.get("PYTHONEXECUTABLE")  # ``_moves``
                    ) and self._renamed_python(program, start, None, None, event):
                        where = _placed(program, search, None)[2]  # warn mode runs it
                        return (program, words, (None, here), None, search, version, where)
                    start[:1] = [program]  # the event's program runs, not argv[0]
                    if self._command_names:
                        problem = self._held_command(None)
                        if problem:
                            self._enforce([_refused_start(problem)], event, in_process=False)
                            where = _placed(program, search, None)[2]  # warn mode runs it
                            return (program, words, (None, here), None, search, version, where)
                    if child:  # the folder it runs in: ``here``, asked already
                        self._child_writes(start, None, None, event, here)
                    # PATH's new program files first, as the general path below reads them;
                    # the folders' names, listed and checked current there, spare the lookup
                    # of the program the system calls in folders that do not hold it
                    present = {}
                    self._path_programs(search, None, None, event, present, here, start)
                    # the file the name is found as: what is decided, and what Popen may exec
                    placed = (
                        find(program, search, None, present)
                        if search and os.sep not in program
                        else NOWHERE
                    )  # ``_placed``, a frame less
                    decided = (program, words, (None, here), None, search, version, placed[2])
                    # the inherited environment's own problem only (a change Warden could not
                    # read): os.environ's machinery and PATH, which ``problem`` also reads, are
                    # what Popen finds the program with, and the guard's copy of _execute_child
                    # execs only the program list of the PATH decided here (``decided_start``:
                    # a replaced os.environ or another PATH there is refused before the fork)
                    # ``_script_operand``'s kept answer read inline: no interpreter variable
                    # among the inherited changes at this version answers False (the common)
                    known = self._interpreter_changes
                    if (
                        first_look_words(start, search, None, present, placed)
                        or self.inherited.unknown
                        or (
                            (known[0] != self.inherited.version or known[1])
                            and self._script_operand(start, search, None, None)
                        )
                    ):
                        given = words[0] if words and words[0] != program else None
                        self.decide_command(start, None, None, None, event, argv0=given)
                    return decided
        try:
            program, argv, env, cwd, shell = _plain_event(event, args)
        except _NotText as exc:
            self.refuse_unreadable(event, exc)
            return None  # no note: Popen's verifier refuses the start (decided_start)
        search = (env if env is not None else self.inherited).get("PATH", os.defpath)
        decided = placed = None
        if event == "subprocess.Popen":
            # the file the name is found as: what is decided, and what Popen may exec (R42b-5)
            placed = _placed(program, search, None, cwd)
            # named in full but not normalized as text: ``..`` after a link is the link
            # target's parent for the child's chdir, as for the reading's opens (R48a-2)
            at = os.path.join(here or "", cwd) if cwd else here
            decided = (program, tuple(argv), (cwd, at), env, search, version, placed[2])
        if env is not None:
            from .command_values import refused_env
            from .folders import in_full

            folder = in_full(cwd) if cwd else os.getcwd()
            problem = refused_env(_str_env(env), True, folder)
        else:
            problem = self._held_command(cwd) if self._command_names else ""
        if problem:
            self._enforce([_refused_start(problem)], event, in_process=False)
            return decided
        if shell is not None:
            self.decide_command(argv, shell, env, cwd, event)
            self._path_programs(search, env, cwd, event, None, here, shell)
            return decided
        if self._renamed_python(program, argv, env, cwd, event):
            return decided
        given = argv[0] if argv and program is not None and argv[0] != program else None
        argv = _program_argv(program, argv)
        self._path_programs(search, env, cwd, event, None, here, argv)
        starts = [argv]
        if argv and event in _BARE_PATH_EVENTS and os.sep not in argv[0]:
            # a bare name these run from the working folder or the caller's PATH (R11-21)
            caller = self.inherited.get("PATH", os.defpath)
            found = placings(event, argv[0], search, caller, cwd)
            starts = [[p] + argv[1:] for p in found] or starts
        for start in starts:
            if start and child:
                self._child_writes(start, env, cwd, event)
            # the common case first, cheaply: the program is neither an installer nor a shell,
            # and no word names one (a launcher may)
            # the walk for Popen's program done once (``placed``), its answer read here too
            here = placed if start and start[0] == program else None
            if not (start and first_look(start, search, cwd, here)):
                if not self._script_operand(start, search, env, cwd) and (
                    env is not None or not self.inherited.problem()
                ):
                    continue
            self.decide_command(start, None, env, cwd, event, argv0=given)
        return decided

    def _renamed_python(self, program, argv, env, cwd, event: str) -> bool:
        """Refuses a Python started under a name (argv[0], PYTHONEXECUTABLE) from which
        getpath places it elsewhere than its program file (red team 54b R54b-4: another
        pyvenv.cfg, prefix and site folders than Warden reads); whether it refused."""
        if program is None or (argv[:1] == [program] and env is None and not self._moves()):
            return False  # the common start, cheaply: argv[0] is the program's own text
        from .argv_zero import moved_python

        problem = moved_python(program, argv[0] if argv else None, _start_env(env, self), cwd)
        if problem:
            self._enforce([_refused_start(problem)], event, in_process=False)
        return bool(problem)

    def _moves(self) -> bool:
        return bool(self.inherited.get("PYTHONEXECUTABLE"))

    def refuse_unreadable(self, event: str, exc: _NotText) -> None:
        """Refuses a start whose words or environment Warden cannot read as the program gets
        them (``_NotText``)."""
        from .request import InstallRequest

        request = InstallRequest("unknown", "process start")
        request.problems.append(
            f"the process start gives its {exc} as an object that may read differently to "
            "Warden and to the program (a path type of its own, a mapping other than a "
            "dict): pass str values and a dict"
        )
        self._enforce([request], event, in_process=False)

    def _handed_files(self, event: str) -> tuple:
        """A start that hands its child a file open for writing (an inheritable descriptor, a
        Popen's ``pass_fds`` or ``stdout=f``, a posix_spawn file action) that a Python the
        kernel starts may not write, in the kernel too (``handed_fds``, red team 34 R34-3):
        refused by ``start_writes``' rule, as an ``open`` of its path. Returns those files
        (``handed_redirect.Handed``), the start's own redirections (red team 56b R56b-6,
        R56b-7): () for the common start, which hands none."""
        fds, opens, why = handed_fds.handed(event)
        found: tuple = ()  # no list made for the common start
        if why:
            self._enforce([_refused_start(why)], event, in_process=False)
            return found
        for path, flags in opens:
            if handed_fds.opens_for_writing(flags):
                self.writes.handed(event, path, flags, _spawn_open(path))
                from .handed_redirect import opened

                # opened in the child before it execs, from this process's folder
                # (posix_spawn has no chdir action)
                found += (opened(path, os.getcwd()),)
        passed = self._handed_passed
        for fd in fds:
            path, key, identity = handed_fds.written(fd, passed)
            if not path:  # the common descriptor: a pipe, a terminal, /dev/null, closed
                if path is None:
                    self._enforce([_refused_start(_unnamed(fd))], event, in_process=False)
                continue
            from .handed_redirect import descriptor

            found += (descriptor(path, identity),)
            if key not in passed:
                self.writes.handed(event, path, os.O_WRONLY, _handed_descriptor(fd, path))
                if key is not None:
                    if len(passed) > 64:
                        passed.clear()
                    passed.add(key)
        return found

    def _child_writes(self, start, env, cwd, event: str, here=None) -> None:
        """A Python the kernel starts may not start a writer that writes a start-up name where
        it imports from as it starts (``start_writes``): a writer of ``line_writers``' list
        (read by its table, ``commands.child_writes``), or any other program whose words name
        such a folder or a file in one (``start_writes.unlisted_writes``; red team 34 R34-1:
        `env cp`, `nice cp`, `find -exec cp`, `rsync`, cp linked under another name were never
        read: only the list's names were). ``here``: the process's folder as the decision
        began, for a start that inherits it (``_may_reach_start_places``)."""
        line_writers = _own_line_writers()
        may_write = line_writers.may_write
        name = os.path.basename(start[0])
        reach = None
        if may_write(name):
            try:
                reach = line_writers.reach(name, start[1:], _str_env(env or {}))
            except line_writers.UnplacedWrites:
                reach = [("", "")]  # read in full: a place Warden cannot tell
            if reach == []:
                return  # writes nothing
        elif not _may_reach_start_places(start, cwd, here, may_write):
            return  # the common start: no writer of the list, no path among its words
        if reach is None:
            # not on the list, or an option or form its table does not read (a Python's
            # script): it may write what its words name
            from .start_writes import unlisted_writes

            problem = unlisted_writes(start, cwd)
        else:
            from .commands import child_writes

            problem = child_writes(start, _str_env(env) if env is not None else None, cwd)
        if problem:
            self._enforce([_refused_start(problem)], event, in_process=False)

    def _script_operand(self, start, search, env, cwd) -> bool:
        """Whether a start the first look passes is read in full all the same (red team 25
        R25-2): its environment (``env``; None: the inherited one, as the cell changed it)
        sets a variable an interpreter reads otherwise than the kernel was launched with, and
        a bare word among its operands names a script on PATH (``fastpath.script_operand``),
        which may run under that interpreter. Only such a start pays the PATH walk."""
        if env is None:
            # the inherited changes' answer, kept per version (its names change only with one:
            # ``InheritedEnviron.changed``): a kernel's own changes (ipykernel sets PAGER, TERM,
            # MPLBACKEND... at start) are not read again at every start
            inherited = self.inherited
            version = inherited.version
            known = self._interpreter_changes
            if known[0] != version:
                names = inherited.changes
                known = (version, bool(names) and any(map(interpreter_variable, names)))
                self._interpreter_changes = known
            if not known[1]:
                return False  # the common start
        else:
            names = changed_names(env)
            if not names or not any(map(interpreter_variable, names)):
                return False
        return type(search) is str and script_operand(start, search, cwd)

    def _path_programs(
        self, search, env, cwd, call: str, present=None, here=None, words=None
    ) -> None:
        """A program file written since the kernel started in a folder of the start's PATH
        (``path_programs``, red team 18 R18-1/R18-2/R18-4): any program the start runs may run
        it by name (git's ``git-NAME``, tar's ``gzip``), so it is read as a start of its own,
        through the one start reader (a ``#!`` file as its interpreter's start), and a reading
        that refuses refuses this start, naming the folder and the file. An older one outside
        the machine's folders is read by its ``#!`` line (``_older_programs``, age81).
        ``here``: the process's folder as the decision began, when the caller asked it;
        ``words``: the start's words (a shell text for ``os.system``), read for a move of its
        folder when its PATH holds a relative folder (red team 86 F2b)."""
        if type(search) is not str:
            return  # a PATH of another type: the start's own reading refuses it
        older, unlisted, unsure = [], [], []
        home = None
        if "~" in search:  # ``~/bin``: bash expands it from the start's HOME (red team 86 F1)
            home = (env if env is not None else self.inherited).get("HOME")
            home = os.fsdecode(home) if isinstance(home, (str, bytes)) else None
        cdpath = False
        if words is not None:  # bash's ``cd data`` may go to ``$CDPATH/data`` (FR1's reading)
            given = env if env is not None else self.inherited
            try:
                cdpath = bool(given.get("CDPATH") or given.get(b"CDPATH"))
            except (TypeError, ValueError, AttributeError):
                cdpath = True  # an environment Warden cannot ask: a cd's folder is not told
        files = new_programs(search, cwd, present, older, unlisted, unsure, home, words, cdpath)
        if unlisted or unsure:
            why = unsure[0] if unsure else _unlisted_folder(unlisted[0])
            self._enforce([_refused_start(why)], call, in_process=False)
            return
        if older:
            self._older_programs(older, env, cwd, call, here)
        if not files:
            return
        if env is None:
            if self.inherited.problem():
                return  # the start's own decision refused it already
            env = self.inherited.read()
        env = _str_env(env)
        cwd = os.fsdecode(cwd) if cwd else os.getcwd()
        setting = (cwd, tuple(sorted(env.items())))  # what a reading depends on besides the file
        fresh, again = [], []
        for path in files:
            requests, first = self._program_reading(path, env, setting)
            (fresh if first else again).extend(requests)
        self._tell_readings(fresh, again, call)

    def _tell_readings(self, fresh: list, again: list, call: str) -> None:
        # a reading's warnings and allowed installs are told once, when the file is first read;
        # its refusals at every start (quiet: only what blocks is recorded again)
        if fresh:
            self._enforce(fresh, call, in_process=False)
        if again:
            self._enforce(again, call, in_process=False, quiet=True)

    def _older_programs(self, older: list, env, cwd, call: str, here) -> None:
        """The program files in the start's PATH folders that are older than the kernel and
        not the machine's (``path_programs.Older``: a clone's ``bin/gzip``, a venv's console
        scripts, ``node_modules/.bin``), each sorted by its ``#!`` line when its folder was
        listed, so a start pays dict looks, no system call per file (a node_modules/.bin holds
        hundreds): a Python's line is asked once per line, folder and start variables whether
        its start keeps the guard, and only when it does not is each of its files read in
        full (what a guardless Python runs is read); an interpreter's alone (node, bash) is
        weighed only when the start sets a variable an interpreter reads; any other line is
        read in full, once per file state and environment, as a new program is."""
        if env is None and self.inherited.unknown:
            return  # the start's own decision refuses it
        quiet = None
        if env is None and cwd is None:
            # the common start: the same listings (a relisted folder is a new ``Older``), the
            # same environment version and folder as a start that had nothing to read
            quiet = (older, self.inherited.version, here)
            if quiet == self._older_quiet:
                return
        start = folder = None
        guardless, full, scripts = [], [], []
        for listed in older:
            for words, files in listed.pythons.items():
                if start is None:
                    start = self._start_variables(env)
                    folder = _start_folder(cwd, here)
                key = (words, folder, start)
                keeps = self._python_lines.get(key)
                if keeps is None:
                    if env is None and self.inherited.problem():
                        return  # the start's own decision refuses it
                    keeps = self._python_line_keeps_guard(files[0][0], env, folder)
                    if len(self._python_lines) >= 256:
                        self._python_lines.clear()
                    self._python_lines[key] = keeps
                if not keeps:
                    guardless.extend(files)
            full.extend(listed.full)
            if listed.scripts and self._sets_interpreter_variable(env):
                scripts.extend(listed.scripts)
        if not (guardless or full or scripts):
            if quiet is not None and type(here) is str:
                self._older_quiet = quiet
            return  # the common start: a venv's console scripts keep the guard
        if env is None and self.inherited.problem():
            return  # the start's own decision refuses it
        if start is None:
            start, folder = self._start_variables(env), _start_folder(cwd, here)
        env = _str_env(self.inherited.read() if env is None else env)
        # a guardless Python's script is read by its text and the start variables; an
        # installer's line or an interpreter's environment by the whole environment
        whole = (folder, tuple(sorted(env.items()))) if full or scripts else None
        fresh, again = [], []
        for files, kind, setting in (
            (guardless, "full", (folder, start)),
            (full, "full", whole),
            (scripts, "script", whole),
        ):
            for path, state in files:
                key = (path, state, kind, setting)
                known = self._readings.get(key)
                if known is None:
                    known = self._read_program(path, env, folder, kind)
                    if len(self._readings) >= 4096:
                        self._readings.clear()
                    self._readings[key] = known
                    fresh.extend(known)
                else:
                    again.extend(known)
        self._tell_readings(fresh, again, call)

    def _start_variables(self, env) -> tuple:
        """The variables a Python's start depends on (``_STARTS_ON``), with their values: the
        inherited environment's kept per version (each putenv is one)."""
        if env is None:
            version = self.inherited.version
            known = self._inherited_start
            if known[0] != version:
                known = (version, _start_variables(self.inherited.read()))
                self._inherited_start = known
            return known[1]
        return _start_variables(env)

    def _sets_interpreter_variable(self, env) -> bool:
        """Whether the start's environment sets, otherwise than the kernel was launched with, a
        variable an interpreter reads when it starts (``interpreter_variable``)."""
        if env is None:
            inherited = self.inherited
            known = self._interpreter_changes
            if known[0] != inherited.version:
                names = inherited.changes
                known = (inherited.version, bool(names) and any(map(interpreter_variable, names)))
                self._interpreter_changes = known
            return known[1]
        return any(map(interpreter_variable, changed_names(_str_env(env))))

    def _python_line_keeps_guard(self, path: str, env, folder: str) -> bool:
        """Whether the Python ``path``'s ``#!`` line starts (a console script's) keeps the guard
        in this environment, its start-up modules checked (``commands.
        python_script_keeps_guard``); a line Warden cannot read does not."""
        kept = []

        def reader(lost):
            from . import commands

            kept.append(commands.python_script_keeps_guard(path, lost))
            return []

        env = _str_env(self.inherited.read() if env is None else env)
        problems = read_requests([path], None, env, folder, launch=self.launch, reader=reader)
        return not problems and kept == [True]

    def _program_reading(self, path: str, env, setting: tuple) -> tuple:
        """``path``'s reading as a start with no words: the installs it starts and what keeps
        Warden from reading it, and whether it was read just now; kept per file state (one
        ``lstat`` per start: a file rewritten in place is read again), folder and environment,
        so a kernel with a venv or a conda environment on PATH reads each once."""
        try:
            own = os.lstat(path)
            target = os.stat(path) if stat.S_ISLNK(own.st_mode) else own
        except (OSError, ValueError):
            return [], False  # gone: nothing runs it
        key = (path, own.st_ino, own.st_ctime_ns, target.st_ino, target.st_ctime_ns, setting)
        known = self._readings.get(key)
        if known is not None:
            return known, False
        known = self._new_program_reading(path, env, setting[0])
        if len(self._readings) >= 4096:
            self._readings.clear()
        self._readings[key] = known
        return known, True

    def _new_program_reading(self, path: str, env, cwd: str) -> list:
        """A new program file read as a start; a new link to an older file under that file's
        own name (``renamed_as_itself``) as that file is read on PATH (``_older_programs``):
        not at all when it is the machine's or native, else by its ``#!`` line (red team 86
        F5: ``bin/gzip -> ../lib/gzip``, the user's older installer script, ran unread)."""
        kind = renamed_as_itself(path)
        if kind == "":
            return []
        if kind == "python" and self._python_line_keeps_guard(path, env, cwd):
            return []
        if kind == "script":
            if not self._sets_interpreter_variable(env):
                return []
            return self._read_program(path, env, cwd, "script")
        return self._read_program(path, env, cwd)

    def _read_program(self, path: str, env, cwd: str, older: str = "") -> list:
        """The requests of ``path`` read as a start, each decided at every start that may run
        it: one Warden cannot read (a shadow naming the file), and an install it starts with
        its own words (red team 21: a readable ``uv pip install --index-url REFUSED`` in
        ``bin/gzip`` ran when tar did, since only unreadable ones were kept)."""
        from .request import InstallRequest

        known = []
        folder, name = os.path.split(path)
        age = "written since the kernel started" if not older else _OLDER
        where = (
            f"{name} in {folder} on this start's PATH, a program file {age}, which any program "
            "this start runs may run by name (git runs git-NAME, tar runs gzip)"
        )
        reader = None
        if older == "script":  # ``_older_programs``: only its interpreter's start is weighed

            def reader(lost):
                from . import commands

                commands.older_script_environment(path, lost)
                return []

        env = dict(env)
        unread = unreadable(path)
        if unread:
            # a program file the kernel cannot open reads as no file at all, though its start
            # may run it (red team 86 F4: a root kernel without its capabilities)
            requests = [InstallRequest("unknown", f"{name} on PATH")]
            requests[0].problems.append(unread)
        else:
            requests = read_requests([path], None, env, cwd, "unknown", self.launch, reader)
        for request in requests:
            if not request.problems:
                # a console script's own start (a venv's pip, no words) installs nothing; one
                # with its words written in is decided as the install it is
                request.command = f"{request.command}, run by {where}"
                known.append(request)
                continue
            shadow = InstallRequest("unknown", f"{name} on PATH")
            shadow.problems.extend(
                f"the folder {folder} on this start's PATH holds {name}, a program file "
                f"{age}, which any program this start runs may "
                f"run by name (git runs git-NAME, tar runs gzip); read as a start: {why}. "
                "Remove the file or take its folder off PATH"
                for why in request.problems
            )
            known.append(shadow)
        return known

    def decide_command(
        self, argv, shell, env, cwd, call: str, in_process=False, argv0=None
    ) -> None:
        """``env``: what the process is started with; None: it inherits this process's
        environment (``self.inherited``; pip run in-process reads ``os.environ``); ``argv0``:
        the argv[0] the start gives its program, ``argv[0]`` being the program in its place
        (``_program_argv``): a shell's login convention (red team 88 F3)."""
        if env is None and not in_process:
            problem = self.inherited.problem()
            if problem:
                self._enforce([_unreadable_environment(problem)], call, in_process)
                return
            env = self.inherited.read()
        env = dict(os.environ if env is None else _str_env(env))
        cwd = os.fsdecode(cwd) if cwd else os.getcwd()
        # "decided": the script magic's own start of its program (``script_start``), once
        stdin = self.script_starts.stdin(argv) if shell is None and argv else "unknown"
        if in_process:
            from .commands import running_process

            with running_process():  # pip.main: this process is the command's own start
                requests = read_requests(argv, shell, env, cwd, stdin, self.launch)
        else:
            from . import ssh_bashrc  # a bash with a socket as stdin reads ~/.bashrc (red90 F4)

            socket = ssh_bashrc.socket_stdin(call, handed_fds.current())
            with ssh_bashrc.reading_start(socket):
                requests = read_requests(argv, shell, env, cwd, stdin, self.launch, argv0=argv0)
        if requests:
            self._enforce(requests, call, in_process)

    @_alone
    def decide_pip_main(self, argv: list) -> None:
        """``pip.main`` (``pip_main_wrapper``): pip run inside this process, decided as its
        command line; this process is the command's own start."""
        self.decide_command(["pip"] + argv, None, None, None, "pip.main", in_process=True)

    def refuse_nested(self, why: str) -> None:
        """A decision made inside one made inside another (``own_reading``): recorded by the
        policy's rule for a start Warden cannot read; refused by the caller whatever it is."""
        self._enforce([_refused_start(why)], "nested decision", in_process=False)

    def refuse_changed_start(self, why: str) -> None:
        """A Popen start whose argv, program, folder, environment or descriptors differ, at
        the fork, from what the gate decided (``decided_start``, red team 39a R39a-2): its
        event, refused (the caller raises whatever the policy says)."""
        request = _refused_start(why)
        self._enforce([request], "subprocess.Popen", in_process=False)

    def refuse_preexec(self, program: str, what: str) -> None:
        """A ``subprocess`` start whose ``preexec_fn`` would run code in the child after the
        decision (``preexec.py``, red team 11 R11-9): refused, with its event."""
        from .request import InstallRequest

        request = InstallRequest("unknown", f"{program} (preexec_fn)")
        request.problems.append(
            f"its preexec_fn ({what}) runs code in the new process after Warden decided on the "
            "start and before the program runs, where it can change the files, folder or "
            "environment Warden read. Pass start_new_session=True (what preexec_fn=os.setsid "
            "does) or process_group=0 (os.setpgrp), or do that work before the start"
        )
        self._enforce([request], "subprocess.Popen", in_process=False)

    @_alone
    def decide_script_magic(self, parser, line: str, cell: str):
        """IPython's ``%%script PROG`` (``%%bash``, ``%%sh``... call it): PROG reads the cell
        body on its stdin, which no process-start event carries, so the body is decided here
        before PROG starts: as a shell script when PROG is a shell, by the child's own guard
        when it is Python, and refused when another program's body names an installer."""
        from IPython.utils.process import arg_split

        from . import commands, guardless, interpreters
        from .request import InstallRequest

        try:
            _, cmd = parser.parse_known_args(arg_split(line, posix=True))
        except BaseException:  # noqa: BLE001 - IPython refuses the line itself, nothing starts
            return
        problem = self.inherited.problem()  # PROG inherits this process's environment
        if problem:
            self._enforce([_unreadable_environment(problem)], "%%script", in_process=False)
        version = self.inherited.version  # before the reading: a change during it is seen
        env, cwd = self.inherited.read(), os.getcwd()
        requests = read_requests(cmd, None, env, cwd, "decided", self.launch)
        try:
            reader = commands.stdin_reader(cmd)
        except commands.Unreadable as exc:
            reader, problem = "other", str(exc)
        else:
            problem = "its program is not a shell Warden reads, and the cell names an installer"
        dynamic = ""
        explicit = len(cmd) > 1 or not guardless.hosts_guard(commands.interpreter(cmd[0], env), env)
        if reader == "python" and (explicit or commands.guard_env(env, self.launch)):
            # `python3 -I`, `env -i python3`: the child may start without the guard; so does
            # every Python of a kernel without the launch guard, or one whose environment lost
            # it (red team 9 R9-5), or one that cannot host it (`python3.7`: red team 10 R10-4).
            # Its body is read as a guardless Python's code (R10-10: obfuscation names no
            # installer)
            reader = "other"
            unlaunched = self.launch is not None and not self.launch.children_guarded
            if not unlaunched:  # as commands.UNLAUNCHED says
                dynamic = guardless.dynamic_code(cell, "<cell>")
            problem = "its Python may start without Warden's guard, and the cell " + (
                f"is code Warden cannot read: {dynamic}" if dynamic else "names an installer"
            )
        code = interpreters.body_refused(cmd[0], cell, env) if reader == "other" and cmd else ""
        if code:  # `%%perl` whose body computes a program's name (red team 12 R12-6)
            dynamic, problem = code, code
        if reader == "shell":
            requests += read_requests(None, cell, env, cwd, "unknown", self.launch)
        elif reader == "other" and (dynamic or commands.names_installer([cell])):
            request = InstallRequest("unknown", f"%%script {line.strip()}")
            request.problems.append(problem)
            requests.append(request)
        if requests:
            self._enforce(requests, "%%script", in_process=False)
        # the program's start (on IPython's event-loop thread) reads this body on its stdin:
        # the folder and environment it was read with are the ones that start must have
        return tuple(cmd), cwd, version

    @_alone
    def decide_resolved(self, command: str, options, args) -> None:
        """An install decided on the options pip resolved (``resolved``): refusals only."""
        from .request import InstallRequest
        from .resolved import pip_request_from_options

        try:
            request = pip_request_from_options(command, options, args, os.getcwd(), os.environ)
        except Exception as exc:  # noqa: BLE001 - a reader bug must not wave an install through
            request = InstallRequest("pip", f"pip {command}")
            request.problems.append(f"Warden failed to read pip's options ({type(exc).__name__})")
        from .pip_wheel_cache import unchecked

        cache = unchecked(options)  # its wheel cache's hits read, or no cache (R41a-3)
        if cache:
            request.problems.append(cache)
        from . import pip_links

        pages = pip_links.unchecked(options)  # its pages' links and downloads decided (R42a-2)
        if pages:
            request.problems.append(pages)
        self._enforce([request], "pip options", in_process=True, quiet=True)
        _vouch_direct(request)  # its URLs pip may download (R43a-1)

    @_alone
    def decide_cached_wheel(self, path: str, link: str) -> None:
        """A wheel pip takes from its wheel cache in place of ``link`` (``pip_wheel_cache``,
        red team 41a R41a-3): read as a wheel a local folder offers (``local_wheels.
        add_offered``: its Requires-Dist decided, its start-up code refused)."""
        from . import local_wheels
        from .request import InstallRequest

        request = InstallRequest("pip", "pip install")
        where = f"pip's wheel cache, for {link}"
        try:
            local_wheels.add_offered(request, path, where)
        except Exception as exc:  # noqa: BLE001 - a reader bug must not wave an install through
            request.problems.append(f"Warden failed to read {path} ({type(exc).__name__})")
        self._enforce([request], "pip wheel cache", in_process=True, quiet=True)

    @_alone
    def decide_links(self, page: str, links: list, vouched: bool = False, files=()) -> None:
        """The links pip parsed from ``page`` (or where a redirect took a download of
        ``page``: ``vouched``), decided before pip takes any (``pip_links``, red team 42a
        R42a-2): each one the page's trusted host does not serve, as a source; ``files``: the
        paths of its ``file:`` links (a local page's), a wheel among them read now (R43a-5:
        the page may be one pip reads in place of a URL, never read before pip started)."""
        from . import local_wheels, pip_links
        from .request import InstallRequest, Source, redact_url

        request = InstallRequest("pip", "pip install")
        policy = self.state.policy if self.state.intact() else None
        sources, problems = pip_links.admitted(page, links, policy or {}, vouched)
        where = f"a link on {redact_url(page)[:200]}" if not vouched else "a download's redirect"
        request.sources.extend(Source(url, "find-links", where) for url in sources)
        request.problems.extend(problems)
        for path in dict.fromkeys(files):
            if not path:
                request.problems.append(f"{where} names a file Warden cannot place")
            elif path.lower().endswith(".whl"):
                try:
                    local_wheels.add_offered(request, path, where)
                except Exception as exc:  # noqa: BLE001 - a reader bug must not wave it through
                    request.problems.append(f"Warden failed to read {path} ({type(exc).__name__})")
        if request.sources or request.problems or request.requirements or policy is None:
            self._enforce([request], "pip page links", in_process=True, quiet=True)

    def refuse_unvouched(self, url: str) -> None:
        """A download of a URL no decision in this process vouched for (``pip_links.vouched``,
        red team 43a R43a-1): pip took it from somewhere Warden does not read."""
        from .request import InstallRequest, redact_url

        request = InstallRequest("pip", "pip install")
        request.problems.append(
            f"pip would download {redact_url(url)[:200] or 'a URL Warden cannot read'}, which "
            "no index page, command line, requirements file or dependency Warden decided names"
        )
        self._enforce([request], "pip download", in_process=True, quiet=True)

    @_alone
    def decide_dependency(self, text: str, parent: str, path: str) -> None:
        """A dependency's direct reference pip builds from its parent's metadata
        (``pip_requires``, red team 43a R43a-1): decided as on the command line (the
        direct-URL rule, the host's trust), a ``file:`` wheel (``path``, pip's reading of it)
        read as a local folder's (its start-up code, its Requires-Dist); then vouched for."""
        from . import local_projects, local_wheels, pip_links, requirements
        from .request import InstallRequest

        request = InstallRequest("pip", "pip install")
        where = f"a dependency of {parent[:200] or 'a package'}"
        try:
            req = requirements.parse_requirement(text, where)
            request.requirements.append(req)
            if path and path.lower().endswith(".whl"):
                local_wheels.add_offered(request, path, where)
            elif req.kind == "path":
                local_projects.add(request, os.getcwd(), dict(os.environ))
        except Exception as exc:  # noqa: BLE001 - a reader bug must not wave an install through
            request.problems.append(f"Warden failed to read {where} ({type(exc).__name__})")
        self._enforce([request], "pip dependency", in_process=True, quiet=True)
        pip_links.vouch(map(_fetched_of, request.requirements))  # a file: wheel's URL too

    @_alone
    def decide_local_location(self, path: str, role: str) -> None:
        """An index or find-links location pip reads as a local path (``pip_sources``, red
        team 43a R43a-5: ``https://pypi.org/simple/x/`` is the folder ``https:/pypi.org/
        simple/x`` when the working folder holds it): read as a local source now."""
        from .request import InstallRequest, Source
        from .sources import read_local_pages

        request = InstallRequest("pip", "pip install")
        cwd = os.getcwd()
        where = os.path.join(cwd, path)  # joined, not folded: both resolutions are read
        location = Source(where, role, "a location pip reads as a local path")
        request.sources.append(location)
        try:
            if not path:
                raise ValueError("pip's url_to_path is not loaded")
            read_local_pages(request, cwd)
        except Exception as exc:  # noqa: BLE001 - a reader bug must not wave an install through
            request.problems.append(f"Warden failed to read {path[:200]} ({type(exc).__name__})")
        # decided by what was read in it: its name (``./https:/x/simple``) is no URL to judge
        request.sources.remove(location)
        self._enforce([request], "pip local location", in_process=True, quiet=True)

    @_alone
    def decide_parsed_requirements(self, parsed: list) -> None:
        """The requirements pip parsed from a requirements or constraints file
        (``pip_requirements``, red team 43a R43a-4), names too: decided on what pip will
        install, whichever file Warden's earlier read opened; a local project or wheel among
        them read as the command line's (``local_projects``). ``parsed``: (line, origin)."""
        from . import local_projects, requirements
        from .request import InstallRequest

        request = InstallRequest("pip", "pip install")
        try:
            for line, origin in parsed:
                request.requirements.append(requirements.parse_requirement(line, origin))
            local_projects.add(request, os.getcwd(), dict(os.environ))
        except Exception as exc:  # noqa: BLE001 - a reader bug must not wave an install through
            request.problems.append(
                f"Warden failed to read pip's requirements ({type(exc).__name__})"
            )
        self._enforce([request], "pip requirements", in_process=True, quiet=True)
        _vouch_direct(request)

    @_alone
    def decide_file_content(self, url: str, text: str) -> None:
        """A requirements file as pip read it (``get_file_content``): its indexes, find-links
        and direct references are decided on the very bytes pip parses, so a file rewritten
        after Warden's earlier reads cannot swap in an index. Names were decided on the earlier
        read: see the threat model."""
        from . import requirements
        from .request import InstallRequest

        request = InstallRequest("pip", "pip install")
        label = os.path.basename(url.rstrip("/")) or url
        try:
            requirements.read_text(
                request,
                text,
                label,
                os.path.dirname(url),
                dict(os.environ),
                follow=False,
                names=False,
            )
        except Exception as exc:  # noqa: BLE001 - a reader bug must not wave an install through
            request.problems.append(f"Warden failed to read {label} ({type(exc).__name__})")
        self._enforce([request], "pip requirements file", in_process=True, quiet=True)
        _vouch_direct(request)

    # -- policy, events, refusal -------------------------------------------------------------
    def _enforce(self, requests: list, call: str, in_process: bool, quiet=False) -> None:
        """``quiet``: a re-decision of an install already decided (pip's resolved options,
        pip's read of a file): only refusals are recorded, warnings were given once."""
        from . import decide

        state = self.state
        policy = state.policy if state.intact() else None
        refusals, warnings, events = [], [], []
        self.counts["installs_seen"] += len(requests)
        if not quiet:  # a new install: the confirmations it uses are remembered afresh
            self._just_confirmed = set()
        for request in requests:
            if policy is None:
                findings = [
                    decide.Finding(
                        decide.RULE_UNREADABLE,
                        "state-altered",
                        "the guard's policy was changed outside the lab server's channel",
                        "Restart the kernel.",
                        request.command,
                    )
                ]
            else:
                findings = _decided(decide, request, policy, self.data)
            worst, mark = [], len(events)
            for finding in findings:
                action = state.rules.action_for(finding.rule_id, policy)
                if action == "confirm" and self._confirmed(finding, request, quiet):
                    action = "off"
                    events.append(self._event(finding, request, "confirmed", call))
                    continue
                if action == "off":
                    continue
                verdict = "blocked" if action in ("block", "confirm") else "warned"
                events.append(self._event(finding, request, verdict, call))
                worst.append((finding, action))
            blocked = [(f, a) for f, a in worst if _ORDER[a] >= _ORDER["confirm"]]
            if quiet and not blocked:
                del events[mark:]
                continue
            if blocked:
                refusals.append((request, blocked))
            else:
                warnings += [(request, f) for f, a in worst]
                if not in_process:
                    events.append(self._allowed_event(request, call))
        for event in events:
            state.sink.deliver(event)
        for request, finding in warnings:
            _stderr(
                f"Jupyter Warden warning ({request.command}): {finding.message}. {finding.remedy}\n"
            )
        if refusals:
            self.counts["installs_refused"] += 1
            message = _refusal_message(refusals)
            if call == "os.exec" and self.forked:
                _stderr(message + "\n")
                os._exit(EXIT_REFUSED)
            raise WardenBlockedInstall(message, events)

    def _confirmed(self, finding, request, quiet=False) -> bool:
        """A confirmation given for this finding (one install each). A quiet re-decision of the
        install now running (pip's resolved options, its reads and parses of files: R43a-4)
        honours every one that install used, not only the last."""
        fp = self._fingerprint(finding, request)
        if self.state.confirmations.pop(fp, None) is not None:
            self._just_confirmed.add(fp)
            return True
        return quiet and fp in self._just_confirmed

    def _fingerprint(self, finding, request) -> str:
        from ..events import fingerprint

        return fingerprint(finding.rule_id, self._evidence(finding, request, ""))

    def _evidence(self, finding, request, call) -> dict:
        evidence = {
            "call": request.command,
            "reason": finding.reason,
            "subject": finding.subject,
            "packages": request.names()[:100],
            "process_event": call,
        }
        if finding.advisories:  # the OSV ids an admin looks up (shipped or from the policy)
            evidence["advisories"] = list(finding.advisories)[:100]
        return evidence

    def _event(self, finding, request, verdict: str, call: str) -> dict:
        from ..events import kernel_location, make_event

        state = self.state
        severity = state.rules.severity_for(finding.rule_id, state.policy)
        what = "refused" if verdict == "blocked" else "flagged"
        message = f"Jupyter Warden {what} `{request.command}`: {finding.message}. {finding.remedy}"
        return make_event(
            finding.rule_id,
            verdict,
            severity,
            message,
            self._evidence(finding, request, call),
            kernel_location(),
            state.revision,
        )

    def _allowed_event(self, request, call: str) -> dict:
        from ..events import kernel_location, make_event
        from . import decide

        indexes = sorted({decide.redact_url(s.url) for s in request.sources})
        evidence = {
            "call": request.command,
            "reason": "allowed",
            "packages": request.names()[:100],
            "indexes": indexes[:20],
            "process_event": call,
        }
        what = ", ".join(request.names()[:10]) or "local files"
        message = f"Jupyter Warden allowed `{request.command}` of {what}."
        return make_event(
            decide.RULE_ALLOWED,
            "allowed",
            "info",
            message,
            evidence,
            kernel_location(),
            self.state.revision,
        )

    def status(self) -> dict:
        data = self._data
        return dict(self.counts, data_problems=list(data.problems) if data else [])


def _fetched_of(req) -> str:
    """The URL pip fetches for a direct reference, as the policy decided it
    (``decide._fetched_url`` of ``Requirement.reference``; red team 48b R48b-6)."""
    from .decide import _fetched_url

    reference = req.reference if req.reference is not None else req.written or req.text
    return _fetched_url(reference)


def _vouch_direct(request) -> None:
    """The direct-reference URLs of a request decided in pip's process, and its find-links
    locations (``--find-links https://h/x.whl`` is a file pip downloads unparsed): pip may
    download them (``pip_links.vouched``)."""
    from . import pip_links

    pip_links.vouch(_fetched_of(r) for r in request.requirements if r.kind == "url")
    pip_links.vouch(s.url for s in request.sources if s.role == "find-links")


def _decided(decide, request, policy: dict, data) -> list:
    """The decision's findings; a bug or an input the decision cannot handle is a refusal
    (install-unreadable, with its event), never a raw exception that leaves the audit hook
    with no event and no reason (red-team finding F6)."""
    try:
        return decide.decide(request, policy, data)
    except Exception as exc:  # noqa: BLE001 - a decision bug must not wave an install through
        return [
            decide.Finding(
                decide.RULE_UNREADABLE,
                "decision-failed",
                f"Warden could not decide on this install ({type(exc).__name__})",
                "Report this to your Jupyter Warden admin; the install stays refused until then.",
                request.command,
            )
        ]


def read_requests(
    argv,
    shell,
    env: Dict[str, str],
    cwd: str,
    stdin: str = "unknown",
    launch=None,
    reader=None,
    argv0=None,
) -> list:
    """Pure reading (no decision): the installs a command line or shell string would run,
    with their files, environment and config read. A command Warden cannot read becomes a
    request holding only the problem (refused by ``decide``). ``launch``: the gate's
    ``commands.LaunchGuard`` (whether child Pythons inherit a guard; ``guard_env``).
    ``reader``: called with the environment changes the reading follows, in the reading's
    context, in place of the line's reading (a part of one: ``_older_programs``); ``argv0``:
    the start's own argv[0], when ``argv[0]`` is its program in its place (``_program_argv``)."""
    from . import commands
    from .request import InstallRequest

    try:
        unlaunched = launch is not None and not launch.children_guarded
        # where a guardless Python's files are found, and how much of its code is read
        handed = _handed_output()  # a handed module is a guardless Python's own output
        with commands.start_folder(cwd, unlaunched), commands.shell_environment(env), handed:
            lost = commands.guard_env(env, launch)
            if env.get("PATH") not in (None, os.environ.get("PATH")):
                # where its bare program names are found (the reading falls back to this
                # process's PATH); only when it differs, since a PATH on the line is a change
                # a pip's guard may not survive (commands._guard_lost)
                lost.setdefault("PATH", env["PATH"])
            if reader is not None:
                found = reader(lost)
            elif shell is not None:
                found = commands.shell_invocations(shell, 0, lost)
            else:
                found = commands.invocations(argv, 0, lost, stdin=stdin, argv0=argv0)
        found = _handed_redirections(found, env, cwd)
        requests = [r for inv in found for r in _via(inv, _requests(inv, env, cwd))]
    except commands.Unreadable as exc:
        label = "shell command" if shell is not None else "command line"
        request = InstallRequest("shell" if shell is not None else "unknown", label)
        request.problems.append(str(exc))
        requests = [request]
    except Exception as exc:  # noqa: BLE001 - a reader bug must not wave an install through
        request = InstallRequest("unknown", "process start")
        request.problems.append(f"Warden failed to read the command ({exc.__class__.__name__})")
        requests = [request]
    return [r for r in requests if r is not None]


def _handed_output():
    """The files the start hands its child open for writing (``handed_redirect``), as a
    guardless Python's own output for the local-imports rule (red team 56b R56b-7: ``stdout=
    open('mod.py', 'w')``); a context that changes nothing when none may be a module."""
    from contextlib import nullcontext

    from .handed_redirect import TARGETS, output_writer

    if not TARGETS.get():
        return nullcontext()
    from . import commands

    return commands.own_output(output_writer())


def _handed_redirections(found: list, env: Dict[str, str], cwd: str) -> list:
    """Each install the start runs with the files the start hands it open for writing as its
    own redirections (``handed_redirect.weigh``, red team 56b R56b-6): a shell's commands
    inherit them."""
    from .handed_redirect import TARGETS, weigh

    if not TARGETS.get():
        return found
    from .folders import child_folder

    return [weigh(inv, env, child_folder(cwd, inv.cwd)) for inv in found]


def _via(inv, requests: list) -> list:
    """An install a program file the line does not name starts (``commands._side_start``)
    says so in its refusal: the line's program is not the installer."""
    if inv.via:
        for request in requests:
            if request is not None:
                request.command = f"{request.command}, run by {inv.via}"
    return requests


def _requests(inv, env: Dict[str, str], cwd: str) -> list:
    """``_read_requests``, weighed against the install's own output redirections
    (``_own_reads``)."""
    return _own_reads(inv, lambda: _read_requests(inv, env, cwd))


def _own_reads(inv, reading) -> list:
    """The requests ``reading()`` reads for ``inv``, refused when one of the install's own
    output redirections (``inv.redirected``) writes a file the reading read (``files_read``,
    ``own_redirect.read_problem``): the shell empties it before the installer starts (red team
    55b R55b-1: a file a requirements file includes; R55b-2: a hard link of one). Files are
    collected only when there is a redirection to weigh."""
    from . import files_read, own_redirect

    if not inv.redirected:
        return reading()
    with files_read.collect() as read:
        found = reading()
    problem = own_redirect.read_problem(inv.redirected, read)
    if problem:
        for request in found:
            if request is not None and problem not in request.problems:
                request.problems.insert(0, problem)
    return found


def _read_requests(inv, env: Dict[str, str], cwd: str) -> list:
    """The install ``inv`` asks for and, for ``uv run --env-file F CMD`` (or ``UV_ENV_FILE``),
    CMD's installs decided with F's variables, those the environment does not set (uv does
    not override them): red7 R7-4. A file Warden cannot read refuses them."""
    from . import arguments, commands, dotenv, folders
    from .request import InstallRequest

    found = [_request(inv, env, cwd)]
    run = arguments.uv_run_env_files(inv.args, dict(env, **inv.env)) if inv.tool == "uv" else None
    if not run:
        return found
    cwd = folders.child_folder(cwd, inv.cwd)  # `cd sub && uv run --env-file e.env` (R8-3)
    request = InstallRequest("uv", "uv run --env-file")
    try:
        loaded = dotenv.read_files(run[0], cwd)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        request.problems.append(
            f"uv run loads {' '.join(run[0])} into the environment of the command it runs, and "
            f"Warden cannot read it ({exc if isinstance(exc, ValueError) else type(exc).__name__})"
        )
        return found + [request]
    merged = dict(loaded, **env, **inv.env)
    # F's variables (those the start does not set: uv does not override them) are the
    # command's environment, read as a line's assignments are: BASH_ENV for a bash, PYTHONPATH
    # for a Python, PERL5OPT... (red team 17 R17-3), not only the installers it names (R7-4)
    added = {k: v for k, v in loaded.items() if k not in env and k not in inv.env}
    try:
        with commands.start_folder(cwd), commands.shell_environment(merged):
            inner = commands.invocations(run[1], 0, added)
    except commands.Unreadable as exc:
        request.problems.append(
            f"uv run starts {' '.join(run[1])[:60]!r} with the variables of "
            f"{' '.join(run[0])}: {exc}"
        )
        return found + [request]
    return found + [r for i in inner for r in _own_reads(i, lambda i=i: [_request(i, merged, cwd)])]


def _request(inv, env: Dict[str, str], cwd: str):
    from . import arguments, commands, folders, frontends, local_projects, sources, uv_run_reads
    from .request import InstallRequest

    env = dict(env, **inv.env)
    # `cd DIR && pip install -r r.txt` reads DIR/r.txt: every file and upward search from the
    # folder the install's getcwd() returns (`..` of a `cd` taken as bash does, links resolved:
    # red team 11 R11-2)
    cwd = folders.child_folder(cwd, inv.cwd)
    if inv.tool == "pip":
        request = arguments.pip_request(inv.args, cwd, env, child_reads=inv.child_reads)
    elif inv.tool == "uv":
        request = arguments.uv_request(inv.args, cwd, env)
    elif inv.tool in commands.FRONT_ENDS:
        request = frontends.request(inv.tool, inv.args, cwd, env)
    else:
        request = arguments.conda_request(inv.tool, inv.args, cwd, env)
    if request is None and inv.problem and inv.tool == "uv":
        # a `uv run` read as installing nothing still installs what its files ask for when it
        # runs, which an earlier writer on the line may change (R57c-3/-4)
        request = uv_run_reads.written_request(inv.args, cwd, inv.writer_places, env)
    unsure = uv_run_reads.unsure_problem(inv.args, cwd, inv.makers, env) if inv.tool == "uv" else ""
    if unsure:  # its script a link leading nowhere until the line makes a folder (R57c-1)
        request = request or InstallRequest("uv", "uv run")
        request.problems.append(unsure)
    if inv.tool == "uv":
        request = _uv_interpreter(request, inv, env, cwd)
    if request is not None:
        local_projects.add(request, cwd, env)
        sources.add_implicit_sources(request, env, inv.program, cwd)
        if inv.problem:
            # first: the way out, before what Warden could not read of the files an earlier
            # writer on the line makes (red team 50a R50a-5: `uv pip compile -o r.lock && uv
            # pip sync r.lock` said only "cannot read requirements file r.lock")
            request.problems.insert(0, inv.problem)
        if inv.tool == "uv":
            _uv_cache(request, inv.args, env)
    elif inv.tool == "uv":
        request = arguments.uv_interpreter_request(inv.args)
        if request is not None:  # only what it could not read counts: nothing is installed
            sources.add_implicit_sources(request, env, inv.program, cwd)
            request.sources, request.requirements = [], []
            request = request if request.problems else None
    return _unsure_names(request, inv, env, cwd)


def _unsure_names(request, inv, env: Dict[str, str], cwd: str):
    """A name the installer discovers (its config files, ``.venv``) that leads nowhere now but
    that an earlier command of the line may make resolve, or that is reached through /proc or
    /dev/fd (``unsure_names``, red team 57a R57a-3..5, -10): refused."""
    from . import unsure_names
    from .request import InstallRequest

    problem = unsure_names.problem(request, inv, env, cwd)
    if problem:
        # a command that installs nothing (`uv pip list`) still reads them: uv runs the
        # Python a config names to query it
        request = request or InstallRequest(inv.tool, inv.tool)
        request.problems.append(problem)
    return request


def _uv_cache(request, args, env: Dict[str, str]) -> None:
    """A uv install runs with no persistent cache: its cache folder is a file input a cell can
    write (``uv_cache``, red team 40b R40b-3). Noted for the decision, which refuses it unless
    the policy allows uv's cache (``decide``: dependencies.uv_cache)."""
    from . import uv_cache

    request.uv_cache = uv_cache.problem(args, env)


def _uv_interpreter(request, inv, env: Dict[str, str], cwd: str):
    """``request`` with a refusal when an interpreter uv runs to query it (-p, UV_PYTHON,
    .python-version, or one it finds on its own) is no Python the machine had: a program start
    (red team 17 R17-6, 29a R29a-1)."""
    from . import uv_inputs
    from .request import InstallRequest

    # an earlier writer on the line (inv.problem) may plant what uv finds on its own; an
    # install's request already carries that problem. An earlier `uv run`/`uvx` is such a
    # writer too: it runs a command (`uv run python -c CODE`), and uv's plain commands (`uv
    # venv`, `uv pip install`, `uv sync`) are no writers at all (commands._may_write)
    line_problem = inv.problem if request is None else ""
    if line_problem and inv.writer_places is not None:
        # the line's writers all placed (R81-5): one that may write where uv looks for a
        # Python, its config or its project (``uv_line_writes.discovery_places``) refuses
        from . import uv_line_writes

        places = uv_line_writes.discovery_places(env, cwd)
        if not uv_line_writes.writer_of(places, cwd, inv.writer_places):
            line_problem = ""
    problem = uv_inputs.interpreter_problem(inv.args, env, cwd, line_problem)
    if not problem:
        return request
    request = request or InstallRequest("uv", "uv")
    request.problems.append(problem)
    return request


def _refusal_message(refusals) -> str:
    lines = []
    for request, blocked in refusals:
        lines.append(f"Jupyter Warden refused `{request.command}` before it started:")
        for finding, _action in blocked:
            lines.append(f"  - {finding.message}.")
            lines.append(f"    What to do: {finding.remedy}")
    lines.append("  (Jupyter Warden policy; the event is recorded for your admin.)")
    return "\n".join(lines)


def _stderr(text: str) -> None:
    try:
        os.write(2, text.encode("utf-8", "replace"))
    except OSError:
        pass


# How an older program file on PATH outside the machine's folders is named (``_older_programs``)
_OLDER = (
    "older than the kernel but not the machine's (outside root's system folders: a clone's, a "
    "download's, or written before a kernel restart)"
)
# The variables a Python's start may keep or lose the guard by (``commands._start_variable``:
# Python's and PATH, the launch's WARDEN_*; the loader's; HOME: its user site): the key of an
# older `#!` Python line's answer (``_older_programs``), so a start with its own unrelated
# variable (a seed, a run id) asks nothing again
_STARTS_ON = ("PYTHON", "WARDEN_", "LD_", "__PYVENV")


def _start_folder(cwd, here) -> str:
    """The folder a start runs in: its own (``cwd``), else the process's as the decision began
    (``here``), else asked now."""
    if cwd:
        return os.fsdecode(cwd)
    return here if type(here) is str else os.getcwd()


def _start_variables(env) -> tuple:
    try:
        return tuple(
            sorted((k, v) for k, v in env.items() if k.startswith(_STARTS_ON) or k in _PATH_HOME)
        )
    except (AttributeError, TypeError):  # bytes (a Popen env may hold them): as the child gets
        return _start_variables(_str_env(env))


_PATH_HOME = frozenset(("PATH", "HOME"))


def _str_env(env) -> Dict[str, str]:
    out = {}
    try:
        for key, value in env.items():
            out[os.fsdecode(key)] = os.fsdecode(value)
    except (AttributeError, TypeError):
        pass
    return out


def _subclass(obj, what: str) -> str:
    return (
        f"{what} (a {type(obj).__name__}, a str/bytes subclass whose own methods subprocess "
        "calls after the decision: pass str(value))"
    )


class _NotText(Exception):
    """A process start's word is an object Warden cannot read as the process will get it."""


def _text(obj, what: str, plain: bool = False) -> str:
    """``obj`` as the started process gets it, where C code converts it (argv words, the
    working folder, every ``os.exec``/``os.posix_spawn``/``os.system`` argument): C reads a str
    or bytes subclass by its data (``PyUnicode_FSConverter``), not through an overridden
    ``__str__`` or ``decode`` (red team 9 R9-11, ``Word("--index-url=EVIL")`` whose ``__str__``
    said numpy); a path of the standard library by its ``__fspath__``; any other path is
    called again after Warden's read and may answer otherwise: not plain text (``_NotText``).
    ``plain``: Popen's program and env, which ``subprocess`` encodes in Python after the hook
    (``os.fsencode`` calls the object's own ``encode``, ``k + b"="`` a bytes subclass's
    ``__add__``, ``os.path.dirname`` its ``rfind``: red team 11 with R11-9/10, red team 12
    R12-5): a subclass's methods would run after the decision, so only a plain str or bytes
    is read."""
    if isinstance(obj, str):
        if plain and type(obj) is not str:
            raise _NotText(_subclass(obj, what))
        return str.__str__(obj)
    if isinstance(obj, bytes):
        if plain and type(obj) is not bytes:
            raise _NotText(_subclass(obj, what))
        return fs_decode(obj)  # the boot's encoding, not a rebound one (red team 38a R38a-2)
    if type(obj) in PATH_CLASSES:  # the library's own pathlib, noted as it loaded (R38a-3)
        text = path_text(obj, os.fspath)
        if text is None:
            raise _NotText(_path_subclass(obj, what))
        return text
    raise _NotText(what)


def _path_subclass(obj, what: str) -> str:
    return (
        f"{what} (a {type(obj).__name__} whose text is not a plain str, but an object whose "
        "own methods would answer Warden and the program's start otherwise: pass the path as "
        "a plain str)"
    )


def _words(argv) -> List[str]:
    if argv is None:
        return []
    if type(argv) is list:  # every start pays this: a list of plain str is read as it is
        words = argv[:]
        for word in words:
            if type(word) is not str:
                break
        else:
            return words  # what _text gives each of them
    if isinstance(argv, list):  # as os.execv reads a list: its items, not an __iter__
        _read_as_stored(argv, list)
        return [_text(word, "arguments") for word in list.__iter__(argv)]
    if isinstance(argv, tuple):
        _read_as_stored(argv, tuple)
        return [_text(word, "arguments") for word in tuple.__iter__(argv)]
    return [_text(argv, "arguments")]  # one program name or path


# What C calls to read a list or tuple subclass: ``parse_arglist`` (os.execv, os.execve,
# os.posix_spawn) its ``__len__`` and ``__getitem__`` (``PySequence_Size``/``_ITEM``),
# ``PySequence_Fast`` (``_posixsubprocess.fork_exec``) its ``__iter__`` (red team 40a R40a-1/2)
_SEQUENCE_READS = ("__getitem__", "__len__", "__iter__")
# the class's own MRO and namespace, not what a metaclass's __getattribute__ answers
_MRO = type.__dict__["__mro__"].__get__
_NAMESPACE = type.__dict__["__dict__"].__get__


def _read_as_stored(argv, base) -> None:
    """Refuses (``_NotText``) a ``base`` (list or tuple) subclass that C would read through
    methods of its own, which may answer C otherwise than the items Warden reads: a subclass
    that only adds methods or attributes is read by its items, as C reads it."""
    cls = type(argv)
    if cls is base:
        return
    for klass in _MRO(cls):
        if klass is base:
            return
        namespace = _NAMESPACE(klass)
        for name in _SEQUENCE_READS:
            if name in namespace:
                raise _NotText(
                    f"arguments (a {base.__name__} subclass, {cls.__name__}, whose own {name} "
                    "the program's start would call to read it: pass a plain list of str)"
                )
    raise _NotText(f"arguments (a {cls.__name__} Warden cannot read as C does)")


def plain_start(argv, env, with_env: bool):
    """``(argv, env)`` as exact values for C to convert: argv an exact tuple of the exact str
    the gate reads (``_words``), env (``with_env``) the exact dict of str it reads
    (``_environment``: ``os.environ`` by its bytes). C then reads exactly what the gate
    decides, whatever methods the caller's objects (or a rebound ``__fspath__``) have.
    ``_NotText`` when they cannot be read so: the caller's objects are then passed on as they
    are, and the gate, reading them alike, refuses the start."""
    if not isinstance(argv, (list, tuple)):
        raise _NotText("arguments (not a list or tuple)")
    words = tuple(_words(argv))
    if with_env and env is not None:
        env = _environment(env)
    return words, env


def _environment(env, plain: bool = False) -> Dict[str, str]:
    """subprocess reads ``env.items()`` after the audit hook: only a plain dict, or
    ``os.environ`` itself while its reading machinery is the one found at start (red team 10
    R10-11: any other ``os._Environ`` runs its caller's decoders, which may answer otherwise
    the second time), answers Warden and subprocess alike. ``plain``: keys and values must be
    exact str/bytes (``_text``), as where subprocess ``os.fsencode``-s them after the event."""
    if env is os.environ:
        try:
            return read_environ()
        except ValueError as exc:
            raise _NotText(f"environment (os.environ: {exc})") from None
    if type(env) is not dict:
        raise _NotText("environment")
    items = dict.items(env)
    out = {_text(k, "environment", plain): _text(v, "environment", plain) for k, v in items}
    if len(out) != len(items) or any("=" in k or "\0" in k for k in out):
        # {b"UV_INDEX_URL": EVIL, "UV_INDEX_URL": ok}: subprocess and os put both copies in
        # the child's environment and its getenv finds the first, while a dict read keeps the
        # last (red team 11 R11-11); a name with "=" is split by the child elsewhere
        raise _NotText(
            "environment (a variable named twice, as bytes and as str, or a name with =)"
        )
    return out


def _command_value(event: str, args: tuple, env: dict) -> str:
    """Why this change of the environment ``env`` is refused (``command_values``), '' when it
    is not."""
    try:
        name = os.fsdecode(args[0])
        value = os.fsdecode(args[1]) if event == "os.putenv" else None
    except Exception:  # noqa: BLE001 - not text: recorded as unknown by ``inherited.changed``
        return ""
    if value is None and not any("$" in v for v in env.values()):
        return ""  # unsetting: only a value that names it reads otherwise
    from .command_values import refused_change

    return refused_change(name, value, env, os.getcwd())


def _unlisted_folder(folder: str) -> str:
    """Why a start whose PATH holds ``folder``, which this process may search but not list,
    is refused (red team 84 F4)."""
    return (
        f"the folder {folder} on this start's PATH can be searched but not listed by the "
        "kernel's user, so Warden cannot find a program written there since the kernel "
        "started, which any program this start runs may run by name (tar runs gzip): make it "
        "readable (chmod u+r) or take it off PATH"
    )


def _refused_start(problem: str):
    from .request import InstallRequest

    request = InstallRequest("unknown", "process start")
    request.problems.append(problem)
    return request


def _current_folder():
    """The process's working folder, or None when it cannot be named (removed): a start there
    inherits it, and a reading that needs it fails (``os.getcwd`` raises there)."""
    try:
        return os.getcwd()
    except OSError:
        return None


def _refused_script_start(program: str, why: str):
    from .request import InstallRequest

    request = InstallRequest("unknown", f"%%script {program}")
    request.problems.append(why)
    return request


def _unreadable_environment(problem: str):
    from .request import InstallRequest

    request = InstallRequest("unknown", "process start")
    request.problems.append(
        f"the process inherits an environment Warden cannot read ({problem}); set variables "
        "through os.environ[...] or pass env=dict(...)"
    )
    return request


def _plain_event(event: str, args: tuple):
    """(program or None, argv, env or None, cwd or None, shell string or None) of a
    process-start audit event, each read as the process gets it (``_text``)."""
    if event == "os.system":
        return None, [], None, None, _text(args[0], "command") if args else ""
    cwd = None
    # The program that runs is the event's executable/path, not argv[0] (which the caller
    # chooses freely: Popen(["ls", "install", "x"], executable="pip") runs pip).
    if event == "subprocess.Popen":
        program, argv, cwd, env = args if len(args) == 4 else (list(args) + [None] * 4)[:4]
    elif event == "os.spawn":
        _mode, program, argv, env = (list(args) + [None] * 4)[:4]
    else:  # os.exec / os.posix_spawn: (path, argv, env)
        program, argv, env = (list(args) + [None] * 3)[:3]
    program = _fd_path(program)
    plain = event == "subprocess.Popen"  # encoded by Python code after the hook (``_text``)
    return (
        None if program is None else _text(program, "program", plain),
        _words(argv),
        None if env is None else _environment(env, plain),
        None if cwd is None else _text(cwd, "working folder"),
        None,
    )


def _start_env(env, gate) -> dict:
    """The variables ``argv_zero`` reads of a start's environment (None: the inherited)."""
    source = env if env is not None else gate.inherited
    return {name: source.get(name) for name in ("PATH", "PYTHONEXECUTABLE")
            if source.get(name) is not None}  # fmt: skip


def _fd_path(program):
    """``os.execve(fd, ...)`` runs the file open on ``fd`` (fexecve) whatever argv[0] says (red
    team 9 R9-9: uv opened and run as ``["ls", "pip", "install", ...]``): it is read as
    ``/proc/self/fd/N``, a link the reading follows to the program (R8-12)."""
    if isinstance(program, int) and not isinstance(program, bool):
        return f"/proc/self/fd/{program}"
    return program


def _placed(program, search: str, present, cwd=None) -> tuple:
    """``fastpath.find``'s answer for a Popen start's program: where a bare name is found on
    ``search``, ``NOWHERE`` for a path or a name found nowhere (Popen execs it as it is)."""
    if type(program) is not str or os.sep in program or not search:
        return NOWHERE
    return find(program, search, cwd, present)


def _program_argv(program, argv: List[str]) -> List[str]:
    """The start read by its program (the file exec runs) in argv[0]'s place: a Python's
    argv[0] that places it elsewhere is refused before (``_renamed_python``, R54b-4); a
    shell's (``-bash``: a login shell) is handed to the reading beside it (red team 88 F3)."""
    if program is None:
        return list(argv)
    return [program] + argv[1:]


def pip_main_wrapper(original, label, state):
    """``pip._internal.cli.main.main``: installs run inside this interpreter (``pip.main``,
    ``python -m pip`` when this interpreter is pip's own). Refusals only: the process that
    started pip already recorded the allowed install. A refusal raised in the command before
    pip's own error handling (its ``parse_args``: ``decide_resolved``) ends as pip's errors
    do, and as a refused start in a forked child (``_enforce``): Warden's message on stderr
    and a non-zero status, not a traceback (red team 54c R54c-2). A caller of the command
    itself (``create_command("install").main``) still gets the exception."""

    def main(args=None, *rest, **kwargs):
        argv = list(sys.argv[1:] if args is None else args)
        gate = getattr(state, "installs", None)
        if gate is not None:
            gate.decide_pip_main(argv)
        try:
            return original(args, *rest, **kwargs)
        except WardenBlockedInstall as exc:
            _stderr(f"{exc}\n")
            return EXIT_REFUSED

    return main


# pip's command running in this context (``Command.main``): "main", then "install" once the
# gate allowed its install; a context variable, so another thread, and the code after the
# command returns, are outside it. Made by pip's first command, of the built-in ``_contextvars``
# (no import after the boot: red team 38a R38a-6).
_PIP_COMMAND: dict = {}


def _pip_command_var():
    var = _PIP_COMMAND.get("var")
    if var is None:
        var = _PIP_COMMAND["var"] = _contextvars.ContextVar("warden_pip_command", default="")
    return var


def _pip_code_runs() -> bool:
    """Whether every Python frame from pip's command (``pip_command_wrapper``) down to here
    is pip's own code, the standard library's or this guard's (red team 33 R33-8: a script
    replaced ``InstallCommand.run``, called pip's main with an install the gate allows, and
    its run wrote a site folder's .pth). Code names its own file, so this holds against a
    replaced function, not against pip's files rewritten on disk (threat model)."""
    top = _PIP_COMMAND.get("code")
    pip = sys.modules.get("pip")
    if top is None or getattr(pip, "__file__", None) is None:
        return False
    stdlib = getattr(sys, "_stdlib_dir", None) or os.path.dirname(os.__file__)
    here = globals().get("__file__")  # none in a guard bootstrapped from embedded source
    guard = os.path.dirname(os.path.dirname(os.path.abspath(here))) if here else "\0"
    own = (os.path.dirname(os.path.abspath(pip.__file__)) + os.sep, stdlib + os.sep,
           guard + os.sep, "<frozen ")  # fmt: skip
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if code is top:
            return True
        if not code.co_filename.startswith(own):
            return False
        frame = frame.f_back
    return False


def pip_command_stage() -> str:
    """ "" outside a pip command's ``main``; "main" inside one; "install" once its install was
    decided and allowed."""
    var = _PIP_COMMAND.get("var")
    return "" if var is None else var.get()


def pip_command_wrapper(original, label, state):
    """``pip._internal.cli.base_command.Command.main``: the span of one pip command, in which
    an install the gate allows may write site folders' start-up files (``allowed_install``)."""

    def main(self, *args, **kwargs):
        var = _pip_command_var()
        token = var.set("main")
        try:
            return original(self, *args, **kwargs)
        finally:
            var.reset(token)

    _PIP_COMMAND["code"] = main.__code__  # where ``_pip_code_runs`` stops
    return main


def pip_parse_args_wrapper(original, label, state):
    """``pip._internal.cli.base_command.Command.parse_args``: every pip command, however it is
    started (pip's CLI, ``pip.main``, ``create_command("install").main(...)``, the original of
    any wrapper), parses its options here; the install is decided on what pip resolved from
    its command line, environment and config files, for every command that installs by what
    it is (``pip_commands.installing``: its class, whatever its name). Refusals only."""

    def parse_args(self, args, *rest, **kwargs):
        options, positional = original(self, args, *rest, **kwargs)
        gate = getattr(state, "installs", None)
        # told by its class, not only the name its caller may give it (red team 45b R45b-2)
        kind = pip_commands.installing(self) if gate is not None else None
        if kind is not None:
            gate.decide_resolved(kind, options, positional)
            if kind == "install" and pip_command_stage() == "main":
                _pip_command_var().set("install")  # until this command's main returns
        return options, positional

    return parse_args


def pip_file_wrapper(original, label, state):
    """``pip._internal.req.req_file.get_file_content``: pip's own read of each requirements
    file (``-r``, ``-c``, nested, from the environment or config); decided on those bytes."""

    def get_file_content(url, *rest, **kwargs):
        result = original(url, *rest, **kwargs)
        gate = getattr(state, "installs", None)
        if gate is not None:
            gate.decide_file_content(str(url), str(result[1]))
        return result

    return get_file_content


def script_magic_wrapper(original, label, state):
    """IPython's ``ScriptMagics.shebang``, which every script cell magic runs through: the
    cell body is decided before the program starts (``InstallGate.decide_script_magic``), and
    only IPython's own start of the program may read it as decided (``script_start``)."""
    from .script_start import arming

    run = arming(original)  # None: no start of this shebang reads its stdin as decided

    def shebang(self, line, cell):
        gate = getattr(state, "installs", None)
        decided = gate.decide_script_magic(original.parser, line, cell) if gate else None
        if decided is None or run is None:
            return original(self, line, cell)
        offer = gate.script_starts.offer(*decided)
        try:
            return run(gate.script_starts, offer, (self, line, cell))
        finally:
            gate.script_starts.withdraw(offer)  # the program did not start: nothing stays

    return shebang


def spawnv_passfds_wrapper(original, label, state):
    """``multiprocessing.util.spawnv_passfds``: multiprocessing's spawn and forkserver start
    their Python through ``_posixsubprocess.fork_exec``, which raises no audit event (red team
    11 R11-5: with the guard's entry gone from the kernel's environment, a spawned child ran
    pip unguarded). Decided as the process start it is: that Python, with the environment it
    inherits."""

    def spawnv_passfds(path, args, passfds):
        gate = getattr(state, "installs", None)
        if gate is not None:
            # read once, by their data, decided, and those very values passed on: fork_exec
            # reads a list subclass through its own __iter__, which may answer otherwise the
            # second time (red team 40a R40a-2)
            try:
                # fork_exec takes bytes: the decided text, encoded as C decodes it (fs_decode)
                path = str.encode(
                    _text(path, "program", plain=True), FS_ENCODING, "surrogateescape"
                )
                args = plain_start(args, None, False)[0]
            except _NotText as exc:
                gate.refuse_unreadable("subprocess.Popen", exc)
                raise PermissionError(f"Jupyter Warden refused a process start: {exc}") from None
            # the child gets its stdio and ``passfds`` (read once, passed on as read)
            passfds = tuple(map(int, passfds))
            token = handed_fds.noting(handed_fds.popen_note(True, passfds, ()))
            try:
                gate.check("subprocess.Popen", (path, list(args), None, None))
            finally:
                handed_fds.done(token)
        return original(path, args, passfds)

    return spawnv_passfds


def _handed_descriptor(fd: int, path: str) -> str:
    return (
        f"this process start hands its child descriptor {fd}, open for writing on {path}, "
        "through which it may write after Warden read the start: close the descriptor "
        f"(os.close({fd})) or make it non-inheritable (os.set_inheritable({fd}, False)), and "
        "pass no such file as pass_fds or stdout, before starting processes"
    )


def _spawn_open(path) -> str:
    return (
        f"this posix_spawn opens {os.fsdecode(path)} for writing in the child (a "
        "POSIX_SPAWN_OPEN file action, which no path event shows): write the file from Python "
        "itself, or have the child write elsewhere"
    )


def _unnamed(fd: int) -> str:
    return (
        f"this process start hands its child descriptor {fd}, open for writing on a file "
        "Warden cannot name (/proc/self/fd unreadable), so it cannot tell whether the child may "
        f"write a start-up file through it: close it (os.close({fd})) or make it non-inheritable "
        f"(os.set_inheritable({fd}, False)) before starting processes"
    )


def spawn_env_wrapper(original, label, state):
    """``os.posix_spawn``, ``os.posix_spawnp``, ``os.execve`` (``os.exec*e`` and ``os.spawn*e``
    call it), ``os.execv`` (``os.exec*``, ``os.spawnv*``'s child): these convert argv and
    ``env`` in C, through the objects' own methods (a list subclass's ``__getitem__``,
    ``os.environ``'s ``keys``/``values``), before their audit event. So they get the plain
    values the gate reads (``plain_start``, red team 40a R40a-1/3), and the environment the
    guard, as ``Popen``'s does (``child_path``, red team 28c R28c-3). ``posix``'s own
    functions, called directly, reach the gate as they are (it refuses what it cannot read as
    C does)."""
    from .child_path import rerouter

    reroute = rerouter(state)
    spawns = label not in ("os.execve", "os.execv")
    with_env = label != "os.execv"

    def start(*args, **kwargs):
        args, kwargs = _plain_arguments(args, kwargs, with_env)
        if not with_env:
            return original(*args, **kwargs)
        if len(args) >= 3 and args[2] is not None:
            args = (*args[:2], reroute(args[2]), *args[3:])
        elif kwargs.get("env") is not None:
            kwargs["env"] = reroute(kwargs["env"])
        if not spawns:
            return original(*args, **kwargs)
        # its file actions, which its audit event does not carry, noted for the gate in the
        # form passed on (``handed_fds``, red team 34 R34-3)
        actions, why = handed_fds.spawn_actions(kwargs.get("file_actions"))
        if actions is not None:
            kwargs["file_actions"] = actions
        token = handed_fds.noting(("spawn", actions, why))
        try:
            return original(*args, **kwargs)
        finally:
            handed_fds.done(token)

    return start


def _plain_arguments(args: tuple, kwargs: dict, with_env: bool):
    """``(path, argv[, env], ...)`` with argv and env as ``plain_start`` makes them; as given
    when they cannot be read so (the gate refuses them at the event)."""
    if len(args) >= 2:
        argv, env = args[1], (args[2] if len(args) >= 3 else kwargs.get("env"))
    else:
        argv, env = kwargs.get("argv"), kwargs.get("env")
    try:
        argv, env = plain_start(argv, env, with_env)
    except _NotText:
        return args, kwargs
    if len(args) >= 2:
        args = (args[0], argv, *args[2:])
    else:
        kwargs["argv"] = argv
    if with_env and env is not None:
        if len(args) >= 3:
            args = (*args[:2], env, *args[3:])
        else:
            kwargs["env"] = env
    return args, kwargs


PATCH_TARGETS = (
    ("pip._internal.req.req_file", "get_file_content", "pip requirements", "pip-file"),
    ("pip._internal.cli.main", "main", "pip.main", "pip-main"),
    ("pip._internal.cli.base_command", "Command.parse_args", "pip options", "pip-options"),
    ("pip._internal.cli.base_command", "Command.main", "pip command", "pip-command"),
    # a wheel pip takes from its wheel cache is read first (pip_wheel_cache, R41a-3)
    ("pip._internal.cache", "WheelCache.get_cache_entry", "pip wheel cache", "pip-wheel-cache"),
    # what pip takes from index pages, redirects and its HTTP cache (pip_links, R42a-2)
    ("pip._internal.index.collector", "parse_links", "pip page links", "pip-page-links"),
    ("pip._internal.index.package_finder", "parse_links", "pip page links", "pip-page-links"),
    ("pip._internal.network.download", "_http_get_download", "pip download", "pip-download"),
    ("pip._internal.network.cache", "SafeFileCache.get", "pip HTTP cache", "pip-http-cache"),
    # a dependency's direct reference (pip_requires), a location pip reads as a local path
    # (pip_sources), the requirements pip parses from a file (pip_requirements): red team 43a
    (
        "pip._internal.req.constructors",
        "install_req_from_req_string",
        "pip dependency",
        "pip-requires",
    ),
    (
        "pip._internal.cli.req_command",
        "install_req_from_req_string",
        "pip dependency",
        "pip-requires",
    ),
    ("pip._internal.index.sources", "build_source", "pip source", "pip-build-source"),
    ("pip._internal.index.collector", "build_source", "pip source", "pip-build-source"),
    ("pip._internal.req.req_file", "parse_requirements", "pip requirements", "pip-requirements"),
    ("pip._internal.cli.req_command", "parse_requirements", "pip requirements", "pip-requirements"),
    ("IPython.core.magics.script", "ScriptMagics.shebang", "%%script", "script-magic"),
    ("multiprocessing.util", "spawnv_passfds", "multiprocessing spawn", "mp-spawn"),
    # preexec_fn, which the subprocess.Popen event does not carry (R11-9)
    ("subprocess", "Popen._execute_child", "subprocess preexec_fn", "popen-preexec"),
    # the environment these hand their child, given the guard (child_path, R28c-3)
    ("os", "posix_spawn", "os.posix_spawn", "spawn-env"),
    ("os", "posix_spawnp", "os.posix_spawnp", "spawn-env"),
    ("os", "execve", "os.execve", "spawn-env"),
    # argv only: handed on as the gate reads it (red team 40a R40a-1)
    ("os", "execv", "os.execv", "spawn-env"),
    # os.environ's writes: the C environ a start inherits keeps the guard (child_path, R31-1)
    ("os", "putenv", "os.putenv", "environ-put"),
    ("os", "unsetenv", "os.unsetenv", "environ-unset"),
    ("os", "environ.putenv", "os.putenv", "environ-put"),  # Python 3.8's os._Environ
    ("os", "environ.unsetenv", "os.unsetenv", "environ-unset"),
)


def maker(kind: str):
    return {
        "pip-main": pip_main_wrapper,
        "pip-options": pip_parse_args_wrapper,
        "pip-command": pip_command_wrapper,
        "pip-file": pip_file_wrapper,
        "pip-wheel-cache": _pip_wheel_cache_wrapper,
        "pip-page-links": _pip_links_wrapper("links_wrapper"),
        "pip-download": _pip_links_wrapper("download_wrapper"),
        "pip-http-cache": _pip_links_wrapper("cache_wrapper"),
        "pip-requires": _pip_requires_wrapper,
        "pip-build-source": _pip_sources_wrapper,
        "pip-requirements": _pip_requirements_wrapper,
        "script-magic": script_magic_wrapper,
        "mp-spawn": spawnv_passfds_wrapper,
        "popen-preexec": execute_child_wrapper,
        "spawn-env": spawn_env_wrapper,
        "environ-put": _environ_writer("environ-put"),
        "environ-unset": _environ_writer("environ-unset"),
    }.get(kind)


def _pip_wheel_cache_wrapper(original, label, state):
    from .pip_wheel_cache import wrapper

    return wrapper(original, label, state)


def _pip_requires_wrapper(original, label, state):
    from .pip_requires import wrapper

    return wrapper(original, label, state)


def _pip_sources_wrapper(original, label, state):
    from .pip_sources import wrapper

    return wrapper(original, label, state)


def _pip_requirements_wrapper(original, label, state):
    from .pip_requirements import wrapper

    return wrapper(original, label, state)


def _pip_links_wrapper(name: str):
    def make(original, label, state):
        from . import pip_links

        return getattr(pip_links, name)(original, label, state)

    return make


def _environ_writer(kind: str):
    def make(original, label, state):
        from .child_path import environ_writer

        return environ_writer(kind, original, state)

    return make
