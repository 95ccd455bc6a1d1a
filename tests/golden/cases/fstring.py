"""f-strings lower to ``aten::format``."""
import torch


def greet(name: str, n: int, x: float) -> str:
    return f"hello {name}, you are {n} ({x}) {{literal}}"


SCRIPT = greet
