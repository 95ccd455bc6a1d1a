"""``sarif``: SARIF 2.1.0, the format GitHub code scanning (``upload-sarif``) and other viewers read.

One run. Its tool lists the rules found (from the catalog: code, name,
summary, explanation, help URI and default level), sorted by code; each
result names its rule, its level, its message, its place, torch's notes
(``relatedLocations``) and the fix a machine may apply (``fixes``). Regions
are 1-based with an exclusive end column; the run's ``columnKind`` says the
columns count code points (``unicodeCodePoints``), which is what pyjit's
columns are. Paths inside the current directory are relative to
``%SRCROOT%``, so an upload resolves them against the checkout. A file that
could not be read is a tool notification, and makes ``executionSuccessful``
false.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from ..diagnostics import CATALOG, Diagnostic, Fix, Severity, TextRange
from .model import Report, offered_fix

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/pyjit/pyjit"
SOURCE_ROOT = "%SRCROOT%"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFORMATION: "note", Severity.HINT: "note"}


def emit(report: Report, out: TextIO) -> None:
    json.dump(document(report), out, indent=2, ensure_ascii=False)
    out.write("\n")


def document(report: Report) -> dict[str, Any]:
    codes = sorted({d.code for d in report.diagnostics})
    index = {code: i for i, code in enumerate(codes)}
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "pyjit", "version": report.version, "informationUri": INFORMATION_URI,
                            "rules": [_rule(code) for code in codes]}},
        "originalUriBaseIds": {SOURCE_ROOT: {"uri": Path(report.base_dir).resolve().as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, index[d.code], report) for d in report.diagnostics],
        "invocations": [{
            "executionSuccessful": not report.unreadable,
            "toolExecutionNotifications": [
                {"level": "error", "message": {"text": why},
                 "locations": [{"physicalLocation": {"artifactLocation": _artifact(path, report)}}]}
                for path, why in report.unreadable],
        }],
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _rule(code: str) -> dict[str, Any]:
    rule = CATALOG[code]
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation},
        "help": {"text": rule.explanation, "markdown": rule.explanation},
        "helpUri": rule.url,
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
    }


def _result(d: Diagnostic, rule_index: int, report: Report) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": _LEVEL[d.severity],
        "message": {"text": d.message.strip()},
        "locations": [_location(d.path, d.range, report)],
    }
    if d.related:
        result["relatedLocations"] = [{"id": i, "message": {"text": rel.message},
                                       **_location(rel.path, rel.range, report)}
                                      for i, rel in enumerate(d.related, start=1)]
    fix = offered_fix(d)
    if fix is not None:
        result["fixes"] = [_fix(fix, report)]
    return result


def _location(path: str, r: TextRange, report: Report) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": _artifact(path, report), "region": region(r)}}


def region(r: TextRange) -> dict[str, int]:
    return {"startLine": r.start_line + 1, "startColumn": r.start_col + 1,
            "endLine": r.end_line + 1, "endColumn": r.end_col + 1}


def _artifact(path: str, report: Report) -> dict[str, str]:
    shown = report.shown_path(path)
    if os.path.isabs(shown):
        return {"uri": Path(shown).as_uri()}
    return {"uri": quote(shown.replace(os.sep, "/")), "uriBaseId": SOURCE_ROOT}


def _fix(fix: Fix, report: Report) -> dict[str, Any]:
    by_path: dict[str, list[dict[str, Any]]] = {}
    for e in fix.edits:
        by_path.setdefault(e.path, []).append({"deletedRegion": region(e.range),
                                               "insertedContent": {"text": e.new_text}})
    return {"description": {"text": f"{fix.title} ({fix.applicability.value})"},
            "artifactChanges": [{"artifactLocation": _artifact(path, report), "replacements": replacements}
                                for path, replacements in by_path.items()]}
