"""Tensor lists passed to ``torch.cat``/``torch.stack`` and returned by ``unbind``/``split``."""
from typing import List

import torch


def join(xs: List[torch.Tensor], y: torch.Tensor) -> torch.Tensor:
    parts = y.unbind(0)
    chunks = torch.split(y, 2, dim=1)
    all_ = xs + list(parts) + list(chunks)
    return torch.cat([torch.stack(xs, 0).sum(0), all_[0]], dim=-1)


SCRIPT = join
