"""The lab's package inventory for central: what its running kernels have installed and
imported, with advisories from the OSV snapshot Warden ships plus the effective policy's own
(``dependencies.advisories``, ``policy_advisories``).

Kernels write ``packages-<pid>.json`` into the event spool (``kernel/guard/installs/
inventory.py``). ``read_kernel_inventories`` reads those of live processes;
``package_inventory`` (pure) merges them into the ``packages`` field of the status post
(schema/package-inventory.schema.json; contract in central's API.md, "Status"). A kernel's
file the lab cannot read, or a kernel that cut its own list, makes the post ``truncated``:
central is never told a list is whole when a kernel's packages are missing from it.
"""

import json
import os
import re
import stat
from typing import Iterable, List, Optional

from ..kernel.guard.installs.advisories import AdvisorySnapshot, policy_records
from ..kernel.guard.installs.inventory import FILE_PREFIX, MAX_ITEMS, WHERE
from ..kernel.guard.installs.names import data_path, normalize
from .contract_check import definition_validator

_FILE = re.compile(r"^" + re.escape(FILE_PREFIX) + r"(\d+)\.json$")
_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
MAX_FILE_BYTES = 4 << 20


def read_kernel_inventories(spool_dir: Optional[str], log=None) -> List[dict]:
    """The inventory files of kernels still running (a dead kernel's file is removed). A file
    that cannot be read (too large, not a regular file, not an inventory) stands as an empty,
    ``truncated`` one with its ``problem``, logged as a warning to ``log``."""
    found = []
    if not spool_dir or not os.path.isdir(spool_dir):
        return found
    for entry in sorted(os.listdir(spool_dir)):
        m = _FILE.match(entry)
        if not m:
            continue
        path = os.path.join(spool_dir, entry)
        if not _alive(int(m.group(1))):
            try:
                os.unlink(path)
            except OSError:
                pass
            continue
        try:
            body = json.loads(_read_regular(path))
            problem = None
        except FileNotFoundError:
            continue  # the kernel ended since the listing
        except OSError as exc:  # a symlink (ELOOP), a permission: its reason, not its path
            body, problem = None, exc.strerror or exc.__class__.__name__
        except UnicodeDecodeError:  # its text would quote the file's bytes
            body, problem = None, "not JSON"
        except ValueError as exc:  # not JSON, or _read_regular's own reason
            body, problem = None, "not JSON" if isinstance(exc, json.JSONDecodeError) else str(exc)
        if not isinstance(body, dict) or not isinstance(body.get("items"), list):
            problem = problem or "not a package inventory"
            if log is not None:
                log.warning("Warden: kernel package inventory %s not read: %s", entry, problem)
            body = {"pid": int(m.group(1)), "truncated": True, "problem": problem, "items": []}
        found.append(body)
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def package_inventory(
    kernels: Iterable[dict], snapshot: Optional[AdvisorySnapshot], limit: int = MAX_ITEMS
) -> dict:
    """Pure: merge kernels' inventories into ``{"truncated", "items"}``: one item per
    (name, version), ``imported`` if any kernel imported it, ``kernels`` how many running
    kernels imported it; flagged and imported packages first when the list is cut, then those
    in an environment's own site folders (``where``) before those found elsewhere on a
    kernel's path. ``truncated`` also when a kernel cut its list or its file was unreadable."""
    merged, where = {}, {}
    cut = False
    for kernel in kernels:
        cut = cut or kernel.get("truncated") is True
        for item in kernel.get("items") or []:
            if not isinstance(item, dict):
                continue
            name, version = item.get("name"), item.get("version")
            if not isinstance(name, str) or not isinstance(version, str) or not name:
                continue
            version = "".join(version.split())
            if not version or not _NAME.match(normalize(name)):
                continue  # not a distribution name (the schema's pattern)
            # cut to the schema's lengths; a cut name must not end in "-"
            key = (normalize(name)[:200].rstrip("-"), version[:100])
            entry = merged.setdefault(
                key, {"name": key[0], "version": key[1], "imported": False, "kernels": 0}
            )
            if item.get("imported") is True:
                entry["imported"] = True
                entry["kernels"] += 1
            # a file without ``where`` (an older kernel's) ranks as the environment's own
            rank = WHERE.index(item["where"]) if item.get("where") in WHERE else 0
            where[key] = min(rank, where.get(key, rank))
    items = []
    valid = definition_validator("package-inventory.schema.json", "package")
    for entry in merged.values():
        ids = snapshot.affecting(entry["name"], entry["version"]) if snapshot else []
        item = dict(entry, advisories=sorted(set(ids)))
        if valid.is_valid(item):  # one item central would refuse would refuse the whole post
            items.append(item)
    items.sort(
        key=lambda i: (
            not i["advisories"],
            not i["imported"],
            where[(i["name"], i["version"])],
            i["name"],
            i["version"],
        )
    )
    return {"truncated": cut or len(items) > limit, "items": items[:limit]}


def load_snapshot() -> Optional[AdvisorySnapshot]:
    try:
        return AdvisorySnapshot.load(data_path("osv-snapshot.json"))
    except (OSError, ValueError):
        return None


def policy_advisories(
    shipped: Optional[AdvisorySnapshot], policy: Optional[dict]
) -> Optional[AdvisorySnapshot]:
    """Pure: the shipped snapshot plus ``policy``'s records, the set the kernels' install gate
    decides with. The lab only uses validated policies, so records it cannot read mean a bug:
    the shipped snapshot is kept rather than losing every flag."""
    try:
        records = policy_records(policy)
        if not records:
            return shipped
        if shipped is None:
            return AdvisorySnapshot({"advisories": records})
        return shipped.with_records(records)
    except (ValueError, KeyError, TypeError, AttributeError):
        return shipped


def _read_regular(path: str) -> bytes:
    """The file's bytes, if it is a regular file of at most MAX_FILE_BYTES: kernels write these
    files, so a symlink, a FIFO (open would block the server) or /dev/zero (read forever) is
    refused rather than followed."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError("not a regular file")
        data = os.read(fd, MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise ValueError("too large")
    return data
