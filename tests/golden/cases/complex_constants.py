"""Complex constants (``0.+2.j``) and complex arithmetic.

The parts print with ``operator<<(IValue)``, not ``IValue::repr``: no 1e10
cut-off for the ``N.`` form and no sign on a zero real part.
"""
from typing import List

import torch


def complexes(z: complex) -> List[complex]:
    return [2j, 1 + 2j, 1.5 - 0.5j, -3j, 1e15j, complex(0.25, -4.0), z * 1j, complex(-0.0, 1e300), 9.5e18j,
            complex(-2.5, 0.1)]


SCRIPT = complexes
