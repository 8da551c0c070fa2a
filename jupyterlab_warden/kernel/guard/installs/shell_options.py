"""A shell's command line read as bash and dash read it (red team 14 R14-33).

bash: GNU long options first (``--norc``, also ``-norc``; ``--rcfile F``/``--init-file F``
take the next word), then option words starting with ``-`` or ``+`` whose letters are flags,
``c`` (command mode, in either sign), or ``o``/``O`` taking the NEXT word as an option name
(``-eo pipefail``, ``-co pipefail TEXT``). A lone ``-`` or ``--`` ends the options. The
command string of ``-c`` is the first operand after ALL option words (``sh -c -- TEXT``,
``bash -c -x TEXT``); without ``-c`` that operand is the script file. dash's grammar is the
same without long options. A word Warden cannot place (an unknown letter or long option) is
unreadable: the shell itself refuses it, so refusing loses nothing and guesses nothing.
"""

from dataclasses import dataclass, field
from typing import List, Optional

# bash 5.2 `bash --help` (the two valued ones take the next word, never `=`)
BASH_LONG = frozenset((
    "debug", "debugger", "dump-po-strings", "dump-strings", "help", "login", "noediting",
    "noprofile", "norc", "posix", "pretty-print", "protected", "restricted", "verbose",
    "version", "wordexp",
))  # fmt: skip
BASH_LONG_VALUED = frozenset(("rcfile", "init-file"))
# set's letters of bash and dash, plus the start-only ones (bash -ilrsD, dash -ilsqVEbpI)
FLAG_LETTERS = frozenset("abefhkmnptuvxBCEHPTilrsDIqVlE")
VALUED_LETTERS = frozenset("oO")  # -o NAME (set -o), -O NAME (shopt)


class UnknownOption(ValueError):
    """An option word the shell's grammar gives no meaning Warden models."""


@dataclass
class ShellStart:
    command: bool = False  # -c: the first operand is the command string
    operand: Optional[int] = None  # index (in the args given) of the first operand
    options: List[str] = field(default_factory=list)  # "-k", "+x", "-o keyword", in order
    startup_files: List[str] = field(default_factory=list)  # --rcfile / --init-file values

    def on(self, letter: str, name: Optional[str] = None) -> bool:
        """Whether the option (``-LETTER`` or ``-o NAME``) is on after all words, last wins."""
        state = False
        for item in self.options:
            if item[1:] == letter or (name is not None and item[1:] == f"o {name}"):
                state = item[0] == "-"
        return state


def parse(args: List[str], long_options: bool = True) -> ShellStart:
    """Read ``args`` (the words after the shell's name, or after ``set``) as options and find
    the first operand. Raises UnknownOption for a word the grammar does not place."""
    start = ShellStart()
    i = 0
    while long_options and i < len(args) and args[i].startswith("-") and args[i] != "--":
        word = args[i]
        name = word[2:] if word.startswith("--") else word[1:]
        if name in BASH_LONG_VALUED:
            start.startup_files.append(args[i + 1] if i + 1 < len(args) else "")
            i += 2
        elif name in BASH_LONG:
            i += 1
        elif word.startswith("--"):
            raise UnknownOption(word)
        else:
            break  # a short option word (bash: "Maybe flag arg.")
    while i < len(args):
        word = args[i]
        i += 1
        if word in ("-", "--"):
            break
        if word[:1] not in ("-", "+"):
            i -= 1
            break
        sign = word[0]
        pending = []  # `-oO a b`: each valued letter takes the next word, in order
        for letter in word[1:]:
            if letter == "c":
                start.command = True
            elif letter in VALUED_LETTERS:
                pending.append(letter)
            elif letter in FLAG_LETTERS:
                start.options.append(sign + letter)
            else:
                raise UnknownOption(word)
        for letter in pending:
            value = args[i] if i < len(args) else ""
            i += 1
            start.options.append(f"{sign}{letter} {value}")
    start.operand = i if i < len(args) else None
    return start
