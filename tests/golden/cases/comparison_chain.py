"""Chained comparisons ``a < b <= c`` and ``is``/``in`` tests."""
from typing import List, Optional

import torch


def within(a: int, b: int, c: int, xs: List[int], o: Optional[int]) -> bool:
    return a < b <= c and b in xs and o is not None and c not in xs


SCRIPT = within
