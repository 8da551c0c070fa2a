"""Copies of Warden's package (or a folder of it) for a test's run without Warden, made while
the other pytest lane (scripts/pytest-lanes.py) runs tests that make and take away files of
their own in the same folders: tests/guard/test_start_writes.py's ``zz_r33.py`` and
``zz_r33_dir`` in ``kernel/boot`` (the in-process guard must refuse writes to Warden's real
package, so they are there), red team 36's guarded ``mkdir`` of ``kernel/boot/mp_children``
(made by a program, refused only at the write into it). An entry gone by the time
``shutil.copytree`` reaches it failed the whole copy, and the unguarded control with it; such
an entry is skipped (its copy failed with "no such file": it may be back already, the other
test makes it afresh for each case). Any other failure is raised."""

import errno
import shutil

# how shutil.copytree words a copy that failed because its source was gone
GONE = f"[Errno {errno.ENOENT}]"


def copy_tree(src, dst, ignore=None) -> None:
    """``shutil.copytree(src, dst, ignore=ignore)``, entries removed meanwhile skipped."""
    try:
        shutil.copytree(src, dst, ignore=ignore)
    except shutil.Error as failed:
        if not all(str(entry[2]).startswith(GONE) for entry in failed.args[0]):
            raise


def copy_tree_cell(src: str, dst: str, indent: str) -> str:
    """The same in a cell's code (the kernel has no tests folder to import from): ``src`` and
    ``dst`` Python expressions, each line indented by ``indent``; no ``__pycache__``."""
    lines = (
        "import shutil as _sh",
        "try:",
        f"    _sh.copytree({src}, {dst}, ignore=_sh.ignore_patterns('__pycache__'))",
        "except _sh.Error as _failed:  # an entry another lane's test took away: skipped",
        f"    if not all(str(_e[2]).startswith({GONE!r}) for _e in _failed.args[0]):",
        "        raise",
    )
    return "".join(indent + line + "\n" for line in lines)
