"""``@torch.jit.ignore`` functions become ``prim::PythonOp`` nodes named by ``__name__``."""
from typing import Tuple

import torch


@torch.jit.ignore
def python_side(x: torch.Tensor, k: int) -> torch.Tensor:
    return x * k


@torch.jit.ignore
def unannotated(x, y):
    return x + y


def call(x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    a = python_side(x, 3)
    b = unannotated(a, x)
    return a, b


SCRIPT = call
