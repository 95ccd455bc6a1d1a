"""``torch.jit.freeze`` turns parameters and attributes into constants: tensors print as
``<Tensor>`` or their values, containers as IValues."""
from typing import Dict, List, Tuple

import torch


class Frozen(torch.nn.Module):
    sizes: List[int]
    names: Dict[str, int]
    pair: Tuple[int, str]
    empty: List[int]

    def __init__(self):
        super().__init__()
        self.w = torch.nn.Parameter(torch.ones(4, 4))
        self.b = torch.tensor([1.0, 2.0, 3.0, 4.0])
        self.sizes = [1, 2, 3]
        self.names = {"a": 1}
        self.pair = (1, "p")
        self.empty = []

    def forward(self, x: torch.Tensor):
        y = x @ self.w + self.b + len(self.sizes) + self.names["a"] + self.pair[0] + len(self.empty)
        return y, self.sizes, self.pair, self.empty, self.names


def GRAPHS():
    frozen = torch.jit.freeze(torch.jit.script(Frozen()).eval())
    return {"forward": frozen.graph}
