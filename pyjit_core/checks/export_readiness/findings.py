"""One export-readiness finding before it becomes a :class:`Diagnostic`: where, which
rule, and what each ``torch.export.export`` mode does there."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Outcome = Literal["fails", "ok", "unknown"]


@dataclass
class Finding:
    code: str
    line: int                      # 1-based, in the checked file
    col: int                       # 0-based byte column
    end_line: int
    end_col: int
    what: str                      # the construct, in the user's terms ("float() of a tensor")
    default: Outcome               # torch.export.export(..., strict=False)
    strict: Outcome                # torch.export.export(..., strict=True)
    torch_default: str = ""        # torch's wording in the default mode, when it fails
    torch_strict: str = ""         # and in strict mode
    instead: str = ""              # what to write instead
    strict_line: int | None = None  # where strict mode fails, when not on ``line``
    fixes: tuple = field(default=())  # diagnostics.Fix objects

    @property
    def blocks_default(self) -> bool:
        return self.default == "fails"
