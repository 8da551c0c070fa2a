"""Write schema/uv-cli.json: the options of the uv commands Warden reads, from uv's own help.

Warden reads uv's command lines as clap does (installs/arguments.py, src/deps/installers.ts):
an option Warden did not know was read as a flag, so its value became one more word and a
file it names was never read (red team 9 R9-3: `uv pip install --requirements r.txt`, uv's own
spelling, installed what r.txt named; `--overrides`, `--with-executables-from` likewise). Both
sides take the table from this one file: `valued` and `flags` are every option the help of
those commands lists (an option valued in one command and a flag in another is in both), and
`aliases` maps the spellings clap hides from the help (probed one by one against that uv: it
took them) to the name Warden's readers use, and `by_command` is each command's own closed
set (its help and the options the real uv takes that the help hides). `uv run` has its own
table (uv-run-cli.json).
Regenerate for a newer uv:

    for c in ...COMMANDS...; do echo "### uv $c"; uv $c --help; done > scripts/uv-cli-help-<v>.txt
    python scripts/uv-cli-probe.py "$(command -v uv)"   # the options the help hides
    python scripts/uv-cli-table.py            # writes schema/uv-cli.json
    python scripts/uv-cli-table.py --check    # exit 1 when the file differs

tests/deps/test_install_reading.py runs the check.
"""

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VERSION = "0.13.9"
HELP = ROOT / "scripts" / f"uv-cli-help-{VERSION}.txt"
OUT = ROOT / "schema" / "uv-cli.json"
PROBED = ROOT / "scripts" / f"uv-cli-probe-{VERSION}.json"
# hidden spellings uv 0.13.9 accepts (each probed: `uv pip install ALIAS x` parsed), and the
# one Warden reads: its readers name the file options `--requirement`, `--constraint`,
# `--override`, `--build-constraints`; `--with-executables-from` installs packages as `--with`
ALIASES = {
    "--requirements": "--requirement",
    "--constraints": "--constraint",
    "--overrides": "--override",
    "--build-constraint": "--build-constraints",
    "--excludes": "--exclude",
    "--config-settings": "--config-setting",
    "--with-executables-from": "--with",
}
# uv's global options hidden from the help (uv's source, crates/uv-cli GlobalArgs `hide =
# true`): asked about too (scripts/uv-cli-probe.py), as they are in no help text (red team 15
# R15-14: `uvx --python-preference system --index-url EVIL --from torcj ...` read `system` as
# the tool)
HIDDEN_GLOBAL_VALUED = ("--python-preference", "--preview-features", "--preview-feature",
                        "--python-fetch")  # fmt: skip
# clap `alias` spellings of uv's source that no help shows (the hidden ones Warden's readers
# rename are ALIASES): asked about as the hidden options are
HIDDEN_SPELLINGS = ("--trusted-host",)
# pip-tools' spellings (uv's crates/uv-cli compat.rs and the hidden negations of pip-compile's
# options) asked about as pip's are (arguments.PIP_LONG): red team 50a R50a-1
PIP_TOOLS_SPELLINGS = (
    "--allow-unsafe", "--no-allow-unsafe", "--reuse-hashes", "--no-reuse-hashes", "--resolver",
    "--max-rounds", "--client-cert", "--emit-trusted-host", "--no-emit-trusted-host", "--config",
    "--emit-options", "--no-emit-options", "--pip-args", "--strip-extras", "--strip-markers",
    "--ask", "--python-executable", "--outdated", "--build-isolation", "--annotate",
    "--header", "--emit-index-url", "--no-emit-index-url",
)  # fmt: skip
# option values a hidden flag may stand for (scripts/uv-cli-probe.py compares its change to
# the settings with theirs): pip's `--pre` is uv's `--prerelease allow`
MEANING_VALUES = (("--prerelease", "allow"),)
# hidden flags that stand for an option with a value, and how Warden reads them: a flag the
# probe finds meaning anything else is left out (refused). preference.note reads uv's `--pre`
# as enabling pre-releases, as `--prerelease allow`.
READ_AS = {"--pre": "--prerelease allow"}
# pip-tools' valued options uv takes only to refuse them (compat.rs: "unsupported"), which
# would name where packages come from (pip's own options, a pip-tools config file): Warden
# does not read them, and refuses them with this reason rather than pass them to uv unread
REFUSED = {
    "--pip-args": "uv option --pip-args (pip-tools' options for pip) is refused: Warden does "
    "not read them (and uv rejects it); give the options to uv itself",
    "--config": "uv option --config (a pip-tools config file) is refused: Warden does not "
    "read it (and uv rejects it); give its settings as uv options or use --config-file",
}
HIDDEN_GLOBAL_FLAGS = (
    "--allow-python-downloads", "--no-color", "--native-tls", "--no-native-tls",
    "--no-system-certs", "--no-offline", "--preview", "--no-preview", "--isolated",
    "--show-settings", "--no-installer-metadata",
)  # fmt: skip
# `-s, --script  Run the given path as a Python script`; `-p, --python <PYTHON>`
_OPTION = re.compile(r"^\s+(?:(-[A-Za-z]), )?(--[a-z0-9-]+)(?: <[A-Z_]+>|(\.\.\.))?(?:\s|$)")
_VALUED = re.compile(r"^\s+(?:-[A-Za-z], )?--[a-z0-9-]+ <")


def listed(body: str) -> set:
    """The option names the help ``body`` of one command lists."""
    names = set()
    for line in body.splitlines():
        m = _OPTION.match(line)
        if m:
            names.update(n for n in (m.group(1), m.group(2)) if n)
    return names


def _kept(flag: str, meaning: str) -> bool:
    """Whether a hidden flag is one Warden reads: no effect, an alias of a flag, or a value
    Warden reads it as (``READ_AS``); one whose effect no option has is left out (refused)."""
    if meaning == "" or (meaning.startswith("=") and " " not in meaning):
        return True
    return meaning == "=" + READ_AS.get(flag, "")


def _options(body: str, probed: dict) -> tuple:
    """``(valued, flags)`` of one command: its help, and what the real uv answered when asked
    about each option any help lists (``probed``, scripts/uv-cli-probe.py: the options clap
    hides, global or this command's own, and the hidden spellings this command takes), less
    the hidden flags whose effect the probe could not name and the ``REFUSED`` ones."""
    meanings = probed.get("meanings", {})
    valued = set(probed["valued"]) - set(REFUSED)
    flags = {f for f in probed["flags"] if _kept(f, meanings.get(f, ""))} - set(REFUSED)
    for line in body.splitlines():
        m = _OPTION.match(line)
        if m:
            names = [n for n in (m.group(1), m.group(2)) if n]
            (valued if _VALUED.match(line) else flags).update(names)
    return valued, flags


def table(help_text: str) -> dict:
    """The union of every command's options (``valued``, ``flags``: an option valued in one
    command and a flag in another is in both), and each command's own (``by_command``: red
    team 15 R15-14, uv's option set is closed per command, so Warden reads each command's
    options deny by default: an option word in neither of its sets is refused; ``uvx`` is
    ``uv tool run``)."""
    probed = json.loads(PROBED.read_text(encoding="utf-8"))
    valued, flags, commands, by_command = set(), set(), [], {}
    aliases = dict(ALIASES)
    for own in probed.values():  # a hidden flag with the effect of one flag is its alias
        for flag, meaning in own.get("meanings", {}).items():
            if meaning.startswith("=") and " " not in meaning:
                assert aliases.setdefault(flag, meaning[1:]) == meaning[1:], (flag, meaning)
    for section in help_text.split("### ")[1:]:
        head, _, body = section.partition("\n")
        commands.append(head.strip())
        own_valued, own_flags = _options(body, probed[head.strip()])
        valued |= own_valued
        flags |= own_flags
        by_command[head.strip()] = {"valued": sorted(own_valued), "flags": sorted(own_flags)}
    # `uvx` is `uv tool run` with uv's own -V/--version (probed like the others)
    by_command["uvx"] = {
        "valued": by_command["uv tool run"]["valued"],
        "flags": sorted(set(by_command["uv tool run"]["flags"]) | {"-V", "--version"}),
    }
    return {
        "$comment": "Generated by scripts/uv-cli-table.py from the help of the uv commands "
        "Warden reads and the spellings uv hides from it; do not edit.",
        "uv": VERSION,
        "commands": commands,
        "valued": sorted(valued),
        "flags": sorted(flags),
        "aliases": dict(sorted(aliases.items())),
        "refused": REFUSED,
        "by_command": by_command,
    }


def text() -> str:
    return json.dumps(table(HELP.read_text(encoding="utf-8")), indent=1) + "\n"


if __name__ == "__main__":
    if "--check" in sys.argv[1:]:
        sys.exit(0 if OUT.read_text(encoding="utf-8") == text() else 1)
    OUT.write_text(text(), encoding="utf-8")
