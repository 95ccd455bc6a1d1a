"""Edits the analysis does not read (spacing, comments, blank lines) are told
apart from every other, and say where each line went."""

from __future__ import annotations

import ast
import textwrap

from pyjit_core.diagnostics import Diagnostic, Edit, Fix, TextRange
from pyjit_core.editor.unread_edits import moved_diagnostics, unread_edit

SOURCE = textwrap.dedent('''\
    import torch


    def f(x: int) -> int:
        """Adds one."""
        y = x + 1
        return y


    NOTE = """
    # not a comment
    """


    def g(x: int) -> int:
        return f(x) * 2
''')


def edit(old: str, new: str):
    return unread_edit(SOURCE, SOURCE.replace(old, new, 1), ast.parse(SOURCE))


def test_a_space_at_a_line_end_moves_nothing():
    shift = edit("y = x + 1\n", "y = x + 1  \n")
    assert shift is not None
    assert shift.delta == 0
    assert [shift.to_new(line) for line in range(16)] == list(range(16))


def test_a_comment_line_moves_the_lines_below_it():
    shift = edit("    y = x + 1\n", "    # why\n    y = x + 1\n")
    assert shift is not None
    assert (shift.to_new(4), shift.to_new(5), shift.to_new(15)) == (4, 6, 16)
    assert shift.to_old(6) == 5
    assert shift.to_old(5) is None


def test_a_comment_at_a_line_end_and_blank_lines_are_unread():
    assert edit("    return y\n", "    return y  # the sum\n") is not None
    assert edit("\n\ndef g", "\n\n\n\ndef g") is not None


def test_edits_of_tokens_are_read():
    assert edit("x + 1", "x + 2") is None                     # a token
    assert edit("x + 1", "x +  1") is None                    # a token moved sideways
    assert edit('"""Adds one."""', '"""Adds two."""') is None   # a docstring is a token
    assert edit("    y = x + 1\n", "    z = 0\n    y = x + 1\n") is None


def test_a_hash_inside_a_string_is_not_a_comment():
    assert edit("# not a comment", "# not a comment at all") is None


def test_comments_pyjit_or_torch_read_are_read():
    assert edit("    return y\n", "    return y  # pyjit: ignore[PJ210]\n") is None
    assert edit("    y = x + 1\n", "    y = x + 1  # type: int\n") is None


def test_diagnostics_move_with_their_lines_and_fixes():
    shift = edit("    y = x + 1\n", "    # why\n    y = x + 1\n")
    fix = Fix("Ignore PJ210 on this line", (Edit("m.py", TextRange(6, 12, 6, 12), "  # pyjit: ignore[PJ210]"),))
    found = Diagnostic("PJ210", "no", "m.py", TextRange(6, 4, 6, 12), fixes=(fix,))
    elsewhere = Diagnostic("PJ210", "no", "other.py", TextRange(6, 4, 6, 12))
    [moved, kept] = moved_diagnostics((found, elsewhere), "m.py", shift)
    assert moved.range == TextRange(7, 4, 7, 12)
    assert kept is elsewhere
    assert moved.fixes[0].edits[0].range == TextRange(7, 12, 7, 12)


def test_a_diagnostic_whose_fix_edits_a_changed_line_is_not_moved():
    shift = edit("    return y\n", "    return y  # the sum\n")
    fix = Fix("Ignore", (Edit("m.py", TextRange(6, 12, 6, 12), "  # pyjit: ignore[PJ210]"),))
    found = Diagnostic("PJ210", "no", "m.py", TextRange(6, 4, 6, 12), fixes=(fix,))
    assert moved_diagnostics((found,), "m.py", shift) is None
