"""String constants with escapes and non-ASCII text.

torch prints each byte of a non-ASCII character as a three-digit escape
computed on a *signed* char, so ``é`` shows up as ``\\0)+\\/.)``.
"""
from typing import List

import torch


def escapes() -> List[str]:
    return [
        "tab\tnew\nline",
        'quote " and \'single\'',
        "back\\slash",
        "bell\a feed\f vt\v cr\r bs\b",
        "ctrl\x01\x1f\x7f",
        "caf\u00e9",
        "\u4e2d\u6587",
        "emoji \U0001f600",
        "",
        "%x.1 = prim::Constant() # not/a/path:1:2",
    ]


SCRIPT = escapes
