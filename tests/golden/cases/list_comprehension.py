"""List comprehensions over lists, ranges and list literals (torch rejects comprehension ``if``s)."""
from typing import List

import torch


def squares(xs: List[int], n: int) -> List[int]:
    a = [x * x for x in xs]
    b = [i * 2 for i in range(n)]
    c = [t.sum() for t in [torch.ones(2), torch.zeros(3)]]
    return a + b + [int(c[0])]


SCRIPT = squares
