"""The variables ``eval TEXT`` may assign in the shell that runs it.

eval runs its text in the line's own shell: ``eval PATH=DIR:/usr/bin:/bin; tar ...`` makes
tar run DIR/gzip, ``eval PYTHONPATH=tools; python3 -c CODE`` starts a Python without the
guard. The text itself is read as a nested line (``commands._simple``), in a state of its
own, so what it assigns is not followed into the outer line (red team 88 F1). Rather than
model it, every name written in the text counts as assigned a value Warden does not know
for the rest of the line (``_LineState.unknown_names``): stricter, and an ordinary
``eval "echo 2 > out.txt"`` or ``eval true`` names no variable a later command depends on.
Quotes and backslashes are dropped first (``eval "P''ATH=x"`` assigns PATH); a text that
expands (``$``, a backquote) may assign a name no word spells, and is refused.
"""

import re
from typing import List, Optional, Set

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_QUOTING = re.compile(r"[\\'\"]")
_EXPANDS = re.compile(r"[$`]")


def assigned(args: List[str]) -> Set[str]:
    """Every name ``eval ARGS`` may assign (each name its text spells)."""
    return set(_NAME.findall(_QUOTING.sub("", " ".join(args))))


def unreadable(args: List[str]) -> Optional[str]:
    """Why the names ``eval ARGS`` assigns cannot be told (None when they can)."""
    if _EXPANDS.search(" ".join(args)):
        return (
            "eval runs text with an expansion in the shell itself, which may assign any "
            "variable (PATH, PYTHONPATH...) for the rest of the line: write the commands out"
        )
    return None
