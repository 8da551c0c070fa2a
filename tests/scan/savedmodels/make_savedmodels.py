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
* ``benign``: a tf.Module with a variable and a function; ``benign_keras``: a Keras 3 model
  exported with ``model.export`` (what ``keras.layers.TFSMLayer`` loads); ``benign_lookup``:
  a StringLookup vocabulary (an asset file read by ``InitializeTableFromTextFileV2``).
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
    if os.path.exists("warden_sm_marker_lambda.txt"):  # tracing called it while saving
        os.remove("warden_sm_marker_lambda.txt")


def main(out):
    os.makedirs(out, exist_ok=True)
    _save(Affine(), out, "benign")
    _save(WriteOnCall(), out, "write_on_call")
    _save(ReadOnCall(), out, "read_on_call")
    _save(PyFunction(), out, "py_function")
    _save(WriteOnLoad(), out, "write_on_load")
    for name in ("warden_sm_marker_call.txt", "warden_sm_marker_load.txt"):
        if os.path.exists(name):  # made while tracing, not by the saved files
            os.remove(name)
    _keras3(out)
    _lookup(out)
    _keras_lambda(out)
    print("TensorFlow", tf.__version__, "->", out)


if __name__ == "__main__":
    main(sys.argv[1])
