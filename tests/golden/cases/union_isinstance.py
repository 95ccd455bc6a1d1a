"""``Union`` parameters refined with ``isinstance``."""
from typing import List, Union

import torch


def size_of(v: Union[int, str, List[int], torch.Tensor]) -> int:
    if isinstance(v, int):
        return v
    elif isinstance(v, str):
        return len(v)
    elif isinstance(v, list):
        return len(v)
    else:
        return v.numel()


SCRIPT = size_of
