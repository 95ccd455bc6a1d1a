"""The lines an edit left alone at each end, as a line-by-line walk finds them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pyjit_core.line_ends import unchanged_ends


def walked(old: list[str], new: list[str]) -> tuple[int, int]:
    """Line by line: the definition."""
    n = min(len(old), len(new))
    head = 0
    while head < n and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < n - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return head, tail


lines = st.lists(st.sampled_from(["a\n", "b\n", "\n", "c"]), max_size=300)


@given(lines, lines)
def test_any_two_texts(old: list[str], new: list[str]) -> None:
    assert unchanged_ends(old, new) == walked(old, new)


@given(lines, st.integers(0, 300), st.integers(0, 20), lines)
def test_an_edit_in_a_long_text(text: list[str], at: int, removed: int, inserted: list[str]) -> None:
    """Runs of lines longer than the comparison's, edited anywhere (repeats make the ends overlap)."""
    old = text * 3
    new = old[:at] + inserted[:10] + old[at + removed:]
    assert unchanged_ends(old, new) == walked(old, new)


def test_the_ends_never_overlap() -> None:
    old, new = ["a\n"] * 200, ["a\n"] * 201
    head, tail = unchanged_ends(old, new)
    assert (head, tail) == (200, 0)
    assert unchanged_ends(new, old) == (200, 0)


def test_other_sequences_give_the_same() -> None:
    old, new = [f"{i}\n" for i in range(500)], [f"{i}\n" for i in range(500)]
    new[321] = "x\n"
    assert unchanged_ends(old, tuple(new)) == unchanged_ends(old, new) == (321, 178)
