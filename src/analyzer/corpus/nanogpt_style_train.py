# A project's own from_pretrained (nanoGPT's GPT.from_pretrained) is not a Hugging Face
# download; a Hugging Face class inside it still is.
import math

import torch
import torch.nn as nn
from torch.nn import functional as F


class GPTConfig:
    block_size: int = 1024
    vocab_size: int = 50304


class GPT(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config

    @classmethod
    def from_pretrained(cls, model_type, override_args=None):
        from transformers import GPT2LMHeadModel

        model_hf = GPT2LMHeadModel.from_pretrained(model_type)  # expect: hf-unpinned-revision
        return cls(GPTConfig())


# %%
init_from = "gpt2"
model = GPT.from_pretrained(init_from, dict(dropout=0.0))
model = GPT.from_pretrained("gpt2-medium")
# %%
from .modeling import Encoder

encoder = Encoder.from_pretrained("checkpoints/encoder")
encoder = Encoder.from_pretrained("org/encoder")
