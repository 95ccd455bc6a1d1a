"""Each root's export verdict as an editor shows it: a hover on its ``def``/``class``
line and a code lens ("TorchScript ✓ · export ✗ (2)").

Shown only when the PJ6 family is selected (the findings it counts are opt-in).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..checks.export_readiness import selected
from ..checks.export_readiness.verdict import Verdict, verdicts
from ..diagnostics import TextRange
from .hover import Hover

if TYPE_CHECKING:
    from ..result import CheckResult


@dataclass(frozen=True)
class CodeLens:
    range: TextRange          # the root's `def`/`class` line
    title: str


def root_verdicts(result: CheckResult) -> list[Verdict]:
    if not selected(result.config):
        return []
    own = [d for d in result.found if d.path == result.path]
    return verdicts(result.analysis.roots, result.analysis.functions, result.path, own)


def code_lenses(result: CheckResult) -> list[CodeLens]:
    out = []
    for v in root_verdicts(result):
        out.append(CodeLens(_line_range(result, v.line), v.lens()))
    return out


def verdict_hover(result: CheckResult, line: int) -> Hover | None:
    """The verdict of the root defined on 0-based ``line``, else None."""
    for v in root_verdicts(result):
        if v.line - 1 != line:
            continue
        lines = [f"**{v.root}**: {v.summary()}"]
        for d in v.blockers:
            lines.append(f"- line {d.range.start_line + 1}: `{d.code}` {d.message}")
        for d in v.notes:
            lines.append(f"- (note) line {d.range.start_line + 1}: `{d.code}` {d.message}")
        return Hover(_line_range(result, v.line), "\n".join(lines))
    return None


def _line_range(result: CheckResult, line: int) -> TextRange:
    text = result.source_file.lines[line - 1] if line - 1 < len(result.source_file.lines) else ""
    return TextRange(line - 1, len(text) - len(text.lstrip()), line - 1, len(text.rstrip()))
