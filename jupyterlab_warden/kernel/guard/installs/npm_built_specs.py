"""npm installs of packages npm BUILDS on install, running their scripts (red team 90 F15).

npm runs an installed package's life-cycle scripts (preinstall, install, postinstall, and
prepare for a folder or a git clone; ``node-gyp rebuild`` for a binding.gyp) as shell text,
with node_modules/.bin first on PATH. For a registry package that is the publisher's code; for
a spec the notebook names, it is code the cell itself may have written: ``npm install ./pkg``
(or ``../pkg``, ``file:pkg``, ``x@./pkg``, a tarball ``./x.tgz``, ``x.tgz``), a git spec
(``github:u/r``, ``u/r``, ``git+https://...``, ``git@host:u/r``: npm clones it and runs
``npm install`` in the clone to prepare it) or a remote tarball (``https://host/x.tgz``). npm 11
warns about scripts not covered by ``allowScripts`` and runs them anyway. Warden read none of
those scripts: ``npm install ./pkg`` whose package.json's postinstall ran ``uv pip install``
passed (npm is no installer Warden decides, and the scripts are no words of the line).

``refusal`` reads npm's words as npm's nopt does (``long_options.npm_args``) and its command
as npm derefs it (aliases, abbreviations, camelCase: ``i``, ``add``, ``isntall``, ``rebui``,
``installTest``). For the commands that build packages (install, ci, update, install-test,
install-ci-test, link, rebuild, pack), and those that prepare a spec they fetch
(``publish SPEC``, ``diff --diff=SPEC``, ``cache add SPEC``: pacote runs a folder's or a git
clone's prepare), it refuses, unless scripts are off:

- a spec that is no registry package (``name``, ``name@range``, ``@scope/name@tag``,
  ``alias@npm:name@range``): a git spec, a URL, a tarball, a folder Warden cannot read; a
  local folder is read: its package.json must exist and hold no install-time script
  (``preinstall``, ``install``, ``postinstall``, ``prepare``, ``preprepare``, ``postprepare``,
  ``prepack``, ``postpack``, ``dependencies``), no ``workspaces`` or ``bundleDependencies``,
  no binding.gyp beside it, and only registry packages as dependencies (a ``file:``/git
  dependency is built too);
- ``npm rebuild`` (it runs the install scripts of the packages node_modules holds); ``npm
  link``/``npm pack`` without a spec build the project folder, read as a folder spec;
- a bare ``npm install``/``ci``/``update`` whose package.json names a dependency that is no
  registry package. The project's OWN scripts (a bare install runs its prepare, postinstall...)
  are the project's script file, read no more than ``npm run``'s (the script-file class).

Scripts are off when npm reads ``ignore-scripts`` as true, by its precedence: the command line
in any spelling nopt takes (``--ignore-scripts``, ``--ignore-s``, ``--ignore-scripts true``;
``--no-ignore-scripts`` turns it off), else the environment (``npm_config_ignore_scripts``, any
case, ``-`` or ``_``), else the project's .npmrc, else the user's (``--userconfig``,
``npm_config_userconfig``, ``~/.npmrc``), each only when it says ``true`` as a plain value.
"""

import json
import os
import re
from typing import Dict, List, Optional

# the commands that build packages (npm 11's names, after deref)
_BUILDING = frozenset(
    ("install", "ci", "update", "install-test", "install-ci-test", "link", "rebuild", "pack")
)
# the commands that build the project folder itself when given no spec
_BUILDS_PROJECT = frozenset(("link", "pack", "publish"))
# the commands that fetch a spec through pacote, which prepares a git clone or a folder by
# running its prepare (and prepack) scripts: ``npm publish ./pkg`` and ``npm diff
# --diff=./pkg`` ran them (npm 11.19, measured), ``npm cache add`` does for a git spec
_FETCHING = frozenset(("publish", "diff", "cache"))
_SCRIPTS = (
    "preinstall", "install", "postinstall", "prepare", "preprepare", "postprepare", "prepack",
    "postpack", "dependencies",
)  # fmt: skip
_DEPENDENCIES = ("dependencies", "optionalDependencies", "devDependencies", "peerDependencies")
_NAME = r"(?:@[A-Za-z0-9._~-][A-Za-z0-9._~!'()*-]*/)?[A-Za-z0-9_~-][A-Za-z0-9._~!'()*-]*"
_REGISTRY = re.compile(rf"^({_NAME})(?:@(.*))?$")
# what a registry range or tag never holds: a URL's or path's characters
_TARBALL = re.compile(r"\.(?:tgz|tar\.gz|tar)$", re.IGNORECASE)
_NOT_A_RANGE = re.compile(r"[/:\\#]|^[.~]|\.(?:tgz|tar\.gz|tar)$", re.IGNORECASE)
_MAX_JSON = 1 << 20


def _table() -> dict:
    from ...contracts import load_contract

    return load_contract("npm-cli.json")


def npm_command(word: str) -> Optional[str]:
    """The command npm runs for ``word`` (npm 11's cmd-list deref: camelCase to dashes, a
    command, an alias, a unique abbreviation of either); None when npm knows none."""
    from .long_options import abbreviations

    table = _table()
    commands, aliases = table["commands"], table["aliases"]
    if re.search(r"[A-Z]", word):
        word = re.sub(r"([A-Z])", lambda m: "-" + m.group(1).lower(), word)
    if word in commands:
        return word
    if word in aliases:
        return aliases[word]
    found = abbreviations(list(commands) + list(aliases)).get(word)
    seen = 0
    while found in aliases and seen < 10:
        found, seen = aliases[found], seen + 1
    return found


def refusal(args: List[str], env: Dict[str, str], cwd: str) -> str:
    """Why ``npm ARGS`` (``env``: its whole environment, ``cwd``: the absolute folder it
    starts in) may build a package whose scripts Warden does not read; '' when it cannot."""
    from .long_options import npm_args

    words = npm_args(args)
    cut = words.index("--") if "--" in words else len(words)
    options = [w[2:].partition("=") for w in words[:cut] if w.startswith("--")]
    given = {name: value for name, _eq, value in options}
    positional = [w for w in words[:cut] if not w.startswith("--")] + words[cut + 1 :]
    command = npm_command(positional[0]) if positional else None
    if command not in _BUILDING and command not in _FETCHING:
        return ""
    if command == "cache" and positional[1:2] != ["add"]:
        return ""  # ls, clean, verify, npx: nothing fetched
    project = _project(cwd, given.get("prefix"))
    if _ignore_scripts(given, env, project):
        return ""
    shown = positional[0]
    specs = positional[1:]
    if command == "cache":
        shown, specs = "cache add", positional[2:]
    elif command == "diff":
        # its specs are option values (``--diff=SPEC``, twice at most); none: the project
        specs = [value for name, _eq, value in options if name == "diff"] or ["."]
    if command == "rebuild":
        return _say(shown, "the install scripts of the packages node_modules holds")
    if not specs and command in _BUILDS_PROJECT:
        specs = ["."]
    if not specs:
        why = _dependencies_problem(os.path.join(project, "package.json"))
        return _say(shown, f"the project's {why}") if why else ""
    for spec in specs:
        why = _spec_problem(spec, cwd, project)
        if why:
            return _say(f"{shown} {spec}", why)
    return ""


def _say(what: str, why: str) -> str:
    return (
        f"npm {what} builds packages and runs their scripts ({why}), which Warden does not "
        "read: add --ignore-scripts (npm then runs none), or install from the registry"
    )


def _spec_problem(spec: str, cwd: str, project: str) -> str:
    """'' for a registry spec or a local folder Warden reads as building nothing; else why."""
    registry = _registry(spec)
    if registry is not None:
        return "" if registry else f"{spec} is a git, URL, tarball or folder spec"
    path = spec.split("@", 1)[1] if re.match(rf"^{_NAME}@", spec) else spec
    if path.lower().startswith("file:"):
        path = path[5:]
        path = path[2:] if path.startswith("//") else path
    places = dict.fromkeys(
        os.path.normpath(os.path.join(base, os.path.expanduser(path))) for base in (cwd, project)
    )
    for place in places:
        why = _folder_problem(place, spec)
        if why:
            return why
    return ""


def _registry(spec: str) -> Optional[bool]:
    """True for a registry spec, False for one npm fetches or builds otherwise (git, URL,
    tarball), None for a local path (read as a folder)."""
    if re.match(r"^(?:[.]|~/|/|[A-Za-z]:)", spec) or spec.lower().startswith("file:"):
        return None
    found = _REGISTRY.match(spec)
    if found is None:
        named = re.match(rf"^{_NAME}@((?:file:|[.]|~/|/).*)$", spec)
        return None if named else False
    version = found.group(2) or ""
    if version.startswith("npm:"):
        return _registry(version[4:]) is True
    if version.lower().startswith("file:") or re.match(r"^(?:[.]|~/|/)", version):
        return None
    return not _NOT_A_RANGE.search(version) and not _TARBALL.search(found.group(1))


def _folder_problem(folder: str, spec: str) -> str:
    if not os.path.isdir(folder):
        return f"{spec} is no folder Warden can read (a tarball, or missing)"
    manifest = os.path.join(folder, "package.json")
    data = _json(manifest)
    if data is None:
        return f"{manifest} cannot be read as a package.json"
    scripts = data.get("scripts") if isinstance(data.get("scripts"), dict) else {}
    run = [name for name in _SCRIPTS if name in scripts]
    if run:
        return f"{manifest}'s {run[0]} script"
    if data.get("workspaces") or data.get("bundleDependencies") or data.get("bundledDependencies"):
        return f"{manifest} installs further folders (workspaces, bundled dependencies)"
    if os.path.exists(os.path.join(folder, "binding.gyp")):
        return f"{folder}/binding.gyp (npm runs node-gyp rebuild)"
    return _dependencies_problem(manifest, data)


def _dependencies_problem(manifest: str, data: Optional[dict] = None) -> str:
    """Why ``manifest``'s dependencies may be built (one that is no registry package); ''
    when there is none or no manifest."""
    if data is None:
        if not os.path.exists(manifest):
            return ""
        data = _json(manifest)
        if data is None:
            return f"{manifest} cannot be read as a package.json"
    for field in _DEPENDENCIES:
        listed = data.get(field) or {}
        if not isinstance(listed, dict):
            return f"{manifest}'s {field} cannot be read"
        for name, value in listed.items():
            spec = f"{name}@{value}" if isinstance(value, str) and value else name
            if not isinstance(value, str) or _registry(spec) is not True:
                return f"{manifest}'s {field} {name}: {value!r} is no registry package"
    return ""


def _json(path: str) -> Optional[dict]:
    try:
        if not os.path.isfile(path) or os.path.getsize(path) > _MAX_JSON:
            return None
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _project(cwd: str, prefix: Optional[str]) -> str:
    """npm's project folder: ``--prefix``, else the nearest folder from ``cwd`` up holding
    package.json or node_modules, else ``cwd``."""
    if prefix:
        return os.path.normpath(os.path.join(cwd, os.path.expanduser(prefix)))
    folder = cwd
    while True:
        if any(os.path.exists(os.path.join(folder, f)) for f in ("package.json", "node_modules")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return cwd
        folder = parent


def _ignore_scripts(given: Dict[str, str], env: Dict[str, str], project: str) -> bool:
    """Whether npm reads ignore-scripts as true (the command line, the environment, the
    project's .npmrc, the user's, in npm's order)."""
    if "ignore-scripts" in given:
        return given["ignore-scripts"] == "true"
    named = [
        value
        for key, value in env.items()
        if key.lower().startswith("npm_config_")
        and key[11:].replace("_", "-").lower() == "ignore-scripts"
    ]
    if named:
        return all(v.strip() == "true" for v in named)
    userconfig = given.get("userconfig") or next(
        (v for k, v in env.items() if k.lower() == "npm_config_userconfig"), ""
    )
    home = env.get("HOME") or os.path.expanduser("~")
    for npmrc in (
        os.path.join(project, ".npmrc"),
        os.path.expanduser(userconfig) if userconfig else os.path.join(home, ".npmrc"),
    ):
        said = _npmrc_value(npmrc, "ignore-scripts")
        if said is not None:
            return said == "true"
    return False


def _npmrc_value(path: str, key: str) -> Optional[str]:
    """The last ``key = value`` of the ini file ``path`` (quotes off); None when it has none."""
    try:
        if not os.path.isfile(path) or os.path.getsize(path) > _MAX_JSON:
            return None
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return None
    found = None
    for line in text.splitlines():
        name, eq, value = line.strip().partition("=")
        if eq and name.strip() == key:
            found = value.strip().strip("\"'")
    return found
