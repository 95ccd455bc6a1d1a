"""A module with parameters and a buffer: ``prim::GetAttr`` on ``self``."""
import torch


class Affine(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.ones(3, 3))
        self.bias = torch.nn.Parameter(torch.zeros(3))
        self.register_buffer("running", torch.zeros(3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x @ self.weight + self.bias + self.running


SCRIPT = Affine()
