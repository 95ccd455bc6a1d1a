"""A submodule typed by a module interface: calls go through ``prim::CallMethod`` on the interface."""
import torch


@torch.jit.interface
class Activation(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pass


class Relu(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x)


class Holder(torch.nn.Module):
    act: Activation

    def __init__(self):
        super().__init__()
        self.act = Relu()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.act.forward(x) - 1


SCRIPT = Holder()
