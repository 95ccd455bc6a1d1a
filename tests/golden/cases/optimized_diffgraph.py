"""The profiling executor's optimized graph: ``prim::DifferentiableGraph_0`` with its body printed
after the graph (``with prim::DifferentiableGraph_0 = graph(...)``), ``prim::RequiresGradCheck`` with
a ``types=[...]`` attribute, and a ``Function`` constant for the fallback path."""
import torch


def fused(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    z = x * y + 1.0
    return torch.relu(z) * 2.0


def GRAPHS():
    scripted = torch.jit.script(fused)
    x = torch.ones(2, 3, requires_grad=True)
    with torch.jit.optimized_execution(True):
        for _ in range(3):
            scripted(x, x)
    return {"optimized": torch.jit.last_executed_optimized_graph()}
