"""Benign real models for the TorchScript tests (scripting needs their source in a file)."""

from typing import List, Optional

import torch


class Conv(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3)
        self.norm = torch.nn.BatchNorm2d(4)
        self.act = torch.nn.ReLU()

    def forward(self, x):
        pooled = torch.nn.functional.max_pool2d(self.act(self.norm(self.conv(x))), 2)
        return torch.flatten(pooled, 1)


class Lstm(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(4, 8, batch_first=True)
        self.head = torch.nn.Linear(8, 2)

    def forward(self, x):
        out, _state = self.lstm(x)
        return self.head(out[:, -1])


class Flow(torch.nn.Module):
    """Loops, branches, a list and an Optional: control flow only scripting keeps."""

    def __init__(self):
        super().__init__()
        self.a = torch.nn.Linear(4, 4)
        self.b = torch.nn.Linear(4, 4)

    def forward(self, x, n: int = 2):
        out: List[torch.Tensor] = []
        for _ in range(n):
            if bool(x.sum() > 0):
                x = torch.relu(self.a(x))
            else:
                x = torch.tanh(self.b(x))
            out.append(x)
        y: Optional[torch.Tensor] = None
        while y is None:
            y = torch.stack(out).mean(0)
        assert y is not None
        return torch.nn.functional.softmax(y, dim=-1)


class Transformer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(10, 8)
        self.layer = torch.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)

    def forward(self, x):
        return self.layer(self.embed(x))
