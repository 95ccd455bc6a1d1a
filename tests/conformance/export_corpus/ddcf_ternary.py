import torch
from torch import nn


class Model(nn.Module):
    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        return x if x.norm() > y.norm() else y


def example_inputs():
    return (torch.randn(3), torch.randn(3))
