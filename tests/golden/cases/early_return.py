"""An early ``return`` inside a branch: the rest of the body moves into the else block."""
import torch


def early(x: torch.Tensor, limit: int) -> torch.Tensor:
    if x.dim() > limit:
        return x.flatten()
    y = x * 2
    if limit == 0:
        return y
    return y + limit


SCRIPT = early
