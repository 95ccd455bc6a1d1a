"""Python syntax TorchScript rejects: try, with, lambda, global, nonlocal, yield, async, star args, ..."""

from typing import Dict, List, Tuple

import torch
from torch import Tensor

COUNTER = 0


# error: try blocks aren't supported
@torch.jit.script
def try_except(x: Tensor) -> Tensor:
    try:
        return x.inverse()
    except RuntimeError:
        return x


# error: try blocks aren't supported
@torch.jit.script
def try_finally(xs: List[int]) -> int:
    total = 0
    try:
        for v in xs:
            total += v
    finally:
        total = -total
    return total


# error: lambda
@torch.jit.script
def uses_lambda(xs: List[int]) -> int:
    f = lambda v: v * 2
    return f(xs[0])


# error: global variables aren't supported
@torch.jit.script
def uses_global_statement(n: int) -> int:
    global COUNTER
    COUNTER += n
    return n


# error: function definitions aren't supported
@torch.jit.script
def uses_nonlocal(n: int) -> int:
    def bump() -> None:
        nonlocal n
        n += 1
    bump()
    return n


# error: Yield
@torch.jit.script
def generator(n: int) -> int:
    for i in range(n):
        yield i
    return n


# error: Expected a single top-level function
@torch.jit.script
async def coroutine(x: Tensor) -> Tensor:
    return x


# error: Compiled functions can't take variable number of arguments or use keyword-only arguments with defaults
@torch.jit.script
def star_args_and_kwargs(*args: int, **kwargs: int) -> int:
    return 0


# error: cannot statically infer the expected size of a list in this context
@torch.jit.script
def star_call(xs: List[int]) -> int:
    return max(*xs)


# error: keyword-arg expansion is not supported
@torch.jit.script
def double_star_call(d: Dict[str, int]) -> Tensor:
    return torch.zeros(**d)


# error: class definitions aren't supported
@torch.jit.script
def class_in_function(x: Tensor) -> Tensor:
    class Local:
        pass
    return x


# error: import statements aren't supported
@torch.jit.script
def import_in_function(x: Tensor) -> Tensor:
    import math
    return x * math.pi


# error: Unknown builtin op: aten::enable_grad
@torch.jit.script
def with_unsupported_context(x: Tensor) -> Tensor:
    with torch.no_grad(), torch.enable_grad():
        y = x + 1
    return y


# error: NamedExpr aren't supported
@torch.jit.script
def walrus(xs: List[int]) -> int:
    if (n := len(xs)) > 2:
        return n
    return 0


# error: Match aren't supported
@torch.jit.script
def match_statement(n: int) -> int:
    match n:
        case 0:
            return 1
        case _:
            return n


# error: Cannot emit expr for: (dots)
@torch.jit.script
def ellipsis_value(x: Tensor) -> Tensor:
    e = ...
    return x


# error: function definitions aren't supported
@torch.jit.script
def closure_over_loop(xs: List[int]) -> List[int]:
    out: List[int] = []
    for v in xs:
        def add(a: int) -> int:
            return a + v
        out.append(add(1))
    return out


@torch.jit.script
def del_two_items(d: Dict[str, int]) -> int:
    del d["a"], d["b"]
    return len(d)


@torch.jit.script
def fstring_nested(name: str) -> str:
    return f"{f'{name}'}"


@torch.jit.script
def complex_literal(x: Tensor) -> Tensor:
    return x * 2j


# error: Python builtin <built-in function globals> is currently not supported in Torchscript
@torch.jit.script
def uses_globals_builtin(n: int) -> int:
    return len(globals())


# error: try blocks aren't supported
@torch.jit.script
def try_with_else(x: Tensor) -> Tensor:
    try:
        y = x * 2
    except Exception as e:
        raise e
    else:
        y = y + 1
    return y
