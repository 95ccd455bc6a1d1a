import torch
from torch import nn


class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n = torch.nonzero(x).size(0)
        return torch.zeros(n, 2)


def example_inputs():
    return (torch.tensor([0.0, 1.0, 2.0]),)
