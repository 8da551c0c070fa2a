"""Build the SavedModel fixtures of this folder with REAL TensorFlow (not run by CI: TensorFlow
takes minutes to install and conflicts with the repository's h5py pin).

    python3.11 -m venv /tmp/tf-venv
    /tmp/tf-venv/bin/pip install tensorflow-cpu==2.21.0
    /tmp/tf-venv/bin/pip install --no-deps tf-keras==2.21.0   # the keras_lambda fixture
    /tmp/tf-venv/bin/python tests/scan/savedmodels/make_savedmodels.py tests/scan/savedmodels

Each malicious model's payload uses a path relative to the working folder, so a proof run in a
scratch folder sees its marker there (bench/savedmodel_proof.py):

* ``write_on_call``: ``serve(x)`` writes ``warden_sm_marker_call.txt`` (``WriteFile``);
* ``write_on_load``: a resource whose initializer writes ``warden_sm_marker_load.txt``: TF runs
  it inside ``tf.saved_model.load`` itself, before any function is called;
* ``read_on_call``: ``serve(x)`` returns the bytes of ``warden_sm_secret.txt`` (``ReadFile``);
* ``py_function``: ``serve(x)`` calls back into Python (``EagerPyFunc``: the function named by
  its token in the loading process);
* ``keras_lambda``: a tf-keras (Keras 2) model saved as a SavedModel whose ``keras_metadata.pb``
  holds a Lambda layer's marshalled bytecode; ``tf_keras.models.load_model`` rebuilds it, and
  calling the model writes ``warden_sm_marker_lambda.txt``;
* ``save_on_call``: ``serve(x)`` writes a checkpoint ``warden_sm_marker_save.*`` with
  ``tf.raw_ops.SaveV2`` (a checkpoint op outside the model's own saver functions);
* ``tf1_init_op``: a TF1 SavedModel (``tf.compat.v1.saved_model.Builder``) whose init op writes
  ``warden_sm_marker_tf1.txt``: ``tf.compat.v1.saved_model.load`` runs it while loading;
* ``benign``: a tf.Module with a variable and a function; ``benign_keras``: a Keras 3 model
  exported with ``model.export`` (what ``keras.layers.TFSMLayer`` loads); ``benign_lookup``:
  a StringLookup vocabulary (an asset file read by ``InitializeTableFromTextFileV2``);
  ``tf1_benign``: a TF1 SavedModel with variables (its Saver's SaveV2/RestoreV2 are graph
  nodes, not functions).

Give folder names after OUT to build only those.
"""

import os
import shutil
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

SPEC = [tf.TensorSpec([None], tf.float32)]


class Affine(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(2.0)
        self.b = tf.Variable(1.0)

    @tf.function(input_signature=SPEC)
    def serve(self, x):
        return x * self.w + self.b


class WriteOnCall(Affine):
    @tf.function(input_signature=SPEC)
    def serve(self, x):
        tf.io.write_file("warden_sm_marker_call.txt", "written by a SavedModel function")
        return x * self.w + self.b


class SaveOnCall(Affine):
    @tf.function(input_signature=SPEC)
    def serve(self, x):
        save = tf.raw_ops.SaveV2(
            prefix="warden_sm_marker_save",
            tensor_names=["x"],
            shape_and_slices=[""],
            tensors=[x],
        )
        with tf.control_dependencies([save]):  # else the function prunes it: it has no output
            return tf.identity(x * self.w + self.b)


class ReadOnCall(tf.Module):
    @tf.function(input_signature=SPEC)
    def serve(self, x):
        return tf.io.read_file("warden_sm_secret.txt")


def _echo(x):
    return x


class PyFunction(tf.Module):
    @tf.function(input_signature=SPEC)
    def serve(self, x):
        return tf.py_function(_echo, [x], tf.float32)


class _MarkerResource(tf.saved_model.experimental.TrackableResource):
    """A resource whose initializer TF runs while restoring it (at load time)."""

    def _create_resource(self):
        return tf.raw_ops.VarHandleOp(dtype=tf.float32, shape=[], shared_name="")

    def _initialize(self):
        tf.io.write_file("warden_sm_marker_load.txt", "written while the SavedModel loads")
        return tf.raw_ops.AssignVariableOp(resource=self.resource_handle, value=1.0)


class WriteOnLoad(Affine):
    def __init__(self):
        super().__init__()
        self.res = _MarkerResource()


class CacheOnCall(tf.Module):
    """``dataset.cache(path)``: writes (and later reads) cache files at a path the model names
    (red-team finding, 2026-11-30)."""

    @tf.function(input_signature=SPEC)
    def serve(self, x):
        ds = tf.data.Dataset.from_tensor_slices(x).cache("warden_sm_marker_cache")
        return ds.reduce(tf.constant(0.0), lambda a, b: a + b)


def _graph_in_string(out):
    """A dataset graph carried in a string and run by ``DatasetFromGraph`` while the model
    restores a resource: its ``WriteFile`` is in no node or function of saved_model.pb
    (red-team finding, 2026-11-30)."""

    def payload(x):
        tf.io.write_file("warden_sm_marker_graph.txt", tf.strings.as_string(x))
        return x

    inner = tf.data.Dataset.range(1).map(payload)
    graph = tf.raw_ops.DatasetToGraphV2(
        input_dataset=inner._variant_tensor, external_state_policy=0
    ).numpy()
    spec = inner.element_spec

    class Hidden(tf.saved_model.experimental.TrackableResource):
        def _create_resource(self):
            return tf.raw_ops.VarHandleOp(dtype=tf.int64, shape=[], shared_name="")

        def _initialize(self):
            noise = tf.strings.as_string(tf.random.uniform([]))  # not constant-folded away
            blob = tf.strings.substr(tf.strings.join([tf.constant(graph), noise]), 0, len(graph))
            ds = tf.data.experimental.from_variant(
                tf.raw_ops.DatasetFromGraph(graph_def=blob), spec
            )
            total = ds.reduce(tf.constant(0, tf.int64), lambda a, b: a + b)
            return tf.raw_ops.AssignVariableOp(resource=self.resource_handle, value=total)

    module = Affine()
    module.hidden = Hidden()
    return _save(module, out, "graph_in_string")


def _save(module, out, name):
    path = os.path.join(out, name)
    shutil.rmtree(path, ignore_errors=True)
    tf.saved_model.save(module, path, signatures={"serving_default": module.serve})
    return path


def _keras3(out):
    import keras

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    path = os.path.join(out, "benign_keras")
    shutil.rmtree(path, ignore_errors=True)
    model.export(path, verbose=False)


def _lookup(out):
    import keras

    vocab = os.path.join(out, "vocab.txt")
    with open(vocab, "w") as fh:
        fh.write("alpha\nbeta\ngamma\n")
    layer = keras.layers.StringLookup(vocabulary=vocab)

    class Lookup(tf.Module):
        def __init__(self):
            super().__init__()
            self.layer = layer

        @tf.function(input_signature=[tf.TensorSpec([None], tf.string)])
        def serve(self, x):
            return self.layer(x)

    module = Lookup()
    _save(module, out, "benign_lookup")
    os.remove(vocab)


def _tf1(out, name, malicious):
    v1 = tf.compat.v1
    path = os.path.join(out, name)
    shutil.rmtree(path, ignore_errors=True)
    with tf.Graph().as_default() as graph, v1.Session(graph=graph) as sess:
        x = v1.placeholder(tf.float32, [None], name="x")
        w = v1.get_variable("w", initializer=2.0)
        y = tf.identity(x * w, name="y")
        sess.run(v1.global_variables_initializer())
        init = tf.no_op(name="init")
        if malicious:
            init = tf.io.write_file("warden_sm_marker_tf1.txt", "written by a TF1 init op")
        builder = v1.saved_model.Builder(path)
        signature = v1.saved_model.predict_signature_def({"x": x}, {"y": y})
        builder.add_meta_graph_and_variables(
            sess, ["serve"], signature_def_map={"serving_default": signature}, main_op=init
        )
        builder.save()


def _keras_lambda(out):
    try:
        import tf_keras
    except ImportError:
        print("tf_keras is not installed: keras_lambda not built", file=sys.stderr)
        return

    def payload(x):
        # Python bytecode marshalled into keras_metadata.pb: runs when the model is called
        open("warden_sm_marker_lambda.txt", "w").write("written by a Keras Lambda")
        return x

    model = tf_keras.Sequential(
        [tf_keras.Input((3,)), tf_keras.layers.Lambda(payload), tf_keras.layers.Dense(2)]
    )
    path = os.path.join(out, "keras_lambda")
    shutil.rmtree(path, ignore_errors=True)
    model.save(path, save_format="tf")


def main(out, only=()):
    os.makedirs(out, exist_ok=True)
    builders = {
        "benign": lambda: _save(Affine(), out, "benign"),
        "write_on_call": lambda: _save(WriteOnCall(), out, "write_on_call"),
        "save_on_call": lambda: _save(SaveOnCall(), out, "save_on_call"),
        "read_on_call": lambda: _save(ReadOnCall(), out, "read_on_call"),
        "py_function": lambda: _save(PyFunction(), out, "py_function"),
        "write_on_load": lambda: _save(WriteOnLoad(), out, "write_on_load"),
        "tf1_init_op": lambda: _tf1(out, "tf1_init_op", True),
        "tf1_benign": lambda: _tf1(out, "tf1_benign", False),
        "benign_keras": lambda: _keras3(out),
        "benign_lookup": lambda: _lookup(out),
        "keras_lambda": lambda: _keras_lambda(out),
        "cache_on_call": lambda: _save(CacheOnCall(), out, "cache_on_call"),
        "graph_in_string": lambda: _graph_in_string(out),
    }
    for name, build in builders.items():
        if not only or name in only:
            build()
    for name in os.listdir("."):
        if name.startswith("warden_sm_marker_"):  # made while tracing, not by the saved files
            os.remove(name)
    print("TensorFlow", tf.__version__, "->", out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
