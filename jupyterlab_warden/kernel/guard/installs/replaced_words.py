"""Words a launcher fills with what it reads (red team 90 F1).

``xargs -I R`` (``-i``, ``--replace``, BSD ``-J``), ``find -exec/-execdir/-ok/-okdir`` (``{}``)
and GNU parallel (``{}``, ``{.}``, ``{/}``...) put what they read, or the file they find, in
place of the replace string INSIDE any word of the command they run, not only a whole word:
``xargs -I{} env PATH={}:/usr/bin:/bin tar czf o.tgz a.txt`` starts tar with the PATH xargs
read, while the words as written name the relative folder ``{}`` (nothing there). A word that
holds the replace string is a value Warden does not know. It is harmless only where the
program reads it as data (``cp {} out/``, ``wc -l {}``, ``mv {} {}.bak``); everywhere else
it is refused (fail closed):

- any word of a wrapper Warden unwraps (``env NAME={}``, ``env -C {}``, ``env -S {}``,
  ``nice -n {}``, ``sudo -u {}``): a variable, a folder, an option of the start;
- an option word holding it (``--use-compress-program={}``, ``-I{}``), whatever the program;
- the value of an option of a program whose options Warden does not read as a table (the
  word after an option word: ``gcc -wrapper {}``, ``perl -I {}``, ``python3 -c {}``), and of
  any option of a code interpreter or a shell;
- the code or the script of an interpreter (``sed {} f``, ``perl {}``, ``awk {}``) and the
  text or the script of a shell (``sh -c {}``, ``bash {}``).

The program itself (``{}`` as the program word) is refused where the launchers are read
(``commands.refuse_input_program``). A replace string other than ``{}`` is written as ``{}``
before the command is read further (``canonical``), so every rule that refuses a ``{}`` where
it names a program (``tar -I ./{}``, a table's shell text) holds for ``xargs -I Z`` too.
"""

import re
from typing import List, Optional

from . import interpreters

# GNU parallel's replacement strings: {}, {.}, {/}, {//}, {/.}, {#}, {%}, {N}, {N.}, {N/}...
_PARALLEL_SLOT = re.compile(r"\{(\d*(?:[./]|//|/\.)?|#|%)\}")
# `{= perl expression =}`: parallel runs the perl code on each input
_PARALLEL_CODE = re.compile(r"\{=")
PARALLEL = frozenset(("parallel", "sem"))


def canonical(words: List[str], slot: str) -> List[str]:
    """``words`` with ``slot`` (xargs' -I string) written as ``{}``."""
    if not slot or slot == "{}":
        return list(words)
    return [word.replace(slot, "{}") for word in words]


def wrapper_refused(who: str, wrapper: str, own: List[str], slot: str) -> str:
    """Why a wrapper's own words (its options, their values, env's NAME=VALUE words) holding
    ``slot`` are refused ('' when none holds it)."""
    for word in own:
        if slot in word:
            if "=" in word and not word.startswith("-"):
                what = f"the variable {word.partition('=')[0]}"
            else:
                what = "an option" if word.startswith("-") else "an option's value"
            return (
                f"{who} puts what it reads (or the file it finds) into {wrapper}'s word "
                f"{word[:60]!r} ({what}), a value Warden does not know: write the value out"
            )
    return ""


def program_refused(
    who: str, program: str, args: List[str], slot: str, inert: bool, tabled: bool, shell: bool
) -> str:
    """Why the words ``args`` of ``program`` (the command ``who`` runs, after its wrappers)
    may not hold ``slot`` where they do ('' when each is data). ``inert``: a program that
    runs nothing (``commands.INERT_PROGRAMS``); ``tabled``: one whose options Warden reads by
    its table (schema/shell-runners.json), which then reads the ``{}`` as written; ``shell``:
    a shell."""
    held = [j for j, word in enumerate(args) if slot in word]
    if not held:
        return ""
    for j in held:
        if args[j][:1] in ("-", "+") and args[j] not in ("-", "+"):
            return _why(who, program, args[j], "an option of it")
    if inert:
        return ""
    entry = interpreters.language(program)
    if entry is not None or shell:
        first = _first_operand(args, entry)
        if first is not None and slot in args[first]:
            what = "its script" if shell or not entry[3]["program_operand"] else "its code"
            return _why(who, program, args[first], what)
        if entry is not None:
            code, _operands, _option = interpreters.code_and_operands(args, entry[3])
            if any(slot in piece for piece in code):
                return _why(who, program, slot, "its code")
    if tabled and entry is None and not shell:
        return ""
    for j in held:
        before = args[j - 1] if j else ""
        if before[:1] in ("-", "+") and before not in ("-", "--", "+"):
            return _why(who, program, args[j], f"maybe the value of its option {before[:30]}")
    return ""


def _first_operand(args: List[str], entry) -> Optional[int]:
    """The index of the first operand of an interpreter or a shell (after its options; a
    valued option's value skipped where the interpreter's table names it); None: none."""
    valued = set(entry[3]["valued_options"]) | set(entry[3]["code_options"]) if entry else set()
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            return i + 1 if i + 1 < len(args) else None
        if word[:1] not in ("-", "+") or word in ("-", "+"):
            return i
        if entry is not None and word in set(entry[3]["code_options"]):
            return None  # its code is an option's value: no script operand
        i += 2 if word in valued else 1
    return None


def _why(who: str, program: str, word: str, what: str) -> str:
    return (
        f"{who} puts what it reads (or the file it finds) into {program}'s word {word[:60]!r} "
        f"({what}), a value Warden does not know there: run {program} on named files, or keep "
        "the replaced word an operand after `--`"
    )


def parallel_words(text: str) -> Optional[List[str]]:
    """The words of a GNU parallel command ``text`` (its operands joined) with each of
    parallel's replacement strings written as ``{}``, for the reading of a replaced word;
    None when it holds none. A ``{= perl =}`` replacement, or a text holding one that Warden
    cannot split into a command's plain words (quotes, operators, expansions), is refused
    by raising ``ValueError`` with the reason."""
    if _PARALLEL_CODE.search(text):
        raise ValueError(
            "parallel runs the perl code of a {= ... =} replacement string on what it reads, "
            "which Warden does not read"
        )
    if not _PARALLEL_SLOT.search(text):
        return None
    if re.search(r"[\\'\"$`;&|<>()\n*?\[]", text):
        raise ValueError(
            "parallel puts what it reads into a command Warden cannot split into plain words "
            "(quotes, operators, expansions): write the command out"
        )
    return [_PARALLEL_SLOT.sub("{}", word) for word in text.split()]
