"""Traced values of several dtypes, a 0-dim tensor and a non-contiguous view."""
import torch


def mixed(a: torch.Tensor, b: torch.Tensor, c: torch.Tensor):
    s = a.sum()
    t = b.t()
    return s, t.to(torch.float64), c > 0, a.long(), (a.half() * 2).to(torch.bfloat16)


TRACE = (mixed, (torch.ones(3, 2), torch.ones(2, 5), torch.zeros(4, dtype=torch.int32)))
