"""Float constants as torch prints them: ``3.``, ``-0.``, ``0.10000000000000001``, ``1e+20``, ``inf``, ``nan``."""
import math
from typing import List

import torch


def floats() -> List[float]:
    return [0.1, 3.0, -0.0, 0.0, 1e20, 1e-5, 1.5e300, 2.5e-310, 123456789012.5, 9999999999.0, 1e10,
            -2.75, 1.0 / 3.0, math.inf, -math.inf, math.nan, 5e-324]


SCRIPT = floats
