"""Where an unpacker may make a name, for the links leading nowhere (``dangling``): red team
91a's false refusals of fixA (fix91h), and its bypasses through a PATH the line's command is
given (fixG).

fix91h weighed every link of PATH leading nowhere against the line's makers, and every
unpacker counted as making a name anywhere (an archive's members may be ``../`` names,
absolute names, links written through): a venv on PATH with a stale link
(``env/bin/gone -> ../nothing/gone``) refused ``mkdir data && tar xzf d.tgz -C data && make
-v``. The unpackers' own rules keep their members under the folder they unpack into:

- GNU tar without -P/--absolute-names strips a leading ``/`` from member names and skips a
  member whose name holds ``..``; a member that is a link leading out (absolute, or with
  ``..``) is made as a placeholder file and turned into the link only at the end of the
  extraction, so no later member is written through it (extract.c's delayed links).
  bsdtar (libarchive) likewise refuses ``..``, absolute names and any link on a member's way
  unless -P.
- Info-ZIP unzip strips ``../`` and ``/`` from member names unless ``-:``, and makes the links
  an archive holds after every other member (its deferred links).

What stays: a link already in the folder unpacked into (made before the line) leads a
member's way out of it (GNU tar and unzip follow a folder link on the way). ``confined``
walks the trees (a bounded number of names) for a link whose target is outside them; one
found, a tree too large to walk, a -P, ``-:``, an option Warden does not read
(``line_writers``: no reach), TAR_OPTIONS/UNZIP/UNZIPOPT (options Warden does not read), a
``--transform`` (renames members after their names are read): the unpacker may make a name
anywhere, as before. cpio, pax and 7z keep that strict reading (``dangling._ANYWHERE``).
Only ``os`` at import.
"""

import os

# the names walked in the unpacker's trees before it counts as making anywhere
MAX_NAMES = 4000
_TARS = frozenset(("tar", "gtar", "bsdtar"))


def confined(name: str, args: list, env: dict, wrote) -> bool:
    """Whether the unpacker ``name`` (a tar extracting, or unzip) with words ``args`` and
    environment ``env`` makes names only under the trees its write places (``wrote``: the
    (writer, place) pairs ``commands._write_places`` read, a tree's writer ``/``-suffixed)
    name: see the module's rules. False when unsure."""
    if name not in _TARS and name != "unzip":
        return False
    if any(env.get(n) or os.environ.get(n) for n in ("TAR_OPTIONS", "UNZIP", "UNZIPOPT")):
        return False
    if name in _TARS and not _plain_tar(args):
        return False
    if name == "unzip" and any(w.startswith("-") and ":" in w for w in args):
        return False
    trees = [p for w, p in wrote or () if str(w).endswith("/")]
    if not trees or any(not p or not isinstance(p, str) for _w, p in wrote):
        return False  # no reach read (an unknown option), or a place Warden cannot tell
    budget = [MAX_NAMES]
    return not any(_links_out(tree, budget) for tree in trees)


def _plain_tar(args: list) -> bool:
    """No -P (absolute names, also in a bundle or the old style's first word), no
    --transform/--xform/-s-like renaming, no program run (-I/-F/--to-command: ``line_writers``
    gives no reach for those, checked by the caller's trees)."""
    for i, word in enumerate(args):
        if word == "--":
            break
        if word.startswith("--"):
            option = word[2:].split("=", 1)[0]
            # GNU getopt takes any unique abbreviation: --ab... is --absolute-names
            if option.startswith("ab") or option.startswith(("tr", "xf")):
                return False
        elif word.startswith("-") or i == 0:
            if "P" in word:
                return False
    return True


def _links_out(tree: str, budget: list) -> bool:
    """Whether the tree at ``tree`` holds a link whose target is outside it, or more names
    than the budget left (True: unsure). A missing tree holds none."""
    real = os.path.realpath(tree)
    if not os.path.isdir(real):
        return False
    top = real.rstrip("/") + "/"
    for folder, dirs, files in os.walk(real):
        budget[0] -= len(dirs) + len(files)
        if budget[0] < 0:
            return True
        for entry in dirs + files:
            path = os.path.join(folder, entry)
            if os.path.islink(path) and not (os.path.realpath(path) + "/").startswith(top):
                return True
    return False
