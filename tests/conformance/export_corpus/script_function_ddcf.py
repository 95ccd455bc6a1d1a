import torch
from torch import nn


@torch.jit.script
def clip(x: torch.Tensor) -> torch.Tensor:
    if x.max() > 1:
        return x / x.max()
    return x


class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return clip(x) + 1


def example_inputs():
    return (torch.randn(3),)
