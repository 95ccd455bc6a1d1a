"""The profiling executor's first-run graph: ``prim::profile`` nodes with a ``profiled_type``
(a type-valued attribute) and an output-less ``prim::profile()``."""
import torch


def scaled(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    z = x * y + 1.0
    return torch.relu(z) * 2.0


def GRAPHS():
    scripted = torch.jit.script(scaled)
    x = torch.ones(2, 3)
    scripted(x, x)
    return {"profiled": torch.jit.last_executed_optimized_graph()}
