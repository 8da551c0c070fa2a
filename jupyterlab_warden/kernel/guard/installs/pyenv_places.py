"""Where the pyenv of a root finds what it runs before a shim's program (``pyenv_hooks`` says
how pyenv does it), and the places a guard refuses writes under (red team 33 R33-7, red
team 34). Read by every guarded Python's write check (``start_writes``) at its first write,
which may come while the guard boots (its bytecode): only ``os`` at import, none of glob's,
re's or typing's standard-library files (``start_names.GUARD_BOOT``); the boot's ``os``
(``frozen_os``: a guarded Python's ``os.listdir = ...`` before its first write is not read, red
team 37a R37a-3), imported with the rule (no import while it reads: R37a-1).
"""

from .frozen_os import FROZEN_OS as os

try:
    import pwd  # built in: no standard-library file
except ImportError:  # a build without it: no home of its own
    pwd = None

from .start_names import PYENV_VARIABLES

# the hook folders pyenv adds after its root's and its prefix's own
_SYSTEM_HOOKS = (
    "/usr/etc/pyenv.d", "/usr/local/etc/pyenv.d", "/etc/pyenv.d", "/usr/lib/pyenv/hooks"
)  # fmt: skip


def places(root: str, hook_path: str) -> list:
    """The folders whose files the pyenv of the shim rooted at ``root`` may source or run
    before the program (``hook_path``: its PYENV_HOOK_PATH), each with everything under it
    (missing ones too: a writer may make them), and its plugins folder (a new plugin adds both
    kinds)."""
    program = os.path.realpath(os.path.join(root, "libexec", "pyenv"))
    prefix = os.path.dirname(os.path.dirname(program))
    found = [f for f in hook_path.split(":") if f] + [os.path.join(root, "pyenv.d")]
    found += [os.path.join(prefix, "pyenv.d"), *_SYSTEM_HOOKS, os.path.join(prefix, "libexec")]
    for top in dict.fromkeys((root, prefix)):
        plugins = os.path.join(top, "plugins")
        found.append(plugins)
        try:
            names = sorted(n for n in os.listdir(plugins) if not n.startswith("."))
        except OSError:
            names = []  # no plugins folder (yet: it is a place itself)
        for plugin in names:
            plugin = os.path.join(plugins, plugin)
            found += [os.path.join(plugin, "bin"), os.path.join(plugin, "etc", "pyenv.d")]
    return list(dict.fromkeys(os.path.abspath(f) for f in found))


# the hook places and roots a guard refuses writes under, per environment it was read from
_GUARDED: dict = {}


def guarded_places(env) -> list:
    """``places`` of the pyenv roots whose hooks the guard of a Python started with ``env`` (a
    mapping of ``start_names.PYENV_VARIABLES``) refuses to write (red team 33 R33-7: a guarded
    Python writes a hook, named nowhere on the line, and a shim after it on the line sources
    it): those of ``guarded_roots``; text and real paths. ``start_writes`` reads them from the
    environment its Python STARTED with (red team 34 R34-a: a cell's later change of HOME or
    PATH moved them); the line's reading refuses a shim whose places a guarded writer before
    it does not cover (``commands._refuse_pyenv_hooks``, R34-b)."""
    return _guarded(env)[0]


def guarded_roots(env) -> list:
    """The pyenv roots a guard of a Python started with ``env`` covers: PYENV_ROOT,
    ``~/.pyenv`` by HOME and by the user's own home, the root of a pyenv ``shims`` folder on
    PATH; each as given and as its real path. Their version places (``version_write``) are
    the guard's too (red team 34 R34-2)."""
    return _guarded(env)[1]


def _guarded(env) -> tuple:
    key = tuple(env.get(name, "") for name in PYENV_VARIABLES)
    found = _GUARDED.get(key)
    if found is not None:
        return found
    home = _own_home()
    roots = [env.get("PYENV_ROOT", ""), os.path.join(env.get("HOME") or home, ".pyenv")]
    roots.append(os.path.join(home, ".pyenv") if home else "")
    # a shims folder on PATH names its root (the shims export it themselves)
    for folder in env.get("PATH", "").split(os.pathsep):
        root = os.path.dirname(folder.rstrip("/"))
        if os.path.basename(folder.rstrip("/")) == "shims" and os.path.isfile(
            os.path.join(root, "libexec", "pyenv")
        ):
            roots.append(root)
    hooks = []
    kept = []
    for root in dict.fromkeys(r for r in roots if r and os.path.isdir(r)):
        kept += [os.path.abspath(root), os.path.realpath(root)]
        # only the PYENV_HOOK_PATH of ``env`` (none: none), never this process's own
        for place in places(root, env.get("PYENV_HOOK_PATH", "")):
            hooks += [place, os.path.realpath(place)]
    found = (list(dict.fromkeys(hooks)), list(dict.fromkeys(kept)))
    if len(_GUARDED) >= 64:
        _GUARDED.clear()
    _GUARDED[key] = found
    return found


def _own_home() -> str:
    if pwd is None:
        return ""
    try:
        return pwd.getpwuid(os.getuid()).pw_dir
    except KeyError:
        return ""


def covers(place: str, guarded: list) -> bool:
    """Whether ``place`` (a path) is one of ``guarded`` or under one."""
    return bool(hook_write(place, guarded))


def hook_write(path: str, guarded: list) -> str:
    """The place of ``guarded`` a write at ``path`` lands in or under ('' none)."""
    at = os.path.abspath(path)
    for place in guarded:
        if at == place or at.startswith(place.rstrip("/") + "/"):
            return place
    return ""


# the entries of a version's folder whose files pyenv execs (``pyenv which``: VERSION/bin/PROG;
# pyenv-virtualenv's envs live at VERSION/envs/NAME, picked as ``VERSION/envs/NAME``)
_VERSION_SHAPES = (("bin",), ("envs", "*"), ("envs", "*", "bin"))


def version_write(path: str, roots: list) -> str:
    """The version place of ``roots`` a write at ``path`` creates or replaces ('' none; red team
    34 R34-2: a guarded w.py made ``versions/3.11.99/bin/python3``, a shell script, and the
    ``.python-version`` that picks it, and the shim after it on the line ran it): a root's
    ``version`` file (the global pick), its ``versions`` folder or an entry of it (a version,
    a link to one), a version's ``bin`` and the programs in it (what ``pyenv which`` finds),
    the same of a pyenv-virtualenv env. Not what lies deeper (a version's site-packages,
    its bytecode): pip installs there, and the line reads a version's start files."""
    at = os.path.abspath(path)
    for root in roots:
        if not at.startswith(root.rstrip("/") + "/"):
            continue
        parts = at[len(root.rstrip("/")) + 1 :].split("/")
        if parts == ["version"] or parts == ["versions"]:
            return at
        if parts[0] != "versions" or len(parts) < 2:
            continue
        below = parts[2:]
        if not below or any(_shaped(below, shape) for shape in _VERSION_SHAPES):
            return at
    return ""


def _shaped(parts: list, shape: tuple) -> bool:
    """Whether ``parts`` is ``shape`` or one entry under it ('*' any name)."""
    if len(parts) not in (len(shape), len(shape) + 1):
        return False
    return all(want in ("*", got) for want, got in zip(shape, parts))
