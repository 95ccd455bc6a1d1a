"""Tensor factories with dtype, layout and device arguments."""
import torch


def make(n: int) -> torch.Tensor:
    a = torch.zeros(2, n, dtype=torch.float64, device="cpu")
    b = torch.ones([n], dtype=torch.int64)
    c = torch.arange(0, n, 2)
    d = torch.tensor([1.0, 2.0, 3.0])
    e = torch.full((2, 2), 0.5)
    f = torch.empty(3, layout=torch.strided, device=torch.device("cpu"), pin_memory=False)
    return a.sum() + b.sum() + c.sum() + d.sum() + e.sum() + f.numel()


SCRIPT = make
