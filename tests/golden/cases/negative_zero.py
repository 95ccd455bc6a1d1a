"""``-0.0`` prints as ``-0.`` (torch keeps the sign; a ``0.0`` in the same graph would pool with it)."""
import math
from typing import List

import torch


def signed_zero() -> List[float]:
    return [-0.0, math.copysign(0.0, -1.0)]


SCRIPT = signed_zero
