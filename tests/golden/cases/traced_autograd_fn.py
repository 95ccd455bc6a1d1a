"""``autograd.Function.apply`` while tracing: a ``PythonOp`` named after the Function class,
with ``Subgraph=<Graph>`` and scalar arguments (a tuple prints ``(2, 3)``, a 1-tuple ``(2,)``)."""
import torch


class ScaleBy(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k, shape):
        ctx.k = k
        return x * k

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.k, None, None


class Mix(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, name, y, eps):
        return x + y * eps

    @staticmethod
    def backward(ctx, grad):
        return grad, None, grad, None


def apply_all(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    a = ScaleBy.apply(x, 3, (2, 3))
    b = ScaleBy.apply(a, 0.5, (2,))
    c = Mix.apply(b, "mix", y, 1e-3)
    return c


TRACE = (apply_all, (torch.ones(2, 3, requires_grad=True), torch.ones(2, 3)))
