"""A callable without ``__name__`` (a ``functools.partial``) under ``@torch.jit.ignore``.

torch names such a PythonOp ``<python_value>``. A plain instance with
``__call__`` does not work here: torch desugars it to the bound ``__call__``,
whose parameter list (with ``self``) disagrees with its signature, and fails
an internal assert; ``partial`` (whose ``__call__`` is not a Python function)
takes the path of a signature-less callable instead.
"""
import functools

import torch


def _times(x, k):
    return x * k


times_three = torch.jit.ignore(functools.partial(_times, k=3))


def call(x: torch.Tensor) -> torch.Tensor:
    return times_three(x) + 1


SCRIPT = call
