"""Model scanner: report the globals a model file would import, never executing it, and
what other code-carrying formats (Keras, TorchScript, YAML: ``codeformats/``) would run.

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


def scan_file(path: str, policy=None, by_name: bool = False):
    """Scan one file (``policy``: a ``decide.GlobalPolicy``); I/O problems and malformed data
    give verdict ``error`` (a ``report.ScanReport``), never raise.

    ``by_name``: also recognise text formats by file name (YAML); only for callers that scan
    a file as what it is called (the CLI), never for a pickle loader's pre-scan."""
    from .codeformats import scan_format
    from .formats import parts_of_file
    from .report import ERROR, ScanReport, build_report

    try:
        special = scan_format(path=path, by_name=by_name)
        if special is not None and not special.with_pickles:
            return _format_report(path, special)
        report = build_report(path, list(parts_of_file(path)), policy)
        return _merge(report, special)
    except (OSError, ValueError, MemoryError, RecursionError) as exc:
        return ScanReport(path, ERROR, "unknown", [], [], [f"{type(exc).__name__}: {exc}"])


def scan_bytes(data, name: str = "<bytes>", policy=None):
    from .codeformats import scan_format
    from .formats import parts_of_buffer
    from .report import ERROR, ScanReport, build_report

    try:
        special = scan_format(data=data)
        if special is not None and not special.with_pickles:
            return _format_report(name, special)
        report = build_report(name, list(parts_of_buffer(data, "", 0)), policy)
        return _merge(report, special)
    except (ValueError, MemoryError, RecursionError) as exc:
        return ScanReport(name, ERROR, "unknown", [], [], [f"{type(exc).__name__}: {exc}"])


def _format_report(path: str, special):
    from .report import SAFE, ScanReport

    empty = ScanReport(path, SAFE, special.fmt, [], [], [])
    return _merge(empty, special)


def _merge(report, special):
    from .report import with_format_findings

    if special is None:
        return report
    if not special.pickle_errors:
        report = report._replace(errors=[e for e in report.errors if _unparsable(e)])
    return with_format_findings(
        report, special.fmt, special.findings, special.notes, special.errors, special.regrade
    )


def _unparsable(error: str) -> bool:
    from .formats import UNPARSABLE

    return UNPARSABLE in error or "RecursionError" in error or "MemoryError" in error
