"""NNC fusion on CPU (interpreted, no LLVM): ``prim::TypeCheck[types=[...]]`` and a
``prim::TensorExprGroup_0`` whose body follows the graph."""
import torch


def fusible(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    z = x * y + 1.0
    return torch.relu(z) * 2.0


def GRAPHS():
    # Runs in a forked child (see regen.py): these global switches die with it.
    torch._C._jit_override_can_fuse_on_cpu(True)
    torch._C._jit_set_te_must_use_llvm_cpu(False)
    scripted = torch.jit.script(fusible)
    x = torch.ones(2, 3)
    for _ in range(4):
        scripted(x, x)
    return {"fused": torch.jit.last_executed_optimized_graph()}
