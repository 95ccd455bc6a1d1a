"""The findings of one ``pyjit check`` run, as every emitter reads them."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field

from ..diagnostics import Applicability, Diagnostic, Fix


@dataclass
class Report:
    """The findings of one ``pyjit check`` run, in the order they are shown."""

    diagnostics: list[Diagnostic]
    checked: int                                   # files checked
    unreadable: list[tuple[str, str]] = field(default_factory=list)   # (path, why) of files not read
    unsafe_fixes: bool = False                     # --unsafe-fixes: unsafe fixes count as applicable
    fixed: dict[str, Counter[str]] = field(default_factory=dict)      # --fix: path -> code -> fixes applied
    version: str = "unknown"
    quiet: bool = False                            # findings only: no summary (text formats)
    show_fixes: bool = False                       # name each finding's fix, and list the fixes applied
    base_dir: str = field(default_factory=os.getcwd)   # paths inside it are shown relative to it

    def shown_path(self, path: str) -> str:
        """``path`` relative to ``base_dir`` when inside it, else as it is."""
        try:
            rel = os.path.relpath(path, self.base_dir)
        except ValueError:      # another drive
            return path
        return path if rel.startswith("..") else rel

    def fix_of(self, d: Diagnostic) -> Fix | None:
        """The fix ``--fix`` applies to ``d`` (with ``--unsafe-fixes``: unsafe ones too)."""
        return applicable_fix(d, unsafe=self.unsafe_fixes)

    def hidden_fix_of(self, d: Diagnostic) -> Fix | None:
        """The unsafe fix ``--unsafe-fixes`` would apply to ``d``, when it has no applicable one."""
        if self.unsafe_fixes or self.fix_of(d) is not None:
            return None
        return applicable_fix(d, unsafe=True)

    @property
    def files_with_findings(self) -> int:
        return len({os.path.abspath(d.path) for d in self.diagnostics})

    @property
    def fixed_count(self) -> int:
        return sum(sum(codes.values()) for codes in self.fixed.values())


def applicable_fix(d: Diagnostic, *, unsafe: bool) -> Fix | None:
    """The first of ``d``'s fixes the command line may apply."""
    allowed = (Applicability.SAFE, Applicability.UNSAFE) if unsafe else (Applicability.SAFE,)
    return next((f for f in d.fixes if f.applicability in allowed and f.edits), None)


def offered_fix(d: Diagnostic) -> Fix | None:
    """The fix a machine-readable format describes: the first that is not an editor's choice."""
    return next((f for f in d.fixes if f.applicability is not Applicability.DISPLAY_ONLY and f.edits), None)
