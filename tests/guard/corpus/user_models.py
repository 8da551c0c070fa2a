"""A user's own classes, as a notebook's project module defines them (not in site-packages)."""

import enum
from collections import namedtuple
from dataclasses import dataclass, field

import torch
from torch import nn


@dataclass
class TrainConfig:
    lr: float = 1e-3
    epochs: int = 3
    tags: tuple = ("baseline",)
    layers: list = field(default_factory=lambda: [16, 8])


@dataclass(frozen=True)
class DataSplit:
    name: str
    fraction: float


class Phase(enum.Enum):
    TRAIN = "train"
    EVAL = "eval"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Perm(enum.Flag):
    READ = 1
    WRITE = 2


Point = namedtuple("Point", "x y")


class Block(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.linear = nn.Linear(width, width)
        self.norm = nn.LayerNorm(width)

    def forward(self, x):
        return self.norm(torch.relu(self.linear(x)))


class TinyNet(nn.Module):
    """A small model with submodules, a buffer and a plain attribute of the user's own type."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3)
        self.bn = nn.BatchNorm2d(4)
        self.blocks = nn.Sequential(Block(8), Block(8))
        self.head = nn.Linear(8, 2)
        self.register_buffer("scale", torch.tensor([0.5, 2.0]))
        self.config = TrainConfig(lr=0.01)

    def forward(self, x):
        x = self.bn(self.conv(x)).mean(dim=(2, 3))
        x = torch.cat([x, x], dim=1)
        return self.head(self.blocks(x)) * self.scale
