"""The arguments of pip, uv, conda and mamba, read into an ``InstallRequest``.

pip reads its options with optparse, which accepts any unambiguous prefix of a long option
(``--extra-index`` is ``--extra-index-url``). Warden resolves prefixes the same way against
the table below; an option it does not know is a problem (the install is refused and says
so) rather than a guess, so no spelling of an index option gets past it.
"""

import os
import re
from typing import Dict, List, Optional

from . import preference, requirements
from .pip_commands import PIP_INSTALLING
from .request import InstallRequest, Source, named_index_url

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
    "--no-user": False,
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

# uv and conda: options that take a value (others are flags); index options by name.
# A flag listed here would swallow the package after it (`uv add --dev pkg` read as no
# package at all), so only options that take a value in every uv command belong here;
# an unlisted valued option only makes its value read as one more requirement (stricter).
UV_VALUED = {
    "-r", "--requirement", "-c", "--constraint", "--override", "-e", "--editable", "-i",
    "--index-url", "--extra-index-url", "--index", "--default-index", "-f", "--find-links",
    "-p", "--python", "--target", "--prefix", "--index-strategy", "--resolution",
    "--prerelease", "--keyring-provider", "--cache-dir", "--directory", "--project",
    "--config-file", "--with", "--with-editable", "--with-requirements", "--from", "--group",
    "--extra", "--optional", "--package", "--exclude-newer", "--link-mode", "-C",
    "--config-setting", "--python-platform", "--python-version", "--color",
    "--allow-insecure-host", "--trusted-host", "--cert", "--script", "--branch", "--tag",
    "--rev", "--marker", "-m", "-b", "--build-constraints", "--build-constraint",
}  # fmt: skip


def _uv_cli() -> dict:
    from ...contracts import load_contract

    return load_contract("uv-cli.json")


# uv's own option table (schema/uv-cli.json, from the help of the uv commands Warden reads,
# scripts/uv-cli-table.py) and `uv run`'s: an option in none of them is refused rather than
# read as a flag, which made its value one more word and left a file it names unread (red team
# 9 R9-3: `uv pip install --requirements r.txt`, uv's own spelling). An option valued in one
# command and a flag in another (`--no-binary`) stays a flag: its value is read as one more
# requirement, stricter. The spellings clap hides (`--requirements`/`--requirement`...) are
# read as the name Warden's readers use (``UV_ALIASES``).
UV_ALIASES = dict(_uv_cli()["aliases"])
# pip-tools' options uv takes only to reject them and Warden does not read (`--pip-args`,
# `--config`: they would name where packages come from), with the reason each is refused
UV_REFUSED = dict(_uv_cli()["refused"])
# clap takes both spellings of each pair wherever it takes one (red team 42b R42b-4: `uv pip
# install --constraint c.txt`, the help's `--constraints`, was refused as unknown): every
# option set below holds both, so no reader (the known check, the valued check, uvx's tool
# word) depends on which spelling the table or the user wrote. One a command does not take
# passes Warden and is refused by uv, which then installs nothing.
_UV_SPELLINGS = {**UV_ALIASES, **{name: alias for alias, name in UV_ALIASES.items()}}


def _with_aliases(options) -> frozenset:
    """``options`` with the other spelling of each (``UV_ALIASES``, both ways)."""
    return frozenset(options) | {_UV_SPELLINGS[o] for o in options if o in _UV_SPELLINGS}


UV_VALUED |= set(_uv_cli()["valued"]) - set(_uv_cli()["flags"])
UV_VALUED |= _with_aliases(UV_VALUED)
UV_KNOWN = _with_aliases(UV_VALUED | set(_uv_cli()["flags"]) | set(UV_ALIASES))


# each uv command's own closed option set (schema/uv-cli.json ``by_command``: its help and the
# options the real uv takes that the help hides). Red team 15 R15-14: a valued option Warden
# read as a flag (or did not know) made its value uvx's TOOL and the index options after it
# the tool's own words; a command's options are read with its own set, deny by default: an
# option word in neither its valued nor its flag set is refused.
UV_BY_COMMAND = {
    command: (_with_aliases(own["valued"]), _with_aliases(own["valued"] + own["flags"]))
    for command, own in _uv_cli()["by_command"].items()
}


def _uv_known() -> frozenset:
    """``UV_KNOWN`` and `uv run`'s own table (the options uv hides from every help, probed)."""
    valued, flags = uv_run_table()
    return _with_aliases(UV_KNOWN | valued | flags)


CONDA_VALUED = {
    "-n", "--name", "-p", "--prefix", "-c", "--channel", "--file", "-f", "--repodata-fn",
    "--solver", "--experimental", "--subdir", "--platform", "--ssl-verify", "--cacert-path",
    "--clone", "--revision", "--channel-alias", "-r", "--root-prefix", "--rc-file",
}  # fmt: skip
CONDA_INSTALLING = ("install", "create", "update", "upgrade")
# conda's long options for install/create/update/env (argparse: any unique prefix is one;
# micromamba's --channel-alias is not here: micromamba takes no abbreviations)
CONDA_LONG = {
    "--name", "--prefix", "--channel", "--file", "--repodata-fn", "--solver", "--experimental",
    "--subdir", "--platform", "--use-local", "--override-channels", "--clone", "--revision",
    "--dev", "--no-lock", "--repodata-use-zst", "--strict-channel-priority",
    "--no-channel-priority", "--no-deps", "--only-deps", "--no-pin", "--copy",
    "--no-shortcuts", "--shortcuts-only", "--clobber", "--force-reinstall",
    "--freeze-installed", "--update-deps", "--satisfied-skip-solve", "--update-all", "--all",
    "--update-specs", "--offline", "--json", "--console", "--verbose", "--quiet", "--dry-run",
    "--yes", "--download-only", "--show-channel-urls", "--insecure", "--mkdir",
    "--no-default-packages", "--prune", "--help",
}  # fmt: skip


def resolve_pip_long(option: str) -> Optional[str]:
    """``option`` (without ``=value``) as pip's optparse would resolve it, or None."""
    if option in PIP_LONG:
        return option
    matches = [name for name in PIP_LONG if name.startswith(option)]
    return matches[0] if len(matches) == 1 else None


def pip_request(
    args: List[str], cwd: str, env: Dict[str, str], tool="pip", prefix="pip", child_reads=False
):
    """The install ``pip <args>`` would run, or None when the command installs nothing.
    ``child_reads``: its files are left to the guard the pip inherits (``InstallRequest``)."""
    words = _pip_words(args)
    if isinstance(words, str):
        if _leading_command(args) not in (None,) + PIP_INSTALLING:
            return None  # `pip uninstall -y x`: another command's options, nothing installed
        request = InstallRequest(tool, f"{prefix}")
        request.problems.append(words)
        return request
    command = next((w[1] for w in words if w[0] == "arg"), None)
    if command not in PIP_INSTALLING:
        return None
    request = InstallRequest(tool, f"{prefix} {command}")
    request.child_reads = child_reads
    seen_command = False
    for kind, option, value in words:
        if kind == "arg":
            if not seen_command:
                seen_command = True
                continue
            request.requirements.append(requirements.parse_requirement(option, "command line"))
            continue
        preference.note(request, "pip", option, value, "command line")
        _apply_index_option(request, option, value, cwd, env)
    return request


def _leading_command(args: List[str]) -> Optional[str]:
    """pip's command word when the options before it are ones Warden reads (whatever follows
    it), else None: the options after it are that command's own."""
    for i, word in enumerate(args):
        if not word.startswith("-") or word == "-":
            return word if not isinstance(_pip_words(args[:i]), str) else None
        if word == "--":
            return None
    return None


def pip_command(args: List[str]):
    """pip's command and its first argument (``("config", "set")``); None for what is missing
    (``pip --version``), or a command that says pip's words cannot be read."""
    words = _pip_words(args)
    if isinstance(words, str):
        return "<unreadable>", None
    found = [w[1] for w in words if w[0] == "arg"] + [None, None]
    return found[0], found[1]


def pip_paths_from_cwd(args: List[str]) -> List[str]:
    """The relative paths in ``pip <args>`` that pip resolves from its working directory:
    requirement and constraint files, ``--group``'s pyproject.toml, editable and positional
    local paths (``file:`` URLs and ``name @ file:...`` too). ``~`` counts as relative (pip
    does not expand it)."""
    words = _pip_words(args)
    if isinstance(words, str):
        return []
    found, seen_command = [], False
    for kind, option, value in words:
        if (kind == "arg" and seen_command) or (kind == "opt" and option == "--editable"):
            reference = requirements.parse_requirement(option if kind == "arg" else value, "")
            if reference.kind == "path" or reference.kind == "url":
                place = (option if kind == "arg" else value).rsplit("@", 1)[-1].strip()
                found += [option if kind == "arg" else value] if _relative(place) else []
        elif kind == "opt" and option in ("--requirement", "--constraint"):
            found += [value] if _relative(value) else []
        elif kind == "opt" and option == "--group":
            path = value.rpartition(":")[0] or "pyproject.toml"
            found += [path] if _relative(path) else []
        seen_command = seen_command or kind == "arg"
    return found


def _relative(place: str) -> bool:
    """A path (or ``file:`` URL) that does not start at ``/``; any other URL is not a path."""
    scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]+):", place)
    if scheme:
        return scheme.group(1).lower() == "file" and not place[5:].startswith("/")
    return not place.startswith("/")


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
    elif option in ("--editable", "-e", "--with", "--with-editable", "--from"):
        for part in value.split(",") if option.startswith("--with") else [value]:
            part = uv_tool_spec(part) if option == "--from" and request.tool == "uv" else part
            req = requirements.parse_requirement(part, "command line")
            editable = option in ("--editable", "-e", "--with-editable")
            request.requirements.append(requirements.editable(req) if editable else req)
    elif option in ("--index-url", "-i"):
        request.sources.append(Source(value, "index", "command line"))
    elif option == "--default-index":  # uv: [name=]url
        request.sources.append(Source(named_index_url(value), "index", "command line"))
    elif option == "--extra-index-url":
        request.sources.append(Source(value, "extra-index", "command line"))
    elif option == "--index":  # uv: [name=]url
        request.sources.append(Source(named_index_url(value), "extra-index", "command line"))
    elif option in ("--find-links", "-f"):
        request.sources.append(Source(value, "find-links", "command line"))
    elif option == "--no-index":
        request.no_index = True
    elif option in ("--trusted-host", "--allow-insecure-host"):  # uv: an alias of each other
        request.tls.append(("insecure-host", value, "command line"))
    elif option == "--cert":
        from .sources import add_ca

        add_ca(request, value, "command line", cwd)
    elif option == "--group" and request.tool == "pip":
        _pip_group(request, value, cwd)
    elif option == "--group" and request.command.startswith("uv pip "):
        _uv_group(request, value, cwd)  # elsewhere (`uv add --group G`) it names no file


def _uv_group(request, value: str, cwd: str) -> None:
    """``uv pip install --group [PATH:]NAME``: a PEP 735 group of ./pyproject.toml, or of the
    pyproject.toml or pylock.toml PATH (red team 45a R45a-5). Unlike pip's, uv lowers the group
    with the file's ``[tool.uv.sources]``, indexes and workspace root, so the file is read as
    ``-r pyproject.toml`` is, for that group only (red team 46a R46a-1); a pylock.toml's is
    refused, as ``-r pylock.toml`` is (``uv_read_file``)."""
    from . import toml_files, uv_inputs

    path, _, name = value.rpartition(":")
    path = path or "pyproject.toml"
    kind = uv_inputs.file_kind(path)
    if kind == uv_inputs.PYPROJECT:
        toml_files.add_requirements_project(request, os.path.join(cwd, path), group=name)
    else:
        name = os.path.basename(path.rstrip("/"))
        request.problems.append(
            _UV_UNREAD[kind].format(base=name)
            if kind == uv_inputs.LOCK
            else f"uv --group reads a pyproject.toml or a pylock.toml, not {name[:200]!r}"
        )


def _pip_group(request, value: str, cwd: str) -> None:
    """pip's ``--group [PATH:]NAME`` (pip 25.1+): a PEP 735 group of ./pyproject.toml."""
    from . import toml_files

    path, _, name = value.rpartition(":")
    doc = toml_files.load(request, os.path.join(cwd, path or "pyproject.toml"))
    if doc is not None:
        toml_files.add_group(request, doc, name, os.path.basename(path or "pyproject.toml"))


def uv_read_file(request, path: str, cwd: str, env, constraint: bool = False) -> None:
    """A file given to uv's ``-r``/``-c``/``--override``/``--with-requirements``, read as uv
    reads it: uv picks the format by the file name (``uv_inputs``), so a ``pyproject.toml`` is
    project metadata (its dependencies, not its lines); setup.py/setup.cfg, scripts' inline
    metadata (``s.py``, ``s.PYW``, an extensionless file with a ``# /// script`` block), locks
    and names uv rejects are refused rather than read as lines (red team 11 R11-7)."""
    from . import toml_files, uv_inputs

    if "://" in path:  # a remote file: refused where requirements files are read
        requirements.read_file(request, path, cwd, env, constraint=constraint)
        return
    base = os.path.basename(path.rstrip("/"))
    kind = uv_inputs.file_kind(path, requirements_only=constraint)
    if kind == uv_inputs.PYPROJECT:
        toml_files.add_requirements_project(request, os.path.join(cwd, path))
    elif kind == uv_inputs.SNIFFED and _holds_pep723_block(os.path.join(cwd, path)):
        request.problems.append(
            f"uv reads {base} (a file without an extension holding a `# ///` block) as a "
            "script's inline metadata, which Warden does not read here: name it .txt"
        )
    elif kind in (uv_inputs.REQUIREMENTS, uv_inputs.SNIFFED):
        requirements.read_file(request, path, cwd, env, constraint=constraint)
    else:
        request.problems.append(_UV_UNREAD[kind].format(base=base))


_UV_UNREAD = {
    "metadata": "uv reads {base} as project metadata, which Warden cannot read without running "
    "it: list the requirements in a requirements file or a pyproject.toml",
    "script": "uv reads {base} as a script's inline metadata (by its .py/.pyw extension, in any "
    "case), which Warden does not read here: list the requirements in a .txt file",
    "lock": "uv reads {base} as a PEP 751 lock file, which Warden does not read: list the "
    "requirements in a .txt file",
    "rejected": "uv does not take {base} here (by its name); Warden does not read it either",
}


def _holds_pep723_block(full: str) -> bool:
    from . import uv_inputs

    try:
        text = requirements.read_regular_file(full)
    except (OSError, UnicodeDecodeError, ValueError):
        return False  # read_file reports what it cannot read
    return bool(uv_inputs.PEP723_OPENING.search(text))


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


# uv commands that never look for an interpreter (so never download one); `uv pip` ones only
# without --python (red7 R7-15)
_UV_NO_INTERPRETER = {"help", "cache", "generate-shell-completion", "version", "self"}
_UV_NO_INTERPRETER_SUB = {
    "tool": {"list", "uninstall", "dir", "update-shell"},
    "python": {"list", "find", "dir", "uninstall"},
}


def uv_interpreter_request(args: List[str]) -> Optional[InstallRequest]:
    """For a uv command that installs nothing but may find, and so download, an interpreter
    (``uv venv``, ``uv run`` with nothing to sync, ``uv pip list --python X``): an empty
    request whose uv environment and config are then read as an install's are, so that a
    download source Warden does not read (UV_PYTHON_DOWNLOADS_JSON_URL, a mirror, uv.toml's
    python-install-mirror...) still refuses it (red7 R7-15). None for the others."""
    start = subcommand_start(args, UV_VALUED, UV_COMMANDS)
    command = args[start:]
    if not command or command[0] in _UV_NO_INTERPRETER:
        return None
    sub = next((a for a in command[1:] if not a.startswith("-")), None)
    if sub in _UV_NO_INTERPRETER_SUB.get(command[0], ()):
        return None
    python = any(a.partition("=")[0] in ("-p", "--python") or a.startswith("-p") for a in args)
    if command[0] == "pip" and not python:
        return None
    request = InstallRequest("uv", f"uv {command[0]}")
    for name, value in _option_words(request, "uv", args[:start], UV_VALUED):
        if name in ("--no-config", "--config-file"):
            _apply_option(request, name, value, "", {})
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
        return _uv_add(args[1:], cwd, env)
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
    # uv pip compile's -o/--output-file names where it WRITES, not an input (red8 R8-2)
    output = ("-o", "--output-file") if request.command == "uv pip compile" else ()
    for name, value in _option_words(request, "uv", rest, UV_VALUED | set(output)):
        if name in output:
            continue
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
    reading. A uv command with its own set (``UV_BY_COMMAND``) is read with it alone."""
    own = UV_BY_COMMAND.get(request.command) if tool == "uv" else None
    if own is not None:
        valued, known = own
    elif tool == "uv":
        valued = _with_aliases(valued)
        known = _uv_known() | valued
    i = 0
    while i < len(args):
        word = args[i]
        i += 1
        if not word.startswith("-") or word == "-":
            yield None, word
            continue
        if word.startswith("--") or len(word) == 2 or word[2] == "=":
            name, eq, value = word.partition("=")
            if tool == "uv" and name != "--" and name not in known:
                why = UV_REFUSED.get(name, f"uv option {name} is not one Warden knows")
                request.problems.append(why)
                return
            if name not in valued:
                yield UV_ALIASES.get(name, name) if tool == "uv" else name, None
                continue
            if eq:
                yield UV_ALIASES.get(name, name) if tool == "uv" else name, value
                continue
            name = UV_ALIASES.get(name, name) if tool == "uv" else name
        else:
            name = None
            for k in range(1, len(word)):
                option = "-" + word[k]
                if tool == "uv" and option not in known:
                    request.problems.append(f"uv option {option} is not one Warden knows")
                    return
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
CONDA_GLOBAL_VALUED = CONDA_VALUED | {"--log-level"}


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
    # every uv command reads uv's short spellings as the long options (red team 14 R14-38:
    # `uvx -w SPEC`, `uv tool install -w SPEC` went unread where only `uv run` mapped them)
    name = _UV_SHORT.get(name, name)
    preference.note(request, "uv", name, value, "command line")
    if name == "--torch-backend":
        # like UV_TORCH_BACKEND: PyTorch indexes chosen by the machine's GPU (red team 9 R9-4)
        request.problems.append(
            "uv --torch-backend adds the PyTorch indexes uv picks for this machine, which "
            "Warden does not read: name the index with --index-url instead"
        )
    elif name == "--env-file" and request.command != "uv run":
        request.problems.append(
            f"`{request.command} --env-file` loads variables into the command uv runs, which "
            "Warden reads only for uv run: set them on the command line instead"
        )
    elif name == "--no-index":
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
    """The project uv syncs: the nearest pyproject.toml (and its uv.lock), or a problem; in a
    workspace member, the workspace root above it too (uv locks and syncs the whole
    workspace, red team F6)."""
    from . import toml_files

    path = toml_files.find_project(cwd)
    if path is None:
        request.problems.append(f"`{request.command}` found no pyproject.toml to read")
        return
    _uv_project_file(request, path)
    for root in toml_files.find_workspace_roots(request, os.path.dirname(path)):
        _uv_project_file(request, root)


def _uv_project_file(request, path: str) -> None:
    from . import toml_files

    doc = toml_files.load(request, path)
    if doc is not None:
        toml_files.add_project(request, doc, os.path.basename(path), os.path.dirname(path))
        # the project's own indexes, even under --no-config (uv_config.py keeps one of each)
        label = f"{os.path.basename(path)} [tool.uv]"
        toml_files.add_uv_settings(request, toml_files.uv_table(doc), label, os.path.dirname(path))
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
        toml_files.add_script_lock(request, script, cwd)
        if not toml_files.add_script(request, script, cwd):
            request.problems.append(
                f"{command} --script: {os.path.basename(script)} has no "
                "`# /// script` block Warden can read"
            )
    else:
        _uv_project(request, cwd)
    return request


def uv_run_table():
    """``uv run``'s options (valued, flags), as uv's own help lists them: schema/uv-run-cli.json."""
    from ...contracts import load_contract

    table = load_contract("uv-run-cli.json")
    return frozenset(table["valued"]), frozenset(table["flags"])


class UvRunLine:
    """``uv run [OPTIONS] [TARGET ARGS...]`` read as uv's clap parser reads it: options up to
    the first word that is none (or ``--``); ``mode`` "module" (``-m``), "script" (``-s``,
    ``--gui-script``) or "command"."""

    def __init__(self, args: List[str]):
        valued, flags = uv_run_table()
        self.options: List[tuple] = []
        self.problems: List[str] = []
        i = 0
        while i < len(args) and args[i].startswith("-") and args[i] != "-":
            word = args[i]
            i += 1
            if word == "--":
                break
            if word.startswith("--"):
                name, eq, value = word.partition("=")
                if name in valued and not eq:
                    value, i = (args[i], i + 1) if i < len(args) else (None, i)
                if name in valued and value is not None and not _uv_value(value):
                    self.problems.append(f"uv run option {name} is followed by {value}")
                elif name in valued and value is not None:
                    self.options.append((name, value))
                elif name in flags and not eq:
                    self.options.append((name, None))
                else:
                    self.problems.append(f"uv run option {word} is not one Warden reads")
                continue
            for k in range(1, len(word)):  # short options, bundled (-qn) or with a value (-p3.12)
                option = "-" + word[k]
                if option in flags:
                    self.options.append((option, None))
                    continue
                if option in valued:
                    value = word[k + 1 :].removeprefix("=")
                    if not value and i < len(args) and _uv_value(args[i]):
                        value, i = args[i], i + 1
                    if value:
                        self.options.append((option, value))
                        break
                self.problems.append(f"uv run option {option} is not one Warden reads")
                break
        names = {name for name, _ in self.options}
        modes = [m for m, spelled in _UV_RUN_MODES.items() if names & spelled]
        if len(modes) > 1:
            self.problems.append("uv run: --module and --script together")
        self.mode = modes[0] if modes else "command"
        self.target = args[i] if i < len(args) else None
        self.args = args[i + 1 :]

    def command(self) -> Optional[List[str]]:
        """The command uv runs in its environment, as a command line Warden reads in turn:
        ``uv run -m MOD ARGS`` is ``python -m MOD ARGS``; a script runs in Python (None)."""
        if self.target is None or self.mode == "script":
            return None
        if self.mode == "module":
            return ["python", "-m", self.target] + self.args
        return [self.target] + self.args


def uv_run_env_files(args: List[str], env: Dict[str, str]):
    """``(files, command)`` when ``uv [global opts] run`` loads dotenv files into the command it
    runs (``--env-file F``, repeatable, or the space-separated ``UV_ENV_FILE``; none under
    ``--no-env-file`` / ``UV_NO_ENV_FILE``), else None."""
    start = subcommand_start(args, UV_VALUED, UV_COMMANDS)
    if args[start : start + 1] != ["run"]:
        return None
    line = UvRunLine(args[start + 1 :])
    names = {name for name, _ in line.options}
    files = [value for name, value in line.options if name == "--env-file"]
    files = files or env.get("UV_ENV_FILE", "").split()
    off = env.get("UV_NO_ENV_FILE", "").strip().lower() in ("1", "true", "yes", "on")
    command = line.command()
    if not files or off or "--no-env-file" in names or not command:
        return None
    return files, command


_UV_RUN_MODES = {"module": {"-m", "--module"}, "script": {"-s", "--script", "--gui-script"}}
# uv's short spellings of the long options Warden reads
_UV_SHORT = {"-w": "--with", "-i": "--index-url", "-f": "--find-links", "-p": "--python"}
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _uv_value(word: str) -> bool:
    """Whether clap takes ``word`` as an option's value (an option-like word is an error)."""
    return word == "-" or not word.startswith("-")


def _uv_add(args, cwd, env):
    """``uv add P...`` (and ``--script FILE``): the packages named, and what uv then locks and
    syncs: the whole project (or the script's inline metadata), whatever the flags (with
    ``--frozen`` / ``--no-sync`` it still builds the packages it adds: stricter). Without a
    project uv refuses to add, so only the names are decided (red7 R7-9)."""
    from . import toml_files

    request = InstallRequest("uv", "uv add")
    script, files = None, 0
    for name, value in _option_words(request, "uv", args, UV_VALUED):
        if name is None:
            request.requirements.append(requirements.parse_requirement(value, "command line"))
        elif name == "--script":
            script = value
        else:
            files += name in _UV_FILE_OPTIONS
            _apply_option(request, name, value, cwd, env)
    if script is not None:
        toml_files.add_script(request, script, cwd)  # no block yet: uv writes one
        toml_files.add_script_lock(request, script, cwd)
    elif toml_files.find_project(cwd) is not None:
        _uv_project(request, cwd)
    if not request.requirements and not files and not request.problems:
        request.problems.append("no package found in `uv add`")
    return request


def _uv_run(args, cwd, env):
    """``uv run [--with X] [--script|-m] TARGET ARGS``: a script's PEP 723 dependencies, else the
    project uv syncs before running (unless ``--no-project``/``--no-sync``; ``--isolated``
    syncs it into a fresh environment: red8 R8-10). A
    target uv would read a script from and Warden cannot read (stdin, a URL, a pipe or
    device, a missing ``--script`` file) is refused (red7 R7-2, R7-3)."""
    from . import toml_files

    line = UvRunLine(args)
    request = InstallRequest("uv", "uv run")
    request.problems.extend(line.problems)
    no_project = False
    for name, value in line.options:
        if name in ("--no-project", "--no-sync"):
            no_project = True
        name = _UV_SHORT.get(name, name)
        _apply_option(request, name, value, cwd, env)
    is_script = line.target is not None and _uv_run_script(request, line.target, line.mode, cwd)
    if is_script:
        toml_files.add_script_lock(request, line.target, cwd)  # red7 R7-18: s.py.lock
    if not is_script and not no_project and toml_files.find_project(cwd) is not None:
        _uv_project(request, cwd)
    return request if request.requirements or request.sources or request.problems else None


def _uv_run_script(request, target: str, mode: str, cwd: str) -> bool:
    """Whether ``uv run TARGET`` runs a script (its block read into ``request``, or refused).
    uv reads a script from ``-`` (stdin), an http(s) URL (even under ``-m``), a
    ``.py``/``.pyc``/``.pyw`` file and any path under ``--script``; Warden also reads any
    other file the target names (a ``#!/usr/bin/env -S uv run --script`` file uv executes)."""
    from . import toml_files
    from .pipx_request import _special
    from .request import redact_url

    full = os.path.join(cwd, target)
    unreadable = None
    if target == "-":
        unreadable = "reads the script from standard input"
    elif _URL_SCHEME.match(target) and not os.path.lexists(full):
        unreadable = "fetches the script by its URL"
    elif mode == "module":
        return False
    elif _special(full):
        unreadable = "names a pipe, device or /proc entry"
    elif mode == "script" and not os.path.isfile(full):
        unreadable = "names no regular file"
    if unreadable is not None:
        request.problems.append(
            f"uv run {redact_url(target)}: uv {unreadable}, and installs the PEP 723 "
            "dependencies of a script Warden cannot read before it runs: save the script to a "
            "file and run that"
        )
        return True
    return os.path.isfile(full) and toml_files.add_script(request, full, cwd)


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
    valued = UV_BY_COMMAND["uv tool run"][0]
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
            i += 2 if name in valued and not eq else 1
            continue
        i += 1  # a bundle of short options: the first valued one takes the rest of the word
        for k in range(1, len(word)):
            if "-" + word[k] in valued:
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


# uv's tool syntax TOOL@VERSION / TOOL@latest (``uvx ruff@latest``, ``uv tool install
# black@24.1.0``, ``--from ruff@latest``): the name, and ``==VERSION`` (red8 R8-11). Only a bare
# name and a version (no blank, ``/`` or ``:``) are read so; ``name @ URL`` stays a direct
# reference.
_UV_TOOL_AT = re.compile(
    r"([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\[[A-Za-z0-9._,-]*\])?)@"
    r"(latest|[0-9][A-Za-z0-9.+!_-]*)"
)


def uv_tool_spec(spec: str) -> str:
    match = _UV_TOOL_AT.fullmatch(spec)
    if match is None:
        return spec
    name, version = match.groups()
    return name if version == "latest" else f"{name}=={version}"


# `uvx python ARGS` (`python3`, `python3.12`, `python@3.12`): uv runs a Python interpreter
# (found, or downloaded as `uv python install` does) in an environment of the --with packages
# alone, no package named python (uv 0.13.9: `uvx python -c ...` offline with an empty cache
# runs it; `uvx pythonw` and `uvx ipython` resolve a package). With --from SPEC, python is an
# executable of SPEC's environment, SPEC the package (read as --from's value). Either way the
# word is no requirement (it was read as one, refused as an imitation of ipython).
_UV_PYTHON_TOOL = re.compile(r"python(?:[0-9]+(?:\.[0-9]+)*|@[0-9]+(?:\.[0-9]+)*)?")


def uv_python_tool(word: str) -> bool:
    """Whether uvx's tool word ``word`` is uv's request for a Python interpreter."""
    return _UV_PYTHON_TOOL.fullmatch(word) is not None


def _uv_tool(request, args, cwd, env):
    """``uvx [opts] TOOL ARGS`` / ``uv tool run``: ARGS are the tool's own (read as its
    command, commands.py). ``uv tool install [opts] PACKAGE [opts]``: clap reads options after
    the package too (red team 9 R9-8: `uv tool install x --index-url URL` and `--with P` after
    the package went unread), so every word is read; a second package is a uv error, read as
    one more requirement."""
    if request.command != "uv tool install":
        first = _uv_leading(request, args, cwd, env)
        if first is not None and not uv_python_tool(first):
            request.requirements.append(
                requirements.parse_requirement(uv_tool_spec(first), "command line")
            )
        return request
    for name, value in _option_words(request, "uv", args, UV_VALUED):
        if name is None:
            spec = uv_tool_spec(value)
            request.requirements.append(requirements.parse_requirement(spec, "command line"))
        else:
            _apply_option(request, name, value, cwd, env)
    return request


def conda_request(tool: str, args: List[str], cwd: str, env: Dict[str, str]):
    """``conda|mamba install|create|update`` and ``conda env create|update -f file``, after any
    global options (``conda -v install X``, ``micromamba -r ROOT install X``)."""
    start = subcommand_start(args, CONDA_GLOBAL_VALUED, CONDA_COMMANDS)
    leading, args = args[:start], args[start:]
    if leading:
        request = conda_request(tool, args, cwd, env)
        if request is not None:
            for name, value in _option_words(request, tool, leading, CONDA_GLOBAL_VALUED):
                _conda_place(request, tool, name, value, cwd)
        return request
    if args[:1] == ["env"] and args[1:2] and args[1] in ("create", "update"):
        command, rest, env_file = f"{tool} env {args[1]}", args[2:], True
    elif args[:1] and args[0] in CONDA_INSTALLING:
        command, rest, env_file = f"{tool} {args[0]}", args[1:], False
    else:
        return None
    request = InstallRequest(tool, command)
    try:
        rest = [_conda_long_option(word) for word in rest]
    except ValueError as exc:  # an abbreviation conda may read as an option Warden reads
        request.problems.append(f"{tool}: {exc}")
        return request
    if env_file and not any(
        word in ("-f", "--file") or word.startswith(("--file=", "-f")) for word in rest
    ):
        # conda env create|update without --file reads ./environment.yml
        from . import environment_file

        for default in ("environment.yml", "environment.yaml"):
            candidate = os.path.join(cwd, default)
            if os.path.exists(candidate) and not os.path.isdir(candidate):
                environment_file.read(request, default, cwd, env)
    for name, value in _option_words(request, tool, rest, CONDA_VALUED):
        if name is None:
            request.requirements.append(conda_spec(value, "command line", request))
        elif name in ("-c", "--channel"):
            request.sources.append(Source(value, "channel", "command line"))
        elif name in ("--insecure", "-k"):  # TLS certificates not checked, for every host
            request.tls.append(("insecure-host", "*", "command line"))
        elif name == "--ssl-verify" and value is not None:  # micromamba, mamba 2
            from .sources import conda_ssl_verify

            conda_ssl_verify(request, value, "command line", cwd)
        elif name == "--cacert-path" and value is not None:
            from .sources import add_ca

            add_ca(request, value, "command line", cwd)
        elif name == "--use-local":
            # conda-build's output folder on this machine, as the channel named "local"
            request.sources.append(Source("local", "channel", "command line --use-local"))
        elif name in ("--clone", "--revision"):
            request.problems.append(
                f"{tool} {name} installs the packages another environment or an earlier "
                "revision recorded (their channels and URLs), which Warden does not read: "
                "install by package name instead"
            )
        elif name in ("--file", "-f") and (
            value.endswith((".yml", ".yaml")) or (env_file and not value.endswith(".txt"))
        ):
            # an environment file: `conda env create -f`, and `micromamba|conda create|install
            # -f env.yml`, which read YAML by the file's name
            from . import environment_file

            environment_file.read(request, value, cwd, env)
        elif name in ("--file", "-f"):
            # micromamba's -f is --file; conda has no -f here, so reading it is only stricter.
            # `conda env create -f x.txt` reads a spec file, not YAML.
            _conda_spec_file(request, value, cwd)
        elif name == "--override-channels":
            request.override_channels = True
        elif name == "--channel-alias":
            request.problems.append(
                f"{tool} --channel-alias points every channel name elsewhere, which Warden "
                "does not follow: pass the channels as URLs"
            )
        else:
            _conda_place(request, tool, name, value, cwd)
    return request


def _conda_place(request: InstallRequest, tool: str, name, value, cwd: str) -> None:
    """The options that say which config files micromamba/mamba 2 read: the target prefix
    (``-p``, ``-n``) and root prefix (``-r``) hold ``.condarc``/``.mambarc`` files;
    ``--rc-file`` names one Warden does not read."""
    if name in ("--rc-file", "--channel-alias"):
        request.problems.append(
            f"{tool} {name}: Warden does not read conda configuration given so "
            "(its channels could point anywhere)"
        )
    elif value is None:
        return
    elif name in ("-p", "--prefix"):
        request.conda_prefixes.append(os.path.join(cwd, os.path.expanduser(value)))
    elif name in ("-n", "--name"):
        request.conda_env_names.append(value)
    elif name in ("-r", "--root-prefix"):
        request.conda_roots.append(os.path.join(cwd, os.path.expanduser(value)))


def _conda_long_option(word: str) -> str:
    """``word`` with a long option abbreviated as argparse allows (``--chan URL`` is
    ``--channel URL`` to conda) written out; any other word unchanged; ValueError for a prefix
    of several that conda may read as one Warden reads (``long_options.argparse_long``)."""
    from .long_options import CONDA_READ, argparse_long

    return argparse_long(word, CONDA_LONG, CONDA_READ)


# conda's package files: a spec naming one is installed from that file or URL, no index
CONDA_PACKAGE_SUFFIXES = (".conda", ".tar.bz2")
# MatchSpec bracket keys that only narrow which record of the decided channels matches
CONDA_FILTER_KEYS = {
    "name", "version", "build", "build_string", "build_number", "md5", "sha256", "license",
    "license_family", "track_features", "features", "subdir", "fn",
}  # fmt: skip
_CONDA_BRACKETS = re.compile(r".*(\[.*\])")
_CONDA_BRACKET_ITEM = re.compile(r"""([a-zA-Z0-9_-]+?)=(["']?)([^'"]*?)(\2)(?:[, ]|$)""")
# conda's name split (Step 6): the name runs to the first blank or operator
_CONDA_NAME = re.compile(r"^([^ =<>!~]+)([><!=~ ].*)?$")
_CONDA_PLAIN_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_CONDA_PLAIN_VALUE = re.compile(r"^[A-Za-z0-9_.+*-]+$")
_CONDA_UNUSUAL = re.compile(r"[^\x20-\x7e]")


def conda_spec(word: str, origin: str, request: InstallRequest):
    """One conda MatchSpec, read as conda's ``_parse_spec_str`` reads it: a package file or
    URL (``*.conda``, ``*.tar.bz2``) is a channel of its own; ``channel[/subdir]::name``;
    ``name[key=value, ...]`` brackets, where ``channel`` and ``url`` name a channel and any key
    that is not a filter is unreadable; then ``name[ version[ build]]``."""
    from .names import normalize
    from .request import Requirement

    invalid = Requirement(word, None, "invalid", origin)
    if _CONDA_UNUSUAL.search(word):
        return invalid  # control characters, tabs, non-ASCII: split and matched differently
    spec = word.split("#", 1)[0].split(" if ", 1)[0].strip()
    if spec.endswith(CONDA_PACKAGE_SUFFIXES):
        request.sources.append(Source(spec, "channel", f"{origin}, a package file"))
        stem = re.sub(r"(\.conda|\.tar\.bz2)$", "", spec.replace("\\", "/").rsplit("/", 1)[-1])
        parts = stem.rsplit("-", 2)
        name = normalize(parts[0]) if len(parts) == 3 and parts[0] else None
        return Requirement(word, name, "conda", origin)
    brackets = _CONDA_BRACKETS.match(spec)
    if brackets:
        spec = spec.replace(brackets.group(1), "")
        body = brackets.group(1)[1:-1]
        if _CONDA_BRACKET_ITEM.sub("", body).strip(", "):
            return invalid  # text conda's key=value reader would skip over
        for m in _CONDA_BRACKET_ITEM.finditer(body):
            key, value = m.group(1), m.group(3)
            if key in ("channel", "url") and value:
                request.sources.append(Source(value, "channel", f"{origin}, [{key}=...]"))
            elif key not in CONDA_FILTER_KEYS or not value:
                return invalid
            elif key in ("subdir", "fn") and not _CONDA_PLAIN_VALUE.match(value):
                return invalid
    if any(c in spec for c in "[]()"):
        return invalid  # a second bracket section, or conda's (optional) parens
    parts = spec.rsplit(":", 2)
    if len(parts) == 2 or (len(parts) == 3 and parts[1]):
        return invalid  # conda's namespace (ignored by conda, read otherwise by mamba)
    if len(parts) == 3:
        if parts[0]:
            request.sources.append(Source(parts[0], "channel", origin))
        spec = parts[2]
    m = _CONDA_NAME.match(spec.strip())
    if not m or not _CONDA_PLAIN_NAME.match(m.group(1)):
        return invalid  # no name, or one with a glob, a slash...: not a package Warden can name
    rest = (m.group(2) or "").strip()
    pin = rest.lstrip("=") if rest.startswith("=") else None
    if pin and any(c in pin for c in "*<>,|"):
        pin = None
    # kind "conda": a name in conda's namespace, where PyPI's popular-name list does not apply
    return Requirement(
        word, normalize(m.group(1)), "conda", origin, pin.split("=")[0] if pin else None
    )


def _conda_spec_file(request, path, cwd) -> None:
    """``--file F``: one spec a line, or conda's explicit format (``@EXPLICIT`` and then one
    package URL or path a line, each a channel of its own)."""
    label = os.path.basename(path)
    try:
        lines = requirements.read_regular_file(os.path.join(cwd, path))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        request.problems.append(f"cannot read {label}: {exc.__class__.__name__}")
        return
    explicit = False
    # conda reads the file in text mode: lines end at \n, \r\n or \r (not splitlines' set)
    for number, line in enumerate(re.split(r"\r\n|\r|\n", lines), 1):
        line = line.strip(" \t")  # any other blank stays, and makes the line unreadable
        where = f"{label} line {number}"
        if not line or line.startswith("#"):
            continue
        if line == "@EXPLICIT":
            explicit = True
        elif explicit:
            url = line.split("#", 1)[0].strip()
            request.sources.append(Source(url, "channel", f"{where}, a package file"))
        else:
            request.requirements.append(conda_spec(line, where, request))
