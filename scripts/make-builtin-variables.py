"""Write make's built-in variable names into schema/shell-runners.json (red team 16 R16-2).

With no Makefile (or a makefile that relies on them) GNU make's built-in rules run recipes made
of variables (``$(CC) $(CFLAGS) -c``, ``$(GET) $(GFLAGS) $(SCCS_OUTPUT_OPTION) $<``), so a
command-line, MAKEFLAGS or environment assignment to any of them is shell text. A hand list
missed SCCS_OUTPUT_OPTION; this list is make's own: every variable a built-in recipe
references, and recursively every variable those variables' values reference (MAKE ->
MAKE_COMMAND), read from ``make -p -f /dev/null`` (the built-in database) in an empty folder.
Warden reads the value of each as shell text (installs/make_variables.py,
src/deps/shellrunners.ts ``makeVariables``). Regenerate when the pinned make changes:

    python scripts/make-builtin-variables.py            # rewrites the make entry's list
    python scripts/make-builtin-variables.py --check    # exit 1 when the file differs

tests/deps/test_redteam16_code.py runs the check against the make on PATH.
"""

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "schema" / "shell-runners.json"
_DEFINITION = re.compile(
    r"^(?:override |export )*([^\s:#=!?+]+)\s*(?::::=|::=|:=|\+=|\?=|!=|=)(.*)$"
)
# $(NAME), ${NAME}, $(NAME:a=b), $(CHECKOUT,v): a reference (a function call has a blank after
# its name)
_REFERENCE = re.compile(r"\$[({]([^\s:=(){}$]+)[)}:]")


def builtin_names() -> list:
    with tempfile.TemporaryDirectory() as empty:
        database = subprocess.run(
            ["make", "-p", "-f", "/dev/null"],
            cwd=empty,
            capture_output=True,
            text=True,
            env={"PATH": "/usr/bin:/bin", "LC_ALL": "C"},
        ).stdout
    values, recipes = {}, []
    for line in database.splitlines():
        if line.startswith("\t"):
            recipes.append(line)
        elif not line.startswith("#"):
            found = _DEFINITION.match(line)
            if found:
                values[found.group(1)] = found.group(2)
    names = set()
    todo = [n for line in recipes for n in _REFERENCE.findall(line)]
    while todo:
        name = todo.pop()
        if name not in names and len(name) > 1:  # $@ $< $* are automatic, not settable
            names.add(name)
            todo += _REFERENCE.findall(values.get(name, ""))
    return sorted(names)


def text() -> str:
    table = json.loads(OUT.read_text(encoding="utf-8"))
    table["programs"]["make"]["variable_assignments"]["builtin_names"] = builtin_names()
    return json.dumps(table, indent=1, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        sys.exit(0 if OUT.read_text(encoding="utf-8") == text() else 1)
    OUT.write_text(text(), encoding="utf-8")
