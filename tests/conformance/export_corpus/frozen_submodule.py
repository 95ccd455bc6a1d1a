import torch
from torch import nn


class Block(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(3, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x)


class Model(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.block = torch.jit.freeze(torch.jit.script(Block()).eval())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.block(x) + 1


def example_inputs():
    return (torch.randn(3),)
