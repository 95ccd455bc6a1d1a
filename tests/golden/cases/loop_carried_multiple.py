"""Several loop-carried values of different types."""
import torch


def fib(n: int, x: torch.Tensor):
    a, b = 0, 1
    s = 0.0
    for _ in range(n):
        a, b = b, a + b
        s = s + float(a)
        x = x + a
    return a, s, x


SCRIPT = fib
