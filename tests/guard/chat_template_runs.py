"""Render chat templates the way an unsandboxed runtime does, in a fresh interpreter: run
without Warden it proves each escape (a marker file, or a secret in the prompt); run with the
launch site dir on PYTHONPATH (how kernels start) it shows what the guard refuses.

    python chat_template_runs.py OUT STEP   (STEP: plain | guard) -> JSON outcomes, last line

GGUF files are made with the real ``gguf`` library and read back with ``gguf.GGUFReader``; their
template is rendered as llama-cpp-python before 0.2.72 did (``Jinja2ChatFormatter``: a plain
``jinja2.Environment(loader=BaseLoader(), trim_blocks=True, lstrip_blocks=True)``,
``from_string``, ``render(messages=..., bos_token=..., eos_token=...)``), the bos/eos tokens
taken from the file's vocabulary.
"""

import json
import os
import sys

import chat_templates as ct

MESSAGES = [
    {"role": "user", "content": "hi"},
    {"role": "assistant", "content": "hello"},
    {"role": "user", "content": "how are you?"},
]


def _raise(message):
    raise ValueError(message)


def outcome(render, marker=None):
    try:
        text = render()
    except Exception as exc:  # noqa: BLE001 - the outcome is what we report
        return {"result": type(exc).__name__, "message": str(exc)[:600]}
    ran = bool(marker) and os.path.exists(marker)
    if ran:
        os.remove(marker)
    return {"result": "ran" if ran else "rendered", "leaked": ct.SECRET in text, "text": text[:200]}


def write_gguf(path, template, bos):
    import gguf
    import numpy as np

    writer = gguf.GGUFWriter(path, "llama")
    writer.add_chat_template(template)
    writer.add_token_list([bos, "</s>", "hi"])
    writer.add_bos_token_id(0)
    writer.add_eos_token_id(1)
    writer.add_tensor("tok_embd", np.zeros((3, 2), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def render_like_llama_cpp(path):
    """llama-cpp-python < 0.2.72: the file's template in a plain environment."""
    import gguf
    import jinja2

    reader = gguf.GGUFReader(path)

    def text(key, index=0):
        field = reader.fields[key]
        return bytes(field.parts[field.data[index]]).decode("utf-8")

    def number(key):
        field = reader.fields[key]
        return int(field.parts[field.data[0]][0])

    template = text("tokenizer.chat_template")
    bos = text("tokenizer.ggml.tokens", number("tokenizer.ggml.bos_token_id"))
    eos = text("tokenizer.ggml.tokens", number("tokenizer.ggml.eos_token_id"))
    env = jinja2.Environment(loader=jinja2.BaseLoader(), trim_blocks=True, lstrip_blocks=True)  # noqa: S701
    return env.from_string(template).render(
        messages=MESSAGES,
        bos_token=bos,
        eos_token=eos,
        add_generation_prompt=True,
        raise_exception=_raise,
    )


def main(out, step):
    import jinja2
    import jinja2.sandbox

    os.environ[ct.SECRET_ENV] = ct.SECRET
    result = {"step": step}
    context = {
        "messages": MESSAGES,
        "bos_token": ct.BOS_KEYS,
        "eos_token": "</s>",
        "raise_exception": _raise,  # as llama-cpp-python and transformers pass it
    }
    for name in ct.ESCAPES:
        marker = os.path.join(out, f"{step}-{name}.marker")
        source = ct.escape(name, marker)
        result[name] = outcome(
            lambda: jinja2.Environment().from_string(source).render(**context),  # noqa: S701
            marker,
        )
    # the other ways a source reaches Environment.compile
    marker = os.path.join(out, f"{step}-paths.marker")
    evil = ct.escape("dunder_attributes", marker)
    result["Template()"] = outcome(lambda: jinja2.Template(evil).render(), marker)
    loader = jinja2.DictLoader({"chat.jinja": evil})
    result["get_template"] = outcome(
        lambda: jinja2.Environment(loader=loader).get_template("chat.jinja").render(),  # noqa: S701
        marker,
    )
    result["sandboxed"] = outcome(
        lambda: jinja2.sandbox.ImmutableSandboxedEnvironment().from_string(evil).render(), marker
    )

    class LooseSandbox(jinja2.sandbox.SandboxedEnvironment):
        def is_safe_attribute(self, obj, attr, value):
            return True

    result["loose_sandbox"] = outcome(lambda: LooseSandbox().from_string(evil).render(), marker)
    # GGUF files, rendered as llama-cpp-python < 0.2.72 did
    marker = os.path.join(out, f"{step}-gguf.marker")
    evil_gguf = os.path.join(out, f"{step}-evil.gguf")
    write_gguf(evil_gguf, ct.escape("keys_from_the_file_bos_token", marker), ct.BOS_KEYS)
    benign_gguf = os.path.join(out, f"{step}-benign.gguf")
    write_gguf(benign_gguf, ct.WRITTEN["llama2_inst"], "<s>")
    result["gguf_evil"] = outcome(lambda: render_like_llama_cpp(evil_gguf), marker)
    result["gguf_benign"] = outcome(lambda: render_like_llama_cpp(benign_gguf))
    # benign templates, plain environment (a library's own): they render as they always did
    benign = dict(ct.WRITTEN, **ct.shipped_templates())
    base = {"bos_token": "<s>", "eos_token": "</s>", "raise_exception": _raise}
    result["benign"] = {
        name: outcome(
            lambda: (
                jinja2.Environment()  # noqa: S701
                .from_string(source)
                .render(messages=MESSAGES, add_generation_prompt=True, **base)
            )
        )["result"]
        for name, source in benign.items()
    }
    result["pandas_styler"] = outcome(_pandas_html)
    result["nbconvert_html"] = outcome(_nbconvert_html)
    for key in ("pandas_styler", "nbconvert_html"):
        result[key].pop("text", None)
    return result


def _pandas_html():
    import pandas as pd

    html = pd.DataFrame({"a": [1, 2]}).style.highlight_max().to_html()
    return "<table" in html and "</table>" in html and html or ""


def _nbconvert_html():
    import nbconvert
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    html, _ = nbconvert.HTMLExporter().from_notebook_node(notebook)
    return "1 + 1" in html.replace('<span class="o">+</span>', "+") and html or ""


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
