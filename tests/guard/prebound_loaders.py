"""Loads made through references taken BEFORE the guard was installed (a module that did
``from keras.saving import load_model`` at import time), and through loader objects used
directly. Run in a fresh interpreter:

    python prebound_loaders.py FILES_DIR guard|plain   -> prints {call: outcome} as JSON

``plain`` never installs the guard (the payloads run: proof); ``guard`` installs it after the
references were taken. Outcome: "loaded" or "blocked:<rule id>" (or "error:<type>").
"""

import json
import os
import sys
import zipfile

os.environ.setdefault("KERAS_BACKEND", "torch")

import yaml  # noqa: E402
from keras.models import load_model as models_load_model  # noqa: E402
from keras.saving import load_model as saving_load_model  # noqa: E402
from keras.src.legacy.saving.legacy_h5_format import load_model_from_hdf5  # noqa: E402
from keras.src.saving.saving_lib import load_model as lib_load_model  # noqa: E402
from keras.src.saving.serialization_lib import deserialize_keras_object  # noqa: E402
from yaml import load as yaml_load  # noqa: E402
from yaml import unsafe_load as yaml_unsafe_load  # noqa: E402


def main(out: str, mode: str) -> None:
    blocked = Exception
    if mode == "guard":
        from jupyterlab_warden.kernel import guard

        guard.install()
        blocked = guard.WardenBlockedLoad
    apply_text = open(os.path.join(out, "apply.yaml")).read()  # noqa: SIM115
    with zipfile.ZipFile(os.path.join(out, "lambda.keras")) as zf:
        lambda_config = json.loads(zf.read("config.json"))

    class Sneaky(yaml.UnsafeLoader):
        """A library's loader with an object/apply constructor of its own (a wrapper function
        PyYAML does not ship), used directly."""

    def apply(loader, suffix, node):
        return yaml.UnsafeLoader.construct_python_object_apply(loader, suffix, node)

    Sneaky.add_multi_constructor("tag:yaml.org,2002:python/object/apply:", apply)
    keras_file, h5_file = os.path.join(out, "lambda.keras"), os.path.join(out, "lambda.h5")
    calls = {
        "keras.saving.load_model": lambda: saving_load_model(keras_file, safe_mode=False),
        "keras.models.load_model": lambda: models_load_model(h5_file, safe_mode=False),
        "saving_lib.load_model": lambda: lib_load_model(keras_file, safe_mode=False),
        "load_model_from_hdf5": lambda: load_model_from_hdf5(h5_file, safe_mode=False),
        "deserialize_keras_object": lambda: deserialize_keras_object(
            lambda_config, safe_mode=False
        ),
        "yaml.load": lambda: yaml_load(apply_text, Loader=yaml.UnsafeLoader),
        "yaml.unsafe_load": lambda: yaml_unsafe_load(apply_text),
        "UnsafeLoader.get_single_data": lambda: yaml.UnsafeLoader(apply_text).get_single_data(),
        "Loader.get_data": lambda: yaml.Loader(apply_text).get_data(),
        "Loader subclass": lambda: Sneaky(apply_text).get_single_data(),
    }
    if hasattr(yaml, "CUnsafeLoader"):
        calls["CUnsafeLoader"] = lambda: yaml.CUnsafeLoader(apply_text).get_single_data()
    result = {}
    for name, call in calls.items():
        try:
            model = call()
            if hasattr(model, "predict"):
                import numpy as np

                model(np.zeros((1, 3), dtype="float32"))
            result[name] = "loaded"
        except blocked as exc:
            result[name] = "blocked:" + getattr(exc, "rule_id", type(exc).__name__)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            result[name] = "error:" + type(exc).__name__ + ":" + str(exc)[:200]
        markers = sorted(p for p in os.listdir(out) if ".marker" in p)
        result[name + " markers"] = markers
        for m in markers:
            os.remove(os.path.join(out, m))
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
