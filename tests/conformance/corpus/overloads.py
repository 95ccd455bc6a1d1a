"""Overload resolution: implicit conversions, Scalar, number, int[2] broadcast, Optional, defaults, keywords."""

from typing import List, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor


@torch.jit.script
def scalar_argument(x: Tensor, k: int) -> Tensor:
    return torch.add(x, k, alpha=2)


@torch.jit.script
def keyword_arguments(x: Tensor) -> Tensor:
    return x.sum(dim=1, keepdim=True)


@torch.jit.script
def int_list_broadcast(x: Tensor) -> Tensor:
    return F.max_pool2d(x, 2)


@torch.jit.script
def int_list_literal(x: Tensor) -> Tensor:
    return F.avg_pool2d(x, [2, 2], stride=[1, 1])


@torch.jit.script
def size_varargs(n: int, m: int) -> Tensor:
    return torch.zeros(n, m)


@torch.jit.script
def size_list(shape: List[int]) -> Tensor:
    return torch.ones(shape, dtype=torch.float64)


@torch.jit.script
def view_varargs(x: Tensor) -> Tensor:
    return x.view(-1, 4).reshape(2, -1)


@torch.jit.script
def optional_dim_none(x: Tensor) -> Tensor:
    return torch.softmax(x, dim=-1) + x.mean(dim=None)


@torch.jit.script
def tensor_from_scalar_list(a: float, b: float) -> Tensor:
    return torch.tensor([a, b])


@torch.jit.script
def to_dtype(x: Tensor) -> Tensor:
    return x.to(torch.float16).float()


@torch.jit.script
def number_ops(a: int, b: float) -> float:
    return max(a, b) + min(b, 1)


@torch.jit.script
def tensor_to_number(x: Tensor) -> float:
    return float(x.max()) + int(x.argmax())


@torch.jit.script
def int_implicitly_float(x: Tensor) -> Tensor:
    return torch.full([2, 2], 3)


@torch.jit.script
def cat_with_dim_keyword(xs: List[Tensor]) -> Tensor:
    return torch.cat(xs, dim=1)


@torch.jit.script
def clamp_optional_scalars(x: Tensor) -> Tensor:
    return x.clamp(min=0.0).clamp(max=6)


@torch.jit.script
def where_scalar(x: Tensor) -> Tensor:
    return torch.where(x > 0, x, 0.0)


@torch.jit.script
def arange_variants(n: int) -> Tensor:
    return torch.arange(n) + torch.arange(0, n, 2).sum()


@torch.jit.script
def transpose_and_permute(x: Tensor) -> Tensor:
    return x.transpose(0, 1).permute(1, 0).contiguous()


# error: Arguments for call are not valid
@torch.jit.script
def wrong_keyword(x: Tensor) -> Tensor:
    return x.sum(axis=1)


# error: Arguments for call are not valid
@torch.jit.script
def too_many_positional(x: Tensor) -> Tensor:
    return torch.relu(x, 1, 2)


# error: Arguments for call are not valid
@torch.jit.script
def float_where_int_list(x: Tensor) -> Tensor:
    return x.view(2.5)


# error: Arguments for call are not valid
@torch.jit.script
def missing_required(x: Tensor) -> Tensor:
    return torch.cat(dim=0)


# error: Arguments for call are not valid
@torch.jit.script
def str_for_scalar(x: Tensor) -> Tensor:
    return torch.add(x, "2")


# error: Arguments for call are not valid
@torch.jit.script
def tuple_for_tensor(x: Tensor) -> Tensor:
    return torch.relu((x, x))


# error: Argument dim1 not provided
@torch.jit.script
def duplicate_keyword(x: Tensor) -> Tensor:
    return x.transpose(0, dim0=1)


# error: Expected IntList but got Int
@torch.jit.script
def optional_int_to_int_list(x: Tensor, k: Optional[int]) -> Tensor:
    return F.max_pool2d(x, k)


# error: object has no attribute does_not_exist
@torch.jit.script
def unknown_torch_function(x: Tensor) -> Tensor:
    return torch.does_not_exist(x)
