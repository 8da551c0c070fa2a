"""This kernel's packages: what is installed in its environment and what it has imported.

A daemon thread in the kernel (started by the launcher, ``guard/launch.py``) writes
``packages-<pid>.json`` (0600, replaced atomically) into the event spool folder whenever the
set of imported top-level modules changed, at most every ``INTERVAL`` seconds. The lab server
reads these files (``lab/inventory.py``), adds advisories from the shipped OSV snapshot and
sends the fleet's view to central in its status post. Names and versions only: no paths.

Which version the kernel imported is read from the distribution that OWNS the loaded module
(the file the kernel loaded is one the distribution's RECORD lists, lying in the
distribution's own path entry under the module's name), never from the first ``*.dist-info``
on ``sys.path``: the notebook folder comes first there, and a METADATA file in it would
otherwise stand for the package the kernel loaded from site-packages (red team 45c R45c-1,
46b R46b-4/5). Every distribution is listed with ``where`` it lives, so a stray one
shadows nothing.
"""

import json
import os
import sys
import threading
import time
from typing import Callable, Dict, List, Optional, Set, Tuple

from .names import normalize

INTERVAL = 20.0
FILE_PREFIX = "packages-"
# what the lab keeps and central accepts (schema/package-inventory.schema.json): the kernel cuts
# to the same, so its file stays small and its own cut keeps what matters (R45c-2)
MAX_ITEMS = 2000
MAX_NAME = 200
MAX_VERSION = 100
# where a distribution lives: in one of this environment's site folders, the user's site
# folder, or elsewhere on sys.path (the notebook folder, PYTHONPATH, a .pth-added folder)
WHERE = ("environment", "user", "elsewhere")


def inventory_file(directory: str, pid: Optional[int] = None) -> str:
    return os.path.join(directory, f"{FILE_PREFIX}{pid or os.getpid()}.json")


def imported_top_level(modules=None) -> Set[str]:
    names = list((modules if modules is not None else sys.modules).keys())
    return {n.split(".", 1)[0] for n in names if n and not n.startswith("_")}


def collect(modules=None) -> List[dict]:
    """[{name, version, imported, where}], one per (name, version), for every distribution on
    this interpreter's path, uncut; ``imported`` only for one that owns a loaded module."""
    import importlib.metadata as metadata  # py3.8+; loaded here, not at interpreter start

    modules = modules if modules is not None else sys.modules
    imported = imported_top_level(modules)
    sites = _site_folders()
    found = []  # (dist, name, version, top-level names), in sys.path order
    for dist in metadata.distributions():
        try:
            name = dist.metadata["Name"]
            version = dist.version
        except Exception:  # noqa: BLE001, S112 - a broken dist-info: skip it
            continue
        if not name or not version:
            continue
        # cut as the lab cuts (a cut name must not end in "-"): a 5 MiB Name must not make
        # the file one the lab cannot read (R45c-2)
        name = normalize(str(name))[:MAX_NAME].rstrip("-")
        version = "".join(str(version).split())[:MAX_VERSION]
        if name and version:
            found.append((dist, name, version, _top_level(dist)))
    items: Dict[Tuple[str, str], dict] = {}
    for dist, name, version, tops in found:
        where = _where(dist, sites)
        owns = any(_owns(dist, top, modules, sites) for top in tops & imported)
        item = items.setdefault(
            (name, version), {"name": name, "version": version, "imported": False, "where": where}
        )
        item["imported"] = item["imported"] or owns
        if WHERE.index(where) < WHERE.index(item["where"]):
            item["where"] = where
    return list(items.values())


def listed(items: List[dict], flagged: Optional[Callable[[str, str], bool]] = None):
    """``(items, truncated)``: at most MAX_ITEMS, imported first, then flagged (``flagged``,
    asked only when the list must be cut), then the environment's own, then by name."""
    if len(items) <= MAX_ITEMS:
        return sorted(items, key=lambda i: (i["name"], i["version"])), False
    flagged = flagged or _shipped_flags()

    def rank(item):
        hit = item["imported"] or flagged(item["name"], item["version"])
        return (not item["imported"], not hit, WHERE.index(item["where"]), item["name"])

    return sorted(items, key=rank)[:MAX_ITEMS], True


def _shipped_flags() -> Callable[[str, str], bool]:
    """Flagged by the OSV snapshot Warden ships (the lab adds the policy's own advisories)."""
    from .advisories import AdvisorySnapshot
    from .names import data_path

    try:
        snapshot = AdvisorySnapshot.load(data_path("osv-snapshot.json"))
    except (OSError, ValueError):
        return lambda name, version: False
    return lambda name, version: bool(snapshot.affecting(name, version))


def _top_level(dist) -> Set[str]:
    text = None
    try:
        text = dist.read_text("top_level.txt")
    except Exception:  # noqa: BLE001, S110 - fall back to the file list
        pass
    if text:
        return {line.strip() for line in text.splitlines() if line.strip()}
    tops = set()
    for path in _files(dist):
        parts = path.split("/")
        head = parts[0]
        if head.endswith((".dist-info", ".egg-info", ".data")) or head in ("..", "__pycache__"):
            continue
        tops.add(head[:-3] if head.endswith(".py") else head)
    return tops


def _files(dist) -> List[str]:
    try:
        return [str(path).replace("\\", "/") for path in dist.files or ()]
    except Exception:  # noqa: BLE001 - an unreadable RECORD lists nothing
        return []


def _owns(dist, top: str, modules, sites) -> bool:
    """Whether ``dist`` holds a file the kernel loaded for the module ``top``: the file
    (symlinks resolved) lies in the dist's path entry (the folder holding its dist-info) as
    ``top/...`` or ``top.*`` and its RECORD lists it; with no RECORD (an old egg-info), lying
    there so is enough. A PEP 660 editable install in a site folder owns the files under the
    project folder its ``direct_url.json`` names. The module's name as first segment keeps a
    dist-info above an environment (``<notebook>/.venv/...``) from claiming the environment's
    files (R46b-4); a RECORD line for a file not loaded counts for nothing (R46b-5)."""
    paths = _loaded_files(top, modules)
    if not paths:
        return False
    base = _real(dist.locate_file(""))
    listed = set(_files(dist))
    for path in paths:
        rel = _inside(path, base)
        if rel is None or not _under_top(rel, top):
            continue
        if rel in listed or not listed:
            return True
    project = _editable_project(dist) if _where(dist, sites) != "elsewhere" else None
    return project is not None and any(_inside(path, project) is not None for path in paths)


def _under_top(rel: str, top: str) -> bool:
    """``rel`` is where a path entry keeps module ``top``: ``top/...``, ``top.py``, ``top.*.so``."""
    head, _, rest = rel.partition("/")
    return head == top if rest else head.startswith(top + ".")


def _loaded_files(top: str, modules) -> List[str]:
    """The files the kernel loaded for ``top`` (symlinks resolved): the module's own file, or
    for a namespace package (no file of its own) its loaded submodules' files; never a folder,
    which a stray empty one in the notebook folder would make a portion (R46b-5)."""
    own = _module_file(modules.get(top))
    if own is not None:
        return [own]
    prefix = top + "."
    try:
        subs = [m for name, m in list(modules.items()) if name.startswith(prefix)]
    except Exception:  # noqa: BLE001 - an unreadable module table loads nothing we can vouch for
        return []
    return [f for f in (_module_file(m) for m in subs) if f is not None]


def _module_file(module) -> Optional[str]:
    try:
        file = getattr(module, "__file__", None)
        return _real(file) if isinstance(file, str) else None
    except Exception:  # noqa: BLE001 - a module whose attributes raise owns nothing
        return None


def _editable_project(dist) -> Optional[str]:
    from urllib.parse import unquote, urlsplit

    try:
        info = json.loads(dist.read_text("direct_url.json") or "null")
        url = urlsplit(info["url"]) if info["dir_info"]["editable"] is True else None
    except Exception:  # noqa: BLE001 - no or no readable record: not editable
        return None
    if url is None or url.scheme != "file" or url.netloc not in ("", "localhost"):
        return None
    return _real(unquote(url.path))


def _inside(path: str, folder: str) -> Optional[str]:
    """``path`` relative to ``folder`` ("/"-separated), None when outside it."""
    try:
        rel = os.path.relpath(path, folder)
    except ValueError:  # another drive
        return None
    if rel == os.curdir or rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return rel.replace(os.sep, "/")


def _real(path) -> str:
    return os.path.normcase(os.path.realpath(str(path)))


def _site_folders() -> Tuple[Set[str], Set[str]]:
    """(the environment's site folders, the user's site folder), symlinks resolved."""
    import site
    import sysconfig

    env, user = set(), set()
    try:
        env.update(site.getsitepackages())
    except AttributeError:  # an old virtualenv's site module
        pass
    for key in ("purelib", "platlib"):
        try:
            env.add(sysconfig.get_path(key))
        except KeyError:
            pass
    try:
        user.add(site.getusersitepackages())
    except AttributeError:
        pass
    return {_real(p) for p in env if p}, {_real(p) for p in user if p}


def _where(dist, sites) -> str:
    env, user = sites
    base = _real(dist.locate_file(""))
    return "environment" if base in env else "user" if base in user else "elsewhere"


def write(directory: str, kernel_id: Optional[str] = None) -> str:
    """Write this process's inventory file now; returns its path."""
    from ..events import now_iso

    items, truncated = listed(collect())
    body = {
        "pid": os.getpid(),
        "kernel_id": kernel_id,
        "at": now_iso(),
        "truncated": truncated,
        "items": items,
    }
    os.makedirs(directory, mode=0o700, exist_ok=True)  # as the spool writer does
    path = inventory_file(directory)
    tmp = f"{path}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(body, fh, separators=(",", ":"))
    os.replace(tmp, path)
    return path


def start_recorder(directory: Optional[str], interval: float = INTERVAL):
    """Start the kernel's recorder thread (no folder: nothing to do). What the thread imports is
    imported first, here, in the launcher's thread (``_prepare``)."""
    if not directory:
        return None
    _prepare()
    thread = threading.Thread(
        target=_record, args=(directory, interval), name="warden-inventory", daemon=True
    )
    thread.start()
    return thread


def _prepare() -> None:
    """Import, in the calling thread, every module the recorder's loop imports. In a sealed
    guard a library module is loaded as the guard's private copy, which stood in
    ``sys.modules`` while its body ran (``private_modules._source_module``). Done in the
    recorder thread while ipykernel imports the same module in the main thread, the main
    thread took that half-run copy and the kernel died at start (ci67: xmlrpc.client got
    ``datetime`` before its ``from _datetime import *``; tornado a ``datetime`` without
    ``timedelta``: the recorder's ``now_iso`` imports the guard's own copy). No copy is put
    in ``sys.modules`` any more (fix 56copy); the launcher still calls this before ipykernel
    starts any thread, so the recorder's first loads are not paid in its loop."""
    import importlib.metadata  # noqa: F401 - email, datetime, csv, zipfile with it
    import site  # noqa: F401
    import sysconfig  # noqa: F401
    from urllib.parse import unquote, urlsplit  # noqa: F401

    from ..events import kernel_location, now_iso  # noqa: F401
    from .advisories import AdvisorySnapshot  # noqa: F401
    from .names import data_path  # noqa: F401

    now_iso()  # its own `import datetime`: the guard's copy, loaded here


def _record(directory: str, interval: float) -> None:
    from ..events import kernel_location

    seen: Optional[Set[str]] = None
    while True:
        try:
            now = imported_top_level()
            if now != seen:
                write(directory, kernel_location().get("kernel_id"))
                seen = now
        except Exception:  # noqa: BLE001, S110 - inventory is best effort; never break a kernel
            pass
        time.sleep(interval)
