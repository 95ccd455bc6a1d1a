"""String methods, concatenation, comparison and ``str()`` conversions."""
from typing import List

import torch


def words(s: str, n: int) -> List[str]:
    t = s.strip().lower() + "-" + str(n)
    parts = t.split("-")
    joined = ", ".join(parts)
    if joined.startswith("a") and "b" in joined:
        parts.append(joined.upper())
    parts.append(s.replace("x", "y"))
    parts.append(str(float(n)) + str(True))
    return parts


SCRIPT = words
