"""Assignments: plain, tuple unpacking, augmented, annotated, subscripted, chained."""

from typing import Dict, List, Optional, Tuple

import torch
from torch import Tensor


@torch.jit.script
def tuple_unpack(x: Tensor) -> Tensor:
    a, b = x.chunk(2)
    return a - b


@torch.jit.script
def nested_unpack(p: Tuple[int, Tuple[float, str]]) -> float:
    n, (scale, name) = p
    return n * scale


@torch.jit.script
def swap(a: int, b: int) -> Tuple[int, int]:
    a, b = b, a
    return a, b


@torch.jit.script
def starred_unpack(t: Tuple[int, int, int]) -> int:
    first, *rest = t
    return first


@torch.jit.script
def augmented(x: Tensor, n: int) -> Tensor:
    n += 1
    n *= 2
    x += n
    x -= 1
    x /= 2
    return x


@torch.jit.script
def augmented_list(xs: List[int]) -> List[int]:
    xs += [1, 2]
    xs *= 2
    return xs


@torch.jit.script
def annotated_assign(n: int) -> List[int]:
    out: List[int] = []
    total: float = 0.0
    for i in range(n):
        out.append(i)
        total += i
    return out


@torch.jit.script
def annotate_empty_dict() -> Dict[str, Tensor]:
    d = torch.jit.annotate(Dict[str, Tensor], {})
    d["zero"] = torch.zeros(1)
    return d


@torch.jit.script
def subscript_assign(x: Tensor, xs: List[int], d: Dict[str, int]) -> Tensor:
    x[0] = 1.0
    x[1:3] = 0.0
    xs[0] = 5
    d["k"] = xs[0]
    return x


@torch.jit.script
def augmented_subscript(xs: List[int], d: Dict[str, int]) -> int:
    xs[0] += 1
    d["n"] += xs[0]
    return d["n"]


@torch.jit.script
def chained_assign(x: Tensor) -> Tensor:
    a = b = x * 2
    return a + b


@torch.jit.script
def optional_annotated(flag: bool) -> int:
    v: Optional[int] = None
    if flag:
        v = 3
    if v is None:
        return 0
    return v


@torch.jit.script
def tensor_masked_assign(x: Tensor) -> Tensor:
    x[x < 0] = 0.0
    return x


@torch.jit.script
def unpack_from_list(x: Tensor) -> Tensor:
    h, w = x.shape[-2:]
    return x.view(h * w)


# error: Variable 'n' previously had type int but is now being assigned to a value of type float
@torch.jit.script
def reassign_other_type(n: int, flag: bool) -> float:
    if flag:
        n = 2.5
    return n


# error: Variable 'y' previously had type Tensor but is now being assigned to a value of type str
@torch.jit.script
def reassign_in_loop(x: Tensor, n: int) -> Tensor:
    y = x + 1
    for i in range(n):
        y = "done"
    return x


@torch.jit.script
def rebind_straight_line(n: int) -> float:
    n = 2.5
    return n


# error: Variable 'total' is annotated with type int but is being assigned to a value of type float
@torch.jit.script
def annotated_mismatch(x: float) -> int:
    total: int = x * 2
    return total


# error: too many values to unpack: need 2 but found 3
@torch.jit.script
def unpack_too_many(t: Tuple[int, int, int]) -> int:
    a, b = t
    return a + b


# error: need 3 values to unpack but found only 2
@torch.jit.script
def unpack_too_few(t: Tuple[int, int]) -> int:
    a, b, c = t
    return a + b + c


# error: Tried to set an attribute: extra on a non-class: Tensor
@torch.jit.script
def assign_to_attribute(x: Tensor) -> Tensor:
    x.extra = 1
    return x


# error: Tuple[int, int] does not support subscripted assignment
@torch.jit.script
def tuple_item_assign(t: Tuple[int, int]) -> Tuple[int, int]:
    t[0] = 1
    return t


# error: Arguments for call are not valid
@torch.jit.script
def augmented_str_int(n: int) -> int:
    n += "1"
    return n


# error: Dict[str, int]
@torch.jit.script
def empty_dict_inferred_wrong() -> Dict[str, int]:
    d = {}
    d["a"] = 1
    return d
