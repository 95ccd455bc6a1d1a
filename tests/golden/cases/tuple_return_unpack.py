"""Calling a function that returns a tuple and unpacking the result."""
from typing import Tuple

import torch


def split(x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    return x[0], x[1]


def use_split(x: torch.Tensor) -> torch.Tensor:
    a, b = split(x)
    c, (d, e) = 1, split(b)
    return a + d * c + e


SCRIPT = use_split
