"""Which Python a pip program runs, read from its file before it starts (issue 20, red team 11
R11-20).

A pip the line leaves to its own guard (it decides the files a `git clone` wrote when it
starts) must be a Python that imports Warden's ``sitecustomize`` from the PYTHONPATH it
inherits and can run it (``guardless.hosts_guard``). After a PATH change (a venv's or a conda
env's bin put first, ``/usr/local/cuda/bin``) `pip` may be another program than the kernel's:
``interpreter_of`` names the Python that program runs, '' when Warden cannot tell (a shell
script, a binary, a shebang with options it would have to read).
"""

import os
import re
from typing import Callable, Optional

_PYTHON = re.compile(r"^python(\d+(\.\d+)?)?[dmu]?$")
# a pyenv shim, whole (pyenv 2.x writes every shim from this template; @ROOT@ is its root):
# pyenv runs the named program of the version it picks
_PYENV_SHIM = """#!/usr/bin/env bash
set -e
[ -n "$PYENV_DEBUG" ] && set -x

program="${0##*/}"

export PYENV_ROOT="@ROOT@"
SHIM_PATH=${0%/*}
if [[ $SHIM_PATH != "@ROOT@/shims" ]]; then
  export _PYENV_SHIM_PATH="$SHIM_PATH"
fi
exec "@ROOT@/libexec/pyenv" exec "$program" "$@"
"""
_PYENV_SHIM_TEXT = re.compile(
    re.escape(_PYENV_SHIM)
    .replace("@ROOT@", r"(?P<root>/[^\s\"$`\\]+)", 1)
    .replace("@ROOT@", "(?P=root)")
)
_SHEBANG = re.compile(r"^#![ \t]*(\S+)[ \t]*(.*?)[ \t]*$")
# the launcher pip's installer (distlib) writes for an interpreter path too long for a
# shebang: a sh script whose second line execs that Python on itself; whole, and no quote in
# a quoted path (Python reads the line as a string: a quote there would end it, and
# ``pip_process`` trusts a launcher of this form: red team 35 R35-7)
_LONG_SHEBANG = re.compile(r"^'''exec' (\"[^\"'$`\\]+\"|[^\s\"'$`\\]+) \"\$0\" \"\$@\"$")


def interpreter_of(program: str, find: Callable[[str], Optional[str]]) -> str:
    """The Python the program file at ``program`` runs: itself when named as a Python, the
    shim itself for a pyenv shim (``hosts_guard`` reads the version pyenv picks), else the
    interpreter of its shebang (``#!/usr/bin/env NAME`` found with ``find``, the start's
    PATH lookup); '' when Warden cannot tell."""
    if _PYTHON.match(os.path.basename(program)):
        return program
    try:
        with open(program, "rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
    except OSError:
        return ""
    if _PYENV_SHIM_TEXT.fullmatch(head):
        return program
    lines = head.split("\n")
    shebang = _SHEBANG.match(lines[0])
    if shebang is None:
        return ""  # a binary, or a script the shell runs: nothing says which Python
    interpreter, options = shebang.groups()
    if os.path.basename(interpreter) == "env":
        # `#!/usr/bin/env python3`; `env -S python -I` and the like are not read
        name = options.split()
        return (find(name[0]) or "") if len(name) == 1 and not name[0].startswith("-") else ""
    if interpreter in ("/bin/sh", "/usr/bin/sh") and not options and len(lines) > 1:
        long_form = _LONG_SHEBANG.match(lines[1].rstrip("\r"))
        return long_form.group(1).strip('"') if long_form else ""
    # an option (`-I`, `-S`, `-E`) may drop the guard: only a bare interpreter is read
    return "" if options else interpreter
