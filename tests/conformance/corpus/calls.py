"""Calls between script functions: helpers, defaults, keywords, @ignore, @unused, @_overload, recursion."""

from typing import List, Optional, Tuple

import torch
from torch import Tensor


def scale(x: Tensor, factor: float = 2.0) -> Tensor:
    return x * factor


def normalize(x: Tensor, eps: float = 1e-5) -> Tensor:
    return (x - x.mean()) / (x.std() + eps)


def pair_stats(xs: List[float]) -> Tuple[float, float]:
    return min(xs), max(xs)


@torch.jit.script
def calls_helper(x: Tensor) -> Tensor:
    return scale(x)


@torch.jit.script
def calls_helper_keyword(x: Tensor) -> Tensor:
    return scale(x, factor=0.5)


@torch.jit.script
def calls_two_helpers(x: Tensor) -> Tensor:
    return normalize(scale(x, 3.0))


@torch.jit.script
def calls_tuple_helper(xs: List[float]) -> float:
    lo, hi = pair_stats(xs)
    return hi - lo


def level2(n: int) -> int:
    return n + 1


def level1(n: int) -> int:
    return level2(n) * 2


@torch.jit.script
def calls_transitively(n: int) -> int:
    return level1(n) + level2(n)


@torch.jit.ignore
def python_only_debug(x: Tensor) -> Tensor:
    return x


@torch.jit.script
def calls_ignored(x: Tensor) -> Tensor:
    return python_only_debug(x) + 1


@torch.jit.unused
def not_compiled(x: Tensor) -> Tensor:
    import numpy
    return x


@torch.jit.script
def calls_unused(x: Tensor, flag: bool) -> Tensor:
    if flag:
        return not_compiled(x)
    return x


@torch.jit._overload
def double(x: int) -> int:
    pass


@torch.jit._overload
def double(x: str) -> str:  # noqa: F811
    pass


def double(x):  # noqa: F811
    return x + x


@torch.jit.script
def calls_overloads(n: int, s: str) -> str:
    return str(double(n)) + double(s)


@torch.jit.script
def calls_scripted_root(x: Tensor) -> Tensor:
    return calls_helper(x) + 1


def optional_helper(x: Tensor, mask: Optional[Tensor] = None) -> Tensor:
    if mask is not None:
        return x * mask
    return x


@torch.jit.script
def calls_with_optional(x: Tensor, m: Tensor) -> Tensor:
    return optional_helper(x) + optional_helper(x, m)


def untyped_helper(a, b):
    return a * b


@torch.jit.script
def calls_untyped_helper(x: Tensor) -> Tensor:
    return untyped_helper(x, x)


def bad_helper(n: int) -> int:
    return n.sum()


def recursive(n: int) -> int:
    if n <= 1:
        return 1
    return n * recursive(n - 1)


# error: 'int' object has no attribute or method 'sum'
@torch.jit.script
def calls_bad_helper(n: int) -> int:
    return bad_helper(n) + 1


# error: 'int' object has no attribute or method 'sum'
@torch.jit.script
def calls_bad_helper_in_loop(xs: List[int]) -> int:
    total = 0
    for v in xs:
        total += bad_helper(v)
    return total


# error: Recursive calls are not supported
@torch.jit.script
def calls_recursive(n: int) -> int:
    return recursive(n)


# error: Expected a value of type 'float' for argument 'factor' but instead found type 'str'
@torch.jit.script
def helper_wrong_argument_type(x: Tensor) -> Tensor:
    return scale(x, "2")


# error: Expected at most 2 arguments but found 3 positional arguments
@torch.jit.script
def helper_too_many_arguments(x: Tensor) -> Tensor:
    return scale(x, 2.0, 3.0)


# error: Argument x not provided
@torch.jit.script
def helper_missing_argument() -> Tensor:
    return scale()


# error: Keyword argument fctor unknown
@torch.jit.script
def helper_unknown_keyword(x: Tensor) -> Tensor:
    return scale(x, fctor=2.0)


# error: Expected a value of type 'int' for argument 'x' but instead found type 'float'
@torch.jit.script
def overload_no_match(f: float) -> float:
    return double(f)


# error: function definitions aren't supported
@torch.jit.script
def nested_def(x: Tensor) -> Tensor:
    def inner(y: Tensor) -> Tensor:
        return y * 2
    return inner(x)
