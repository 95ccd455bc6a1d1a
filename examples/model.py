"""A small model that scripts cleanly: what `pyjit check` is quiet about."""

from typing import List, Optional

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class Block(nn.Module):
    def __init__(self, channels: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)
        self.norm = nn.BatchNorm2d(channels)
        self.dropout = dropout

    def forward(self, x: Tensor) -> Tensor:
        y = F.relu(self.norm(self.conv(x)))
        return x + F.dropout(y, self.dropout, self.training)


class TinyNet(nn.Module):
    def __init__(self, channels: int = 8, depth: int = 2, classes: int = 10) -> None:
        super().__init__()
        self.stem = nn.Conv2d(3, channels, 3, padding=1)
        self.blocks = nn.ModuleList([Block(channels) for _ in range(depth)])
        self.head = nn.Linear(channels, classes)

    def forward(self, x: Tensor, mask: Optional[Tensor] = None) -> Tensor:
        x = self.stem(x)
        for block in self.blocks:
            x = block(x)
        if mask is not None:
            x = x * mask
        return self.head(x.mean(dim=[2, 3]))


@torch.jit.script
def top_k_labels(scores: Tensor, k: int) -> List[int]:
    values, indices = scores.topk(k)
    return [int(i) for i in indices] if k > 0 else []


scripted = torch.jit.script(TinyNet())
