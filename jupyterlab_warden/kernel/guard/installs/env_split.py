"""The words GNU ``env -S TEXT`` splits TEXT into: the one reading of that text for the kernel
guard (``commands._unwrap``, ``shebang._started``); ``src/deps/envsplit.ts`` is its TypeScript
twin and ``schema/vectors/env-split.json`` (written from the real ``/usr/bin/env``) holds both
to env.

coreutils 9.1 ``src/env.c`` ``build_argv`` (red team 51a R51a-1/2), not the shell's rules:
- a word ends at any of space, ``\\t``, ``\\n``, ``\\v``, ``\\f``, ``\\r`` outside quotes
  (shlex knows only four of them: ``uv\\vpip\\vinstall`` is three words to env);
- a ``#`` where a word would start ends TEXT (a comment: the arguments after TEXT still
  follow); inside a word it is a character;
- ``'...'``: no escapes but ``\\\\`` and ``\\'``; ``"..."``: escapes, and ``\\_`` is a space;
- outside single quotes: ``\\\\ \\' \\" \\# \\$`` are the character, ``\\f \\n \\r \\t \\v`` the
  control character, ``\\_`` (outside double quotes) ends the word, ``\\c`` ends TEXT (an
  error inside double quotes); any other escape, a backslash at the end, ``$`` not starting
  ``${NAME}`` and an unterminated quote are errors: env exits 125 and starts nothing.

``${NAME}`` is expanded by env from ITS environment, which Warden does not follow through the
wrappers before it: refused (``Unread``) rather than guessed. env's own errors are refused too
(``Unread``): nothing starts there, and a refusal cannot be read differently from env."""

from typing import List

BLANKS = " \t\n\v\f\r"
_ESCAPED = {'"': '"', "#": "#", "$": "$", "'": "'", "\\": "\\",
            "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}  # fmt: skip


class Unread(ValueError):
    """TEXT that env refuses, or that Warden does not expand (``${NAME}``)."""


def split(text: str) -> List[str]:
    """The words env puts in place of ``-S TEXT`` (``Unread``: see the module)."""
    words: List[str] = []
    sep, sq, dq = True, False, False  # a word is due to start; in '...'; in "..."
    i, n = 0, len(text)

    def start() -> None:
        # build_argv's CHECK_START_NEW_ARG: the first character (or quote) after a separator
        # opens a new word, so '' and "" are words of their own
        nonlocal sep
        if sep:
            words.append("")
            sep = False

    def add(char: str) -> None:
        start()
        words[-1] += char

    while i < n:
        c = text[i]
        if c == "'" and not dq:
            sq = not sq
            start()
            i += 1
            continue
        if c == '"' and not sq:
            dq = not dq
            start()
            i += 1
            continue
        if c in BLANKS and not (sq or dq):
            sep = True
            i += 1
            continue
        if c == "#" and sep:
            return words  # a comment: the rest of TEXT is dropped
        if c == "\\" and not (sq and text[i + 1 : i + 2] not in ("\\", "'")):
            nxt = text[i + 1 : i + 2]
            i += 2
            if nxt == "_" and not dq:
                sep = True  # a word separator
                continue
            if nxt == "_":
                add(" ")
                continue
            if nxt == "c":
                if dq:
                    raise Unread("env -S refuses \\c inside double quotes: nothing starts")
                return words  # \c ends TEXT
            if nxt == "":
                raise Unread("env -S refuses a backslash at the end of its text: nothing starts")
            if nxt not in _ESCAPED:
                raise Unread(f"env -S refuses the escape \\{nxt}: nothing starts")
            add(_ESCAPED[nxt])
            continue
        if c == "$" and not sq:
            raise Unread(
                "env -S expands ${NAME} from its own environment, which Warden does not read "
                "(and refuses any other $): write the value out"
            )
        add(c)
        i += 1
    if sq or dq:
        raise Unread("env -S refuses a quote left open in its text: nothing starts")
    return words
