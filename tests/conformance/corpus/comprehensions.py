"""List and dict comprehensions; generator expressions and set comprehensions are rejected."""

from typing import Dict, List, Tuple

import torch
from torch import Tensor


@torch.jit.script
def squares(n: int) -> List[int]:
    return [i * i for i in range(n)]


# error: Comprehension ifs are not supported yet
@torch.jit.script
def filtered(xs: List[int]) -> List[int]:
    return [x for x in xs if x % 2 == 0]


@torch.jit.script
def over_tensors(xs: List[Tensor]) -> List[Tensor]:
    return [x.relu() for x in xs]


@torch.jit.script
def over_tensor_rows(x: Tensor) -> List[float]:
    return [float(row.sum()) for row in x]


@torch.jit.script
def dict_comprehension(names: List[str]) -> Dict[str, int]:
    return {name: len(name) for name in names}


@torch.jit.script
def dict_comprehension_items(d: Dict[str, int]) -> Dict[str, int]:
    return {k: v * 2 for k, v in d.items()}


@torch.jit.script
def comprehension_over_enumerate(xs: List[float]) -> List[float]:
    return [i * v for i, v in enumerate(xs)]


@torch.jit.script
def comprehension_over_zip(a: List[int], b: List[int]) -> List[int]:
    return [x + y for x, y in zip(a, b)]


@torch.jit.script
def comprehension_then_stack(x: Tensor, n: int) -> Tensor:
    return torch.stack([x * i for i in range(n)])


@torch.jit.script
def comprehension_uses_outer(xs: List[int], k: int) -> List[int]:
    return [x * k for x in xs]


# error: Comprehension ifs are not supported yet
@torch.jit.script
def comprehension_two_ifs(xs: List[int]) -> List[int]:
    return [x for x in xs if x > 0 if x < 10]


# error: Only a single generator is currently supported
@torch.jit.script
def nested_comprehension(n: int) -> List[int]:
    return [i * j for i in range(n) for j in range(n)]


@torch.jit.script
def generator_expression(xs: List[int]) -> int:
    return sum(x * x for x in xs)


# error: SetComp aren't supported
@torch.jit.script
def set_comprehension(xs: List[int]) -> int:
    return len({x for x in xs})


# error: Comprehension ifs are not supported yet
@torch.jit.script
def dict_comprehension_if(names: List[str]) -> Dict[str, int]:
    return {n: len(n) for n in names if len(n) > 1}
