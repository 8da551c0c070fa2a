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
    after: tuple = ()  # the options of the programs seen so far that move (``_PROGRAM_OPTIONS``)
    for word in words:
        if type(word) is not str:
            continue  # bytes: read as text by the start's own reading
        for piece in word.translate(_SEPARATORS).split():
            if _moving(piece, after):
                return piece
            after = _after(piece, after)
    return ""


def _moving(piece: str, after: tuple) -> bool:
    if piece in _COMMANDS or piece.startswith("-C") or piece == "-D":
        return True
    for option in _OPTIONS:
        if piece == option or piece.startswith(option + "="):
            return True
    for option in after:
        # ``-w DIR``, ``-wDIR``, ``--root=DIR``
        short = len(option) == 2 and option[0] == "-" and option != "--"
        if (
            piece == option
            or piece.startswith(option + "=")
            or (short and piece.startswith(option))
        ):
            return True
    return False


def _after(piece: str, after: tuple) -> tuple:
    more = _PROGRAM_OPTIONS.get(piece.rsplit("/", 1)[-1])
    return after + more if more else after


_KEPT = 16  # folders a start's moves may lead to, at most (more: read as one Warden cannot tell)
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/+,@%-")


def _shell_c(words, index: int) -> bool:
    """The word before ``words[index]`` is a shell's ``-c`` (``-c``, ``-lc``, ``-ec``): the
    word is the whole shell text, the next one its $0 (``bash -c cd sub`` goes HOME)."""
    before = words[index - 1] if index > 0 else ""
    return type(before) is str and before[:1] == "-" and before[1:2] != "-" and "c" in before[1:]


def targets(words, cdpath: bool = False) -> tuple:
    """(the folders, relative to the start's, its programs may run in after the moves in
    ``words``, the first move whose folder Warden cannot tell or ''), red team 88 FR1: where
    every move names its folder as a plain word (``cd data``, ``git -C repo``, ``make -Cbuild``,
    ``--chdir=sub``, ``cmake -E chdir sub``), the start's relative PATH folders are read from
    each folder it may run in (each move from every folder an earlier one may have led to: a
    superset) instead of the start refused. A move word inside another word (``"cd sub"``,
    ``a;cd``), a folder quoted, expanded or written with ``~`` (``cd "$D"``, ``cd ~``), ``cd``
    alone (HOME), ``cd -``, and every other move (``-execdir``, ``chroot``, ``su -``,
    ``unshare -w``) is one Warden cannot tell. An argument word holding a blank (``git -C 'my
    repo'``) is read as a shell text only when the move is in the same word, and a move word
    alone in its word takes the next word only when that is alone in its word too (``bash -c
    cd sub``: sub is $0, cd goes HOME). ``cdpath``: the start's CDPATH is set (bash's ``cd
    data`` may go to ``$CDPATH/data``): a ``cd``/``pushd`` to a relative folder is not told;
    so when a word names CDPATH (the line sets it)."""
    if type(words) is str:
        words = (words,)
    cdpath = cdpath or any(type(word) is str and "CDPATH" in word for word in words)
    stream = []  # (token, the word's index, whether the word is one token)
    for index, word in enumerate(words):
        if type(word) is not str:
            continue
        tokens = word.split()
        stream.extend((token, index, len(tokens) == 1) for token in tokens)
    bases = {""}
    after: tuple = ()
    for at, (token, index, alone) in enumerate(stream):
        pieces = token.translate(_SEPARATORS).split()
        movers = []
        for piece in pieces:  # as ``moves`` reads them: a program's options after its name
            if _moving(piece, after):
                movers.append(piece)
            after = _after(piece, after)
        if not movers:
            continue
        core = token.lstrip("(;&|{")
        if len(movers) != 1 or len(pieces) != 1 or core != movers[0]:
            return (), movers[0]
        if core == "popd":
            continue  # back to a folder an earlier pushd led from: listed already
        value = None
        if core in ("cd", "pushd", "chdir") or core in ("-C", "-D") or core in _OPTIONS:
            if at + 1 < len(stream):
                token, next_index, whole = stream[at + 1]
                if next_index == index:
                    value = token.rstrip(";&|)}")
                elif alone and whole and not _shell_c(words, index):
                    # ``git -C repo``, ``cmake -E chdir sub``, a line's ``cd data`` read as argv
                    value = token
        elif core.startswith("--") and "=" in core and core.partition("=")[0] in _OPTIONS:
            value = core.partition("=")[2]
        elif core.startswith("-C"):
            value = core[2:]
        if not value or value[0] == "-" or not all(c in _PLAIN for c in value):
            return (), core
        if cdpath and core in ("cd", "pushd") and value[0] != "/":
            return (), core
        bases |= {value if value[0] == "/" or not base else base + "/" + value for base in bases}
        if len(bases) > _KEPT:
            return (), core
    return tuple(sorted(bases - {""})), ""
