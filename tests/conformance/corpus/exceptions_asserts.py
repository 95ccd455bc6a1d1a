"""raise, assert, del and pass."""

from typing import Dict, List, Optional

import torch
from torch import Tensor


class ShapeError(Exception):
    pass


@torch.jit.script
def raise_value_error(x: Tensor) -> Tensor:
    if x.dim() != 2:
        raise ValueError("expected a 2-D input")
    return x


@torch.jit.script
def raise_with_format(n: int) -> int:
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got {n}")
    return n


@torch.jit.script
def raise_custom_exception(x: Tensor) -> Tensor:
    if x.numel() == 0:
        raise ShapeError("empty")
    return x


@torch.jit.script
def raise_bare_class(n: int) -> int:
    if n == 0:
        raise ZeroDivisionError
    return 10 // n


@torch.jit.script
def assert_with_message(x: Tensor, n: int) -> Tensor:
    assert x.size(0) == n, "batch size mismatch"
    return x


@torch.jit.script
def assert_without_message(xs: List[int]) -> int:
    assert len(xs) > 0
    return xs[0]


@torch.jit.script
def del_list_item(xs: List[int]) -> List[int]:
    del xs[0]
    return xs


@torch.jit.script
def del_dict_key(d: Dict[str, int], k: str) -> Dict[str, int]:
    if k in d:
        del d[k]
    return d


@torch.jit.script
def del_local(x: Tensor) -> Tensor:
    tmp = x * 2
    y = tmp + 1
    del tmp
    return y


@torch.jit.script
def pass_only(x: Tensor) -> None:
    pass


@torch.jit.script
def raise_in_loop(xs: List[int]) -> int:
    for v in xs:
        if v < 0:
            raise ValueError("negative")
    return len(xs)


@torch.jit.script
def not_implemented(x: Tensor, mode: str) -> Tensor:
    if mode == "fast":
        return x
    raise NotImplementedError(mode)


# error: undefined value tmp
@torch.jit.script
def use_after_del(x: Tensor) -> Tensor:
    tmp = x * 2
    del tmp
    return tmp


# error: exceptions must derive from BaseException
@torch.jit.script
def raise_string(n: int) -> int:
    if n < 0:
        raise "negative"
    return n


@torch.jit.script
def raise_from(n: int) -> int:
    if n < 0:
        raise ValueError("bad") from None
    return n


# error: 'NoneType' object has no attribute 'lineno'
@torch.jit.script
def bare_reraise(n: int) -> int:
    if n < 0:
        raise
    return n


# error: We don't have an op for aten::Delete but it isn't a special case
@torch.jit.script
def del_list_item_with_str(t: List[int], k: str) -> List[int]:
    del t[k]
    return t
