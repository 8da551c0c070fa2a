"""On-demand proof with REAL TensorFlow that the SavedModel fixtures do what they claim and that
the kernel guard stops them (not a CI test: TensorFlow takes minutes to install and conflicts
with the repository's h5py pin, so it lives in its own venv).

    python3.11 -m venv /tmp/tf-venv
    /tmp/tf-venv/bin/pip install tensorflow-cpu==2.21.0
    /tmp/tf-venv/bin/pip install --no-deps tf-keras==2.21.0
    python bench/savedmodel_proof.py [--tf-python /tmp/tf-venv/bin/python]

Each case runs twice in a fresh interpreter of that venv, in a scratch working folder (the
payloads use paths relative to it): ``plain`` without Warden, ``guard`` with the launch-time
guard on PYTHONPATH (``jupyterlab_warden/kernel/boot/site``, as ``launch_env.kernel_env`` sets
for kernels), default policy. It prints one line per case and run: whether the payload's marker
file appeared (or the secret was read) and what the load returned or raised.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "scan" / "savedmodels"
SITE = REPO / "jupyterlab_warden" / "kernel" / "boot" / "site"
SECRET = "TOPSECRET-warden-savedmodel"

# case -> (model folder, what the child does, marker file or None)
CASES = {
    "write_on_load: tf.saved_model.load": ("write_on_load", "load", "warden_sm_marker_load.txt"),
    "write_on_call: load + serve()": ("write_on_call", "call", "warden_sm_marker_call.txt"),
    "write_on_call: keras.layers.TFSMLayer": ("write_on_call", "tfsm", "warden_sm_marker_call.txt"),
    "write_on_load: tf.compat.v1 loader": ("write_on_load", "v1", "warden_sm_marker_load.txt"),
    "save_on_call: load + serve()": ("save_on_call", "call", "warden_sm_marker_save.index"),
    "tf1_init_op: tf.compat.v1 loader": ("tf1_init_op", "v1", "warden_sm_marker_tf1.txt"),
    # red-team findings (2026-11-30): a WriteFile in a graph carried in a string, run at load;
    # dataset.cache(path) writing cache files where the model says
    "graph_in_string: tf.saved_model.load": (
        "graph_in_string",
        "load",
        "warden_sm_marker_graph.txt",
    ),
    "cache_on_call: load + serve()": ("cache_on_call", "call", "warden_sm_marker_cache.index"),
    "read_on_call: load + serve()": ("read_on_call", "call", None),
    "keras_lambda: tf_keras load_model": (
        "keras_lambda",
        "tf_keras",
        "warden_sm_marker_lambda.txt",
    ),
    "py_function: load + serve()": ("py_function", "call", None),
    "benign: load + serve()": ("benign", "call", None),
    "benign_keras: keras.layers.TFSMLayer": ("benign_keras", "tfsm", None),
    "benign_lookup: load + serve()": ("benign_lookup", "lookup", None),
    "tf1_benign: tf.compat.v1 loader": ("tf1_benign", "v1", None),
}

CHILD = r"""
import json, os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
folder, how = sys.argv[1], sys.argv[2]
out = {"guard": "jupyterlab_warden" in sys.modules}
try:
    import tensorflow as tf
    x = tf.constant([1.0])
    if how == "load":
        tf.saved_model.load(folder)
        out["result"] = "loaded"
    elif how in ("call", "lookup"):
        model = tf.saved_model.load(folder)
        arg = tf.constant(["beta", "zzz"]) if how == "lookup" else x
        value = model.serve(arg).numpy()
        out["result"] = value.decode() if isinstance(value, bytes) else value.tolist()
    elif how == "tfsm":
        import keras
        layer = keras.layers.TFSMLayer(folder, call_endpoint="serve")
        arg = tf.ones((1, 3)) if "benign_keras" in folder else x
        out["result"] = layer(arg).numpy().round(3).tolist()
    elif how == "v1":
        with tf.compat.v1.Session(graph=tf.Graph()) as sess:
            tf.compat.v1.saved_model.load(sess, ["serve"], folder)
        out["result"] = "loaded"
    elif how == "tf_keras":
        import tf_keras
        model = tf_keras.models.load_model(folder)
        out["result"] = model(tf.ones((1, 3))).numpy().round(3).tolist()
except Exception as exc:
    out["raised"] = type(exc).__name__
    out["rule"] = getattr(exc, "rule_id", None)
    out["message"] = str(exc).splitlines()[0][:160] if str(exc) else ""
print(json.dumps(out))
"""


def run(tf_python: str, case: str, guarded: bool) -> dict:
    folder, how, marker = CASES[case]
    with tempfile.TemporaryDirectory(prefix="warden-sm-") as cwd:
        Path(cwd, "warden_sm_secret.txt").write_text(SECRET)
        env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
        env.pop("PYTHONPATH", None)
        if guarded:
            env["PYTHONPATH"] = str(SITE)
        proc = subprocess.run(
            [tf_python, "-c", CHILD, str(FIXTURES / folder), how],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        lines = proc.stdout.strip().splitlines()
        out = json.loads(lines[-1]) if lines else {"raised": "no output", "stderr": proc.stderr}
        out["marker"] = bool(marker) and Path(cwd, marker).exists()
        out["secret_read"] = SECRET in json.dumps(out.get("result"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tf-python", default="/tmp/tf-venv/bin/python")
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    args = parser.parse_args()
    failures = 0
    for case in args.cases or CASES:
        for guarded in (False, True):
            out = run(args.tf_python, case, guarded)
            harm = out["marker"] or out["secret_read"]
            if "raised" in out:
                what = f"raised {out['raised']}" + (f" [{out['rule']}]" if out.get("rule") else "")
                what += f": {out.get('message', '')}"
            else:
                what = f"returned {json.dumps(out.get('result'))[:60]}"
            tag = "guard" if guarded else "plain"
            effect = "PAYLOAD RAN" if harm else "no payload"
            print(f"{case:<40} {tag:<5} {effect:<11} {what[:140]}", flush=True)
            if guarded and (harm or not out.get("guard")):
                failures += 1
            if guarded and case.startswith("benign") and "raised" in out:
                failures += 1
    print("guard failures:", failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
