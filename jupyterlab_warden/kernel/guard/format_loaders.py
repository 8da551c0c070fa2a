"""Loaders of code-carrying model formats other than pickle, scanned before they load.

Registered in ``patches.LOAD_TARGETS`` (same patch-now-or-on-import machinery as the pickle
loaders). Each wrapper scans what its loader is about to read (``scan/codeformats``) and
applies the format's runtime rule when the scan finds code, or cannot read the file (fail
closed); a file listed in ``trusted_artifacts`` or a confirmed finding loads unchanged.

* Keras: ``saving_lib.load_model`` (``.keras``) and ``legacy_h5_format.load_model_from_hdf5``
  (``.h5``), which every public ``load_model`` reaches. A file the scan cleared is loaded with
  ``safe_mode=True`` whatever the caller asked: it needs nothing unsafe, and Keras' own check
  then backs the scan up.
* TorchScript: ``torch.jit.load`` (``torch.load(weights_only=False)`` hands archives to it).
* PyYAML: ``yaml.load`` / ``yaml.load_all`` (``unsafe_load``, ``full_load`` and their ``_all``
  forms call them) when the Loader constructs Python objects - judged by the constructors
  the Loader really has, not by its name.
"""

import io

from . import filesource

RULE_KERAS = "keras-model-code"
RULE_TORCHSCRIPT = "torchscript-file-access"
RULE_YAML = "yaml-python-tag"

# (module, attribute, label, wrapper kind): appended to patches.LOAD_TARGETS
LOAD_TARGETS = (
    ("keras.src.saving.saving_lib", "load_model", "keras.saving.load_model", "keras"),
    (
        "keras.src.legacy.saving.legacy_h5_format",
        "load_model_from_hdf5",
        "keras.saving.load_model",
        "keras",
    ),
    ("torch.jit._serialization", "load", "torch.jit.load", "torchscript"),
    ("torch.jit", "load", "torch.jit.load", "torchscript"),
    ("yaml", "load", "yaml.load", "yaml"),
    ("yaml", "load_all", "yaml.load_all", "yaml"),
)


def maker(kind: str):
    """The wrapper factory for one of this module's kinds (None for other kinds)."""
    return {
        "keras": _keras_wrapper,
        "torchscript": _torchscript_wrapper,
        "yaml": _yaml_wrapper,
    }.get(kind)


# --- shared ---------------------------------------------------------------------------------


def _judge(state, call: str, target, report, rule: str, what: str):
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
    outcome = state.apply_rule(rule, evidence, what, why)
    if outcome == "confirmed":
        ctx.trusted_name = "confirmed by the user"
    return ctx


def _scan_target(target):
    from ..scan import ERROR, ScanReport, scan_bytes, scan_file
    from ..scan.codeformats import keras as keras_format

    if hasattr(target, "attrs"):  # an open h5py.File handed to the legacy loader
        findings, errors, _note = keras_format.scan_hdf5(target)
        return _report_of("<h5py.File>", "keras-h5", findings, errors)
    source = filesource.describe(target)
    if source is None:
        return ScanReport("<unknown>", ERROR, "unknown", [], [], ["cannot read what is loaded"])
    if source.path is not None:
        return scan_file(source.path)
    return scan_bytes(source.data, "<data>")


def _report_of(name, fmt, findings, errors):
    from ..scan import ScanReport
    from ..scan.report import overall_verdict

    verdict = overall_verdict([], findings, [], errors)
    return ScanReport(name, verdict, fmt, [], [], list(errors), None, list(findings))


def _live(state) -> bool:
    return state.enabled or not state.intact()


# --- Keras ----------------------------------------------------------------------------------


def _keras_wrapper(original, label, state):
    # older Keras loaders (legacy .h5 before 3.x safe_mode support) take no safe_mode
    safe_mode_at = _parameter_index(original, "safe_mode")

    def load_model(filepath, *args, **kwargs):
        if not _live(state):
            return original(filepath, *args, **kwargs)
        report = _scan_target(filepath)
        ctx = _judge(state, label, filepath, report, RULE_KERAS, "loading this Keras model")
        if not ctx.trusted and report.verdict not in ("dangerous", "error") and safe_mode_at:
            # the scan found no code: the file needs nothing safe_mode forbids
            at = safe_mode_at - 1  # position among *args (after filepath)
            if len(args) > at:
                args = args[:at] + (True,) + args[at + 1 :]
            else:
                kwargs["safe_mode"] = True
        with ctx:
            return original(filepath, *args, **kwargs)

    return load_model


def _parameter_index(function, name: str):
    """Position of parameter ``name`` of ``function`` (None if it has none)."""
    import inspect

    try:
        params = list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return None
    return params.index(name) if name in params else None


# --- TorchScript ----------------------------------------------------------------------------


def _torchscript_wrapper(original, label, state):
    def load(f, *args, **kwargs):
        if not _live(state):
            return original(f, *args, **kwargs)
        report = _scan_target(f)
        ctx = _judge(state, label, f, report, RULE_TORCHSCRIPT, "loading this TorchScript archive")
        with ctx:
            return original(f, *args, **kwargs)

    return load


# --- PyYAML ---------------------------------------------------------------------------------


def _yaml_wrapper(original, label, state):
    def load(stream, Loader=None, *args, **kwargs):  # noqa: N803 - PyYAML's parameter name
        if not _live(state) or not _constructs_python(Loader):
            return original(stream, Loader, *args, **kwargs)
        if hasattr(stream, "read"):
            stream = stream.read()  # read once: the loader gets exactly what was scanned
        text = stream.decode("utf-8", "replace") if isinstance(stream, bytes) else str(stream)
        from ..scan.codeformats import scan_yaml

        found = scan_yaml(text=text)
        report = _report_of("<yaml>", "yaml", found.findings, found.errors)
        raw = stream if isinstance(stream, bytes) else text.encode("utf-8")
        what = f"{label} with {getattr(Loader, '__name__', Loader)}"
        # hashed as the bytes read (a trusted artifact's sha256 is of the file's bytes)
        ctx = _judge(state, label, io.BytesIO(raw), report, RULE_YAML, what)
        with ctx:
            return original(stream, Loader, *args, **kwargs)

    return load


def _constructs_python(loader) -> bool:
    """Whether this Loader class has constructors for python tags beyond plain data."""
    if loader is None:
        return True  # PyYAML < 6 defaulted to FullLoader; 6 refuses None itself
    from ..scan.codeformats.yamltags import DATA_TAGS, PYTHON_TAG

    try:
        tags = list(getattr(loader, "yaml_constructors", {}) or {})
        tags += list(getattr(loader, "yaml_multi_constructors", {}) or {})
    except Exception:  # noqa: BLE001 - an odd Loader: judge the document
        return True
    return any(isinstance(t, str) and t.startswith(PYTHON_TAG) and t not in DATA_TAGS for t in tags)
