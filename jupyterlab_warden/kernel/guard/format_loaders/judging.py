"""What every format loader wrapper shares: scan the target, open its load context, apply the
format's rule when the scan found code or could not read it (fail closed)."""

from .. import filesource


def judge(state, call: str, target, report, rule: str, what: str):
    """Open a load context for ``target`` with its scan report; apply ``rule`` if the report
    says the file carries code or could not be read. Returns the context to load in."""
    ctx = state.open_load(call, target, unpickles=False)
    if ctx.trusted or not state.enabled:
        return ctx
    source = filesource.describe(target) if not hasattr(target, "attrs") else None
    if source is not None:
        ctx.path, ctx.size, ctx.hash_source = source.path, source.size, source
    ctx.report = report
    if report.verdict == "safe":
        return ctx
    if state.check_trust(ctx):
        return ctx
    dangerous = report.dangerous_findings() + report.dangerous_globals()
    if report.verdict not in ("dangerous", "error"):
        return ctx  # suspicious: a custom object or op the loader itself resolves
    evidence = {"call": ctx.call, "verdict": report.verdict, "format": report.format}
    if dangerous:
        evidence["findings"] = dangerous[:10]
        why = "it carries " + "; ".join(dangerous[:3])
    else:
        evidence["reason"] = "unreadable"
        why = "the pre-load scan could not read it: " + "; ".join(report.errors[:2])[:300]
    evidence.update(state.file_evidence(ctx, with_hash=True))
    apply_rule_in(state, ctx, rule, evidence, what, why)
    return ctx


def apply_rule_in(state, ctx, rule: str, evidence: dict, what: str, why: str) -> None:
    """Apply ``rule`` (warn, confirm or block: a block raises) to the load in ``ctx``; a finding
    the user confirmed makes the rest of that load trusted, so nested checks do not ask again."""
    if state.apply_rule(rule, evidence, what, why) == "confirmed":
        ctx.trusted_name = "confirmed by the user"


def scan_target(target):
    from ...scan import ERROR, ScanReport, scan_bytes, scan_file
    from ...scan.codeformats import keras as keras_format

    if hasattr(target, "attrs"):  # an open h5py.File handed to the legacy loader
        findings, errors, _note = keras_format.scan_hdf5(target)
        return report_of("<h5py.File>", "keras-h5", findings, errors)
    source = filesource.describe(target)
    if source is None:
        return ScanReport("<unknown>", ERROR, "unknown", [], [], ["cannot read what is loaded"])
    if source.path is not None:
        return scan_file(source.path)
    return scan_bytes(source.data, "<data>")


def report_of(name, fmt, findings, errors):
    from ...scan import ScanReport
    from ...scan.report import overall_verdict

    verdict = overall_verdict([], findings, [], errors)
    return ScanReport(name, verdict, fmt, [], [], list(errors), None, list(findings))


def live(state) -> bool:
    return state.enabled or not state.intact()


def inner_context(state, call: str):
    """A context for a check made deep inside a loader (no file of its own): trusted when an
    enclosing load is (a trusted artifact, a confirmed finding); refuses if the guard's state
    was tampered with."""
    return state.open_load(call, None, unpickles=False)
