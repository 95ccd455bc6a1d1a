"""``Optional`` values refined by ``is None`` / ``is not None`` checks."""
from typing import Optional

import torch


def maybe_add(x: torch.Tensor, y: Optional[torch.Tensor], k: Optional[int] = None) -> torch.Tensor:
    if y is not None:
        x = x + y
    if k is None:
        k = 1
    return x * k


SCRIPT = maybe_add
