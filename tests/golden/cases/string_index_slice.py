"""Indexing and slicing strings, ``ord``/``chr``, iterating over characters."""
import torch


def rot(s: str) -> str:
    out = ""
    for c in s:
        out += chr(ord(c) + 1)
    return out[1:] + s[0] + s[-2:] + s[::2]


SCRIPT = rot
