"""Module constants (``Final`` and ``__constants__``) become ``prim::Constant``, including tuples."""
from typing import Final, Tuple

import torch


class Shaped(torch.nn.Module):
    __constants__ = ["mode", "eps"]
    shape: Final[Tuple[int, int]]
    one: Final[Tuple[int]]
    nested: Final[Tuple[Tuple[int, float], str]]
    dev: Final[torch.device]

    def __init__(self):
        super().__init__()
        self.mode = "fast\tpath"
        self.eps = 1e-05
        self.shape = (2, 3)
        self.one = (7,)
        self.nested = ((1, 2.5), "x")
        self.dev = torch.device("cpu")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.mode == "fast":
            x = x + self.eps
        return x.view(self.shape).sum() + self.one[0] + self.nested[0][1] + x.to(self.dev).sum()


SCRIPT = Shaped()
