import torch
from torch import nn


class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        print("forward", x.shape)
        return x + 1


def example_inputs():
    return (torch.randn(3),)
