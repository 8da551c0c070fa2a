"""skops: types a file names are judged before skops builds them, whatever ``trusted=`` says.

* ``skops.io.load`` / ``loads``: the file is scanned (``scan/codeformats/skopsfile.py``) before
  skops reads it; its sha256 can match ``trusted_artifacts``.
* ``audit_tree``: where skops checks the node tree it is about to construct against the
  caller's ``trusted=`` list (``load``/``loads`` call it by module attribute, so a reference to
  ``skops.io.load`` bound before the guard reaches it too). Every node's type - including those the
  caller's ``trusted=`` admits, and what ``get_untrusted_types`` lists - is judged for what its
  node does with it (called while loading, handed to the model as a callable, or instantiated
  with state set); a type the judge refuses is refused however the caller listed it.
"""

from .judging import apply_rule_in, inner_context, judge, live, scan_target

RULE_SKOPS = "skops-untrusted-type"


def _file_wrapper(original, label, state):
    def load(file, *args, **kwargs):
        if not live(state):
            return original(file, *args, **kwargs)
        report = scan_target(file)
        with judge(state, label, file, report, RULE_SKOPS, "loading this skops file"):
            return original(file, *args, **kwargs)

    return load


def _bytes_wrapper(original, label, state):
    def loads(data, *args, **kwargs):
        if not live(state):
            return original(data, *args, **kwargs)
        import io

        stream = io.BytesIO(bytes(data))
        report = scan_target(stream)
        with judge(state, label, stream, report, RULE_SKOPS, "loading these skops bytes"):
            return original(data, *args, **kwargs)

    return loads


def _audit_wrapper(original, label, state):
    def audit_tree(tree, trusted, *args, **kwargs):
        if not live(state):
            return original(tree, trusted, *args, **kwargs)
        ctx = inner_context(state, label)
        if not ctx.trusted and state.enabled:
            try:
                refused = refused_types(tree)
            except Exception as exc:  # noqa: BLE001 - cannot tell what would be built
                refused = [f"unjudged skops tree: {type(exc).__name__}"]
            if refused:
                evidence = {
                    "call": ctx.call,
                    "findings": refused[:10],
                    "trusted_by_caller": bool(trusted),
                }
                apply_rule_in(
                    state,
                    ctx,
                    RULE_SKOPS,
                    evidence,
                    "building a skops file's objects",
                    "it names types that run code: " + "; ".join(refused[:3]),
                )
        with ctx:
            return original(tree, trusted, *args, **kwargs)

    return audit_tree


def refused_types(tree):
    """``module.Class Loader: reason`` of each node the judge refuses for what the node does
    with its type (the scanner's judgement, on the tree skops built from the file)."""
    from ...scan.codeformats.skopsfile import judge_type

    out, stack, seen = [], [tree], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        # every node, not only those outside skops' trust: a node's own trust already counts
        # the caller's trusted= list, which is what cannot be relied on
        finding = judge_type(node.module_name, node.class_name, type(node).__name__)
        if finding is not None and finding.verdict == "dangerous":
            out.append(f"{node.module_name}.{node.class_name} {finding.detail}"[:300])
        for child in (getattr(node, "children", None) or {}).values():
            values = (
                child
                if isinstance(child, list)
                else (list(child.values()) if isinstance(child, dict) else [child])
            )
            stack.extend(v for v in values if hasattr(v, "is_self_safe"))
    return sorted(set(out))


MAKERS = {"skops-file": _file_wrapper, "skops-bytes": _bytes_wrapper, "skops-audit": _audit_wrapper}
