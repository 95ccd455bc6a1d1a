"""Iterating over a list of tensors."""
from typing import List

import torch


def total(xs: List[torch.Tensor]) -> torch.Tensor:
    out = torch.zeros(1)
    for x in xs:
        out = out + x.sum()
    return out


SCRIPT = total
