"""List slicing with omitted bounds and steps."""
from typing import List

import torch


def slices(xs: List[float]) -> List[float]:
    head = xs[:2]
    tail = xs[2:]
    mid = xs[1:-1]
    every = xs[::2]
    rev = xs[::-1]
    return head + tail + mid + every + rev


SCRIPT = slices
