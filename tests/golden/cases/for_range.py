"""``for i in range(n)`` with a loop-carried tensor."""
import torch


def power(x: torch.Tensor, n: int) -> torch.Tensor:
    y = torch.ones_like(x)
    for _ in range(n):
        y = y * x
    return y


SCRIPT = power
