"""A ``@torch.jit.script`` class: construction, attributes and methods."""
from typing import List

import torch


@torch.jit.script
class Counter:
    def __init__(self, start: int):
        self.count = start
        self.history: List[int] = []

    def bump(self, by: int) -> int:
        self.history.append(self.count)
        self.count += by
        return self.count

    def total(self) -> int:
        return sum(self.history) + self.count


def use_counter(n: int) -> int:
    c = Counter(n)
    c.bump(2)
    c.bump(n)
    return c.total()


SCRIPT = use_counter
