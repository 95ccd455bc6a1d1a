"""``assert`` with and without a message lowers to ``prim::If`` plus ``prim::RaiseException``."""
import torch


def checked(x: torch.Tensor, n: int) -> torch.Tensor:
    assert n > 0
    assert x.dim() == 2, "expected a matrix"
    assert n < 100, f"n too big: {n}"
    return x * n


SCRIPT = checked
