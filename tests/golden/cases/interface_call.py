"""A class implementing an ``@torch.jit.interface`` called through the interface type."""
import torch


@torch.jit.interface
class Scaler:
    def scale(self, x: torch.Tensor) -> torch.Tensor:
        pass


@torch.jit.script
class Doubler:
    def __init__(self):
        pass

    def scale(self, x: torch.Tensor) -> torch.Tensor:
        return x * 2


def run(x: torch.Tensor) -> torch.Tensor:
    s: Scaler = Doubler()
    return s.scale(x)


SCRIPT = run
