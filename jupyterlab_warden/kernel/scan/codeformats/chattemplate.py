"""Chat templates (``tokenizer_config.json`` ``chat_template``): Jinja2 source that model
runtimes render. In a sandboxed environment a template is harmless; rendered by a plain
``jinja2.Environment`` (llama-cpp-python before 0.2.72, CVE-2024-34359) it reaches Python
objects through attributes such as ``__class__``/``__globals__``/``__subclasses__``.

The template is parsed with Jinja2 (lazily imported; never rendered) and its syntax tree is
walked for what a sandbox forbids: attributes and item keys starting with ``_`` (or built
from pieces at render time), the ``attr`` filter, and names no chat template needs
(``self``, ``cycler``, ``joiner``, ``namespace`` internals, ``lipsum``, ``range`` is fine).
Without Jinja2, any ``_`` attribute access in the text counts.
"""

import json
import re
from typing import List, Tuple

from ..report import DANGEROUS, SUSPICIOUS, Finding

MAX_TEMPLATE_CHARS = 1_000_000
# globals Jinja2 gives every template that lead to Python objects
_RISKY_NAMES = frozenset(("self", "cycler", "joiner", "lipsum", "config", "request", "url_for"))
_TEXT_DUNDER = re.compile(r"\.\s*_\w*|\[\s*['\"]_|\|\s*attr\b|\b(?:self|lipsum|cycler|joiner)\b")


def scan_tokenizer_config(text: str) -> Tuple[List[Finding], List[str]]:
    try:
        config = json.loads(text)
    except ValueError as exc:
        return [], [f"tokenizer config unreadable: {exc}"]
    templates = config.get("chat_template") if isinstance(config, dict) else None
    if isinstance(templates, str):
        templates = [{"name": "default", "template": templates}]
    if not isinstance(templates, list):
        return [], []
    findings: List[Finding] = []
    errors: List[str] = []
    for entry in templates:
        if not isinstance(entry, dict) or not isinstance(entry.get("template"), str):
            continue
        where = f"chat_template[{entry.get('name')}]"
        found, errs = judge_template(entry["template"], where)
        findings.extend(found)
        errors.extend(errs)
    return findings, errors


def judge_template(source: str, where: str) -> Tuple[List[Finding], List[str]]:
    if len(source) > MAX_TEMPLATE_CHARS:
        return [Finding("chat-template", where, SUSPICIOUS, "template too large to judge")], []
    try:
        from jinja2 import Environment, nodes
        from jinja2.exceptions import TemplateSyntaxError
    except ImportError:
        return _judge_text(source, where), []
    try:
        tree = Environment().parse(source)  # noqa: S701 - parsed, never rendered
    except TemplateSyntaxError as exc:
        return [], [f"{where}: template syntax error: {exc.message}"]
    out: List[Finding] = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Filter, nodes.Name)):
        line = f"{where}:{node.lineno}"
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            out.append(Finding("chat-template", line, DANGEROUS, f"attribute {node.attr[:80]}"))
        elif isinstance(node, nodes.Getitem):
            key = node.arg
            if isinstance(key, nodes.Const) and isinstance(key.value, str):
                if key.value.startswith("_"):
                    out.append(Finding("chat-template", line, DANGEROUS, f"item {key.value[:80]}"))
            elif isinstance(key, (nodes.Concat, nodes.Add, nodes.Filter)):
                # a key built at render time can spell any attribute name
                out.append(Finding("chat-template", line, DANGEROUS, "computed item key"))
        elif isinstance(node, nodes.Filter) and node.name == "attr":
            out.append(Finding("chat-template", line, DANGEROUS, "attr filter"))
        elif isinstance(node, nodes.Name) and node.ctx == "load" and node.name in _RISKY_NAMES:
            out.append(Finding("chat-template", line, DANGEROUS, f"global {node.name}"))
    return out, []


def _judge_text(source: str, where: str) -> List[Finding]:
    return [
        Finding("chat-template", f"{where}:{source.count(chr(10), 0, m.start()) + 1}", DANGEROUS,
                m.group(0).strip()[:80])
        for m in _TEXT_DUNDER.finditer(source)
    ]  # fmt: skip
