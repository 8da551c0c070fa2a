"""Which simple commands a compound command's redirections apply to (red team 55b R55b-5).

The shell opens a redirection written after a compound command's closing word (``{ ...; }
2>r.txt``, ``( ... ) 2>r.txt``, ``if ...; fi``, ``while/until/for/select ... done``, ``case
... esac``, a function body ``f() { ...; } 2>r.txt``, applied at each call) once, before any
command inside runs, and every command inside writes through it. The line's split gave it to
the closing word alone, a pseudo-command read after the install (``uv pip install -r r.txt P``
inside ``{ ...; } 2>r.txt`` was decided on the r.txt the shell empties first). ``Compounds``
follows the compound commands while ``commands._split`` reads a line's tokens, so each
command inside is given the compound's redirections as its own (``own_redirect`` weighs them
for an install). A closing word or ``)`` Warden cannot match with its opening one (a syntax
error, a construct it does not follow) gives its redirections to every command before it on
the line (fail closed: any of them may be inside). The static port is
``Compounds`` in ``src/deps/compoundredirect.ts``.
"""

from typing import List, Optional, Tuple

# the word that closes each opening word
CLOSING = {
    "{": "}", "(": ")", "if": "fi", "case": "esac",
    "while": "done", "until": "done", "for": "done", "select": "done",
}  # fmt: skip
_CLOSERS = frozenset(CLOSING.values()) - {")"}
# reserved words after which the next word is still in a command's first place
_PREFIXES = frozenset(("{", "then", "do", "else", "elif", "if", "while", "until", "!", "time"))

# a closing word that matches no opening one: its redirections may apply to any command before
UNMATCHED = -1


def _after_prefixes(words: List[str]) -> List[str]:
    """A simple command's words without the reserved words in front (``{``, ``then``,
    ``function NAME``...)."""
    i = 0
    while i < len(words) and (words[i] in _PREFIXES or words[i] == "function"):
        i += 2 if words[i] == "function" else 1  # `function NAME {`
    return words[i:]


def command_position(words: List[str]) -> bool:
    """Whether a word after ``words`` (a simple command's words so far) is in a command's
    first place, where the shell reads reserved words (``{ {``, ``then {``, ``function f {``);
    not after ``for``/``select``/``case``, whose next word is a name or a value."""
    return not _after_prefixes(words)


class Compounds:
    """The compound commands open at a point of the line being split, in text order, each as
    (its opening word, the index of its first simple command)."""

    def __init__(self) -> None:
        self._open: List[Tuple[str, int]] = []
        self._pattern = False  # a case arm's pattern comes next (after `in`, after `;;`)

    def word(self, word: str, index: int, current: List[str]) -> Optional[int]:
        """Reads ``word`` about to be added to simple command ``index`` (its words so far
        ``current``): an opening word opens a compound; a closing word closes one and gives
        the index of its first command (``UNMATCHED`` when it matches none); None otherwise."""
        top = self._open[-1][0] if self._open else ""
        head = _after_prefixes(current)
        if top == "case" and (head[:1] == ["case"] or self._pattern):
            if head[:1] == ["case"] and len(head) == 2 and word == "in":
                self._pattern = True
            elif word == "esac" and not head:
                return self._close("esac")
            return None  # the case's word, or an arm's pattern: no command
        if not command_position(current):
            return None
        if word in CLOSING:
            self._open.append((word, index))
            return None
        return self._close(word) if word in _CLOSERS else None

    def operator(self, op: str) -> None:
        """Reads an operator between commands: ``;;`` (``;;&``) ends a case arm."""
        if op == ";;" and self._open and self._open[-1][0] == "case":
            self._pattern = True

    def open_paren(self, index: int, current: List[str]) -> None:
        """Reads a ``(`` after ``current`` (the words of command ``index`` so far): in a
        command's first place a subshell opens; in a case where a pattern comes next, the
        pattern's own (`(a|b) CMD;;`); elsewhere (``arr=(a b)``, ``$(...)``) a parenthesis
        its ``)`` closes, no compound."""
        if self._open and self._open[-1][0] == "case" and self._pattern:
            return
        self._open.append(("(" if command_position(current) else "=(", index))

    def close_paren(self) -> Optional[int]:
        """Reads a ``)``: the first command of the subshell it closes, None for the end of a
        case arm's pattern or of a parenthesis that is no subshell, ``UNMATCHED`` when it
        closes nothing Warden followed."""
        if self._open and self._open[-1][0] == "case":
            self._pattern = False
            return None
        if self._open and self._open[-1][0] == "=(":
            self._open.pop()
            return None
        return self._close(")")

    def _close(self, word: str) -> int:
        if self._open and CLOSING[self._open[-1][0]] == word:
            return self._open.pop()[1]
        return UNMATCHED
