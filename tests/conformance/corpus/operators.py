"""Operators on Tensor, int, float, bool, str and lists: arithmetic, comparison, bitwise, membership, identity."""

from typing import List, Optional, Tuple

import torch
from torch import Tensor


@torch.jit.script
def tensor_arith(x: Tensor, y: Tensor) -> Tensor:
    return (x + y) * (x - y) / (y ** 2 + 1)


@torch.jit.script
def tensor_scalar_mixed(x: Tensor, k: int, f: float) -> Tensor:
    return 2 * x + k - f / x


@torch.jit.script
def int_arith(a: int, b: int) -> Tuple[int, int, float, float]:
    return a // b, a % b, a ** 2, a / b


@torch.jit.script
def float_int_mixed(a: float, b: int) -> float:
    return a * b + b - a ** 0.5


@torch.jit.script
def matmul_operator(a: Tensor, b: Tensor) -> Tensor:
    return a @ b


@torch.jit.script
def unary_ops(x: Tensor, n: int, b: bool) -> Tuple[Tensor, int, bool, Tensor]:
    return -x, -n, not b, ~(x > 0)


@torch.jit.script
def bitwise_ints(a: int, b: int) -> int:
    return (a & b) | (a ^ b) << 1 >> 1


@torch.jit.script
def bitwise_tensors(m: Tensor, k: Tensor) -> Tensor:
    return (m & k) | ~m


@torch.jit.script
def comparisons(a: int, b: float, s: str) -> bool:
    return a < b and b >= 1.0 and s != "x" and a == 3


@torch.jit.script
def chained_comparison(lo: int, v: int, hi: int) -> bool:
    return lo <= v < hi


@torch.jit.script
def tensor_comparisons(x: Tensor, y: Tensor) -> Tensor:
    return (x > y) & (x != 0)


@torch.jit.script
def membership(xs: List[int], s: str, v: int) -> bool:
    return v in xs and "a" not in s


@torch.jit.script
def identity_checks(x: Optional[Tensor], y: Optional[int]) -> bool:
    return x is None or y is not None


@torch.jit.script
def string_ops(a: str, b: str) -> str:
    return a + b + a


@torch.jit.script
def list_ops(a: List[int], b: List[int]) -> List[int]:
    return a + b + a * 2


@torch.jit.script
def bool_arith(a: bool, b: bool) -> int:
    return int(a) + int(b)


@torch.jit.script
def float_floor_div(a: float, b: float) -> float:
    return a // b + a % b


@torch.jit.script
def reverse_operators(x: Tensor) -> Tensor:
    return 1 - x + 2 / x


@torch.jit.script
def inplace_tensor_ops(x: Tensor, y: Tensor) -> Tensor:
    x.add_(y)
    x.mul_(2)
    return x


@torch.jit.script
def unicode_in_line(x: Tensor, s: str) -> Tensor:
    label = "µ-σ: " + s; n = len(label)
    return x * n


# error: Arguments for call are not valid
@torch.jit.script
def str_plus_int(s: str, n: int) -> str:
    return s + n


# error: Arguments for call are not valid
@torch.jit.script
def tensor_plus_str(x: Tensor) -> Tensor:
    return x + "1"


# error: Arguments for call are not valid
@torch.jit.script
def list_minus_list(a: List[int], b: List[int]) -> List[int]:
    return a - b


# error: Arguments for call are not valid
@torch.jit.script
def matmul_ints(a: int, b: int) -> int:
    return a @ b


# error: Arguments for call are not valid
@torch.jit.script
def compare_str_int(s: str, n: int) -> bool:
    return s < n


# error: Arguments for call are not valid
@torch.jit.script
def bitwise_on_float(a: float, b: int) -> float:
    return a & b


# error: Arguments for call are not valid
@torch.jit.script
def in_wrong_container_type(xs: List[str], v: int) -> bool:
    return v in xs


# error: Arguments for call are not valid
@torch.jit.script
def negate_string(s: str) -> str:
    return -s


# error: Arguments for call are not valid
@torch.jit.script
def invert_int(n: int) -> int:
    return ~n


# error: Arguments for call are not valid
@torch.jit.script
def repeat_string(s: str, n: int) -> str:
    return s * n
