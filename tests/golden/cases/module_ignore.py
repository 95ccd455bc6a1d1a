"""An ignored module method (``PythonOp`` taking ``self``) and an unused one."""
import torch


class Mixed(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.sum() > 100:
            return self.slow(x)
        return self.python_only(x, 2)

    @torch.jit.ignore
    def python_only(self, x: torch.Tensor, k: int) -> torch.Tensor:
        return x * k

    @torch.jit.unused
    def slow(self, x: torch.Tensor) -> torch.Tensor:
        return x.numpy()


SCRIPT = Mixed()
