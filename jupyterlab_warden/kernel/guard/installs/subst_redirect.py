"""Which redirections a command substitution runs after (red team 57a R57a-6).

An install inside ``$( )`` (or backquotes) is a line of its own, read in a subshell of the
line, and its own-redirection rule (``own_redirect``) weighs the files the shell has opened
for writing when it runs. The shell opens a compound command's redirections before anything
in it is expanded, so a substitution anywhere in a compound (``case $(I) in ... esac
2>r.txt``, ``for a in $(I); do ...; done 2>r.txt``, ``{ echo $(I); } 2>r.txt``, a
subshell's last command) runs after them, on the file they emptied. A simple command's own
redirections are opened after its words are expanded (``echo $(I) 2>r.txt`` reads r.txt
whole) but before:

- the word of a redirection (``cat 2>r.txt <<< $(I)``, ``2>r.txt > $(I)``): bash opens a
  command's redirections left to right and expands each word as it comes to it (dash expands
  a file name before opening any); Warden gives the word all the command's redirections but
  the one it names (opened after its word), the ones written after it too (a here-string
  written first: fail closed);
- a heredoc body: expanded when its holder's redirections are opened (``cat 2>r.txt
  <<E``, in bash and dash), so a body's commands get the holder's (``early``, from the split);
- the value of an assignment in front of the command or alone (``x=$(I) 2>r.txt``, ``x=$(I)
  true 2>r.txt``: dash, which ``os.system`` runs, opens the redirections first; bash does not);
- everything in a ``[[ ... ]]`` test (bash's keyword: redirections first).

Checked with bash 5.2 and dash 0.5.12, a substitution printing the size of r.txt when it runs.
The static port is ``src/deps/substredirect.ts``.
"""

import re
from typing import Callable, List

from .compound_redirect import after_prefixes

# an assignment word (`NAME=`, `NAME+=`, `NAME[i]=`)
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=")


def after_own(words: List[str], targets: List[str], holds: Callable[[str], bool]) -> bool:
    """Whether a substitution of a simple command (``holds``: whether a word holds it; the
    command's ``words`` and its redirections' ``targets``) runs after the command's own
    redirections are opened."""
    if any(holds(t) for t in targets):
        return True
    head = after_prefixes(words)
    if head[:1] == ["[["]:
        return True  # the substitution is in the test's words (or in ``targets``)
    for word in head:
        if not _ASSIGNMENT.match(word):
            break
        if holds(word):
            return True
    return False
