import torch
from torch import nn


def branch(x: torch.Tensor) -> torch.Tensor:
    return x * 2


class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        forked = branch(x)
        y = x + 1
        return forked + y


def example_inputs():
    return (torch.randn(3),)
