"""Whether an earlier writer of a shell line may write what a later ``uv run`` reads (red team
81 R81-5).

A ``uv run`` that reads files (``uv_run_reads.uv_files``: its script, the script's lock, the
project's pyproject.toml and uv.lock) is an install request, and after an earlier writer on
the line it was refused whatever the writer wrote (R57c-3/-4, the earlier-writer rule of red
team 7 R7-16): ``cp data.csv out/ && uv run train.py`` was refused. The line reading knows
where its writers write (``commands._write_places``/``_made_places``: the line's makers, each a
(writer, place) pair, the writer ``/``-suffixed where it writes anything under the place, ''
where Warden cannot place it), so the run is refused only when one of them may write a file
it reads, or one of the places uv's own Python discovery looks at (``discovery_places``: a
writer may plant a ``.venv`` or a ``.python-version`` there). A writer Warden cannot place
(no place, an unknown program or a guarded Python, whose code says where it writes, an
unpacker, an install: ``uv add`` writes the pyproject) may write anything: refused.

The caller passes the makers only when the line's sole problem is its earlier writers
(``commands.Invocation.writer_places``; None otherwise: a cd Warden cannot follow, a loop, a
concurrent writer, a value the line computes keep the refusal).
"""

import os
from typing import Dict, Iterable, List

# the programs an install of the line runs as (``Invocation.tool``): their places are their
# words' and .venv (``commands._made_places``), not every file they write (``uv add`` writes
# pyproject.toml and uv.lock, ``pip install -e .`` builds in the project)
_INSTALLERS = frozenset(("pip", "uv", "uvx", "conda", "mamba", "micromamba"))
# the names uv's discovery reads in the working folder and every folder above it
_UPWARD_NAMES = (".venv", "pyvenv.cfg", ".python-version", ".python-versions", "pyproject.toml",
                 "uv.toml", "uv.lock")  # fmt: skip
# the variables naming folders uv looks in for a Python, its settings or its config
_FOLDER_VARIABLES = ("VIRTUAL_ENV", "CONDA_PREFIX", "UV_PROJECT_ENVIRONMENT",
                     "UV_PYTHON_INSTALL_DIR", "UV_CONFIG_FILE", "UV_INTERNAL__PARENT_INTERPRETER",
                     "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CONFIG_DIRS")  # fmt: skip


def writer_of(paths: Iterable[str], cwd: str, places: tuple) -> str:
    """The first writer of ``places`` that may write one of ``paths`` (relative ones under
    ``cwd``) or anything under it; '' none."""
    from . import commands, dangling

    targets = set()
    for path in paths:
        full = os.path.abspath(os.path.join(cwd, path))
        targets.update((full, os.path.realpath(full)))
    for writer, place in places:
        name = str(writer).rstrip("/") or "a writer"
        program = os.path.basename(name.split(",")[0].split(" ")[0])
        if not place or not isinstance(place, str) or program in _INSTALLERS:
            return name  # no place, a place Warden cannot tell (a code's, one file's name)
        # an unknown program or a guarded Python (its code says where it writes), an unpacker
        # (its members may be links and `../` names), as ``dangling.maker`` reads them
        if program in commands.FRONT_ENDS or dangling._unknown(writer):
            return name
        if dangling._unpacker(writer):
            return name
        tree = str(writer).endswith("/")
        for at in {place, os.path.realpath(place)}:
            for target in targets:
                # the file itself, a folder over it the writer writes into, a name under it
                # (the target a folder: `.venv`)
                if at == target or _under(at, target) or (tree and _under(target, at)):
                    return name
    return ""


def discovery_places(env: Dict[str, str], cwd: str) -> List[str]:
    """Where uv's own Python discovery, its config and its project look (``uv_discovery``):
    the names of ``_UPWARD_NAMES`` in the working folder and every folder above it, the
    folders the environment names, uv's config and data folders, PATH's folders."""
    found: List[str] = []
    folder = os.path.abspath(cwd)
    while True:
        found += [os.path.join(folder, name) for name in _UPWARD_NAMES]
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    home = env.get("HOME") or os.path.expanduser("~")
    found += [os.path.join(home, ".local", "share", "uv"), os.path.join(home, ".config", "uv")]
    found += ["/etc/uv", "/etc/xdg/uv"]
    for name in _FOLDER_VARIABLES:
        found += [part for part in str(env.get(name) or "").split(os.pathsep) if part]
    for name in ("UV_PYTHON_SEARCH_PATH", "PATH"):
        value = str(env.get(name) or "")
        found += [part or "." for part in value.split(os.pathsep)] if value else []
    return found


def _under(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip("/") + "/")
