"""Script classes, NamedTuple and Enum."""

from enum import Enum
from typing import Dict, List, NamedTuple, Optional, Tuple

import torch
from torch import Tensor


@torch.jit.script
class Point:
    def __init__(self, x: float, y: float):
        self.x = x
        self.y = y

    def norm2(self) -> float:
        return self.x * self.x + self.y * self.y

    def shifted(self, dx: float) -> "Point":
        return Point(self.x + dx, self.y)


@torch.jit.script
def uses_point(a: float, b: float) -> float:
    p = Point(a, b)
    return p.shifted(1.0).norm2()


class Counter:
    def __init__(self, start: int):
        self.value = start
        self.history: List[int] = []

    def step(self, k: int) -> int:
        self.history.append(self.value)
        self.value += k
        return self.value


@torch.jit.script
def uses_undecorated_class(n: int) -> int:
    c = Counter(0)
    for i in range(n):
        c.step(i)
    return c.value


class Box:
    def __init__(self, lo: Tensor, hi: Tensor):
        self.lo = lo
        self.hi = hi

    def area(self) -> Tensor:
        return (self.hi - self.lo).prod()


scripted_box = torch.jit.script(Box)


class Detection(NamedTuple):
    boxes: Tensor
    scores: Tensor
    label: str


@torch.jit.script
def make_detection(x: Tensor) -> Detection:
    return Detection(x, x.sigmoid(), "car")


@torch.jit.script
def read_detection(d: Detection) -> Tensor:
    return d.boxes * d.scores + d[1]


class Span(NamedTuple):
    start: int
    end: int = 0


@torch.jit.script
def namedtuple_default(s: int) -> int:
    sp = Span(s)
    return sp.end - sp.start


class Color(Enum):
    RED = 1
    GREEN = 2


@torch.jit.script
def enum_compare(c: Color) -> bool:
    return c == Color.RED


@torch.jit.script
def enum_value_and_name(c: Color) -> Tuple[int, str]:
    return c.value, c.name


class Mode(Enum):
    TRAIN = "train"
    EVAL = "eval"


@torch.jit.script
def enum_iterate() -> List[str]:
    out: List[str] = []
    for m in Mode:
        out.append(m.value)
    return out


# error: Classes that recursively contain instances of themselves are not yet supported
@torch.jit.script
class LinkedNode:
    def __init__(self, value: int, next: Optional["LinkedNode"]):
        self.value = value
        self.next = next

    def total(self) -> int:
        s = self.value
        n = self.next
        while n is not None:
            s += n.value
            n = n.next
        return s


@torch.jit.script
class WithDefaults:
    def __init__(self, scale: float = 1.0, name: str = "default"):
        self.scale = scale
        self.name = name


@torch.jit.script
def class_with_defaults(x: Tensor) -> Tensor:
    w = WithDefaults()
    return x * w.scale


class Uninitialised:
    def __init__(self, x: int):
        self.x = x

    def get(self) -> int:
        return self.y


# error: object has no attribute or method 'y'. Did you forget to initialize an attribute in __init__()?
uninitialised = torch.jit.script(Uninitialised)


# error: Wrong type for attribute assignment. Expected int but got str
@torch.jit.script
class ChangesType:
    def __init__(self, x: int):
        self.x = x

    def set(self) -> None:
        self.x = "a"


class Base:
    def __init__(self):
        self.a = 1


class Derived(Base):
    def __init__(self):
        self.a = 2


# error: TorchScript classes does not support inheritance yet. Please directly inherit from 'object'.
derived = torch.jit.script(Derived)


class Slotted:
    __slots__ = ["a"]

    def __init__(self, a: int):
        self.a = a


@torch.jit.script
def uses_slotted(n: int) -> int:
    return Slotted(n).a


class BadDetection(NamedTuple):
    boxes: Tensor
    label: str


# error: Expected a value of type 'str' for argument 'label' but instead found type 'int'
@torch.jit.script
def namedtuple_wrong_field(x: Tensor) -> BadDetection:
    return BadDetection(x, 3)


class MixedEnum(Enum):
    A = 1
    B = "b"


# error: Could not unify type list since element 1 of type int did not match the types before it (str)
@torch.jit.script
def mixed_enum(e: MixedEnum) -> bool:
    return e == MixedEnum.A


class Shape(NamedTuple):
    h: int
    w: int


# error: Tried to set an attribute: h on a non-class: __torch__.corpus.classes.Shape
@torch.jit.script
def assign_namedtuple_field(s: Shape) -> Shape:
    s.h = 1
    return s


# error: object has no attribute or method 'z'
@torch.jit.script
def missing_class_method(a: float) -> float:
    return Point(a, a).z()
