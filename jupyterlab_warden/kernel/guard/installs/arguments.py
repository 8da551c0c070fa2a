"""The arguments of pip, uv, conda and mamba, read into an ``InstallRequest``.

pip reads its options with optparse, which accepts any unambiguous prefix of a long option
(``--extra-index`` is ``--extra-index-url``). Warden resolves prefixes the same way against
the table below; an option it does not know is a problem (the install is refused and says
so) rather than a guess, so no spelling of an index option gets past it.
"""

import os
import re
from typing import Dict, List, Optional

from . import requirements
from .request import InstallRequest, Source

# pip long options (install, download, wheel, lock and the general ones): takes a value?
PIP_LONG = {
    "--requirement": True, "--constraint": True, "--editable": True, "--index-url": True,
    "--extra-index-url": True, "--no-index": False, "--find-links": True,
    "--trusted-host": True, "--pre": False, "--prefer-binary": False,
    "--require-hashes": False, "--only-binary": True, "--no-binary": True, "--no-deps": False,
    "--upgrade": False, "--upgrade-strategy": True, "--force-reinstall": False,
    "--ignore-installed": False, "--ignore-requires-python": False, "--no-build-isolation": False,
    "--use-pep517": False, "--no-use-pep517": False, "--check-build-dependencies": False,
    "--break-system-packages": False, "--config-settings": True, "--global-option": True,
    "--build-option": True, "--install-option": True, "--compile": False, "--no-compile": False,
    "--no-warn-script-location": False, "--no-warn-conflicts": False, "--user": False,
    "--target": True, "--prefix": True, "--root": True, "--src": True, "--platform": True,
    "--python-version": True, "--implementation": True, "--abi": True, "--dest": True,
    "--wheel-dir": True, "--output": True, "--root-user-action": True, "--report": True,
    "--dry-run": False, "--progress-bar": True, "--no-clean": False, "--group": True,
    "--only-deps": False, "--all-releases": True, "--only-final": True, "--exists-action": True,
    "--isolated": False, "--require-virtualenv": False, "--python": True, "--verbose": False,
    "--version": False, "--quiet": False, "--log": True, "--log-file": True,
    "--no-input": False, "--keyring-provider": True, "--proxy": True, "--retries": True,
    "--timeout": True, "--cert": True, "--client-cert": True, "--cache-dir": True,
    "--no-cache-dir": False, "--disable-pip-version-check": False, "--no-color": False,
    "--no-python-version-warning": False, "--use-feature": True, "--use-deprecated": True,
    "--debug": False, "--help": False, "--resume-retries": True, "--uploaded-prior-to": True,
}  # fmt: skip
PIP_SHORT = {
    "r": True, "c": True, "e": True, "i": True, "f": True, "U": False, "t": True, "d": True,
    "w": True, "v": False, "V": False, "q": False, "h": False, "C": True, "o": True,
}  # fmt: skip
_SHORT_TO_LONG = {
    "r": "--requirement", "c": "--constraint", "e": "--editable", "i": "--index-url",
    "f": "--find-links",
}  # fmt: skip
PIP_INSTALLING = ("install", "download", "wheel", "lock")

# uv and conda: options that take a value (others are flags); index options by name.
# A flag listed here would swallow the package after it (`uv add --dev pkg` read as no
# package at all), so only options that take a value in every uv command belong here;
# an unlisted valued option only makes its value read as one more requirement (stricter).
UV_VALUED = {
    "-r", "--requirement", "-c", "--constraint", "--override", "-e", "--editable", "-i",
    "--index-url", "--extra-index-url", "--index", "--default-index", "-f", "--find-links",
    "-p", "--python", "--target", "--prefix", "--index-strategy", "--resolution",
    "--prerelease", "--keyring-provider", "--cache-dir", "--directory", "--project",
    "--config-file", "--with", "--with-requirements", "--from", "--group", "--extra",
    "--optional", "--package", "--exclude-newer", "--link-mode", "-C", "--config-setting",
    "--python-platform", "--python-version", "--color", "--allow-insecure-host",
    "--script", "--branch", "--tag", "--rev", "--marker", "-m", "-b", "--build-constraints",
    "--build-constraint",
}  # fmt: skip
# per command where uv differs: `uv run --script` / `-s` is a flag (the script is the first
# positional word), while `uv add|remove|lock|tree|export|sync --script PATH` take a value
UV_RUN_VALUED = UV_VALUED - {"--script"}
CONDA_VALUED = {
    "-n", "--name", "-p", "--prefix", "-c", "--channel", "--file", "-f", "--repodata-fn",
    "--solver", "--experimental", "--subdir", "--platform",
}  # fmt: skip
CONDA_INSTALLING = ("install", "create", "update", "upgrade")


def resolve_pip_long(option: str) -> Optional[str]:
    """``option`` (without ``=value``) as pip's optparse would resolve it, or None."""
    if option in PIP_LONG:
        return option
    matches = [name for name in PIP_LONG if name.startswith(option)]
    return matches[0] if len(matches) == 1 else None


def pip_request(args: List[str], cwd: str, env: Dict[str, str], tool="pip", prefix="pip"):
    """The install ``pip <args>`` would run, or None when the command installs nothing."""
    words = _pip_words(args)
    if isinstance(words, str):
        request = InstallRequest(tool, f"{prefix}")
        request.problems.append(words)
        return request
    command = next((w[1] for w in words if w[0] == "arg"), None)
    if command not in PIP_INSTALLING:
        return None
    request = InstallRequest(tool, f"{prefix} {command}")
    seen_command = False
    for kind, option, value in words:
        if kind == "arg":
            if not seen_command:
                seen_command = True
                continue
            request.requirements.append(requirements.parse_requirement(option, "command line"))
            continue
        _apply_index_option(request, option, value, cwd, env)
    return request


def pip_command(args: List[str]):
    """pip's command and its first argument (``("config", "set")``); None for what is missing
    (``pip --version``), or a command that says pip's words cannot be read."""
    words = _pip_words(args)
    if isinstance(words, str):
        return "<unreadable>", None
    found = [w[1] for w in words if w[0] == "arg"] + [None, None]
    return found[0], found[1]


def _pip_words(args: List[str]):
    """[(kind, option-or-arg, value)], or a string saying what Warden cannot read."""
    out = []
    i = 0
    only_args = False
    while i < len(args):
        word = args[i]
        i += 1
        if only_args or not word.startswith("-") or word == "-":
            out.append(("arg", word, None))
            continue
        if word == "--":
            only_args = True
            continue
        if word.startswith("--"):
            name, eq, value = word.partition("=")
            long = resolve_pip_long(name)
            if long is None:
                return f"pip option {name} is unknown or ambiguous to Warden"
            if PIP_LONG[long] and not eq:
                if i >= len(args):
                    return f"pip option {long} needs a value"
                value = args[i]
                i += 1
            out.append(("opt", long, value if PIP_LONG[long] else None))
            continue
        # short options, possibly bundled (-qU) or with an attached value (-rreq.txt)
        j = 1
        while j < len(word):
            letter = word[j]
            if letter not in PIP_SHORT:
                return f"pip option -{letter} is unknown to Warden"
            if PIP_SHORT[letter]:
                value = word[j + 1 :]
                if not value:
                    if i >= len(args):
                        return f"pip option -{letter} needs a value"
                    value = args[i]
                    i += 1
                out.append(("opt", _SHORT_TO_LONG.get(letter, "-" + letter), value))
                break
            out.append(("opt", "-" + letter, None))
            j += 1
    return out


def _apply_index_option(request, option, value, cwd, env) -> None:
    if request.tool == "uv" and option in _UV_FILE_OPTIONS:
        uv_read_file(request, value, cwd, env, constraint=option not in _UV_INSTALL_FILES)
    elif option in ("--requirement", "-r", "--with-requirements"):
        requirements.read_file(request, value, cwd, env)
    elif option in ("--constraint", "-c", "--override"):
        requirements.read_file(request, value, cwd, env, constraint=True)
    elif option in ("--editable", "-e", "--with", "--from"):
        for part in value.split(",") if option == "--with" else [value]:
            request.requirements.append(requirements.parse_requirement(part, "command line"))
    elif option in ("--index-url", "-i", "--default-index"):
        request.sources.append(Source(value, "index", "command line"))
    elif option in ("--extra-index-url", "--index"):
        # uv's --index takes [name=]url
        url = value.split("=", 1)[1] if option == "--index" and "=" in value else value
        request.sources.append(Source(url, "extra-index", "command line"))
    elif option in ("--find-links", "-f"):
        request.sources.append(Source(value, "find-links", "command line"))
    elif option == "--no-index":
        request.no_index = True
    elif option == "--group" and request.tool == "pip":
        _pip_group(request, value, cwd)


def _pip_group(request, value: str, cwd: str) -> None:
    """pip's ``--group [PATH:]NAME`` (pip 25.1+): a PEP 735 group of ./pyproject.toml."""
    from . import toml_files

    path, _, name = value.rpartition(":")
    doc = toml_files.load(request, os.path.join(cwd, path or "pyproject.toml"))
    if doc is not None:
        toml_files.add_group(request, doc, name, os.path.basename(path or "pyproject.toml"))


def uv_read_file(request, path: str, cwd: str, env, constraint: bool = False) -> None:
    """A file given to uv's ``-r``/``-c``/``--override``/``--with-requirements``, read as uv
    reads it: uv picks the format by the file name, so a ``pyproject.toml`` is project
    metadata (its dependencies, not its lines), and ``setup.py``/``setup.cfg``/other TOML
    (pylock) or scripts cannot be read without running or parsing them as uv does: refused."""
    from . import toml_files

    base = os.path.basename(path)
    if base == "pyproject.toml":
        doc = toml_files.load(request, os.path.join(cwd, os.path.expanduser(path)))
        if doc is not None:
            toml_files.add_project(request, doc, base)
    elif base in ("setup.py", "setup.cfg") or base.endswith((".toml", ".py")):
        request.problems.append(
            f"uv reads {base} as project metadata, which Warden cannot read without running "
            "it: list the requirements in a requirements file or a pyproject.toml"
        )
    else:
        requirements.read_file(request, path, cwd, env, constraint=constraint)


# uv's global options and environment variables that move where uv reads its project and
# config from. Warden reads them from the caller's folder only, so they are refused (F2).
_UV_DIRECTORY_OPTIONS = ("--directory", "--project")
_UV_DIRECTORY_ENV = ("UV_PROJECT", "UV_WORKING_DIR")
# uv commands that install nothing and resolve nothing (deny by default: any other command,
# or an unknown one, is decided or refused). `uv pip list|freeze|show|uninstall|check|tree`,
# `uv tool list|uninstall|dir`, `uv python list|find|pin|dir|uninstall` only look or remove.
_UV_HARMLESS = {"help", "cache", "generate-shell-completion"}
_UV_HARMLESS_SUB = {
    "pip": {"list", "freeze", "show", "uninstall", "check", "tree"},
    "tool": {"list", "uninstall", "dir", "update-shell"},
    "python": {"list", "find", "pin", "dir", "uninstall"},
    "self": {"version"},
}
# project commands that lock (and may build sdists or sync) from the project's index
_UV_PROJECT_COMMANDS = ("sync", "lock", "remove", "tree", "export")


def uv_request(args: List[str], cwd: str, env: Dict[str, str]):
    """The install a uv command line may run: ``uv pip install|sync|compile``, ``uv add``,
    ``uv tool install|run``, ``uvx``, ``uv run``, and the project commands that lock or sync
    (``uv sync|lock|remove|tree|export``); None for the commands listed as harmless; any other
    command is refused (deny by default)."""
    moved = [f"environment variable {v}" for v in _UV_DIRECTORY_ENV if env.get(v)]
    moved += [a.partition("=")[0] for a in args if a.partition("=")[0] in _UV_DIRECTORY_OPTIONS]
    request = _uv_command(args, cwd, env)
    if moved:
        request = request or InstallRequest("uv", "uv")
        request.problems.append(
            f"uv {', '.join(sorted(set(moved)))} makes uv read its project and config from "
            "another folder, which Warden does not follow: run the install from that folder"
        )
    return request


def _uv_command(args: List[str], cwd: str, env: Dict[str, str]):
    start = subcommand_start(args, UV_VALUED, UV_COMMANDS)
    leading, args = args[:start], args[start:]
    if leading:
        request = _uv_command(args, cwd, env)
        if request is not None:
            _uv_global_options(request, leading, cwd, env)
        return request
    if not args or args[0] in _UV_HARMLESS:
        return None  # `uv --version`, `uv help`, `uv cache clean`
    sub = next((a for a in args[1:] if not a.startswith("-")), None)
    if sub in _UV_HARMLESS_SUB.get(args[0], ()):
        return None
    if args[0] == "version" and all(
        a in ("--short", "--output-format", "json", "text") for a in args[1:]
    ):
        return None  # shows the project version; with --bump or a value it locks and syncs
    seed = env.get("UV_VENV_SEED", "").strip().lower() not in ("", "0", "false", "no", "off")
    if args[0] == "venv" and not seed and not any(a.startswith("--seed") for a in args[1:]):
        return None  # an empty environment (--seed installs pip/setuptools from the index)
    if args[:1] == ["pip"] and len(args) > 1:
        if args[1] not in ("install", "sync", "compile"):
            return _uv_refused(f"uv pip {args[1]}")
        request = InstallRequest("uv", f"uv pip {args[1]}")
        positional_are_files = args[1] in ("sync", "compile")
        rest = args[2:]
    elif args[:1] == ["add"]:
        request, positional_are_files, rest = InstallRequest("uv", "uv add"), False, args[1:]
    elif args[:2] in (["tool", "install"], ["tool", "run"]) or args[:1] == ["x"]:
        name = "uvx" if args[:1] == ["x"] else f"uv {' '.join(args[:2])}"
        request = InstallRequest("uv", name)
        return _uv_tool(request, args[1:] if args[:1] == ["x"] else args[2:], cwd, env)
    elif args[:1] == ["run"]:
        return _uv_run(args[1:], cwd, env)
    elif args[0] in _UV_PROJECT_COMMANDS:
        return _uv_sync(args[1:], cwd, env, f"uv {args[0]}")
    else:
        return _uv_refused(f"uv {' '.join(args[:2])}")
    files = 0
    for name, value in _option_words(request, "uv", rest, UV_VALUED):
        if name is None and positional_are_files:
            files += 1
            uv_read_file(request, value, cwd, env)
        elif name is None:
            request.requirements.append(requirements.parse_requirement(value, "command line"))
        else:
            files += name in _UV_FILE_OPTIONS
            _apply_option(request, name, value, cwd, env)
    if not request.requirements and not files and not request.problems:
        # Every installing uv command names a package or a file; finding neither means
        # Warden misread the options, so it cannot say what would be installed.
        request.problems.append(f"no package found in `{request.command}`")
    return request


def _uv_refused(command: str) -> InstallRequest:
    request = InstallRequest("uv", command)
    request.problems.append(
        f"`{command}` may resolve, build or install packages and Warden does not read what it "
        "would install: run an install command Warden reads (uv pip install, uv sync, uv add)"
    )
    return request


# Options whose value is a file of requirements.
_UV_FILE_OPTIONS = (
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "--override",
    "-b",
    "--build-constraints",
    "--build-constraint",
    "--with-requirements",
)
_UV_INSTALL_FILES = ("-r", "--requirement", "--with-requirements")


def _option_words(request: InstallRequest, tool: str, args: List[str], valued):
    """Yield ``(option, value)`` for each option (value None for a flag) and ``(None, word)``
    for each positional word of a uv or conda command line, values taken as ``valued``
    says. Short options may be bundled or carry their value (``-qU``, ``-ihttps://...``,
    ``-rreq.txt``), as clap and argparse read them. A missing value, or another option where
    a value belongs (Warden's table and the tool disagree), is a problem and ends the
    reading."""
    i = 0
    while i < len(args):
        word = args[i]
        i += 1
        if not word.startswith("-") or word == "-":
            yield None, word
            continue
        if word.startswith("--") or len(word) == 2 or word[2] == "=":
            name, eq, value = word.partition("=")
            if name not in valued:
                yield name, None
                continue
            if eq:
                yield name, value
                continue
        else:
            name = None
            for k in range(1, len(word)):
                option = "-" + word[k]
                if option not in valued:
                    yield option, None
                elif k + 1 < len(word):
                    yield option, word[k + 1 :]
                    break
                else:
                    name = option  # its value is the next word
            if name is None:
                continue
        if i >= len(args):
            request.problems.append(f"{tool} option {name} needs a value")
            return
        if args[i].startswith("-") and args[i] != "-":
            request.problems.append(f"{tool} option {name} is followed by {args[i]}, not a value")
            return
        yield name, args[i]
        i += 1


# uv's commands: those that install and those that do not, to find the command after global
# options (an unknown valued global option must not make `uv --x v pip install P` unread).
UV_COMMANDS = {
    "pip", "add", "tool", "x", "run", "sync", "lock", "remove", "tree", "venv", "python",
    "cache", "self", "version", "help", "init", "export", "build", "publish", "format",
    "generate-shell-completion", "auth", "check", "audit", "workspace",
}  # fmt: skip
CONDA_COMMANDS = {
    "install", "create", "update", "upgrade", "env", "remove", "uninstall", "list", "info",
    "search", "config", "clean", "run", "init", "activate", "deactivate", "export", "shell",
    "self-update", "repoquery", "doctor", "notices", "package", "compare", "rename", "help",
}  # fmt: skip
# options that only come before the command (micromamba's root prefix, config files)
CONDA_GLOBAL_VALUED = CONDA_VALUED | {"-r", "--root-prefix", "--rc-file", "--log-level"}


def subcommand_start(args: List[str], valued, commands) -> int:
    """Where the command starts after leading global options: past each option (and its
    value, as ``valued`` says); a word that is no command there (the value of a valued option
    Warden does not know) is skipped up to the next command word."""
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "-":
        name, eq, _ = args[i].partition("=")
        i += 1
        if name in valued and not eq:
            i += 1
    if i == 0 or i >= len(args) or args[i] in commands:
        return i
    return next((j for j in range(i, len(args)) if args[j] in commands), i)


def _uv_global_options(request, leading, cwd, env) -> None:
    for name, value in _option_words(request, "uv", leading, UV_VALUED):
        if name is not None and name not in ("--directory", "--project"):
            _apply_option(request, name, value, cwd, env)


def _apply_option(request, name, value, cwd, env) -> None:
    if name == "--no-index":
        request.no_index = True
    elif name == "--no-config":
        request.uv_no_config = True
    elif name == "--config-file" and value is not None:
        request.uv_config_file = value  # read with uv's other config (uv_config.py)
    elif value is not None:
        _apply_index_option(request, name, value, cwd, env)


def _uv_leading(request, args, cwd, env) -> Optional[str]:
    """Apply the leading options; return the first positional word (the tool or script)."""
    for name, value in _option_words(request, "uv", args, UV_VALUED):
        if name is None:
            return value
        _apply_option(request, name, value, cwd, env)
    return None


def _uv_project(request, cwd) -> None:
    """The project uv syncs: the nearest pyproject.toml (and its uv.lock), or a problem."""
    from . import toml_files

    path = toml_files.find_project(cwd)
    if path is None:
        request.problems.append(f"`{request.command}` found no pyproject.toml to read")
        return
    doc = toml_files.load(request, path)
    if doc is not None:
        toml_files.add_project(request, doc, os.path.basename(path))
        # the project's own indexes, even under --no-config (uv_config.py keeps one of each)
        label = f"{os.path.basename(path)} [tool.uv]"
        toml_files.add_uv_settings(request, toml_files.uv_table(doc), label)
    lock = os.path.join(os.path.dirname(path), "uv.lock")
    if os.path.exists(lock):
        toml_files.add_lock(request, lock)


def _uv_sync(args, cwd, env, command="uv sync"):
    """``uv sync`` (and the commands that lock like it): the project's dependencies (or
    ``--script FILE``'s inline ones). Positional words (``uv remove P``) are ignored: the
    whole project is decided (stricter)."""
    from . import toml_files

    request = InstallRequest("uv", command)
    script = None
    for name, value in _option_words(request, "uv", args, UV_VALUED):
        if name is None:
            continue
        if name == "--script":
            script = value
        elif name is not None:
            _apply_option(request, name, value, cwd, env)
    if script is not None:
        if not toml_files.add_script(request, script, cwd):
            request.problems.append(
                f"{command} --script: {os.path.basename(script)} has no "
                "`# /// script` block Warden can read"
            )
    else:
        _uv_project(request, cwd)
    return request


def _uv_run(args, cwd, env):
    """``uv run [--with X] [--script] FILE|CMD``: a script's PEP 723 dependencies, else the
    project uv syncs before running (unless ``--no-project``/``--no-sync``/``--isolated``)."""
    from . import toml_files

    request = InstallRequest("uv", "uv run")
    target, no_project = None, False
    for name, value in _option_words(request, "uv", args, UV_RUN_VALUED):
        if name is None:
            target = value
            break
        if name in ("--no-project", "--no-sync", "--isolated"):
            no_project = True
        _apply_option(request, name, value, cwd, env)
    is_script = target is not None and toml_files.add_script(request, target, cwd)
    if not is_script and not no_project and toml_files.find_project(cwd) is not None:
        _uv_project(request, cwd)
    return request if request.requirements or request.sources or request.problems else None


def uv_tool_command(args: List[str]) -> Optional[List[str]]:
    """The command ``uvx [opts] TOOL ARGS`` / ``uv [global opts] tool run [opts] TOOL ARGS``
    runs (``args`` as uv_request takes them), or None: the tool's executable (TOOL's name
    without ``@version``, extras or specifier; with ``--from SPEC``, TOOL itself) and ARGS.
    red team 7 R7-6: ``uvx uv pip install --index-url EVIL x``."""
    start = subcommand_start(args, UV_VALUED, UV_COMMANDS)
    if args[start : start + 1] == ["x"]:
        rest = args[start + 1 :]
    elif args[start : start + 2] == ["tool", "run"]:
        rest = args[start + 2 :]
    else:
        return None
    i, has_from = 0, False
    while i < len(rest):
        word = rest[i]
        if word == "--":
            i += 1
            break
        if not word.startswith("-") or word == "-":
            break
        name, eq, _ = word.partition("=")
        has_from = has_from or name == "--from"
        if word.startswith("--") or len(word) == 2:
            i += 2 if name in UV_VALUED and not eq else 1
            continue
        i += 1  # a bundle of short options: the first valued one takes the rest of the word
        for k in range(1, len(word)):
            if "-" + word[k] in UV_VALUED:
                i += k + 1 == len(word)
                break
    if i >= len(rest):
        return None
    tool = rest[i]
    if not has_from:
        named = re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*", tool)
        if named and tool[named.end() : named.end() + 1] in "@[=<>!~; ":
            tool = named.group(0)
    return [tool] + rest[i + 1 :]


def _uv_tool(request, args, cwd, env):
    first = _uv_leading(request, args, cwd, env)
    if first is not None:
        request.requirements.append(requirements.parse_requirement(first, "command line"))
    return request


def conda_request(tool: str, args: List[str], cwd: str, env: Dict[str, str]):
    """``conda|mamba install|create|update`` and ``conda env create|update -f file``, after any
    global options (``conda -v install X``, ``micromamba -r ROOT install X``)."""
    start = subcommand_start(args, CONDA_GLOBAL_VALUED, CONDA_COMMANDS)
    leading, args = args[:start], args[start:]
    if leading:
        request = conda_request(tool, args, cwd, env)
        if request is not None:
            for name, _value in _option_words(request, tool, leading, CONDA_GLOBAL_VALUED):
                if name == "--rc-file":
                    request.problems.append(
                        f"{tool} --rc-file: Warden does not read conda configuration files "
                        "(their channels could point anywhere)"
                    )
        return request
    if args[:1] == ["env"] and args[1:2] and args[1] in ("create", "update"):
        command, rest, env_file = f"{tool} env {args[1]}", args[2:], True
    elif args[:1] and args[0] in CONDA_INSTALLING:
        command, rest, env_file = f"{tool} {args[0]}", args[1:], False
    else:
        return None
    request = InstallRequest(tool, command)
    for name, value in _option_words(request, tool, rest, CONDA_VALUED):
        if name is None:
            request.requirements.append(conda_spec(value, "command line", request))
        elif name in ("-c", "--channel"):
            request.sources.append(Source(value, "channel", "command line"))
        elif name in ("--file", "-f") and env_file:
            from . import environment_file

            environment_file.read(request, value, cwd, env)
        elif name in ("--file", "-f"):
            # micromamba's -f is --file; conda has no -f here, so reading it is only stricter.
            _conda_spec_file(request, value, cwd)
        elif name == "--override-channels":
            request.override_channels = True
    return request


def conda_spec(word: str, origin: str, request: InstallRequest):
    """``[channel::]name[=version[=build]]`` or a match spec with an operator."""
    import re

    from .names import normalize
    from .request import Requirement

    if "::" in word:
        channel, word = word.split("::", 1)
        request.sources.append(Source(channel, "channel", origin))
    m = re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", word.strip())
    if not m:
        return Requirement(word, None, "invalid", origin)
    pin = m.group(2).lstrip("=") if m.group(2).startswith(("==", "=")) else None
    if pin and any(c in pin for c in "*<>,|"):
        pin = None
    # kind "conda": a name in conda's namespace, where PyPI's popular-name list does not apply
    return Requirement(
        word, normalize(m.group(1)), "conda", origin, pin.split("=")[0] if pin else None
    )


def _conda_spec_file(request, path, cwd) -> None:
    import os

    try:
        lines = requirements.read_regular_file(os.path.join(cwd, path)).splitlines()
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        request.problems.append(f"cannot read {os.path.basename(path)}: {exc.__class__.__name__}")
        return
    for number, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("@"):
            request.requirements.append(
                conda_spec(line, f"{os.path.basename(path)} line {number}", request)
            )
