"""Tensor indexing: integers, slices, ``None``, ``...``, tensor indices and index assignment."""
import torch


def index(x: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
    a = x[0]
    b = x[:, 1:3]
    c = x[..., None]
    d = x[idx]
    e = x[1, -1]
    x[0] = 1.0
    x[:, 0] = a.sum()
    x[idx] = 0
    return a.sum() + b.sum() + c.sum() + d.sum() + e


SCRIPT = index
