"""Mounts made since the kernel's tree started (red teams 29a R29a-2, 30 R30-4).

A bind mount shows its source's folders, with their old times, at the mount point: a root
kernel's ``mount --bind proj /usr/local/lib/x`` made an old clone's scripts look like the
machine's to ``commands._settled_place``, which reads folder times. So the kernel notes, when it
boots, a mark of each mount it sees (``TREE_MOUNTS_ENV``, handed on like the other launch
variables), and a path under a mount without such a mark is no place of the machine's. A mark
is the mount's number, its parent's, its device, its root and its mount point as
``/proc/self/mountinfo`` writes them (its first five fields, which hold no blank or newline:
the kernel escapes them): Linux reuses a freed mount number (R30-4: unmount one, and the next
bind took its number), so the number alone cannot tell a mount from one made since. The
kernel's boot imports this module, which imports nothing (the kernel starts lean).
"""

_MOUNTINFO = "/proc/self/mountinfo"


def table() -> list:
    """(mark, mount point) for each mount this process sees; [] where there is no /proc."""
    try:
        with open(_MOUNTINFO, "rb") as fh:
            lines = fh.read().decode("utf-8", "surrogateescape").splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        fields = line.split(" ")
        if len(fields) > 4 and fields[0].isdigit():
            found.append((_mark(fields[:5]), _unescaped(fields[4])))
    return found


def marks() -> str:
    """The marks of the mounts this process sees, as the kernel hands them on (one a line)."""
    return "\n".join(sorted({mark for mark, _point in table()}))


def new_over(path: str, known) -> str:
    """The mount point of a mount whose mark is not in ``known`` that ``path`` (absolute,
    real) lies under or at, '' when none does; ``_MOUNTINFO`` itself when the mounts cannot
    be read now (fail closed: no place is settled then)."""
    found = table()
    if not found:
        return _MOUNTINFO
    for mark, point in found:
        if mark not in known and (path == point or path.startswith(point.rstrip("/") + "/")):
            return point
    return ""


def _mark(fields) -> str:
    return " ".join(fields)


def _unescaped(field: str) -> str:
    """A mountinfo path: the kernel writes a blank, tab, newline and backslash as \\ooo."""
    if "\\" not in field:
        return field
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and field[i + 1 : i + 4].isdigit():
            out.append(chr(int(field[i + 1 : i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)
