"""The configuration applied to findings: ``select``, ``ignore``, ``per-file-ignores``, ``severity``."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from .model import Diagnostic, Severity

if TYPE_CHECKING:
    from ..config import Config

_SEVERITY_NAMES = {"error": Severity.ERROR, "warning": Severity.WARNING, "information": Severity.INFORMATION,
                   "info": Severity.INFORMATION, "hint": Severity.HINT}


def apply_config(diagnostics: list[Diagnostic], config: Config) -> list[Diagnostic]:
    """Drop codes the configuration does not enable; apply severity overrides."""
    out = []
    for d in diagnostics:
        if not config.enabled(d.code, d.path):
            continue
        override = _SEVERITY_NAMES.get(config.severity.get(d.code, "").lower())
        if override is not None and override is not d.severity:
            d = dataclasses.replace(d, severity_override=override)
        out.append(d)
    return out
