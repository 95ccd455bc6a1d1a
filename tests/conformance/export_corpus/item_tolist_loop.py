from typing import List

import torch
from torch import nn


class Model(nn.Module):
    def forward(self, x: torch.Tensor, counts: torch.Tensor) -> torch.Tensor:
        sizes: List[int] = counts.tolist()
        out = x
        for s in sizes:
            out = out + s
        return out


def example_inputs():
    return (torch.randn(3), torch.tensor([1, 2]))
