"""``zip`` over two lists."""
from typing import List

import torch


def dot(a: List[float], b: List[float]) -> float:
    s = 0.0
    for x, y in zip(a, b):
        s += x * y
    return s


SCRIPT = dot
