"""``range(start, stop, step)`` computes the trip count with ``aten::__range_length``."""
import torch


def stepped(start: int, stop: int) -> int:
    total = 0
    for i in range(start, stop, 3):
        total += i
    for j in range(10, 0, -2):
        total -= j
    return total


SCRIPT = stepped
