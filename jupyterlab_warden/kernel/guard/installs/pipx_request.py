"""What a pipx command installs, read as pipx reads it (red team red5 F4 F5 F6 F8).

The command line is read by ``pipx_cli`` (pipx's own option table). Deny by default: the
commands known to install nothing pass; ``install``, ``run``, ``inject``, ``upgrade`` and
``runpip`` are read (packages, ``--spec``, ``--preinstall``, ``--with``, ``inject -r FILE``, a
PEP 723 script's dependencies, ``--index-url``, ``--pip-args``, runpip's pip arguments, and for
``upgrade`` the pip arguments pipx recorded in the venv's ``pipx_metadata.json``); every other
command, and any option whose meaning Warden does not know, is refused as unreadable.

pipx installs with pip or, on its uv backend, with uv (``--backend uv``,
``PIPX_DEFAULT_BACKEND``, the venv's recorded backend, or by itself when uv is installed), and
each reads its own environment and config. Unless ``--backend pip`` creates the venv
(``install``, ``run``), the install is decided under uv's configuration as well as pip's.
"""

import json
import os
from typing import Dict, List, Optional

from . import pipx_cli, requirements, unset
from .request import InstallRequest, Source, redact_url

INSTEAD = "install with %pip or uv (commands Warden reads), or ask your admin"
# Commands known to install nothing ("" is pipx with no command: help or an error).
READ_ONLY = frozenset(
    ("", "help", "list", "uninstall", "uninstall-all", "uninject", "pin", "unpin", "ensurepath",
     "environment", "completions", "expose", "unexpose", "health", "exec", "reset",
     "interpreter", "interpreter list", "interpreter prune", "cache", "cache dir",
     "cache purge", "manifest")
)  # fmt: skip
INSTALLING = frozenset(("install", "run", "inject", "upgrade", "runpip"))
# Commands that install again from pipx's own records or manifests, which Warden does not read.
FROM_RECORDS = frozenset(
    ("install-all", "reinstall", "reinstall-all", "upgrade-all", "repair", "manifest lock",
     "manifest sync")
)  # fmt: skip
# Options that change nothing about what is installed or from where (by their argparse dest).
HARMLESS = frozenset(
    ("help", "version", "quiet", "verbose", "skip_maintenance", "is_global", "include_deps",
     "include_resources_from", "force", "upgrade", "upgrade_strategy", "suffix", "app",
     "system_site_packages", "editable", "cooldown", "output", "include_apps", "with_suffix",
     "leave_deps", "injected_only", "skip", "include_injected", "install", "no_cache",
     "refresh", "no_path_check", "python_args", "path", "pypackages", "yes", "dry_run",
     "prune", "value", "outdated", "short", "pinned", "prepend", "all_shells")
)  # fmt: skip
# Options Warden reads below.
READ = frozenset(
    ("index_url", "pip_args", "spec", "preinstall", "with_", "requirements", "backend", "lock")
)
# Options that point pipx at another interpreter (one it may download): refused.
REDIRECT = {"python": "another interpreter", "fetch_python": "a Python it downloads"}
REDIRECT_ENV = ("PIPX_DEFAULT_PYTHON", "PIPX_FETCH_MISSING_PYTHON", "PIPX_FETCH_PYTHON",
                "PIPX_SHARED_LIBS")  # fmt: skip
BACKENDS = ("pip", "uv")


def request(args: List[str], cwd: str, env: Dict[str, str]):
    """The install ``pipx args`` asks for, or None when the command installs nothing."""
    line = pipx_cli.parse(args)
    if isinstance(line, str):
        return _refused("pipx", f"{line}; {INSTEAD}")
    key = line.command
    problems = _option_problems(line)
    if key in READ_ONLY:
        return _refused(f"pipx {key}".strip(), "; ".join(problems)) if problems else None
    if key in FROM_RECORDS:
        return _refused(
            f"pipx {key}",
            f"`pipx {key}` installs again from pipx's own records or manifests, which Warden "
            f"does not read; {INSTEAD}",
        )
    if key not in INSTALLING:
        return _refused(
            f"pipx {key}",
            f"`pipx {key}` is not a pipx command Warden knows to install nothing, and Warden "
            f"does not read what it may resolve, build or install; {INSTEAD}",
        )
    req = InstallRequest("pip", f"pipx {key}")
    if key == "runpip":
        pip_args = _runpip_args(line.remainder or [])
        if pip_args is None:
            return _refused("pipx runpip", f"pipx runpip's arguments cannot be split; {INSTEAD}")
        inner = _runpip(req, pip_args, line, cwd, env)
        if inner is None and not problems and not _env_problems(env):
            return None
        req = inner or req
    req.problems = problems + _env_problems(env) + req.problems
    req.also_uv = _backend(req, line, key, env)
    if key == "runpip":
        _venv_configs(req, line, key, cwd, env)
        return req
    if key == "run":
        plain = _run(req, line, cwd, env)
    else:
        names = line.positionals[1:] if key == "inject" else line.positionals
        start = len(req.requirements)
        for word in names:
            _package(req, word, key, cwd, env)
        if any(dest == "editable" for dest, _option, _value in line.options):
            for spec in req.requirements[start:]:
                requirements.editable(spec)  # `pipx install -e proj`: pip's `-e proj`
    for dest, option, value in line.options:
        if dest == "index_url":
            req.sources.append(Source(value, "index", "command line"))
        elif dest == "pip_args":
            _pip_args(req, value, cwd, env)
        elif dest in ("preinstall", "with_"):
            _spec(req, value, key)
            _paths_from_venv(req, ["install", value], option)  # pipx leaves these relative
        elif dest == "requirements":
            _inject_file(req, value, cwd)
        elif dest == "lock":
            req.problems.append(
                f"pipx {option} installs from {os.path.basename(value)}, a lock file Warden "
                f"does not read; {INSTEAD}"
            )
    if key == "install" and not req.also_uv:
        req.also_uv = _install_may_use_uv(req, line, cwd, env)
    _records(req, line, key, cwd, env)
    _venv_configs(req, line, key, cwd, env)
    if key == "run" and plain and not (req.requirements or req.problems or req.sources):
        return None  # a plain script, run without installing anything
    if not req.requirements and not req.problems:
        req.problems.append(f"no package found in `pipx {key}`")
    return req


def _refused(command: str, problem: str) -> InstallRequest:
    req = InstallRequest("pip", command)
    req.problems.append(problem)
    return req


def _option_problems(line) -> List[str]:
    problems, seen = [], set()
    for dest, option, _value in line.options:
        if option in seen:
            continue
        seen.add(option)
        if dest in REDIRECT:
            problems.append(
                f"pipx {option} points pipx at {REDIRECT[dest]}, which Warden does not follow; "
                f"drop it, or {INSTEAD}"
            )
        elif dest not in HARMLESS and dest not in READ:
            problems.append(f"pipx option {option} is not one Warden reads; {INSTEAD}")
    return problems


def _env_problems(env: Dict[str, str]) -> List[str]:
    return [
        f"environment variable {var} points pipx at another interpreter or shared libraries, "
        "which Warden does not read; unset it"
        for var in REDIRECT_ENV
        if env.get(var, "").strip()
    ]


def _backend(req: InstallRequest, line, key: str, env: Dict[str, str]) -> bool:
    """Whether pipx may install with uv (then uv's configuration is read as well)."""
    given = line.values("backend")
    named = [(value, "--backend") for value in given]
    default = env.get("PIPX_DEFAULT_BACKEND", "").strip()
    if default:
        named.append((default, "PIPX_DEFAULT_BACKEND"))
    for value, origin in named:
        if value not in BACKENDS:
            req.problems.append(
                f"pipx {origin} {value!r} is not a backend Warden knows (pip, uv); {INSTEAD}"
            )
    # --backend pip decides a venv pipx creates; an existing venv keeps its recorded backend
    # (for install: _install_may_use_uv)
    return not (given and given[-1] == "pip" and key in ("install", "run"))


def _install_may_use_uv(req: InstallRequest, line, cwd: str, env: Dict[str, str]) -> bool:
    """``pipx install --backend pip``: pipx ignores the option for a venv that exists and
    installs with its recorded backend (red6 F10). uv may install when a venv of the name
    exists whose record names uv or cannot be read, or when the name is unknown (a path,
    URL or VCS spec: pipx names it only by building it)."""
    from .names import normalize

    if any(not r.name for r in req.requirements):
        return True
    names = _install_venv_names(req, line)
    homes = _homes(req, line, cwd, env)
    existing = [
        name
        for name in names
        if any(
            os.path.lexists(os.path.join(home, "venvs", folder))
            for home in homes
            for folder in (name, normalize(name))
        )
    ]
    return "uv" in _venv_backends(req, line, existing, cwd, env)


def _run(req: InstallRequest, line, cwd: str, env: Dict[str, str]) -> bool:
    """``pipx run [--spec S] [--with P] APP ARGS...``: the app (or the spec) and, for a
    script, its PEP 723 dependencies. True when the app is a plain script."""
    specs = line.values("spec")
    app = (line.remainder or [None])[0]
    for spec in specs:
        _spec(req, spec, "run")
    if app is not None and (not specs or _is_script(app, cwd)):
        return _package(req, app, "run", cwd, env)
    return False


def _is_script(word: str, cwd: str) -> bool:
    full = os.path.join(cwd, word)  # pipx run: Path(app), no ~ expansion
    return _special(full) or os.path.isfile(full) or _remote_script(word, "run")


def _remote_script(word: str, key: str) -> bool:
    """A word pipx fetches as a script: for ``run`` any URL scheme but a VCS one
    (``maybe_script_content``: urllib opens ``file:``, ``data:``, ``ftp:`` too, ``://`` or
    not); for ``install`` an http(s) URL of a ``.py`` (``script.is_script_spec``)."""
    from urllib.parse import urlsplit

    try:
        scheme = urlsplit(word).scheme
    except ValueError:
        return key == "run"  # pipx's urlparse raises too: nothing installs, refused anyway
    if key == "run":
        vcs, plus, _ = scheme.partition("+")
        return bool(scheme) and not (plus and vcs in ("git", "hg", "svn", "bzr"))
    return scheme in ("http", "https") and _url_path(word).lower().endswith(".py")


def expand_user(path: str, env: Dict[str, str]) -> Optional[str]:
    """``Path.expanduser`` as a process with ``env`` does it: ``~`` from its HOME (else the
    password database), ``~name`` from the password database; None when pipx could not
    expand it (it stops with an error)."""
    if not path.startswith("~"):
        return path
    head, slash, tail = path.partition("/")
    try:
        import pwd

        if head == "~":
            home = env["HOME"] if unset.held(env, "HOME") else pwd.getpwuid(os.getuid()).pw_dir
        else:
            home = pwd.getpwnam(head[1:]).pw_dir
    except (ImportError, KeyError):
        return None
    return (home.rstrip("/") + slash + tail) or "/"


def _url_path(word: str) -> str:
    from urllib.parse import urlsplit

    try:
        return urlsplit(word).path
    except ValueError:
        return word


def _package(req: InstallRequest, word: str, key: str, cwd: str, env: Dict[str, str]) -> bool:
    """A package spec, or a script (a local file or a URL) pipx runs or installs with its
    PEP 723 dependencies. True for a plain script ``pipx run`` runs as it is. The file is
    looked up as pipx does: ``run`` takes the word as a path from the working directory,
    ``install`` expands ``~`` first, with the command's HOME."""
    from . import toml_files

    local = word if key == "run" else expand_user(word, env)
    full = os.path.join(cwd, local) if local is not None else ""
    if full and _special(full):
        req.problems.append(
            f"pipx {key} {word}: not a regular file (a pipe or device), which pipx reads as a "
            f"script Warden cannot read before it runs; {INSTEAD}"
        )
        return False
    if full and os.path.isfile(full):
        if toml_files.add_script(req, full, cwd):
            return False
        if key == "run":
            return True  # a plain script: pipx runs it without installing anything
    if _remote_script(word, key):
        req.problems.append(
            f"pipx {key} {redact_url(word)}: pipx fetches this script by its URL and installs "
            f"its PEP 723 dependencies, which Warden cannot read before it runs; {INSTEAD}"
        )
        return False
    _spec(req, word, key)
    return False


def _spec(req: InstallRequest, word: str, key: str, origin: str = "command line") -> None:
    """A package spec pipx hands to pip; one that starts with ``-`` pip would take for an
    option (``pipx install -- -r/tmp/x``), which Warden does not read as one: refused."""
    if word.lstrip().startswith("-"):
        req.problems.append(
            f"pipx {key}: the package {redact_url(word)!r} ({origin}) starts with '-', which pip "
            f"would read as an option; {INSTEAD}"
        )
        return
    req.requirements.append(requirements.parse_requirement(word, origin))


def _inject_file(req: InstallRequest, path: str, cwd: str) -> None:
    """``pipx inject -r FILE``: pipx reads the file itself (inject.py ``parse_requirements``),
    each line without its comment one package spec handed to pip as it is (no continuation
    lines, no options: a line starting with ``-`` would be a pip option, refused)."""
    import re

    label = os.path.basename(path)
    if "://" in path:
        req.problems.append(f"pipx inject -r {redact_url(path)}: not a local file; {INSTEAD}")
        return
    try:
        text = requirements.read_regular_file(os.path.join(cwd, path))  # pipx: no ~
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        req.problems.append(f"cannot read requirements file {label}: {exc.__class__.__name__}")
        return
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), 1):
        spec = re.sub(r"(^|\s+)#.*$", "", line).strip()
        if spec:
            _spec(req, spec, "inject", f"{label} line {number}")


def _special(path: str) -> bool:
    """A pipe, device or /proc entry (``/dev/stdin``, a named pipe): pipx reads it as a script;
    Warden must not (it could block)."""
    import stat

    real = os.path.realpath(path)
    if real.startswith(("/dev/", "/proc/")) or path.startswith(("/dev/", "/proc/")):
        return True
    try:
        mode = os.stat(real).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


# pip commands runpip may run that install nothing (deny by default: any other is refused),
# with the sub-commands that only look where a command has some that write.
RUNPIP_HARMLESS = {
    None: None, "list": None, "show": None, "freeze": None, "check": None, "help": None,
    "inspect": None, "uninstall": None, "config": {"list", "get", "debug"},
    "cache": {"list", "dir", "info"},
}  # fmt: skip


def _runpip(req: InstallRequest, args: List[str], line, cwd: str, env: Dict[str, str]):
    """``pipx runpip VENV ARGS``: the pip words read as pip reads them and, when the venv may
    be on uv's backend, as ``uv pip ARGS`` (pipx's ``UvBackend.run_raw_pip``); the stricter
    reading wins. Deny by default: a pip command other than ``install``/``download``/``wheel``
    and those known to install nothing is refused (red6 F8)."""
    from .arguments import pip_command, pip_request, uv_request

    inner = pip_request(args, cwd, env, prefix="pipx runpip")
    if inner is not None:
        _paths_from_venv(inner, args, "runpip")
    command, sub = pip_command(args)
    if inner is None:
        if command not in RUNPIP_HARMLESS or sub not in (RUNPIP_HARMLESS[command] or {sub}):
            inner = _refused(
                f"pipx runpip {command}",
                f"`pipx runpip VENV {' '.join(w for w in (command, sub) if w)}` is not a pip "
                f"command Warden knows to install nothing, and on pipx's uv backend it runs "
                f"`uv pip`; {INSTEAD}",
            )
    if command is None:  # no pip command (`--version`): uv runs none either
        return inner
    if "uv" in _venv_backends(req, line, line.positionals[:1], cwd, env):
        uv = uv_request(["pip", *args], cwd, env)
        if uv is not None:
            inner = inner or InstallRequest("pip", f"pipx runpip {uv.command[len('uv pip ') :]}")
            # pip's and uv's readings kept whole where they differ (R45a-1: never by text or
            # URL alone, a path's or a local index's folder is part of what is decided)
            kept = {r.identity() for r in inner.requirements}
            inner.requirements += [r for r in uv.requirements if r.identity() not in kept]
            urls = {(s.url, s.role, s.base) for s in inner.sources}
            inner.sources += [s for s in uv.sources if (s.url, s.role, s.base) not in urls]
            inner.problems += [p for p in uv.problems if p not in inner.problems]
            inner.tls += [t for t in uv.tls if t not in inner.tls]
            inner.order += [o for o in uv.order if o not in inner.order]
            inner.pre += [o for o in uv.pre if o not in inner.pre]
            inner.no_index = inner.no_index and uv.no_index
    return inner


def _venv_backends(req: InstallRequest, line, names, cwd: str, env: Dict[str, str]) -> set:
    """The backends the existing venvs ``names`` may install with: the ``backend`` their
    records name; both when a venv has no record Warden can read (pipx then picks one)."""
    from .names import normalize

    backends = set()
    for name in names:
        found = False
        for home in _homes(req, line, cwd, env):
            for folder in dict.fromkeys((name, normalize(name))):
                path = os.path.join(home, "venvs", folder, "pipx_metadata.json")
                if not os.path.isfile(path):
                    continue
                found = True
                try:
                    backend = json.loads(requirements.read_regular_file(path)).get("backend")
                except (OSError, UnicodeDecodeError, ValueError, AttributeError):
                    backend = None
                backends |= {backend} if backend in BACKENDS else set(BACKENDS)
        if not found:
            backends |= set(BACKENDS)
    return backends


def _runpip_args(args: List[str]) -> Optional[List[str]]:
    """runpip's pip arguments as pipx takes them: one argument with a space in it is split
    (``pipx runpip VENV "install -i URL X"``); None when it cannot be."""
    import shlex

    if len(args) != 1 or not any(c.isspace() for c in args[0]):
        return args
    try:
        return shlex.split(args[0]) or args
    except ValueError:
        return None


def _pip_args(req: InstallRequest, text: str, cwd: str, env: Dict[str, str]) -> None:
    """``--pip-args`` split as pipx splits it: a pair of single quotes around the whole value is
    dropped first, then shell words (no comments)."""
    import shlex

    if len(text) > 1 and text[0] == "'" and text.find("'", 1) == len(text) - 1:
        text = text[1:-1]
    try:
        words = shlex.split(text)
    except ValueError:
        req.problems.append("pipx --pip-args cannot be parsed")
        return
    _merge(req, ["install"] + words, cwd, env, "pipx --pip-args")
    _paths_from_venv(req, ["install"] + words, "--pip-args")


def _paths_from_venv(req: InstallRequest, pip_args: List[str], label: str) -> None:
    """pipx runs pip (or uv) in the venv folder, so a relative path in its pip arguments is
    found there, not where Warden reads it from (pipx makes only its own spec and the exact
    ``-c``/``-f`` spellings of the main install absolute): refused."""
    from .arguments import pip_paths_from_cwd

    for path in pip_paths_from_cwd(pip_args):
        req.problems.append(
            f"pipx {label}: {path!r} is a relative path, which pipx's pip resolves from the "
            f"venv folder it runs in, not from the working directory; give an absolute path"
        )


def _merge(req: InstallRequest, args: List[str], cwd: str, env, label: str) -> None:
    from .arguments import pip_request

    inner = pip_request(args, cwd, env, prefix=label)
    if inner is not None:
        req.requirements += inner.requirements
        req.sources += inner.sources
        req.problems += inner.problems
        req.tls += inner.tls
        req.order += inner.order
        req.pre += inner.pre
        req.no_index = req.no_index or inner.no_index


def pipx_homes(env: Dict[str, str], is_global: bool, cwd: str) -> List[str]:
    """The folders pipx keeps its venvs under (pipx's paths.py): ``PIPX_HOME``, else the user
    data folder and the older ``~/.local/pipx``; with ``--global`` ``PIPX_GLOBAL_HOME`` or
    ``/opt/pipx``. A PIPX_HOME is expanded as pipx's ``Path(value).expanduser().absolute()``
    (``~name`` too); ValueError when pipx could not expand it."""
    home = expand_user("~", env) or "/"

    def here(folder: str) -> str:  # pipx's own working directory is the command's
        expanded = expand_user(folder, env)
        if expanded is None:
            raise ValueError(f"pipx cannot expand {folder!r}")
        return os.path.join(cwd, expanded)

    if is_global:
        return [here(env.get("PIPX_GLOBAL_HOME") or "/opt/pipx")]
    if env.get("PIPX_HOME"):
        return [here(env["PIPX_HOME"])]
    data = env.get("XDG_DATA_HOME", "")  # platformdirs: a blank value is no value, no ~
    data = os.path.join(cwd, data) if data.strip() else os.path.join(home, ".local", "share")
    return [os.path.join(data, "pipx"), os.path.join(home, ".local", "pipx")]


def _homes(req: InstallRequest, line, cwd: str, env: Dict[str, str]) -> List[str]:
    try:
        return pipx_homes(env, bool(line.values("is_global")), cwd)
    except ValueError as exc:
        if not any(str(exc) in p for p in req.problems):
            req.problems.append(f"{exc}, its home folder; {INSTEAD}")
        return []


def _install_venv_names(req: InstallRequest, line) -> List[str]:
    """The venvs ``pipx install`` installs into: each named package, with each ``--suffix``."""
    suffixes = [""] + line.values("suffix")
    return [r.name + s for r in req.requirements if r.name for s in suffixes]


def _venv_configs(req: InstallRequest, line, key: str, cwd: str, env: Dict[str, str]) -> None:
    """pip reads the ``pip.conf`` of the venv it runs in (pip's site config): pipx's shared
    libraries venv, the venv of ``inject``/``upgrade``/``runpip``/``install`` and every run cache
    venv of ``run`` (kernel side
    only: the static scan reads no machine config); uv reads its config from the folder it
    runs in up (``uv_config_dirs``, read when pipx may use uv)."""
    from .names import normalize

    homes = _homes(req, line, cwd, env)
    venvs = line.positionals[:1] if key in ("inject", "runpip") else []
    venvs += line.positionals if key == "upgrade" else []
    if key == "install":  # into an existing venv (--force, --suffix): pip runs in it
        venvs += _install_venv_names(req, line)
    for home in homes:
        req.pip_config_extra.append(os.path.join(home, "shared", "pip.conf"))
        # pipx's uv runs in the venv root (run: a venv under .cache) and reads the uv.toml
        # and pyproject.toml found from there up (red6 F2); its names there are unknown to
        # Warden for a spec it cannot name, so the folders holding them are walked up too
        req.uv_config_dirs += [os.path.join(home, "venvs"), os.path.join(home, ".cache")]
        for venv in dict.fromkeys(venvs + [normalize(v) for v in venvs]):
            req.pip_config_extra.append(os.path.join(home, "venvs", venv, "pip.conf"))
            req.uv_config_dirs.append(os.path.join(home, "venvs", venv))
        if key == "run":
            _run_cache_configs(req, os.path.join(home, ".cache"))


def _run_cache_configs(req: InstallRequest, cache: str) -> None:
    """``pipx run`` creates its venv in ``<home>/.cache/<digest>`` (a folder that may be there
    before, with a ``pip.conf`` in it) and runs pip or uv there (red7 R7-10). The digest hashes
    the interpreter path among others, so every cache folder is read: its ``pip.conf`` and,
    walked up, its uv config."""
    try:
        names = sorted(os.listdir(cache))
    except FileNotFoundError:
        return
    except OSError as exc:
        req.problems.append(
            f"cannot list pipx's run cache {cache} ({exc.__class__.__name__}), where pipx's pip "
            f"reads a pip.conf; {INSTEAD}"
        )
        return
    for name in names:
        folder = os.path.join(cache, name)
        if os.path.isdir(folder):
            req.pip_config_extra.append(os.path.join(folder, "pip.conf"))
            req.uv_config_dirs.append(folder)


def _records(req: InstallRequest, line, key: str, cwd: str, env: Dict[str, str]) -> None:
    """The venv records pipx reuses: ``pipx upgrade NAME`` reinstalls each package recorded in
    the venv's ``pipx_metadata.json`` (main and injected) with the pip arguments recorded
    there (a missing record is refused); ``pipx inject VENV`` and ``pipx install NAME`` on an
    existing venv reuse the recorded pip arguments when none are given (read when present)."""
    from .names import normalize

    homes = _homes(req, line, cwd, env)
    if key == "upgrade":
        names = line.positionals
    elif key == "inject":
        names = line.positionals[:1]
    elif key == "install":
        names = _install_venv_names(req, line)
        _unnamed_reinstall(req, line, homes)
    else:
        return
    for name in names:
        paths = []
        for home in homes:
            for folder in dict.fromkeys((name, normalize(name))):
                paths.append(os.path.join(home, "venvs", folder, "pipx_metadata.json"))
        found = [p for p in paths if os.path.isfile(p)]
        if not found and key == "upgrade":
            req.problems.append(
                f"pipx upgrade {name}: its record {paths[0]} was not found, and pipx reuses the "
                f"pip arguments recorded there; {INSTEAD}"
            )
        for path in found:
            _record(req, path, cwd, env)


def _unnamed_reinstall(req: InstallRequest, line, homes: List[str]) -> None:
    """``pipx install --force|--upgrade SPEC`` with a spec Warden cannot name (a path, URL or
    VCS spec): pipx names it by building it and, when a venv of that name exists, reinstalls
    with the pip arguments recorded there, a record Warden cannot find (red6 F11). Refused
    while any venv exists in a pipx home."""
    unnamed = [r.text for r in req.requirements if not r.name]
    forced = [o for d, o, _v in line.options if d in ("force", "upgrade")]
    if not (unnamed and forced):
        return
    for home in homes:
        try:
            venvs = [e for e in os.scandir(os.path.join(home, "venvs")) if e.is_dir()]
        except FileNotFoundError:
            continue
        except OSError:
            venvs = [None]  # venvs Warden cannot list may hold one: refused as below
        if venvs:
            req.problems.append(
                f"pipx install {forced[0]} {redact_url(unnamed[0])}: pipx names this spec only "
                f"by building it and may reuse the recorded arguments of an existing venv "
                f"(in {home}), which Warden cannot find; install it by its name, or {INSTEAD}"
            )
            return


def _record(req: InstallRequest, path: str, cwd: str, env: Dict[str, str]) -> None:
    try:
        doc = json.loads(requirements.read_regular_file(path))
        packages = [doc["main_package"]] + list((doc.get("injected_packages") or {}).values())
        for info in packages:
            spec, pip_args = info.get("package_or_url"), info.get("pip_args") or []
            if not isinstance(spec, str) or not isinstance(pip_args, list):
                raise TypeError("package_or_url or pip_args")
            if not all(isinstance(a, str) for a in pip_args):
                raise TypeError("package_or_url or pip_args")
            if info.get("lock_file"):
                req.problems.append(f"{path} records a lock file, which Warden does not read")
            _merge(req, ["install", *pip_args, spec], cwd, env, f"pipx record {path}")
            _paths_from_venv(req, ["install", *pip_args], f"record {path}")
        if doc.get("backend", "pip") not in BACKENDS:
            req.problems.append(f"{path} records a backend Warden does not know")
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        req.problems.append(
            f"pipx record {path} cannot be read ({exc.__class__.__name__}), and pipx reuses the "
            f"pip arguments recorded there; {INSTEAD}"
        )
