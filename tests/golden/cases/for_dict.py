"""Iterating over a dict's keys, values and items."""
from typing import Dict

import torch


def summarize(d: Dict[str, int]) -> int:
    n = 0
    for k in d:
        n += len(k)
    for v in d.values():
        n += v
    for k, v in d.items():
        if k == "skip":
            continue
        n += v * 2
    return n


SCRIPT = summarize
