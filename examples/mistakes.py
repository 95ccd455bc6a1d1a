"""Code torch.jit.script rejects, and calls into Python that block export."""

import torch
from torch import Tensor, nn


@torch.jit.script
def normalise(x: Tensor, eps: float = 1e-5) -> Tensor:
    try:                                   # PJ101: try blocks aren't supported
        scale = x.norm()
    except RuntimeError:
        scale = 1.0
    return x / (scale + eps)


@torch.jit.script
def pick(x: Tensor, flag: bool) -> Tensor:
    if flag:
        y = x * 2
    return y                               # PJ202: y is not defined in the false branch


@torch.jit.script
def count(n: int) -> int:
    return n.sum()                         # PJ210: 'int' object has no attribute or method 'sum'


@torch.jit.ignore
def debug_hook(x: Tensor) -> Tensor:       # runs in Python: not serialisable
    print(x.shape)
    return x


class Traced(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return debug_hook(x) + 1


model = torch.jit.script(Traced())
torch.jit.save(model, "traced.pt")         # PJ410: Could not export Python function call 'debug_hook'
torch.jit.freeze(Traced())                 # PJ501: Freezing expects a ScriptModule
