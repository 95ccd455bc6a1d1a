"""autograd.Function.apply (PythonOp), torch.jit.annotate / is_scripting / fork / wait, and friends."""

import warnings
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
from torch import Tensor


class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return 2 * x * grad


@torch.jit.script
def calls_autograd_function(x: Tensor) -> Tensor:
    return Square.apply(x) + 1


class UsesAutogradFunction(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return Square.apply(x).sum()


uses_autograd_function = torch.jit.script(UsesAutogradFunction())


@torch.jit.script
def jit_annotate_list() -> List[Tensor]:
    xs = torch.jit.annotate(List[Tensor], [])
    xs.append(torch.ones(1))
    return xs


@torch.jit.script
def fork_and_wait(x: Tensor) -> Tensor:
    fut = torch.jit.fork(torch.neg, x)
    y = torch.relu(x)
    return torch.jit.wait(fut) + y


@torch.jit.script
def no_grad_block(x: Tensor) -> Tensor:
    with torch.no_grad():
        y = x * 2
    return y


@torch.jit.script
def is_tracing_check(x: Tensor) -> Tensor:
    if torch.jit.is_tracing():
        return x
    return x + 1


@torch.jit.script
def unchecked_cast(x: Optional[Tensor]) -> Tensor:
    return torch.jit._unwrap_optional(x) * 2


@torch.jit.script
def warn_and_continue(x: Tensor) -> Tensor:
    if x.numel() == 0:
        warnings.warn("empty input")
    return x


@torch.jit.script
def record_function_block(x: Tensor) -> Tensor:
    with torch.autograd.profiler.record_function("block"):
        y = x.sin()
    return y


# error: Expected a value of type 'Optional[AnyClassType]' for argument 'x' but instead found type 'Tensor'
@torch.jit.script
def use_id(x: Tensor) -> int:
    return id(x)


# error: Python builtin <built-in function open> is currently not supported in Torchscript
@torch.jit.script
def with_open_file(path: str) -> str:
    with open(path) as f:
        return path


# error: Unknown type name 'Tnsor'
@torch.jit.script
def annotate_undefined_type(n: int) -> int:
    xs = torch.jit.annotate(List[Tnsor], [])
    return n
