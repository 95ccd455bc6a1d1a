"""Lists, dicts and tuples: literals, methods, indexing, slicing, nesting, inference of empty containers."""

from typing import Dict, List, Optional, Tuple

import torch
from torch import Tensor


@torch.jit.script
def list_methods(xs: List[int]) -> List[int]:
    xs.append(4)
    xs.extend([5, 6])
    xs.insert(0, -1)
    last = xs.pop()
    xs.remove(-1)
    xs.sort()
    return xs + [last]


@torch.jit.script
def list_queries(xs: List[int], v: int) -> Tuple[int, int, bool]:
    return xs.index(v), xs.count(v), v in xs


@torch.jit.script
def list_slicing(xs: List[float]) -> List[float]:
    head = xs[:2]
    tail = xs[-2:]
    step = xs[::2]
    return head + tail + step


@torch.jit.script
def list_negative_index(xs: List[str]) -> str:
    return xs[-1]


@torch.jit.script
def list_of_tensors(x: Tensor, y: Tensor) -> Tensor:
    parts = [x, y, x * y]
    return torch.cat(parts, dim=0)


@torch.jit.script
def nested_lists(n: int) -> List[List[int]]:
    grid: List[List[int]] = []
    for i in range(n):
        grid.append([i] * n)
    return grid


@torch.jit.script
def list_clear_copy(xs: List[int]) -> List[int]:
    ys = xs.copy()
    xs.clear()
    return ys


@torch.jit.script
def dict_methods(d: Dict[str, int]) -> List[str]:
    d["new"] = 1
    d.update({"other": 2})
    n = d.pop("new")
    d.setdefault("x", n)
    keys = list(d.keys())
    return keys


@torch.jit.script
def dict_get_default(d: Dict[str, float], k: str) -> float:
    return d.get(k, 0.0)


@torch.jit.script
def dict_contains(d: Dict[int, Tensor], k: int) -> bool:
    return k in d and d[k].numel() > 0


@torch.jit.script
def dict_literal(x: Tensor) -> Dict[str, Tensor]:
    return {"x": x, "double": x * 2}


@torch.jit.script
def dict_with_int_keys(n: int) -> Dict[int, str]:
    d: Dict[int, str] = {}
    for i in range(n):
        d[i] = str(i)
    return d


@torch.jit.script
def tuple_indexing(t: Tuple[Tensor, int, str]) -> int:
    return t[1] + len(t[2])


@torch.jit.script
def tuple_slicing(t: Tuple[int, int, int, int]) -> Tuple[int, int]:
    return t[1:3]


@torch.jit.script
def tuple_negative_index(t: Tuple[int, str]) -> str:
    return t[-1]


@torch.jit.script
def tuple_of_lists(n: int) -> Tuple[List[int], List[str]]:
    nums: List[int] = []
    names: List[str] = []
    for i in range(n):
        nums.append(i)
        names.append(str(i))
    return nums, names


@torch.jit.script
def len_of_everything(xs: List[int], d: Dict[str, int], s: str, x: Tensor) -> int:
    return len(xs) + len(d) + len(s) + len(x)


@torch.jit.script
def list_of_optional(xs: List[Optional[int]]) -> int:
    total = 0
    for v in xs:
        if v is not None:
            total += v
    return total


@torch.jit.script
def list_equality(a: List[int], b: List[int]) -> bool:
    return a == b or a != b[::-1]


@torch.jit.script
def empty_list_defaults_to_tensor(x: Tensor) -> List[Tensor]:
    out = []
    out.append(x)
    return out


@torch.jit.script
def list_constructor(t: Tuple[int, int]) -> List[int]:
    return list([t[0], t[1]])


# error: Could not match type int to t in argument 'el'
@torch.jit.script
def append_int_to_inferred_list(n: int) -> List[int]:
    out = []
    out.append(n)
    return out


@torch.jit.script
def heterogeneous_list(x: Tensor) -> int:
    xs = [1, "two", x]
    return len(xs)


@torch.jit.script
def heterogeneous_dict(x: Tensor) -> int:
    d = {"a": 1, "b": x}
    return len(d)


# error: Cannot index into a Tuple[int, str] with a non-integer literal
@torch.jit.script
def tuple_dynamic_index(t: Tuple[int, str], i: int) -> int:
    return t[i]


# error: Tuple index out of range
@torch.jit.script
def tuple_index_out_of_range(t: Tuple[int, int]) -> int:
    return t[2]


# error: Set aren't supported
@torch.jit.script
def set_literal(a: int, b: int) -> int:
    s = {a, b}
    return len(s)


# error: Arguments for call are not valid
@torch.jit.script
def list_index_with_str(xs: List[int]) -> int:
    return xs["0"]


# error: Arguments for call are not valid
@torch.jit.script
def dict_wrong_key_type(d: Dict[str, int]) -> int:
    return d[0]


# error: 'List[int]' object has no attribute or method 'add'
@torch.jit.script
def list_has_no_add(xs: List[int]) -> List[int]:
    xs.add(1)
    return xs


# error: Unknown type constructor frozenset
@torch.jit.script
def frozenset_annotation(s: frozenset[int]) -> int:
    return len(s)
