"""List literals, indexing with positive and negative indices, ``len``."""
from typing import List

import torch


def pick(xs: List[int], i: int) -> List[int]:
    ys = [1, 2, 3, xs[0]]
    return [ys[i], ys[-1], xs[len(xs) - 1], len(ys)]


SCRIPT = pick
