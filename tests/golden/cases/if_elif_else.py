"""``if``/``elif``/``else`` chains lower to nested ``prim::If`` nodes."""
import torch


def classify(n: int) -> str:
    if n < 0:
        kind = "negative"
    elif n == 0:
        kind = "zero"
    elif n < 10:
        kind = "small"
    else:
        kind = "large"
    return kind


SCRIPT = classify
