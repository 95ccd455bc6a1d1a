"""An ``nn.Sequential`` of case-defined modules and a ``nn.ModuleDict`` looked up by key."""
import torch


class AddOne(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + 1


class Twice(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * 2


class Pipeline(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.seq = torch.nn.Sequential(AddOne(), Twice(), AddOne())
        self.table = torch.nn.ModuleDict({"add": AddOne(), "twice": Twice()})

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.seq(x)
        for name, m in self.table.items():
            y = m(y)
        return self.table["twice"](y)


SCRIPT = Pipeline()
