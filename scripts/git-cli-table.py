"""Write schema/git-cli.json: the options of the git subcommands notebooks run (keys18).

Warden read git's subcommand options with one table for every subcommand and a deny list of
the ones that run a command (grep -O, daemon --access-hook...): an option it did not know was
data, and its value's place was a guess (`git push -u` is a flag, `git clone -u` a program).
This table is each subcommand's OWN option set, from `git CMD --help-all` (parse-options prints
every option it takes), for the subcommands whose `-h` is complete (parse-options only: log, diff
and show take the revision and diff options, which `-h` does not list, and stay on the one
table). After such a subcommand an option is read with that subcommand's table only, and one
it does not list is refused (deny by default). Each option is a flag, valued (the next word or
`=VALUE`) or optional (`=VALUE` attached only), and the reviewed lists below mark the ones
whose value git runs (shell text), that bring code Warden does not read (refused), that are a
setting (`clone -c KEY=VALUE`), or whose value must be on a closed list (a merge strategy
names a program, git-merge-<name>). An option the help describes as running something
(RUNS_WORDS) that no list names is refused. Regenerate when the pinned git changes:

    python scripts/git-cli-table.py            # rewrites schema/git-cli.json
    python scripts/git-cli-table.py --check    # exit 1 when the file differs

tests/deps/test_redteam17_keys.py runs the check against the git on PATH.
"""

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "schema" / "git-cli.json"
GIT_VERSION = "2.39.5"

# parse-options subcommands whose -h lists every option they take
SUBCOMMANDS = (
    "add am apply archive branch checkout cherry-pick clean clone commit describe fetch gc init "
    "ls-files ls-remote merge mv pull push rebase reset restore revert rm status switch tag"
).split()

# reviewed: options whose value git runs as a command (through the shell, or as a program)
SHELL = {
    "clone": ["-u", "--upload-pack"],
    "fetch": ["--upload-pack"],
    "pull": ["--upload-pack"],
    "push": ["--receive-pack", "--exec"],
    "ls-remote": ["--upload-pack", "--exec"],
    "archive": ["--exec"],
    "rebase": ["-x", "--exec"],
}
# reviewed: options that bring code Warden does not read (a template folder's hooks, an
# editor on the open files)
REFUSED = {
    "clone": ["--template"],
    "init": ["--template"],
}
# reviewed: options whose value is a KEY=VALUE setting (read by the setting key table)
SETTING = {"clone": ["-c", "--config"]}
# reviewed: options whose value names a program unless it is on a closed list (git runs
# git-merge-<strategy> from its exec path or PATH for a strategy it does not build in)
STRATEGIES = "ort|recursive|resolve|octopus|ours|subtree"
VALUES = {
    sub: {"-s": STRATEGIES, "--strategy": STRATEGIES}
    for sub in ("merge", "pull", "rebase", "cherry-pick", "revert")
}
# reviewed: the help mentions a command or a program, and the option is data
DATA = {
    "add": ["--chmod"],
    "am": ["--quoted-cr", "--show-current-patch"],
    "rebase": ["--reschedule-failed-exec", "--no-verify"],
    "commit": ["-v", "--verbose", "-t", "--template", "--status", "--no-post-rewrite"],
    "push": ["--no-verify"],
}

# reviewed: commands git does not build in nor install in its exec path that notebooks run
# (`git lfs install`): git runs git-NAME from PATH for them, the machine's program
EXTERNAL = ["lfs"]


def own_commands() -> list:
    """git's own commands (red team 18 R18-1): built in, or programs in its exec path, which
    git finds before PATH; for any other NAME `git NAME` runs git-NAME from PATH."""
    with tempfile.TemporaryDirectory() as empty:
        env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "HOME": empty, "GIT_CONFIG_NOSYSTEM": "1"}
        done = subprocess.run(
            ["git", "--list-cmds=builtins,main"], capture_output=True, text=True, env=env,
            check=True,
        )  # fmt: skip
    return sorted(set(done.stdout.split()) | set(EXTERNAL))


# the help says the option runs (or names) a program
RUNS_WORDS = re.compile(
    r"\b(command|program|exec\w*|hook|helper|editor|pager|shell|script|template|driver|path to)\b",
    re.I,
)
# `    -j, --jobs <n>   text`: the spellings, then a value: ` <v>`/` (a|b)` (required) or `[=...]`
_LINE = re.compile(r"^ {4}(-\S.*?)(?: {2,}(.*))?$")
_SPELLING = re.compile(r"^(--?[A-Za-z0-9][\w-]*|-NUM)(\[=?.*\]|=.*| <.*>| \(.*\)| \S.*)?$")


def _help(sub: str) -> str:
    # --help-all: -h leaves out the options parse-options hides (ls-remote --exec); some
    # subcommands read it only inside a repository
    with tempfile.TemporaryDirectory() as empty:
        env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "HOME": empty, "GIT_CONFIG_NOSYSTEM": "1"}
        subprocess.run(["git", "init", "-q"], cwd=empty, env=env, check=True)
        done = subprocess.run(
            ["git", sub, "--help-all"], capture_output=True, text=True, cwd=empty, env=env
        )
    return done.stdout + done.stderr


def options(sub: str) -> dict:
    """Option spelling -> ('flag' | 'valued' | 'optional', the help's text), as -h lists them;
    a long option also as its negation (`--no-X`, and `--X` for a listed `--no-X`), which
    parse-options accepts as a flag."""
    found, lines = {}, _help(sub).splitlines()
    for k, line in enumerate(lines):
        m = _LINE.match(line)
        if not m:
            continue
        text = m.group(2) or (lines[k + 1].strip() if k + 1 < len(lines) else "")
        spellings = [_SPELLING.match(w.strip()) for w in m.group(1).split(", ")]
        assert all(spellings), f"git {sub} --help-all: {line!r}"
        value = spellings[-1].group(2) or ""  # `-s, --strategy <s>`: the value is both's
        kind = "optional" if value.startswith("[") else "valued" if value else "flag"
        for spelled in spellings:
            found[spelled.group(1)] = (kind, text)
    for name in [n for n in found if n.startswith("--")]:
        other = "--" + name[5:] if name.startswith("--no-") else "--no-" + name[2:]
        found.setdefault(other, ("flag", ""))  # no help text of its own
    return found


def table(sub: str) -> dict:
    listed = options(sub)
    marked = {
        "shell": SHELL.get(sub, []),
        "refused": REFUSED.get(sub, []),
        "setting": SETTING.get(sub, []),
        "data": DATA.get(sub, []) + list(VALUES.get(sub, {})),
    }
    for names in marked.values():
        stale = [n for n in names if n not in listed]
        assert not stale, f"git {sub}: reviewed options --help-all does not list: {stale}"
    reviewed = {n for names in marked.values() for n in names}
    runs = sorted(
        n for n, (_kind, text) in listed.items()
        if n not in reviewed and RUNS_WORDS.search(text)
    )  # fmt: skip
    entry = {
        "flags": sorted(n for n, (kind, _t) in listed.items() if kind == "flag"),
        "valued": sorted(n for n, (kind, _t) in listed.items() if kind == "valued"),
        "optional": sorted(n for n, (kind, _t) in listed.items() if kind == "optional"),
        "shell": marked["shell"],
        "refused": sorted(marked["refused"] + runs),
        "setting": marked["setting"],
    }
    if sub in VALUES:
        entry["values"] = VALUES[sub]
    return {k: v for k, v in entry.items() if v}


def text() -> str:
    version = subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.split()
    assert version[-1] == GIT_VERSION, (
        f"git is {version[-1]}, the table is for {GIT_VERSION}: review the lists and regenerate"
    )
    document = {
        "description": (
            "GENERATED by scripts/git-cli-table.py from `git CMD --help-all` of git "
            f"{GIT_VERSION}: each subcommand's own options (flags, valued: the next word or "
            "=VALUE, optional: "
            "=VALUE attached only) and the ones whose value git runs (shell: read as shell "
            "text), that are refused, that are a KEY=VALUE setting, or whose value must match "
            "a closed list (values: a merge strategy names git-merge-<name>). After one of "
            "these subcommands an option it does not list is refused (deny by default; "
            "keys18). Read by jupyterlab_warden/kernel/guard/installs/shell_runners.py and "
            "src/deps/shellrunners.ts through schema/shell-runners.json's git "
            "`subcommand_tables`. commands: git's own commands (`git --list-cmds=builtins,"
            "main`, and reviewed EXTERNAL ones): a first operand git does not list runs the "
            "program git-NAME from PATH, refused (red team 18 R18-1)."
        ),
        "git_version": GIT_VERSION,
        "subcommands": {sub: table(sub) for sub in SUBCOMMANDS},
        "commands": own_commands(),
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        sys.exit(0 if OUT.read_text(encoding="utf-8") == text() else 1)
    if sys.argv[1:] == ["--explain"]:
        for sub in SUBCOMMANDS:
            listed = options(sub)
            for name, (_kind, help_text) in listed.items():
                if RUNS_WORDS.search(help_text):
                    print(f"{sub:12} {name:28} {help_text}")
        sys.exit(0)
    OUT.write_text(text(), encoding="utf-8")
