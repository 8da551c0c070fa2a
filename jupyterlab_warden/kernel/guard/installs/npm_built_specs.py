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
- ``npm rebuild`` and ``npm edit NAME`` (they run the install scripts of the packages
  node_modules holds); ``npm link``/``pack``/``publish`` without a spec build the project
  folder, read as a folder spec;
- a command that installs the project's whole tree (install, ci, update, uninstall, dedupe,
  prune, link, ``audit fix``: arborist builds every dependency whatever specs the line names)
  in a project whose package.json names a dependency that is no registry package, has
  ``workspaces``, or whose lockfile (npm-shrinkwrap.json, package-lock.json,
  node_modules/.package-lock.json) resolves an entry elsewhere than https (a ``file:``
  tarball, git, a link). The project's OWN scripts (a bare install runs its prepare,
  postinstall...) are the project's script file, read no more than ``npm run``'s (the
  script-file class).

Scripts are off when npm reads ``ignore-scripts`` as true from the command line, in any
spelling nopt takes (``--ignore-scripts``, ``--ignore-s``, ``--ignore-scripts true``;
``--no-ignore-scripts`` turns it off), else from the environment (``npm_config_ignore_scripts``,
any case, ``-`` or ``_``). An .npmrc saying so is not trusted (``_ignore_scripts``). With scripts
off a git spec is still refused: npm clones it with the ``git`` program its configuration names.
"""

import json
import os
import re
from typing import Dict, List, Optional

# the commands that build packages (npm 11's names, after deref)
_BUILDING = frozenset(
    ("install", "ci", "update", "install-test", "install-ci-test", "link", "rebuild", "pack")
)
# the commands that reify the project's whole tree (arborist): every dependency, workspace and
# lockfile entry is installed and built whatever specs the line names (red team 91c: ``npm i
# ./plain``, ``npm uninstall lodash``, ``npm dedupe``, ``npm prune`` built a ``file:``
# dependency of the project; ``npm audit fix`` installs too)
_TREE = frozenset(
    ("install", "ci", "update", "install-test", "install-ci-test", "uninstall", "dedupe",
     "prune", "link", "audit")
)  # fmt: skip
# the commands that build the project folder itself when given no spec
_BUILDS_PROJECT = frozenset(("link", "pack", "publish"))
# the commands that fetch a spec through pacote, which prepares a git clone or a folder by
# running its prepare (and prepack) scripts: ``npm publish ./pkg``, ``npm stage publish
# ./pkg`` and ``npm diff --diff=./pkg`` ran them (npm 11.19, measured), ``npm cache add`` does
# for a git spec
_FETCHING = frozenset(("publish", "diff", "cache", "stage"))
# the commands that run installed packages' install scripts: ``npm rebuild``, and ``npm edit
# NAME``, which runs ``npm rebuild NAME`` after its editor (red team 91c)
_REBUILDING = frozenset(("rebuild", "edit"))
# the lockfiles arborist installs from, in the project folder
_LOCKFILES = (
    "npm-shrinkwrap.json",
    "package-lock.json",
    os.path.join("node_modules", ".package-lock.json"),
)
_SCRIPTS = (
    "preinstall", "install", "postinstall", "prepare", "preprepare", "postprepare", "prepack",
    "postpack", "dependencies",
)  # fmt: skip
_DEPENDENCIES = ("dependencies", "optionalDependencies", "devDependencies", "peerDependencies")
_NAME = r"(?:@[A-Za-z0-9._~-][A-Za-z0-9._~!'()*-]*/)?[A-Za-z0-9_~-][A-Za-z0-9._~!'()*-]*"
_REGISTRY = re.compile(rf"^({_NAME})(?:@(.*))?$")
# what a registry range or tag never holds: a URL's or path's characters
_TARBALL = re.compile(r"\.(?:tgz|tar\.gz|tar)$", re.IGNORECASE)
# (``~1.2`` is a tilde range: only ``~/`` starts a path)
_NOT_A_RANGE = re.compile(r"[/:\\#]|^\.|^~/|\.(?:tgz|tar\.gz|tar)$", re.IGNORECASE)
# a tarball npm fetches over https (its scripts are the registry class's); any other spec
# that is neither a registry name nor a folder is git or a file
_HTTPS_TARBALL = re.compile(rf"^(?:{_NAME}@)?https://[^\s#]+\.(?:tgz|tar\.gz)$", re.IGNORECASE)
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
    if command not in _BUILDING | _FETCHING | _TREE | _REBUILDING:
        return ""
    if command == "cache" and positional[1:2] != ["add"]:
        return ""  # ls, clean, verify, npx: nothing fetched
    if command == "stage" and positional[1:2] != ["publish"]:
        return ""
    if command == "audit" and positional[1:2] != ["fix"]:
        return ""  # a report: nothing installed
    project = _project(cwd, given.get("prefix"))
    shown = positional[0]
    specs = positional[1:]
    if command in ("cache", "stage", "audit"):
        shown, specs = f"{positional[0]} {positional[1]}", positional[2:]
    elif command == "diff":
        # its specs are option values (``--diff=SPEC``, twice at most); none: the project
        specs = [value for name, _eq, value in options if name == "diff"] or ["."]
    if command in ("uninstall", "audit"):
        specs = []  # names to remove, or none: the tree is what is built
    if _ignore_scripts(given, env):
        # no script runs; a git spec still runs the ``git`` program npm's config names (any
        # .npmrc may set it) and is refused; a folder's or a tarball's files are data
        for spec in specs:
            if _registry(spec) is False and not _HTTPS_TARBALL.match(spec):
                return (
                    f"npm {shown} {spec}: {spec} is a git or remote spec, which npm clones with "
                    "the git program its configuration names (--git, npm_config_git, an "
                    ".npmrc), even with --ignore-scripts, and Warden does not read that: "
                    "install from the registry, or a tarball over https"
                )
        return ""
    if command in _REBUILDING:
        return _say(shown, "the install scripts of the packages node_modules holds")
    if command in _TREE:
        why = _tree_problem(project)
        if why:
            return _say(shown, f"the project's {why}")
    if not specs and command in _BUILDS_PROJECT:
        specs = ["."]
    for spec in specs:
        why = _spec_problem(spec, cwd, project)
        if why:
            return _say(f"{shown} {spec}", why)
    return ""


def _tree_problem(project: str) -> str:
    """Why installing ``project``'s whole tree may build a package that is no registry's: a
    dependency that is none, a workspace (a folder of the project, built with its scripts),
    a lockfile entry resolved elsewhere than a registry (a ``file:`` tarball the cell wrote);
    '' when none."""
    manifest = os.path.join(project, "package.json")
    why = _dependencies_problem(manifest)
    if why:
        return why
    data = _json(manifest) if os.path.exists(manifest) else {}
    if data and data.get("workspaces"):
        return f"{manifest}'s workspaces (folders npm installs and builds with their scripts)"
    for name in _LOCKFILES:
        lockfile = os.path.join(project, name)
        if not os.path.exists(lockfile):
            continue
        lock = _json(lockfile)
        if lock is None:
            return f"{lockfile}, which cannot be read"
        why = _lock_problem(lock)
        if why:
            return f"{lockfile}: {why}"
    return ""


def _lock_problem(lock: dict) -> str:
    """A lockfile entry npm installs from elsewhere than a registry over https ('' if none):
    a ``file:``/git/relative ``resolved``, a ``link``, an entry Warden cannot read."""
    packages = lock.get("packages")
    entries = list(packages.items()) if isinstance(packages, dict) else []
    stack = [lock.get("dependencies")]
    while stack:  # lockfile version 1's nested dependencies
        level = stack.pop()
        if isinstance(level, dict):
            for name, entry in level.items():
                entries.append((name, entry))
                if isinstance(entry, dict):
                    stack.append(entry.get("dependencies"))
    for name, entry in entries:
        if name == "":
            continue  # the project itself
        if not isinstance(entry, dict):
            return f"{name!r} cannot be read"
        if entry.get("link"):
            return f"{name!r} is a link to a folder (built with its scripts)"
        resolved = entry.get("resolved", entry.get("version", ""))
        if not isinstance(resolved, str):
            return f"{name!r} cannot be read"
        if ":" in resolved and not resolved.lower().startswith("https://"):
            return f"{name!r} resolves to {resolved[:80]!r}, no registry"
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
    if path.startswith("~"):
        # npm expands it with its own HOME, which the line may set (red team 91c)
        return f"{spec} names a folder under a home npm expands itself"
    places = dict.fromkeys(os.path.normpath(os.path.join(base, path)) for base in (cwd, project))
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


def _ignore_scripts(given: Dict[str, str], env: Dict[str, str]) -> bool:
    """Whether npm reads ignore-scripts as true from the command line or the environment, the
    two places above every .npmrc. An .npmrc is not trusted to turn scripts off (red team
    91c): npm skips the project's in global mode and a workspace's for its root's, nests a
    key under an ``[section]``, unquotes keys, and takes ``userconfig`` from an .npmrc: where
    Warden's reading and npm's part, scripts would run that Warden took for off."""
    if "ignore-scripts" in given:
        return given["ignore-scripts"] == "true"
    named = [
        value
        for key, value in env.items()
        if key.lower().startswith("npm_config_")
        and key[11:].replace("_", "-").lower() == "ignore-scripts"
    ]
    return bool(named) and all(v.strip() == "true" for v in named)


# the words a Node runner's command text is cut into to find a program's name in it
_TEXT_TOKENS = re.compile(r"[^\s'\"`;&|()<>]+")


def nested_refusal(runner: str, args: List[str]) -> str:
    """Why a runner's command may itself be a Node package manager Warden does not read there
    ('' when none): npx, pnpx, ``npm exec``/``x``, ``pnpm exec``/``dlx`` and ``yarn
    exec``/``dlx`` run a command named by their words or by a ``-c``/``--call`` text, whose
    start Warden reads no further (red team 91c: ``npx npm i ./pkg``, ``npm exec -c 'npm i
    ./pkg'`` built the folder and ran its postinstall). A runner's name anywhere among those
    words or in that text refuses the start."""
    from .npm_run_path import RUNNERS

    words = args
    if runner in ("npm", "pnpm", "yarn", "yarnpkg"):
        positional = [w for w in args if not w.startswith("-")]
        head = positional[0] if positional else ""
        if runner == "npm":
            head = npm_command(head) or head
        if head not in ("exec", "dlx"):
            return ""
        words = args[args.index(positional[0]) + 1 :]
    elif runner not in ("npx", "pnpx"):
        return ""
    for word in words:
        for token in _TEXT_TOKENS.findall(word.partition("=")[2] if word.startswith("-") else word):
            name = os.path.basename(token)
            if name in RUNNERS:
                return (
                    f"{runner} runs a command naming {name} ({word[:60]!r}), which Warden does "
                    f"not read inside {runner}: run {name} as its own command"
                )
    return ""
