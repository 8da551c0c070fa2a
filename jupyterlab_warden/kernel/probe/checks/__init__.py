"""The sandbox checks, one module per concern; importing them registers every check."""

from . import confinement, host_access, kernel_version, limits, privileges, secrets
from .base import CHECKS, FAIL, PASS, UNKNOWN, CheckResult, Context, run_checks

__all__ = [
    "CHECKS", "FAIL", "PASS", "UNKNOWN", "CheckResult", "Context", "run_checks",
    "confinement", "host_access", "kernel_version", "limits", "privileges", "secrets",
]  # fmt: skip
