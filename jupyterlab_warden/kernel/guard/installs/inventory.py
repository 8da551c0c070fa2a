"""This kernel's packages: what is installed in its environment and what it has imported.

A daemon thread in the kernel (started by the launcher, ``guard/launch.py``) writes
``packages-<pid>.json`` (0600, replaced atomically) into the event spool folder whenever the
set of imported top-level modules changed, at most every ``INTERVAL`` seconds. The lab server
reads these files (``lab/inventory.py``), adds advisories from the shipped OSV snapshot and
sends the fleet's view to central in its status post. Names and versions only: no paths.
"""

import json
import os
import sys
import threading
import time
from typing import Dict, List, Optional, Set

from .names import normalize

INTERVAL = 20.0
FILE_PREFIX = "packages-"
MAX_ITEMS = 2000


def inventory_file(directory: str, pid: Optional[int] = None) -> str:
    return os.path.join(directory, f"{FILE_PREFIX}{pid or os.getpid()}.json")


def imported_top_level(modules=None) -> Set[str]:
    names = list((modules if modules is not None else sys.modules).keys())
    return {n.split(".", 1)[0] for n in names if n and not n.startswith("_")}


def collect(modules=None) -> List[dict]:
    """[{name, version, imported}] for every distribution this interpreter can import."""
    import importlib.metadata as metadata  # py3.8+; loaded here, not at interpreter start

    imported = imported_top_level(modules)
    items: Dict[str, dict] = {}
    for dist in metadata.distributions():
        try:
            name = dist.metadata["Name"]
            version = dist.version
        except Exception:  # noqa: BLE001, S112 - a broken dist-info: skip it
            continue
        if not name or not version:
            continue
        key = normalize(name)
        if key in items:
            continue  # the first on sys.path wins, as for imports
        items[key] = {
            "name": key,
            "version": str(version)[:100],
            "imported": bool(_top_level(dist) & imported),
        }
    return sorted(items.values(), key=lambda i: i["name"])[:MAX_ITEMS]


def _top_level(dist) -> Set[str]:
    text = None
    try:
        text = dist.read_text("top_level.txt")
    except Exception:  # noqa: BLE001, S110 - fall back to the file list
        pass
    if text:
        return {line.strip() for line in text.splitlines() if line.strip()}
    tops = set()
    for path in dist.files or ():
        parts = str(path).split("/")
        head = parts[0]
        if head.endswith((".dist-info", ".egg-info", ".data")) or head in ("..", "__pycache__"):
            continue
        tops.add(head[:-3] if head.endswith(".py") else head)
    return tops


def write(directory: str, kernel_id: Optional[str] = None) -> str:
    """Write this process's inventory file now; returns its path."""
    from ..events import now_iso

    body = {
        "pid": os.getpid(),
        "kernel_id": kernel_id,
        "at": now_iso(),
        "items": collect(),
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
    """Start the kernel's recorder thread (no folder: nothing to do)."""
    if not directory:
        return None
    thread = threading.Thread(
        target=_record, args=(directory, interval), name="warden-inventory", daemon=True
    )
    thread.start()
    return thread


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
