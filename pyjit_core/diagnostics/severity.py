"""How serious a finding is: below both the catalog (each rule's default) and
the diagnostic (which may override it)."""

from __future__ import annotations

import enum


class Severity(enum.IntEnum):
    """Ordered like LSP's DiagnosticSeverity (lower is more severe)."""

    ERROR = 1
    WARNING = 2
    INFORMATION = 3
    HINT = 4

    @property
    def label(self) -> str:
        return self.name.lower()
