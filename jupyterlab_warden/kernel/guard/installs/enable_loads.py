"""A shell builtin that loads a shared object into the shell (red team 90 F14).

bash's ``enable -f FILE NAME`` dlopen()s FILE into the running shell: the object's constructors
(``__attribute__((constructor))``) run at once, before bash even looks for ``NAME_struct``,
and a builtin it does define runs by a name Warden reads as something else (a loaded ``cd`` or
``echo``). Since bash 5.1 plain ``enable NAME`` does the same when NAME is not a builtin
(enable.def: "the equivalent of ``enable -f NAME NAME``"; also with ``-a``, ``-s``, ``-n``,
``--``, and beside real builtins: ``enable echo x``): it looks NAME up in
BASH_LOADABLES_PATH, whose default in bash 5.2 (Debian's too) ends with ``.``, the folder the
shell runs in, so a cell's ``x`` there, written or compiled with gcc since the kernel started,
runs as native code inside the bash Warden reads a line for. ksh93's ``builtin -f LIB`` and
zsh's ``zmodload MODULE`` (its ``module_path``) load a library the same way.

Warden reads none of that code, and the strict reading is the only one that holds: every
``enable -f`` (``-d`` unloads, loading nothing: refused by the caller's name-table rule), every
``enable`` naming anything but one of bash's own builtins (an expansion Warden does not know
included), ksh's ``builtin -f`` and zsh's ``zmodload`` with an operand are refused wherever the
line reads a command. A rule on the file instead ("older than the kernel, not writable") was
weighed and not taken: which file bash opens depends on BASH_LOADABLES_PATH (inherited,
exported, assigned on the line, or changed by an earlier command Warden may not follow), on the
shell's folder after a ``cd``, and on dlopen's own search (LD_LIBRARY_PATH, the ld.so cache)
for a name no folder of the path holds; no notebook needs a loadable builtin in a line it
installs with. Assigning BASH_LOADABLES_PATH alone loads nothing and stays readable. ``enable``
that only prints (no operand, ``-p``/``-a``/``-s``) and ``enable BUILTIN`` pass; ``enable -n
NAME`` (turning a builtin off) is refused by ``commands._refuse_name_table_change``, as before.

Red team 91: ``coproc`` runs its command in a subshell of the same bash, builtins included, so
``coproc enable x``, ``coproc { enable x; }`` and ``coproc N { enable x; }`` loaded ./x while the
rule read a command named ``coproc``. ``behind_coproc`` gives the rule the command behind
``coproc [NAME]`` and the reserved words opening its compound command.
"""

import re
from typing import List

# bash 5.2's builtins (``enable -a``): enabling one of them loads nothing
BASH_BUILTINS = frozenset(
    """. : [ alias bg bind break builtin caller cd command compgen complete compopt continue
    declare dirs disown echo enable eval exec exit export false fc fg getopts hash help history
    jobs kill let local logout mapfile popd printf pushd pwd read readarray readonly return set
    shift shopt source suspend test times trap true type typeset ulimit umask unalias unset
    wait""".split()
)


# the words that open a compound command: after `coproc NAME` they make NAME the coprocess's
# name (bash's grammar: `coproc NAME` only before a compound command; before a simple command
# the first word is the command), and they open the command the rules read
_COMPOUND = frozenset(("{", "(", "((", "[[", "if", "while", "until", "for", "case", "select"))
_OPENERS = frozenset(("{", "(", "((", "if", "while", "until", "!"))
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def behind_coproc(words: List[str]) -> List[str]:
    """The simple command a command's words run once ``coproc [NAME]`` in front of them and
    the reserved words that open its compound command (``{``, ``if``, ``while``...) are taken
    off, with the assignments before it; ``words`` as they are when no ``coproc`` leads."""
    i = 0
    while i < len(words) and _ASSIGNMENT.match(words[i]):
        i += 1
    if i >= len(words) or words[i] != "coproc":
        return words
    i += 1
    if i + 1 < len(words) and words[i + 1] in _COMPOUND and words[i] not in _COMPOUND:
        i += 1  # `coproc NAME { ...; }`
    while i < len(words) and (words[i] in _OPENERS or _ASSIGNMENT.match(words[i])):
        i += 1
    return words[i:]


def refusal(words: List[str]) -> str:
    """Why the command ``words`` (its prefix assignments and ``builtin``/``command`` already
    taken off) may load a shared object into the shell; '' when it cannot."""
    if not words:
        return ""
    name, args = words[0], words[1:]
    if name == "enable":
        return _enable(args)
    if name == "builtin" and any(a.startswith("-") and "f" in a[1:] for a in _options(args)):
        return "ksh's builtin -f loads a library into the shell, whose code Warden does not read"
    if name == "zmodload" and _operands(args):
        return (
            "zsh's zmodload loads a module (a shared object found on module_path) into the "
            "shell, whose code Warden does not read"
        )
    return ""


def _enable(args: List[str]) -> str:
    options = _options(args)
    letters = "".join(o[1:] for o in options)
    if "d" in letters and "f" not in letters:
        return ""  # unloads, loads nothing (refused as a name-table change by the caller)
    if "f" in letters:
        return (
            "enable -f loads a builtin from a shared object into the shell (its code runs as "
            "it loads), which Warden does not read: run the program instead"
        )
    loaded = [w for w in _operands(args) if w not in BASH_BUILTINS]
    if loaded:
        return (
            f"enable {loaded[0]}: {loaded[0]} is no bash builtin, so bash loads it as a "
            "builtin from a shared object found on BASH_LOADABLES_PATH (by default ending "
            "with `.`, the shell's folder), whose code runs in the shell unread by Warden: "
            "run the program instead"
        )
    return ""


def _options(args: List[str]) -> List[str]:
    found = []
    for word in args:
        if word == "--" or not word.startswith("-") or word == "-":
            break
        found.append(word)
    return found


def _operands(args: List[str]) -> List[str]:
    options = _options(args)
    rest = args[len(options) :]
    return rest[1:] if rest[:1] == ["--"] else rest
