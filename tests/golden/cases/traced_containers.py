"""Tracing a function with tuple and list inputs and a dict output."""
import torch


def pack(pair, xs):
    a, b = pair
    return {"sum": a + b + xs[0], "prod": a * b * xs[1]}


TRACE = (pack, ((torch.ones(2), torch.ones(2)), [torch.ones(2), torch.ones(2)]), {"strict": False})
