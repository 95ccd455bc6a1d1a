"""Compile errors raised while lowering, as torch's ErrorReport raises them.

The frontend catches a ``CompileError`` at the statement or function it
aborts and turns it into a diagnostic; everything below the catch point just
raises, as the C++ does.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..exceptions import PyjitError
from ..ir.source_range import SourceRange


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that explains the error (e.g. where a variable was used)."""

    range: SourceRange
    message: str


class CompileError(PyjitError):
    """torch: ErrorReport. ``message`` is torch's wording, without the
    source excerpt torch appends; ``range`` is where torch points."""

    def __init__(self, message: str, range: SourceRange | None, *, code: str = "PJ200",
                 related: tuple[Related, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.range = range
        self.code = code
        self.related = related
        # Further independent errors found in the same function after this
        # one (pyjit keeps going where torch stops).
        self.also: list[CompileError] = []

    def all_errors(self) -> list[CompileError]:
        return [self, *self.also]

    def detach(self) -> CompileError:
        """Forget how this error was raised (its traceback, and the exceptions
        it was raised while handling): it outlives the compile -- reported
        later, kept with the function that failed -- and those frames would
        keep the whole failed compile, and the analysis around it, alive."""
        for e in self.all_errors():
            e.__traceback__ = None
            e.__context__ = None
            e.__cause__ = None
        return self


class Poisoned(PyjitError):
    """A statement touched a value whose definition already failed: skip it
    silently, its error has been reported."""
