"""Jinja2: a template compiled by an environment that is not a sandbox is judged first.

``Environment.compile`` is where every template source becomes code: ``from_string``,
``Template(source)`` (a shared spontaneous environment), ``get_template`` through a loader
(``BaseLoader.load``), ``compile_expression`` (a syntax tree), ``compile_templates``. Whatever
library renders (llama-cpp-python before 0.2.72 with a GGUF file's ``tokenizer.chat_template``,
CVE-2024-34359; a tool's own templates), the source is parsed by the environment that will
compile it - its delimiters and extensions - and that tree is judged
(``scan/codeformats/jinjatree.py``) and then compiled, so what is judged is what runs.

A ``jinja2.sandbox.SandboxedEnvironment`` whose checks are the sandbox's own passes untouched;
a subclass or instance that replaces them (``is_safe_attribute``, ``getattr``, ``call``...) is
judged like a plain environment. Benign templates compile as before. Not covered: code a
bytecode cache hands back (compiled earlier, not re-judged) and precompiled template modules
(``ModuleLoader``: Python files).
"""

from .judging import apply_rule_in, inner_context, live

RULE_TEMPLATE = "chat-template-code"
# the methods a sandbox's safety rests on; the generated code calls them for every lookup/call
_SANDBOX_METHODS = (
    "is_safe_attribute",
    "is_safe_callable",
    "getattr",
    "getitem",
    "call",
    "call_binop",
    "call_unop",
    "format_string",
    "unsafe_undefined",
)


def _compile_wrapper(original, label, state):
    def compile(env, source, name=None, filename=None, *args, **kwargs):  # noqa: A001
        if not live(state) or _really_sandboxed(env):
            return original(env, source, name, filename, *args, **kwargs)
        ctx = inner_context(state, label)
        if ctx.trusted or not state.enabled:
            return original(env, source, name, filename, *args, **kwargs)
        from jinja2 import nodes

        if isinstance(source, str):
            # parsed once, by this environment; a syntax error raises as compile would
            source = env.parse(source, name, filename)
        if isinstance(source, nodes.Node):
            _judge(state, ctx, env, source, name)
        return original(env, source, name, filename, *args, **kwargs)

    return compile


def _really_sandboxed(env) -> bool:
    from jinja2.compiler import CodeGenerator
    from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

    if not isinstance(env, SandboxedEnvironment):
        return False
    cls = type(env)
    own = vars(env)
    for method in _SANDBOX_METHODS:
        if method in own:
            return False  # replaced on the instance
        allowed = {
            getattr(SandboxedEnvironment, method, None),
            getattr(ImmutableSandboxedEnvironment, method, None),
        }
        if getattr(cls, method, None) not in allowed:
            return False
    # the sandbox works through the code the standard generator emits
    return getattr(env, "code_generator_class", None) is CodeGenerator


def _judge(state, ctx, env, tree, name) -> None:
    from ...scan.codeformats.jinjatree import judge_tree

    where = str(name)[:200] if name else "<template>"
    try:
        findings = judge_tree(tree, where, env)
    except Exception as exc:  # noqa: BLE001 - cannot tell what it reaches: refused, with why
        details = [f"the template could not be judged ({type(exc).__name__})"]
    else:
        found = (f"{f.detail} ({f.where})" for f in findings if f.verdict == "dangerous")
        details = list(dict.fromkeys(found))  # each construct once, in template order
    if not details:
        return
    env_name = type(env).__module__ + "." + type(env).__qualname__
    evidence = {
        "call": ctx.call,
        "environment": env_name[:200],
        "template": where,
        "findings": details[:10],
    }
    apply_rule_in(
        state,
        ctx,
        RULE_TEMPLATE,
        evidence,
        f"compiling the Jinja2 template {where} in an unsandboxed {type(env).__name__}",
        "it reaches Python objects a Jinja2 sandbox refuses: " + "; ".join(details[:3]),
    )


MAKERS = {"jinja2-compile": _compile_wrapper}
