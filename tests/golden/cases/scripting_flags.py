"""``torch.jit.is_scripting()``, ``print``, ``del``, ``torch.jit.annotate`` and ``isinstance`` on concrete types."""
from typing import List

import torch


def flags(x: torch.Tensor, xs: List[int]) -> torch.Tensor:
    if torch.jit.is_scripting():
        print("scripting", x.shape, 1.5)
    y = x + 1
    del y
    z = torch.jit.annotate(List[int], xs)
    if isinstance(x, torch.Tensor) and not isinstance(xs, int):
        return x * len(z)
    return x


SCRIPT = flags
