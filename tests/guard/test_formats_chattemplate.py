"""Chat templates (issue 18, CVE-2024-34359): the scanner's judge and the guard on Jinja2.

Every escape proves itself in a fresh interpreter without Warden (chat_template_runs.py: a
plain ``jinja2.Environment`` renders it and its marker file appears, or a secret from the
process environment lands in the prompt) - including a GGUF file made with the real ``gguf``
library and rendered as llama-cpp-python before 0.2.72 did. The same script run with the
launch site dir (how kernels start) shows the guard refusing each before it compiles, while
benign templates, a sandboxed environment, pandas' Styler and nbconvert work as before.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import chat_templates as ct
import pytest

from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR
from jupyterlab_warden.kernel.guard import WardenBlockedLoad
from jupyterlab_warden.kernel.scan import scan_file
from jupyterlab_warden.kernel.scan.codeformats.chattemplate import judge_template

HERE = Path(__file__).resolve().parent
ESCAPE_PATHS = ("Template()", "get_template", "loose_sandbox", "gguf_evil")


def _run(out, step):
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
    env.pop("PYTHONPATH", None)
    if step == "guard":
        env["PYTHONPATH"] = SITE_DIR
    proc = subprocess.run(
        [sys.executable, str(HERE / "chat_template_runs.py"), str(out), step],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        cwd=HERE,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("chat_templates")
    return out, _run(out, "plain"), _run(out, "guard")


def test_every_escape_runs_without_warden(runs):
    _, plain, _ = runs
    for name in ct.ESCAPES:
        if name in ct.LEAKS:
            assert plain[name]["result"] == "rendered" and plain[name]["leaked"], name
        else:
            assert plain[name]["result"] == "ran", (name, plain[name])
    for name in ESCAPE_PATHS:
        assert plain[name]["result"] == "ran", (name, plain[name])
    assert plain["sandboxed"]["result"] == "SecurityError"  # what a sandbox does with it


def test_the_guard_refuses_every_escape_before_it_compiles(runs):
    out, _, guarded = runs
    for name in (*ct.ESCAPES, *ESCAPE_PATHS):
        found = guarded[name]
        assert found["result"] == "WardenBlockedLoad", (name, found)
        message = found["message"]
        assert "unsandboxed" in message and "Nothing from it was run" in message
        assert "ImmutableSandboxedEnvironment" in message and "0.2.72" in message
    assert "attribute gi_frame" in guarded["generator_frame"]["message"]
    assert "|map attribute __class__" in guarded["map_attribute"]["message"]
    assert "item key computed by the template" in guarded["keys_in_variables"]["message"]
    assert "chat.jinja" in guarded["get_template"]["message"]
    assert sorted(p.name for p in out.glob("guard-*.marker")) == []


def test_a_real_sandbox_passes_untouched_and_a_loosened_one_does_not(runs):
    _, _, guarded = runs
    # the sandbox's own refusal, at render time: Warden did not stand in its way
    assert guarded["sandboxed"]["result"] == "SecurityError"
    assert "LooseSandbox" in guarded["loose_sandbox"]["message"]


def test_benign_templates_and_libraries_render_as_before(runs):
    _, plain, guarded = runs
    assert set(guarded["benign"].values()) == {"rendered"}
    assert guarded["benign"] == plain["benign"]
    assert len(guarded["benign"]) == len(ct.WRITTEN) + 3  # + the three transformers ships
    assert guarded["gguf_benign"] == plain["gguf_benign"]
    assert guarded["gguf_benign"]["text"].startswith("<s>[INST] hi [/INST] hello</s>")
    assert guarded["pandas_styler"]["result"] == "rendered"
    assert guarded["nbconvert_html"]["result"] == "rendered"


def test_scanner_flags_every_escape_and_no_benign_template():
    for name in ct.ESCAPES:
        findings, errors = judge_template(ct.escape(name, "/m"), name)
        assert errors == [] and any(f.verdict == "dangerous" for f in findings), name
    benign = dict(ct.WRITTEN, **ct.shipped_templates())
    assert len(benign) == len(ct.WRITTEN) + 3
    for name, source in benign.items():
        findings, errors = judge_template(source, name)
        assert errors == [] and findings == [], (name, findings)


def test_library_file_templates_are_not_dangerous():
    """pandas' and nbconvert's own templates (they are compiled unsandboxed in kernels)."""
    import importlib.util

    import jinja2

    from jupyterlab_warden.kernel.scan.codeformats.jinjatree import judge_tree

    def package_dir(name):  # found, not imported (pandas and nbconvert take seconds)
        return Path(importlib.util.find_spec(name).origin).parent

    roots = [package_dir("pandas") / "io" / "formats" / "templates"]
    roots.append(package_dir("nbconvert").parents[3] / "share" / "jupyter" / "nbconvert")
    files = [p for root in roots for p in root.rglob("*") if p.suffix in (".tpl", ".j2")]
    assert len(files) > 20
    env = jinja2.Environment()  # noqa: S701 - parsed only
    for path in files:
        try:
            tree = env.parse(path.read_text(encoding="utf-8"))
        except jinja2.TemplateSyntaxError:
            continue  # latex templates use other delimiters: text to this environment
        assert not [f for f in judge_tree(tree, path.name) if f.verdict == "dangerous"], path


def test_scanner_verdicts_on_files(runs, tmp_path):
    out, _, _ = runs
    evil = scan_file(str(out / "plain-evil.gguf"))
    assert (evil.verdict, evil.format) == ("dangerous", "gguf")
    assert {f.where.split(":")[0] for f in evil.findings} == {"tokenizer.chat_template"}
    clean = scan_file(str(out / "plain-benign.gguf"))
    assert (clean.verdict, clean.findings, clean.errors) == ("safe", [], [])
    template = ct.escape("generator_frame", "/m")
    config = tmp_path / "tokenizer_config.json"
    config.write_text(json.dumps({"chat_template": [{"name": "default", "template": template}]}))
    report = scan_file(str(config), by_name=True)
    assert (report.verdict, report.format) == ("dangerous", "tokenizer-config")
    assert "attribute gi_frame" in {f.detail for f in report.findings}
    jinja_file = tmp_path / "chat_template.jinja"
    jinja_file.write_text(template)
    report = scan_file(str(jinja_file), by_name=True)
    assert (report.verdict, report.format) == ("dangerous", "chat-template")
    jinja_file.write_text(ct.WRITTEN["chatml"])
    assert scan_file(str(jinja_file), by_name=True).verdict == "safe"


def test_in_process_refusal_emits_an_event_without_the_template(guard, marker):
    import jinja2
    import jinja2.sandbox

    source = ct.escape("map_attribute", marker)
    with pytest.raises(WardenBlockedLoad, match="unsandboxed Environment"):
        jinja2.Environment().from_string(source)  # noqa: S701
    event = guard.events[-1]
    assert (event["rule_id"], event["action"]) == ("chat-template-code", "blocked")
    evidence = event["evidence"]
    assert evidence["environment"] == "jinja2.environment.Environment"
    assert "|map attribute __class__ (<template>:1)" in evidence["findings"]
    assert str(marker) not in json.dumps(event)  # names constructs, never the template text
    # an expression compiled from a tree, a NativeEnvironment: the same compile step
    with pytest.raises(WardenBlockedLoad, match="attribute gi_frame"):
        jinja2.Environment().compile_expression("x.gi_frame.f_globals")  # noqa: S701
    import jinja2.nativetypes

    with pytest.raises(WardenBlockedLoad, match="NativeEnvironment"):
        jinja2.nativetypes.NativeEnvironment().from_string("{{ x.__class__ }}")
    # benign templates and sandboxes compile in the same guarded process
    text = jinja2.Environment().from_string(ct.WRITTEN["chatml"]).render(messages=[])  # noqa: S701
    assert text == ""
    sandbox = jinja2.sandbox.ImmutableSandboxedEnvironment()
    with pytest.raises(jinja2.exceptions.SecurityError):
        sandbox.from_string(source).render(messages=[])


TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Weather now",
            "parameters": {
                "type": "object",
                "properties": {
                    "city": {"type": "string", "description": "City"},
                    "unit": {"type": ["string", "integer"], "description": "Unit"},
                },
            },
        },
    }
]


def test_a_tool_use_template_with_a_schema_macro_renders_under_the_guard(guard):
    """Hermes' json_to_python_type macro is called with ``{"type": t}`` (red5 J2): data, not
    a key the template builds; it compiles and renders its tools as without Warden."""
    import jinja2

    context = {"tools": TOOLS, "messages": [{"role": "user", "content": "hi"}], "bos_token": "<s>"}
    before = len(guard.events)
    text = jinja2.Environment().from_string(ct.HERMES_TOOL_USE).render(**context)  # noqa: S701
    assert "get_weather(city: str, unit: Union[str,int]) - Weather now" in text
    assert [e for e in guard.events[before:] if e.get("rule_id") == "chat-template-code"] == []
    # the same macro handed a key the template spells itself is still refused
    built = ct.HERMES_TOOL_USE.replace(
        'json_to_python_type({"type": t})', "json_to_python_type({'type': '_' ~ '_class__'})"
    )
    assert built != ct.HERMES_TOOL_USE
    with pytest.raises(WardenBlockedLoad, match="item key computed by the template"):
        jinja2.Environment().from_string(built)  # noqa: S701


def test_warn_policy_lets_the_template_compile_with_a_warning(guard):
    import jinja2

    guard.set_policy({"rules": {"chat-template-code": {"action": "warn"}}})
    with pytest.warns(Warning, match="chat template|Jinja2 template"):
        template = jinja2.Environment().from_string("{{ x.gi_frame }}")  # noqa: S701
    assert template.render(x=1) == ""
    assert guard.events[-1]["action"] == "warned"


@pytest.mark.parametrize(
    ("source", "dangerous"),
    [
        # macro parameters take what the template's own call sites pass
        ("{% macro f(o, k) %}{{ o[k] }}{% endmacro %}{{ f(messages, '_' ~ '_class__') }}", True),
        ("{% macro f(o, k='_' ~ '_class__') %}{{ o[k] }}{% endmacro %}{{ f(messages) }}", True),
        ("{% macro f(o, k) %}{{ o[k] }}{% endmacro %}{{ f(f(messages, a), b) }}", True),
        ("{% macro u() %}__class__{% endmacro %}{{ messages[u()] }}", True),
        ("{% macro f(o, k) %}{{ o[k] }}{% endmacro %}{{ f(messages[0], 'content') }}", False),
        # a format string that only fills fields; one that walks attributes
        ("{{ '{0}: {1:>4}'.format(message.role, loop.index) }}", False),
        ("{{ '{0[role]}'.format(messages[0]) }}", True),
        ("{% set s = '{0}' %}{{ s.format(1) }}", True),
        # numbers as keys: loop arithmetic, lengths; a key the template spelled in pieces
        ("{{ messages[loop.index0 - 1] }}{{ messages[messages|length - 1] }}", False),
        ("{% for i in range(3) %}{{ messages[i] }}{% endfor %}", False),
        ("{{ messages['_' * 2 ~ 'class' ~ '_' * 2] }}", True),
        ("{% set ns = namespace(k='__class__') %}{{ messages[ns.k] }}", True),
        ("{{ cycler.mro() }}", True),
        ("{{ messages|sort(attribute='role')|map(attribute='content')|join('\\n') }}", False),
        ("{{ messages|map('attr', x) }}", True),
        # a value looked up by a key the template does not fix (a context function's
        # __globals__ with the file's bos_token) may only be shown, tested or filtered
        ("{{ raise_exception[bos_token].get(eos_token) }}", True),
        ("{% for k, v in f[bos_token]|items %}{{ v.system('id') }}{% endfor %}", True),
        ("{{ raise_exception[bos_token]|attr('os')|attr('environ') }}", True),
        ("{% if 0 %}{% set bos_token = 0 %}{% endif %}{{ f[bos_token].get('os') }}", True),
        ("{{ messages[bos_token](1) }}{{ raise_exception(messages[bos_token]) }}", True),
        ("{% set g = raise_exception[bos_token] %}{% include 'other.jinja' %}", True),
        ("{% set t = out.data|first %}{{ out.data[t]|tojson }}{{ data[key] is mapping }}", False),
        ("{% set i = 0 %}{% for m in messages %}{{ messages[i].role }}{% endfor %}", False),
        ("{% for v in f[b]|items %}{{ loop.previtem[1].system('id') }}{% endfor %}", True),
        ("{% macro m() %}{{ varargs[0].get('os') }}{% endmacro %}{{ m(f[b]) }}", True),
        ("{% macro m(g) %}{{ g.get('os') }}{% endmacro %}{{ m(f[b]) }}", True),
        ("{% macro m(g) %}{{ g }}{% endmacro %}{{ m(f[b]) }}", False),
        # a name set to a constant in one branch, the context's otherwise: a fine key, but
        # string operations on it build what the template wants
        ("{% if x %}{% set k = 'widgets' %}{% endif %}{{ nb.metadata[k]|tojson }}", False),
        (
            "{% if x %}{% set f = '%c%cglobals%c%c' %}{% endif %}{{ g[f|format(95,95,95,95)] }}",
            True,
        ),
        # a macro handed a dict literal: what its lookups return (red5 J2), keys fixed here
        ("{% macro f(o) %}{{ g[o.k] }}{% endmacro %}{{ f({'k': bos_token}) }}", False),
        ("{% macro f(o) %}{{ g[o.k] }}{% endmacro %}{{ f({'k': '_' ~ '_class__'}) }}", True),
        ("{% macro f(o) %}{{ g[o.k].get('os') }}{% endmacro %}{{ f({'k': bos_token}) }}", True),
        ("{% macro f(o) %}{{ o.k }}{% endmacro %}{{ f({'k': g[bos_token]}) }}", True),
        ("{% macro f(o) %}{{ g[o.k] }}{% endmacro %}{{ f({bos_token: 'k'}) }}", True),
        (
            "{% for a in {'mr': 1, 'o': 2} %}{% for b in {'o': 2} %}{{ g[a ~ b] }}{% endfor %}"
            "{% endfor %}",
            True,
        ),
        # a recursive macro over a JSON schema (tool-calling templates)
        (
            "{% macro t(spec) %}{% set m = {'string': 'str'} %}{{ m[spec.type] }}"
            "{{ t(spec['items']) }}{% endmacro %}{{ t(tool.parameters) }}",
            False,
        ),
    ],
)
def test_judge_cases(source, dangerous):
    findings, errors = judge_template(source, "t")
    assert errors == []
    assert any(f.verdict == "dangerous" for f in findings) is dangerous, findings


def test_denial_of_service_is_suspicious_not_dangerous():
    source = "{% for i in range(10**9) %}{{ 'x' * 1000000 }}{{ lipsum(n=10000000) }}{% endfor %}"
    findings, _ = judge_template(source, "t")
    assert {f.verdict for f in findings} == {"suspicious"}
    assert {f.detail for f in findings} == {
        "power operator (denial of service)",
        "a huge number in range(), lipsum() or * (denial of service)",
        "global lipsum (no chat template needs it)",
    }


def test_without_jinja2_the_scanner_searches_the_text(monkeypatch):
    """Coarser: keys taken from render-context data cannot be told from the text (the guard
    needs no fallback: without Jinja2 nothing renders a template)."""
    monkeypatch.setitem(sys.modules, "jinja2", None)
    monkeypatch.setitem(sys.modules, "jinja2.exceptions", None)
    missed = {"keys_from_the_file_bos_token", "context_function_globals"}
    for name in ct.ESCAPES:
        findings, _ = judge_template(ct.escape(name, "/m"), name)
        assert bool(findings) is (name not in missed), name
    for name, source in dict(ct.WRITTEN, **ct.shipped_templates()).items():
        assert judge_template(source, name) == ([], []), name
