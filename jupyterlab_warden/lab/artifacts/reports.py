"""Artifact reports (schema/artifact-report.schema.json on branch central) made from the
kernels' runtime events, and the on-disk queue that holds them until central acknowledges.

A runtime event that names a file by sha256 (its ``artifact`` field, or ``evidence.sha256``)
becomes one report: the file's basename (never a directory), size, kind, signature, hub
source and the load decision. The queue is a JSON-lines file appended with fsync; a batch is
removed only after central answered 202, so a lab that restarts or loses central loses
nothing (a report sent twice is harmless: central records loads by report).

Central refuses a whole batch (400) for one report outside its schema, so each report is
checked here against the same schema (JavaScript regex semantics) first: over-long text is
cut, an optional part still invalid is dropped, and a report whose required fields cannot be
made valid is not queued. The queue is bounded (oldest reports dropped, and counted)."""

import json
import os
import re
import threading
from typing import List, Optional

from ..contract_check import definition_validator

_SHA = re.compile(r"^[0-9a-f]{64}$")
_KERNEL = re.compile(r"[^A-Za-z0-9_.-]")
MAX_BATCH = 200  # contract: at most 200 reports a request
_STATUSES = ("valid", "invalid", "unsigned", "untrusted")  # the registry's vocabulary
MAX_QUEUED = 10_000  # reports kept while central is unreachable ...
MAX_QUEUED_BYTES = 8 << 20  # ... and their size on disk; beyond either the oldest go
_HUB_FIELDS = ("repo", "revision", "commit", "filename")
_REQUIRED = ("sha256", "size", "name", "kind")
# maxLength of the schema's free-text fields, by path
_CUTS = {
    ("source", "hub", "repo"): 200,
    ("source", "hub", "revision"): 200,
    ("source", "hub", "filename"): 500,
    ("signature", "signer"): 500,
    ("scan", "scanner_version"): 100,
    ("load", "cell"): 200,
    ("source", "cell"): 200,
}


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
            "rules": [
                rule
                for rule in [event.get("rule_id")]
                if isinstance(rule, str) and rule != "artifact-loaded"
            ],
        }
    source = artifact.get("source")
    if isinstance(source, dict) and isinstance(source.get("hub"), dict):
        hub = source["hub"]
        report["source"] = {"hub": {k: hub[k] for k in _HUB_FIELDS if k in hub}}
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
    return conform(report)


def conform(report: dict) -> Optional[dict]:
    """The report as central's schema accepts it: text cut to its maxLength, an invalid
    optional part (source, signature, scan, load) dropped, an invalid name replaced by the
    sha256 prefix and an invalid kind by "other"; None when it still does not validate."""
    report = json.loads(json.dumps(report))  # a deep copy: events are shared with others
    for path, limit in _CUTS.items():
        holder = report
        for key in path[:-1]:
            holder = holder.get(key) if isinstance(holder, dict) else None
        if isinstance(holder, dict) and isinstance(holder.get(path[-1]), str):
            holder[path[-1]] = holder[path[-1]][:limit]
    check = definition_validator("artifact-report.schema.json", "artifactReport")
    for _ in range(len(report) + 1):  # each pass fixes or drops at least one top-level field
        errors = list(check.iter_errors(report))
        if not errors:
            return report
        for error in errors:
            field = error.absolute_path[0] if error.absolute_path else None
            if field == "name" and isinstance(report.get("sha256"), str):
                report["name"] = report["sha256"][:16]
            elif field == "kind":
                report["kind"] = "other"
            elif field not in _REQUIRED and field is not None:
                report.pop(field, None)
            else:
                return None  # a missing or invalid sha256 / size: nothing to report
    return None


class ReportOutbox:
    def __init__(self, path: str, max_reports: int = MAX_QUEUED, max_bytes: int = MAX_QUEUED_BYTES):
        self.path = path
        self.max_reports, self.max_bytes = max_reports, max_bytes
        self.dropped = 0  # oldest reports dropped to stay within the bounds (since start)
        self._count = None  # reports in the file, once read
        self._lock = threading.Lock()

    def add(self, reports: List[dict]) -> None:
        if not reports:
            return
        data = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in reports)
        with self._lock:
            if self._count is None:
                self._count = len(self._read())
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, data.encode("utf-8"))
                os.fsync(fd)
                size = os.fstat(fd).st_size
            finally:
                os.close(fd)
            self._count += len(reports)
            if size > self.max_bytes or self._count > self.max_reports:
                self._bound()

    def _bound(self) -> None:
        """Keep the newest reports within both bounds (the lock is held)."""
        kept = self._read()
        lines = [json.dumps(r, separators=(",", ":")) + "\n" for r in kept]
        start = max(0, len(lines) - self.max_reports)
        total = sum(len(line.encode("utf-8")) for line in lines[start:])
        while start < len(lines) and total > self.max_bytes:
            total -= len(lines[start].encode("utf-8"))
            start += 1
        self.dropped += start
        self._write(kept[start:])

    def peek(self, limit: int = MAX_BATCH) -> List[dict]:
        with self._lock:
            return self._read()[:limit]

    def ack(self, count: int) -> None:
        """Drop the first ``count`` reports (central took them)."""
        with self._lock:
            self._write(self._read()[count:])

    def _write(self, reports: List[dict]) -> None:
        tmp = self.path + ".tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for report in reports:
                fh.write(json.dumps(report, separators=(",", ":")) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
        self._count = len(reports)

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
