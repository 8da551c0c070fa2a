"""YAML python tags: ``!!python/object/apply:os.system [...]`` runs code under PyYAML's
unsafe loaders (``yaml.unsafe_load``, ``yaml.load(Loader=UnsafeLoader|Loader)``, and
``FullLoader`` before PyYAML 5.4).

With PyYAML installed the document is *composed* (parsed into nodes with tags resolved,
including ``%TAG`` shorthands) and never constructed, so no constructor runs. Without it, any
``python/`` tag in the text is dangerous (fail closed).
"""

import re
from typing import List, Tuple

from ..report import DANGEROUS, Finding

PYTHON_TAG = "tag:yaml.org,2002:python/"
# python tags that only build plain data, whatever the loader
DATA_TAGS = frozenset(
    PYTHON_TAG + t
    for t in (
        "none", "bool", "str", "unicode", "bytes", "int", "long", "float", "complex",
        "list", "tuple", "dict",
    )
)  # fmt: skip
_TEXT_TAG = re.compile(r"(?:!!|tag:yaml\.org,2002:)python/[\w/.:-]*|%TAG\b[^\n]*")
MAX_NODES = 1_000_000


def scan_text(text: str) -> Tuple[List[Finding], List[str]]:
    try:
        import yaml  # lazy: PyYAML is not stdlib, and only a YAML scan needs it
    except ImportError:
        return _scan_without_yaml(text), []
    findings: List[Finding] = []
    try:
        for doc_no, root in enumerate(yaml.compose_all(text, Loader=yaml.SafeLoader)):
            findings.extend(_walk(root, f"document {doc_no}"))
    except yaml.YAMLError as exc:
        # what the unsafe loader would read we cannot tell: judge the text itself
        found = _scan_without_yaml(text)
        return found, [] if found else [f"YAML unreadable: {str(exc)[:200]}"]
    return findings, []


def _walk(root, where: str) -> List[Finding]:
    out: List[Finding] = []
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        if len(seen) > MAX_NODES:
            out.append(Finding("yaml-python-tag", where, DANGEROUS, "too many nodes to judge"))
            break
        tag = node.tag or ""
        if tag.startswith(PYTHON_TAG) and tag not in DATA_TAGS:
            line = getattr(node.start_mark, "line", -1) + 1
            out.append(Finding("yaml-python-tag", f"{where}:{line}", DANGEROUS, tag[18:][:200]))
        value = node.value
        if isinstance(value, list):
            for item in value:
                stack.extend(item if isinstance(item, tuple) else (item,))
    return out


def _scan_without_yaml(text: str) -> List[Finding]:
    out = []
    for match in _TEXT_TAG.finditer(text):
        tag = match.group(0)
        if tag.startswith("%TAG") or PYTHON_TAG + tag.split("python/", 1)[1] not in DATA_TAGS:
            line = text.count("\n", 0, match.start()) + 1
            out.append(Finding("yaml-python-tag", f"line {line}", DANGEROUS, tag[:200]))
    return out
