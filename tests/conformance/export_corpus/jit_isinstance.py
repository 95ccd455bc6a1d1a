from typing import List

import torch
from torch import nn


class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        xs = [x, x]
        if torch.jit.isinstance(xs, List[torch.Tensor]):
            return xs[0] + xs[1]
        return x


def example_inputs():
    return (torch.randn(3),)
