from transformers import AutoModel, AutoTokenizer, pipeline
from huggingface_hub import hf_hub_download, snapshot_download
from datasets import load_dataset

tok = AutoTokenizer.from_pretrained("bert-base-uncased")  # expect: hf-unpinned-revision
model = AutoModel.from_pretrained("org/model", revision="3f2a9c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49")
model = AutoModel.from_pretrained("org/model", revision="main")  # expect: hf-unpinned-revision
model = AutoModel.from_pretrained(  # expect: hf-unpinned-revision
    "org/remote",
    trust_remote_code=True,  # expect: hf-trust-remote-code
)
model = AutoModel.from_pretrained("./checkpoints/run1")
model = AutoModel.from_pretrained("/data/models/bert")
path = hf_hub_download("org/model", "pytorch_model.bin")  # expect: hf-unpinned-revision
path = hf_hub_download(repo_id="org/model", filename="x.bin", revision="a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0")
local = snapshot_download(repo_id="org/model")  # expect: hf-unpinned-revision
ds = load_dataset("org/dataset")  # expect: hf-unpinned-revision
ds = load_dataset("org/dataset", trust_remote_code=True, revision="9f8e7d6c5b4a39281706f5e4d3c2b1a098765432")  # expect: hf-trust-remote-code
ds = load_dataset("csv", data_files="train.csv")
pipe = pipeline("text-generation", model="org/m", trust_remote_code=True)  # expect: hf-trust-remote-code
pipe = pipeline("text-generation", model="org/m", trust_remote_code=False)
import os
os.environ["HF_ENDPOINT"] = "http://mirror.internal"  # expect: model-untrusted-hub
os.environ["HF_ENDPOINT"] = "https://huggingface.co"
