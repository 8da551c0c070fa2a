"""Where a shell line's comments, quotes, substitutions and heredoc bodies are, as sh/bash
read them, and the line MASKED so that a plain word reader (the kernel's shlex, the static
side's ``parsePipelines``) cannot desync from the shell: comments become blanks, the inside of a
command/parameter/arithmetic substitution and of a bash ``$'...'`` string becomes one word piece,
a heredoc body that is not balanced shell text becomes blanks. The inside of a command
substitution (``$(...)``, backticks, bash's ``<(...)``/``>(...)``) is listed
(``Masked.substitutions``): the caller reads it as a command line of its own, and its output
stays one unknown word piece of the outer line.
The mask keeps the length, so the static side's offsets stay true. The static port is
``src/deps/shelltext.ts``: keep the two alike (``src/deps/testdata/shell-lines.json`` and
``tests/deps/test_shell_differential.py``).

Red team 12 (R12-12/13/15/17): the old reader decided "comment" and "quote" by peeking at the
previous character, and a desync that ended in a comment or an open quote HID the rest of the
line from Warden while the shell ran it. What this module cannot model raises ``Uncertain``;
the caller refuses the line unless it is provably install-free (``unseen``, ``has_hint``: red
team 13 R13-1; fail closed)."""

import re
from typing import List, Tuple

BLANKS = " \t"  # \r is an ordinary word character for sh and bash
OPERATORS = ";&|()<>\n"
# what a masked substitution's inside is written as: no word reader splits or quotes at it. A
# command substitution's inside is written all as it (it is read as a line of its own, and an
# installer named there is no word of the outer command); a parameter or arithmetic
# expansion's keeps its words, so installer names in it stay visible to the word searches
PLACEHOLDER = ":"
_MASKED = frozenset(" \t\r\n'\"\\`#;&|()<>")
_SEPARATORS = (";", "&", "|", "`", "$(")


class Uncertain(ValueError):
    """The shell's reading of the line is not modelled here (the reason says where)."""


class Masked(str):
    """The masked line; ``cuts``: the (start, end) spans the shell removes before splitting
    words (backslash-newline joins) or reads as a descriptor number (``2>``);
    ``substitutions``: the (start, end) spans of the insides of the outermost command
    substitutions, in text order (what runs in them is a command line of its own)."""

    cuts: List[Tuple[int, int]]
    substitutions: List[Tuple[int, int]]


def mask(script: str) -> Masked:
    scan = _Scan(script)
    scan.commands(0, "")
    text = Masked("".join(scan.out))
    text.cuts = scan.cuts
    text.substitutions = scan.substitutions
    return text


class _Scan:
    def __init__(self, text: str):
        self.text = text
        self.out = list(text)
        self.cuts: List[Tuple[int, int]] = []
        self.substitutions: List[Tuple[int, int]] = []
        # (delimiter, strip tabs, delimiter quoted) due at the newline
        self.heredocs: List[Tuple[str, bool, bool]] = []
        self.nested = 0  # inside a substitution: hidden, nothing there is cut

    def cut(self, start: int, end: int) -> None:
        if not self.nested:
            self.cuts.append((start, end))

    def blank(self, start: int, end: int) -> None:
        for k in range(start, end):
            if self.out[k] != "\n":
                self.out[k] = " "

    def hide(self, start: int, end: int) -> None:
        """The inside of a substitution: one word piece for the word readers."""
        for k in range(start, end):
            if self.out[k] in _MASKED:  # a blanked comment inside too
                self.out[k] = PLACEHOLDER

    def substitution(self, start: int, end: int) -> None:
        """The inside of a command substitution: listed when outermost (an inner one is read
        with its enclosing text), all placeholder for the outer line's word readers."""
        if not self.nested:
            self.substitutions.append((start, end))
            self.out[start:end] = PLACEHOLDER * (end - start)
        else:
            self.hide(start, end)

    def commands(self, i: int, closer: str) -> int:
        """Command text from ``i`` (the whole line, a ``$(`` or a backtick body) up to its
        ``closer`` (``)``, backtick; "" = the end); the index after the closer."""
        self.nested += bool(closer)
        try:
            return self._commands(i, closer)
        finally:
            self.nested -= bool(closer)

    def _commands(self, i: int, closer: str) -> int:
        text, start_of_word, depth, line_start = self.text, True, 0, not closer
        # after a duplication (`>&`, `<&`) the next word is its target, digits and all: bash
        # reads `2>&1>r.txt` as `2>&1 >r.txt` (red team 56b R56b-3: cutting that `1` as the
        # descriptor number of `>r.txt` hid the redirection and made r.txt a word)
        dup_target = False
        while i < len(text):
            c = text[i]
            if closer == "`" and c == "`":
                return i + 1
            if c == "\\":
                if closer == "`":
                    raise Uncertain("a backslash inside backticks")
                if text[i + 1 : i + 2] == "\n":
                    self.cut(i, i + 2)  # joins the lines, inside a word too
                    i += 2
                    continue
                i, start_of_word, line_start = i + 2, False, False
                continue
            if c == "#" and start_of_word:
                end = text.find("\n", i)
                end = len(text) if end < 0 else end
                if not line_start:
                    _check_comment(text[i:end])
                self.blank(i, end)
                i = end
                continue
            if c in BLANKS:
                start_of_word = True
                i += 1
                continue
            if c == "\n":
                if self.heredocs:
                    if closer:
                        raise Uncertain("a heredoc inside a substitution")
                    i = self.bodies(i + 1)
                else:
                    i += 1
                start_of_word, line_start, dup_target = True, True, False
                continue
            line_start = False
            if start_of_word and text.startswith("((", i) and not _redirected(text, i):
                i = self.arithmetic_command(i)
                start_of_word = False
                continue
            if c == "(" and _redirected(text, i):
                # bash's process substitution `<(...)`/`>(...)`: a command line of its own, read
                # as `$(...)` is (R14-36); in sh/dash it is a syntax error, so reading it costs
                # nothing there
                end = self.commands(i + 1, ")")
                self.substitution(i + 1, end - 1)
                i, start_of_word = end, False
                continue
            if c in OPERATORS:
                if text.startswith("<<<", i):
                    i, start_of_word = i + 3, True
                    continue
                if c == "(":
                    depth += 1
                elif c == ")":
                    if closer == ")" and depth == 0:
                        return i + 1
                    depth = max(depth - 1, 0)
                elif c == "<" and text[i : i + 2] == "<<" and text[i : i + 3] != "<<<":
                    i = self.heredoc_operator(i)
                    start_of_word = False
                    continue
                dup_target = c == "&" and i > 0 and text[i - 1] in "<>"
                start_of_word = True
                i += 1
                continue
            if start_of_word and _FOR_ARITHMETIC.match(text, i):
                k = _FOR_ARITHMETIC.match(text, i).end()
                end = self.parameter(k, "))")
                self.hide(k - 2, end)
                i, start_of_word = end, False
                continue
            if start_of_word and c.isdigit() and not dup_target:
                k = i
                while k < len(text) and text[k].isdigit():
                    k += 1
                if text[k : k + 1] in ("<", ">"):
                    self.cut(i, k)  # `2>&1`: a descriptor number, not a word
            dup_target = False
            if closer == ")" and start_of_word and text.startswith("case", i):
                raise Uncertain("a case inside a command substitution")
            start_of_word = False
            i = self.word_piece(i, in_double=False)
        if closer:
            raise Uncertain("a substitution is not closed")
        if self.heredocs:
            self.heredocs = []  # bash: "delimited by end-of-file"; the body is empty
        return i

    def word_piece(self, i: int, in_double: bool) -> int:
        """One quoted string, expansion or plain character at ``i``; the index after it."""
        text, c = self.text, self.text[i]
        if c == "'" and not in_double:
            end = text.find("'", i + 1)
            if end < 0:
                raise Uncertain("a quote is not closed")
            return end + 1
        if c == '"' and not in_double:
            return self.double(i + 1)
        if c == "`":
            end = self.commands(i + 1, "`")
            self.substitution(i + 1, end - 1)
            return end
        if c == "$":
            nxt = text[i + 1 : i + 2]
            if nxt == "'" and not in_double:
                return self.ansi_c(i + 2)
            if text.startswith("((", i + 1):
                end = self.parameter(i + 3, "))")
                self.hide(i + 1 if not in_double else i + 3, end if not in_double else end - 2)
                return end
            if nxt == "(":
                end = self.commands(i + 2, ")")
                self.substitution(i + 2, end - 1)
                self.hide(i + 1 if not in_double else i + 2, end if not in_double else end - 1)
                return end
            if nxt == "[" and not in_double:
                # bash's old arithmetic `$[1<<E]`; sh reads `$[1`, a heredoc and `]`
                end = text.find("]", i + 2)
                if end < 0 or any(ch in BLANKS or ch in OPERATORS for ch in text[i + 2 : end]):
                    raise Uncertain("a bash $[...] arithmetic that sh reads as commands")
                return i + 1
            if nxt == "{":
                end = self.parameter(i + 2, "}", in_double)
                self.hide(i + 2, end - 1)
                return end
        return i + 1

    def double(self, i: int) -> int:
        text = self.text
        while i < len(text):
            c = text[i]
            if c == '"':
                return i + 1
            if c == "\\":
                if text[i + 1 : i + 2] == "\n":
                    self.cut(i, i + 2)
                i += 2
                continue
            i = self.word_piece(i, in_double=True)
        raise Uncertain("a quote is not closed")

    def ansi_c(self, i: int) -> int:
        """bash's ``$'...'``: backslash escapes inside, so ``\\'`` does not end it. dash (what
        ``os.system`` runs) reads ``$`` and a plain single-quoted string that DOES end there:
        the two readings split only at an escaped quote, which is uncertain."""
        text = self.text
        while i < len(text):
            if text[i] == "'":
                return i + 1
            if text[i] == "\\":
                if text[i + 1 : i + 2] == "'":
                    raise Uncertain("a $'...' string with an escaped quote (bash and dash differ)")
                i += 2
                continue
            i += 1
        raise Uncertain("a quote is not closed")

    def parameter(self, i: int, closer: str, in_double: bool = False) -> int:
        """``${...}`` (closer ``}``) or ``$((...))``: no comments, no word breaks; quotes and
        nested substitutions are read. A single quote in ``"${...}"`` is literal in POSIX sh
        and quoting in bash: not modelled."""
        text, depth = self.text, 0
        while i < len(text):
            c = text[i]
            if closer == "}" and c == "}":
                return i + 1
            if closer == "))":
                if c == "(":
                    depth += 1
                elif c == ")":
                    if depth == 0:
                        if text[i + 1 : i + 2] != ")":
                            raise Uncertain("an arithmetic expansion is not closed")
                        return i + 2
                    depth -= 1
            if c == "\\":
                i += 2
                continue
            if c == "'" and in_double:
                raise Uncertain("a single quote inside a double-quoted ${...}")
            if c == "\n" and self.heredocs:
                raise Uncertain("a heredoc inside an expansion")
            if c in "'\"`$":
                i = self.word_piece(i, in_double=False)
                continue
            i += 1
        raise Uncertain("an expansion is not closed")

    def arithmetic_command(self, i: int) -> int:
        """bash's ``((x<<E))`` is arithmetic; sh reads two subshells, and there ``<<E`` is a
        heredoc, ``<``/``>`` redirections, ``;`` and blanks separate commands (red team 13
        R13-2). The two readings agree only when the inside holds none of those: then it stays
        a word for the readers (as sh reads it); else the line is uncertain. The index after."""
        end = self.parameter(i + 2, "))")
        if any(ch in BLANKS or ch in ";&|<>\n" for ch in self.text[i + 2 : end - 2]):
            raise Uncertain("a bash ((...)) arithmetic that sh reads as commands")
        return end

    def heredoc_operator(self, i: int) -> int:
        """``<<E``, ``<<-E``, ``<< 'E'``: the delimiter (quotes removed) is due at the next
        newline; the index after the delimiter word."""
        text = self.text
        i += 2
        strip = text[i : i + 1] == "-"
        i += 1 if strip else 0
        while i < len(text) and text[i] in BLANKS:
            i += 1
        word, start = [], i
        while i < len(text) and text[i] not in BLANKS and text[i] not in OPERATORS:
            c = text[i]
            if c in "'\"":
                end = text.find(c, i + 1)
                if end < 0:
                    raise Uncertain("a quote is not closed")
                if any(ch in text[i + 1 : end] for ch in "\\$`"):
                    raise Uncertain("a heredoc delimiter Warden does not read")
                word.append(text[i + 1 : end])
                i = end + 1
            elif c == "\\":
                word.append(text[i + 1 : i + 2])
                i += 2
            elif c in "$`":
                raise Uncertain("a heredoc delimiter Warden does not read")
            else:
                word.append(c)
                i += 1
        if i == start:
            raise Uncertain("a heredoc without a delimiter")
        quoted = any(ch in "'\"\\" for ch in text[start:i])  # the body is data, unexpanded
        self.heredocs.append(("".join(word), strip, quoted))
        return i

    def bodies(self, i: int) -> int:
        """The bodies of the heredocs due at the newline before ``i``, one after the other:
        data up to the delimiter line. An unquoted delimiter's body is expanded by the shell
        as double-quoted text is (red team 13 R13-11: an apostrophe there is data, ``$(...)``
        and backticks run): its command substitutions are listed, read as lines of their own.
        What is left, when it is balanced shell text, stays masked for the word readers (a
        shell fed by it runs it); when it is not, it becomes blanks only if it is provably
        install-free (``unseen``), else the line is uncertain."""
        text, due = self.text, self.heredocs
        self.heredocs = []
        for delimiter, strip, quoted in due:
            start, end = i, None
            while i < len(text):
                nl = text.find("\n", i)
                nl = len(text) if nl < 0 else nl
                line = text[i:nl]
                if (line.lstrip("\t") if strip else line) == delimiter:
                    end, i = i, min(nl + 1, len(text))
                    break
                i = nl + 1
            if end is None:
                raise Uncertain("a heredoc's delimiter line is missing")
            body, runs = text[start:end], []
            if not quoted:
                body, runs = _expanded(body)
                self.substitutions.extend((start + a, start + b) for a, b in runs)
            try:
                inner = mask(body)
            except Uncertain:
                if unseen(body) or has_hint(body):
                    raise Uncertain("a heredoc body that is not plain shell text") from None
                self.blank(start, end)  # its substitutions' spans stay listed
                continue
            self.out[start:end] = list(inner)
            self.cuts.extend((start + a, start + b) for a, b in inner.cuts)
            self.substitutions.extend((start + a, start + b) for a, b in inner.substitutions)
        self.substitutions.sort()
        return i


def _expanded(body: str) -> Tuple[str, List[Tuple[int, int]]]:
    """An unquoted heredoc body as the shell expands it: read as double-quoted text (only
    ``$``, backtick and backslash are special); the body with each command substitution
    (``$(...)``, backticks) written as placeholders, and the spans of their insides."""
    scan, out, runs, i = _Scan(body), list(body), [], 0
    while i < len(body):
        if body[i] == "\\":
            i += 2
            continue
        command = body[i] == "`" or (body.startswith("$(", i) and not body.startswith("$((", i))
        end = scan.word_piece(i, in_double=True)
        if command:
            inside = (i + 1, end - 1) if body[i] == "`" else (i + 2, end - 1)
            runs.append(inside)
            out[i:end] = PLACEHOLDER * (end - i)
        i = end
    return "".join(out), runs


# What a line the reader cannot model may hold that names a program Warden cannot see
# written out (red team 13 R13-1): an expansion or a backslash (`u$@v`, `u\v`), a pattern or
# a brace list (`u?`, `{u,}v`), a path or `~` (a link, a written file), and builtins that run
# or keep shell text or change where names are found.
_UNSEEN_CHARS = re.compile(r"[$`\\*?\[{/~]")
_UNSEEN_WORDS = re.compile(
    r"(?<![\w.-])(alias|trap|eval|exec|source|command|builtin|env|function|enable|hash|sudo|"
    r"xargs|nohup|setsid|time|sh|bash|dash|zsh|ksh|busybox|PATH|\.)(?![\w.-])|\(\s*\)"
)


def unseen(text: str) -> str:
    """Why ``text``, read as words only, may run a program its words do not name ('' when
    it cannot): the test a line (or heredoc body) the reader cannot model must pass to run."""
    found = _UNSEEN_CHARS.search(text) or _UNSEEN_WORDS.search(text)
    if not found:
        return ""
    what = found.group(0).strip()
    if what in ("$", "`"):
        return "an expansion"
    return "a word Warden cannot resolve" if what.isalpha() or what == "." else f"a {what!r}"


# bash's arithmetic for loop: sh cannot parse it (a syntax error ends the script there), so
# its header is read as bash does, an arithmetic expression (`for ((i=0;i<3;i++))`, R13-2)
_FOR_ARITHMETIC = re.compile(r"for[ \t]*\(\(")


def _redirected(text: str, i: int) -> bool:
    """Whether the ``(`` at ``i`` opens a process substitution (``<(``, ``>(``)."""
    return i > 0 and text[i - 1] in "<>"


_QUOTING = re.compile(r"\\\r?\n|['\"\\]")


def has_hint(text: str, cwd=None) -> bool:
    """Whether a word of ``text``, as written or with its quotes and backslashes removed
    (``p''ip`` is pip to the shell), may name an installer: the first look's one list of hints
    (``fastpath``), and links to installers (relative ones from ``cwd``)."""
    from .fastpath import may_launch

    return may_launch([text.split(), _QUOTING.sub("", text).split()], cwd)


def _check_comment(comment: str) -> None:
    """Belt and braces: a comment after code on its line is where a desync Warden does not
    model would hide commands (``echo a\\ #; pip install x``); one that holds a command
    separator followed by an installer hint is refused (``pip install x  # pinned`` and a
    commented-out ``# pip install x && pip install y`` on a line of its own pass)."""
    for sep in _SEPARATORS:
        k = comment.find(sep)
        if k >= 0 and has_hint(comment[k:]):
            raise Uncertain("a comment after a command holds a command separator and an installer")
