import torch
from torch import nn


class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        u = torch.unique(x)
        return u * 2


def example_inputs():
    return (torch.tensor([1, 2, 2, 3]),)
