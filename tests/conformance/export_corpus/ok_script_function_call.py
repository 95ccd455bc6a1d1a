import torch
from torch import nn


@torch.jit.script
def scale(x: torch.Tensor, k: float) -> torch.Tensor:
    return x * k


class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return scale(x, 3.0) + 1


def example_inputs():
    return (torch.randn(3),)
