"""Integer and float arithmetic: floor division, modulo, power, casts, ``abs``, ``round``, ``divmod``."""
from typing import Tuple

import torch


def arith(a: int, b: int, x: float) -> Tuple[int, float, int, float, float, int, int]:
    q = a // b
    r = a % b
    p = x ** 2
    c = int(x) + a * b - b
    d = float(a) / b
    e = abs(-x) + round(x)
    f, g = divmod(a, b)
    return q, p, c, d, e, f + g, -r


SCRIPT = arith
