"""``and``/``or``/``not`` short-circuit into ``prim::If``."""
import torch


def check(a: int, b: int, flag: bool) -> bool:
    ok = a > 0 and b > 0
    either = a < 0 or flag
    return ok and not either


SCRIPT = check
