"""A sed script read command by command (red team 15 R15-22).

GNU sed runs a command through the shell with ``e COMMAND``, with the ``e`` flag of ``s``
(the pattern space is run) and writes files with ``w``/``W`` and ``s///w FILE``
(``w /dev/stdout``-like names, a file a later start runs). A deny pattern that looks for
``e`` after some address forms missed the others (``/x/Ie``, ``\\%x%e``, ``0,/x/e``), so the
script is read the way sed reads it: each command is its addresses (a line number,
``first~step``, ``$``, ``/RE/`` or ``\\cREc`` with ``I``/``M`` flags, ``addr1,+N``/``~N``),
any ``!``, then one command letter, and only commands that process text are allowed. Where
the reading is unsure it reads less (a label ends early), so what follows is read as commands.
The static side's port is src/deps/sedscript.ts.
"""

# commands that only process text (GNU sed 4.9); `r`/`R` read a file into the output
_PLAIN = set("=dDgGhHnNpPxzF")
_NUMBERED = set("qQlL")  # an optional exit code or line length
_LABELLED = set(":btTv")  # a label (or version) to the end of the command
_TEXT = set("aic")  # text to the end of the line, continued by a trailing backslash
_FILE_READ = set("rR")  # a file name to the end of the line, never continued
_SUBSTITUTE_FLAGS = set("gpIiMm0123456789")
_ENDS = set(";\n}#")


class _Refused(Exception):
    pass


def refused_command(script: str) -> str:
    """What in ``script`` sed runs as a command or writes to a file, or what Warden cannot
    read ('' when the script only processes text)."""
    try:
        _Reader(script).read()
    except _Refused as exc:
        return str(exc)
    return ""


class _Reader:
    def __init__(self, text: str):
        self.text, self.pos = text, 0

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def blanks(self, newlines: bool = False):
        while self.peek() and self.peek() in (" \t\n;" if newlines else " \t"):
            self.pos += 1

    def read(self):
        while True:
            self.blanks(newlines=True)
            if not self.peek():
                return
            if self.peek() == "#":
                self.to_line_end()
                continue
            if self.address():
                self.blanks()
                if self.peek() == ",":
                    self.pos += 1
                    self.blanks()
                    if self.peek() in ("+", "~"):
                        self.pos += 1
                    if not self.address():
                        raise _Refused(f"sed address {self.text[: self.pos + 1]!r}")
            self.blanks()
            while self.peek() == "!":
                self.pos += 1
                self.blanks()
            self.command()

    def address(self) -> bool:
        start, char = self.pos, self.peek()
        if char.isdigit():
            while self.peek().isdigit():
                self.pos += 1
            if self.peek() == "~":
                self.pos += 1
                while self.peek().isdigit():
                    self.pos += 1
        elif char == "$":
            self.pos += 1
        elif char in ("/", "\\"):
            if char == "\\":
                self.pos += 1
            delimiter = self.peek()
            if delimiter in ("", "\n", "\\"):
                raise _Refused(f"sed address {self.text[start : self.pos + 1]!r}")
            self.pos += 1
            self.delimited(delimiter)
            while self.peek() in ("I", "M") and self.peek():
                self.pos += 1
        return self.pos > start

    def delimited(self, delimiter: str):
        """Past a regex or replacement ended by ``delimiter`` (a backslash escapes any)."""
        while True:
            char = self.peek()
            if not char or (char == "\n" and delimiter != "\n"):
                raise _Refused("an unterminated sed expression")
            self.pos += 1 + (char == "\\")
            if char == delimiter:
                return

    def to_line_end(self):
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end < 0 else end + 1

    def command(self):
        char = self.peek()
        self.pos += 1
        if char in ("{", "}") or char in _PLAIN:
            return
        if char in _NUMBERED:
            self.blanks()
            while self.peek().isdigit():
                self.pos += 1
        elif char in _LABELLED:
            self.blanks()
            while self.peek() and self.peek() not in " \t;\n}#":
                self.pos += 1
        elif char in _FILE_READ:
            # a file name runs to the end of the line, a trailing backslash included (GNU
            # sed's read_filename; red team 16 R16-1: `r f\\` then a command on the next line)
            self.to_line_end()
        elif char in _TEXT:
            while True:  # to the end of the line; a line ending in a backslash goes on
                end = self.text.find("\n", self.pos)
                line = self.text[self.pos :] if end < 0 else self.text[self.pos : end]
                self.pos = len(self.text) if end < 0 else end + 1
                if end < 0 or (len(line) - len(line.rstrip("\\"))) % 2 == 0:
                    return
        elif char in ("s", "y"):
            delimiter = self.peek()
            if delimiter in ("", "\n", "\\"):
                raise _Refused(f"sed {char} without a delimiter")
            self.pos += 1
            self.delimited(delimiter)
            self.delimited(delimiter)
            while char == "s" and self.peek() and self.peek() not in _ENDS | {" ", "\t"}:
                if self.peek() not in _SUBSTITUTE_FLAGS:
                    # e runs the pattern space as a command, w writes a file
                    raise _Refused(f"the s command's {self.peek()!r} flag")
                self.pos += 1
        else:
            raise _Refused(
                f"the sed command {char!r}" + (" (runs a command)" if char == "e" else "")
            )
