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

# commands that run what follows in another folder (a shell's, find's, a root change;
# ``cmake -E chdir DIR CMD``, zsh's ``chdir``, perl's and PHP's ``chdir``, ruby's, node's: red
# team 88 F5)
_COMMANDS = frozenset(
    ("cd", "pushd", "popd", "-execdir", "-okdir", "chroot", "chdir", "Dir.chdir", "process.chdir")
)
# options that move a program before it runs the rest (``-C DIR``, ``-CDIR``, ``--chdir=DIR``;
# util-linux unshare's and nsenter's ``--wd``, red team 88 F5)
_OPTIONS = ("--chdir", "--directory", "--cwd", "--working-directory", "--workdir", "--wd")
# options that move only after a program known to read them so (a short option other
# programs use for other things: ``grep -w``, ``su -l``): unshare/nsenter ``-w DIR`` (``-wDIR``)
# and ``-R``/``-r``/``--root`` (a root change); a login shell's start in its HOME (``su -``,
# ``su -l``, ``runuser -l``, ``sudo -i``, ``machinectl shell``); ``start-stop-daemon -d``;
# tmux's ``-c DIR`` (a new window's folder); npm's ``--prefix`` (its scripts run there)
_PROGRAM_OPTIONS = {
    "unshare": ("-w", "-R", "--root"),
    "nsenter": ("-w", "-r", "--root"),
    "su": ("-", "-l", "--login"),
    "runuser": ("-", "-l", "--login"),
    "sudo": ("-i", "--login"),
    "machinectl": ("shell", "login"),
    "start-stop-daemon": ("-d",),
    "tmux": ("-c",),
    "npm": ("--prefix",),
    "npx": ("--prefix",),
    "pnpm": ("--prefix", "--dir"),
}
# the characters that end a word in a shell text: ``(cd sub; tar ...)``, ``{ cd sub && x; }``
_SEPARATORS = str.maketrans({c: " " for c in ";&|(){}<>`'\"\n\t"})


def moves(words) -> str:
    """The first word of ``words`` (a list of a start's words, or a shell text) that may move
    the folder a program it runs looks names up from; '' when none does."""
    if type(words) is str:
        words = (words,)
    after = ()  # the options of the programs seen so far that move (``_PROGRAM_OPTIONS``)
    for word in words:
        if type(word) is not str:
            continue  # bytes: read as text by the start's own reading
        for piece in word.translate(_SEPARATORS).split():
            if piece in _COMMANDS or piece.startswith("-C") or piece == "-D":
                return piece
            for option in _OPTIONS:
                if piece == option or piece.startswith(option + "="):
                    return piece
            for option in after:
                # ``-w DIR``, ``-wDIR``, ``--root=DIR``; a bundle's letter (``-fw``) is not read
                short = len(option) == 2 and option[0] == "-" and option != "--"
                if (
                    piece == option
                    or piece.startswith(option + "=")
                    or (short and piece.startswith(option))
                ):
                    return piece
            more = _PROGRAM_OPTIONS.get(piece.rsplit("/", 1)[-1])
            if more:
                after = after + more
    return ""
