"""A loop nest writing into a list of lists."""
from typing import List

import torch


def table(n: int, m: int) -> List[List[int]]:
    rows: List[List[int]] = []
    for i in range(n):
        row: List[int] = []
        j = 0
        while j < m:
            row.append(i * j)
            j += 1
        rows.append(row)
    return rows


SCRIPT = table
