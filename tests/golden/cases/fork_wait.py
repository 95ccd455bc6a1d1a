"""``torch.jit.fork``/``wait``: ``prim::fork`` carries a ``Subgraph`` printed after the graph as ``with prim::fork_0 = ...``."""
from typing import List

import torch


def work(x: torch.Tensor, k: int) -> torch.Tensor:
    return x * k


def parallel(x: torch.Tensor) -> torch.Tensor:
    futs: List[torch.jit.Future[torch.Tensor]] = []
    for k in range(3):
        futs.append(torch.jit.fork(work, x, k))
    lam = torch.jit.fork(torch.neg, x)
    out = torch.jit.wait(lam)
    for f in futs:
        out = out + torch.jit.wait(f)
    return out


SCRIPT = parallel
