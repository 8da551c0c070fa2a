"""Pickle scanner: report the globals a model file would import, never executing it.

``scan_file(path)`` and ``scan_bytes(data)`` return a ``ScanReport`` whose ``verdict`` is
``safe | suspicious | dangerous | error``. Standard library only, so the kernel guard uses it
for scan-before-load. CLI: ``python -m jupyterlab_warden.kernel.scan [--format text|json] PATH...``.
"""

# The format readers and the report are imported on first use, not with the package: the kernel
# guard imports ``scan.judge`` at every interpreter start (guarded kernels and children) and
# scans only when something is loaded.
_REPORT_NAMES = frozenset(("DANGEROUS", "ERROR", "SAFE", "SUSPICIOUS", "VERDICTS", "ScanReport"))


def __getattr__(name):
    if name in _REPORT_NAMES:
        from . import report

        return getattr(report, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def scan_file(path: str, policy=None):
    """Scan one file (``policy``: a ``decide.GlobalPolicy``); I/O problems and malformed data
    give verdict ``error`` (a ``report.ScanReport``), never raise."""
    from .formats import parts_of_file
    from .report import ERROR, ScanReport, build_report

    try:
        return build_report(path, list(parts_of_file(path)), policy)
    except (OSError, ValueError, MemoryError, RecursionError) as exc:
        return ScanReport(path, ERROR, "unknown", [], [], [f"{type(exc).__name__}: {exc}"])


def scan_bytes(data, name: str = "<bytes>", policy=None):
    from .formats import parts_of_buffer
    from .report import ERROR, ScanReport, build_report

    try:
        return build_report(name, list(parts_of_buffer(data, "", 0)), policy)
    except (ValueError, MemoryError, RecursionError) as exc:
        return ScanReport(name, ERROR, "unknown", [], [], [f"{type(exc).__name__}: {exc}"])
