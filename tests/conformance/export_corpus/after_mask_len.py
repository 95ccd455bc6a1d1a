import torch
from torch import nn


class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        idx = torch.nonzero(x > 0)
        return torch.where(torch.tensor(idx.size(0)) > 1, x * 2, x)


def example_inputs():
    return (torch.randn(4),)
