"""Write scripts/uv-cli-probe-<version>.json: the options each uv command takes that its help hides.

uv's help leaves out options clap marks `hide = true` (global ones such as `--python-preference`,
`--python-fetch`, and per command ones such as `uv sync --dev`, `uv tool install --from`). Red
team 15 R15-14: a valued option Warden did not know made its value read as uvx's TOOL, and the
index options after it as the tool's own words. Warden reads each uv command deny by default
(schema/uv-cli.json ``by_command``), so every option uv takes must be listed or an ordinary
line is refused. This asks the real uv, offline and without any configuration, about every
option name any uv help lists (and the hidden global ones in uv's source, GlobalArgs), one by
one per command: clap answers "unexpected argument" (not an option of that command), "a value
is required" (valued), or goes on (a flag). pip's and pip-tools' spellings are asked about too
(red team 50a R50a-1: clap hides the aliases uv takes for them, `uv pip install --pre`,
`--force-reinstall`, `--no-cache-dir`, `--compile`, and the compat options it takes to warn
about, `--disable-pip-version-check`, `--allow-unsafe`), so they were refused as unknown.

Such a flag (pip's or pip-tools' spelling, in no uv help) is then asked what it does: uv's
`--show-settings` prints the settings a command line resolves to, so the flag's change to them
is compared with each help-listed flag's (and the `MEANING_VALUES` option values): the same
change is an alias of that option, no change is a flag without effect
(`--disable-pip-version-check`, or the default spelled out), any other change is one Warden
cannot name (scripts/uv-cli-table.py leaves it out: refused).
scripts/uv-cli-table.py merges the answers with the help. Run with the uv of VERSION in
scripts/uv-cli-table.py:

    python scripts/uv-cli-probe.py /path/to/uv
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))
TABLE = __import__("uv-cli-table")

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def foreign() -> set:
    """pip's and pip-tools' spellings that are in no uv help nor in uv's hidden options Warden
    lists: the ones whose effect the probe asks uv about (``meanings``)."""
    from jupyterlab_warden.kernel.guard.installs.arguments import PIP_LONG

    ours = TABLE.listed(TABLE.HELP.read_text(encoding="utf-8"))
    ours |= set(TABLE.HIDDEN_GLOBAL_VALUED) | set(TABLE.HIDDEN_GLOBAL_FLAGS) | set(TABLE.ALIASES)
    return (set(PIP_LONG) | set(TABLE.PIP_TOOLS_SPELLINGS)) - ours - set(TABLE.HIDDEN_SPELLINGS)


def candidates() -> list:
    help_text = TABLE.HELP.read_text(encoding="utf-8")
    names = {"-" + c for c in _LETTERS}
    names |= set(TABLE.HIDDEN_GLOBAL_VALUED) | set(TABLE.HIDDEN_GLOBAL_FLAGS) | set(TABLE.ALIASES)
    names |= set(TABLE.HIDDEN_SPELLINGS) | foreign()
    for line in help_text.splitlines():
        m = TABLE._OPTION.match(line)
        if m:
            names.update(n for n in (m.group(1), m.group(2)) if n)
    run_table = json.loads((ROOT / "schema" / "uv-run-cli.json").read_text(encoding="utf-8"))
    names |= set(run_table["valued"]) | set(run_table["flags"])
    return sorted(names)


def _env(home: str) -> dict:
    return {"PATH": "/usr/bin:/bin", "HOME": home, "UV_NO_CONFIG": "1", "UV_OFFLINE": "1"}


def kind(uv: str, command: list, option: str, home: str):
    env = _env(home)
    err = subprocess.run(
        [uv, *command, option], capture_output=True, text=True, env=env, cwd=home, timeout=60
    ).stderr
    if "unexpected argument" in err:
        return None
    return "valued" if "a value is required" in err else "flag"


# the operands a command needs for `--show-settings` to print (a package, a requirements file)
_OPERANDS = {"pip install": ["x"], "pip sync": ["r.txt"], "pip compile": ["r.txt"],
             "add": ["x"], "remove": ["x"], "tool install": ["x"], "tool run": ["x"],
             "pip uninstall": ["x"], "pip show": ["x"], "tool uninstall": ["x"],
             "python uninstall": ["3.12"]}  # fmt: skip
_NOISE = ("tv_sec:", "tv_nsec:")  # the time uv read the settings at


def _settings(uv: str, command: list, words: list, home: str) -> frozenset:
    """The lines of uv's `--show-settings` for ``command`` with ``words`` (times left out)."""
    argv = [uv, *command, "--show-settings", *words, *_OPERANDS.get(" ".join(command), [])]
    out = subprocess.run(argv, capture_output=True, text=True, env=_env(home), cwd=home).stdout
    return frozenset(line for line in out.splitlines() if not line.strip().startswith(_NOISE))


def meanings(uv: str, command: list, hidden: list, shown: list, home: str) -> dict:
    """What each hidden flag of ``command`` does, by its change to the resolved settings:
    ``"=NAME"`` (the change ``NAME``, a flag the help lists or a ``MEANING_VALUES`` option
    with its value, makes), ``""`` (none) or ``"?"`` (one no such option makes)."""
    base = _settings(uv, command, [], home)
    if not base or base != _settings(uv, command, [], home):
        return {flag: "?" for flag in hidden}  # no settings printed, or not the same twice
    known = {}
    for words in [[f] for f in shown] + [list(v) for v in TABLE.MEANING_VALUES]:
        change = _settings(uv, command, words, home) ^ base
        if change:
            known.setdefault(change, " ".join(words))
    out = {}
    for flag in hidden:
        change = _settings(uv, command, [flag], home) ^ base
        out[flag] = "" if not change else "=" + known[change] if change in known else "?"
    return out


def probe(uv: str) -> dict:
    version = subprocess.run([uv, "--version"], capture_output=True, text=True).stdout.split()[1]
    assert version == TABLE.VERSION, f"{uv} is uv {version}, the tables are for {TABLE.VERSION}"
    commands = [h.strip() for h in TABLE.HELP.read_text(encoding="utf-8").split("### ")[1:]]
    commands = [c.partition("\n")[0].split()[1:] for c in commands]
    sections = TABLE.HELP.read_text(encoding="utf-8").split("### ")[1:]
    out = {}
    with tempfile.TemporaryDirectory() as home:
        Path(home, "r.txt").write_text("x\n", encoding="utf-8")
        for command, section in zip(commands, sections):
            answers = {o: kind(uv, command, o, home) for o in candidates()}
            flags = sorted(o for o, k in answers.items() if k == "flag")
            listed = TABLE.listed(section.partition("\n")[2])
            hidden = [f for f in flags if f in foreign()]
            shown = sorted(f for f in flags if f in listed and f.startswith("--"))
            out["uv " + " ".join(command)] = {
                "valued": sorted(o for o, k in answers.items() if k == "valued"),
                "flags": flags,
                "meanings": meanings(uv, command, hidden, shown, home),
            }
    return out


if __name__ == "__main__":
    data = probe(sys.argv[1])
    path = ROOT / "scripts" / f"uv-cli-probe-{TABLE.VERSION}.json"
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
