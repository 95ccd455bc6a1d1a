"""Refinement through ``isinstance`` on ``Optional``/``List`` gives ``prim::unchecked_cast``."""
from typing import List, Optional, Union

import torch


def refine(a: Optional[List[int]], b: Union[List[int], List[str]]) -> int:
    n = 0
    if a is not None:
        n += len(a)
    if isinstance(b, List[int]):
        n += sum(b)
    return n


SCRIPT = refine
