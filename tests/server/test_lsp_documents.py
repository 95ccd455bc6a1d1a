"""LineMap: positions between an analysed text and the current one."""

from __future__ import annotations

from pyjit_server.scheduling.versions import LineMap


def test_lines_above_an_insertion_stay_and_lines_below_shift() -> None:
    old = ["a", "b", "c", "d"]
    new = ["a", "x", "y", "b", "c", "d"]
    m = LineMap(old, new)
    assert [m.to_old(i) for i in range(6)] == [0, None, None, 1, 2, 3]
    assert [m.to_new(i) for i in range(4)] == [0, 3, 4, 5]


def test_an_edited_line_maps_to_nothing() -> None:
    m = LineMap(["a", "b", "c"], ["a", "B", "c"])
    assert [m.to_old(i) for i in range(3)] == [0, None, 2]
    assert m.to_new(1) is None


def test_identical_texts_map_every_line() -> None:
    lines = ["a", "a", "a"]
    m = LineMap(lines, list(lines))
    assert [m.to_old(i) for i in range(3)] == [0, 1, 2]
    assert m.identical


def test_a_deletion() -> None:
    m = LineMap(["a", "b", "c", "d"], ["a", "d"])
    assert [m.to_old(i) for i in range(2)] == [0, 3]
    assert [m.to_new(i) for i in range(4)] == [0, None, None, 1]


def test_repeated_lines_do_not_overlap_prefix_and_suffix() -> None:
    m = LineMap(["a", "a"], ["a", "a", "a"])
    assert m.prefix + (3 - m.new_tail) <= 3
    assert [m.to_old(i) for i in range(3)].count(None) == 1
