"""The user's own torch model classes (this folder is outside site-packages: 'user code')."""

import dataclasses

import torch


@dataclasses.dataclass
class TrainConfig:
    lr: float = 0.1
    layers: tuple = (4, 2)


class Block(torch.nn.Module):
    def __init__(self, n):
        super().__init__()
        self.lin = torch.nn.Linear(n, n)
        self.norm = torch.nn.LayerNorm(n)

    def forward(self, x):
        return self.norm(torch.relu(self.lin(x)))


class TinyNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = torch.nn.ModuleList([Block(4), Block(4)])
        self.head = torch.nn.Linear(4, 2)

    def forward(self, x):
        for block in self.blocks:
            x = block(x)
        return self.head(x)
