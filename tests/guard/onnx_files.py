"""ONNX models whose external data escapes their folder, and benign ones, made with the real
onnx; and their loads, reported in a fresh interpreter:

    python onnx_files.py build OUT            -> builds the models under OUT
    python onnx_files.py load OUT plain|guard -> {model: what onnx.load read} as JSON

``plain`` never installs the guard. Run with an older onnx first on sys.path (onnx 1.15 follows
symlinks) to see an escaping model read a file outside its folder; onnxruntime follows a hard
link (``ort_hardlink``). A load reports the weight values it read (SECRET when they are the
outside file's), "blocked:<rule>" or "error:...".
"""

import json
import os
import sys

SECRET = [13.5, 42.0, 7.25, -1.0]  # the outside file's values: seen in a weight = it was read
ESCAPING = ("escape_symlink", "escape_dotdot", "escape_absolute", "escape_hardlink")


def _model(folder, location, domain=""):
    from onnx import TensorProto, helper

    os.makedirs(folder, exist_ok=True)
    weight = TensorProto()
    weight.name, weight.data_type = "W", TensorProto.FLOAT
    weight.dims.extend([4])
    weight.data_location = TensorProto.EXTERNAL
    for key, value in (("location", location), ("offset", "0"), ("length", "16")):
        entry = weight.external_data.add()
        entry.key, entry.value = key, value
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, [4])
    y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, [4])
    node = helper.make_node("Add", ["X", "W"], ["Y"], domain=domain)
    graph = helper.make_graph([node], "g", [x], [y], [weight])
    opsets = [helper.make_opsetid("", 17)] + ([helper.make_opsetid(domain, 1)] if domain else [])
    model = helper.make_model(graph, opset_imports=opsets, ir_version=8)
    with open(os.path.join(folder, "model.onnx"), "wb") as fh:
        fh.write(model.SerializeToString())


def build(out):
    import numpy as np

    secret = os.path.join(out, "outside", "secret.bin")
    os.makedirs(os.path.dirname(secret), exist_ok=True)
    np.array(SECRET, dtype=np.float32).tofile(secret)
    _model(os.path.join(out, "escape_dotdot"), "../outside/secret.bin")
    _model(os.path.join(out, "escape_absolute"), secret)
    _model(os.path.join(out, "escape_symlink"), "weights.bin")
    os.symlink(secret, os.path.join(out, "escape_symlink", "weights.bin"))
    # a HARD link (tar archives carry them): no path to resolve, the same inode as the secret
    _model(os.path.join(out, "escape_hardlink"), "weights.bin")
    os.link(secret, os.path.join(out, "escape_hardlink", "weights.bin"))
    for name, domain in (("benign", ""), ("custom_domain", "com.example.ops")):
        _model(os.path.join(out, name), "weights.bin", domain)
        np.ones(4, dtype=np.float32).tofile(os.path.join(out, name, "weights.bin"))


def load(out, mode):
    import onnx
    from onnx import numpy_helper

    early_load = onnx.load  # bound before the guard: only the external-data hook sees it
    blocked = ()
    if mode == "guard":
        from jupyterlab_warden.kernel import guard

        guard.install()
        blocked = (guard.WardenBlockedLoad,)
    result = {"onnx_version": onnx.__version__}
    loads = [(name, name, onnx.load) for name in ESCAPING + ("benign",)]
    loads.append(("prebound_symlink", "escape_symlink", early_load))
    for label, name, load_model in loads:
        try:
            model = load_model(os.path.join(out, name, "model.onnx"))
            values = numpy_helper.to_array(model.graph.initializer[0]).tolist()
            result[label] = "SECRET" if values == SECRET else values
        except blocked as exc:
            result[label] = "blocked:" + exc.rule_id
        except Exception as exc:  # noqa: BLE001 - reported to the test
            result[label] = "error:" + type(exc).__name__
    # onnx >= 1.17 refuses hard links itself; onnxruntime reads the linked file
    result["ort_hardlink"] = _run_session(os.path.join(out, "escape_hardlink"), blocked)
    print(json.dumps(result))


def _run_session(folder, blocked):
    import numpy as np
    import onnxruntime

    try:
        session = onnxruntime.InferenceSession(
            os.path.join(folder, "model.onnx"), providers=["CPUExecutionProvider"]
        )
        values = session.run(None, {"X": np.zeros(4, dtype=np.float32)})[0].tolist()
        return "SECRET" if values == SECRET else values
    except blocked as exc:
        return "blocked:" + exc.rule_id
    except Exception as exc:  # noqa: BLE001 - reported to the test
        return "error:" + type(exc).__name__


if __name__ == "__main__":
    if sys.argv[1] == "build":
        build(sys.argv[2])
    else:
        load(sys.argv[2], sys.argv[3])
