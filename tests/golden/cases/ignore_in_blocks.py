"""Ignored calls inside loop and branch blocks, inside a ``prim::fork`` subgraph (printed after
the graph), and one returning a tuple. Scripted PythonOps take every argument as an input, so
their calling convention is all ``d``."""
from typing import Tuple

import torch


@torch.jit.ignore
def log_step(x: torch.Tensor, i: int) -> torch.Tensor:
    return x + i


@torch.jit.ignore
def split_half(x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
    return x[: x.shape[0] // 2], x[x.shape[0] // 2:]


def run(x: torch.Tensor, n: int) -> torch.Tensor:
    for i in range(n):
        if i % 2 == 0:
            x = log_step(x, i)
    fut = torch.jit.fork(log_step, x, n)
    a, b = split_half(torch.jit.wait(fut))
    return a.sum() + b.sum()


SCRIPT = run
