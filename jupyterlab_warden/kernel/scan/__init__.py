"""Pickle scanner: report the globals a model file would import, never executing it.

``scan_file(path)`` and ``scan_bytes(data)`` return a ``ScanReport`` whose ``verdict`` is
``safe | suspicious | dangerous | error``. Standard library only, so the kernel guard uses it
for scan-before-load. CLI: ``python -m jupyterlab_warden.kernel.scan [--format text|json] PATH...``.
"""

from typing import Optional

from .decide import GlobalPolicy
from .formats import parts_of_buffer, parts_of_file
from .report import DANGEROUS, ERROR, SAFE, SUSPICIOUS, VERDICTS, ScanReport, build_report

__all__ = [
    "scan_file",
    "scan_bytes",
    "ScanReport",
    "SAFE",
    "SUSPICIOUS",
    "DANGEROUS",
    "ERROR",
    "VERDICTS",
]


def scan_file(path: str, policy: Optional[GlobalPolicy] = None) -> ScanReport:
    """Scan one file; I/O problems and malformed data give verdict ``error``, never raise."""
    try:
        return build_report(path, list(parts_of_file(path)), policy)
    except (OSError, ValueError, MemoryError, RecursionError) as exc:
        return ScanReport(path, ERROR, "unknown", [], [], [f"{type(exc).__name__}: {exc}"])


def scan_bytes(data, name: str = "<bytes>", policy: Optional[GlobalPolicy] = None) -> ScanReport:
    try:
        return build_report(name, list(parts_of_buffer(data, "", 0)), policy)
    except (ValueError, MemoryError, RecursionError) as exc:
        return ScanReport(name, ERROR, "unknown", [], [], [f"{type(exc).__name__}: {exc}"])
