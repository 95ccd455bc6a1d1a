"""``NamedTuple`` fields with defaults.

torch prints defaults inside the type with ``operator<<(IValue)``: strings
raw, so a default containing a newline breaks the type across lines.
"""
from typing import Dict, NamedTuple, Optional

import torch


class Config(NamedTuple):
    size: int
    weight: torch.Tensor
    name: str = "multi\nline, (odd)"
    scale: float = 0.5
    flag: bool = True
    limit: Optional[int] = None


def configure(c: Config, table: Dict[str, Config]) -> Config:
    table["last"] = c
    return Config(c.size + 1, c.weight)


SCRIPT = configure
