"""while and for: range, lists, tuples, strings, dicts, enumerate, zip, tensors; break/continue."""

from typing import Dict, List, Tuple

import torch
from torch import Tensor


@torch.jit.script
def while_countdown(n: int) -> int:
    total = 0
    while n > 0:
        total += n
        n -= 1
    return total


@torch.jit.script
def for_range(x: Tensor, n: int) -> Tensor:
    for _ in range(n):
        x = x * 2
    return x


@torch.jit.script
def for_range_start_stop_step(n: int) -> List[int]:
    out: List[int] = []
    for i in range(2, n, 3):
        out.append(i)
    return out


@torch.jit.script
def for_over_list(xs: List[Tensor]) -> Tensor:
    acc = torch.zeros(1)
    for x in xs:
        acc = acc + x
    return acc


@torch.jit.script
def for_over_tuple(t: Tuple[int, float, bool]) -> str:
    s = ""
    for v in t:
        s += str(v)
    return s


@torch.jit.script
def for_over_string(word: str) -> int:
    vowels = 0
    for ch in word:
        if ch in "aeiou":
            vowels += 1
    return vowels


@torch.jit.script
def for_over_dict_keys(d: Dict[str, int]) -> int:
    total = 0
    for k in d:
        total += d[k]
    return total


@torch.jit.script
def for_over_dict_items(d: Dict[str, Tensor]) -> List[str]:
    names: List[str] = []
    for name, t in d.items():
        if t.numel() > 0:
            names.append(name)
    return names


@torch.jit.script
def for_over_dict_values(d: Dict[int, float]) -> float:
    m = 0.0
    for v in d.values():
        m = max(m, v)
    return m


@torch.jit.script
def for_enumerate(xs: List[float]) -> float:
    acc = 0.0
    for i, v in enumerate(xs):
        acc += i * v
    return acc


@torch.jit.script
def for_enumerate_start(xs: List[str]) -> List[str]:
    out: List[str] = []
    for i, s in enumerate(xs, 1):
        out.append(str(i) + s)
    return out


@torch.jit.script
def for_zip(a: List[int], b: List[int]) -> List[int]:
    out: List[int] = []
    for x, y in zip(a, b):
        out.append(x * y)
    return out


@torch.jit.script
def for_over_tensor(x: Tensor) -> List[Tensor]:
    rows: List[Tensor] = []
    for row in x:
        rows.append(row.sum())
    return rows


@torch.jit.script
def break_and_continue(xs: List[int]) -> int:
    total = 0
    for v in xs:
        if v < 0:
            continue
        if v > 100:
            break
        total += v
    return total


@torch.jit.script
def while_true_break(n: int) -> int:
    i = 0
    while True:
        i += 1
        if i * i > n:
            break
    return i


@torch.jit.script
def nested_loops(n: int, m: int) -> int:
    count = 0
    for i in range(n):
        for j in range(m):
            if (i + j) % 2 == 0:
                count += 1
    return count


@torch.jit.script
def loop_carried_tensor(x: Tensor, steps: int) -> Tensor:
    h = torch.zeros_like(x)
    for t in range(steps):
        h = torch.tanh(x + h)
    return h


@torch.jit.script
def return_inside_loop(xs: List[int], target: int) -> int:
    for i in range(len(xs)):
        if xs[i] == target:
            return i
    return -1


@torch.jit.script
def reversed_range(n: int) -> List[int]:
    out: List[int] = []
    for i in range(n - 1, -1, -1):
        out.append(i)
    return out


@torch.jit.script
def for_over_list_literal(x: Tensor) -> Tensor:
    for k in [1, 2, 3]:
        x = x + k
    return x


@torch.jit.script
def zip_three(a: List[int], b: List[float], c: List[str]) -> int:
    n = 0
    for x, y, z in zip(a, b, c):
        n += x + len(z)
    return n


# error: Variable 'x' previously had type Tensor but is now being assigned to a value of type int
@torch.jit.script
def loop_changes_type(x: Tensor, n: int) -> Tensor:
    for i in range(n):
        x = i
    return x


# error: undefined value last
@torch.jit.script
def defined_only_in_loop(xs: List[int]) -> int:
    for v in xs:
        last = v
    return last


# error: else branches of for loops aren't supported
@torch.jit.script
def for_else(xs: List[int]) -> int:
    for v in xs:
        if v == 0:
            break
    else:
        return 1
    return 0


# error: incompatible constructor arguments
@torch.jit.script
def while_else(n: int) -> int:
    while n > 0:
        n -= 1
    else:
        n = -1
    return n


# error: 'int' object is not iterable
@torch.jit.script
def iterate_over_int(n: int) -> int:
    total = 0
    for i in n:
        total += i
    return total


# error: range expected at most 3 arguments, got 4
@torch.jit.script
def range_too_many(n: int) -> int:
    total = 0
    for i in range(0, n, 1, 1):
        total += i
    return total


@torch.jit.script
def tuple_loop_rebinds_types(t: Tuple[int, str]) -> int:
    acc = 0
    for v in t:
        acc = v
    return 0



# error: Arguments for call are not valid
@torch.jit.script
def tuple_loop_mixed_add(t: Tuple[int, str]) -> int:
    acc = 0
    for v in t:
        acc += v
    return acc


# error: Python builtin <built-in function iter> is currently not supported in Torchscript
@torch.jit.script
def manual_iter(xs: List[int]) -> int:
    it = iter(xs)
    return next(it)
