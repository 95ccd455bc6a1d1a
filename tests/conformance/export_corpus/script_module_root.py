import torch


class Model(torch.jit.ScriptModule):
    def __init__(self) -> None:
        super().__init__()

    @torch.jit.script_method
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + 1


def example_inputs():
    return (torch.randn(3),)
