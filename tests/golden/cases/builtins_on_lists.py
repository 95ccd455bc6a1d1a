"""Builtins over lists: ``sorted``, ``min``, ``max``, ``sum``, ``len``, ``any``, ``all``."""
from typing import List

import torch


def stats(xs: List[int]) -> List[int]:
    s = sorted(xs)
    return [min(xs), max(xs), sum(xs), len(s), int(any([x > 3 for x in xs])), int(all([x > 0 for x in xs])),
            min(xs[0], 3), max(1, 2)]


SCRIPT = stats
