"""``Enum`` constants, ``.value``/``.name`` and comparisons."""
import enum

import torch


class Color(enum.Enum):
    RED = 1
    GREEN = 2
    BLUE = 3


class Mode(enum.Enum):
    FAST = "fast"
    SAFE = "safe"


def paint(c: Color, m: Mode) -> str:
    if c == Color.RED and m != Mode.SAFE:
        return m.value
    if c is Color.BLUE:
        return c.name
    return str(c.value)


SCRIPT = paint
