"""``break`` inside ``for``: the loop condition becomes a carried boolean."""
from typing import List

import torch


def first_negative(xs: List[int]) -> int:
    found = 0
    for x in xs:
        if x < 0:
            found = x
            break
    return found


SCRIPT = first_negative
