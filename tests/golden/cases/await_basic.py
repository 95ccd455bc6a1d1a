"""``torch.jit._awaitable``: ``Await(Tensor)`` is printed with ``Type::str()``, not ``Await[...]``."""
import torch


def delayed(x: torch.Tensor) -> torch.Tensor:
    return x * 3


def run(x: torch.Tensor) -> torch.Tensor:
    aw: torch.jit._Await[torch.Tensor] = torch.jit._awaitable(delayed, x)
    return torch.jit._awaitable_wait(aw) + 1


SCRIPT = run
