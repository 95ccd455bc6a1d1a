"""Defaults of several kinds on a scripted function called from another one."""
from typing import List, Optional

import torch


def scaled(x: torch.Tensor, factor: float = 0.5, shift: int = -3, name: str = "s", dims: Optional[List[int]] = None) -> torch.Tensor:
    if dims is not None:
        x = x.sum(dims)
    return x * factor + shift


def caller(x: torch.Tensor) -> torch.Tensor:
    return scaled(x) + scaled(x, 2.0, dims=[0])


SCRIPT = caller
