import torch
from torch import nn


class Model(nn.Module):
    @torch.jit.unused
    def debug(self, x: torch.Tensor) -> torch.Tensor:
        return x.sum()

    @torch.jit.ignore
    def double(self, x: torch.Tensor) -> torch.Tensor:
        return x * 2

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.double(x) + 1


def example_inputs():
    return (torch.randn(3),)
