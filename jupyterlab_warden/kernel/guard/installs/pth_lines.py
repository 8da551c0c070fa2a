"""How ``site.addpackage`` reads a ``.pth`` file's lines: the one contract for the kernel's
line reading (``start_files.pth_path_folders``) and the guard's write rule in every Python the
kernel starts (``start_writes``: the folders path lines add, red team 34 R34-6b). No imports
but ``os``: the guard reads these at a write, in a Python whose boot imports only os/sys/stat.
"""

import os

# a line that starts so is code site runs; any other line but a blank one or a comment is a path
IMPORT_LINE = ("import ", "import\t")


def path_line(site: str, line: str) -> str:
    """The folder a ``.pth`` line of ``site`` adds to ``sys.path`` ('' for a blank line, a
    comment, an import line), as ``site.addpackage`` joins it (it adds it when it exists)."""
    if not line.strip() or line.startswith("#") or line.startswith(IMPORT_LINE):
        return ""
    return os.path.join(site, line.rstrip())


def pth_names(entries) -> list:
    """The ``.pth`` files among a site folder's entries, in the order ``site`` reads them
    (every name that ends in ``.pth``, dotfiles included: 3.13 skips those, 3.11 and 3.12 do
    not)."""
    return sorted(name for name in entries if name.endswith(".pth"))


def lines(path: str) -> list:
    """A ``.pth`` file's lines ([] when it cannot be read)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read().splitlines()
    except (OSError, ValueError):
        return []


def added_folders(sites) -> list:
    """The folders the ``.pth`` path lines of ``sites`` name, whether they exist now or not
    (a folder made later is added by the next start), as absolute paths."""
    found = []
    for site in sites:
        try:
            entries = os.listdir(site)
        except (OSError, ValueError):
            continue
        for name in pth_names(entries):
            for line in lines(os.path.join(site, name)):
                folder = path_line(site, line)
                if folder:
                    folder = os.path.abspath(folder)
                    if folder not in found:
                        found.append(folder)
    return found
