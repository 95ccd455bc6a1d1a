"""``json`` (one array) and ``json-lines`` (one object per line), with ruff's fields.

Each finding: ``code``, ``name`` (the rule's), ``severity``, ``message``,
``filename`` (absolute), ``location`` and ``end_location`` (``row`` and
``column``, 1-based; the end column is exclusive), ``url``, ``fix`` (the one a
machine may apply, or null: its ``applicability``, ``message`` and ``edits``)
and ``related`` (torch's notes, each with a place).
"""

from __future__ import annotations

import json
import os
from typing import Any, TextIO

from ..diagnostics import Diagnostic, Fix, TextRange
from .model import Report, offered_fix


def emit(report: Report, out: TextIO) -> None:
    json.dump([finding(d) for d in report.diagnostics], out, indent=2, ensure_ascii=False)
    out.write("\n")


def emit_lines(report: Report, out: TextIO) -> None:
    for d in report.diagnostics:
        out.write(json.dumps(finding(d), ensure_ascii=False) + "\n")


def finding(d: Diagnostic) -> dict[str, Any]:
    fix = offered_fix(d)
    return {
        "code": d.code,
        "name": d.rule.name,
        "severity": d.severity.label,
        "message": d.message,
        "filename": os.path.abspath(d.path),
        **span(d.range),
        "url": d.rule.url,
        "fix": fix_json(fix) if fix is not None else None,
        "related": [{"filename": os.path.abspath(r.path), **span(r.range), "message": r.message} for r in d.related],
    }


def span(r: TextRange) -> dict[str, dict[str, int]]:
    return {"location": {"row": r.start_line + 1, "column": r.start_col + 1},
            "end_location": {"row": r.end_line + 1, "column": r.end_col + 1}}


def fix_json(fix: Fix) -> dict[str, Any]:
    return {"applicability": fix.applicability.value, "message": fix.title,
            "edits": [{"filename": os.path.abspath(e.path), "content": e.new_text, **span(e.range)}
                      for e in fix.edits]}
