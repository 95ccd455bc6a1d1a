"""Tensors captured while tracing print as constants: ``{2.5}`` for one element, torch's
C++ tensor dump with newlines turned into spaces (`` 1  2  3 [ CPULongType{3} ]``) up to
ten elements, ``<Tensor>`` beyond."""
import torch

SMALL = torch.tensor([1, 2, 3])
BIG = torch.arange(20.0)
TINY = torch.tensor([1e-5, 2e-5])
MATRIX = torch.tensor([[0.1, 0.2], [1.5, 2.0]])


def use_constants(x: torch.Tensor) -> torch.Tensor:
    y = x + torch.tensor(2.5) + torch.tensor(7) + torch.tensor(0.1)
    z = y[:3] * SMALL
    w = (TINY.sum() + MATRIX.sum() + torch.tensor(1 + 2j).real)
    return torch.cat([z, BIG[:1] + torch.tensor([True, False, True]).float().sum() + w])


TRACE = (use_constants, (torch.ones(5),))
