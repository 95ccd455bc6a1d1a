"""Patterns of library code (torchvision): custom operators declared in Python, a union refined in both branches, attributes assigned from a tuple, a Python function typed by a type comment."""

from typing import List, Tuple, Union

import torch
import torch.nn as nn
from torch import Tensor

# Custom operators, declared the ways pyjit reads: a schema string, and @custom_op's annotations.
torch.library.define("pyjit_corpus::scale", "(Tensor x, float f) -> Tensor")


@torch.library.impl("pyjit_corpus::scale", "CompositeExplicitAutograd")
def _scale(x, f):
    return x * f


@torch.library.custom_op("pyjit_corpus::twice", mutates_args=())
def twice(x: Tensor, n: int = 2) -> Tensor:
    return x * n


@torch.jit.script
def custom_op_from_define(x: Tensor) -> Tensor:
    return torch.ops.pyjit_corpus.scale(x, 2.0)


@torch.jit.script
def custom_op_from_custom_op(x: Tensor) -> Tensor:
    return torch.ops.pyjit_corpus.twice(x) + torch.ops.pyjit_corpus.twice(x, 3)


# torchvision's check_roi_boxes_shape: the union keeps its type after the if.
@torch.jit.script
def union_refined_in_both_branches(boxes: Union[Tensor, List[Tensor]]) -> int:
    if isinstance(boxes, list):
        n = len(boxes)
    elif isinstance(boxes, torch.Tensor):
        n = boxes.size(0)
    else:
        n = 0
    return n


@torch.jit.script
def union_returned_after_refinement(boxes: Union[Tensor, List[Tensor]]) -> Union[Tensor, List[Tensor]]:
    if isinstance(boxes, list):
        pass
    else:
        pass
    return boxes


class TupleAttributes(nn.Module):
    """torchvision's MultiScaleRoIAlign: self.scales, self.map_levels = ..."""

    def __init__(self):
        super().__init__()
        self.a = 1
        self.b = 2.0

    def forward(self, x: Tensor) -> Tensor:
        self.a, self.b = 3, 4.0
        return x * self.a + self.b


tuple_attributes = torch.jit.script(TupleAttributes())


@torch.jit.unused
def scale_when_tracing(m, padding):
    # type: (int, int) -> float
    return float(m + 2 * padding) / m


@torch.jit.ignore
def python_side(x, n):
    # type: (Tensor, int) -> Tensor
    return x * n


@torch.jit.script
def python_functions_typed_by_comments(x: Tensor, m: int) -> float:
    if m > 100:
        return scale_when_tracing(m, 2)
    return float(python_side(x, m).sum())
