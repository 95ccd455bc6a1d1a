"""``@torch.jit.export`` methods, a helper method and a method calling another."""
import torch


class Calc(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.factor = 3

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.helper(x) + self.offset()

    def helper(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.factor

    @torch.jit.export
    def offset(self) -> int:
        return self.factor - 1

    @torch.jit.export
    def describe(self, verbose: bool = False) -> str:
        return "calc" if not verbose else "calc(factor=" + str(self.factor) + ")"


SCRIPT = Calc()
