"""In-place tensor ops and augmented assignment on tensors, ints and lists."""
from typing import List

import torch


def update(x: torch.Tensor, n: int, xs: List[int]) -> torch.Tensor:
    x.add_(1)
    x.mul_(2.0).clamp_(0, 5)
    x += 3
    x *= x
    n += 1
    n -= 2
    n *= 3
    xs += [n]
    return x + n + len(xs)


SCRIPT = update
