import torch
from torch import nn


def helper(x: torch.Tensor) -> torch.Tensor:
    return x * 2


class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        fn = torch.jit.script(helper)
        return fn(x) + 1


def example_inputs():
    return (torch.randn(3),)
