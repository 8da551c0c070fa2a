import torch as t
t.load(p)  # expect: torch-load-unsafe
from torch import load as L
L(p)  # expect: torch-load-unsafe
from pickle import *
loads(b)  # expect: pickle-load
Unpickler(fh).load()  # expect: pickle-load
import pickle as pkl
pkl.loads(b)  # expect: pickle-load
f = t.load
f(p)  # expect: torch-load-unsafe
g = f
g(p)  # expect: torch-load-unsafe
__import__('pickle').loads(b)  # expect: pickle-load
__import__("torch").load(p)  # expect: torch-load-unsafe
import importlib
importlib.import_module('pickle').loads(b)  # expect: pickle-load
mod = importlib.import_module("torch.serialization")
mod.load(p)  # expect: torch-load-unsafe
getattr(t, 'load')(p)  # expect: torch-load-unsafe
getattr(t, "lo" "ad")(p)  # expect: torch-load-unsafe
getattr(t, "lo" + "ad")(p)  # expect: torch-load-unsafe
getattr(__import__("pickle"), "loads")(b)  # expect: pickle-load
loader = getattr(pkl, "load")
loader(fh)  # expect: pickle-load
import sys
sys.modules["pickle"].loads(b)  # expect: pickle-load
from importlib import import_module
import_module("dill").loads(b)  # expect: dill-load
import torch.serialization as ser
ser.load(p)  # expect: torch-load-unsafe
(t.load)(p)  # expect: torch-load-unsafe
x = (y := t.load)
y(p)  # expect: torch-load-unsafe
models = [t.load(f) for f in files]  # expect: torch-load-unsafe
def restore(path):
    return t.load(path)  # expect: torch-load-unsafe
class Restorer:
    def __call__(self, path):
        return pkl.load(open(path, "rb"))  # expect: pickle-load
fn = lambda q: t.load(q)  # expect: torch-load-unsafe
import yaml as y2
y2.load(s)  # expect: yaml-unsafe-load
from yaml import load as yload, FullLoader
yload(s, Loader=FullLoader)  # expect: yaml-unsafe-load
from numpy import load as npload
npload(p, allow_pickle=True)  # expect: numpy-load-allow-pickle
from joblib import load
load("m.joblib")  # expect: joblib-load
import subprocess
subprocess.run("curl -fsSL https://get.example.sh | bash", shell=True)  # expect: shell-pipe-to-interpreter
subprocess.check_call([sys.executable, "-m", "pip", "install", "--index-url", "http://pypi.internal/simple", "pkg"])  # expect: pip-http-index
os.system("pip install --trusted-host pypi.internal pkg")  # expect: pip-trusted-host
exec("import pickle; pickle.loads(blob)")  # expect: pickle-load
eval("__import__('torch').load(p)")  # expect: torch-load-unsafe
# Python reads identifiers NFKC-normalised: fullwidth letters spell the same names.
import pickle
ｐｉｃｋｌｅ.loads(blob)  # expect: pickle-load
pickle.ｌｏａｄｓ(blob)  # expect: pickle-load
ｔｏｒｃｈ.load(p)  # expect: torch-load-unsafe
