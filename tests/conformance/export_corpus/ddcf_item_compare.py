import torch
from torch import nn


class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        m = x.mean().item()
        if m > 0.5:
            return x - m
        return x


def example_inputs():
    return (torch.randn(3),)
