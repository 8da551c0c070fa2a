"""Writes src/analyzer/testdata/script-magic-heads.json: `%%script`-family cell heads with how
the kernel guard reads their body (red team 8 R8-18): IPython 9's own parser
(`ScriptMagics.shebang.parser.parse_known_args`, as `shebang` calls it) gives the program's argv,
and the guard's `commands.stdin_reader` names what reads the body: "shell" (read as a shell
script), null (a bare Python: its own guard decides) or "stdin" (any other program, or a Python
with options or wrappers: refused when it names an installer). ipython.spec.ts checks
maskIPython against it. Run from the repository root with PYTHONPATH=$PWD:
    python scripts/script-magic-heads.py
"""

import itertools
import json
from pathlib import Path

import IPython
from IPython.core.magics.script import ScriptMagics
from IPython.utils.process import arg_split

from jupyterlab_warden.kernel.guard.installs import commands

OUT = Path(__file__).resolve().parents[1] / "src/analyzer/testdata/script-magic-heads.json"
NAMES = ["script", "bash", "sh", "perl", "python3"]
OPTIONS = ["", "--bg", "--no-raise", "--proc p", "--out=o", "--e e", "-e"]
PROGRAMS = ["", "bash", "/bin/sh", "env bash", "/usr/bin/env -i bash", "busybox sh", "sudo -E dash"]
PROGRAMS += ["python3", "python3 -I", "env python3", "perl", "ruby -w", "zsh -e", "'/bin/bash'"]


def reader(cmd):
    try:
        kind = commands.stdin_reader(cmd)
    except commands.Unreadable:
        return "stdin"
    if kind == "python":
        return None if len(cmd) == 1 else "stdin"
    return "shell" if kind == "shell" else "stdin"


def main() -> None:
    parser = ScriptMagics.shebang.parser
    cases = []
    for name, option, program in itertools.product(NAMES, OPTIONS, PROGRAMS):
        if name != "script" and program not in ("", "-e"):
            program = ""  # `%%bash ARGS`: the named magic's own program first
        line = " ".join(w for w in (option, program) if w)
        full = line if name == "script" else " ".join(w for w in (name, line) if w)
        if not full:
            continue
        try:
            _, cmd = parser.parse_known_args(arg_split(full, posix=True))
        except BaseException:  # noqa: BLE001, S112 - IPython refuses the head: nothing runs
            continue
        if not cmd:
            continue
        head = f"%%{name} {line}".rstrip()
        if head not in (c["head"] for c in cases):
            cases.append({"head": head, "argv": cmd, "reader": reader(cmd)})
    doc = {"description": __doc__, "ipython": IPython.__version__, "cases": cases}
    OUT.write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    main()
