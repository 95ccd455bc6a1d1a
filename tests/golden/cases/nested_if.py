"""Nested conditionals that assign different variables in each arm."""
import torch


def nested(x: torch.Tensor, a: bool, b: bool) -> torch.Tensor:
    y = x
    if a:
        if b:
            y = x + 1
        else:
            y = x * 2
        y = y.relu()
    else:
        if b:
            y = -x
    return y


SCRIPT = nested
