"""Common tensor operations with keyword arguments and defaults filled in."""
import torch


def ops(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    y = torch.matmul(x, w)
    y = y.sum(dim=1, keepdim=True)
    y = y.view(-1).reshape(2, -1).transpose(0, 1).contiguous()
    y = torch.clamp(y, min=-1.0, max=1.0)
    y = torch.where(y > 0, y, torch.zeros_like(y))
    return y.mean() + y.std(unbiased=False) + torch.softmax(y, dim=-1).max()


SCRIPT = ops
