import torch

model = torch.load("model.pt")  # expect: torch-load-unsafe
model = torch.load("model.pt", map_location="cpu")  # expect: torch-load-unsafe
state = torch.load("model.pt", weights_only=False)  # expect: torch-load-weights-only-false
state = torch.load(
    "model.pt",
    weights_only=False,  # expect: torch-load-weights-only-false
)
state = torch.load("model.pt", weights_only=0)  # expect: torch-load-weights-only-false
state = torch.load("model.pt", weights_only=trusted)  # expect: torch-load-unsafe
state = torch.load("model.pt", weights_only=None)  # expect: torch-load-unsafe
state = torch.load("model.pt", pickle_module=dill)  # expect: torch-load-pickle-module
state = torch.load("model.pt", "cpu", pickle)  # expect: torch-load-pickle-module
state = torch.serialization.load("model.pt")  # expect: torch-load-unsafe
state = torch.load("model.pt", **{"weights_only": False})  # expect: torch-load-weights-only-false
state = torch.hub.load_state_dict_from_url("https://download.pytorch.org/models/r.pth")  # expect: torch-load-weights-only-false, model-untrusted-hub
state = torch.hub.load_state_dict_from_url("https://huggingface.co/x/y/resolve/main/r.pth", weights_only=True)
torch.hub.download_url_to_file("http://example.com/m.pt", "m.pt")  # expect: model-untrusted-hub
net = torch.hub.load("pytorch/vision", "resnet50")  # expect: torch-hub-load
scripted = torch.jit.load("scripted.pt")  # expect: torch-jit-load
objs = [None]
torch.distributed.broadcast_object_list(objs, src=0)  # expect: torch-distributed-object
import torch.distributed as dist
dist.all_gather_object(out, obj)  # expect: torch-distributed-object
dist.recv_object_list(objs, src=1)  # expect: torch-distributed-object
dist.broadcast(tensor, src=0)
import os
os.environ["TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD"] = "1"  # expect: torch-force-no-weights-only
os.environ["TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD"] = "0"
os.environ.setdefault("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "true")  # expect: torch-force-no-weights-only
os.environ.update(TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD="yes")  # expect: torch-force-no-weights-only
os.putenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")  # expect: torch-force-no-weights-only
os.environ["TORCH_FORCE_WEIGHTS_ONLY_LOAD"] = "1"
# Comments inside brackets are part of the tree: they do not hide a call or its arguments.
state = (torch.load  # expect: torch-load-unsafe
         # the checkpoint
         (p))
state = torch.load(p,  # the path
                   weights_only=True)
state = (torch  # expect: torch-load-unsafe
         # the module
         .load)(p)
