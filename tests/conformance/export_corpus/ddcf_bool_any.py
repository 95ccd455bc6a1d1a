import torch
from torch import nn


class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = x * 2
        if bool((y > 3).any()):
            y = y.clamp(max=3)
        return y


def example_inputs():
    return (torch.randn(3),)
