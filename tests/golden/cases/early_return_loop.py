"""``return`` inside a loop: torch threads a did-return flag and ``prim::Uninitialized`` values."""
from typing import List

import torch


def find(xs: List[int], target: int) -> int:
    for i in range(len(xs)):
        if xs[i] == target:
            return i
    return -1


SCRIPT = find
