import torch
from torch import nn
from torch.export import Dim


class Model(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.where(torch.tensor(x.size(0)) == 4, 2.0, 1.0)


def example_inputs():
    return (torch.randn(4, 3),)


def dynamic_shapes():
    return {"x": {0: Dim("batch")}}
