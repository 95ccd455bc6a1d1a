"""torch's ``Unknown builtin op`` error, with the operators a few edits away.

torch: the message in ``emitBuiltinCall`` (schema_matching.cpp),
``findSimilarOperators`` and ``ComputeEditDistance``
(torch/csrc/jit/frontend/edit_distance.cpp).
"""

from __future__ import annotations

import functools

from ..ir.symbols import Symbol
from ..schema import default_registry


def unknown_builtin_message(name: Symbol) -> str:
    """torch's ``Unknown builtin op`` error, with operators a few edits away."""
    qual = name.qual_string()
    message = f"Unknown builtin op: {qual}.\n"
    similar = find_similar_operators(qual)
    if not similar:
        return message + (f"Could not find any similar ops to {qual}. "
                          "This op may not exist or may not be currently supported in TorchScript.\n")
    message += "Here are some suggestions: \n"
    for candidate in similar:
        message += f"\t{candidate}\n"
    return message + "\nThe original call is"


_MAX_EDIT_DISTANCE = 2


def find_similar_operators(qual: str) -> list[str]:
    """Operator names at most two edits from ``qual``, closest first.

    torch: findSimilarOperators (ties come out of a hash map in torch, in
    an unspecified order; here they are sorted by name).
    """
    ranked = []
    for candidate in _operator_names():
        if abs(len(candidate) - len(qual)) > _MAX_EDIT_DISTANCE:
            continue
        distance = edit_distance(qual, candidate, _MAX_EDIT_DISTANCE)
        if distance <= _MAX_EDIT_DISTANCE:
            ranked.append((distance, candidate))
    ranked.sort()
    return [candidate for _, candidate in ranked]


@functools.cache
def _operator_names() -> tuple[str, ...]:
    return default_registry().operator_names()


def edit_distance(a: str, b: str, max_distance: int) -> int:
    """Levenshtein distance, or ``max_distance + 1`` once it is known to exceed it.

    torch: ComputeEditDistance (torch/csrc/jit/frontend/edit_distance.cpp).
    """
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        best = current[0]
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            best = min(best, current[j])
        if best > max_distance:
            return max_distance + 1
        previous = current
    return previous[-1]
