"""``break`` and ``continue`` in a ``while`` loop."""
import torch


def scan(x: torch.Tensor, limit: int) -> torch.Tensor:
    i = 0
    acc = torch.zeros_like(x)
    while i < limit:
        i += 1
        if i % 3 == 0:
            continue
        if i > 7:
            break
        acc = acc + x * i
    return acc


SCRIPT = scan
