"""nn.Module roots: parameters, buffers, constants, Final, inferred attribute types, submodules, methods."""

from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class TwoLayer(nn.Module):
    def __init__(self, d_in: int, d_hidden: int, d_out: int):
        super().__init__()
        self.fc1 = nn.Linear(d_in, d_hidden)
        self.fc2 = nn.Linear(d_hidden, d_out)
        self.act = nn.ReLU()

    def forward(self, x: Tensor) -> Tensor:
        return self.fc2(self.act(self.fc1(x)))


two_layer = torch.jit.script(TwoLayer(4, 8, 2))


class ParamsAndBuffers(nn.Module):
    def __init__(self, n: int):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n))
        self.register_buffer("running_mean", torch.zeros(n))
        self.momentum = 0.1

    def forward(self, x: Tensor) -> Tensor:
        if self.training:
            self.running_mean = (1 - self.momentum) * self.running_mean + self.momentum * x.mean(0)
        return (x - self.running_mean) * self.weight


params_and_buffers = torch.jit.script(ParamsAndBuffers(3))


class WithConstants(nn.Module):
    __constants__ = ["eps", "mode"]

    def __init__(self):
        super().__init__()
        self.eps = 1e-6
        self.mode = "mean"

    def forward(self, x: Tensor) -> Tensor:
        if self.mode == "mean":
            return x / (x.mean() + self.eps)
        return x


with_constants = torch.jit.script(WithConstants())


class WithFinal(nn.Module):
    scale: torch.jit.Final[float]
    axes: torch.jit.Final[Tuple[int, int]]

    def __init__(self):
        super().__init__()
        self.scale = 2.0
        self.axes = (0, 1)

    def forward(self, x: Tensor) -> Tensor:
        return x.transpose(self.axes[0], self.axes[1]) * self.scale


with_final = torch.jit.script(WithFinal())


class InferredAttributes(nn.Module):
    def __init__(self):
        super().__init__()
        self.count = 0
        self.names = ["a", "b"]
        self.table = {"a": 1.0}
        self.shape = (2, 3)
        self.maybe: Optional[Tensor] = None

    def forward(self, x: Tensor) -> Tensor:
        self.count += 1
        y = x.view(self.shape[0], self.shape[1]) * self.table["a"]
        if self.maybe is not None:
            y = y + self.maybe
        return y + len(self.names)


inferred_attributes = torch.jit.script(InferredAttributes())


class CallsOwnMethods(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(3, 3)

    def project(self, x: Tensor) -> Tensor:
        return self.lin(x)

    def forward(self, x: Tensor) -> Tensor:
        return self.project(x) + self.project(x * 2)


calls_own_methods = torch.jit.script(CallsOwnMethods())


class Exported(nn.Module):
    def __init__(self):
        super().__init__()
        self.k = 3

    @torch.jit.export
    def predict(self, x: Tensor) -> Tensor:
        return x.argmax(dim=-1)

    def forward(self, x: Tensor) -> Tensor:
        return x * self.k


exported = torch.jit.script(Exported())


class IgnoredAndUnused(nn.Module):
    def __init__(self):
        super().__init__()

    @torch.jit.ignore
    def log(self, x: Tensor) -> None:
        print(x.numpy())

    @torch.jit.unused
    def slow_path(self, x: Tensor) -> Tensor:
        return torch.from_numpy(x.numpy())

    def forward(self, x: Tensor, fast: bool = True) -> Tensor:
        self.log(x)
        if fast:
            return x + 1
        return self.slow_path(x)


ignored_and_unused = torch.jit.script(IgnoredAndUnused())


class ConvBlock(nn.Module):
    def __init__(self, c_in: int, c_out: int):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, kernel_size=3, padding=1)
        self.bn = nn.BatchNorm2d(c_out)
        self.drop = nn.Dropout(0.1)

    def forward(self, x: Tensor) -> Tensor:
        return self.drop(F.relu(self.bn(self.conv(x))))


conv_block = torch.jit.script(ConvBlock(3, 8))


class NestedBlocks(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = ConvBlock(3, 4)
        self.second = ConvBlock(4, 4)
        self.pool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x: Tensor) -> Tensor:
        return self.pool(self.second(self.first(x))).flatten(1)


nested_blocks = torch.jit.script(NestedBlocks())


class SetsAttributes(nn.Module):
    def __init__(self):
        super().__init__()
        self.steps = 0
        self.last: Optional[Tensor] = None

    def forward(self, x: Tensor) -> Tensor:
        self.steps = self.steps + 1
        self.last = x.detach()
        return x


# error: Wrong type for attribute assignment. Expected NoneType but got Tensor
sets_attributes = torch.jit.script(SetsAttributes())


class SetsAnnotatedAttributes(nn.Module):
    last: Optional[Tensor]

    def __init__(self):
        super().__init__()
        self.steps = 0
        self.last = None

    def forward(self, x: Tensor) -> Tensor:
        self.steps = self.steps + 1
        self.last = x.detach()
        return x


sets_annotated_attributes = torch.jit.script(SetsAnnotatedAttributes())


class ReturnsDict(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = nn.Linear(4, 2)

    def forward(self, x: Tensor) -> Dict[str, Tensor]:
        logits = self.head(x)
        return {"logits": logits, "probs": logits.softmax(-1)}


returns_dict = torch.jit.script(ReturnsDict())


class NoneSubmodule(nn.Module):
    def __init__(self, with_proj: bool):
        super().__init__()
        self.proj = nn.Linear(2, 2) if with_proj else None

    def forward(self, x: Tensor) -> Tensor:
        if self.proj is not None:
            x = self.proj(x)
        return x


none_submodule = torch.jit.script(NoneSubmodule(False))


class MultipleInputs(nn.Module):
    def forward(self, x: Tensor, lengths: List[int], scale: float = 1.0) -> Tuple[Tensor, int]:
        return x * scale, sum(lengths)


multiple_inputs = torch.jit.script(MultipleInputs())


class UntypedAttribute(nn.Module):
    def __init__(self):
        super().__init__()
        self.callback = lambda t: t * 2

    def forward(self, x: Tensor) -> Tensor:
        return self.callback(x)


# error: Module 'UntypedAttribute' has no attribute 'callback'
untyped_attribute = torch.jit.script(UntypedAttribute())


class MissingAttribute(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: Tensor) -> Tensor:
        return x * self.factor


# error: Module 'MissingAttribute' has no attribute 'factor'
missing_attribute = torch.jit.script(MissingAttribute())


class NewAttributeInForward(nn.Module):
    def __init__(self):
        super().__init__()

    def forward(self, x: Tensor) -> Tensor:
        self.cache = x
        return x


# error: Tried to set nonexistent attribute: cache. Did you forget to initialize it in __init__()?
new_attribute_in_forward = torch.jit.script(NewAttributeInForward())


class AssignConstant(nn.Module):
    __constants__ = ["k"]

    def __init__(self):
        super().__init__()
        self.k = 2

    def forward(self, x: Tensor) -> Tensor:
        self.k = 3
        return x * self.k


# error: Tried to set nonexistent attribute: k
assign_constant = torch.jit.script(AssignConstant())


class AttributeTypeChange(nn.Module):
    def __init__(self):
        super().__init__()
        self.count = 0

    def forward(self, x: Tensor) -> Tensor:
        self.count = 0.5
        return x


# error: Wrong type for attribute assignment. Expected int but got float
attribute_type_change = torch.jit.script(AttributeTypeChange())


class SubmoduleWrongArgs(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(2, 2)

    def forward(self, x: Tensor) -> Tensor:
        return self.lin(x, x)


# error: Expected at most 2 arguments but found 3 positional arguments
submodule_wrong_args = torch.jit.script(SubmoduleWrongArgs())


class CallsMissingMethod(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return self.helper(x)


# error: Module 'CallsMissingMethod' has no attribute 'helper'
calls_missing_method = torch.jit.script(CallsMissingMethod())


class BadMethod(nn.Module):
    def helper(self, n: int) -> int:
        return n.item()

    def forward(self, x: Tensor) -> Tensor:
        return x * self.helper(2)


# error: 'int' object has no attribute or method 'item'
bad_method = torch.jit.script(BadMethod())


class BadExport(nn.Module):
    @torch.jit.export
    def summary(self) -> str:
        return 1

    def forward(self, x: Tensor) -> Tensor:
        return x


# error: Return value was annotated as having type str but is actually of type int
bad_export = torch.jit.script(BadExport())


class ForwardUsesPythonLib(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return torch.from_numpy(x.numpy())


# error: 'Tensor' object has no attribute or method 'numpy'
forward_uses_python_lib = torch.jit.script(ForwardUsesPythonLib())


class PassedAsClass(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return x + 1


# error: cannot be compiled since it inherits from nn.Module, pass an instance instead
passed_as_class = torch.jit.script(PassedAsClass)
