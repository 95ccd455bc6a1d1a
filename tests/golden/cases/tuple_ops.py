"""Tuple construction, constant indexing, slicing and unpacking."""
from typing import Tuple

import torch


def shuffle(t: Tuple[int, str, torch.Tensor]) -> Tuple[torch.Tensor, int, Tuple[int, str]]:
    a, b, c = t
    first = t[0]
    last = t[-1]
    part = t[:2]
    return last + a, first, part


SCRIPT = shuffle
