"""torch.nn.functional calls and the math module."""

import math
from typing import List, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor


@torch.jit.script
def activations(x: Tensor) -> Tensor:
    return F.relu(x) + F.gelu(x) + F.silu(x) + F.leaky_relu(x, 0.2)


@torch.jit.script
def softmax_cross_entropy(logits: Tensor, target: Tensor) -> Tensor:
    return F.cross_entropy(F.log_softmax(logits, dim=-1), target)


@torch.jit.script
def linear_layer(x: Tensor, w: Tensor, b: Optional[Tensor]) -> Tensor:
    return F.linear(x, w, b)


@torch.jit.script
def conv_and_pool(x: Tensor, w: Tensor) -> Tensor:
    y = F.conv2d(x, w, padding=1)
    return F.max_pool2d(y, kernel_size=2, stride=2)


@torch.jit.script
def pad_and_interpolate(x: Tensor) -> Tensor:
    y = F.pad(x, [1, 1, 1, 1])
    return F.interpolate(y, scale_factor=2.0, mode="nearest")


@torch.jit.script
def dropout_in_eval(x: Tensor, training: bool) -> Tensor:
    return F.dropout(x, p=0.5, training=training)


@torch.jit.script
def normalize_layer_norm(x: Tensor) -> Tensor:
    return F.layer_norm(F.normalize(x, dim=1), [x.size(-1)])


@torch.jit.script
def embedding_lookup(idx: Tensor, table: Tensor) -> Tensor:
    return F.embedding(idx, table)


@torch.jit.script
def math_functions(a: float, n: int) -> float:
    return math.sqrt(a) + math.log(a + 1) + math.exp(-a) + math.floor(a) + math.pow(a, n)


@torch.jit.script
def math_constants(r: float) -> float:
    return math.pi * r * r + math.e


@torch.jit.script
def math_trig(t: float) -> float:
    return math.sin(t) ** 2 + math.cos(t) ** 2 + math.atan2(t, 1.0)


@torch.jit.script
def math_on_ints(n: int) -> int:
    return math.gcd(n, 12) + math.factorial(3) + math.ceil(n / 2)


@torch.jit.script
def math_inf_checks(x: float) -> bool:
    return math.isinf(x) or math.isfinite(x)


@torch.jit.script
def torch_math_mix(x: Tensor, t: float) -> Tensor:
    return torch.sin(x) * math.cos(t) + torch.exp(x).log1p()


@torch.jit.script
def one_hot_and_argmax(labels: Tensor, n: int) -> Tensor:
    return F.one_hot(labels, n).argmax(dim=-1)


@torch.jit.script
def math_sqrt_of_tensor(x: Tensor) -> float:
    return math.sqrt(x)


# error: Keyword argument dims unknown
@torch.jit.script
def functional_wrong_keyword(x: Tensor) -> Tensor:
    return F.softmax(x, dims=1)


# error: Python builtin <built-in function prod> is currently not supported in Torchscript
@torch.jit.script
def math_prod(xs: List[int]) -> int:
    return math.prod(xs)


# error: Expected a value of type 'List[int]' for argument 'pad' but instead found type 'int'
@torch.jit.script
def pad_with_int(x: Tensor) -> Tensor:
    return F.pad(x, 1)
