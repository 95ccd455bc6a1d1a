"""Optional refinement: `is None`, `is not None`, isinstance, assert, and/or, early exits."""

from typing import Dict, List, Optional, Tuple, Union

import torch
from torch import Tensor


@torch.jit.script
def is_not_none(x: Tensor, bias: Optional[Tensor]) -> Tensor:
    if bias is not None:
        return x + bias
    return x


@torch.jit.script
def is_none_else(x: Optional[int]) -> int:
    if x is None:
        return 0
    else:
        return x + 1


@torch.jit.script
def early_exit_refines(x: Optional[Tensor]) -> Tensor:
    if x is None:
        return torch.zeros(1)
    return x * 2


@torch.jit.script
def raise_refines(x: Optional[Tensor]) -> Tensor:
    if x is None:
        raise ValueError("x is required")
    return x.relu()


@torch.jit.script
def assert_refines(n: Optional[int]) -> int:
    assert n is not None
    return n * 2


@torch.jit.script
def and_refines(a: Optional[int], b: Optional[int]) -> int:
    if a is not None and b is not None:
        return a + b
    return 0


@torch.jit.script
def or_refines(a: Optional[int]) -> int:
    if a is None or a < 0:
        return 0
    return a


@torch.jit.script
def reassign_default(x: Tensor, scale: Optional[float] = None) -> Tensor:
    if scale is None:
        scale = 1.0
    return x * scale


@torch.jit.script
def isinstance_union(v: Union[int, str]) -> str:
    if isinstance(v, int):
        return str(v + 1)
    return v


@torch.jit.script
def isinstance_list(xs: Union[List[int], List[str]]) -> int:
    if isinstance(xs, List[int]):
        return sum(xs)
    return len(xs)


@torch.jit.script
def jit_isinstance_refines(x: Union[Tensor, Tuple[Tensor, Tensor]]) -> Tensor:
    if torch.jit.isinstance(x, Tuple[Tensor, Tensor]):
        return x[0] + x[1]
    return x


@torch.jit.script
def optional_from_dict_get(d: Dict[str, int], key: str) -> int:
    v = d.get(key)
    if v is None:
        return -1
    return v


@torch.jit.script
def refine_in_ternary(x: Optional[int]) -> int:
    return x if x is not None else 0


@torch.jit.script
def optional_list(xs: Optional[List[int]]) -> List[int]:
    out: List[int] = []
    if xs is not None:
        for v in xs:
            out.append(v)
    return out


@torch.jit.script
def unchecked_unwrap(x: Optional[Tensor]) -> Tensor:
    return torch.jit._unwrap_optional(x)


@torch.jit.script
def none_comparison_tensor(x: Tensor, mask: Optional[Tensor] = None) -> Tensor:
    if mask is None:
        mask = torch.ones_like(x)
    return x * mask


# error: Arguments for call are not valid
@torch.jit.script
def use_without_refinement(x: Optional[int]) -> int:
    return x + 1


# error: 'Optional[Tensor]' object has no attribute or method 'relu'
@torch.jit.script
def method_on_optional(x: Optional[Tensor]) -> Tensor:
    return x.relu()


# error: Return value was annotated as having type Tensor but is actually of type Optional[Tensor]
@torch.jit.script
def return_unrefined(x: Optional[Tensor]) -> Tensor:
    return x


# error: Arguments for call are not valid
@torch.jit.script
def refinement_lost_after_branch(x: Optional[int], flag: bool) -> int:
    if flag:
        assert x is not None
    return x * 2


# error: Arguments for call are not valid
@torch.jit.script
def or_does_not_refine(a: Optional[int], b: Optional[int]) -> int:
    if a is not None or b is not None:
        return a + b
    return 0


# error: Arguments for call are not valid
@torch.jit.script
def refine_then_reassign(x: Optional[int], y: Optional[int]) -> int:
    if x is not None:
        x = y
        return x + 1
    return 0


# error: Variable 'v' previously had type int but is now being assigned to a value of type Optional[int]
@torch.jit.script
def optional_assigned_in_loop(d: Dict[str, int]) -> int:
    v = 0
    for k in d.keys():
        v = d.get(k)
    return 0


# error: Arguments for call are not valid
@torch.jit.script
def isinstance_wrong_branch(v: Union[int, str]) -> int:
    if isinstance(v, str):
        return v + 1
    return 0
