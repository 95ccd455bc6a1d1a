"""Iterating over an ``nn.ModuleList`` unrolls the loop, one ``prim::CallMethod`` per layer."""
import torch


class Scale(torch.nn.Module):
    def __init__(self, k: float):
        super().__init__()
        self.k = k

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.k


class Stack(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = torch.nn.ModuleList([Scale(1.0), Scale(2.0), Scale(0.5)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for i, layer in enumerate(self.layers):
            x = layer(x) + i
        return x


SCRIPT = Stack()
