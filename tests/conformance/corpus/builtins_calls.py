"""Python builtins TorchScript knows: len, int, float, bool, str, print, range, min, max, abs, round, ..."""

import math
from typing import Dict, List, Tuple

import torch
from torch import Tensor


@torch.jit.script
def conversions(s: str, f: float, n: int) -> Tuple[int, float, bool, str]:
    return int(s), float(n), bool(n), str(f)


@torch.jit.script
def int_of_float_and_tensor(f: float, x: Tensor) -> int:
    return int(f) + int(x.sum())


@torch.jit.script
def print_values(x: Tensor, n: int, name: str) -> None:
    print("x =", x, "n =", n)
    print(name)


@torch.jit.script
def min_max_lists(xs: List[int]) -> int:
    return max(xs) - min(xs)


@torch.jit.script
def min_max_pairs(a: float, b: float, c: int) -> float:
    return max(a, b) + min(a, c)


@torch.jit.script
def abs_and_round(a: float, n: int) -> float:
    return abs(a) + round(a) + abs(n)


# error: Arguments for call are not valid
@torch.jit.script
def round_to_digits(a: float) -> float:
    return round(a, 2)


@torch.jit.script
def sum_of_list(xs: List[float]) -> float:
    return sum(xs)


@torch.jit.script
def all_any(flags: List[bool]) -> bool:
    return all(flags) or any(flags)


@torch.jit.script
def sorted_copy(xs: List[int]) -> List[int]:
    return sorted(xs)


@torch.jit.script
def ord_chr(s: str) -> str:
    return chr(ord(s[0]) + 1)


@torch.jit.script
def divmod_ints(a: int, b: int) -> Tuple[int, int]:
    return divmod(a, b)


@torch.jit.script
def hex_oct_bin(n: int) -> str:
    return hex(n) + oct(n) + bin(n)


@torch.jit.script
def isinstance_checks(x: Tensor, n: int) -> bool:
    return isinstance(x, Tensor) and isinstance(n, int)


@torch.jit.script
def hash_and_id(s: str, n: int) -> int:
    return hash(s) + hash(n)


@torch.jit.script
def list_and_dict_builtins(d: Dict[str, int]) -> List[str]:
    keys = list(d.keys())
    return sorted(keys)


@torch.jit.script
def float_specials(x: float) -> bool:
    return math.isnan(x) or x == float("inf")


# error: range cannot be used as a value
@torch.jit.script
def range_len(n: int) -> int:
    return len(range(n))


# error: builtin cannot be used as a value
@torch.jit.script
def use_map(xs: List[int]) -> List[int]:
    return list(map(abs, xs))


# error: Expected a value of type 'Tensor' for argument '0' but instead found type 'NoneType'
@torch.jit.script
def use_filter(xs: List[int]) -> int:
    return len(list(filter(None, xs)))


# error: getattr's second argument must be a string literal
@torch.jit.script
def use_getattr(x: Tensor, name: str) -> Tensor:
    return getattr(x, name)


# error: Python builtin <built-in function open> is currently not supported in Torchscript
@torch.jit.script
def use_open(path: str) -> str:
    f = open(path)
    return path


# error: Expected a value of type 'Tensor' for argument '0' but instead found type 'List[int]'
@torch.jit.script
def use_set_constructor(xs: List[int]) -> int:
    return len(set(xs))


# error: Arguments for call are not valid
@torch.jit.script
def int_of_list(xs: List[int]) -> int:
    return int(xs)


@torch.jit.script
def len_of_int(n: int) -> int:
    return len(n)


# error: Python builtin <built-in function vars> is currently not supported in Torchscript
@torch.jit.script
def use_vars(x: Tensor) -> int:
    return len(vars(x))


# error: __len__ cannot be used as a value
@torch.jit.script
def sorted_with_key(xs: List[str]) -> List[str]:
    return sorted(xs, key=len)
