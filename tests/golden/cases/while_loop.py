"""A ``while`` loop becomes ``prim::Loop`` with a max trip count of INT64_MAX."""
import torch


def collatz_steps(n: int) -> int:
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


SCRIPT = collatz_steps
