"""A model importing the package absolutely."""

from typing import List

import torch
import torch.nn as nn
from torch import Tensor

import corpus.userpkg.helpers
from corpus.userpkg import helpers as h
from corpus.userpkg.layers import Block


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([Block(4), Block(4)])
        self.head = nn.Linear(4, 1)

    def forward(self, x: Tensor) -> Tensor:
        for b in self.blocks:
            x = b(x)
        return self.head(x)


model = torch.jit.script(Model())


@torch.jit.script
def fully_qualified_call(xs: List[Tensor]) -> int:
    return sum(corpus.userpkg.helpers.lengths(xs))


@torch.jit.script
def aliased_module_call(x: Tensor) -> Tensor:
    return h.standardize(x) + h.scale(x, 0.5)


class BadModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block(4)

    def forward(self, x: Tensor) -> Tensor:
        return self.block(x, 2)


# error: Expected at most 2 arguments but found 3 positional arguments
bad_model = torch.jit.script(BadModel())


# error: object has no attribute missing
@torch.jit.script
def missing_module_attribute(x: Tensor) -> Tensor:
    return h.missing(x)
