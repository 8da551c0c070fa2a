"""Chat templates (``tokenizer_config.json`` ``chat_template``, ``chat_template.jinja``): Jinja2
source that model runtimes render. In a sandboxed environment a template is harmless; rendered
by a plain ``jinja2.Environment`` (llama-cpp-python before 0.2.72, CVE-2024-34359) it reaches
Python objects (``__class__``, ``gi_frame.f_builtins``, ``map(attribute=...)``...).

The template is parsed with Jinja2 (lazily imported; never rendered) and its syntax tree judged
by ``jinjatree`` (deny by default: what may be looked up, by which key; ``jinjaorigins`` says
where each value comes from). Without Jinja2 the text
is searched for the same constructs, more coarsely.
"""

import json
import re
from typing import List, Tuple

from ..report import DANGEROUS, SUSPICIOUS, Finding

MAX_TEMPLATE_CHARS = 1_000_000
# the template file current transformers saves beside a tokenizer (CHAT_TEMPLATE_FILE)
FILE_NAMES = ("chat_template.jinja",)
# without Jinja2: attributes leading into Python, quoted names with a `_` part, the attr filter
_TEXT_DUNDER = re.compile(
    r"\.\s*(?:_|(?:gi|cr|ag|f|tb|co|func|im)_|mro\b|format(?:_map)?\b)\w*"
    r"|['\"](?:[^'\"]*[.,{])?_[^'\"]*['\"]|\|\s*attr\b"
)


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
        from jinja2.exceptions import TemplateSyntaxError
    except ImportError:
        return _judge_text(source, where), []
    from .jinjatree import judge_tree

    try:
        return judge_tree(_parser().parse(source), where), []  # parsed, never rendered
    except TemplateSyntaxError as exc:
        return [], [f"{where}: template syntax error: {exc.message}"]
    except RecursionError:  # nested deeper than Python's stack: cannot be judged
        return [], [f"{where}: template nested too deeply to judge"]


_PARSER = []


def _parser():
    """An environment that parses what chat-template runtimes accept: transformers renders with
    the ``loopcontrols`` extension (``{% break %}``) and its ``{% generation %}`` block."""
    if not _PARSER:
        from jinja2 import Environment, nodes
        from jinja2.ext import Extension

        class GenerationBlock(Extension):
            tags = frozenset(("generation",))

            def parse(self, parser):
                lineno = next(parser.stream).lineno
                body = parser.parse_statements(("name:endgeneration",), drop_needle=True)
                return nodes.Scope(body, lineno=lineno)

        _PARSER.append(Environment(extensions=["jinja2.ext.loopcontrols", GenerationBlock]))  # noqa: S701
    return _PARSER[0]


def _judge_text(source: str, where: str) -> List[Finding]:
    return [
        Finding("chat-template", f"{where}:{source.count(chr(10), 0, m.start()) + 1}", DANGEROUS,
                m.group(0).strip()[:80])
        for m in _TEXT_DUNDER.finditer(source)
    ]  # fmt: skip
