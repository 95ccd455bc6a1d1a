from typing import List

import torch
from torch import nn


@torch.jit.script
def double(x: torch.Tensor) -> torch.Tensor:
    return x * 2


class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        parts = torch.jit.annotate(List[torch.Tensor], [])
        parts.append(double(x))
        if torch.jit.is_scripting():
            return parts[0] + 1
        return parts[0] - 1


def save(path: str) -> None:
    torch.jit.save(torch.jit.script(Model()), path)


def example_inputs():
    return (torch.randn(3),)
