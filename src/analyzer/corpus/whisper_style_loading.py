# Model loading as whisper, open_clip and training scripts write it: weights_only through a
# kwargs dict built just above, trust_remote_code through one, legacy Keras .h5 files.
import io
import os

import torch


def load_model(name, device="cpu", in_memory=False):
    checkpoint_file = os.path.join(os.path.expanduser("~/.cache/whisper"), name + ".pt")
    with (io.BytesIO(open(checkpoint_file, "rb").read()) if in_memory else open(checkpoint_file, "rb")) as fp:
        kwargs = {"weights_only": True} if torch.__version__ >= "1.13" else {}
        checkpoint = torch.load(fp, map_location=device, **kwargs)
    return checkpoint


def load_state(path, map_location="cpu"):
    load_kwargs = dict(map_location=map_location, weights_only=True)
    return torch.load(path, **load_kwargs)


def load_legacy(path):
    legacy = {"map_location": "cpu", "weights_only": False}
    return torch.load(path, **legacy)  # expect: torch-load-weights-only-false


def load_anything(path, **extra):
    return torch.load(path, **extra)  # expect: torch-load-unsafe


# %%
from transformers import AutoModel, pipeline

model_kwargs = {"trust_remote_code": True, "torch_dtype": "auto"}
remote = AutoModel.from_pretrained("org/custom-arch", revision="0123456789abcdef0123456789abcdef01234567", **model_kwargs)  # expect: hf-trust-remote-code
pipe = pipeline("text-generation", model="org/custom-arch", **model_kwargs)  # expect: hf-trust-remote-code
# %%
from datasets import load_dataset

common_voice = load_dataset("mozilla-foundation/common_voice_11_0", "hi", trust_remote_code=True, revision="3f2a9c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49")  # expect: hf-trust-remote-code
ds_kwargs = dict(trust_remote_code=True)
librispeech = load_dataset("librispeech_asr", "clean", revision="9f8e7d6c5b4a39281706f5e4d3c2b1a098765432", **ds_kwargs)  # expect: hf-trust-remote-code
# %%
from tensorflow import keras

model = keras.models.load_model("models/sentiment_lstm.h5")  # expect: keras-h5-load
weights_path = "checkpoints/cnn_best.hdf5"
cnn = keras.models.load_model(weights_path)  # expect: keras-h5-load
epoch = 12
old = keras.models.load_model(f"checkpoints/model_{epoch:02d}.h5")  # expect: keras-h5-load
modern = keras.models.load_model("models/sentiment_lstm.keras")
