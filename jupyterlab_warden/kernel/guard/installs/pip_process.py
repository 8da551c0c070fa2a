"""Whether this guarded Python is pip's own command, the one process whose pip install the
gate allowed may write site folders' start-up files and PATH programs (``gate.
allowed_install``; red team 34 R34-9).

Red team 33 R33-8's frame check (``gate._pip_code_runs``: every frame from pip's command down
to the write is pip's, the standard library's or the guard's) held against a replaced pip
function whose code is the script's, not against one that is a standard-library callable
bound to the script's arguments: w.py set ``install.check_externally_managed =
functools.partial(shutil.copyfile, 'p.pth', site + '/zz.pth')`` and ran
``create_command('install').main([...])`` with an install the gate allows; no frame of w.py
was on the stack when the copy wrote. Any code that runs in the process can rewire pip so
(``operator.methodcaller``, ``map``, ``itertools.starmap``, a bound method of a builtin), so
the allowance is now a property of the PROCESS, decided from what it ran:

- started as pip's own command, read from its command line as it started (``boot_argv``,
  before any code of its own): ``-m pip`` whose ``pip`` is this Python's site folder's (the
  first ``pip`` on its search path: the working folder, PYTHONPATH's, a ``pip.py`` there
  shadow it), pip's console script beside this interpreter whose text is pip's launcher and
  nothing else, pip's ``__pip-runner__.py`` in a site folder (pip's build environments), or
  ensurepip's command text running the wheel the standard library bundles (``python -m
  venv``); a script that imports pip (``w.py``, ``-c``) has no allowance at all;
- and no module ran in it whose file is none of the standard library's, pip's own, the
  guard's, or a site folder's unchanged since the kernel started (``code_ran``, on every
  ``exec`` audit event: an import's code, by the file its import found: the cell's
  ``./logging.py`` that ``-m pip`` imports from the working folder, a module it wrote into a
  site folder that pip imports when present, ``_manylinux``).

Not covered: pip's and the standard library's own files rewritten on disk (they count by
their place), and native code (an extension module, ``ctypes``: the threat model's L2). Only
``os`` and ``sys`` at import (``_imp`` is built in): every guarded Python builds a
``PipProcess`` as its guard installs.
"""

import os
import sys

from ..boot_sys import BOOT_SYS  # sys as at the boot (red team 49a)
from ..private_modules import own_module

# pip's console scripts (pip, pip3, pip3.12) and the lines their launchers hold: distlib's
# (pip's own installer) and uv's; anything else in the file is another program
_SCRIPT_NAMES = ("pip", "pip3")
_SCRIPT_LINES = frozenset(
    (
        "# -*- coding: utf-8 -*-", "import re", "import sys",
        "from pip._internal.cli.main import main",
        "if __name__ == '__main__':", 'if __name__ == "__main__":',
        "sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])",
        'if sys.argv[0].endswith("-script.pyw"):', "sys.argv[0] = sys.argv[0][:-11]",
        'elif sys.argv[0].endswith(".exe"):', "sys.argv[0] = sys.argv[0][:-4]",
        "sys.exit(main())",
    )
)  # fmt: skip
_RUNNER = "__pip-runner__.py"
# the files an import of ``pip`` takes as a module (``_imp``: built in, no file to load)
_MODULE_FILES = frozenset(
    "pip" + suffix for suffix in (".py", ".pyc", ".pyw", *__import__("_imp").extension_suffixes())
)
_SITE_NAMES = ("site-packages", "dist-packages")


def boot_argv() -> tuple:
    """This Python's command line as it started: ``sys.orig_argv`` (3.10+); on 3.8 and 3.9,
    whose ``sys.argv`` is ``['-m', ...]`` or ``['-c', ...]`` while ``site`` runs (the module,
    the text not yet there), the kernel's record of it (``/proc/self/cmdline``), else the
    script's ``sys.argv`` (its options gone: read as not isolated, the stricter reading)."""
    argv = getattr(sys, "orig_argv", None)
    if argv:
        return tuple(argv)
    if sys.argv[:1] not in (["-m"], ["-c"]):
        return (sys.executable, *sys.argv)
    try:
        with open("/proc/self/cmdline", "rb") as handle:
            words = handle.read().split(b"\0")
    except OSError:
        return ()
    return tuple(os.fsdecode(w) for w in words[:-1])


class PipProcess:
    """``own()``: this process is pip's own command and ran no code but pip's, the standard
    library's, the guard's and its site folders' (see the module's docstring)."""

    __slots__ = ("folder", "why", "script", "_roots", "_script_id", "_renewed", "_loading")

    def __init__(self, argv) -> None:
        self.folder = ""  # the folder of the pip it runs, when pip's own command
        self.why = ""  # why it is not (when it runs pip's command), or which code ran
        self.script = ""  # pip's console script it runs (absolute), read as it started
        self._roots = None  # ``_trusted_roots``, made by the first ``code_ran``
        self._script_id = None  # the identity of ``script`` when Warden read it
        self._renewed = False  # ``_pip_renewed``, once true
        self._loading = None  # the thread making ``_roots`` (``_load_roots``)
        try:
            self.folder, self.why, self.script, self._script_id = _pip_started(argv)
        except Exception as exc:  # noqa: BLE001 - what Warden cannot read: no allowance
            self.why = f"Warden could not read the folders it imports pip from ({exc})"

    def own(self) -> bool:
        return bool(self.folder) and not self.why

    def code_ran(self, args: tuple) -> None:
        """An ``exec`` audit event (a module's import, ``runpy``, ``exec``): in pip's own
        command, code from a file outside the trusted places ends its allowance. Nothing to
        do in any other process (the hot path)."""
        if not self.folder or self.why or not args:
            return
        code = args[0]
        try:
            for path in (getattr(code, "co_filename", ""), _imported_file(code)):
                if path and not self._trusted(path):
                    self.why = f"{path} ran in it (code that is not pip's, the standard "
                    self.why += "library's or an installed package's as the kernel started)"
                    return
        except Exception as exc:  # noqa: BLE001 - what Warden cannot read ends the allowance
            self.why = f"Warden could not tell whose code ran in it ({exc!r})"

    def _trusted(self, path: str) -> bool:
        if path[:1] == "<":
            return self._text_trusted(path)
        if self._roots is None and self._load_roots():
            return True  # code Warden's own loading runs
        path = os.path.abspath(path)
        if path == self.script:
            return self._script_kept()
        real = os.path.realpath(path)  # resolved only for a path no root holds as spelt
        place = self._place(path) or (real != path and self._place(real))
        if place == "pip" and self._pip_renewed():
            return True  # a pip installed since the kernel started: its files by place
        changed = _changed_since_start(path)
        if place:
            return not changed  # None: Warden's own age rule being imported, by place
        sites = self._roots[2]
        return (path.startswith(sites) or real.startswith(sites)) and changed is False

    def _load_roots(self) -> bool:
        """Make ``_roots``. The modules that runs (Warden's, the standard library's it
        imports) are not asked about: asking would import them again, half made. True when
        called again in the thread loading (its code is Warden's), else False (another
        thread's asks again: its ``_roots`` is None, an error ends the allowance)."""
        import _thread  # built in

        me = _thread.get_ident()
        if self._loading is not None:
            return self._loading == me
        self._loading = me
        try:
            self._roots = _trusted_roots(self.folder)
        finally:
            self._loading = None
        return False

    def _text_trusted(self, name: str) -> bool:
        """Code compiled from text, not from a file (red team 35 R35-5: ``<stdin>``, the
        session of a ``-i`` Python, is the input's): the import system's frozen modules, or
        text that code of a trusted file compiled (``dataclasses``, ``namedtuple``: ``exec``
        of ``<string>``), by the first frame under the guard's."""
        if name.startswith("<frozen "):
            return True
        caller = _caller_file()
        return bool(caller) and caller[:1] != "<" and self._trusted(caller)

    def _script_kept(self) -> bool:
        """pip's console script is the file Warden read as the process started (red team 35
        R35-6): its identity then, ``ctime`` included (no write keeps it)."""
        try:
            return _identity(os.stat(self.script)) == self._script_id
        except OSError:
            return False

    def _pip_renewed(self) -> bool:
        """Whether the pip this process runs was installed (its ``__init__.py`` written) since
        the kernel started: a venv made on the line, pip upgrading itself, ensurepip's wheel.
        Its files then count by their place (as its files rewritten on disk do: not covered);
        else each must be unchanged since the kernel started (red team 35 R35-8: a new file in
        pip's folder, which ``__pip-runner__.py``'s ``sys.path[0]`` is)."""
        if not self._renewed:
            self._renewed = _changed_since_start(os.path.join(self.folder, "__init__.py")) is True
        return self._renewed

    def _place(self, path: str) -> str:
        """``pip`` for a file of pip's folder or Warden's, ``stdlib`` for the standard
        library's (not a site folder in it), else ''."""
        own, stdlib, _ = self._roots
        if path.startswith(own):
            return "pip"
        return "stdlib" if path.startswith(stdlib) and not _in_site(path) else ""


def _changed_since_start(path: str):
    """``kernel_age.changed_since_start`` (imported by pip's own command only: built-in modules
    and the guard's own, so no module of the working folder runs inside it); None while that
    module is half made: the code running is its own (``_trusted``: by place)."""
    # the guard's own, never sys.modules' (fix 58mods); loaded by the guard once sealed
    module = own_module(__name__.rsplit(".", 1)[0] + ".kernel_age", load=True)
    if module is None:  # before the seal
        from . import kernel_age as module
    check = getattr(module, "changed_since_start", None)
    return None if check is None else check(path)


def _identity(st) -> tuple:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _caller_file() -> str:
    """The file of the first frame outside the guard's package (the code that compiled or
    ran the text of an ``exec`` event); '' when none."""
    package = __name__.rsplit(".", 2)[0] + "."
    frame = sys._getframe(2)
    while frame is not None and (frame.f_globals.get("__name__") or "").startswith(package):
        frame = frame.f_back
    return frame.f_code.co_filename if frame is not None else ""


def _trusted_roots(pip_folder: str):
    """The folders whose code runs in pip's own command without a question, as path prefixes:
    pip's package and Warden's; the standard library (not a site folder in it); and this
    Python's site folders, whose files count when unchanged since the kernel started."""
    from .own_python import OWN

    here = globals().get("__file__")  # none in a guard bootstrapped from embedded source
    warden = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(here or ""))))
    stdlib = getattr(sys, "_stdlib_dir", None) or os.path.dirname(os.__file__)
    return (
        _prefixes((pip_folder, warden)),
        _prefixes((stdlib, OWN.stdlib())),
        _prefixes(_site_folders()),
    )


def _prefixes(folders) -> tuple:
    found = set()
    for folder in folders:
        if folder:
            found.update((os.path.abspath(folder) + os.sep, os.path.realpath(folder) + os.sep))
    return tuple(found)


def _in_site(path: str) -> bool:
    """A path in a standard library's ``site-packages`` (a Python without a venv keeps its
    site folder there) is a site folder's, not the library's."""
    return any(f"{os.sep}{name}{os.sep}" in path for name in _SITE_NAMES)


def _site_folders():
    from .own_python import OWN

    return (*OWN.site_packages, *OWN.path_site_folders, OWN.user_site)


def _imported_file(code) -> str:
    """The file an import found for the module whose code runs (its ``__file__``, set from
    the finder's spec before the code runs): a sourceless ``.pyc`` names whatever file its
    code object says (``co_filename`` is not set from the file then). '' outside an import."""
    frame = sys._getframe(1)
    for _ in range(8):
        if frame is None:
            return ""
        if frame.f_code.co_name == "_call_with_frames_removed":
            args = frame.f_locals.get("args")
            if type(args) is tuple and len(args) > 1 and args[0] is code:
                module = args[1]
                return module.get("__file__") or "" if type(module) is dict else ""
            return ""
        frame = frame.f_back
    return ""


def _pip_started(argv):
    """(the folder of the pip this Python was started to run, '', its console script or '',
    the script's identity as Warden read it or None) when it was started as pip's own
    command and goes on to no interactive session after it (``own_command.inspects``: ``-i``,
    PYTHONINSPECT; red team 35 R35-5); ('', why, '', None) when its command line names pip
    otherwise; ('', '', '', None) for any other command (no pip at all: the common start)."""
    from .own_command import inspects

    found = _pip_command(argv)
    if found[0] and inspects(argv):
        why = "it goes on to an interactive session after pip's command (-i, PYTHONINSPECT)"
        return "", why, "", None
    return found


def _pip_command(argv):
    """``_pip_started`` but for the session after the command."""
    from .own_command import python_target

    kind, target, isolated = python_target(argv)
    if kind != "script" or os.path.basename(target) == _RUNNER:
        return (*_pip_text_or_module(kind, target, isolated), "", None)
    name = os.path.basename(target)
    if not (name in _SCRIPT_NAMES or name.startswith("pip3.")):
        return "", "", "", None
    why, identity = _read_pip_script(target)
    if why:
        return "", why, "", None
    real = os.path.realpath(target)
    first = [] if isolated else [os.path.dirname(real)]  # the script's folder first
    return (*_site_pip(first + list(sys.path)), os.path.abspath(target), identity)


def _pip_text_or_module(kind: str, target: str, isolated: bool):
    """(pip's folder, why) of ``-c`` ensurepip's text, ``-m pip``, pip's runner script."""
    if kind == "command":
        return _ensurepip_pip(target)
    if kind == "module":
        if target != "pip":
            return "", ""
        first = [] if isolated else [os.getcwd()]  # -m searches the working folder first
        return _site_pip(first + list(sys.path))
    if kind == "script":
        return _runner_pip(target)
    return "", ""


# the command text ensurepip runs its bundled pip with (``ensurepip._run_pip``, 3.8-3.13)
_ENSUREPIP = (
    "\nimport runpy\nimport sys\nsys.path = {paths} + sys.path\nsys.argv[1:] = {args}\n"
    'runpy.run_module("pip", run_name="__main__", alter_sys=True)\n'
)


def _ensurepip_pip(text: str):
    """ensurepip's pip (`python -m venv` makes a venv's pip so): the command text is
    ensurepip's, whole, and the wheels it puts first on ``sys.path`` are copies of the ones
    the standard library bundles (pip runs from its wheel). ('', '') for any other text."""
    if not text.endswith(_ENSUREPIP[_ENSUREPIP.rindex("runpy.") :]):
        return "", ""
    from ast import literal_eval  # only a command text that runs pip pays it

    lines = text.split("\n")
    try:
        paths = literal_eval(lines[3][len("sys.path = ") : -len(" + sys.path")])
        args = literal_eval(lines[4][len("sys.argv[1:] = ") :])
    except (IndexError, ValueError, SyntaxError):
        return "", "its command text runs pip otherwise than ensurepip does"
    if type(paths) is not list or _ENSUREPIP.format(paths=paths, args=args) != text:
        return "", "its command text runs pip otherwise than ensurepip does"
    wheels = [p for p in paths if type(p) is str and os.path.basename(p).startswith("pip-")]
    if len(wheels) != 1 or not all(type(p) is str and _bundled(p) for p in paths):
        return "", "the pip wheel it runs is none the standard library bundles"
    return os.path.join(wheels[0], "pip"), ""


def _bundled(wheel: str) -> bool:
    """Whether ``wheel`` holds the bytes of the wheel of its name ensurepip bundles (in the
    standard library, or the folder a distribution keeps them in: ``WHEEL_PKG_DIR``)."""
    import sysconfig

    from .own_python import OWN

    name = os.path.basename(wheel)
    folders = (os.path.join(OWN.stdlib(), "ensurepip", "_bundled"),
               sysconfig.get_config_var("WHEEL_PKG_DIR") or "")  # fmt: skip
    try:
        with open(wheel, "rb") as handle:
            given = handle.read()
    except OSError:
        return False
    for folder in folders:
        try:
            with open(os.path.join(folder, name), "rb") as handle:
                if handle.read() == given:
                    return True
        except OSError:
            continue
    return False


def _site_pip(folders):
    """(pip's folder, '') when the first folder of ``folders`` (a Python's search path) that
    holds a ``pip`` is one of this Python's site folders, holding pip's package; else
    ('', why): another ``pip`` (a package, ``pip.py``, a compiled module) would run."""
    sites = {os.path.realpath(f) for f in _site_folders() if f}
    for folder in folders:
        path = os.path.abspath(folder or os.curdir)
        if os.path.isfile(path):
            return "", f"{path}, an archive on its search path before pip's, may hold a pip"
        try:
            names = os.listdir(path)
        except (FileNotFoundError, NotADirectoryError):
            continue
        package = os.path.join(path, "pip")
        # a package or namespace folder, a module or compiled one (not a program named pip,
        # nor pip.conf)
        found = [n for n in names if n in _MODULE_FILES or (n == "pip" and os.path.isdir(package))]
        if not found:
            continue
        if os.path.realpath(path) in sites and os.path.isfile(os.path.join(package, "__init__.py")):
            return package, ""
        return "", f"{os.path.join(path, found[0])} comes first on its search path"
    return "", "no pip in its site folders"


def _runner_pip(script: str):
    """pip's ``__pip-runner__.py`` (the pip that installs a build environment's packages
    runs itself so): in the ``pip`` package of one of this Python's site folders, where it
    takes its pip from."""
    real = os.path.realpath(script)
    package = os.path.dirname(real)
    site = os.path.dirname(package)
    sites = {os.path.realpath(f) for f in _site_folders() if f}
    if os.path.basename(package) == "pip" and site in sites:
        return package, ""
    return "", f"{script} is no pip of this Python's site folders"


# pip's launcher is a few hundred characters: a larger file is read as another program
_SCRIPT_LIMIT = 16384
# characters Python's reader and ``str.splitlines`` part lines at differently (a line break
# to one, not to the other): none is in pip's launcher
_ODD_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\0")
# distlib's long-shebang form's third line: it ends the string the second line opens
_LONG_SHEBANG_END = "' '''"


def _read_pip_script(path: str):
    """('', its identity as read) when ``path`` is pip's console script: in this Python's
    program folder, a Python launcher that runs pip's main and nothing else, read whole (red
    team 35 R35-6; its text, not its age: pip upgrading itself writes it again); else (why
    not, None). ``PipProcess._script_kept`` asks that Python runs that same file."""
    here = os.path.dirname(os.path.abspath(path))
    own = {
        os.path.dirname(os.path.abspath(BOOT_SYS.executable)),
        os.path.join(BOOT_SYS.prefix, "bin"),
    }
    if here not in own and os.path.realpath(here) not in {os.path.realpath(f) for f in own}:
        return f"{path} is no console script of this Python's", None
    try:
        with open(path, "rb") as handle:
            identity = _identity(os.fstat(handle.fileno()))
            raw = handle.read(_SCRIPT_LIMIT + 1)
        text = raw.decode("utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return f"Warden could not read {path}", None
    if len(raw) > _SCRIPT_LIMIT or any(c in text for c in _ODD_BREAKS):
        return f"{path} is not pip's launcher (its size, its line breaks)", None
    why = _not_launcher(text.split("\n"))
    return (f"{path} is not pip's launcher ({why})", None) if why else ("", identity)


def _not_launcher(lines) -> str:
    """'' when ``lines`` (a file's, whole) are pip's launcher: a shebang (or distlib's
    long-shebang form, exactly: ``pip_program._LONG_SHEBANG``, red team 35 R35-7), then only
    lines of pip's launchers (``_SCRIPT_LINES``), its source read as UTF-8; else why not."""
    if not lines[0].startswith("#!"):
        return "no shebang"
    if _foreign_coding(lines[:2]):
        return "its source declares an encoding other than UTF-8"
    body = lines[1:]
    if lines[0] == "#!/bin/sh":
        from .pip_program import _LONG_SHEBANG

        if len(lines) < 3 or not _LONG_SHEBANG.match(lines[1]) or lines[2] != _LONG_SHEBANG_END:
            return "a shell script that is not distlib's long-shebang launcher"
        body = lines[3:]
    body = {line.strip() for line in body} - {""}
    if not body <= _SCRIPT_LINES or "from pip._internal.cli.main import main" not in body:
        return "it runs more than pip's main"
    return ""


def _foreign_coding(lines) -> bool:
    """Whether the first lines declare a source encoding (PEP 263) other than UTF-8: Python
    would read the file otherwise than Warden did (``utf-7`` hides lines in a comment)."""
    import re  # only a console script named pip pays it

    for line in lines:
        found = re.match(r"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", line)
        if found and found.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
            return True
    return False
