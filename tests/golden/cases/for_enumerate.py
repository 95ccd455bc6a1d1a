"""``enumerate`` over a list, with and without a start value."""
from typing import List

import torch


def weighted(xs: List[float]) -> float:
    acc = 0.0
    for i, x in enumerate(xs):
        acc += i * x
    for i, x in enumerate(xs, 1):
        acc -= x / i
    return acc


SCRIPT = weighted
