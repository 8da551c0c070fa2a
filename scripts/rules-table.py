#!/usr/bin/env python3
"""Print the built-in policy rule by rule as a Markdown table, from the contracts themselves.

    python scripts/rules-table.py                      # print the table
    python scripts/rules-table.py --write docs/admin-guide.md   # replace the table in a doc
    python scripts/rules-table.py --check docs/admin-guide.md   # exit 1 if the doc is stale

The table sits between ``<!-- rules-table:begin -->`` and ``<!-- rules-table:end -->`` in the
doc, so the doc never repeats rule metadata by hand (schema/rules.json is its one source).
The "built-in" column is what schema/default-policy.json decides: its own rule setting, else
its ``default_action``, else the catalog's action (the order jupyterlab_warden.lab.policy uses).
Standard library only, so it runs before anything is installed.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- rules-table:begin -->", "<!-- rules-table:end -->"


def load(name: str) -> dict:
    with open(ROOT / "schema" / name, encoding="utf-8") as fh:
        return json.load(fh)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(catalog: dict, policy: dict) -> str:
    header = (
        "rule",
        "layer",
        "severity",
        "catalog action",
        "built-in policy",
        "what it flags",
        "references",
    )
    rows = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    settings = policy.get("rules") or {}
    dups = set(duplicate_ids(catalog))
    for rule in catalog["rules"]:
        setting = settings.get(rule["id"]) or {}
        built_in = setting.get("action") or policy.get("default_action") or rule["action"]
        severity = setting.get("severity") or rule["severity"]
        refs = rule.get("references") or {}
        ref_text = ", ".join(refs.get("cwe", []) + refs.get("cve", []) + refs.get("ghsa", []))
        mark = " †" if rule["id"] in dups else ""
        shown = built_in if built_in == rule["action"] else f"**{built_in}**"
        cells = (
            f"`{rule['id']}`{mark}",
            rule["layer"],
            severity,
            rule["action"],
            shown,
            _cell(rule["title"]),
            ref_text,
        )
        rows.append("| " + " | ".join(cells) + " |")
    if dups:
        rows.append("")
        rows.append("† This id names more than one catalog entry (see the note below the table).")
    return "\n".join(rows) + "\n"


def duplicate_ids(catalog: dict) -> list:
    seen, dups = set(), []
    for rule in catalog["rules"]:
        if rule["id"] in seen:
            dups.append(rule["id"])
        seen.add(rule["id"])
    return dups


def splice(doc: str, generated: str) -> str:
    start, end = doc.find(BEGIN), doc.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"markers {BEGIN} ... {END} not found")
    return doc[: start + len(BEGIN)] + "\n" + generated + doc[end:]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", metavar="DOC", help="replace the table between the markers")
    group.add_argument("--check", metavar="DOC", help="exit 1 if the table in DOC is stale")
    args = parser.parse_args(argv)
    catalog = load("rules.json")
    generated = table(catalog, load("default-policy.json"))
    for rule_id in duplicate_ids(catalog):
        # Two catalog entries under one id: a policy setting for it applies to both, and
        # readers keyed by id keep only the last entry's defaults.
        print(f"warning: rule id {rule_id!r} appears more than once in rules.json", file=sys.stderr)
    if args.write:
        path = Path(args.write)
        path.write_text(splice(path.read_text(encoding="utf-8"), generated), encoding="utf-8")
    elif args.check:
        path = Path(args.check)
        text = path.read_text(encoding="utf-8")
        if splice(text, generated) != text:
            print(
                f"{path}: rules table is stale; run scripts/rules-table.py --write {path}",
                file=sys.stderr,
            )
            return 1
    else:
        sys.stdout.write(generated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
