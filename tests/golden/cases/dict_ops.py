"""Dict literals, lookup, ``get`` with a default, ``in``, assignment, ``pop``, ``keys``."""
from typing import Dict, List

import torch


def lookup(d: Dict[str, torch.Tensor], key: str) -> List[str]:
    e = {"a": 1, "b": 2}
    e["c"] = 3
    n = e.get("z", 0) + e["a"]
    if key in d:
        d[key] = d[key] * n
    e.pop("a")
    keys = list(d.keys())
    keys.append(str(len(e)))
    return keys


SCRIPT = lookup
