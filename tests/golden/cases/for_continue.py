"""``continue`` inside ``for``."""
import torch


def odd_sum(n: int) -> int:
    s = 0
    for i in range(n):
        if i % 2 == 0:
            continue
        s += i
    return s


SCRIPT = odd_sum
