"""Empty, annotated containers: ``torch.jit.annotate`` and variable annotations."""
from typing import Dict, List, Optional, Tuple

import torch


def empties() -> Tuple[List[int], Dict[str, float], List[Tuple[int, str]], Optional[List[int]]]:
    a = torch.jit.annotate(List[int], [])
    b: Dict[str, float] = {}
    c: List[Tuple[int, str]] = []
    d: Optional[List[int]] = None
    return a, b, c, d


SCRIPT = empties
