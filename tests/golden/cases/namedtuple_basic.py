"""A ``NamedTuple``: construction, field access and as a parameter type."""
from typing import List, NamedTuple

import torch


class Point(NamedTuple):
    x: float
    y: float
    tag: str


def move(p: Point, dx: float) -> List[Point]:
    q = Point(p.x + dx, p.y, "moved")
    return [p, q, Point(x=0.0, y=q[1], tag=p.tag)]


SCRIPT = move
