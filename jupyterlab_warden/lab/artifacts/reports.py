"""Artifact reports (schema/artifact-report.schema.json on branch central) made from the
kernels' runtime events, and the on-disk queue that holds them until central acknowledges.

A runtime event that names a file by sha256 (its ``artifact`` field, or ``evidence.sha256``)
becomes one report: the file's basename (never a directory), size, kind, signature, hub
source and the load decision. The queue is a JSON-lines file appended with fsync; a batch is
removed only after central answered 202, so a lab that restarts or loses central loses
nothing (a report sent twice is harmless: central records loads by report)."""

import json
import os
import re
import threading
from typing import List, Optional

_SHA = re.compile(r"^[0-9a-f]{64}$")
_KERNEL = re.compile(r"[^A-Za-z0-9_.-]")
MAX_BATCH = 200  # contract: at most 200 reports a request
_STATUSES = ("valid", "invalid", "unsigned", "untrusted")  # the registry's vocabulary


def report_from_event(event: dict) -> Optional[dict]:
    """The ArtifactReport an event carries, or None when it names no file."""
    if not isinstance(event, dict) or event.get("kind") != "runtime":
        return None
    artifact = event.get("artifact") if isinstance(event.get("artifact"), dict) else {}
    evidence = event.get("evidence") if isinstance(event.get("evidence"), dict) else {}
    sha = artifact.get("sha256") or evidence.get("sha256")
    size = evidence.get("size")
    if not isinstance(sha, str) or not _SHA.match(sha) or not isinstance(size, int):
        return None
    name = artifact.get("name") or os.path.basename(str(evidence.get("path") or "")) or sha[:16]
    name = os.path.basename(str(name).replace("\\", "/"))[:255] or sha[:16]
    report = {"sha256": sha, "size": size, "name": name, "kind": artifact.get("kind") or "other"}
    signature = artifact.get("signature")
    if isinstance(signature, dict) and signature.get("status") in _STATUSES:
        report["signature"] = {"status": signature["status"], "signer": signature.get("signer")}
    if isinstance(evidence.get("verdict"), str) and isinstance(
        evidence.get("scanner_version"), str
    ):
        report["scan"] = {
            "verdict": evidence["verdict"],
            "scanner_version": evidence["scanner_version"],
            "rules": [] if event.get("rule_id") == "artifact-loaded" else [event.get("rule_id")],
        }
    source = artifact.get("source")
    if isinstance(source, dict) and isinstance(source.get("hub"), dict):
        report["source"] = {"hub": dict(source["hub"])}
    if event.get("rule_id") != "hub-download":  # a download is the source, not a load
        # (a record of an allowed load says "allowed"; refusals say blocked/confirmed/warned)
        kernel = (event.get("location") or {}).get("kernel_id") or "kernel"
        load = {
            "decision": event.get("action"),
            "at": event.get("time"),
            "kernel": _KERNEL.sub("-", str(kernel))[:64],
        }
        cell = (event.get("location") or {}).get("cell_id")
        if cell:
            load["cell"] = str(cell)[:200]
        report["load"] = load
    return report


class ReportOutbox:
    def __init__(self, path: str):
        self.path = path
        self._lock = threading.Lock()

    def add(self, reports: List[dict]) -> None:
        if not reports:
            return
        data = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in reports)
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, data.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)

    def peek(self, limit: int = MAX_BATCH) -> List[dict]:
        with self._lock:
            return self._read()[:limit]

    def ack(self, count: int) -> None:
        """Drop the first ``count`` reports (central took them)."""
        with self._lock:
            rest = self._read()[count:]
            tmp = self.path + ".tmp"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                for report in rest:
                    fh.write(json.dumps(report, separators=(",", ":")) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)

    def __len__(self) -> int:
        with self._lock:
            return len(self._read())

    def _read(self) -> List[dict]:
        try:
            with open(self.path, encoding="utf-8") as fh:
                lines = fh.read().splitlines()
        except FileNotFoundError:
            return []
        out = []
        for line in lines:
            try:
                out.append(json.loads(line))
            except ValueError:
                continue  # a torn last line after a crash: the rest is kept
        return out
