"""pyjit's settings, one dataclass for every front door.

The same settings come from ``[tool.pyjit]`` in ``pyproject.toml`` (kebab-case
keys), from the language server's ``initializationOptions`` /
``workspace/configuration`` section ``pyjit`` (camelCase keys) and from CLI
flags (which override the file, as in ruff). Python code uses snake_case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROOTS_MODES = ("decorated", "modules", "all")
SEVERITIES = ("error", "warning", "information", "hint", "off")


@dataclass(frozen=True)
class Config:
    roots: str = "decorated"                         # which definitions are script roots
    select: tuple[str, ...] = ()                     # codes or prefixes to report (empty: all)
    ignore: tuple[str, ...] = ()                     # codes or prefixes never to report
    severity: dict[str, str] = field(default_factory=dict)   # code -> one of SEVERITIES
    torch_source: str | None = None                  # torch package directory; None: find it
    python: str | None = None                        # interpreter whose site-packages hold torch
    search_paths: tuple[str, ...] = ()               # where the user's own packages live
    log_level: str = "info"

    def enabled(self, code: str) -> bool:
        if any(code.startswith(prefix) for prefix in self.ignore):
            return False
        if self.severity.get(code) == "off":
            return False
        return not self.select or any(code.startswith(prefix) for prefix in self.select)
