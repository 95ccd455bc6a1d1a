"""@torch.jit.interface, and the legacy torch.jit.ScriptModule with @torch.jit.script_method."""

from typing import List

import torch
import torch.nn as nn
from torch import Tensor


@torch.jit.interface
class Activation(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        pass


class Swish(nn.Module):
    def forward(self, x: Tensor) -> Tensor:
        return x * torch.sigmoid(x)


class UsesInterface(nn.Module):
    act: Activation

    def __init__(self):
        super().__init__()
        self.act = Swish()

    def forward(self, x: Tensor) -> Tensor:
        return self.act.forward(x) + 1


uses_interface = torch.jit.script(UsesInterface())


@torch.jit.interface
class Scorer:
    def score(self, x: Tensor, k: int) -> Tensor:
        pass


@torch.jit.script
class TopScorer:
    def __init__(self):
        pass

    def score(self, x: Tensor, k: int) -> Tensor:
        return x.topk(k).values.sum()


@torch.jit.script
def use_class_interface(x: Tensor, k: int) -> Tensor:
    s: Scorer = TopScorer()
    return s.score(x, k)


class LegacyModule(torch.jit.ScriptModule):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(3))

    @torch.jit.script_method
    def forward(self, x: Tensor) -> Tensor:
        return x * self.weight


legacy_module = torch.jit.script(LegacyModule())


class LegacyWithHelper(torch.jit.ScriptModule):
    __constants__ = ["n"]

    def __init__(self):
        super().__init__()
        self.n = 2

    @torch.jit.script_method
    def helper(self, x: Tensor) -> Tensor:
        return x.repeat(self.n)

    @torch.jit.script_method
    def forward(self, x: Tensor) -> Tensor:
        return self.helper(x) + 1


legacy_with_helper = torch.jit.script(LegacyWithHelper())


# error: interface declarations must have a return type annotated.
@torch.jit.interface
class UnannotatedInterface(nn.Module):
    def forward(self, x, scale=2):
        pass


class WrongImplementation(nn.Module):
    def forward(self, x: Tensor, y: Tensor) -> Tensor:
        return x + y


class AssignsWrongImplementation(nn.Module):
    act: Activation

    def __init__(self):
        super().__init__()
        self.act = WrongImplementation()

    def forward(self, x: Tensor) -> Tensor:
        return self.act.forward(x)


# error: is not compatible with interface
assigns_wrong_implementation = torch.jit.script(AssignsWrongImplementation())


class LegacyBroken(torch.jit.ScriptModule):
    def __init__(self):
        super().__init__()

    @torch.jit.script_method
    def forward(self, x: Tensor) -> Tensor:
        return x.no_such_method()


# error: 'Tensor' object has no attribute or method 'no_such_method'
legacy_broken = torch.jit.script(LegacyBroken())


# error: '__torch__.corpus.interfaces_scriptmodule.Scorer' object has no attribute or method 'rank'
@torch.jit.script
def interface_missing_method(s: Scorer, x: Tensor) -> Tensor:
    return s.rank(x)


# error: '__torch__.corpus.interfaces_scriptmodule.Scorer' object has no attribute or method 'k'
@torch.jit.script
def interface_attribute(s: Scorer) -> int:
    return s.k
