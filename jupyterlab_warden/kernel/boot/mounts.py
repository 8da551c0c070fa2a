"""Mounts made since the kernel's tree started (red team 29a R29a-2).

A bind mount shows its source's folders, with their old times, at the mount point: a root
kernel's ``mount --bind proj /usr/local/lib/x`` made an old clone's scripts look like the
machine's to ``commands._settled_place``, which reads folder times. Linux numbers mounts in
the order they are made (``/proc/self/mountinfo``'s first field), so the kernel notes the
highest number when it boots (``site_boot``, in ``TREE_MOUNT_ID_ENV``, handed on like the
other launch variables), and a path under a mount numbered above it is no place of the
machine's. No import: the kernel's boot reads it.
"""

_MOUNTINFO = "/proc/self/mountinfo"


def table() -> list:
    """(mount number, mount point) for each mount this process sees; [] where there is no
    /proc (nothing to compare: the caller decides)."""
    try:
        with open(_MOUNTINFO, "rb") as fh:
            lines = fh.read().decode("utf-8", "surrogateescape").splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        fields = line.split(" ")
        if len(fields) > 4 and fields[0].isdigit():
            found.append((int(fields[0]), _unescaped(fields[4])))
    return found


def newest() -> int:
    """The highest mount number now (0 where none can be read)."""
    return max((number for number, _point in table()), default=0)


def newer_over(path: str, since: int) -> str:
    """The mount point of a mount numbered above ``since`` that ``path`` (absolute, real) lies
    under or at, '' when none does."""
    for number, point in table():
        if number > since and (path == point or path.startswith(point.rstrip("/") + "/")):
            return point
    return ""


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
