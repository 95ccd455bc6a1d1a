"""``math`` functions and constants."""
import math

import torch


def geometry(r: float, n: int) -> float:
    area = math.pi * r ** 2
    return math.sqrt(area) + math.log(float(n)) + math.floor(r) + math.exp(1.0) + math.e + math.inf - math.fabs(-r) + float(math.isnan(r))


SCRIPT = geometry
