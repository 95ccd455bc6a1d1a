"""In-place list methods: append, extend, insert, pop, remove, clear, item assignment, del."""
from typing import List

import torch


def mutate(xs: List[int]) -> List[int]:
    xs.append(4)
    xs.extend([5, 6])
    xs.insert(0, -1)
    last = xs.pop()
    first = xs.pop(0)
    xs[1] = last + first
    del xs[2]
    xs.remove(5)
    ys = xs.copy()
    xs.clear()
    ys.reverse()
    ys.sort()
    return ys


SCRIPT = mutate
