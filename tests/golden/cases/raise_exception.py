"""``raise`` of builtin exceptions with messages: ``prim::RaiseException`` with a qualified class name."""
import torch


def strict(x: int) -> int:
    if x < 0:
        raise ValueError("negative: " + str(x))
    if x == 0:
        raise RuntimeError(f"zero {x}")
    if x > 1000:
        raise AssertionError
    return x


SCRIPT = strict
