"""Program files on a start's PATH written since the kernel started (red team 18 R18-1, R18-2,
R18-4): ANY started program may look a name up on its PATH and run what it finds (git runs
``git-NAME`` and ``git-remote-NAME``, tar runs ``gzip``/``xz``, zcat runs ``gzip``), and Warden
reads only the program the line names. So a program file the cell, a clone or a download put
in a PATH folder is read, at every start whose PATH holds that folder, as a start of its own
(the gate: ``InstallGate._path_programs``), whatever the line names.

Kept cheap (every process start pays it): one ``stat`` per PATH folder; a folder is listed
again only when its identity, mtime or ctime changed (adding, renaming or removing an entry
changes both; ``os.utime`` sets the mtime back but stamps a new ctime, which a cell cannot set:
red team 21 R21-2), and a listing made within ``_SETTLED`` seconds of the folder's last change
is not kept (a second change in the same clock tick would keep the folder's times). A
listing keeps every file that is or may become a program file (red team 19 R19-1: ``chmod
+x`` changes the file's mode and ctime, not the folder's mtime), and
whether it is one is decided at each start: one ``lstat`` per kept file (and a ``stat`` per
kept link that resolves: one kept leading nowhere is a program once a folder on its way is
made, fix91h). A link to an older
program file whose steps leave its folder (``bin/gzip -> ../lib/gzip``) is kept under each
folder it leads through that is not the machine's (``_machine_link``): one ``stat`` per such
folder at each start, its links ``stat``ed through only when it changed (R82-5: a target
replaced by a rename in ``lib`` changes neither ``bin`` nor the link). A program file that
was one before the kernel started, changed IN PLACE, keeps its folder's mtime and stays out
of the listing: see the threat model.

An OLDER program file counts as the machine's only by place (``commands._machine_program``'s
rule: root's, in a root-owned system folder unchanged since the start): in any other folder
(a clone's ``bin``, a venv's, ``node_modules/.bin``) a file written before a kernel restart
runs as a new one would (age81). Such files are sorted once per listing by their ``#!`` line
(``_older``, read then, never per start): a native program (no ``#!``) is not read (Warden
reads a native program by its name); a line naming an interpreter and at most one option runs
a body of the declared script-file class (not read), and only its interpreter's start is
weighed, once per interpreter line for a Python (``InstallGate._older_programs``); any other
line is read as a new program is. The start passes ``older`` to collect them.
Each folder is read as the process that looks a name up finds it, or named as one Warden
cannot tell (red team 86, ``unsure``): ``~/bin`` both as bash expands it and as written, a
relative folder from the start's folder (every path named absolute), a folder or a link
reached through ``/proc`` or ``/dev/fd`` refused; a root kernel's own ``access`` answers are
not its children's (they regain dropped capabilities at exec).
Only ``os``, ``stat``, ``time`` and ``machine_folders`` (no import) at import (loaded with the
guard at every Python's start)."""

import os
import stat
import time

from . import machine_folders

# folder -> ((st_mtime_ns, st_ctime_ns, st_ino, st_dev), the files in it that are or may become
# program files changed since start, the names of all its entries, its older program files
# sorted by their ``#!`` lines or None: ``_listed``)
_FOLDERS: dict = {}
_KEPT = 256
_SETTLED = 2.0  # seconds: file systems stamp times by clock ticks (a coarse one, or 2 s on FAT)
_started = None  # the kernel's start (seconds since the epoch), read on the first listing


def new_programs(
    search: str,
    cwd=None,
    present=None,
    older=None,
    unlisted=None,
    unsure=None,
    home=None,
    words=None,
    cdpath=False,
    dangling=None,
) -> list:
    """The program files (executable regular files, or links) in the folders of ``search`` (a
    PATH string; relative folders from ``cwd``) whose file, or link, changed since the kernel
    started: each may be run by name by any program the start runs.

    ``present``: a dict filled with ``{folder + "/": names of all its entries}`` for each
    folder whose listing this call found current (its identity and times checked now), so the
    start's own lookup of its program (``fastpath._file_reads_fully``) skips, without a system
    call, a folder that holds no entry of that name; a folder not listed is not named.

    ``older``: a list extended with each listed folder's older program files outside the
    machine's folders, sorted by their ``#!`` lines (``Older``): no system call per file.

    ``unlisted``: a list extended with each folder this process may search but not list
    (``chmod 0311 bin``: exec finds a new ``bin/gzip`` there, Warden cannot; red team 84 F4),
    which the caller refuses.

    ``unsure``: a list extended with the reason of each folder whose programs Warden cannot
    tell for the process that looks names up (red team 86: a folder or a link of it reached
    through ``/proc`` or ``/dev/fd``, which names the looking process; a relative folder of a
    start whose ``words`` may move it elsewhere first), which the caller refuses. ``home``:
    the start's HOME, for a folder written ``~/bin`` (bash expands it, ``execvp`` does not:
    both are read). Every path found and named is absolute (red team 86 F2a: a relative one,
    read from the start's folder by the caller, named another file).

    ``dangling``: a list extended with each link of the folders, older than the kernel's
    start, that leads nowhere now (``_link_changed``'s walk stops at a missing step): no file
    to read, but a line that makes what it is stuck at makes it run (fix91h:
    ``commands._refuse_unsure_path_links`` weighs them). Found by the checks every start makes
    already: no system call of its own."""
    found = []
    folders = _FOLDERS
    # read once per call, not once per folder (every start pays this loop: ~10 folders)
    look, read_link = os.stat, os.readlink
    named, relative = _folders(search, cwd, home)
    if cwd is not None and words is not None and not relative:
        # a relative folder placed from the start's folder given (Popen's absolute ``cwd``, a
        # line's folder) is still one the start's programs read from THEIR folder (red team
        # 88 F5: ``PATH=bin:... unshare -w sub tar`` in a line read from the kernel's folder)
        relative = _folders(search, None, home)[1]
    if relative:
        # a relative folder (``bin``, ``.``, an empty entry, ``~/bin`` as execvp reads it):
        # from the start's folder, written out (one ``getcwd`` per start of such a PATH only)
        moved = ()
        if words is not None and unsure is not None and _moves(words):
            # red team 88 FR1: each folder a move names as a plain word is read as well; a
            # move to a folder Warden cannot tell refuses the start
            moved, unknown = _targets(words, cdpath)
            if unknown:
                unsure.append(_moved_reason(relative, unknown))
        here = os.getcwd()
        base = os.path.join(here, os.fsdecode(cwd)) if cwd else here
        named = _folders(search, base, home)[0]
        if moved:
            named = list(named)
            seen = {entry[0] for entry in named}
            for folder in moved:
                for entry in _folders(search, os.path.join(base, folder), home)[0]:
                    if entry[0] not in seen:
                        seen.add(entry[0])
                        named.append(entry)
    for folder, slashed, alias in named:
        if alias is not None:
            if alias is _STACK:
                if unsure is not None:
                    unsure.append(_stack_reason(folder))
                continue  # bash's OLDPWD or folder stack: no folder Warden can name
            if alias is _PROCESS:
                if unsure is not None:
                    unsure.append(_process_reason(folder, _process_root(folder)))
                continue  # nothing the kernel lists there is what the looking process finds
            # a top-level link to another folder of this PATH (``/bin`` -> ``usr/bin``, a
            # merged /usr): while it reads the same, it is that folder, checked in this call:
            # its link's text (a str) is read instead of a stat (a fifth of the cost)
            try:
                if read_link(folder) == alias:
                    continue
            except (OSError, ValueError):
                pass  # no longer a link: checked as a folder
        try:
            info = look(folder)
        except (OSError, ValueError):
            continue  # no such folder: nothing is found there
        known = folders.get(folder)
        # compared field by field: no tuple made per folder (the common folder: unchanged)
        if known is None:
            known = _relisted(folder, info)
        else:
            stamp = known[0]
            if (
                stamp[0] != info.st_mtime_ns
                or stamp[1] != info.st_ctime_ns
                or stamp[2] != info.st_ino
                or stamp[3] != info.st_dev
            ):
                known = _relisted(folder, info)
        if known[1]:  # most folders keep no file (every start pays this loop)
            # one lstat per kept file, inline (a call per file was a third of this loop). Not
            # ``os.access``: it answers for this process, and a root kernel that dropped its
            # capabilities (capset) has children that regain them at exec (red team 86 F4)
            for path in known[1]:
                try:
                    own = os.lstat(path)
                except (OSError, ValueError):
                    continue  # removed since listed: nothing runs it
                if stat.S_ISLNK(own.st_mode):
                    changed = _link_changed(path, own)  # its target decided as ``_listed`` does
                    if changed or (changed is False and _program_now(path)):
                        # new, or kept leading nowhere (or to no program) when listed and a
                        # program now: never sorted as an older one (``mkdir m`` made
                        # ``bin/gzip -> ../m/../x`` resolve: fix91h)
                        found.append(path)
                    elif changed is None and dangling is not None:
                        dangling.append(path)
                # an executable regular file whose status changed since start (a ``chmod +x``
                # sets its ctime: R19-1); a file not executable now is no program (the common
                # kept file: one test)
                elif (
                    own.st_mode & 0o111
                    and stat.S_ISREG(own.st_mode)
                    and own.st_ctime >= (_kernel_started() - 1)
                ):
                    found.append(path)
        if known[4]:  # the folders its links lead through (R82-5): one stat each
            for way in known[4]:
                try:
                    info = look(way[0])
                except (OSError, ValueError):
                    info = None
                state = way[1]
                if (
                    info is None
                    or state is None
                    or state[0] != info.st_ino
                    or state[1] != info.st_ctime_ns
                    or state[2] != info.st_mtime_ns
                    or state[3] != info.st_dev
                ):
                    if _replaced(way, info, found, dangling):
                        # the same files, but the way may lead elsewhere now (red team 84 F2:
                        # ``lib`` renamed to lib2, a new ``lib/gzip -> ../lib2/gzip``): the
                        # folder is listed again at the next start, its links' ways walked
                        # anew and a link with a new step read as a new program
                        # (``_link_changed``)
                        folders.pop(folder, None)
        why = known[5]
        if why:  # a folder Warden cannot read as the looking process finds it
            if why is True:
                if unlisted is not None:
                    unlisted.append(folder)
            elif unsure is not None:
                unsure.append(why)
        elif present is not None and known[2] is not None:
            present[slashed] = known[2]
        if older is not None and known[3] is not None:
            older.append(known[3])
    return found


def _replaced(way: list, info, found: list, dangling=None) -> bool:
    """A folder links lead through changed (an entry renamed in or out, a folder swapped): each
    of its links whose target is another file now is found, at every start (as a new file is),
    each that leads nowhere now added to ``dangling`` (``new_programs``).
    Whether none is and the folder is settled: then its PATH folder is to be listed again (the
    ways walked anew: a way may lead through other folders to the same file, F2)."""
    changed = False
    for path, state in way[2]:
        try:
            now = os.stat(path)
        except (OSError, ValueError):
            changed = True  # no target now: exec finds nothing; asked again at the next start
            if dangling is not None and path not in dangling:
                dangling.append(path)
            continue
        if _state(now) != state:
            changed = True
            if path not in found:
                found.append(path)
    return not changed and info is not None and time.time() - info.st_ctime >= _SETTLED


def _relisted(folder: str, info) -> tuple:
    """``folder``'s entry in ``_FOLDERS``, listed now (its status ``info``); kept only once its
    last change is ``_SETTLED`` seconds old."""
    known = ((info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev), *_listed(folder))
    if time.time() - info.st_ctime >= _SETTLED:
        if len(_FOLDERS) >= _KEPT:
            _FOLDERS.clear()
        _FOLDERS[folder] = known
    return known


# The folders a PATH string names, each once, relative ones from the start's folder: a pure
# function of the strings, kept (every start pays this look).
_SEARCHES: dict = {}


def _folders(search: str, cwd, home=None) -> tuple:
    """((folder, folder with one trailing slash, alias), ...) for each folder ``search``
    names, once, and the relative folders among them (relative ``cwd`` or none given: the
    caller places them). ``alias``: ``_alias``, or ``_PROCESS`` for a folder whose text is
    under ``/proc`` or ``/dev/fd`` (red team 86 F7: ``/proc/self/cwd/bin`` is the looking
    process's folder, not the kernel's). A folder written ``~/bin`` or ``~user/bin`` is read
    twice: as bash expands it when it looks a name up (findcmd.c, red team 86 F1), and as
    ``execvp`` and every other program read it, a folder named ``~`` in the start's folder."""
    known = _SEARCHES.get((search, cwd, home))
    if known is None:
        named = []
        stacked = []  # folders bash reads from its OLDPWD or folder stack (``_tilde``)
        for folder in search.split(os.pathsep):
            folder = folder or "."
            forms = (folder,)
            if folder.startswith("~"):
                forms = (_tilde(folder, home), folder)
            for form in forms:
                if form is None:
                    continue
                if form is _STACK:
                    if folder not in stacked:
                        stacked.append(folder)
                    continue
                if cwd is not None and not form.startswith("/"):
                    form = os.path.join(os.fsdecode(cwd), form)
                if form not in named:
                    named.append(form)
        relative = tuple(folder for folder in named if not folder.startswith("/"))
        known = (
            tuple(
                (
                    folder,
                    folder if folder.endswith("/") else folder + "/",
                    _PROCESS if _process_root(folder) else _alias(folder, named),
                )
                for folder in named
            )
            + tuple((folder, folder, _STACK) for folder in stacked),
            relative,
        )
        if len(_SEARCHES) >= 64:
            _SEARCHES.clear()
        _SEARCHES[(search, cwd, home)] = known
    return known


_PROCESS = object()  # the alias of a folder named under /proc or /dev/fd: ``_folders``
_PROCESS_ROOTS = ("/proc", "/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr")


def _process_root(folder: str) -> str:
    """The ``/proc`` or ``/dev/fd`` root ``folder``'s text names it under ('' when none), as
    written and as ``..`` steps read by text (``/x/../proc/self``; a link on the way is found
    when the folder is listed: ``_listed``)."""
    for text in (folder, os.path.normpath(folder)) if folder.startswith("/") else ():
        for root in _PROCESS_ROOTS:
            if text == root or text.startswith(root + "/"):
                return root
    return ""


def _process_reason(folder: str, root: str, link: str = "") -> str:
    what = (
        f"the link {link} in the folder {folder} on this start's PATH leads"
        if link
        else f"the folder {folder} on this start's PATH is reached"
    )
    return (
        f"{what} through {root}, which names the process that "
        "looks a program up there (each program the start runs sees its own working folder and "
        "descriptors), not the kernel where Warden would list it: Warden cannot tell which "
        "programs any program this start runs may run by name; write the folder out"
        + (" or remove the link" if link else "")
    )


_STACK = object()  # ``_tilde``'s answer for ``~-``, ``~N``, ``~+N``, ``~-N``


def _tilde(folder: str, home):
    """``folder`` (``~/bin``, ``~user/bin``) as bash expands it: ``~`` from ``home`` (the
    start's HOME; unset: the user's home in the password database), ``~user`` that user's
    home; None when bash leaves it as written (no such user). bash's other tilde prefixes
    (red team 88 F8): ``~+`` is $PWD, the folder the shell runs in, returned relative (``.``,
    ``DIR``: read as any relative folder is, from the start's folder, moves and all); ``~-``
    ($OLDPWD) and ``~N``/``~+N``/``~-N`` (the ``dirs`` stack) name a folder of the shell's
    past, which Warden cannot tell: ``_STACK``."""
    name, slash, rest = folder[1:].partition("/")
    kind = tilde_kind(folder)
    if kind == "pwd":
        return (rest or ".") if slash else "."
    if kind == "stack":
        return _STACK
    try:
        import pwd  # built in: no file read at import

        if name:
            base = pwd.getpwnam(name).pw_dir
        else:
            base = home if home is not None else pwd.getpwuid(os.geteuid()).pw_dir
    except (KeyError, ImportError, OSError, ValueError):
        return None
    return base.rstrip("/") + "/" + rest if slash else base


def _stack_reason(folder: str) -> str:
    return (
        f"the folder {folder} on this start's PATH is one bash reads from its OLDPWD or its "
        "folder stack (``~-``, ``~N``: a folder the shell was in before), which Warden cannot "
        "tell; write PATH's folders out"
    )


def tilde_kind(folder: str) -> str:
    """How bash reads a PATH folder's tilde prefix (``_tilde``, for ``commands._which``):
    ``pwd`` (``~+``), ``stack`` (``~-``, ``~N``), '' (``~``, ``~user``, none)."""
    if not folder.startswith("~"):
        return ""
    name = folder[1:].partition("/")[0]
    if name == "+":
        return "pwd"
    if name == "-" or (name.lstrip("+-").isdigit() and name.lstrip("+-").isascii()):
        return "stack"
    return ""


def relative_folders(search: str) -> tuple:
    """The relative folders (``bin``, ``.`` for an empty entry, ``~/bin`` as ``execvp`` reads
    it) of a PATH string: kept by its text, no system call."""
    return _folders(search, None)[1]


def _moves(words) -> str:
    from .folder_moves import moves

    return moves(words)


def _targets(words, cdpath: bool) -> tuple:
    from .folder_moves import targets

    return targets(words, cdpath)


def _moved_reason(relative: tuple, moved: str) -> str:
    return (
        f"its PATH holds the relative folder {relative[0]}, which each program looks names up "
        f"in from its own working folder, and the start may run programs in a folder Warden "
        f"cannot tell ({moved!r}): Warden reads the folder from the folder the start begins "
        "in and from each folder a move names as a plain word (cd data, git -C repo); write "
        "PATH's folders out"
    )


def _alias(folder: str, named: list):
    """The text of the link ``folder`` is when it is a link in ``/`` whose target, another of
    ``named``, is no such link itself (``/bin`` -> ``usr/bin`` with ``/usr/bin`` on the same
    PATH), else None. Only in ``/``: the folder a relative target is read from is the root,
    which no process replaces under a running one, so while the link's text is the same the
    link leads to that folder, and the folder's own check covers it (its path, followed from
    the root, is the same walk)."""
    parts = folder.rstrip("/").split("/")
    if len(parts) != 2 or parts[0] or not parts[1]:
        return None
    try:
        if not stat.S_ISLNK(os.lstat(folder).st_mode):
            return None
        text = os.readlink(folder)
    except (OSError, ValueError):
        return None
    if any(part in (".", "..") for part in text.split("/")):
        return None  # the kernel walks ``..`` through links, normpath by text
    target = os.path.normpath(os.path.join("/", text))
    others = {other.rstrip("/") or "/": other for other in named if other != folder}
    if target not in others or _is_top_link(others[target]):
        return None
    return text


def _is_top_link(folder: str) -> bool:
    parts = folder.rstrip("/").split("/")
    try:
        return len(parts) == 2 and not parts[0] and stat.S_ISLNK(os.lstat(folder).st_mode)
    except (OSError, ValueError):
        return False


def _listed(folder: str) -> tuple:
    """The files of ``folder`` that are, or may become without a change to the folder, program
    files changed since the kernel started (status-change time: a cell cannot set it back; a
    folder Warden cannot list holds none it could find): links and executable regular files
    changed since start, and every regular file that is not executable now, whatever its age
    (a ``chmod +x`` makes it a program file changed since start, R19-1; system folders hold
    almost none, so the per-start ``lstat`` stays cheap). With them, the names of all the
    folder's entries (None when it cannot be listed: a folder one may search but not read
    is looked in name by name), and its older program files that are not the machine's,
    sorted by their ``#!`` lines (``Older``; None when there are none); the ways of its links
    (``_keep_way``); why Warden cannot read it as the looking process finds it: True for a
    folder a program may find files in that Warden cannot list (``_unseen``), the reason for
    one reached, or holding a link that leads, through ``/proc`` or ``/dev/fd`` (red team 86
    F7, F9), else False."""
    since = _kernel_started() - 1
    found = []
    root = _through_process(folder)
    if root:  # a link on the way (``me -> /proc/self``, ``me/cwd/bin``): read per process
        return (), None, None, (), _process_reason(folder, root)
    try:
        entries = list(os.scandir(folder))
    except (OSError, ValueError):
        return (), None, None, (), _unseen(folder, since)
    # the folders links lead through out of this one, not the machine's: {folder: [folder,
    # its state, [(link, its target's state)]]}
    ways: dict = {}
    home = None  # the folder's real path: asked at its first link
    machine = None  # whether the folder is one of the machine's: asked at its first older file
    _PLACES.clear()
    _STEPS.clear()
    older = Older()
    why = False
    for entry in entries:
        try:
            own = entry.stat(follow_symlinks=False)
            if stat.S_ISLNK(own.st_mode):
                # also kept: a link to no file or to a file not executable now, which a later
                # write or chmod of the target makes a program without the folder's mtime
                target = _target(entry.path)
                if target is None or not target.st_mode & 0o111 or _link_changed(entry.path, own):
                    found.append(entry.path)
                    why = why or _process_link(folder, entry.path)
                    continue
            elif stat.S_ISREG(own.st_mode):
                if not own.st_mode & 0o111 or own.st_ctime >= since:
                    found.append(entry.path)
                    continue
                target = own
            else:
                continue
        except (OSError, ValueError):
            continue  # removed while listed
        if not stat.S_ISREG(target.st_mode):
            continue  # a link to a folder: exec runs nothing
        if own is not target:
            # a link to an older program file: replacing its target where the link leads
            # changes neither this folder's times nor the link (R82-5): unless the way there is
            # the machine's, its target's state is checked at each start
            if home is None:
                home = os.path.realpath(folder)
            if not _machine_link(entry.path, home, target, since):
                why = why or _process_link(folder, entry.path)
                _keep_way(entry.path, folder, _state(target), ways)
        # an older program file, or a link to one
        if machine is None:
            machine = _machine_folder(folder, since)
        if machine and target.st_uid == 0:
            continue  # root's file in root's settled system folder: the machine's
        older.sort(entry.path, (own.st_ino, own.st_ctime_ns, target.st_ino, target.st_ctime_ns))
    return (
        tuple(found),
        frozenset(entry.name for entry in entries),
        older.kept(),
        tuple(ways.values()),
        why,
    )


def _through_process(path: str) -> str:
    from .fastpath import through_process  # loaded with the guard already

    try:
        return through_process(path)
    except (OSError, ValueError):
        return "/proc"  # a step Warden cannot read: as one that may lead there


def _process_link(folder: str, path: str):
    """The reason a link of a PATH folder is refused when its chain passes through ``/proc``
    or ``/dev/fd`` (red team 86 F9: ``bin/gzip -> /proc/self/cwd/tools/gzip`` leads, in the
    child that execs it, to the child's folder's file, while the kernel follows it to its
    own), else False. Asked when the folder is listed, for links that are not the machine's."""
    root = _through_process(path)
    return _process_reason(folder, root, os.path.basename(path)) if root else False


def _unseen(folder: str, since: float):
    """Whether a folder this process cannot list may hold a program a start runs that Warden
    does not see (red team 84 F4: ``chmod 0311 bin``): True unless this process may not
    search it, or it is neither its own nor writable by it and unchanged since the kernel
    started (red team 86: a shared tools folder of root's, 0711, is no place a cell wrote).
    A root kernel is not asked ``access``: it answers for this process, and one that dropped
    its capabilities (capset) has children that regain them at exec (red team 86 F4)."""
    try:
        info = os.stat(folder)
        if not stat.S_ISDIR(info.st_mode):
            return False  # no folder: exec finds nothing there
        uid = os.geteuid()
        if uid == 0:
            return True  # root's own listing failed: its children may still search it
        if not os.access(folder, os.X_OK):
            return False  # neither this process nor a child of its user looks names up there
        return (
            info.st_uid == uid
            or os.access(folder, os.W_OK)
            or info.st_mtime >= since
            or info.st_ctime >= since
        )
    except (OSError, ValueError):
        return True  # cannot tell: as one exec may find programs in


def _keep_way(path: str, folder: str, state: tuple, ways: dict) -> None:
    """Keeps the link ``path`` under each folder its steps lead through other than ``folder``
    (named as the kernel walks them, from the link's text: ``bin/../lib``), with each folder's
    state now: replacing the target by a rename there changes that folder's times (a change in
    place, like one of an older file in a PATH folder, does not: see the threat model), and
    swapping the folder (or a folder link on the way) its identity."""
    step = path
    for _ in range(40):  # the kernel's limit of links followed (ELOOP)
        try:
            text = os.readlink(step)
        except (OSError, ValueError):
            return  # the file
        step = os.path.join(os.path.dirname(step), text)
        place = os.path.dirname(step)
        if place == folder or place == folder.rstrip("/"):
            continue  # a change here relists the folder
        way = ways.get(place)
        if way is None:
            try:
                info = os.stat(place)
                # a change within the clock's tick may keep its times: asked until settled
                known = _state(info) if time.time() - info.st_ctime >= _SETTLED else None
            except (OSError, ValueError):
                known = None
            way = ways[place] = [place, known, []]
        if not way[2] or way[2][-1][0] != path:
            way[2].append((path, state))


def _state(info) -> tuple:
    return (info.st_ino, info.st_ctime_ns, info.st_mtime_ns, info.st_dev)


def _machine_link(path: str, home: str, target, since: float) -> bool:
    """Whether every step of the link ``path`` (in the folder whose real path is ``home``) is
    in ``home`` itself (a change there relists it) or in one of the machine's folders
    (``_machine_folder``: root's, unchanged since start), each step's folder named without a
    folder link of its own below the root's top-level ones (a folder link in a folder the cell
    can write may be replaced, R82-5), and its file root's (/usr/bin/awk -> /etc/alternatives/
    awk -> /usr/bin/mawk). Asked when a folder is listed, never per start."""
    if target.st_uid != 0:
        return False
    place = home
    step = os.path.join(home, os.path.basename(path))
    for _ in range(40):  # the kernel's limit of links followed (ELOOP)
        try:
            text = os.readlink(step)
        except OSError:
            return True  # no more a link: the file, root's (above)
        except ValueError:
            return False
        if "/" in text:
            words = text.split("/")
            while words and words[0] == ".." and not text.startswith("/"):
                words.pop(0)
            if "." in words or ".." in words:
                return False  # `a/../b`: the kernel walks `a` (a link?) where normpath does not
            named = os.path.normpath(os.path.join(place, text))
            place = os.path.dirname(named)
            if place != home:
                known = _STEPS.get(place)
                if known is None:
                    known = _plain_folder(place) and _machine_folder(place, since)
                    _STEPS[place] = known
                if not known:
                    return False
            text = os.path.basename(named)
        step = os.path.join(place, text)  # a bare name: the same folder as the step before
    return False


# folder -> whether a link's step there is the machine's (``_machine_link``), for one listing
_STEPS: dict = {}


def _plain_folder(folder: str) -> bool:
    """``folder`` (an absolute path, normalized) is its own real path, or is once its top-level
    folder (a link in ``/``, which only root changes: /lib -> usr/lib) is followed."""
    try:
        real = os.path.realpath(folder)
        if real == folder:
            return True
        top, _, rest = folder[1:].partition("/")
        return real == os.path.normpath(os.path.join(os.path.realpath("/" + top), rest))
    except (OSError, ValueError):
        return False


class Older:
    """A folder's older program files outside the machine's folders, by their ``#!`` lines,
    read once when the folder is listed (the kernel reads the first 256 bytes: so does this).
    ``pythons``: {the line's words: its files}, a Python (by name) with at most one option:
    one answer per line decides them all (a console script's start keeps the guard or not);
    ``scripts``: an interpreter that is no Python nor installer, with at most one option
    (node, bash, perl -w, awk -f): the body is the declared script-file class, only the
    interpreter's start-up environment is weighed; ``full``: every other line (more words:
    ``env -S sh -c '...'``, ``env -S uv run --script``, an installer), read as a new program
    is. Each file as (path, state: the link's and its file's inode and ctime when listed)."""

    __slots__ = ("pythons", "scripts", "full")

    def __init__(self):
        self.pythons: dict = {}
        self.scripts: list = []
        self.full: list = []

    def kept(self):
        if not (self.pythons or self.scripts or self.full):
            return None
        self.pythons = {words: tuple(files) for words, files in self.pythons.items()}
        self.scripts, self.full = tuple(self.scripts), tuple(self.full)
        return self

    def sort(self, path: str, state: tuple) -> None:
        kind, words = _line_kind(path)
        if kind == "python":
            self.pythons.setdefault(words, []).append((path, state))
        elif kind == "script":
            self.scripts.append((path, state))
        elif kind == "full":
            self.full.append((path, state))


_HEAD = 256  # what the kernel reads of a `#!` line (binfmt_script): ``shebang.interpreter_words``
_BLANKS = b" \t"


def _line_kind(path: str) -> tuple:
    """(kind, the line's words) for an older program file: ``native`` (no ``#!``: a binary, or
    a text file a shell runs, the script-file class), ``python``, ``script`` or ``full``
    (``Older``). A file that cannot be read is read in full (the reading says why)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_HEAD)
    except (OSError, ValueError):
        return "full", ()
    if not head.startswith(b"#!"):
        return "native", ()
    line, newline, _ = head[2:].partition(b"\n")
    line = line.strip(_BLANKS)
    if not line or (not newline and len(head) == _HEAD):
        return "full", ()
    words = line.replace(b"\t", b" ").split()
    try:
        words = tuple(os.fsdecode(word) for word in words)
    except (UnicodeError, ValueError):
        return "full", ()
    # the interpreter by its REAL file (R82-2, R82-3): a link or copy of env (or of a shell)
    # under another name, or a `#!` script of its own (Linux runs nested interpreters), is
    # known by no name here: read in full
    name = _known_interpreter(words[0])
    if name is None:
        return "full", words
    by_env = name == "env"
    if by_env:
        # `#!/usr/bin/env NAME`: NAME found on PATH, with no option (-S, -i, NAME=VALUE: more).
        # NAME itself is not resolved here: it is found on the START's PATH, whose folders are
        # listed and sorted themselves (a new file there is read by ``new_programs``, an older
        # one outside the machine's folders by its own line: R82-3)
        if len(words) != 2 or words[1].startswith("-") or "=" in words[1]:
            return "full", words
        name = words[1].rsplit("/", 1)[-1]
    elif len(words) > 2 or (len(words) == 2 and not words[1].startswith("-")):
        return "full", words  # more than an interpreter and its one option (`#!/x/pip install`)
    if _python_name(name):
        return "python", words
    from .fastpath import is_installer_name  # loaded with the guard already

    if is_installer_name(name) and name not in _SHELLS:
        # an installer's or a wrapper's start with a script's path (a shell is a wrapper by
        # name only with ``-c``: its options are the allow-list's)
        return "full", words
    if len(words) == 2 and not by_env:
        # the one option must run nothing but the body (R82-1: perl ``-edo"x.pl"``, node
        # ``--require=x.js`` run a file Warden never reads): an allow-list per interpreter
        if not _runs_only_the_body(name, words[1]):
            return "full", words
    return "script", words


# The options that run nothing but the script's body, per interpreter (R82-1): a word of
# these letters after one "-" (perl -w/-T/-W/-X, combined: -wT), or one of the exact words.
# Shells: set's letters, without ``c`` (the path becomes the command text), ``i``/``l``
# (an interactive or login shell reads rc files), ``s``/``o``/``O`` (stdin, named options).
# node: none (``--require``, ``-r``, ``--import``, ``--loader`` run other files).
_OPTION_LETTERS = {"perl": "wTWXtU", "sh": "aefhkmnptuvxBCEHPT"}
_OPTION_WORDS = {
    "awk": ("-f",),
    "sed": ("-f", "-nf", "-Ef", "-nEf", "-rf", "-nrf"),
    "ruby": ("-w", "-W", "-W0", "-W1", "-W2"),
}


def _runs_only_the_body(name: str, option: str) -> bool:
    family = _family(name)
    letters = _OPTION_LETTERS.get(family)
    if letters is not None:
        return len(option) > 1 and option[0] == "-" and all(c in letters for c in option[1:])
    return option in _OPTION_WORDS.get(family, ())


def _family(name: str):
    """The interpreter family of a known name (``_INTERPRETERS``), versions stripped."""
    if name in _SHELLS:
        return "sh"
    stem = name.rstrip("0123456789.")
    if stem in ("awk", "gawk", "mawk", "nawk", "busybox-awk"):
        return "awk"
    return stem


# interpreters known by their real file's name (a version may follow: perl5.36, ruby3.1,
# lua5.4, php8.2, tclsh8.6); anything else on a `#!` line is read in full
_INTERPRETERS = frozenset(
    (
        "env", "perl", "node", "nodejs", "ruby", "awk", "gawk", "mawk", "nawk", "sed", "lua",
        "luajit", "php", "Rscript", "tclsh", "wish", "bun", "deno",
    )
)  # fmt: skip


def _known_interpreter(path: str):
    """The name of the interpreter ``path`` names (``env``, ``python3``, ``bash``...) when its
    REAL file (links followed) has that known name and is the machine's (root's, in one of the
    machine's folders: ``_machine_folder``) or the kernel's own Python's; else None."""
    if not path.startswith("/"):
        return None  # the kernel resolves a relative interpreter from the start's folder
    try:
        real = os.path.realpath(path)
        name = real.rsplit("/", 1)[-1]
        python = _python_name(name)
        if not (python or name in _SHELLS or name.rstrip("0123456789.") in _INTERPRETERS):
            return None
        if python and real in _own_pythons():
            return name  # a venv's python, a link to the kernel's own (pyenv's, uv's) Python
        info = os.stat(real)
        if python and _a_python_program(real, info):
            # a Python outside the machine's folders (pyenv's, conda's, uv's; a venv's python
            # links to it): a native program that is a Python (its line is weighed as a
            # Python's start); a `#!` script or another program (env) under the name is not
            return name
        if info.st_uid != 0 or not stat.S_ISREG(info.st_mode):
            return None
        folder = real.rsplit("/", 1)[0] or "/"
        known = _PLACES.get(folder)
        if known is None:
            known = _PLACES[folder] = _machine_folder(folder, _kernel_started() - 1)
        return name if known else None
    except (OSError, ValueError):
        return None


# (real path, inode, ctime) -> whether it is a native Python program (``_a_python_program``)
_PYTHONS: dict = {}


def _a_python_program(real: str, info) -> bool:
    """A native program (ELF) that is a Python: it holds ``Py_BytesMain`` (3.8+: its main) or
    names ``libpython`` (linked to it). A copy of env or of a shell, or a `#!` script, named
    ``python3`` is not (R82-2, R82-3). Read once per file state."""
    key = (real, info.st_ino, info.st_ctime_ns)
    known = _PYTHONS.get(key)
    if known is None:
        known = False
        if stat.S_ISREG(info.st_mode) and info.st_size <= 64 << 20:
            with open(real, "rb") as fh:
                tail = b""
                chunk = fh.read(1 << 20)
                if chunk.startswith(b"\x7fELF"):
                    while chunk and not known:
                        seen = tail + chunk
                        known = b"Py_BytesMain" in seen or b"libpython" in seen
                        tail, chunk = seen[-16:], fh.read(1 << 20)
        if len(_PYTHONS) >= 64:
            _PYTHONS.clear()
        _PYTHONS[key] = known
    return known


# folder -> whether it is the machine's (``_machine_folder``), for one listing (emptied as
# each begins: a folder changed since is asked again)
_PLACES: dict = {}
_OWN = None  # the kernel's own Python's real files, read once


def _own_pythons() -> tuple:
    global _OWN
    if _OWN is None:
        import sys  # loaded with every Python (builtin): no import cost at boot

        exes = (sys.executable, getattr(sys, "_base_executable", None))
        _OWN = tuple(os.path.realpath(exe) for exe in exes if exe)
    return _OWN


_SHELLS = frozenset(("sh", "bash", "dash", "zsh", "ksh", "ash", "mksh", "fish"))


def _python_name(name: str) -> bool:
    """python, python3, python3.11, pypy3...: a Python by its name (the reading tells the rest)."""
    for stem in ("python", "pypy"):
        if name.startswith(stem):
            return all(c in "0123456789.dmut" for c in name[len(stem) :])
    return False


_MACHINE_TOPS = machine_folders.MACHINE
_STANDARD = machine_folders.STANDARD  # where ``commands._settled_place`` stops


def _machine_folder(folder: str, since: float) -> bool:
    """``commands._machine_program``'s place rule for a whole folder, asked once per listing:
    its real path under the machine's folders, root's with every folder above it, none of
    them below the standard ones changed since the kernel started (R28c-2: an old clone moved
    in), and not under the folder the kernel started in. Its files count when they are root's."""
    try:
        real = os.path.realpath(folder)
        if not any(real == top or real.startswith(top + "/") for top in _MACHINE_TOPS):
            return False
        from .own_python import OWN

        start = OWN.start_folder.rstrip("/")
        if start and (real == start or real.startswith(start + "/")):
            return False
        walk = real
        while walk != "/":
            info = os.stat(walk)
            if info.st_uid != 0 or (walk not in _STANDARD and info.st_ctime >= since):
                return False
            walk = os.path.dirname(walk)
        return True
    except (OSError, ValueError, ImportError, AttributeError):
        return False


def _link_changed(path: str, own):
    """The link, any step of its chain, or the file it leads to, changed since the kernel
    started (red team 84 F1, F3): each step as the kernel walks it (``bin/../lib/gzip``,
    ``..`` through folder links, as ``_keep_way``), ``lstat``ed, and each folder link its
    text names. A NEW link in between (``lib/gzip -> /usr/bin/python3``, an older program)
    makes the PATH link a new program, however old the link and its file: a relisting of its
    folder never keeps it as an older one (its target the baseline). None (falsy) for an
    older link whose walk stops at a missing step, or loops: it leads nowhere now."""
    since = _kernel_started() - 1
    if own.st_ctime >= since:
        return True
    step = path
    for _ in range(40):  # the kernel's limit of links followed (ELOOP)
        try:
            text = os.readlink(step)
        except (OSError, ValueError):
            return False  # the file: its status read as the step before
        place = os.path.dirname(step)
        words = text.split("/")
        if text.startswith("/"):
            place = "/"
        # the folders the text names on the way (a folder link there replaced by a new one)
        for word in words[:-1]:
            if word in ("", ".", ".."):
                place = os.path.join(place, word) if word == ".." else place
                continue
            place = os.path.join(place, word)
            try:
                info = os.lstat(place)
            except (OSError, ValueError):
                return None  # no such folder: exec finds nothing (kept: asked again)
            if stat.S_ISLNK(info.st_mode) and info.st_ctime >= since:
                return True
        step = os.path.join(os.path.dirname(step), text)
        try:
            info = os.lstat(step)
        except (OSError, ValueError):
            return None  # a dangling step: exec finds nothing (kept: asked again per start)
        if info.st_ctime >= since:
            return True
    return None  # more links than the kernel follows: exec finds nothing


def unreadable(path: str) -> str:
    """Why Warden cannot read the program file ``path`` it found ('' when it can, or when it is
    gone): a file this process may not open reads as no ``#!`` line, no file, while the start
    may run it (red team 86 F4: a root kernel that dropped its capabilities, whose children
    regain them at exec; a native program of mode 0111). Asked per file found, not per start."""
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))  # a FIFO does not block
    except (FileNotFoundError, NotADirectoryError):
        return ""  # gone: nothing runs it
    except (OSError, ValueError) as exc:
        return (
            f"Warden cannot open {path} to read it ({getattr(exc, 'strerror', exc)}), which "
            "a program the start runs may run by name (the kernel's own permissions are not "
            "its child's: a root kernel that dropped its capabilities, a file of mode 0111)"
        )
    return ""


def _program_now(path: str) -> bool:
    """Whether the kept link ``path`` leads to an executable regular file now (one ``stat``,
    asked only of a kept link that resolves: one that led nowhere, or to no program, when its
    folder was listed; ordinary PATH folders keep none)."""
    info = _target(path)
    return info is not None and stat.S_ISREG(info.st_mode) and bool(info.st_mode & 0o111)


def _target(path: str):
    try:
        return os.stat(path)
    except (OSError, ValueError):
        return None  # a dangling link: exec finds nothing


def _kernel_started() -> float:
    global _started
    if _started is None:
        from .kernel_age import _STARTED

        _started = _STARTED
    return _started


def renamed_as_itself(path: str):
    """How a link written since start to a program file that was not, under the file's own
    name (a venv's ``python3`` to ``python3.11``, ``pip3`` to ``pip``), is read: None when it is
    no such link (a link that gives an old program ANOTHER name, ``gzip`` to perl, is read as
    that name's start); '' when it is not read (the machine's program a version apart: root's,
    in the machine's folders, ``_machine_folder``; or a native program, read by its name as an
    older one is); else its file's ``#!`` kind (``python``, ``script``, ``full``), read as that
    file is when it sits on PATH itself (``Older``, age81). An older file of the USER's under
    a new link of its own name (``bin/gzip -> ../lib/gzip``, lib off PATH, its ``#!`` line an
    installer's) runs as it would from lib (red team 86 F5)."""
    from .startup_modules import changed_since_start

    real = os.path.realpath(path)
    if not os.path.islink(path) or changed_since_start(real):
        return None
    strip = "0123456789.-"
    if os.path.basename(path).rstrip(strip) != os.path.basename(real).rstrip(strip):
        return None
    try:
        info = os.stat(real)
    except (OSError, ValueError):
        return None
    if info.st_uid == 0 and stat.S_ISREG(info.st_mode):
        # asked afresh (``_PLACES`` is one listing's): a reading is kept per file state
        if _machine_folder(real.rsplit("/", 1)[0] or "/", _kernel_started() - 1):
            return ""
    kind = _line_kind(real)[0]
    return "" if kind == "native" else kind


def folder_programs(folder: str, older=None) -> list:
    """``new_programs`` for ONE folder a program is given (``gcc -B DIR``, ``COMPILER_PATH``'s
    parts), whatever its name holds: a ``:`` is part of it (``gcc -B t:c/`` runs t:c/as; red
    team 86 F3), never a PATH's separator. The folder is handed over as the start's folder of
    the PATH ``.``, which no ``:`` splits; the files found are named from the folder itself."""
    here = os.path.join(folder, os.curdir)
    found = new_programs(os.curdir, folder, None, older)
    cut = len(here) + 1
    return [os.path.join(folder, p[cut:]) if p.startswith(here + "/") else p for p in found]
