"""Warden's model scanner vs ModelAudit on the code-carrying formats of issue 18.

Builds the malicious and benign files with the real libraries (the test builders in
tests/guard: format_files.py, onnx_files.py, skops_files.py, nemo_files.py, hf_remote_files.py,
arrow_pickles.py; each malicious
file there proves its payload runs without Warden), plus chat templates (GGUF and
tokenizer_config.json), a Hugging Face auto_map folder and the TF SavedModel fixtures
(tests/scan/savedmodels, made by real TensorFlow); then scans the whole folder once
with each tool as a whole process and reports, per tool: malicious files flagged, missed,
benign files flagged (false alarms), wall and CPU time.

    PYTHONPATH=. .venv/bin/python bench/formats_vs_modelaudit.py [--modelaudit PATH] [--only DIR/]

(``--only savedmodel/``: only the files under that folder, e.g. the SavedModels; ``--only
templates/`` builds only the chat templates)

(default PATH /tmp/ma-venv/bin/modelaudit: ``python -m venv /tmp/ma-venv &&
/tmp/ma-venv/bin/pip install modelaudit==0.2.54``).

Flagged: Warden verdict ``dangerous`` (or ``error``: the guard refuses what it cannot read);
ModelAudit an issue of severity ``critical`` or ``warning`` located in the file. Warden's
``suspicious`` is counted apart (the guard loads those).
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TESTS = os.path.join(REPO, "tests", "guard")

# (path relative to the bench folder, malicious?)
LABELS = {
    "formats/lambda.keras": True,
    "formats/lambda.h5": True,
    "formats/from_file_ts.pt": True,
    "formats/from_file_ts_via_torch_load.pt": True,
    "formats/save_ts.pt": True,
    "formats/save_spaced_ts.pt": True,
    "formats/save_ops_ts.pt": True,
    "formats/save_paren_ts.pt": True,
    "formats/apply.yaml": True,
    "formats/tag_directive.yaml": True,
    "formats/dense.keras": False,
    "formats/dense.h5": False,
    "formats/config.yaml": False,
    "formats/linear_ts.pt": False,
    "formats/conv_scripted_ts.pt": False,
    "formats/conv_traced_ts.pt": False,
    "formats/lstm_scripted_ts.pt": False,
    "formats/lstm_traced_ts.pt": False,
    "formats/flow_scripted_ts.pt": False,
    "formats/transformer_scripted_ts.pt": False,
    "onnx/escape_symlink/model.onnx": True,
    "onnx/escape_dotdot/model.onnx": True,
    "onnx/escape_absolute/model.onnx": True,
    "onnx/benign/model.onnx": False,
    "skops/reduce_system.skops": True,
    "skops/pipeline.skops": False,
    "skops/forest.skops": False,
    "nemo/mknod.nemo": True,
    "nemo/benign.nemo": False,
    "templates/evil.gguf": True,
    "templates/benign.gguf": False,
    "templates/evil/tokenizer_config.json": True,
    "templates/benign/tokenizer_config.json": False,
    "hf/evil/config.json": True,
    "hf/benign/config.json": False,
    # transformers' own folders (hf_remote_files.py): auto_map code that writes with open()
    "hfmodels/evil_model/config.json": True,
    "hfmodels/bert_safetensors/config.json": False,
    "hfmodels/bert_bin/config.json": False,
    "hfmodels/bert_bin/pytorch_model.bin": False,
    # pandas 3 + pyarrow pickles (arrow_pickles.py): a layout that reads out of bounds
    "arrow/crafted.pkl": True,
    "arrow/strings.pkl": False,
    "arrow/arrow.pkl": False,
    # TF SavedModels made by real TensorFlow 2.21 (tests/scan/savedmodels, committed fixtures;
    # bench/savedmodel_proof.py runs each with TensorFlow, plain and guarded)
    "savedmodel/write_on_call/saved_model.pb": True,
    "savedmodel/write_on_load/saved_model.pb": True,
    "savedmodel/read_on_call/saved_model.pb": True,
    "savedmodel/py_function/saved_model.pb": True,
    "savedmodel/keras_lambda/keras_metadata.pb": True,
    "savedmodel/save_on_call/saved_model.pb": True,
    "savedmodel/tf1_init_op/saved_model.pb": True,
    "savedmodel/tf1_benign/saved_model.pb": False,
    "savedmodel/benign/saved_model.pb": False,
    "savedmodel/benign_keras/saved_model.pb": False,
    "savedmodel/benign_lookup/saved_model.pb": False,
}
sys.path.insert(0, TESTS)
import chat_templates  # noqa: E402 - the chat-template tests' escapes and benign templates

# each escape of tests/guard/chat_templates.py in a GGUF file (chat_template_runs.py proves it
# runs, or leaks a secret, when rendered as llama-cpp-python < 0.2.72 did), and the benign
# templates (written for the tests, and the three transformers ships)
LABELS.update({f"templates/escape_{name}.gguf": True for name in chat_templates.ESCAPES})
BENIGN_TEMPLATES = dict(chat_templates.WRITTEN, **chat_templates.shipped_templates())
_BENIGN_NAMES = {name: name.split(":")[-1].split("/")[-1] for name in BENIGN_TEMPLATES}
LABELS.update({f"templates/benign_{short}.gguf": False for short in _BENIGN_NAMES.values()})
SAVEDMODELS = os.path.join(REPO, "tests", "scan", "savedmodels")
# pyarrow stays out of the shared venv (it changes how pandas pickles): the arrow pickles are
# built, and scanned by Warden, with it on the path (tests/guard/test_formats_arrow.py's folder)
ARROW_LIBS = os.environ.get("WARDEN_ARROW_LIBS") or os.path.join(
    tempfile.gettempdir(), "warden-arrow-libs"
)
TEMPLATE_ESCAPE = (
    "{% for c in ().__class__.__base__.__subclasses__() %}"
    "{% if c.__name__ == 'catch_warnings' %}"
    "{{ c()._module.__builtins__['__import__']('os').system('true') }}"
    "{% endif %}{% endfor %}"
)
TEMPLATE_BENIGN = (
    "{{ bos_token }}{% for message in messages %}{{ message['content'] + eos_token }}{% endfor %}"
)


def _builder(script, *args, path=""):
    env = dict(os.environ, KERAS_BACKEND="torch", PYTHONPATH=path, HF_HUB_OFFLINE="1")
    env["HF_HOME"] = tempfile.mkdtemp(prefix="warden-bench-hf-")
    subprocess.run([sys.executable, os.path.join(TESTS, script), *args], env=env, check=True,
                   capture_output=True, timeout=600)  # fmt: skip


def build(root, only=""):
    if only == "templates/":
        os.makedirs(os.path.join(root, "templates"))
        _templates(os.path.join(root, "templates"))
        return
    shutil.copytree(SAVEDMODELS, os.path.join(root, "savedmodel"))
    if only == "savedmodel/":
        return
    for sub in ("formats", "onnx", "skops", "nemo", "templates", "hf", "hfmodels", "arrow"):
        os.makedirs(os.path.join(root, sub))
    _builder("format_files.py", os.path.join(root, "formats"))
    _builder("onnx_files.py", "build", os.path.join(root, "onnx"))
    _builder("skops_files.py", os.path.join(root, "skops"))
    _builder("nemo_files.py", os.path.join(root, "nemo"))
    os.remove(os.path.join(root, "nemo", "lookalike.nemo"))  # needs installed code: not a file
    os.remove(os.path.join(root, "nemo", "hydra_mknod.yaml"))
    shutil.rmtree(os.path.join(root, "nemo", "pkg"))
    shutil.rmtree(os.path.join(root, "onnx", "custom_domain"))
    _templates(os.path.join(root, "templates"))
    _auto_map(os.path.join(root, "hf"))
    _builder("hf_remote_files.py", os.path.join(root, "hfmodels"), "plain")
    _builder("arrow_pickles.py", os.path.join(root, "arrow"), "plain", path=ARROW_LIBS)


def _gguf(path, template):
    import gguf
    import numpy as np

    writer = gguf.GGUFWriter(path, "llama")
    writer.add_chat_template(template)
    writer.add_token_list(["<s>", "</s>", "hi"])
    writer.add_tensor("tok_embd", np.zeros((3, 2), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def _templates(folder):
    for name in chat_templates.ESCAPES:
        _gguf(os.path.join(folder, f"escape_{name}.gguf"), chat_templates.escape(name, "/m"))
    for name, template in BENIGN_TEMPLATES.items():
        _gguf(os.path.join(folder, f"benign_{_BENIGN_NAMES[name]}.gguf"), template)
    for name, template in (("evil", TEMPLATE_ESCAPE), ("benign", TEMPLATE_BENIGN)):
        _gguf(os.path.join(folder, name + ".gguf"), template)
        os.makedirs(os.path.join(folder, name))
        with open(os.path.join(folder, name, "tokenizer_config.json"), "w") as fh:
            json.dump({"chat_template": template}, fh)


def _auto_map(folder):
    for name, body in (
        ("evil", "import os\nos.system('true')\nclass M: pass\n"),
        ("benign", "import math\nclass M:\n    scale = math.sqrt(2)\n"),
    ):
        os.makedirs(os.path.join(folder, name))
        with open(os.path.join(folder, name, "modeling_m.py"), "w") as fh:
            fh.write(body)
        with open(os.path.join(folder, name, "config.json"), "w") as fh:
            json.dump({"model_type": "m", "auto_map": {"AutoModel": "modeling_m.M"}}, fh)


def _timed(cmd, cwd, env=None):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return proc, wall, cpu


def warden(root, files):
    cmd = [sys.executable, "-m", "jupyterlab_warden.kernel.scan", "--format", "json", *files]
    proc, wall, cpu = _timed(cmd, root, env=dict(os.environ, PYTHONPATH=f"{ARROW_LIBS}:{REPO}"))
    verdicts = {os.path.relpath(os.path.join(root, r["path"]), root): r["verdict"]
                for r in json.loads(proc.stdout)}  # fmt: skip
    flagged = {f for f, v in verdicts.items() if v in ("dangerous", "error")}
    suspicious = {f for f, v in verdicts.items() if v == "suspicious"}
    return flagged, suspicious, wall, cpu


def modelaudit(root, files, exe):
    cmd = [exe, "scan", "--format", "json", *files]
    proc, wall, cpu = _timed(cmd, root)
    report = json.loads(proc.stdout)
    flagged = set()
    for issue in report.get("issues", []):
        if issue.get("severity") not in ("critical", "warning"):
            continue
        location = str(issue.get("location") or "")
        for f in files:
            if location.startswith(os.path.join(root, f)) or location.startswith(f):
                flagged.add(f)
    return flagged, set(), wall, cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--modelaudit", default="/tmp/ma-venv/bin/modelaudit")
    parser.add_argument("--only", default="", metavar="DIR/", help="only files under DIR/")
    args = parser.parse_args()
    root = tempfile.mkdtemp(prefix="warden-formats-bench-")
    build(root, args.only)
    files = sorted(f for f in LABELS if f.startswith(args.only))
    missing = [f for f in files if not os.path.exists(os.path.join(root, f))]
    assert not missing, missing
    malicious = {f for f in files if LABELS[f]}
    benign = set(files) - malicious
    rows = []
    for name, run in (("Warden", warden), ("ModelAudit 0.2.54", modelaudit)):
        extra = (args.modelaudit,) if run is modelaudit else ()
        flagged, suspicious, wall, cpu = run(root, files, *extra)
        rows.append((name, flagged & malicious, malicious - flagged, flagged & benign,
                     suspicious & benign, wall, cpu))  # fmt: skip
    print(f"{len(malicious)} malicious, {len(benign)} benign files in {root}\n")
    print(
        "| tool | malicious flagged | missed | false alarms | benign suspicious | wall s | CPU s |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, hit, miss, fa, susp, wall, cpu in rows:
        print(f"| {name} | {len(hit)}/{len(malicious)} | {len(miss)} | {len(fa)} | {len(susp)} "
              f"| {wall:.1f} | {cpu:.1f} |")  # fmt: skip
    for name, hit, miss, fa, *_ in rows:
        print(f"\n{name} missed: {', '.join(sorted(miss)) or '-'}")
        print(f"{name} false alarms: {', '.join(sorted(fa)) or '-'}")


if __name__ == "__main__":
    main()
