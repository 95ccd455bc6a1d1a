"""Undefined names, missing attributes and methods, wrong types passed around."""

from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
from torch import Tensor

EPS = 1e-5


# error: undefined value y
@torch.jit.script
def undefined_local(x: Tensor) -> Tensor:
    return x + y


# error: undefined value helperr
@torch.jit.script
def undefined_function(x: Tensor) -> Tensor:
    return helperr(x)


# error: undefined value i
@torch.jit.script
def loop_variable_after_empty_range(n: int) -> int:
    for i in range(n):
        pass
    return i


# error: undefined value np
@torch.jit.script
def undefined_module(x: Tensor) -> Tensor:
    return np.abs(x)


# error: 'int' object has no attribute or method 'sum'
@torch.jit.script
def int_has_no_sum(n: int) -> int:
    return n.sum()


# error: 'Tensor' object has no attribute or method 'lenght'
@torch.jit.script
def tensor_typo_method(x: Tensor) -> int:
    return x.lenght()


# error: 'float' object has no attribute or method 'item'
@torch.jit.script
def float_has_no_item(v: float) -> float:
    return v.item()


# error: 'str' object has no attribute or method 'size'
@torch.jit.script
def str_has_no_size(s: str) -> int:
    return s.size()


# error: 'List[int]' object has no attribute or method 'shape'
@torch.jit.script
def list_has_no_shape(xs: List[int]) -> int:
    return xs.shape[0]


# error: 'Tuple[int, int]' object has no attribute or method 'index'
@torch.jit.script
def tuple_has_no_index(t: Tuple[int, int]) -> int:
    return t.index(1)


# error: undefined value late_helper
@torch.jit.script
def helper_defined_after_root(x: Tensor) -> Tensor:
    return late_helper(x)


def late_helper(x: Tensor) -> Tensor:
    return x * 2


def typed_helper(x: Tensor) -> Tensor:
    return x * 2


def total(xs: List[int]) -> int:
    return sum(xs)


def count_keys(d: Dict[str, int]) -> int:
    return len(d)


# error: Expected a value of type 'Tensor' for argument 'x' but instead found type 'int'
@torch.jit.script
def int_to_tensor_parameter(n: int) -> Tensor:
    return typed_helper(n)


# error: Expected a value of type 'List[int]' for argument 'xs' but instead found type 'List[float]'
@torch.jit.script
def list_float_for_list_int(v: float) -> int:
    return total(xs=[v, v])


# error: Expected a value of type 'Dict[str, int]' for argument 'd' but instead found type 'Dict[str, str]'
@torch.jit.script
def wrong_dict_value_type(s: str) -> int:
    return count_keys({"a": s})


# error: Expected a value of type 'Tensor' for argument 'x' but instead found type 'Optional[Tensor]'
@torch.jit.script
def optional_passed_as_tensor(x: Optional[Tensor]) -> Tensor:
    return typed_helper(x)


# error: name 'Tensr' is not defined
@torch.jit.script
def misspelled_annotation(x: Tensr) -> Tensor:
    return x


# error: Unknown type name 'np.ndarray'
@torch.jit.script
def numpy_annotation(x: "np.ndarray") -> int:
    return 0


# error: Arguments for call are not valid
@torch.jit.script
def tensor_method_wrong_type(x: Tensor, dims: str) -> Tensor:
    return x.sum(dims)


# error: Arguments for call are not valid
@torch.jit.script
def compare_tensor_with_str(x: Tensor, s: str) -> Tensor:
    return x == s


# error: tuple index must be an integer
@torch.jit.script
def tuple_float_index(t: Tuple[int, int]) -> int:
    return t[1.0]


# error: Unsupported operation: indexing tensor with unsupported index type 'str'
@torch.jit.script
def tensor_str_index(x: Tensor) -> Tensor:
    return x["a"]


# error: python value of type 'float' cannot be used as a value. Perhaps it is a closed over global variable?
@torch.jit.script
def global_float_constant(x: Tensor) -> Tensor:
    return x / (x.std() + EPS)
