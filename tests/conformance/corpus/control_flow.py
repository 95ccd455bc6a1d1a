"""if / elif / else, definedness across branches, early returns, and/or/not, ternaries."""

from typing import List, Optional, Tuple

import torch
from torch import Tensor


@torch.jit.script
def relu_or_neg(x: torch.Tensor, flag: bool) -> torch.Tensor:
    if flag:
        y = torch.relu(x)
    else:
        y = -x
    return y


@torch.jit.script
def sign_bucket(v: int) -> int:
    if v > 0:
        return 1
    elif v < 0:
        return -1
    else:
        return 0


@torch.jit.script
def clamp_scalar(v: float, lo: float, hi: float) -> float:
    if v < lo:
        v = lo
    elif v > hi:
        v = hi
    return v


@torch.jit.script
def early_return(x: Tensor, limit: int) -> Tensor:
    if x.numel() > limit:
        return x[:limit]
    y = x * 2
    return y


@torch.jit.script
def tensor_condition(x: Tensor) -> Tensor:
    if x.sum() > 0:
        x = x - 1
    return x


@torch.jit.script
def ternary(x: Tensor, training: bool) -> Tensor:
    scale = 0.5 if training else 1.0
    return x * scale


@torch.jit.script
def short_circuit(a: int, b: int, c: bool) -> bool:
    return a > 0 and b > 0 or c


@torch.jit.script
def not_and_chain(xs: List[int], n: int) -> bool:
    return not (len(xs) == 0) and 0 <= n < len(xs)


@torch.jit.script
def nested_ifs(x: Tensor, a: bool, b: bool) -> Tensor:
    if a:
        if b:
            x = x + 1
        else:
            x = x - 1
    else:
        x = x * 0
    return x


@torch.jit.script
def defined_in_both(x: Tensor, mode: int) -> Tensor:
    if mode == 0:
        out = x.relu()
    elif mode == 1:
        out = x.sigmoid()
    else:
        out = x.tanh()
    return out


@torch.jit.script
def constant_condition(x: Tensor) -> Tensor:
    if True:
        y = x + 1
    return y


@torch.jit.script
def is_scripting_branch(x: Tensor) -> Tensor:
    if torch.jit.is_scripting():
        return x + 1
    else:
        return x - 1


@torch.jit.script
def pass_branch(x: Tensor, flag: bool) -> Tensor:
    if flag:
        pass
    else:
        x = x + 1
    return x


@torch.jit.script
def return_in_all_branches(n: int) -> str:
    if n % 2 == 0:
        return "even"
    else:
        return "odd"


@torch.jit.script
def if_on_list_truthiness(xs: List[int]) -> int:
    if len(xs) > 0 and xs[0] > 0:
        return xs[0]
    return -1


# error: y is not defined in the false branch
@torch.jit.script
def defined_in_one_branch(x, flag: bool):
    if flag:
        y = x
    return y


# error: out is not defined in the true branch
@torch.jit.script
def defined_only_in_else(x: Tensor, flag: bool) -> Tensor:
    if flag:
        pass
    else:
        out = x * 2
    return out


# error: Type mismatch: y is set to type Tensor in the true branch and type int in the false branch
@torch.jit.script
def branch_type_mismatch(x: Tensor, flag: bool) -> Tensor:
    if flag:
        y = x
    else:
        y = 0
    return y


# error: label is not defined in the false branch
@torch.jit.script
def branch_type_mismatch_elif(v: float) -> str:
    if v > 0:
        label = "pos"
    elif v < 0:
        label = "neg"
    else:
        label = 0.0
    return str(label)


# error: Previous return statement returned a value of type Tensor but this return statement returns a value of type int
@torch.jit.script
def return_types_differ(x: Tensor, flag: bool):
    if flag:
        return x
    return 0


# error: Previous return statement returned a value of type str but this return statement returns a value of type float
@torch.jit.script
def return_types_differ_elif(n: int):
    if n > 0:
        return "pos"
    elif n < 0:
        return "neg"
    return 0.0


# error: if-expression's true branch has type Tensor but false branch has type int
@torch.jit.script
def ternary_mismatch(x: Tensor, flag: bool) -> Tensor:
    y = x if flag else 0
    return y


# error: Function was not annotated as having type None, but does not return along all paths
@torch.jit.script
def missing_return_path(n: int) -> int:
    if n > 0:
        return n


@torch.jit.script
def if_on_string(s: str) -> int:
    if s:
        return 1
    return 0


# error: Could not cast value of type Tuple[int, int] to bool
@torch.jit.script
def if_on_tuple(t: Tuple[int, int]) -> int:
    if t:
        return t[0]
    return 0


@torch.jit.script
def while_on_list(xs: List[int]) -> int:
    n = 0
    while xs:
        n += xs.pop()
    return n
