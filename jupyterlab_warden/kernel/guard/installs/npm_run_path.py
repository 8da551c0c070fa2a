"""The folders Node's package managers put first on the PATH of what they run (red team 88
F6): npm runs a command (``npx NAME``, ``npm exec --call=TEXT``, ``npm run``/``test``/
``start``'s script, an install's life-cycle scripts) with ``node_modules/.bin`` of its project
folder and of every parent folder up to ``/`` in front of PATH (@npmcli/run-script's
set-path.js, npm 11: ``resolve(p, 'node_modules', '.bin')`` for p from the project up), and
``npx NAME`` runs the project's ``node_modules/.bin/NAME`` by name. So what that command runs
by name (``npx gzip``, tar running gzip) is found there first: a program written there since
the kernel started runs unread unless the start is read with those folders on its PATH
(``commands._npm_run_env``, the rule of ``uv_run_path`` for ``uv run``).

npm's project folder is the nearest folder from the working folder up holding package.json
or node_modules (or ``--prefix``/``-C DIR``); the walk from the working folder up holds it
and its parents, plus folders between, which only adds reading. yarn and pnpm (classic and
later) do the same for their ``run``/``exec``/``dlx`` and a script named as a command.

Warden does not decide which subcommand of these runs a command: every start of npx/pnpx, of
yarn/pnpm, and of npm except the subcommands below that run nothing, is read with the
folders. A start in other packages' folders (npm's workspaces, pnpm's ``-r``/``--filter``,
yarn's ``workspace``) cannot be placed without reading the project's files: refused."""

import os
from typing import Dict, List

from .folders import upward

# each runner's program names: the command's, and the file its link names (/usr/bin/npx is
# a link to npm's bin/npx-cli.js; a link of any name to it is the same program)
RUNNERS = {
    **{name: name for name in ("npm", "npx", "pnpm", "pnpx", "yarn", "yarnpkg")},
    **{"npm-cli.js": "npm", "npx-cli.js": "npx", "yarn.js": "yarn", "yarn.cjs": "yarn"},
    **{"pnpm.cjs": "pnpm", "pnpx.cjs": "pnpx", "pnpm.js": "pnpm", "pnpx.js": "pnpx"},
}

# npm's subcommands that run no script and no program by name (npm 11's lib/commands and
# their aliases, lib/utils/cmd-list.js); any other word (an install runs life-cycle scripts,
# `npm audit fix` installs) is read as one that runs
_NPM_INERT = frozenset(
    """access adduser login logout bugs cache completion config c get set deprecate diff
    dist-tag dist-tags docs home doctor fund help help-search hook org ogr outdated owner author
    ping pkg prefix profile query repo root search find s se star stars team token unpublish
    unstar view v info show whoami ls list la ll explain why sbom""".split()
)
# options naming the project folder (npm --prefix/-C, pnpm -C/--dir, yarn --cwd)
_FOLDER_OPTIONS = ("--prefix", "-C", "--dir", "--cwd")
# options and words that run in other packages' folders (workspaces, recursive runs)
_ELSEWHERE_OPTIONS = ("-w", "--workspace", "-ws", "--workspaces", "-r", "--recursive",
                      "--filter", "-F", "--include-workspace-root")  # fmt: skip
_ELSEWHERE_WORDS = frozenset(("workspace", "workspaces", "recursive", "multi", "m"))


def bin_folders(name: str, args: List[str], env: Dict[str, str], cwd: str) -> List[str]:
    """The ``node_modules/.bin`` folders the start ``name ARGS`` (``name`` one of RUNNERS,
    ``cwd`` the absolute folder it starts in, ``env`` its environment) puts first on the PATH
    of what it runs, nearest first; [] when it runs nothing (``npm ls``). Raises ValueError
    (the reason) for a start Warden cannot place."""
    name = RUNNERS[name]
    if name in ("npm", "npx"):
        from .long_options import npm_args

        args = npm_args(args)  # `--prefi web`, `-dC web`: nopt's spellings (red team 90 F9)
    words = [w for w in args if not w.startswith("-")]
    # the subcommand only as the first word: an option's value may look like one (`npm
    # --prefix ls exec ...` runs exec), and Warden does not know every npm option's value
    if name == "npm" and (not words or args[0] in _NPM_INERT):
        return []
    places = [cwd]
    for i, word in enumerate(args):
        option, eq, value = word.partition("=")
        if value == "false" and option in ("--workspaces", "--include-workspace-root"):
            continue  # `--no-workspaces`
        if option in _ELSEWHERE_OPTIONS or (word.startswith("-ws") and name == "npm"):
            raise ValueError(f"{name} {word} runs in other packages' folders")
        if option in _FOLDER_OPTIONS:
            if not eq:
                value = args[i + 1] if i + 1 < len(args) else ""
            places.append(os.path.join(cwd, os.path.expanduser(value)))
    if words and name in ("yarn", "yarnpkg", "pnpm") and words[0] in _ELSEWHERE_WORDS:
        raise ValueError(f"{name} {words[0]} runs in other packages' folders")
    for key in env:  # npm_config_workspace=..., npm_config_workspaces=true
        if key.lower().startswith("npm_config_workspace") and env[key]:
            raise ValueError(f"{key} makes npm run in other packages' folders")
    found = [
        os.path.join(folder, "node_modules", ".bin") for place in places for folder in upward(place)
    ]
    return list(dict.fromkeys(os.path.normpath(f) for f in found))
