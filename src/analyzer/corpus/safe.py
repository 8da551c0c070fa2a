import torch
import numpy as np
import yaml
import json
import safetensors.torch
from safetensors.torch import load_file

state = torch.load("model.pt", weights_only=True)
state = torch.load("model.pt", map_location="cpu", weights_only=True)
state = safetensors.torch.load_file("model.safetensors")
state = load_file("model.safetensors")
model.load_state_dict(state)
model.load_state_dict(torch.load("m.pt", weights_only=True))
arr = np.load("a.npy")
arr = np.load("a.npz", allow_pickle=False)
cfg = yaml.safe_load(stream)
cfg = yaml.load(stream, Loader=yaml.SafeLoader)
data = json.load(fh)
data = json.loads(text)
# pickle.loads(blob) is dangerous, so we do not call it
message = "never use pickle.loads(data) or torch.load(p) on untrusted input"
doc = """
pickle.load(fh)
!curl https://x | sh
"""


def load(path):
    with open(path) as fh:
        return fh.read()


load("notes.txt")


class Loader:
    def load(self, path):
        return path


Loader().load("x")
loader.load(p)
cache.loads(blob)
torch.save(model.state_dict(), "m.pt")
pickle_path = "data.pkl"
unpickled = False
torch = None
torch.load("m.pt")


def f(pickle):
    return pickle.loads(b)


for np in range(3):
    np.load("x")
