"""Module attributes of container and optional types; ``prim::SetAttr`` on mutation."""
from typing import Dict, List, Optional

import torch


class Stateful(torch.nn.Module):
    seen: List[int]
    names: Dict[str, float]
    last: Optional[torch.Tensor]

    def __init__(self):
        super().__init__()
        self.calls = 0
        self.seen = []
        self.names = {"a": 1.0}
        self.last = None
        self.training_flag = True

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        self.seen.append(self.calls)
        self.names["calls"] = float(self.calls)
        last = self.last
        if last is not None:
            x = x + last
        self.last = x
        if self.training:
            x = x * 2
        return x


SCRIPT = Stateful()
