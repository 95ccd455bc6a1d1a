import torch
from torch import nn

CALLS = [0]


class Model(nn.Module):
    @torch.jit.ignore
    def count(self) -> None:
        CALLS[0] += 1

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.count()
        return x + 1


def example_inputs():
    return (torch.randn(3),)
