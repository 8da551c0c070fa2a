import numpy as np
import pandas as pd
import yaml
import keras
import tensorflow as tf

arr = np.load("a.npy", allow_pickle=True)  # expect: numpy-load-allow-pickle
arr = np.load("a.npy", None, True)  # expect: numpy-load-allow-pickle
arr = np.load("a.npy", allow_pickle=flag)  # expect: numpy-load-allow-pickle
arr = np.load("a.npy", allow_pickle=False)
arr = np.load("a.npy")
df = pd.read_pickle("frame.pkl")  # expect: pandas-read-pickle
df = pd.read_parquet("frame.parquet")
cfg = yaml.load(stream)  # expect: yaml-unsafe-load
cfg = yaml.load(stream, Loader=yaml.Loader)  # expect: yaml-unsafe-load
cfg = yaml.load(stream, Loader=yaml.FullLoader)  # expect: yaml-unsafe-load
cfg = yaml.load(stream, yaml.UnsafeLoader)  # expect: yaml-unsafe-load
cfg = yaml.unsafe_load(stream)  # expect: yaml-unsafe-load
cfg = yaml.full_load(stream)  # expect: yaml-unsafe-load
docs = yaml.load_all(stream)  # expect: yaml-unsafe-load
cfg = yaml.load(stream, Loader=yaml.SafeLoader)
cfg = yaml.load(stream, Loader=yaml.CSafeLoader)
cfg = yaml.safe_load(stream)
m = keras.models.load_model("m.keras", safe_mode=False)  # expect: keras-unsafe-deserialization
m = keras.saving.load_model("m.keras", None, True, False)  # expect: keras-unsafe-deserialization
m = tf.keras.models.load_model("m.keras", safe_mode=False)  # expect: keras-unsafe-deserialization
keras.config.enable_unsafe_deserialization()  # expect: keras-unsafe-deserialization
m = keras.models.load_model("m.keras")
m = keras.models.load_model("m.keras", safe_mode=True)
sm = tf.saved_model.load("export/")  # expect: tf-saved-model-load
sm = tf.compat.v1.saved_model.loader.load(sess, ["serve"], "export/")  # expect: tf-saved-model-load
# %%
import hydra
from hydra.utils import instantiate
from omegaconf import OmegaConf
import skops.io as sio

cfg = OmegaConf.load("model_config.yaml")
model = instantiate(cfg.model)  # expect: hydra-instantiate-config
model = hydra.utils.instantiate(config=cfg)  # expect: hydra-instantiate-config
optim = hydra.utils.call(cfg.optimizer, params)  # expect: hydra-instantiate-config
layer = instantiate({"_target_": "torch.nn.Linear", "in_features": 4, "out_features": 2})
clf = sio.load("model.skops", trusted=sio.get_untrusted_types(file="model.skops"))  # expect: skops-trusted-types
clf = sio.load("model.skops", True)  # expect: skops-trusted-types
clf = sio.loads(blob, trusted=types_from_somewhere)  # expect: skops-trusted-types
clf = sio.load("model.skops")
clf = sio.load("model.skops", trusted=None)
clf = sio.load("model.skops", trusted=["sklearn.ensemble.RandomForestClassifier"])
