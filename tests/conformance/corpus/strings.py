"""Strings: f-strings, str.format, %-formatting, methods, slicing, iteration, comparisons."""

from typing import List, Tuple

import torch
from torch import Tensor


@torch.jit.script
def f_string(name: str, n: int, x: float) -> str:
    return f"{name}: {n} items, mean {x}"


@torch.jit.script
def f_string_with_tensor(x: Tensor) -> str:
    return f"shape={x.shape} dtype={x.dtype}"


@torch.jit.script
def f_string_expression(a: int, b: int) -> str:
    return f"{a} + {b} = {a + b}"


@torch.jit.script
def str_format(name: str, value: float) -> str:
    return "{}={}".format(name, value)


@torch.jit.script
def percent_format(n: int, s: str) -> str:
    return "%d items in %s" % (n, s)


@torch.jit.script
def string_methods(s: str) -> List[str]:
    return s.strip().lower().replace("-", "_").split("_")


@torch.jit.script
def string_predicates(s: str) -> bool:
    return s.startswith("x") or s.endswith(".pt") or s.isdigit()


@torch.jit.script
def string_join(parts: List[str]) -> str:
    return ", ".join(parts)


@torch.jit.script
def string_slicing(s: str) -> Tuple[str, str, str]:
    return s[0], s[1:3], s[::-1]


@torch.jit.script
def string_find(s: str, sub: str) -> int:
    return s.find(sub) + s.count(sub)


@torch.jit.script
def string_comparison(a: str, b: str) -> bool:
    return a < b or a == b.upper()


@torch.jit.script
def string_in(needle: str, hay: str) -> bool:
    return needle in hay


@torch.jit.script
def string_multiline_literal(x: Tensor) -> Tensor:
    doc = """a
    multi-line string"""
    return x + len(doc)


@torch.jit.script
def string_concat_implicit() -> str:
    return "abc" "def"


@torch.jit.script
def string_zfill_and_pad(n: int) -> str:
    return str(n).zfill(4).ljust(6) + str(n).rjust(6, "*")


# error: Don't support formatting in JoinedStr
@torch.jit.script
def f_string_format_spec(x: float) -> str:
    return f"{x:.2f}"


# error: Don't support conversion in JoinedStr
@torch.jit.script
def f_string_conversion(s: str) -> str:
    return f"{s!r}"


# error: Arguments for call are not valid
@torch.jit.script
def string_split_maxsplit_keyword_str(s: str) -> List[str]:
    return s.split(",", "2")


# error: 'str' object has no attribute or method 'decode'
@torch.jit.script
def string_decode(s: str) -> str:
    return s.decode()


# error: Unknown Constant expression type
@torch.jit.script
def bytes_literal(x: Tensor) -> int:
    b = b"abc"
    return len(b)


# error: Arguments for call are not valid
@torch.jit.script
def string_index_float(s: str) -> str:
    return s[1.0]
