"""Bitwise and shift operators on ints, and bitwise ops (including ``~``) on bool tensors."""
import torch


def bits(a: int, b: int, m: torch.Tensor) -> int:
    c = (a & b) | (a ^ b)
    d = (c << 2) >> 1
    e = -d
    mask = m & (m | ~m)
    return e + int(mask.sum())


SCRIPT = bits
