"""Layers importing helpers relatively."""

import torch
import torch.nn as nn
from torch import Tensor

from . import helpers
from .helpers import scale, standardize


class Block(nn.Module):
    def __init__(self, d: int):
        super().__init__()
        self.lin = nn.Linear(d, d)
        self.factor = 0.5

    def forward(self, x: Tensor) -> Tensor:
        return scale(standardize(self.lin(x)), self.factor)


block = torch.jit.script(Block(4))


@torch.jit.script
def module_attribute_call(x: Tensor) -> Tensor:
    return helpers.scale(x, 2.0) + helpers.clip(x, 0.0, 1.0)


# error: 'int' object has no attribute or method 'numel'
@torch.jit.script
def calls_broken_helper(n: int) -> int:
    return helpers.broken(n)
