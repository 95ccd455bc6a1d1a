"""``assert x is not None`` refines an ``Optional``; ``torch.jit._unwrap_optional``."""
from typing import Optional

import torch


def unwrap(x: Optional[torch.Tensor], n: Optional[int]) -> torch.Tensor:
    assert x is not None
    m = torch.jit._unwrap_optional(n)
    return x + m


SCRIPT = unwrap
