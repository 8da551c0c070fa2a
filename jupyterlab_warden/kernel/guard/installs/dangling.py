"""Names Warden cannot read as "no file" (red team 57a R57a-1..5, -10): a link leading nowhere
while Warden reads the line may lead somewhere when the line runs.

The kernel resolves ``B/pip -> ../m/../evil`` component by component: while ``m`` is missing it
stops there, so a PATH lookup passes over ``B/pip``, and uv or pip read "no such config file",
"no .venv". An earlier command of the same line that Warden counts as writing nothing there
(``mkdir m``, ``uv venv m``) makes ``m``, and then the same name runs or configures ``evil``.
A name through ``/dev/fd`` or ``/proc`` (``uv.toml -> /dev/fd/200`` with ``200<cfg`` on the
line) names a descriptor of the process that opens it: the kernel's own look reads another.

``unsure(path)``: why ``path`` may name another file when the line runs than now (None: it
does not), built on ``link_walk``'s walk, which says where the kernel's resolution gets
stuck. Not unsure: the plain missing last name with no link involved (``cp x pip.conf``
before a pip start is the earlier-writer rules' case) and a name that resolves now (a link
re-pointed by the line is ``commands._through_links``' case).

``maker(reason, places)``: which of a line's writers (``(writer, place)`` pairs, as
``commands._write_places`` gives them) may make the missing component, so an unsure name
refuses only a line that may make it resolve: a venv on PATH holding a stale link
(``bin/gone -> ../nothing/gone``) leaves ``mkdir -p out && cp m.pt out/ && python3 train.py``
alone, old link or new.
Only ``os`` at import; ``link_walk`` is loaded on the first name asked.
"""

import os

# roots whose names are the opening process's own (fastpath's ``_PROCESS_ROOTS``)
_PROCESS_ROOTS = ("/proc", "/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr")
# unpackers whose places Warden reads from their words but whose work may land anywhere: an
# archive's members may be links and ``../`` names, so a folder they make is not where their
# words say (a tar and unzip are told by their words: ``commands._made_places``)
_ANYWHERE = frozenset(("cpio", "pax", "7z", "7za"))  # unzip: ``unpack_reach``


class Unsure(str):
    """Why a name may name another file when the line runs (the text of a refusal's reason).
    ``path``: the name asked; ``stuck``: the real path where the kernel's resolution stops
    now ('' for a name through ``/proc`` or ``/dev/fd``: any descriptor the line opens)."""

    path = ""
    stuck = ""

    def __new__(cls, text: str, path: str, stuck: str) -> "Unsure":
        made = super().__new__(cls, text)
        made.path = path
        made.stuck = stuck
        return made


def unsure(path: str):
    """Why ``path`` (relative: from this process's folder) is a name the kernel cannot resolve
    now but a line may make resolve (an ``Unsure``), or None. A name that resolves now, and a
    plain missing last name with no link on its way, are None."""
    from . import link_walk

    if _process(path):
        return _through_process(path)
    try:
        found = link_walk.walk(path)
    except (OSError, ValueError):
        return Unsure(f"{path} could not be followed link by link", path, "")
    for name in found.links + [found.end, found.stuck]:
        if name and _process(name):
            return _through_process(path)
    if len(found.links) > link_walk.MAX_LINKS:
        return Unsure(
            f"{path} passes through more than {link_walk.MAX_LINKS} links (the kernel opens "
            "nothing there now; a line that re-points one of them changes that)",
            path,
            found.stuck,
        )
    if found.plain:
        return None  # the path's own names from where it stops: a writer makes them by name
    if found.stuck:
        via = f" (a link on its way: {found.links[0]})" if found.links else ""
        return Unsure(
            f"{path}{via} does not resolve now: the kernel's resolution stops at "
            f"{found.stuck}, which is missing or no folder, though names follow it; once "
            "something is made there it leads to a file Warden did not read",
            path,
            found.stuck,
        )
    if found.links and not os.path.lexists(found.end):
        return Unsure(
            f"{path} is a link leading to {found.end}, which is not there now; once something "
            "is made there it leads to a file Warden did not read",
            path,
            found.end,
        )
    return None


def may_lead_elsewhere(path: str) -> bool:
    """Whether ``path`` may resolve otherwise when the line runs, so ``unsure`` should walk
    it: a link itself, or its folder a link or no folder now (a PATH folder ``B -> m/../bin``
    passes over ``B/pip`` until ``mkdir m``: red team 81 R81-4). Two ``lstat``s and a
    ``stat``: a plain file in a plain folder is not walked."""
    folder = os.path.dirname(path)
    return os.path.islink(path) or os.path.islink(folder) or not os.path.isdir(folder)


def maker(reason, places, on_trust: bool = False) -> str:
    """The first writer of ``places`` ((writer, place) pairs: a writer ``/``-suffixed writes
    anything under its place; '' a place Warden cannot tell) that may make what ``reason``
    (``unsure``'s answer) is stuck at: a place at or under it (``mkdir -p m/sub`` makes m), a
    tree over it, a place Warden cannot tell, an unknown program (its code says where it
    writes), an unpacker. '' none: the name stays unresolved while the line runs.
    ``on_trust``: an unknown program's places are taken as its words and folder give them, as
    the rule for program files written on PATH takes them (red team 23: ``git config ... &&
    git config ...`` with a stale link in a venv's bin runs), for a name no word of the line
    names (a program run by name by the line's program)."""
    stuck = reason.stuck
    if not stuck:
        return "a descriptor the line opens"  # any line may open one: no writer needed
    for writer, place in places:
        name = str(writer).rstrip("/")
        if not place or (not on_trust and _unknown(writer)) or _unpacker(writer):
            return name or "a writer"
        tree = str(writer).endswith("/")
        for at in {place, os.path.realpath(place)}:
            if at == stuck or _under(at, stuck) or (tree and _under(stuck, at)):
                return name
    return ""


def mkdir_operands(args: list) -> list:
    """The folders ``mkdir ARGS`` may make: every word that is no option (red team 81 R81-1).
    A mode's value counts too (``-m 755``: a folder named 755 is a place too many, the safe
    side): reading which option takes the next word missed GNU's ``--context`` (its value only
    after ``=``, so ``mkdir --context m`` makes m), and getopt's abbreviations and bundles."""
    operands, options = [], True
    for word in args:
        if options and word == "--":
            options = False
        elif not (options and word.startswith("-") and word != "-"):
            operands.append(word)
    return operands


def _unknown(writer) -> bool:
    """An unknown program or a Python with Warden's guard, whose code says where it writes
    (``commands.CodeWriter``, ``GuardedWriter``: by their class names, so this module does not
    load the line reading)."""
    return type(writer).__name__ in ("CodeWriter", "GuardedWriter")


def _unpacker(writer) -> bool:
    """An unpacker, whose members may be links and ``../`` names."""
    program = str(writer).rstrip("/").split(",")[0].split(" ")[0]
    return os.path.basename(program) in _ANYWHERE


def refusal(reason, writer: str, what: str) -> str:
    """A refusal's text: ``what`` (the name's role: "the program pip on PATH", "uv's config
    file") is unsure, and ``writer`` on the line may make it resolve."""
    if not reason.stuck:
        return (
            f"{what} is {reason.path}, reached through /proc or /dev/fd: it names a "
            "descriptor or file of the process that opens it, the kernel's when Warden reads "
            "it, the line's own (a descriptor it opens) when it runs: name the file itself"
        )
    return (
        f"{what} is unsure: {reason}, and an earlier command on the line ({writer}) may make "
        f"{reason.stuck}; remove the link or run that command as its own line"
    )


def _through_process(path: str) -> "Unsure":
    return Unsure(f"{path} is reached through /proc or /dev/fd", path, "")


def _process(name: str) -> bool:
    for root in _PROCESS_ROOTS:
        if name == root or name.startswith(root + "/"):
            return True
    return False


def _under(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip("/") + "/")
