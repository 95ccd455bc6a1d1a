"""A traced module: ``scope:`` suffixes name the submodule that produced each node."""
import torch


class Inner(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(3, 2)

    def forward(self, x):
        return torch.sigmoid(self.fc(x))


class Outer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.inner = Inner()

    def forward(self, x):
        return self.inner(x) * 3


torch.manual_seed(0)
TRACE = (Outer(), (torch.ones(4, 3),))
INLINED = True
