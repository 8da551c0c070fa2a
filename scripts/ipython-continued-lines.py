"""Writes src/analyzer/testdata/ipython-continued.json: notebook cells with `!`/`%` lines
continued by backslash-newlines (and near misses: `\\\\`, `\\ `, CRLF, a `\\` at the cell's
end) with the command strings IPython's own TransformerManager hands to `system`,
`getoutput` and `run_line_magic` for them. ipython.spec.ts checks maskIPython against it
(red team 7 R7-5, L-2). Run with a Python that has IPython:
    python scripts/ipython-continued-lines.py
"""

import ast
import json
import random
from pathlib import Path

import IPython
from IPython.core.inputtransformer2 import TransformerManager

OUT = Path(__file__).resolve().parents[1] / "src/analyzer/testdata/ipython-continued.json"
PREFIXES = ["!", "!!", "%pip ", "%sx ", "%system ", "x = !", "y = %sx ", "if True:\n    !"]
WORDS = ["pip install black", " -i http://h/simple", "echo", " # c", ' "a b"', " 'q'", "x", "  "]
WORDS += ["p"]
JOINTS = ["\\\n", " \\\n", "\\\\\n", "\\ \n", "\\\r\n", "\n", "\\\n\\\n"]
ENDS = ["", "\n", "\\\n", "\\", " \\\n  "]


def commands(python: str):
    """The command strings of the IPython calls in the transformed cell, in order."""
    out = []
    for node in ast.walk(ast.parse(python)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if name in ("system", "getoutput"):
                out.append(["shell", node.args[0].value, node.lineno, node.col_offset])
            elif name == "run_line_magic":
                magic, args = node.args[0].value, node.args[1].value
                out.append([magic, args, node.lineno, node.col_offset])
    return [c[:2] for c in sorted(out, key=lambda c: (c[2], c[3]))]


def main():
    rng = random.Random(7)  # noqa: S311 - reproducible test cells, not secrets
    manager = TransformerManager()
    cells = []
    seen = set()
    while len(cells) < 400:
        cell = rng.choice(PREFIXES)
        for _ in range(rng.randint(1, 4)):
            cell += rng.choice(WORDS) + rng.choice(JOINTS)
        cell += rng.choice(WORDS) + rng.choice(ENDS)
        if cell in seen:
            continue
        seen.add(cell)
        try:
            python = manager.transform_cell(cell)
            found = commands(python)
        except SyntaxError:
            continue  # IPython runs nothing for it
        cells.append({"cell": cell, "commands": found})
    doc = {
        "description": __doc__.split("\n\n")[0],
        "ipython": IPython.__version__,
        "cells": cells,
    }
    OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
