import torch
from torch import nn


class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = float(x.sum())
        if s > 0.0:
            return x * 2
        return x


def example_inputs():
    return (torch.randn(3),)
