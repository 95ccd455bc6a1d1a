"""Calling a ``@torch.jit.unused`` function compiles to ``prim::RaiseException`` plus ``prim::Uninitialized``."""
import torch


@torch.jit.unused
def not_in_script(x: torch.Tensor) -> torch.Tensor:
    return x.numpy()


def maybe(x: torch.Tensor, go: bool) -> torch.Tensor:
    if go:
        return not_in_script(x)
    return x


SCRIPT = maybe
