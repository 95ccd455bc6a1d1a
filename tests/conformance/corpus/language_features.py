"""Language features real model code uses: properties, isinstance over containers, indexed calls, enumerate(start=), dropped and static methods, nested script classes, Enum values, method type comments, size aliases, tuple concatenation, namedtuple()."""

from collections import namedtuple
from enum import Enum
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
from torch import Tensor
from torch.nn.common_types import _size_2_t


@torch.jit.script
class Rect:
    def __init__(self, w: float, h: float):
        self.w = w
        self.h = h

    @property
    def area(self) -> float:
        return self.w * self.h

    def double_area(self) -> float:
        return self.area * 2.0


@torch.jit.script
def class_property_read_inside(a: float) -> float:
    return Rect(a, 2.0).double_area()


@torch.jit.script
def class_property_read_outside(a: float) -> float:
    return Rect(a, 3.0).area


class PropertyModule(nn.Module):
    def __init__(self):
        super().__init__()
        self.k = 3

    @property
    def twice(self) -> int:
        return self.k * 2

    def forward(self, x: Tensor) -> Tensor:
        return x * self.twice


property_module = torch.jit.script(PropertyModule())


class SkipDropout(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.1), nn.ReLU())

    def forward(self, x: Tensor) -> Tensor:
        for m in self.layers:
            if not isinstance(m, nn.Dropout):
                x = m(x)
        return x


skip_dropout = torch.jit.script(SkipDropout())


class CountLinear(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 4)])

    def forward(self, x: Tensor) -> int:
        n = 0
        for b in self.blocks:
            if isinstance(b, nn.Linear):
                n += 1
            x = b(x)
        return n


count_linear = torch.jit.script(CountLinear())


class IndexedCall(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(4, 4), nn.ReLU()])
        self.seq = nn.Sequential(nn.ReLU(), nn.Tanh())

    def forward(self, x: Tensor) -> Tensor:
        return self.seq[1](self.layers[0](x)) + self.seq[-1](x)


indexed_call = torch.jit.script(IndexedCall())


@torch.jit.script
def enumerate_start_keyword(xs: List[int]) -> int:
    total = 0
    for i, x in enumerate(xs, start=1):
        total += i * x
    return total


@torch.jit.script
def enumerate_start_keyword_variable(xs: List[str], first: int) -> List[str]:
    out: List[str] = []
    for i, s in enumerate(xs, start=first):
        out.append(str(i) + s)
    return out


class CallsDropped(nn.Module):
    @torch.jit.ignore(drop=True)
    def debug(self, x: Tensor) -> Tensor:
        return x

    def forward(self, x: Tensor) -> Tensor:
        return self.debug(x) + 1


calls_dropped = torch.jit.script(CallsDropped())


class StaticExported(nn.Module):
    @staticmethod
    @torch.jit.export
    def helper(x: Tensor) -> Tensor:
        return x + 1

    def forward(self, x: Tensor) -> Tensor:
        return self.helper(x)


# error: has no attribute or method '__add__'
static_exported = torch.jit.script(StaticExported())


class StaticThroughClass(nn.Module):
    @staticmethod
    def helper(x: Tensor) -> Tensor:
        return x * 2

    def forward(self, x: Tensor) -> Tensor:
        return StaticThroughClass.helper(x) + self.helper(x)


static_through_class = torch.jit.script(StaticThroughClass())


@torch.jit.script
class Inner:
    def __init__(self, v: int):
        self.v = v


@torch.jit.script
class Outer:
    def __init__(self, inner: Inner, scale: int):
        self.inner = inner
        self.scale = scale

    def get(self) -> int:
        return self.inner.v * self.scale


@torch.jit.script
def nested_script_classes(n: int) -> int:
    return Outer(Inner(n), 2).get()


class Pair(Enum):
    SMALL = (1, 2)
    LARGE = (3, 4)


# error: Cannot create Enum with value type 'Any', only int, float and string are supported
@torch.jit.script
def enum_tuple_value(p: Pair) -> int:
    return p.value[0] + p.value[1]


class Color(Enum):
    RED = 1
    GREEN = 2


@torch.jit.script
def enum_member_as_value(flag: bool) -> int:
    c = Color.RED
    if flag:
        c = Color.GREEN
    if c == Color.GREEN:
        return 0
    return c.value


class WithEnum(nn.Module):
    def __init__(self):
        super().__init__()
        self.color = Color.GREEN

    def forward(self, x: Tensor) -> Tensor:
        if self.color == Color.RED:
            return x
        return x * self.color.value


with_enum = torch.jit.script(WithEnum())


class TypeCommentMethod(nn.Module):
    def forward(self, x, n):
        # type: (Tensor, int) -> Tensor
        return x * n


type_comment_method = torch.jit.script(TypeCommentMethod())


class TypeCommentHelper(nn.Module):
    def scale(self, x, k):
        # type: (Tensor, float) -> Tuple[Tensor, float]
        return x * k, k

    def forward(self, x: Tensor) -> Tensor:
        y, k = self.scale(x, 2.0)
        return y + k


type_comment_helper = torch.jit.script(TypeCommentHelper())


class SizeAlias(nn.Module):
    kernel_size: _size_2_t
    stride: _size_2_t

    def __init__(self, kernel_size: _size_2_t, stride: _size_2_t = 1):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride

    def forward(self, x: Tensor) -> Tensor:
        return x * 2


size_alias = torch.jit.script(SizeAlias(3))


# error: enumerate expected kwarg name 'start', got 'first'
@torch.jit.script
def enumerate_wrong_keyword(xs: List[int]) -> int:
    total = 0
    for i, x in enumerate(xs, first=1):
        total += i * x
    return total


# error: enumerate expected at most 2 arguments, got 3
@torch.jit.script
def enumerate_start_twice(xs: List[int]) -> int:
    total = 0
    for i, x in enumerate(xs, 1, start=2):
        total += i * x
    return total


@torch.jit.ignore(drop=True)
def python_only(x: Tensor) -> Tensor:
    return x


@torch.jit.script
def calls_dropped_function(x: Tensor) -> Tensor:
    return python_only(x) * 2


@torch.jit.script
class Counter:
    def __init__(self, n: int):
        self._n = n

    @property
    def n(self) -> int:
        return self._n

    @n.setter
    def n(self, value: int) -> None:
        self._n = value

    def bump(self) -> int:
        self.n = self.n + 1
        return self.n


@torch.jit.script
def class_property_setter(k: int) -> int:
    c = Counter(k)
    c.n = 5
    return c.bump()


class Shape(Enum):
    SQUARE = "square"
    CIRCLE = "circle"


class ShapeFilter(nn.Module):
    def __init__(self, shape: Shape = Shape.CIRCLE):
        super().__init__()
        self.shape = shape

    def forward(self, names: List[str]) -> List[str]:
        out: List[str] = []
        for n in names:
            if n == self.shape.value:
                out.append(n)
        return out


shape_filter = torch.jit.script(ShapeFilter(Shape.SQUARE))


@torch.jit.script
def tuple_concatenation(a: int, b: Tuple[int, int]) -> Tuple[int, int, int]:
    return (a,) + b


class TupleAttribute(nn.Module):
    def __init__(self):
        super().__init__()
        self.spatial = (2, 3)
        self.temporal = 4

    def forward(self, x: Tensor) -> Tuple[Tensor, Tuple[int, int, int]]:
        thw = (self.temporal,) + self.spatial
        return x, thw


tuple_attribute = torch.jit.script(TupleAttribute())

Pair2 = namedtuple("Pair2", ["first", "second"])
Outputs = namedtuple("Outputs", ["logits", "aux"])
Outputs.__annotations__ = {"logits": Tensor, "aux": Optional[Tensor]}


@torch.jit.script
def functional_namedtuple(x: Tensor) -> Pair2:
    return Pair2(x, x + 1)


@torch.jit.script
def annotated_functional_namedtuple(x: Tensor, with_aux: bool) -> Tensor:
    out = Outputs(x, x * 2 if with_aux else None)
    aux = out.aux
    if aux is not None:
        return out.logits + aux
    return out.logits
