import torch
from torch import nn


class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        idx = torch.nonzero(x > 0)
        if len(idx) > 1:
            return x * 2
        return x


def example_inputs():
    return (torch.randn(4),)
