import torch
from torch import nn


class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        while x.max() > 1:
            x = x / 2
        return x


def example_inputs():
    return (torch.full((3,), 5.0),)
