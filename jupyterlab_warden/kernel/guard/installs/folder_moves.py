"""Whether a start's words may move the folder its programs look names up from (red team 86
F2b). A relative folder of a start's PATH (``bin``, ``.``, an empty entry) is read by Warden
from the folder the start begins in (Popen's ``cwd``, or the kernel's); a program that changes
its folder first (a shell line's ``cd sub``, ``env -C sub``, ``git -C sub``, ``make -C``,
``tar -C``, ``find -execdir``, ``sudo -D``) looks its names up in ``sub/bin`` instead, which
Warden never listed. Which options of which programs move a folder is no list Warden can
close, so this is read by the words' text, generously: a word, or a word of a shell text
among them, that is such a command or option. Asked only for a start whose PATH holds a
relative folder (``path_programs.new_programs``): no cost for an ordinary PATH.

Only ``str`` methods (no ``re``): loaded at the first start of such a PATH."""

# commands that run what follows in another folder (a shell's, find's, a root change)
_COMMANDS = frozenset(("cd", "pushd", "popd", "-execdir", "-okdir", "chroot"))
# options that move a program before it runs the rest (``-C DIR``, ``-CDIR``, ``--chdir=DIR``)
_OPTIONS = ("--chdir", "--directory", "--cwd", "--working-directory", "--workdir")
# the characters that end a word in a shell text: ``(cd sub; tar ...)``, ``{ cd sub && x; }``
_SEPARATORS = str.maketrans({c: " " for c in ";&|(){}<>`'\"\n\t"})


def moves(words) -> str:
    """The first word of ``words`` (a list of a start's words, or a shell text) that may move
    the folder a program it runs looks names up from; '' when none does."""
    if type(words) is str:
        words = (words,)
    for word in words:
        if type(word) is not str:
            continue  # bytes: read as text by the start's own reading
        for piece in word.translate(_SEPARATORS).split():
            if piece in _COMMANDS or piece.startswith("-C") or piece == "-D":
                return piece
            for option in _OPTIONS:
                if piece == option or piece.startswith(option + "="):
                    return piece
    return ""
