"""Calls to other scripted functions stay ``prim::CallFunction`` in ``graph``; ``inlined_graph`` inlines them."""
import torch


def square(x: torch.Tensor) -> torch.Tensor:
    return x * x


def norm2(x: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    return torch.sqrt(square(x).sum() + eps)


def normalize(x: torch.Tensor) -> torch.Tensor:
    return x / norm2(x)


SCRIPT = normalize
INLINED = True
