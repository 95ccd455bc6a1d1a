from typing import List

import torch
from torch import nn
from typing_extensions import Final


class Model(nn.Module):
    __constants__ = ["factor"]
    offset: Final[int] = 3

    def __init__(self) -> None:
        super().__init__()
        self.factor = 2

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        parts = torch.jit.annotate(List[torch.Tensor], [])
        parts.append(x * self.factor)
        parts.append(x + self.offset)
        return torch.cat(parts)


def example_inputs():
    return (torch.randn(3),)
