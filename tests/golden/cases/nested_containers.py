"""Containers of containers: ``List[Dict[str, Tuple[int, Tensor]]]`` and ``Optional`` inside them."""
from typing import Dict, List, Optional, Tuple

import torch


def flatten(rows: List[Dict[str, Tuple[int, torch.Tensor]]],
            extra: Optional[List[Optional[torch.Tensor]]]) -> List[torch.Tensor]:
    out: List[torch.Tensor] = []
    for row in rows:
        for k, (n, t) in row.items():
            out.append(t * n)
    if extra is not None:
        for e in extra:
            if e is not None:
                out.append(e)
    return out


SCRIPT = flatten
