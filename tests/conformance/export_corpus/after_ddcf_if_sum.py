import torch
from torch import nn


class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.where(x.sum() > 0, x + 1, x - 1)


def example_inputs():
    return (torch.randn(3),)
