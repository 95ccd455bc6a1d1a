"""Diagnostics as JSON data and back, losing nothing a :class:`.model.Diagnostic` carries.

For the result cache (:mod:`pyjit_core.result_cache`): data only, never
pickle. :func:`to_data` refuses (``ValueError``) a diagnostic whose ``data``
would not come back equal from JSON (a tuple would come back a list), so
what is decoded is always equal to what was encoded.
"""

from __future__ import annotations

import json
from typing import Any

from .catalog import CATALOG
from .model import Applicability, Diagnostic, Edit, Fix, RelatedLocation, Severity, TextRange


def to_data(d: Diagnostic) -> dict[str, Any]:
    if d.data is not None and json.loads(json.dumps(d.data)) != d.data:
        raise ValueError(f"{d.code}: its data does not survive JSON")
    return {
        "code": d.code, "message": d.message, "path": d.path, "range": _range(d.range),
        "related": [[r.path, _range(r.range), r.message] for r in d.related],
        "fixes": [{"title": f.title, "kind": f.kind, "applicability": f.applicability.value,
                   "edits": [[e.path, _range(e.range), e.new_text] for e in f.edits]} for f in d.fixes],
        "severity": d.severity_override.value if d.severity_override is not None else None,
        "data": d.data,
    }


def from_data(raw: dict[str, Any]) -> Diagnostic:
    """The diagnostic :func:`to_data` encoded. Raises ``KeyError``/``TypeError``/``ValueError``
    on anything else (an unknown code included)."""
    code = raw["code"]
    if code not in CATALOG:
        raise ValueError(f"unknown code {code!r}")
    severity = raw["severity"]
    return Diagnostic(
        _str(code), _str(raw["message"]), _str(raw["path"]), _text_range(raw["range"]),
        related=tuple(RelatedLocation(_str(p), _text_range(r), _str(m)) for p, r, m in raw["related"]),
        fixes=tuple(Fix(_str(f["title"]), tuple(Edit(_str(p), _text_range(r), _str(t)) for p, r, t in f["edits"]),
                        kind=_str(f["kind"]), applicability=Applicability(f["applicability"]))
                    for f in raw["fixes"]),
        severity_override=Severity(severity) if severity is not None else None,
        data=raw["data"])


def _range(r: TextRange) -> list[int]:
    return [r.start_line, r.start_col, r.end_line, r.end_col]


def _text_range(raw: Any) -> TextRange:
    if not (isinstance(raw, list) and len(raw) == 4 and all(type(v) is int for v in raw)):
        raise TypeError(f"not a range: {raw!r}")
    return TextRange(*raw)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"not a string: {value!r}")
    return value
