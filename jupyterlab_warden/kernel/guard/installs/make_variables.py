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
  or paste into the same shell line (``builtin_names``: make's own list, generated from
  ``make -p`` by scripts/make-builtin-variables.py, red team 16 R16-2; and
  ``shell_variable_names``: MAKE, any ``*FLAGS``, any name with ``.`` or ``,``), is shell text
  the line's reading reads;
- an assignment to a variable make itself runs or reads (``refused_names``: SHELL, MAKESHELL,
  MAKEFILES, ``.SHELLFLAGS`` and every ``.NAME``) is refused, by NAME, whatever the operator
  (``::=``, ``:::=``, R16-3); the environment's names are read by the same rules (make imports
  ``LINK.c`` and ``.SHELLFLAGS`` from it), but for those make does not import
  (``environment_ignored``: SHELL) or that name nothing a rule reads (bash's ``BASH_FUNC_f%%``).

MAKEFLAGS is split as make splits it (``flag_words``) and every word is read with the getopt
model: ``X=1 --eval=TEXT`` is an assignment and an option (R16-13).

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
    builtin = set(rules.get("builtin_names", ()))
    refused_names = re.compile(rules.get("refused_names", "(?!)"))
    ignored = re.compile(rules.get("environment_ignored", "(?!)"))
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
            if origin and (ignored.search(name) or name in spec.get("option_variables", ())):
                continue  # make does not import SHELL; MAKEFLAGS is read as options
            if refused_names.search(name):
                return (f"{origin}variable {name!r} (make runs its recipes or reads makefiles "
                        "by it)"), []  # fmt: skip
            if re.search(pattern, value):
                # the name only: an environment value may be a secret (no value in events)
                return (f"{origin}variable {name!r} (a make or shell expansion in the "
                        "value, which make or its recipes run)"), []  # fmt: skip
            if found.group("op") == "!=" or name in builtin or program_names.search(name):
                texts.append(value)
    return "", texts


def imported(spec: dict, name: str) -> bool:
    """Whether make reads an environment variable of this name as shell text or refuses it
    (red team 16 R16-2, R16-3): the start's environment keeps it for ``read``."""
    rules = spec.get("variable_assignments")
    return (
        bool(rules)
        and not re.search(rules.get("environment_ignored", "(?!)"), name)
        and (
            name in rules.get("builtin_names", ())
            or bool(re.search(rules["shell_variable_names"], name))
            or bool(re.search(rules.get("refused_names", "(?!)"), name))
        )
    )


def flag_words(value: str) -> List[str]:
    """MAKEFLAGS' words as make splits them (main.c decode_env_switches): at blanks, a
    backslash making the next character its own (``\\ `` a blank inside a word); a first word
    with no ``-`` and no ``=`` is single-letter flags. Every word is then read with the getopt
    model: options after an assignment are still options (red team 16 R16-13)."""
    words, word, k, started = [], [], 0, False
    while k < len(value):
        char = value[k]
        if char == "\\" and k + 1 < len(value):
            k += 1
            word.append(value[k])
            started = True
        elif char in " \t":
            if started:
                words.append("".join(word))
            word, started = [], False
        else:
            word.append(char)
            started = True
        k += 1
    if started:
        words.append("".join(word))
    if words and not words[0].startswith("-") and "=" not in words[0]:
        words[0] = "-" + words[0]  # MAKEFLAGS=ks: make's single-letter flags
    return words
