"""A Function whose scalar argument comes *before* its tensor: torch's cconv is ``cd``.

The printed text does not say where the scalars went, so pyjit's parser
cannot recover this order; the conformance test records the disagreement.
"""
import torch


class Shift(torch.autograd.Function):
    @staticmethod
    def forward(ctx, amount, x):
        return x + amount

    @staticmethod
    def backward(ctx, grad):
        return None, grad


def shifted(x: torch.Tensor) -> torch.Tensor:
    return Shift.apply(2, x) + Shift.apply(0.5, x)


TRACE = (shifted, (torch.ones(3, requires_grad=True),))
