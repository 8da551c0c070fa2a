"""Model scanner: report the globals a model file would import, never executing it, and
what other code-carrying formats (Keras, TorchScript, YAML: ``codeformats/``) would run.

``scan_file(path)`` and ``scan_bytes(data)`` return a ``ScanReport`` whose ``verdict`` is
``safe | suspicious | dangerous | error``. Standard library only, so the kernel guard uses it
for scan-before-load. CLI: ``python -m jupyterlab_warden.kernel.scan [--format text|json] PATH...``.
"""

from typing import Optional

from .decide import GlobalPolicy
from .formats import parts_of_buffer, parts_of_file
from .report import (
    DANGEROUS,
    ERROR,
    SAFE,
    SUSPICIOUS,
    VERDICTS,
    ScanReport,
    build_report,
    with_format_findings,
)

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


def scan_file(
    path: str, policy: Optional[GlobalPolicy] = None, by_name: bool = False
) -> ScanReport:
    """Scan one file; I/O problems and malformed data give verdict ``error``, never raise.

    ``by_name``: also recognise text formats by file name (YAML); only for callers that scan
    a file as what it is called (the CLI), never for a pickle loader's pre-scan."""
    from .codeformats import scan_format  # here: keeps `import scan` as light as before

    try:
        special = scan_format(path=path, by_name=by_name)
        if special is not None and not special.with_pickles:
            return _format_report(path, special)
        report = build_report(path, list(parts_of_file(path)), policy)
        return _merge(report, special)
    except (OSError, ValueError, MemoryError, RecursionError) as exc:
        return ScanReport(path, ERROR, "unknown", [], [], [f"{type(exc).__name__}: {exc}"])


def scan_bytes(data, name: str = "<bytes>", policy: Optional[GlobalPolicy] = None) -> ScanReport:
    from .codeformats import scan_format

    try:
        special = scan_format(data=data)
        if special is not None and not special.with_pickles:
            return _format_report(name, special)
        report = build_report(name, list(parts_of_buffer(data, "", 0)), policy)
        return _merge(report, special)
    except (ValueError, MemoryError, RecursionError) as exc:
        return ScanReport(name, ERROR, "unknown", [], [], [f"{type(exc).__name__}: {exc}"])


def _format_report(path: str, special) -> ScanReport:
    empty = ScanReport(path, SAFE, special.fmt, [], [], [])
    return _merge(empty, special)


def _merge(report: ScanReport, special) -> ScanReport:
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
