"""tools/lint: mypy's errors are compared with a baseline that only shrinks."""

from __future__ import annotations

import importlib.machinery
import importlib.util
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def load_lint():
    loader = importlib.machinery.SourceFileLoader("tools_lint", str(REPO / "tools" / "lint"))
    spec = importlib.util.spec_from_loader("tools_lint", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


lint = load_lint()

OUTPUT = """\
pyjit_core/a.py:12: error: Item "None" of "int | None" has no attribute "x"  [union-attr]
pyjit_core/a.py:12: note: Error code "misc" not covered by "type: ignore[attr-defined]" comment
pyjit_core/a.py:40: error: Item "None" of "int | None" has no attribute "x"  [union-attr]
pyjit_core/b.py:7:5: error: Function "pyjit_core.b.Leaf@110.str" is not valid as a type  [valid-type]
pyjit_core/b.py:9: error: Name "f" already defined on line 3  [no-redef]
"""


def test_entries_leave_out_line_numbers_and_notes_and_count_repeats():
    assert lint.entries(OUTPUT) == Counter({
        'pyjit_core/a.py: Item "None" of "int | None" has no attribute "x"  [union-attr]': 2,
        'pyjit_core/b.py: Function "pyjit_core.b.Leaf@N.str" is not valid as a type  [valid-type]': 1,
        'pyjit_core/b.py: Name "f" already defined on line N  [no-redef]': 1,
    })


def test_an_error_moved_to_another_line_is_still_in_the_baseline():
    moved = OUTPUT.replace("a.py:40:", "a.py:41:").replace("@110", "@111").replace("line 3", "line 4")
    assert lint.compare(lint.entries(moved), lint.entries(OUTPUT)) == ([], [])


def test_a_new_error_fails_and_so_does_a_fixed_one_left_in_the_baseline():
    baseline = lint.entries(OUTPUT)
    fixed_one = "\n".join(line for line in OUTPUT.splitlines() if "no-redef" not in line)
    current = lint.entries(fixed_one.replace("a.py:40:", "c.py:40:"))
    new, gone = lint.compare(current, baseline)
    assert new == ['pyjit_core/c.py: Item "None" of "int | None" has no attribute "x"  [union-attr]']
    assert gone == ['pyjit_core/a.py: Item "None" of "int | None" has no attribute "x"  [union-attr]',
                    'pyjit_core/b.py: Name "f" already defined on line N  [no-redef]']


def test_the_baseline_file_round_trips(tmp_path: Path):
    path = tmp_path / "baseline.txt"
    lint.write_baseline(lint.entries(OUTPUT), path)
    assert lint.read_baseline(path) == lint.entries(OUTPUT)


def test_the_committed_baseline_has_no_line_numbers_and_no_repeated_header():
    lines = lint.BASELINE.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ")
    assert all(not line.startswith("#") for line in lines[1:])
    assert all(line.split(": ", 1)[0].endswith(".py") for line in lines[1:])
