"""The one diagnostic type every layer reports with.

Ranges are 0-based lines and code-point columns, end-exclusive (editor
coordinates without the UTF-16 detail); :mod:`pyjit_core.text` converts from
``ast``/torch coordinates, the server converts to the client's encoding.
Severity, summary and documentation come from the catalog, never from call
sites: a diagnostic carries only its code and its instance wording.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from .catalog import CATALOG, Rule
from .severity import Severity

__all__ = ["Applicability", "Diagnostic", "Edit", "Fix", "RelatedLocation", "Severity", "TextRange"]


@dataclass(frozen=True, slots=True, order=True)
class TextRange:
    """0-based lines, code-point columns, end-exclusive."""

    start_line: int
    start_col: int
    end_line: int
    end_col: int

    @staticmethod
    def point(line: int, col: int) -> TextRange:
        return TextRange(line, col, line, col)

    def contains_line(self, line: int) -> bool:
        return self.start_line <= line <= self.end_line


@dataclass(frozen=True, slots=True)
class RelatedLocation:
    """Another place that explains the diagnostic (torch's "used here")."""

    path: str
    range: TextRange
    message: str


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``range`` in ``path`` with ``new_text``."""

    path: str
    range: TextRange
    new_text: str


class Applicability(enum.Enum):
    """Whether ``pyjit check --fix`` may apply a fix (ruff's three levels).

    Every fix is offered in an editor, where a person picks it; the command
    line applies one unasked only when it is ``SAFE``.
    """

    SAFE = "safe"                  # keeps what the program does: `--fix` applies it
    UNSAFE = "unsafe"              # may change what the program does: only with `--unsafe-fixes`
    DISPLAY_ONLY = "display-only"  # an editor's choice (silencing a finding): never applied by the CLI


@dataclass(frozen=True, slots=True)
class Fix:
    """A titled set of edits that resolves the diagnostic. A fix is unsafe
    unless its maker says otherwise: applying one unasked must be a decision."""

    title: str
    edits: tuple[Edit, ...]
    kind: str = "quickfix"
    applicability: Applicability = Applicability.UNSAFE


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str                      # key into the catalog, e.g. "PJ101"
    message: str                   # this instance's wording (torch's where torch has one)
    path: str
    range: TextRange
    related: tuple[RelatedLocation, ...] = ()
    fixes: tuple[Fix, ...] = ()
    severity_override: Severity | None = field(default=None, compare=False)
    data: Any = field(default=None, compare=False)  # structured facts for fixes

    @property
    def rule(self) -> Rule:
        return CATALOG[self.code]

    @property
    def severity(self) -> Severity:
        return self.severity_override if self.severity_override is not None else self.rule.severity

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR
