"""Plain helpers, scripted only through the roots that call them."""

from typing import List

import torch
from torch import Tensor

def scale(x: Tensor, factor: float) -> Tensor:
    return x * factor


def standardize(x: Tensor) -> Tensor:
    return (x - x.mean()) / (x.std() + 1e-5)


def lengths(xs: List[Tensor]) -> List[int]:
    return [x.size(0) for x in xs]


def broken(n: int) -> int:
    return n.numel()


@torch.jit.script
def clip(x: Tensor, lo: float, hi: float) -> Tensor:
    return x.clamp(lo, hi)
