"""An edit the analysis does not read (spacing, comments) is answered from the
previous analysis at once, its diagnostics, hovers and fixes moved with the lines."""

from __future__ import annotations

from pathlib import Path

from pyjit_server.worker.analyses import Analyses
from pyjit_server.worker.messages import Job

BROKEN = ("import torch\n\n\n@torch.jit.script\ndef f(x: int) -> int:\n    y = x + 1\n    return x.foo\n"
          "\n\n@torch.jit.script\ndef g(x: int) -> int:\n    return x * 2\n")


def job(handle: int, text: str, previous: int | None = None) -> Job:
    return Job(handle, Path("/project/model.py").as_uri(), "/project/model.py", handle, text, previous)


def counting(worker: Analyses) -> list[str]:
    """The texts the worker's session analyses from now on."""
    analysed: list[str] = []
    check = worker.session.check

    def spy(path, text=None, **kwargs):
        analysed.append(text)
        return check(path, text, **kwargs)

    worker.session.check = spy
    return analysed


def test_a_comment_line_is_not_analysed_and_moves_diagnostics_hovers_and_fixes() -> None:
    worker = Analyses()
    [error] = worker.analyse(job(1, BROKEN)).diagnostics
    analysed = counting(worker)
    commented = BROKEN.replace("    y = x + 1\n", "    # a note\n    y = x + 1\n")
    result = worker.analyse(job(2, commented, previous=1))
    assert analysed == []
    [moved] = result.diagnostics
    assert moved.range.start_line == error.range.start_line + 1
    assert moved.message == error.message
    [fix] = worker.code_actions(2, moved.range, ["PJ210"])
    assert fix.edits[0].range.start_line == moved.range.start_line
    where, markdown = worker.hover(2, 12, 13)           # the `*` of `x * 2`, now on line 12
    assert "aten::mul.int" in markdown
    assert where.start_line == 12
    assert worker.hover(2, 11, 13) is None


def test_spaces_at_line_ends_are_not_analysed() -> None:
    worker = Analyses()
    first = worker.analyse(job(1, BROKEN))
    analysed = counting(worker)
    result = worker.analyse(job(2, BROKEN.replace("x + 1\n", "x + 1   \n"), previous=1))
    assert analysed == []
    assert result.diagnostics == first.diagnostics


def test_undoing_back_to_the_analysed_text_is_not_analysed() -> None:
    worker = Analyses()
    worker.analyse(job(1, BROKEN))
    analysed = counting(worker)
    worker.analyse(job(2, BROKEN.replace("x + 1\n", "x + 1 \n"), previous=1))
    result = worker.analyse(job(3, BROKEN, previous=2))
    assert analysed == []
    assert result.handle == 3


def test_edits_the_analysis_reads_are_analysed() -> None:
    worker = Analyses()
    worker.analyse(job(1, BROKEN))
    analysed = counting(worker)
    ignored = BROKEN.replace("return x.foo\n", "return x.foo  # pyjit: ignore[PJ210]\n")
    assert worker.analyse(job(2, ignored, previous=1)).diagnostics == ()
    fixed = ignored.replace("x.foo", "x")
    worker.analyse(job(3, fixed, previous=2))
    assert analysed == [ignored, fixed]


def test_the_shared_analysis_outlives_the_release_of_the_first_result() -> None:
    worker = Analyses()
    worker.analyse(job(1, BROKEN))
    worker.analyse(job(2, BROKEN.replace("    y = x + 1\n", "\n    y = x + 1\n"), previous=1))
    worker.release([1])
    assert "aten::mul.int" in worker.hover(2, 12, 13)[1]


def test_an_index_starts_from_the_last_one_even_after_its_result_was_released() -> None:
    """A burst of edits, none indexed, each releasing the one before: the next index still starts
    from the last index built (its functions' graphs are the same objects), not from nothing."""
    worker = Analyses()
    worker.analyse(job(1, BROKEN))
    worker.index(1)
    edited = BROKEN.replace("    y = x + 1\n", "    y = x + 2\n")
    worker.analyse(job(2, edited, previous=1))
    worker.release([1])
    worker.analyse(job(3, BROKEN, previous=2))
    worker.release([2])
    worker.index(3)
    assert worker._entries[3].analysis.hover_index.reused > 0
    assert "aten::mul.int" in worker.hover(3, 11, 13)[1]
