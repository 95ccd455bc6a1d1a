"""Iterating over a heterogeneous tuple unrolls the loop at compile time."""
from typing import Tuple

import torch


def describe(t: Tuple[int, float, str]) -> str:
    out = ""
    for item in t:
        out = out + str(item) + ","
    return out


SCRIPT = describe
