"""make's variables that become shell text (red team 15 R15-12, R15-17).

GNU make expands some of its own variables with no makefile naming them (``VPATH``, ``GPATH``
build its search paths), so a command-line or MAKEFLAGS assignment ``VPATH=$(shell TEXT)`` runs
TEXT, and ``X!=TEXT`` (a shell assignment) runs TEXT at once; with no Makefile its built-in
rules run recipes made of variables (``$(CC) $(CFLAGS) -c x.c``), so ``CC='TEXT #'`` is the
recipe. make imports the environment as variables too. So, for a table entry with
``variable_assignments`` (schema/shell-runners.json's make):

- an assignment (line, MAKEFLAGS or environment) whose value holds a make or shell expansion
  (``variable_code``: ``$``, a backtick; the environment's ``$(``, ``${``, backtick) is text
  Warden cannot read: refused (``CC=gcc``, ``PREFIX=/usr/local`` still run);
- a ``!=`` assignment's value, and the value of a variable the built-in rules run as a program
  or paste into the same shell line (``shell_variable_names``: CC, CXX, LD, AR, ..., any
  ``*FLAGS``), is shell text the line's reading reads.

The static side's port is in src/deps/shellrunners.ts (``makeVariables``).
"""

import re
from typing import Dict, List, Tuple


def read(spec: dict, assignments: List[str], env: Dict[str, str]) -> Tuple[str, List[str]]:
    """(why the start is refused or '', the shell text it runs) of a make start's variable
    assignment operands and its environment."""
    rules = spec.get("variable_assignments")
    if not rules:
        return "", []
    assignment = re.compile(rules["assignment"])
    program_names = re.compile(rules["shell_variable_names"])
    texts = []
    for origin, pattern, words in (
        ("", rules["variable_code"], assignments),
        ("environment ", rules["environment_code"], [f"{k}={v}" for k, v in env.items()]),
    ):
        for word in words:
            found = assignment.match(word)
            if not found:
                continue
            name, value = found.group("name"), word[found.end() :]
            if origin and (
                not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name)
                or name in spec.get("option_variables", ())
            ):
                continue  # make cannot name it (BASH_FUNC_x%%); MAKEFLAGS is read as options
            if re.search(pattern, value):
                # the name only: an environment value may be a secret (no value in events)
                return (f"{origin}variable {name!r} (a make or shell expansion in the "
                        "value, which make or its recipes run)"), []  # fmt: skip
            if found.group("op") == "!=" or program_names.search(name):
                texts.append(value)
    return "", texts


def joined(words: List[str]) -> List[str]:
    """MAKEFLAGS' words with an assignment's value kept whole: make escapes its blanks, and
    reading the rest of the variable as the value reads no less than make runs."""
    for k, word in enumerate(words):
        if "=" in word and not word.startswith("-"):
            return words[:k] + [" ".join(words[k:]).replace("\\ ", " ")]
    return words
