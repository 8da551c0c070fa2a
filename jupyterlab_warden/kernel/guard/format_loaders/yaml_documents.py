"""PyYAML: python tags refused where the document is turned into objects.

* ``yaml.load`` / ``yaml.load_all`` (``unsafe_load``, ``full_load`` and their ``_all`` forms
  call them): when the Loader constructs Python objects - judged by the constructors the
  Loader really has, not by its name - the document is scanned first; this is where a file's
  sha256 can be matched against ``trusted_artifacts``.
* ``BaseConstructor.construct_document``: every loader (Python or C parser, any subclass,
  ``yaml.UnsafeLoader(stream).get_single_data()`` used directly, a ``yaml.load`` bound before
  the guard) builds each document here from its composed nodes. Each node's constructor is
  looked up exactly as ``construct_object`` will look it up; a node whose constructor imports
  or calls Python (PyYAML's ``construct_python_name/module/object/object_apply/object_new``),
  or a python tag handled by a constructor PyYAML does not ship, is refused before anything
  is constructed.
"""

import io

from .judging import apply_rule_in, inner_context, judge, live, report_of

RULE_YAML = "yaml-python-tag"

_CODE_CONSTRUCTORS = ("name", "module", "object", "object_apply", "object_new")
_MAX_NODES = 1_000_000


def _yaml_wrapper(original, label, state):
    def load(stream, Loader=None, *args, **kwargs):  # noqa: N803 - PyYAML's parameter name
        if not live(state) or not _constructs_python(Loader):
            return original(stream, Loader, *args, **kwargs)
        if hasattr(stream, "read"):
            stream = stream.read()  # read once: the loader gets exactly what was scanned
        text = stream.decode("utf-8", "replace") if isinstance(stream, bytes) else str(stream)
        from ...scan.codeformats import scan_yaml

        found = scan_yaml(text=text)
        report = report_of("<yaml>", "yaml", found.findings, found.errors)
        raw = stream if isinstance(stream, bytes) else text.encode("utf-8")
        what = f"{label} with {getattr(Loader, '__name__', Loader)}"
        # hashed as the bytes read (a trusted artifact's sha256 is of the file's bytes)
        ctx = judge(state, label, io.BytesIO(raw), report, RULE_YAML, what)
        with ctx:
            return original(stream, Loader, *args, **kwargs)

    return load


def _constructs_python(loader) -> bool:
    """Whether this Loader class has constructors for python tags beyond plain data."""
    if loader is None:
        return True  # PyYAML < 6 defaulted to FullLoader; 6 refuses None itself
    from ...scan.codeformats.yamltags import DATA_TAGS, PYTHON_TAG

    try:
        tags = list(getattr(loader, "yaml_constructors", {}) or {})
        tags += list(getattr(loader, "yaml_multi_constructors", {}) or {})
    except Exception:  # noqa: BLE001 - an odd Loader: judge the document
        return True
    return any(isinstance(t, str) and t.startswith(PYTHON_TAG) and t not in DATA_TAGS for t in tags)


def _document_wrapper(original, label, state):
    def construct_document(loader, node):
        if not live(state):
            return original(loader, node)
        ctx = inner_context(state, label)
        if not ctx.trusted and state.enabled:
            try:
                found = code_nodes(loader, node)
            except Exception as exc:  # noqa: BLE001 - cannot tell what would be built
                found = [f"unjudged document: {type(exc).__name__}"]
            if found:
                loader_name = type(loader).__name__
                evidence = {"call": "yaml", "loader": loader_name, "findings": found[:10]}
                apply_rule_in(
                    state,
                    ctx,
                    RULE_YAML,
                    evidence,
                    f"constructing a YAML document with {loader_name}",
                    "it builds Python objects: " + "; ".join(found[:3]),
                )
        with ctx:
            return original(loader, node)

    return construct_document


def code_nodes(loader, root):
    """``tag (line N)`` of every node ``loader`` would build by importing or calling Python."""
    from ...scan.codeformats.yamltags import DATA_TAGS, PYTHON_TAG

    code = _code_constructors()
    exact = getattr(loader, "yaml_constructors", {}) or {}
    multi = getattr(loader, "yaml_multi_constructors", {}) or {}
    out, stack, seen = [], [root], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if len(seen) > _MAX_NODES:
            return out + ["too many nodes to judge"]
        tag = node.tag or ""
        constructor = _constructor_for(tag, exact, multi)
        python_tag = tag.startswith(PYTHON_TAG) and tag not in DATA_TAGS
        # a python tag built by a constructor PyYAML does not ship: cannot tell what it does
        custom = python_tag and constructor is not None and not _is_pyyaml(constructor)
        if _function_of(constructor) in code or custom:
            line = getattr(getattr(node, "start_mark", None), "line", -1) + 1
            out.append(f"{tag[:200]} (line {line})")
        value = node.value
        if isinstance(value, list):
            for item in value:
                stack.extend(item if isinstance(item, tuple) else (item,))
    return out


def _constructor_for(tag, exact, multi):
    """The constructor ``BaseConstructor.construct_object`` picks for ``tag``."""
    if tag in exact:
        return exact[tag]
    for prefix in multi:
        if prefix is not None and tag.startswith(prefix):
            return multi[prefix]
    if None in multi:
        return multi[None]
    return exact.get(None)


def _function_of(constructor):
    return getattr(constructor, "__func__", constructor)


def _is_pyyaml(constructor) -> bool:
    return (getattr(_function_of(constructor), "__module__", "") or "").startswith("yaml.")


_CODE = []


def _code_constructors():
    if not _CODE:
        from yaml.constructor import FullConstructor

        _CODE.append(
            frozenset(FullConstructor.__dict__["construct_python_" + n] for n in _CODE_CONSTRUCTORS)
        )
    return _CODE[0]


MAKERS = {"yaml": _yaml_wrapper, "yaml-doc": _document_wrapper}
