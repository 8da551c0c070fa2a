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
the line (fail closed: any of them may be inside), and so does every closing word of a line
whose reading did not come out even (red team 56d: a compound still open at its end, a
closing word that closed nothing): a word Warden read in a reserved place the shell did not
(or the reverse) would otherwise move a redirection off the commands it applies to. A word is
reserved only unquoted (``'}'``, ``\\}``, ``"fi"`` are command names: the line's reader marks
them, ``quoted``) and in a command's first place (a leading redirection, ``2>/dev/null }``,
starts the command), or right after a closing word (``{ a; { b; } }``, ``fi }``); a case arm
ends at ``;;``, ``;&`` and ``;;&``; ``case W in esac`` is a whole case; the values of an array
(``arr=( { )``) are no commands. The static port is ``Compounds`` in
``src/deps/compoundredirect.ts``.
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
# the words this reading treats as reserved: written quoted, the line's reader marks them
RESERVED = frozenset(CLOSING) | _CLOSERS | _PREFIXES | {"function", "in"}

# a closing word that matches no opening one: its redirections may apply to any command before
UNMATCHED = -1


def _after_prefixes(words: List[str]) -> List[str]:
    """A simple command's words without the reserved words in front (``{``, ``then``,
    ``function NAME``...)."""
    i = 0
    while i < len(words) and (words[i] in _PREFIXES or words[i] == "function"):
        i += 2 if words[i] == "function" else 1  # `function NAME {`
        if words[i - 1 : i] == ["time"]:
            while words[i : i + 1] in (["-p"], ["--"]):
                i += 1  # bash's `time -p`: the keyword's own option (R57a-8: `time -p { ...; }`)
    return words[i:]


def after_prefixes(words: List[str]) -> List[str]:
    """``_after_prefixes`` for the other readers of a command's first place."""
    return _after_prefixes(words)


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
        self._closed = False  # the current command's last word closed a compound (`} }`)
        self._operator = ""  # the operator just read (`;` then `&`: a case arm's `;&`)
        self._uneven = False  # a closing word closed nothing, or closed what it does not match

    def word(
        self, word: str, index: int, current: List[str], started: bool = False
    ) -> Optional[int]:
        """Reads ``word`` about to be added to simple command ``index`` (its words so far
        ``current``; ``started``: a redirection came before them, so the command has begun):
        an opening word opens a compound; a closing word closes one and gives the index of its
        first command (``UNMATCHED`` when it matches none); None otherwise. A quoted word
        comes marked by the line's reader, so it is none of these."""
        self._operator = ""
        top = self._open[-1][0] if self._open else ""
        head = _after_prefixes(current)
        if top == "=(":
            return None  # an array's values (`arr=( { )`): no commands, no reserved words
        if top == "case" and (head[:1] == ["case"] or self._pattern):
            if head[:1] == ["case"] and len(head) == 2 and word == "in":
                self._pattern = True
            elif word == "esac" and (not head or head[:1] == ["case"] and len(head) == 3):
                self._pattern = False  # `;; esac`, or `case W in esac`: a case of no arms
                return self._close("esac")
            return None  # the case's word, or an arm's pattern: no command
        if self._closed and current[-1:] and current[-1] in _CLOSERS:
            # right after a closing word the shell reads a closing word again (`{ a; { b; } }`)
            closes = self._close(word) if word in _CLOSERS else None
            self._closed = closes is not None
            return closes
        if not command_position(current) or (started and not current):
            return None
        if word in CLOSING:
            self._open.append((word, index))
            return None
        if word in _CLOSERS:
            self._closed = True
            return self._close(word)
        return None

    def operator(self, op: str) -> None:
        """Reads an operator between commands: ``;;``, ``;&`` and ``;;&`` (read as ``;``
        or ``;;`` then ``&``) end a case arm."""
        ends_arm = op == ";;" or (op == "&" and self._operator in (";", ";;"))
        if ends_arm and self._open and self._open[-1][0] == "case":
            self._pattern = True
        self._operator = op
        self._closed = False

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

    def even(self) -> bool:
        """Whether the line's reading came out even so far: every closing word closed what it
        matches and nothing is open (at the line's end: red team 56d's general rule)."""
        return not self._uneven and not self._open and not self._pattern

    def _close(self, word: str) -> int:
        if self._open and CLOSING.get(self._open[-1][0]) == word:
            return self._open.pop()[1]
        self._uneven = True
        return UNMATCHED
