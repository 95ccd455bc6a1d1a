"""Conditional expressions (``a if c else b``)."""
import torch


def clamp_sign(x: torch.Tensor, flag: bool) -> torch.Tensor:
    scale = 2.0 if flag else -1.0
    y = x * scale if x.numel() > 1 else x
    return y


SCRIPT = clamp_sign
