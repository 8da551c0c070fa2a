"""Write scripts/uv-cli-probe-<version>.json: the options each uv command takes that its help hides.

uv's help leaves out options clap marks `hide = true` (global ones such as `--python-preference`,
`--python-fetch`, and per command ones such as `uv sync --dev`, `uv tool install --from`). Red
team 15 R15-14: a valued option Warden did not know made its value read as uvx's TOOL, and the
index options after it as the tool's own words. Warden reads each uv command deny by default
(schema/uv-cli.json ``by_command``), so every option uv takes must be listed or an ordinary
line is refused. This asks the real uv, offline and without any configuration, about every
option name any uv help lists (and the hidden global ones in uv's source, GlobalArgs), one by
one per command: clap answers "unexpected argument" (not an option of that command), "a value
is required" (valued), or goes on (a flag). scripts/uv-cli-table.py merges the answers with the
help. Run with the uv of VERSION in scripts/uv-cli-table.py:

    python scripts/uv-cli-probe.py /path/to/uv
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
TABLE = __import__("uv-cli-table")

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def candidates() -> list:
    help_text = TABLE.HELP.read_text(encoding="utf-8")
    names = {"-" + c for c in _LETTERS}
    names |= set(TABLE.HIDDEN_GLOBAL_VALUED) | set(TABLE.HIDDEN_GLOBAL_FLAGS) | set(TABLE.ALIASES)
    names |= set(TABLE.HIDDEN_SPELLINGS)
    for line in help_text.splitlines():
        m = TABLE._OPTION.match(line)
        if m:
            names.update(n for n in (m.group(1), m.group(2)) if n)
    run_table = json.loads((ROOT / "schema" / "uv-run-cli.json").read_text(encoding="utf-8"))
    names |= set(run_table["valued"]) | set(run_table["flags"])
    return sorted(names)


def kind(uv: str, command: list, option: str, home: str):
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "UV_NO_CONFIG": "1", "UV_OFFLINE": "1"}
    err = subprocess.run(
        [uv, *command, option], capture_output=True, text=True, env=env, cwd=home, timeout=60
    ).stderr
    if "unexpected argument" in err:
        return None
    return "valued" if "a value is required" in err else "flag"


def probe(uv: str) -> dict:
    version = subprocess.run([uv, "--version"], capture_output=True, text=True).stdout.split()[1]
    assert version == TABLE.VERSION, f"{uv} is uv {version}, the tables are for {TABLE.VERSION}"
    commands = [h.strip() for h in TABLE.HELP.read_text(encoding="utf-8").split("### ")[1:]]
    commands = [c.partition("\n")[0].split()[1:] for c in commands]
    out = {}
    with tempfile.TemporaryDirectory() as home:
        for command in commands:
            answers = {o: kind(uv, command, o, home) for o in candidates()}
            out["uv " + " ".join(command)] = {
                "valued": sorted(o for o, k in answers.items() if k == "valued"),
                "flags": sorted(o for o, k in answers.items() if k == "flag"),
            }
    return out


if __name__ == "__main__":
    data = probe(sys.argv[1])
    path = ROOT / "scripts" / f"uv-cli-probe-{TABLE.VERSION}.json"
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
