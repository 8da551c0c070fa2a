"""Hugging Face model folders made here (no hub): one whose ``config.json`` ``auto_map`` names
Python modules beside it that write a marker when imported, and benign tiny BERT models saved
by transformers itself (safetensors, and a torch.save ``pytorch_model.bin``). Run as a script
in a fresh interpreter (``HF_HOME`` is the test's: transformers copies remote code into its
modules cache there):

    python hf_remote_files.py OUT plain -> {"marker": payload ran} (builds, no Warden)
    python hf_remote_files.py OUT guard -> {check: outcome} (the guard installed first)

The payload writes with ``open`` - nothing a parse of the module would call dangerous: the
guard refuses unlisted remote code whatever it contains.
"""

import json
import os
import sys

CONFIG_PY = """\
from transformers import PretrainedConfig


class EvilConfig(PretrainedConfig):
    model_type = "evil"

    def __init__(self, hidden=4, **kwargs):
        self.hidden = hidden
        super().__init__(**kwargs)
"""
MODELING_PY = """\
import torch
from transformers import PreTrainedModel

from .configuration_evil import EvilConfig

with open({marker!r}, "w") as fh:
    fh.write("remote code ran")


class EvilModel(PreTrainedModel):
    config_class = EvilConfig

    def __init__(self, config):
        super().__init__(config)
        self.lin = torch.nn.Linear(config.hidden, config.hidden)
        self.post_init()

    def forward(self, x):
        return self.lin(x)
"""


def marker(out):
    return os.path.join(out, "remote.marker")


def build(out):
    import torch
    from safetensors.torch import save_file
    from transformers import BertConfig, BertModel

    evil = os.path.join(out, "evil_model")
    os.makedirs(evil)
    with open(os.path.join(evil, "configuration_evil.py"), "w") as fh:
        fh.write(CONFIG_PY)
    with open(os.path.join(evil, "modeling_evil.py"), "w") as fh:
        fh.write(MODELING_PY.format(marker=marker(out)))
    config = {
        "model_type": "evil",
        "hidden": 4,
        "architectures": ["EvilModel"],
        "auto_map": {
            "AutoConfig": "configuration_evil.EvilConfig",
            "AutoModel": "modeling_evil.EvilModel",
        },
    }
    with open(os.path.join(evil, "config.json"), "w") as fh:
        json.dump(config, fh)
    save_file(
        {"lin.weight": torch.eye(4), "lin.bias": torch.zeros(4)},
        os.path.join(evil, "model.safetensors"),
    )
    torch.manual_seed(0)
    tiny = BertConfig(
        vocab_size=64,
        hidden_size=8,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=16,
        max_position_embeddings=32,
    )
    model = BertModel(tiny)
    model.save_pretrained(os.path.join(out, "bert_safetensors"))
    pickled = os.path.join(out, "bert_bin")
    tiny.save_pretrained(pickled)
    torch.save(model.state_dict(), os.path.join(pickled, "pytorch_model.bin"))


def _ids():
    import torch

    return torch.tensor([[1, 2, 3, 4]])


def prove(out):
    from transformers import AutoModel

    build(out)
    model = AutoModel.from_pretrained(os.path.join(out, "evil_model"), trust_remote_code=True)
    ran = os.path.exists(marker(out))
    if ran:
        os.remove(marker(out))
    return {"marker": ran, "class": type(model).__name__}


def _sha256(path):
    import hashlib

    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def guarded(out):
    from jupyterlab_warden.kernel import guard

    state = guard.install()
    import torch
    from transformers import AutoModel

    events = []
    state.sink.callbacks.append(events.append)
    result = {}
    evil = os.path.join(out, "evil_model")

    def attempt(name, call):
        try:
            value = call()
            result[name] = "loaded:" + type(value).__name__
        except guard.WardenBlockedLoad as exc:
            result[name] = "blocked:" + exc.rule_id
            result[name + " evidence"] = exc.event.get("evidence", {})
        result[name + " marker"] = os.path.exists(marker(out))
        if result[name + " marker"]:
            os.remove(marker(out))

    attempt("evil", lambda: AutoModel.from_pretrained(evil, trust_remote_code=True))
    for name in ("bert_safetensors", "bert_bin"):
        model = AutoModel.from_pretrained(os.path.join(out, name))
        with torch.no_grad():
            hidden = model(_ids()).last_hidden_state
        result[name] = [type(model).__name__, list(hidden.shape)]
    # listed: the reviewed files' sha256 under trusted_artifacts - then the code runs
    config_only = {_sha256(os.path.join(evil, "configuration_evil.py")): "evil config"}
    state.set_policy({"trusted_artifacts": config_only})
    attempt("evil config listed", lambda: AutoModel.from_pretrained(evil, trust_remote_code=True))
    both = dict(config_only)
    both[_sha256(os.path.join(evil, "modeling_evil.py"))] = "evil modeling"
    # pinned by the hub section's reviewed files (the same content hashes): listed
    pinned = dict(zip(("configuration_evil.py", "modeling_evil.py"), both))
    hub = {"trust_remote_code": [{"repo": "acme/evil", "files": pinned}]}
    state.set_policy({"provenance": {"hub": hub}})
    attempt("evil pinned", lambda: AutoModel.from_pretrained(evil, trust_remote_code=True))
    # listed under trusted_artifacts (transformers keeps the module imported: no second run)
    state.set_policy({"trusted_artifacts": both})
    attempt("evil listed", lambda: AutoModel.from_pretrained(evil, trust_remote_code=True))
    result["blocked events"] = [e["rule_id"] for e in events if e["action"] == "blocked"]
    return result


if __name__ == "__main__":
    step = {"plain": prove, "guard": guarded}[sys.argv[2]]
    print(json.dumps(step(sys.argv[1])))
