"""Dict comprehensions."""
from typing import Dict, List

import torch


def index(words: List[str]) -> Dict[str, int]:
    return {w: len(w) for w in words}


SCRIPT = index
